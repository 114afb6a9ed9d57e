"""Files that ship with tuific: styles and the demo stories.

In an installed wheel they live inside the package (the build copies them in);
in a source checkout they sit at the repository's top level.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"tuific is missing its {name} folder; reinstall it")


def styles_dir() -> Path:
    return _find("styles")


def demo_dir() -> Path:
    return _find("demo_stories")
