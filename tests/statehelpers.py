"""Helpers for the state tests (the `state_path` fixture is in conftest.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tuific.state import StateStore
from tuific.state.shards import shard_of


def fresh(path: Path) -> StateStore:
    """A store that has loaded `path`, as a new tuific session would."""
    store = StateStore(path)
    store.load()
    return store


def raw(path: Path) -> dict:
    """The whole state as one document: the main file, with the stories, tombstones
    and salvaged originals of every shard folded in."""
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for shard in sorted((path.parent / "stories").glob("*.toml")):
        part = tomllib.loads(shard.read_text(encoding="utf-8"))
        for section in ("stories", "removed"):
            if section in part:
                data.setdefault(section, {}).update(part[section])
        for section, table in part.get("unparsed", {}).items():
            data.setdefault("unparsed", {}).setdefault(section, {}).update(table)
    return data


def shard_file(path: Path, key: str) -> Path:
    return path.parent / "stories" / f"{shard_of(key)}.toml"
