"""The reading-state store: positions, status, favourites, bookmarks, pace, preferences.

One TOML file (`paths.state_file()`), shaped like this:

    format = 1

    [last_story]
    key = "/home/me/fic/orchard-road.txt"
    updated = "2024-05-01T10:00:00.123456Z"

    [pace]                      # learnt reading speed
    words_per_minute = 231.5
    samples = 14
    updated = "…"

    [prefs]                     # reader preferences (line_width, justify, …)
    line_width = 80
    [prefs_updated]             # when each preference last changed, for merging
    line_width = "…"

    [stories."/home/me/fic/orchard-road.txt"]
    paragraph = 120             # position: paragraph index + character offset,
    offset = 48                 # so it survives any terminal width
    last_opened = "2024-05-01T09:58:02Z"
    finished = false
    favourite = true
    fingerprint = "3f…"         # recognises the story after a rename or move
    words = 51234               # its length when last opened,
    paragraphs = 1800           # in words and in paragraphs (for list progress)
    updated = "…"               # when the place (position, last opened) last changed
    flags_updated = "…"         # when finished/favourite last changed
    bookmarks_updated = "…"     # when a bookmark was last added or removed
    deleted_bookmarks = ["9c1e04aa52d0"]
    [[stories."/home/me/fic/orchard-road.txt".bookmarks]]
    id = "4b7a9d1c03ee"
    paragraph = 10
    offset = 0
    name = "the lake"
    created = "2024-04-30T21:12:40Z"

    [removed]                   # keys whose entry moved to a new key (a renamed story)
    "/home/me/fic/old-name.txt" = "…"

    [unparsed]                  # anything this version could not read, kept verbatim

Why it is built the way it is:
- Keys are resolved absolute paths as strings (`story_key`). The caller computes a key
  once per story; the store never touches the file system for a key, so status lookups
  for ten thousand stories stay cheap.
- Writes go to a temp file in the same folder, are fsynced, then `os.replace`d over the
  old file: a crash at any moment leaves either the old or the new file, never half.
- Two tuific instances (two SSH sessions) share the file. Every save holds a lock file
  (`state.toml.lock`, flock) while it re-reads the file, merges and replaces it. Merging
  is per entry and the newest `updated` wins, except that the finished/favourite flags
  carry their own time (marking a story finished in one session is not undone by
  reading on in the other) and bookmarks merge as a set by id. Entries only on disk are
  kept; deletions are tombstones (`deleted_bookmarks`, `[removed]`), so a merge never
  brings back something the reader deleted.
- A file that is not TOML is moved aside (`state.toml.corrupt-YYYYmmdd-HHMMSS`) with a
  notice. A TOML file with values of the wrong type keeps every readable field; the
  original of each odd entry is copied verbatim into `[unparsed]` and stays there, so
  nothing the user had is ever dropped.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from . import paths
from .hashing import blake2b
from .text import clean_line

try:  # flock is POSIX-only; elsewhere two writers can race, but writes stay atomic.
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms we test
    fcntl = None  # type: ignore[assignment]

FORMAT = 1
FINGERPRINT_HEAD = 64 * 1024
LOCK_TIMEOUT = 2.0  # seconds; a save must never hang a quitting app (SIGHUP)
PACE_MIN_SAMPLES = 5  # below this the learnt pace is too noisy to show
PACE_WINDOW = 50  # the learnt pace averages about this many recent samples

ReadStatus = Literal["unread", "reading", "finished"]
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
    bookmarks: list[Bookmark] = field(default_factory=list)
    fingerprint: str | None = None
    words: int | None = None
    paragraphs: int | None = None
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


# ---------------------------------------------------------------- parsing


class _Invalid(Exception):
    pass


def _count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _Invalid


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):  # a hand-edited, unquoted TOML date-time
        return value.isoformat()
    raise _Invalid


def _parse_bookmark(raw: Any) -> Bookmark:
    if not isinstance(raw, dict):
        raise _Invalid
    bookmark = Bookmark(
        id=_text(raw.get("id", "")),
        paragraph=_count(raw.get("paragraph", 0)),
        offset=_count(raw.get("offset", 0)),
        name=_text(raw.get("name", "")),
        created=_text(raw.get("created", "")),
    )
    if not bookmark.id:
        # Hand-written, without an id. Derive one from the bookmark itself, so every
        # session reading this file gives it the same id and merges do not double it.
        seed = repr((bookmark.paragraph, bookmark.offset, bookmark.name, bookmark.created))
        bookmark.id = blake2b(seed.encode(), digest_size=6).hexdigest()
    return bookmark


def _parse_story(raw: dict[str, Any]) -> tuple[StoryState, bool]:
    """Salvage every readable field; the flag says whether anything was not."""
    entry = StoryState()
    clean = True

    def take(name: str, convert: Any) -> Any:
        nonlocal clean
        try:
            return convert(raw[name])
        except _Invalid:
            clean = False
            return None

    for name in raw:
        if name in ("paragraph", "offset"):
            value = take(name, _count)
            if value is not None:
                entry.position = entry.position._replace(**{name: value})
        elif name in ("finished", "favourite"):
            value = take(name, _flag)
            if value is not None:
                setattr(entry, name, value)
        elif name in (
            "last_opened",
            "fingerprint",
            "updated",
            "flags_updated",
            "bookmarks_updated",
        ):
            value = take(name, _text)
            if value is not None:
                setattr(entry, name, value)
        elif name == "words":
            entry.words = take(name, _count)
        elif name == "paragraphs":
            entry.paragraphs = take(name, _count)
        elif name == "bookmarks":
            items = raw[name] if isinstance(raw[name], list) else None
            if items is None:
                clean = False
                continue
            for item in items:
                try:
                    entry.bookmarks.append(_parse_bookmark(item))
                except _Invalid:
                    clean = False
        elif name == "deleted_bookmarks":
            items = raw[name]
            if isinstance(items, list) and all(isinstance(i, str) for i in items):
                entry.deleted_bookmarks = set(items)
            else:
                clean = False
        else:
            entry.extra[name] = raw[name]
    entry.bookmarks = _live_bookmarks(entry.bookmarks, entry.deleted_bookmarks)
    return entry, clean


def _live_bookmarks(bookmarks: list[Bookmark], deleted: set[str]) -> list[Bookmark]:
    unique = {b.id: b for b in bookmarks if b.id not in deleted}
    return sorted(unique.values(), key=lambda b: (b.paragraph, b.offset, b.created))


def _keep_unparsed(doc: _Doc, section: str, key: str, value: Any) -> None:
    """File `value` under [unparsed.section] without overwriting an earlier original."""
    table = doc.unparsed.setdefault(section, {})
    if not isinstance(table, dict):  # a hand-edited [unparsed] of the wrong shape
        table = doc.unparsed[section] = {"earlier": table}
    name, n = key, 1
    while name in table and table[name] != value:
        n += 1
        name = f"{key} ({n})"
    table[name] = value


def _parse(raw: dict[str, Any]) -> tuple[_Doc, int]:
    """Parse a decoded TOML document; returns it and the count of odd entries."""
    doc = _Doc()
    odd = 0
    # First, so the odd values found below are added to it rather than replaced by it.
    if "unparsed" in raw:
        value = raw["unparsed"]
        doc.unparsed = value if isinstance(value, dict) else {"earlier": value}
    for name, value in raw.items():
        try:
            if name in ("format", "unparsed"):
                continue
            if name == "stories":
                if not isinstance(value, dict):
                    raise _Invalid
                for key, entry_raw in value.items():
                    key = _key_in(key)
                    if not isinstance(entry_raw, dict):
                        _keep_unparsed(doc, "stories", key, entry_raw)
                        odd += 1
                        continue
                    entry, clean = _parse_story(entry_raw)
                    if not clean:
                        _keep_unparsed(doc, "stories", key, entry_raw)
                        odd += 1
                    doc.stories[key] = entry
            elif name == "removed":
                if not isinstance(value, dict):
                    raise _Invalid
                for key, stamp in value.items():
                    if isinstance(stamp, str):
                        doc.removed[_key_in(key)] = stamp
                    else:
                        _keep_unparsed(doc, "removed", key, stamp)
                        odd += 1
            elif name == "last_story":
                if not isinstance(value, dict) or not isinstance(value.get("key"), str):
                    raise _Invalid
                doc.last_story = _key_in(value["key"])
                doc.last_story_updated = _text(value.get("updated", ""))
            elif name == "pace":
                if not isinstance(value, dict):
                    raise _Invalid
                wpm = value.get("words_per_minute", 0.0)
                if isinstance(wpm, bool) or not isinstance(wpm, int | float) or wpm < 0:
                    raise _Invalid
                doc.pace = Pace(
                    float(wpm), _count(value.get("samples", 0)), _text(value.get("updated", ""))
                )
            elif name == "prefs":
                if not isinstance(value, dict):
                    raise _Invalid
                doc.prefs = dict(value)
            elif name == "prefs_updated":
                if not isinstance(value, dict):
                    raise _Invalid
                doc.prefs_updated = {k: v for k, v in value.items() if isinstance(v, str)}
            else:
                doc.extra[name] = value  # from a newer tuific: keep it as it is
        except (_Invalid, KeyError):
            _keep_unparsed(doc, "top", name, value)
            odd += 1
    return doc, odd


def _dump(doc: _Doc) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT}
    out.update(doc.extra)
    if doc.last_story is not None:
        out["last_story"] = {"key": _key_out(doc.last_story), "updated": doc.last_story_updated}
    if doc.pace.samples:
        out["pace"] = {
            "words_per_minute": round(doc.pace.words_per_minute, 2),
            "samples": doc.pace.samples,
            "updated": doc.pace.updated,
        }
    if doc.prefs:
        out["prefs"] = dict(doc.prefs)
        out["prefs_updated"] = dict(doc.prefs_updated)
    stories: dict[str, Any] = {}
    for key, entry in doc.stories.items():
        table: dict[str, Any] = dict(entry.extra)
        table["paragraph"] = entry.position.paragraph
        table["offset"] = entry.position.offset
        if entry.last_opened is not None:
            table["last_opened"] = entry.last_opened
        # Flags only when set: most entries have neither, and a big file parses slowly.
        if entry.finished:
            table["finished"] = True
        if entry.favourite:
            table["favourite"] = True
        if entry.fingerprint is not None:
            table["fingerprint"] = entry.fingerprint
        if entry.words is not None:
            table["words"] = entry.words
        if entry.paragraphs is not None:
            table["paragraphs"] = entry.paragraphs
        table["updated"] = entry.updated
        if entry.flags_updated:
            table["flags_updated"] = entry.flags_updated
        if entry.bookmarks_updated:
            table["bookmarks_updated"] = entry.bookmarks_updated
        if entry.deleted_bookmarks:
            table["deleted_bookmarks"] = sorted(entry.deleted_bookmarks)
        if entry.bookmarks:
            table["bookmarks"] = [
                {
                    "id": b.id,
                    "paragraph": b.paragraph,
                    "offset": b.offset,
                    "name": b.name,
                    "created": b.created,
                }
                for b in entry.bookmarks
            ]
        stories[_key_out(key)] = table
    if stories:
        out["stories"] = stories
    if doc.removed:
        out["removed"] = {_key_out(k): v for k, v in doc.removed.items()}
    if doc.unparsed:
        out["unparsed"] = doc.unparsed
    return out


def _encode(document: dict[str, Any]) -> bytes:
    # "replace" is a last resort so the file is always valid UTF-8; keys, the only
    # strings that may carry surrogates, are already escaped by _key_out.
    import tomli_w  # here: only a save needs it, and start-up does not save

    return tomli_w.dumps(document).encode("utf-8", "replace")


# ---------------------------------------------------------------- merging


def _last_change(entry: StoryState) -> datetime:
    return max(_when(entry.updated), _when(entry.flags_updated), _when(entry.bookmarks_updated))


def _merge_story(ours: StoryState, theirs: StoryState) -> None:
    """Fold their copy of an entry into ours, in place (callers may hold `ours`).

    Each group of fields goes to the side that changed it last; ties stay ours.
    """
    if _when(theirs.updated) > _when(ours.updated):
        ours.position = theirs.position
        ours.last_opened = theirs.last_opened
        ours.words = theirs.words
        ours.paragraphs = theirs.paragraphs
        ours.fingerprint = theirs.fingerprint
        ours.extra = theirs.extra
        ours.updated = theirs.updated
    if _when(theirs.flags_updated) > _when(ours.flags_updated):
        ours.finished = theirs.finished
        ours.favourite = theirs.favourite
        ours.flags_updated = theirs.flags_updated
    # Bookmarks are a set: one session's new bookmark is never lost to the other's
    # changes, and a deleted id stays deleted whichever side saw the deletion.
    ours.deleted_bookmarks |= theirs.deleted_bookmarks
    ours.bookmarks = _live_bookmarks(theirs.bookmarks + ours.bookmarks, ours.deleted_bookmarks)
    if _when(theirs.bookmarks_updated) > _when(ours.bookmarks_updated):
        ours.bookmarks_updated = theirs.bookmarks_updated


def _merge_tables(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Add what only `theirs` has, recursively; on a clash ours stays."""
    for key, value in theirs.items():
        if key not in ours:
            ours[key] = value
        elif isinstance(ours[key], dict) and isinstance(value, dict):
            _merge_tables(ours[key], value)


