"""The store: the reading state in memory and the API the app changes it through.
Its files (main file and shards, lock, merge, atomic replace) are `files`'s."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from tuific import paths
from tuific.text import clean_line

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
from .schema import _live_bookmarks


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
        self._init_files()
        # Two locks: `_io` lets one load/save run at a time (re-entrant, for a signal
        # handler that saves mid-save); `_mutex` guards memory and is never held during
        # file I/O, so a UI thread changing a position never waits for a slow save.
        self._io = threading.RLock()
        self._mutex = threading.RLock()

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
        self, key: str, fingerprint: str | None = None, wait: bool = True
    ) -> StoryState | None:
        """The stored entry for `key`, following a rename or move by fingerprint as
        `story` does, or None. Makes no fresh entry: for listing a whole library.

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
            return None

    def _prepare_lookup(self, key: str, fingerprint: str | None, wait: bool) -> None:
        """Read what a lookup needs, before taking `_mutex` (see `_ensure`)."""
        self._ensure(key)
        if fingerprint and key not in self._doc.stories:
            if wait:
                self._load_index()
            self._load_candidates(fingerprint)  # none while there is no index

    def read_status(self, key: str) -> ReadStatus:
        self._ensure(key)
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
        self._ensure(key)
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
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            position = Position(max(0, paragraph), max(0, offset))
            if entry.position != position:
                entry.position = position
                self._touch(key, entry)

    def mark_opened(
        self, key: str, words: int | None = None, paragraphs: int | None = None
    ) -> None:
        """Record that the story was opened now; it becomes the last story.

        `words` and `paragraphs` are its length as loaded: kept so the list can show
        progress and notice a story that grew, without loading it.
        """
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            entry.last_opened = _now_iso()
            if words is not None:
                entry.words = words
            if paragraphs is not None:
                entry.paragraphs = paragraphs
            self._touch(key, entry)
            self._doc.last_story = key
            self._doc.last_story_updated = _stamp()
            self._changed()

    def set_finished(self, key: str, finished: bool = True) -> None:
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            if entry.finished != finished:
                entry.finished = finished
                self._touch(key, entry, "flags_updated")

    def set_favourite(self, key: str, favourite: bool) -> None:
        self._ensure(key)
        with self._mutex:
            entry = self._entry_for_change(key)
            if entry.favourite != favourite:
                entry.favourite = favourite
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
            and stories[k].fingerprint == fingerprint  # the index may be stale
            and not os.path.lexists(k)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda k: _last_change(stories[k]))

    def _note_fingerprint(self, key: str, fingerprint: str) -> None:
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
