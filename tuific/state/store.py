"""The store: one writer of the state file, with a lock, atomic replace, merge with
other instances' saves, and a damaged file kept aside."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tuific import paths
from tuific.text import clean_line

from . import status
from .disk import remove_stale_temp_files, write_atomic
from .merge import _last_change, _merge
from .records import (
    LOCK_TIMEOUT,
    PACE_MIN_SAMPLES,
    PACE_WINDOW,
    Bookmark,
    Pace,
    Position,
    ReadStatus,
    StoryState,
    _Doc,
    _now_iso,
    _stamp,
)
from .schema import _dump, _encode, _live_bookmarks, _parse

try:  # flock is POSIX-only; elsewhere two writers can race, but writes stay atomic.
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms we test
    fcntl = None  # type: ignore[assignment]

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
        self._works = False  # some entry has a source URL (set with the index)
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

    def find(
        self,
        key: str,
        fingerprint: str | None = None,
        work: Callable[[], str | None] | None = None,
    ) -> StoryState | None:
        """The stored entry for `key`, following a rename or move by fingerprint as
        `story` does, or None. Makes no fresh entry: for listing a whole library.
        `work()`, the source URL (`status.work_id`), is asked only when the fingerprint
        finds nothing: it follows a story renamed *and* changed (a retitling update)."""
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
            old_key = self._moved_from(key, fingerprint) if fingerprint else None
            if old_key is None and work is not None and (self._index() and self._works):
                source = work()
                old_key = self._moved_from(key, "work:" + source) if source else None
            return None if old_key is None else self._relink(old_key, key)

    def read_status(
        self, key: str, words: int | None = None, chapters: int | None = None
    ) -> ReadStatus:
        """See `status.read_status`; pass the story's length now to see it grew."""
        return status.read_status(self._doc.stories.get(key), words, chapters)

    def progress(
        self,
        key: str,
        paragraphs_total: int | None = None,
        words: int | None = None,
        chapters: int | None = None,
    ) -> float:
        """How far through the story, 0–1 (see `status.progress`)."""
        return status.progress(self._doc.stories.get(key), paragraphs_total, words, chapters)

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
        self,
        key: str,
        words: int | None = None,
        paragraphs: int | None = None,
        chapters: int | None = None,
        work: str | None = None,
    ) -> None:
        """Record that the story was opened now; it becomes the last story.

        `words`, `paragraphs` and `chapters` are its length as loaded: kept so the
        list can show progress and notice a story that grew, without loading it.
        Opening a story set aside for later takes it off that shelf.
        """
        with self._mutex:
            entry = self._entry_for_change(key)
            entry.last_opened = _now_iso()
            if words is not None:
                entry.words = words
            if paragraphs is not None:
                entry.paragraphs = paragraphs
            if chapters is not None:
                entry.chapters = chapters
            if work is not None and entry.work != work:
                entry.work, self._by_fingerprint = work, None
            if entry.shelf == "later":
                entry.shelf = None
                entry.flags_updated = _stamp()
            self._touch(entry)
            self._doc.last_story = key
            self._doc.last_story_updated = _stamp()

    def set_finished(
        self, key: str, finished: bool = True, length: tuple[int, int] | None = None
    ) -> None:
        """Mark it finished or not; `length` (words, chapters): as long as it is now
        (a story marked finished after it grew is not "updated" any more)."""
        with self._mutex:
            entry = self._entry_for_change(key)
            if entry.finished != finished:
                entry.finished = finished
                self._touch(entry, "flags_updated")
            if length is not None and (entry.words, entry.chapters) != length:
                entry.words, entry.chapters = length
                self._touch(entry)

    def set_shelf(self, key: str, shelf: str | None) -> None:
        """Set a story aside ("later", "dropped") or take it back (None)."""
        if shelf is not None and shelf not in status.SHELVES:
            raise ValueError(f"shelf must be one of {status.SHELVES} or None, not {shelf!r}")
        self._set_flag(key, "shelf", shelf)

    def set_favourite(self, key: str, favourite: bool) -> None:
        self._set_flag(key, "favourite", favourite)

    def set_notes_open(self, key: str, notes_open: bool) -> None:
        """Show this story's author's notes in full (True) or folded."""
        self._set_flag(key, "notes_open", notes_open)

    def _set_flag(self, key: str, name: str, value: object) -> None:
        """Change one of the fields merged with flags_updated."""
        with self._mutex:
            entry = self._entry_for_change(key)
            if getattr(entry, name) != value:
                setattr(entry, name, value)
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

    def _index(self) -> dict[str, list[str]]:
        """Keys by fingerprint, and by "work:" + source URL (fingerprints are hex)."""
        if self._by_fingerprint is None:
            index: dict[str, list[str]] = {}
            for k, entry in self._doc.stories.items():
                if entry.fingerprint:
                    index.setdefault(entry.fingerprint, []).append(k)
                if entry.work:
                    index.setdefault("work:" + entry.work, []).append(k)
            self._by_fingerprint = index
            self._works = any(entry.work for entry in self._doc.stories.values())
        return self._by_fingerprint

    def _moved_from(self, key: str, fingerprint: str) -> str | None:
        candidates = [
            k
            for k in self._index().get(fingerprint, ())
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
                remove_stale_temp_files(self.path)

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
        stat = write_atomic(self.path, data)
        self._writes += 1
        self._disk_signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)

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