def _merge(ours: _Doc, theirs: _Doc) -> None:
    """Fold the file on disk (`theirs`) into memory (`ours`)."""
    for key, stamp in theirs.removed.items():
        if key not in ours.removed or _when(stamp) > _when(ours.removed[key]):
            ours.removed[key] = stamp
    for key, entry in theirs.stories.items():
        if key in ours.stories:
            _merge_story(ours.stories[key], entry)
        else:
            ours.stories[key] = entry
    # A tombstone beats an entry not changed since: the entry moved to another key.
    for key, stamp in ours.removed.items():
        entry = ours.stories.get(key)
        if entry is not None and _last_change(entry) <= _when(stamp):
            del ours.stories[key]
    # For the globals, anything beats nothing (a hand-written file may lack `updated`).
    if theirs.last_story is not None and (
        ours.last_story is None or _when(theirs.last_story_updated) > _when(ours.last_story_updated)
    ):
        ours.last_story, ours.last_story_updated = theirs.last_story, theirs.last_story_updated
    if theirs.pace.samples and (
        not ours.pace.samples or _when(theirs.pace.updated) > _when(ours.pace.updated)
    ):
        ours.pace = theirs.pace
    for name, value in theirs.prefs.items():
        stamp = theirs.prefs_updated.get(name, "")
        if name not in ours.prefs or _when(stamp) > _when(ours.prefs_updated.get(name, "")):
            ours.prefs[name] = value
            ours.prefs_updated[name] = stamp
    _merge_tables(ours.unparsed, theirs.unparsed)
    _merge_tables(ours.extra, theirs.extra)


