"""The store: the reading state in memory and the API the app changes it through.
Its files (main file and shards, lock, merge, atomic replace) are `files`'s."""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tuific import paths
from tuific.text import clean_line

from . import status
from .fallback import read_fallbacks, remove_fallbacks, write_fallback
from .files import StateFiles
from .merge import _last_change
from .records import (
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


class StateStore(StateFiles):
    """The reading state of every story, backed by a main TOML file and shards.

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
        # The rename index (fingerprint -> keys, see `_load_index`), and stories looked
        # up by fingerprint before it was made: checked for a rename once it is.
        self._unfollowed: set[tuple[str, str]] = set()
        self._works = False  # some entry has a source URL (set with the index)
        self._init_files()
        # Two locks: `_io` lets one load/save run at a time (re-entrant, for a signal
        # handler that saves mid-save); `_mutex` guards memory and is never held during
        # file I/O, so a UI thread changing a position never waits for a slow save.
        self._io = threading.RLock()
        self._mutex = threading.RLock()
        self._fallbacks: list[Path] = []  # merged at load; removed once saved

    # -- no silent loss (see .fallback)

    def load(self) -> None:
        """As StateFiles.load, with whatever an earlier session could only keep in a
        fallback file merged in (and saved at the next save)."""
        super().load()
        for path, data in read_fallbacks(self.path):
            try:
                doc, _odd = _parse(tomllib.loads(data.decode("utf-8")))
            except Exception:  # half-written or damaged: nothing to merge
                continue
            with self._mutex:
                self._fold_main(doc)  # as a single-file state: its stories join shards
            self._changed()  # its preferences, pace and last story: the main file
            self._fallbacks.append(path)

    def save(self) -> bool:
        saved = super().save()
        if saved and self._fallbacks:
            remove_fallbacks(self._fallbacks)
            self._fallbacks = []
        return saved

    def save_or_keep(self) -> str | None:
        """The last save, at exit. None when it is on disk; else (a full disk, a
        read-only folder) the state goes to a fallback file the next start merges,
        and the message says why and where, for the terminal once the app is gone."""
        if self.save():
            return None
        with self._mutex:
            data = _encode(_dump(self._doc))
        kept = write_fallback(self.path, data)
        reasons = "; ".join(self.take_notices()) or "could not save the reading state"
        if kept is None:
            return f"{reasons}. The reading place of this session is lost."
        return f"{reasons}. This session's reading place is kept in {kept} until the next start."

    # -- reading

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
        """Keys of every stored story (reads every shard)."""
        self._load_all()
        return list(self._doc.stories)

    def get(self, key: str) -> StoryState | None:
        """The stored entry for `key`, or None (no relinking, nothing created)."""
        self._ensure(key)
        return self._doc.stories.get(key)

    def story(self, key: str, fingerprint: str | None = None) -> StoryState:
        """The state of the story at `key` (see `story_key`); always returns one.

        With a fingerprint, a story that was renamed or moved is recognised: an entry
        with the same fingerprint whose file no longer exists moves to `key`. A story
        with no entry gets a fresh, unsaved one that is stored on its first change.
        """
        self._prepare_lookup(key, fingerprint, wait=True)
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
        *,
        wait: bool = True,
        work: Callable[[], str | None] | None = None,
    ) -> StoryState | None:
        """The stored entry for `key`, following a rename or move by fingerprint as
        `story` does, or None. Makes no fresh entry: for listing a whole library.
        `work()`, the source URL (`status.work_id`), is asked only when the fingerprint
        finds nothing: it follows a story renamed *and* changed (a retitling update).

        Following a rename needs the index of the whole history's fingerprints.
        `wait=False` (a list drawing its first frame) does not wait for it: an
        unknown key is then answered None, and `preload`'s `on_done` says when a
        later lookup would find more."""
        self._prepare_lookup(key, fingerprint, wait)
        with self._mutex:
            entry = self._doc.stories.get(key)
            if entry is not None:
                if fingerprint and entry.fingerprint != fingerprint:
                    # Changed in place (a WIP got a chapter). Not a reading change, so
                    # `updated` stays: it must not outrank another session's position.
                    entry.fingerprint = fingerprint
                    self._note_fingerprint(key, fingerprint)
                    self._mark(key)
                return entry
            if fingerprint:
                if self._by_fingerprint is None:
                    self._unfollowed.add((key, fingerprint))
                    return None
                old_key = self._moved_from(key, fingerprint)
                if old_key is not None:
                    return self._relink(old_key, key)
        return self._find_work(key, work)

    def _find_work(self, key: str, work: Callable[[], str | None] | None) -> StoryState | None:
        """The entry of the same work (by source URL) at a path that is gone, moved."""
        if work is None or self._by_fingerprint is None or not self._works:
            return None
        source = work()
        if not source:
            return None
        self._load_candidates("work:" + source)
        with self._mutex:
            if key in self._doc.stories:
                return self._doc.stories[key]
            old_key = self._moved_from(key, "work:" + source)
            return None if old_key is None else self._relink(old_key, key)

    def _prepare_lookup(self, key: str, fingerprint: str | None, wait: bool) -> None:
        """Read what a lookup needs, before taking `_mutex` (see `_ensure`)."""
        self._ensure(key)
        if fingerprint and key not in self._doc.stories:
            if wait:
                self._load_index()
            self._load_candidates(fingerprint)  # none while there is no index

    def read_status(
        self, key: str, words: int | None = None, chapters: int | None = None
    ) -> ReadStatus:
        """See `status.read_status`; pass the story's length now to see it grew."""
        self._ensure(key)
        return status.read_status(self._doc.stories.get(key), words, chapters)

    def progress(
        self,
        key: str,
        paragraphs_total: int | None = None,
        words: int | None = None,
        chapters: int | None = None,
    ) -> float:
        """How far through the story, 0–1 (see `status.progress`)."""
        self._ensure(key)
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

    def set_position(
        self, key: str, paragraph: int, offset: int, progress: float | None = None
    ) -> None:
        """The reading place; `progress` (0-1) is the reader's own measure of it,
        which the list shows until the story is opened again (None: not known, the
        list counts paragraphs)."""
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            position = Position(max(0, paragraph), max(0, offset))
            if progress is not None:
                progress = round(min(1.0, max(0.0, progress)), 3)
            if entry.position != position or entry.progress != progress:
                entry.position = position
                entry.progress = progress
                self._touch(key, entry)

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
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            entry.last_opened = _now_iso()
            if words is not None:
                entry.words = words
            if paragraphs is not None:
                entry.paragraphs = paragraphs
            if chapters is not None:
                entry.chapters = chapters
            self._note_work(key, entry, work)
            if entry.shelf == "later":
                entry.shelf = None
                entry.flags_updated = _stamp()
            self._touch(key, entry)
            self._doc.last_story = key
            self._doc.last_story_updated = _stamp()
            self._changed()

    def note_work(self, key: str, work: str | None) -> None:
        """Record the story's source URL (`status.work_id`) in its entry, if it has
        one: a story marked (finished, favourite, a shelf) without being opened is
        followed after a rename and a change as one opened is (see `find`)."""
        self._ensure(key)
        with self._mutex:
            entry = self._doc.stories.get(key)
            if entry is not None and self._note_work(key, entry, work):
                self._mark(key)

    def _note_work(self, key: str, entry: StoryState, work: str | None) -> bool:
        if work is None or entry.work == work:
            return False
        entry.work = work
        self._works = True
        self._note_fingerprint(key, "work:" + work)
        return True

    def set_finished(
        self, key: str, finished: bool = True, length: tuple[int, int] | None = None
    ) -> None:
        """Mark it finished or not; `length` (words, chapters): as long as it is now
        (a story marked finished after it grew is not "updated" any more)."""
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            if entry.finished != finished:
                entry.finished = finished
                self._touch(key, entry, "flags_updated")
            if length is not None and (entry.words, entry.chapters) != length:
                entry.words, entry.chapters = length
                self._touch(key, entry)

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
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            if getattr(entry, name) != value:
                setattr(entry, name, value)
                self._touch(key, entry, "flags_updated")

    def toggle_favourite(self, key: str) -> bool:
        """Flip the favourite flag; returns the new value."""
        self._ensure(key)
        with self._mutex:
            favourite = not self.story(key).favourite
            self.set_favourite(key, favourite)
            return favourite

    def add_bookmark(self, key: str, paragraph: int, offset: int, name: str = "") -> Bookmark:
        self._ensure(key)
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
            self._touch(key, entry, "bookmarks_updated")
            return bookmark

    def remove_bookmark(self, key: str, bookmark_id: str) -> bool:
        """Delete a bookmark for good (merges will not bring it back)."""
        self._ensure(key)
        with self._mutex:
            entry = self._doc.stories.get(key)
            if entry is None or all(b.id != bookmark_id for b in entry.bookmarks):
                return False
            entry.bookmarks = [b for b in entry.bookmarks if b.id != bookmark_id]
            entry.deleted_bookmarks.add(bookmark_id)
            self._touch(key, entry, "bookmarks_updated")
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

    def _entry_for_change(self, key: str) -> StoryState:
        entry = self._doc.stories.get(key)
        if entry is None:
            entry = self._pending.pop(key, None) or StoryState()
            self._doc.stories[key] = entry
            if entry.fingerprint:
                self._note_fingerprint(key, entry.fingerprint)
        return entry

    def _touch(self, key: str, entry: StoryState, stamp: str = "updated") -> None:
        setattr(entry, stamp, _stamp())
        self._mark(key)

    # -- renamed stories

    def _moved_from(self, key: str, fingerprint: str) -> str | None:
        if self._by_fingerprint is None:
            return None  # not made yet (see `find`)
        stories = self._doc.stories
        candidates = [
            k
            for k in self._by_fingerprint.get(fingerprint, ())
            # A copy still at its old place is another story file: leave its entry be.
            if k != key
            and k in stories
            and _indexed_as(stories[k], fingerprint)  # the index may be stale
            and not os.path.lexists(k)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda k: _last_change(stories[k]))

    def _note_fingerprint(self, key: str, fingerprint: str) -> None:
        """Add to the rename index: a fingerprint, or "work:" + a source URL."""
        if self._by_fingerprint is not None:
            self._by_fingerprint.setdefault(fingerprint, []).append(key)

    def _relink(self, old_key: str, new_key: str) -> StoryState:
        entry = self._doc.stories.pop(old_key)
        self._doc.removed[old_key] = _stamp()
        self._mark(old_key)
        self._doc.removed.pop(new_key, None)
        self._touch(new_key, entry)  # after the tombstone, so the moved entry outranks it
        self._doc.stories[new_key] = entry
        self._note_fingerprint(new_key, entry.fingerprint or "")
        self._pending.pop(new_key, None)
        if self._doc.last_story == old_key:
            self._doc.last_story = new_key
            self._doc.last_story_updated = _stamp()
            self._changed()
        return entry


def _indexed_as(entry: StoryState, index_key: str) -> bool:
    """Whether the entry still has the fingerprint (or "work:" source URL) it was
    indexed under."""
    if index_key.startswith("work:"):
        return entry.work == index_key[5:]
    return entry.fingerprint == index_key
