"""Where each piece of the state lives: the small main file and the story shards.

The per-story entries are spread over SHARDS small TOML files (`stories/3f2.toml`)
by a hash of the key, so a page turn rewrites one file of a few hundred entries
rather than the whole reading history, and opening a story parses only its shard.
A shard file is an ordinary state document holding only `[stories]`, `[removed]`
and its own `[unparsed]` salvage (parsed and written by `schema`, the one place an
entry is (de)serialised).
"""

from __future__ import annotations

import re
import tomllib
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tuific.lazy_regex import lazy_compile

from .records import _Doc, _key_in
from .schema import _dump, _encode

SHARDS = 1024
SHARD_FOLDER = "stories"
MAIN = ""  # the name of the main file's piece; shards are named "000" … "3ff"


def shard_of(key: str) -> str:
    """The shard holding `key`'s entry and tombstone: stable across runs and versions
    (crc32, not `hash()`, which is salted per process)."""
    data = key.encode("utf-8", "surrogateescape")
    return format(zlib.crc32(data) % SHARDS, "03x")


def shard_names() -> list[str]:
    return [format(n, "03x") for n in range(SHARDS)]


@dataclass
class Piece:
    """One file of the state: where it is, what of it we hold, and how it looked."""

    main: Path  # the main state file; the piece's own path is made from it when needed
    name: str
    loaded: bool = False
    # (inode, mtime, size) when we last read or wrote it: unchanged means no re-read.
    signature: tuple[int, int, int] | None = None
    # Keys (entries or tombstones) that belong here, so a save of one shard need
    # not hash every key in memory. May hold keys since dropped: checked on dump.
    members: set[str] = field(default_factory=set)
    # Each entry's TOML as last written, until it changes (see `encode_piece`).
    chunks: dict[str, bytes] = field(default_factory=dict)
    unparsed: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        # Not a field: a start with a small history makes all 1,024 pieces, and making
        # their paths up front cost ~7 ms; only pieces that are read or written need one.
        return piece_path(self.main, self.name)


def shard_folder(main: Path) -> Path:
    return main.parent / SHARD_FOLDER


def piece_path(main: Path, name: str) -> Path:
    return main if name == MAIN else shard_folder(main) / f"{name}.toml"


def encode_piece(doc: _Doc, piece: Piece, name: str) -> bytes:
    """The file text of `piece`: for the main file, `doc` without its entries; for a
    shard, its tombstones and salvage, then its entries (sorted by key). An entry's
    TOML is made once and reused until the entry changes (`Piece.chunks`, emptied
    by the store on every change or merge): a page turn re-encodes one entry, not
    the few hundred beside it in its shard (tomli_w is most of a save's CPU)."""
    if name == MAIN:
        return _encode(_dump(replace(doc, stories={}, removed={})))
    removed = {k: doc.removed[k] for k in piece.members if k in doc.removed}
    head = _Doc(removed=dict(sorted(removed.items())), unparsed=piece.unparsed, extra=piece.extra)
    parts = [_encode(_dump(head))]
    for key in sorted(k for k in piece.members if k in doc.stories):
        chunk = piece.chunks.get(key)
        if chunk is None:
            chunk = piece.chunks[key] = entry_chunk(doc, key)
        parts.append(chunk)
    return b"\n".join(parts)


def entry_chunk(doc: _Doc, key: str) -> bytes:
    """One entry's TOML (`[stories."KEY"]` and its values), as `_dump` makes it."""
    table = _dump(_Doc(stories={key: doc.stories[key]}))
    del table["format"]
    return _encode(table)


# A shard as tomli_w writes it: `[stories."KEY"]`, then the entry's plain values
# (`fingerprint = "…"` among them), then its sub-tables. Other headers end an entry.
_SCAN = lazy_compile(
    r'^(?:\[stories\.(?P<key>"(?:[^"\\\n]|\\.)*")\]'
    r'|(?P<other>\[)'
    r'|fingerprint = "(?P<fp>[0-9a-f]+)"'
    r'|work = (?P<work>"(?:[^"\\\n]|\\.)*"))',
    re.M,
)


def scan_fingerprints(text: str) -> list[tuple[str, str]]:
    """(fingerprint, key) of each entry in a shard's text, and ("work:" + source URL,
    key) where it has one, without parsing the TOML: several times faster than
    tomllib, for the rename index of a whole history.
    Only a hint: what it finds is checked against the parsed entry before use, and
    what it misses (a hand-edited file in another style) is a rename not followed."""
    pairs = []
    key: str | None = None
    for match in _SCAN.finditer(text):
        quoted = match.group("key")
        if quoted is not None:
            key = _unquote(quoted)
        elif match.group("other") is not None:
            key = None
        elif key is not None:
            fingerprint = match.group("fp")
            if fingerprint is None:  # a source URL, indexed as "work:" + it
                work = _unquote(match.group("work"), key=False)
                if work:
                    pairs.append(("work:" + work, key))
            else:
                pairs.append((fingerprint, key))
    return pairs


def _unquote(quoted: str, key: bool = True) -> str | None:
    """A TOML basic string's value; for a key, decoded as `_key_in` does."""
    if "\\" not in quoted:
        value = quoted[1:-1]
    else:
        try:
            value = tomllib.loads(f"k = {quoted}")["k"]
        except tomllib.TOMLDecodeError:
            return None
    return _key_in(value) if key else value
