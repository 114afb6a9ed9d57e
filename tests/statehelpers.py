"""Helpers for the state tests (the `state_path` fixture is in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from tuific.state import StateStore


def fresh(path: Path) -> StateStore:
    """A store that has loaded `path`, as a new tuific session would."""
    store = StateStore(path)
    store.load()
    return store
