"""Where tuific keeps its files.

platformdirs picks the usual per-OS folders. Each can be overridden by an environment
variable, so tests never touch the real home folder and power users can keep, say,
their reading state on a synced drive:

    TUIFIC_STATE_DIR   reading state (state.toml)
    TUIFIC_CONFIG_DIR  settings (config.toml)
    TUIFIC_CACHE_DIR   disposable metadata cache
    TUIFIC_DATA_DIR    default library folder

An empty variable counts as unset. Nothing here creates folders: the writers do that
when they first need one.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from tuific.hashing import blake2b

APP_NAME = "tuific"


def _folder(variable: str, default: str) -> Path:
    override = os.environ.get(variable)
    if override:
        return Path(override).expanduser()
    return Path(default)


def state_dir() -> Path:
    return _folder("TUIFIC_STATE_DIR", platformdirs.user_state_dir(APP_NAME, appauthor=False))


def state_file() -> Path:
    return state_dir() / "state.toml"


def config_dir() -> Path:
    return _folder("TUIFIC_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def cache_dir() -> Path:
    return _folder("TUIFIC_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME, appauthor=False))


# A metadata cache larger than this is not read (10,000 stories take about 7 MB).
MAX_CACHE_BYTES = 512 * 1024 * 1024


def cache_file_for(root: str | os.PathLike[str], recursive: bool = True) -> Path:
    """The metadata cache file of the library at `root` (which need not exist).
    A folder listed without its subfolders (a story opened from it) has its own: its
    scans would drop the subfolders' stories from the library's."""
    resolved = str(Path(root).expanduser().resolve())
    digest = blake2b(resolved.encode("utf-8", "surrogateescape"), digest_size=16)
    kind = "library" if recursive else "folder"
    return cache_dir() / f"{kind}-{digest.hexdigest()}.json"


def default_library_dir() -> Path:
    """The folder `tuific` opens when no library is configured (if it holds stories)."""
    return _folder("TUIFIC_DATA_DIR", platformdirs.user_data_dir(APP_NAME, appauthor=False))
