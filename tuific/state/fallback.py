"""No silent loss: when the final save fails (a full disk, a read-only state folder),
the state is kept in a fallback file, and the next start merges it back.

The fallback goes beside the state file if it can, else into the user's runtime
folder (`$XDG_RUNTIME_DIR`, or a private folder in the temp folder), named after the
state file's path so two libraries of state never mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from tuific.hashing import blake2b

SUFFIX = ".unsaved"


def fallback_paths(state_path: Path) -> list[Path]:
    """Where a fallback for `state_path` may be, in the order they are tried."""
    digest = blake2b(str(state_path).encode("utf-8", "surrogateescape"), digest_size=8)
    runtime = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    private = Path(runtime) / f"tuific-{os.getuid()}" if hasattr(os, "getuid") else Path(runtime)
    return [
        state_path.with_name(state_path.name + SUFFIX),
        private / f"state-{digest.hexdigest()}.toml{SUFFIX}",
    ]


def write_fallback(state_path: Path, data: bytes) -> Path | None:
    """Write `data` to the first fallback place that takes it; None when none does."""
    for path in fallback_paths(state_path):
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()  # never leave half a fallback to be merged
            continue
        return path
    return None


def read_fallbacks(state_path: Path) -> list[tuple[Path, bytes]]:
    """Every fallback left for `state_path` by an earlier session, with its bytes."""
    found = []
    for path in fallback_paths(state_path):
        with contextlib.suppress(OSError):
            found.append((path, path.read_bytes()))
    return found


def remove_fallbacks(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
