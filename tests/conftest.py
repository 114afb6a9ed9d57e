"""Shared test set-up: every test gets its own state, config, cache and data folders."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest


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
