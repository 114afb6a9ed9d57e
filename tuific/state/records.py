"""The state file's records, keys, fingerprints and merge timestamps."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

from tuific.hashing import blake2b

FORMAT = 2  # 2: entries in shards (a format-1 file is read and migrated)
FINGERPRINT_HEAD = 64 * 1024
LOCK_TIMEOUT = 2.0  # seconds; a save must never hang a quitting app (SIGHUP)
# A save writing more shards than this (the first, moving an old single-file state
# into shards) syncs them all at once before the main file: one fsync per file of a
# thousand costs tens of seconds on a busy disk.
SYNC_ALL_ABOVE = 32
PACE_MIN_SAMPLES = 5  # below this the learnt pace is too noisy to show
PACE_WINDOW = 50  # the learnt pace averages about this many recent samples

ReadStatus = Literal["unread", "reading", "finished", "updated", "later", "dropped"]
_NEVER = datetime.min.replace(tzinfo=UTC)


# ---------------------------------------------------------------- small helpers


def story_key(path: str | os.PathLike[str]) -> str:
    """The state key for a story file: its absolute path.

    Not `resolve()`d: that costs a system call per folder level, and the list asks
    for ten thousand keys. Callers resolve the library folder (or the file given
    on the command line) once, so paths found under it are already canonical.
    """
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


def fingerprint(data: bytes, size: int | None = None) -> str:
    """A content fingerprint that survives renames and moves.

    blake2b over the file's size and its first 64 KiB. `data` is the whole file, or
    just its head with `size` the full size (so a scan need not read long files).
    It changes when the size changes or any byte in the first 64 KiB does: an updated
    work-in-progress gets a new fingerprint, which is fine while its path is unchanged
    (the entry is found by path and the fingerprint refreshed), but a story that is
    both moved and changed is not recognised.
    """
    size = len(data) if size is None else size
    digest = blake2b(digest_size=16)
    digest.update(size.to_bytes(8, "little"))
    digest.update(data[:FINGERPRINT_HEAD])
    return digest.hexdigest()


def fingerprint_file(path: str | os.PathLike[str]) -> str:
    """`fingerprint` of a file, reading only its head."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        return fingerprint(handle.read(FINGERPRINT_HEAD), size)


_last_stamp = _NEVER
_stamp_lock = threading.Lock()
_ONE_US = datetime.resolution


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _stamp() -> str:
    """A merge timestamp: UTC, microseconds, strictly increasing within the process.

    Strictly increasing so that two changes in the same microsecond still order, and
    a clock stepped backwards does not make a new change lose to an old one.
    """
    global _last_stamp
    with _stamp_lock:
        now = _utcnow()
        if now <= _last_stamp:
            now = _last_stamp + _ONE_US
        _last_stamp = now
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now_iso() -> str:
    """A human-facing time (last opened, bookmark created): ISO 8601 UTC, seconds."""
    return _utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(stamp: str) -> datetime:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return _NEVER
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# TOML strings must be UTF-8, but a file name need not be (it may hold surrogate
# escapes from os.fsdecode). Such keys are written as "hex:" + their bytes. Real keys
# are absolute paths and start with "/", so the prefix cannot collide with one.
def _key_out(key: str) -> str:
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return "hex:" + key.encode("utf-8", "surrogateescape").hex()
    return key


def _key_in(key: str) -> str:
    if key.startswith("hex:"):
        try:
            return bytes.fromhex(key[4:]).decode("utf-8", "surrogateescape")
        except ValueError:
            return key
    return key


# ---------------------------------------------------------------- records


class Position(NamedTuple):
    paragraph: int = 0
    offset: int = 0


@dataclass
class Bookmark:
    id: str
    paragraph: int
    offset: int
    name: str = ""
    created: str = ""


@dataclass
class StoryState:
    """One story's entry. Read it freely; change it only through `StateStore` methods."""

    position: Position = field(default_factory=Position)
    last_opened: str | None = None
    finished: bool = False
    favourite: bool = False
    shelf: str | None = None  # "later" or "dropped", set by hand (flags group)
    notes_open: bool = False  # author's notes shown in full, not folded (flags group)
    bookmarks: list[Bookmark] = field(default_factory=list)
    fingerprint: str | None = None
    words: int | None = None
    paragraphs: int | None = None
    chapters: int | None = None  # with words: its length when last read, to see growth
    progress: float | None = None  # the reader's own measure (by characters) at the
    # saved place, so the list shows after a restart what the reader showed
    work: str | None = None  # its source URL (`status.work_id`): found again when both
    # renamed and changed (a FanFicFare update that retitles the file)
    # Merge stamps, one per group of fields that may change independently.
    updated: str = ""
    flags_updated: str = ""
    bookmarks_updated: str = ""
    deleted_bookmarks: set[str] = field(default_factory=set)
    # Fields written by a newer tuific, kept and written back untouched.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Pace:
    words_per_minute: float = 0.0
    samples: int = 0
    updated: str = ""


@dataclass
class _Doc:
    """Everything in the state file, parsed."""

    stories: dict[str, StoryState] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    last_story: str | None = None
    last_story_updated: str = ""
    pace: Pace = field(default_factory=Pace)
    prefs: dict[str, Any] = field(default_factory=dict)
    prefs_updated: dict[str, str] = field(default_factory=dict)
    unparsed: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


class Unreadable(Exception):
    """A state file exists but could not be read (permissions, I/O error)."""
