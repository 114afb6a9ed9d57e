"""Shared test set-up: every test gets its own state, config, cache and data folders."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from cachelib import FIXTURES, HEADED, write


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """Keep tests away from the real home folder's tuific files."""
    root = tmp_path_factory.mktemp("tuific-home")
    for name in ("STATE", "CONFIG", "CACHE", "DATA"):
        folder = root / name.lower()
        monkeypatch.setenv(f"TUIFIC_{name}_DIR", str(folder))
    return root


@pytest.fixture(autouse=True)
def rich_terminal(monkeypatch):
    """A 256-colour terminal, whatever runs the tests: the theme an app starts in
    depends on the colours the terminal reports (see tuific.ui.themes)."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def count_parses(monkeypatch) -> list[str]:
    """Every file the library scan parses, in order (the cache must make this short)."""
    from tuific import library

    parsed: list[str] = []
    real = library.story_from_bytes

    def counting(path, data, **kwargs):
        parsed.append(str(path))
        return real(path, data, **kwargs)

    monkeypatch.setattr(library, "story_from_bytes", counting)
    return parsed


# The library the metadata cache tests scan (its text is in cachelib.py); test_library.py
# has a `lib` of its own.
@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    write(root / "salt-road.txt", HEADED)
    write(root / "nested" / "the-quiet-pier.txt", "No header here.\n\nJust a pier, and the sea.\n")
    write(root / "notes.md", "---\ntitle: Marginalia\nauthor: Pell\n---\n\n# One\n\nInk *here*.\n")
    (root / "broken.txt").write_bytes(b"\x00\x01\x02 not text at all")
    for name in ("ao3_current.html", "fanficfare/test1-sid1.txt", "fanficfare/test1-sid2.epub"):
        source = FIXTURES / name
        if source.exists():
            shutil.copy(source, root / source.name)
    return root


@pytest.fixture
def state_path(tmp_path) -> Path:
    """Where a state test keeps its state file (a folder of its own)."""
    return tmp_path / "state" / "state.toml"


@pytest.fixture
def gc_restored():
    """The cyclic collector as it was (enabled or not, nothing frozen) after a test
    of code that pauses, runs or freezes it."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture
def kinds_given(monkeypatch) -> list[object]:
    """The paragraphs' kinds that each call of speaker attribution is given, in order."""
    import tuific.speakers as speakers_module

    given: list[object] = []
    real = speakers_module.attribute

    def spied(*args, **kwargs):
        given.append(kwargs.get("kinds"))
        return real(*args, **kwargs)

    monkeypatch.setattr(speakers_module, "attribute", spied)
    return given