# ---------------------------------------------------------------- the store


class _Unreadable(Exception):
    """The state file exists but could not be read (permissions, I/O error)."""


class StateStore:
    """The reading state of every story, backed by one TOML file.

    Call `load()` once at start, then `save()` whenever it suits (debounced position
    changes, story switch, quit, SIGHUP/SIGTERM). `save()` is a no-op when nothing
    changed and never raises for I/O problems: it reports them in `notices` and keeps
    the changes for the next try. Show `notices` (or `take_notices()`) to the user.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = paths.state_file() if path is None else Path(path)
        self.notices: list[str] = []
        self._doc = _Doc()
        # Entries asked about but never changed: not written, so browsing a library
        # of ten thousand stories does not fill the file with empty entries.
        self._pending: dict[str, StoryState] = {}
        self._by_fingerprint: dict[str, list[str]] | None = None
        # Change counters instead of a dirty flag: a change made while a save is under
        # way (from a signal handler) must stay unsaved until a save includes it.
        self._changes = 0
        self._saved_changes = 0
        self._writes = 0
        self._disk_signature: tuple[int, int, int] | None = None
        # Two locks: `_io` lets one load/save run at a time (re-entrant, for a signal
        # handler that saves mid-save); `_mutex` guards memory and is never held during
        # file I/O, so a UI thread changing a position never waits for a slow save.
        self._io = threading.RLock()
        self._mutex = threading.RLock()
        self._lock_depth = 0

    # -- reading

    @property
    def dirty(self) -> bool:
        return self._changes != self._saved_changes

    @property
    def last_story(self) -> str | None:
        return self._doc.last_story

    @property
    def reading_pace(self) -> Pace:
        return self._doc.pace

    @property
    def prefs(self) -> dict[str, Any]:
        """Reader preferences (a copy; change them with `set_pref`)."""
        return dict(self._doc.prefs)

    def pref(self, name: str, default: Any = None) -> Any:
        return self._doc.prefs.get(name, default)

    def keys(self) -> list[str]:
        """Keys of every stored story."""
        return list(self._doc.stories)

    def get(self, key: str) -> StoryState | None:
        """The stored entry for `key`, or None (no relinking, nothing created)."""
        return self._doc.stories.get(key)

    def story(self, key: str, fingerprint: str | None = None) -> StoryState:
        """The state of the story at `key` (see `story_key`); always returns one.

        With a fingerprint, a story that was renamed or moved is recognised: an entry
        with the same fingerprint whose file no longer exists moves to `key`. A story
        with no entry gets a fresh, unsaved one that is stored on its first change.
        """
        with self._mutex:
            entry = self.find(key, fingerprint)
            if entry is not None:
                return entry
            entry = self._pending.get(key)
            if entry is None:
                entry = self._pending[key] = StoryState()
            if fingerprint:
                entry.fingerprint = fingerprint
            return entry

    def find(self, key: str, fingerprint: str | None = None) -> StoryState | None:
        """The stored entry for `key`, following a rename or move by fingerprint as
        `story` does, or None. Makes no fresh entry: for listing a whole library."""
        with self._mutex:
            entry = self._doc.stories.get(key)
            if entry is not None:
                if fingerprint and entry.fingerprint != fingerprint:
                    # Changed in place (a WIP got a chapter). Not a reading change, so
                    # `updated` stays: it must not outrank another session's position.
                    entry.fingerprint = fingerprint
                    self._by_fingerprint = None
                    self._changed()
                return entry
            if fingerprint:
                old_key = self._moved_from(key, fingerprint)
                if old_key is not None:
                    return self._relink(old_key, key)
            return None

    def read_status(self, key: str) -> ReadStatus:
        entry = self._doc.stories.get(key)
        if entry is None:
            return "unread"
        if entry.finished:
            return "finished"
        if entry.last_opened or entry.position.paragraph or entry.position.offset:
            return "reading"
        return "unread"

    def progress(self, key: str, paragraphs_total: int | None = None) -> float:
        """How far through the story, 0–1, by paragraphs; 1 once finished.

        Without a total (the story list has only metadata) the paragraph count saved
        by `mark_opened` is used.
        """
        entry = self._doc.stories.get(key)
        if entry is None:
            return 0.0
        if entry.finished:
            return 1.0
        if not paragraphs_total or paragraphs_total < 0:
            paragraphs_total = entry.paragraphs
        if not paragraphs_total:
            return 0.0
        return min(1.0, entry.position.paragraph / paragraphs_total)

    def words_per_minute(self, default: float) -> float:
        """The learnt reading pace once there are enough samples, else `default`."""
        pace = self._doc.pace
        return pace.words_per_minute if pace.samples >= PACE_MIN_SAMPLES else default

    def take_notices(self) -> list[str]:
        """Return the notices not yet shown and forget them."""
        notices, self.notices = self.notices, []
        return notices

    # -- changing

    def set_position(self, key: str, paragraph: int, offset: int) -> None:
        with self._mutex:
            entry = self._entry_for_change(key)
            position = Position(max(0, paragraph), max(0, offset))
            if entry.position != position:
                entry.position = position
                self._touch(entry)

    def mark_opened(
        self, key: str, words: int | None = None, paragraphs: int | None = None
    ) -> None:
        """Record that the story was opened now; it becomes the last story.

        `words` and `paragraphs` are its length as loaded: kept so the list can show
        progress and notice a story that grew, without loading it.
        """
        with self._mutex:
            entry = self._entry_for_change(key)
            entry.last_opened = _now_iso()
            if words is not None:
                entry.words = words
            if paragraphs is not None:
                entry.paragraphs = paragraphs
            self._touch(entry)
            self._doc.last_story = key
            self._doc.last_story_updated = _stamp()

    def set_finished(self, key: str, finished: bool = True) -> None:
        with self._mutex:
            entry = self._entry_for_change(key)
            if entry.finished != finished:
                entry.finished = finished
                self._touch(entry, "flags_updated")

    def set_favourite(self, key: str, favourite: bool) -> None:
        with self._mutex:
            entry = self._entry_for_change(key)
            if entry.favourite != favourite:
                entry.favourite = favourite
                self._touch(entry, "flags_updated")

    def toggle_favourite(self, key: str) -> bool:
        """Flip the favourite flag; returns the new value."""
        with self._mutex:
            favourite = not self.story(key).favourite
            self.set_favourite(key, favourite)
            return favourite

    def add_bookmark(self, key: str, paragraph: int, offset: int, name: str = "") -> Bookmark:
        with self._mutex:
            entry = self._entry_for_change(key)
            bookmark = Bookmark(
                os.urandom(6).hex(),  # a bookmark id
                max(0, paragraph),
                max(0, offset),
                clean_line(name),
                _now_iso(),
            )
            entry.bookmarks = _live_bookmarks([*entry.bookmarks, bookmark], set())
            self._touch(entry, "bookmarks_updated")
            return bookmark

    def remove_bookmark(self, key: str, bookmark_id: str) -> bool:
        """Delete a bookmark for good (merges will not bring it back)."""
        with self._mutex:
            entry = self._doc.stories.get(key)
            if entry is None or all(b.id != bookmark_id for b in entry.bookmarks):
                return False
            entry.bookmarks = [b for b in entry.bookmarks if b.id != bookmark_id]
            entry.deleted_bookmarks.add(bookmark_id)
            self._touch(entry, "bookmarks_updated")
            return True

    def record_pace(self, words_per_minute: float) -> None:
        """Fold one measured reading speed into the learnt pace.

        A plain mean for the first PACE_WINDOW samples, then a moving average, so the
        pace settles fast and still follows the reader if their habits change. The
        caller filters out idle gaps; here we only refuse impossible values.
        """
        if not 1 <= words_per_minute <= 5000:
            return
        with self._mutex:
            pace = self._doc.pace
            weight = min(pace.samples + 1, PACE_WINDOW)
            wpm = pace.words_per_minute + (words_per_minute - pace.words_per_minute) / weight
            self._doc.pace = Pace(wpm, pace.samples + 1, _stamp())
            self._changed()

    def set_pref(self, name: str, value: str | int | float | bool) -> None:
        with self._mutex:
            if self._doc.prefs.get(name) != value:
                self._doc.prefs[name] = value
                self._doc.prefs_updated[name] = _stamp()
                self._changed()

    def _changed(self) -> None:
        with self._mutex:
            self._changes += 1

    def _notice(self, message: str) -> None:
        if message not in self.notices:  # a failing save retries; say it once
            self.notices.append(message)

    def _fold_in(self, disk: _Doc) -> None:
        _merge(self._doc, disk)
        self._by_fingerprint = None
        for key in [k for k in self._pending if k in self._doc.stories]:
            del self._pending[key]

    def _entry_for_change(self, key: str) -> StoryState:
        entry = self._doc.stories.get(key)
        if entry is None:
            entry = self._pending.pop(key, None) or StoryState()
            self._doc.stories[key] = entry
            self._by_fingerprint = None
        return entry

    def _touch(self, entry: StoryState, stamp: str = "updated") -> None:
        setattr(entry, stamp, _stamp())
        self._changed()

    # -- renamed stories

    def _moved_from(self, key: str, fingerprint: str) -> str | None:
        if self._by_fingerprint is None:
            index: dict[str, list[str]] = {}
            for k, entry in self._doc.stories.items():
                if entry.fingerprint:
                    index.setdefault(entry.fingerprint, []).append(k)
            self._by_fingerprint = index
        candidates = [
            k
            for k in self._by_fingerprint.get(fingerprint, ())
            # A copy still at its old place is another story file: leave its entry be.
            if k != key and k in self._doc.stories and not os.path.lexists(k)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda k: _last_change(self._doc.stories[k]))

    def _relink(self, old_key: str, new_key: str) -> StoryState:
        entry = self._doc.stories.pop(old_key)
        self._doc.removed[old_key] = _stamp()
        self._doc.removed.pop(new_key, None)
        self._touch(entry)  # after the tombstone, so the moved entry outranks it
        self._doc.stories[new_key] = entry
        self._pending.pop(new_key, None)
        if self._doc.last_story == old_key:
            self._doc.last_story = new_key
            self._doc.last_story_updated = _stamp()
        self._by_fingerprint = None
        return entry

    # -- the file

    def load(self) -> None:
        """Read the file and fold it into memory (start-up, or to see other sessions)."""
        with self._io:
            if not self.path.exists():
                return
            with self._file_lock():
                try:
                    disk = self._read_disk(force=True)
                except _Unreadable:
                    return
                if disk is not None:
                    with self._mutex:
                        self._fold_in(disk)
                self._remove_stale_temp_files()

    def save(self) -> bool:
        """Merge with the file on disk and replace it atomically.

        Returns True when the state on disk is up to date. Safe to call often (a no-op
        when nothing changed), from a worker thread (the store's methods stay usable
        meanwhile: reading and parsing a big file holds no lock they need), and from a
        SIGHUP/SIGTERM handler, even one that fires during another save.
        """
        with self._io:
            if not self.dirty:
                return True
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self._notice(f"Could not save reading state: {error}")
                return False
            with self._file_lock():
                try:
                    disk = self._read_disk(force=False)
                except _Unreadable:
                    return False  # never overwrite a file we could not read
                try:
                    while True:
                        with self._mutex:
                            if disk is not None:
                                self._fold_in(disk)
                                disk = None
                            changes, writes = self._changes, self._writes
                            document = _dump(self._doc)
                        self._write_atomic(_encode(document))
                        if self._writes == writes + 1:
                            break
                        # A signal handler saved while we wrote, so our snapshot may be
                        # older than its file: write again from what we hold now.
                except OSError as error:
                    self._notice(
                        f"Could not save reading state to {self.path}: {error}; will try again"
                    )
                    return False
                with self._mutex:
                    self._saved_changes = max(self._saved_changes, changes)
                return True

    def _read_disk(self, force: bool) -> _Doc | None:
        """Parse the file; None when it is missing or unchanged since we last synced.

        A file that is not TOML is moved aside (with a notice) and counts as missing.
        """
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as error:
            self._notice(f"Could not read reading state {self.path}: {error}")
            raise _Unreadable from error
        signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if not force and signature == self._disk_signature:
            return None  # nothing new on disk: skip parsing a possibly large file
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            self._notice(f"Could not read reading state {self.path}: {error}")
            raise _Unreadable from error
        try:
            raw = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            self._set_aside(error)
            return None
        doc, odd = _parse(raw)
        if odd:
            self._notice(
                f"{odd} entr{'y' if odd == 1 else 'ies'} in the reading state had values "
                f"tuific could not read; the originals are kept under [unparsed] in "
                f"{self.path}."
            )
            # Rewrite soon, so the file holds the salvaged entries and the originals.
            self._changed()
        self._disk_signature = signature
        return doc

    def _set_aside(self, error: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else f"not TOML: {error}"
        try:
            os.replace(self.path, aside)
        except OSError as move_error:
            self._notice(
                f"The reading state {self.path} is damaged ({reason}) and could not be "
                f"moved aside ({move_error}); it was left alone and will not be saved over."
            )
            raise _Unreadable from move_error
        self._disk_signature = None
        self._changed()  # write a good file in its place
        self._notice(
            f"The reading state file was damaged ({reason}). It was kept as {aside}; "
            "tuific started from what it could keep."
        )

    def _write_atomic(self, data: bytes) -> None:
        fd, temp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._writes += 1
        stat = os.stat(self.path)
        self._disk_signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        # Make the rename itself durable; not every file system allows this.
        with contextlib.suppress(OSError):
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a crash mid-save; young ones may be another writer's."""
        cutoff = time.time() - 600
        for temp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Hold state.toml.lock across read-merge-write, so writers never interleave.

        Best effort: if the lock cannot be had within LOCK_TIMEOUT (a stopped process
        holding it) we save anyway; the write is still atomic, only a merge may be missed.
        """
        if self._lock_depth or fcntl is None:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        fd: int | None = None
        try:
            fd = os.open(
                self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600
            )
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        self._notice(
                            "Another tuific held the reading-state lock too long; saved anyway."
                        )
                        break
                    time.sleep(0.02)
        except OSError:
            pass  # no lock possible here (read-only folder, odd file system): go on
        self._lock_depth = 1
        try:
            yield
        finally:
            self._lock_depth = 0
            if fd is not None:
                os.close(fd)  # closing releases the flock
