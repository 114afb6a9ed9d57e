"""The library pane's scanning: listing a cached library, the first scan and the
periodic rescans (which give way to keys), following a renamed open story, and each
listed story's reading status (a mixin of LibraryPane). The filter, sort and status
line are in list_filter."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tuific import startup_tricks
from tuific.listing import Listing, ListItem
from tuific.model import Skipped, Stories, Story
from tuific.startup_tricks import release_free_memory
from tuific.ui.follow_open_story import FollowOpenStory
from tuific.ui.list_readings import ListReadings
from tuific.ui.scanned import Scanned, cache_stamps, scanned_of
from tuific.ui.threads import in_daemon_thread
from tuific.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.timer import Timer

    from tuific.cache import CachedStories, MetadataCache
    from tuific.library import Changes
    from tuific.query import Query
    from tuific.readahead import ReadAhead
    from tuific.scan_segments import Part


# The library (scan, cache, query language) is imported where it is first used, not
# above: the first page of a story reaches the screen sooner.

RESCAN_EVERY = 20.0  # seconds between cheap looks for added, changed or removed files
VERIFY_AFTER = 1.0  # seconds after a big cached list is shown before it is checked
VERIFY_LATER_ABOVE = 1000  # stories; a smaller library is checked at once
SCAN_BATCH_SECONDS = 0.3  # how often a running scan hands stories to the list
RESORT_SECONDS = 2.0  # how often a long first scan re-sorts what it has so far
KEYS_FIRST_SECONDS = 0.25  # a check against the disk waits this long after each key
LIST_DRAWN_WAIT = 0.5  # seconds the filter's columns wait for the cached list's frame


class LibraryControl(FollowOpenStory, ListReadings):
    """The pane's scanning half (a mixin of LibraryPane; its state is made there)."""

    listing: Listing
    skipped: list[Skipped]
    scanning: bool
    sort_name: str
    sort_reverse: bool
    _cache_ahead: ReadAhead | None
    _query: Query | None
    _scan_started: bool
    _reopened_last: bool
    _rescanning: bool
    _cache: MetadataCache | None
    _seen: dict
    _listed_stamps: Callable[[], dict] | None
    _rescan_timer: Timer | None
    _sorted_at: float
    _keys_until: float = 0.0  # see keys_pressed
    _selection_waits = 0.0  # since when the cursor waits for the check (_after_scan_selection)
    _reopen_waits = 0.0  # since when the story being read waits for the check to find it
    _first_scan_written: threading.Event | None = None  # see wait_for_first_scan
    if TYPE_CHECKING:  # LibraryPane's (a stub would shadow them)

        @property
        def recursive(self) -> bool: ...

        @property
        def current(self) -> ListItem | None: ...

        @property
        def open_path(self) -> Path | None: ...

        def _open_story_moved(self, old_path: str, path: str) -> None: ...

        def _open_story_rewritten(self, path: str) -> None: ...

        def _reopen(self, path: str) -> None: ...

        def _listing_changed(self) -> None: ...

    def start_scan(self) -> None:
        if not self._scan_started:
            self._scan_started = True
            # The scan makes a few hundred thousand long-lived objects; the cyclic
            # garbage collector would walk them all again and again (a fifth of a
            # warm start). Off while it runs; afterwards they are frozen out of it.
            startup_tricks.pause_gc()
            if not self._list_cached():
                self.update_status()  # "scanning…" until the first batch
                self._load_library()

    def _cache_file(self) -> Path:
        from tuific.paths import cache_file_for

        return cache_file_for(self.library, self.recursive)

    def _list_cached(self) -> bool:
        """List the library as the metadata cache last saw it, before the first frame,
        and check it against the disk in the background. False: no cache to list.

        On the UI thread, building nothing per story (see listing): the first frame
        shows the whole list instead of an empty one a worker fills while sharing the
        GIL. The cache's columns are checked after it, in the check's worker (~130 ms
        at 100,000 stories): the first screen reads the file's head (cache/head.py)."""
        from tuific.cache import MetadataCache

        cache = MetadataCache(self.library, self._cache_file(), read_ahead=self._cache_ahead)
        self._cache_ahead = None
        listed = cache.listed(verify=False)
        if listed is None:
            return False
        stories, failures = listed
        # Failing its check, on whichever thread reads past the head first (the UI
        # thread finding a returning reader's story, say), the list goes at once.
        stories.on_broken = lambda: self.call_later(self._cached_list_broken, stories)
        self._cache = cache
        self.skipped.extend(Skipped(path, reason) for path, _size, _mtime, reason in failures)
        self.listing.add(stories)
        # Each file's (size, mtime_ns), the rescan's base, made when first needed: by
        # the check below, or by a sort by date added.
        self._listed_stamps = lambda: cache_stamps(stories, failures)
        self._scan_finished(None, {}, verifying=True)
        # Started once the list is on screen: a first worker thread sets up the
        # executor (~1.5 ms the first frame does not need).
        self.call_after_refresh(self._verify_cached, stories, self.query_one(StoryList))
        return True

    @in_daemon_thread("tuific-verify")
    def _verify_cached(self, stories: CachedStories, story_list: StoryList) -> None:
        started, count = time.monotonic(), len(stories)
        # Once the list is drawn: folding columns would share the GIL with drawing it
        # (unless the list is not on screen, when this waits LIST_DRAWN_WAIT at most).
        while not story_list.drawn and time.monotonic() < started + LIST_DRAWN_WAIT:
            time.sleep(0.01)
        time.sleep(1 / 60)  # drawn, and now written to the terminal
        if not stories.verify(self._give_way_to_keys):
            return  # the list goes (on_broken)
        # What waited for the check (a series' notes, the cursor on the story being
        # read) follows.
        self.app.call_from_thread(self._listing_changed)
        if self._selection_waits:
            self.app.call_from_thread(self._selection_after_check, stories)
        # The query language, which the first filter keystroke would import (~3 ms
        # of that key's frame), is imported here while the list is being looked at,
        # and the filter's columns made.
        self._prepare_filter(stories)
        if count > VERIFY_LATER_ABOVE:
            # Stat-ing thousands of files shares the GIL with the UI: let the
            # first keystrokes in the freshly shown list go first.
            time.sleep(max(0.0, started + VERIFY_AFTER - time.monotonic()))
        # What start-up freed (reading and parsing a story opened first, say) goes
        # back to the system here, off the UI thread (ctypes lets go of the GIL,
        # but importing it takes a few ms of it: after the first frames, too).
        release_free_memory()
        assert self._listed_stamps is not None
        self._rescan_and_apply(self._listed_stamps())

    def _selection_after_check(self, stories: CachedStories) -> None:
        since, self._selection_waits = self._selection_waits, 0.0
        if self.listing.stories is not stories or self.scanning:
            return
        typed = self._keys_until - KEYS_FIRST_SECONDS > since
        if typed and self.current is None:
            return  # the reader took the list meanwhile: no story opens under their keys
        self._after_scan_selection()

    def _cached_list_broken(self, stories: CachedStories) -> None:
        """The cache file listed at start failed its checks (tampered, or damaged on
        disk): its list goes, and the library is scanned as on a first start."""
        if self.listing.stories is not stories:
            return  # listed from elsewhere meanwhile
        from tuific.model import Stories

        self.scanning, self._rescanning = True, False
        self._seen, self._listed_stamps, self._cache = {}, None, None
        self._reopen_waits = 0.0
        self.skipped.clear()
        self.listing.relist(Stories())
        self.refilter(force=True)
        self.update_status()
        self._load_library()

    # -- library --------------------------------------------------------------

    # Not Textual workers (see tuific.ui.threads): a scan reaching a hostile file
    # must not hold `q` for the seconds its parse takes.
    @in_daemon_thread("tuific-scan")
    def _load_library(self) -> None:
        # The first scan of a library: the UI takes stories in a few batches a
        # second (each batch re-sorts and re-lays out the list). The batches are
        # the workers' cache columns, read as a warm start reads the cache: no
        # Story, list item or query entry is made per file here (tuific.scan_segments).
        from tuific.cache import MetadataCache
        from tuific.scan_segments import first_scan

        startup_tricks.keep_big_blocks_mapped()  # the segments' memory goes back
        file = self._cache_file()
        # The file the scan writes, read when a rescan first needs it.
        self._cache = MetadataCache(self.library, file)
        batch: list[Part] = []
        seen: dict = {}
        flushed = time.monotonic()
        written = self._first_scan_written = threading.Event()
        try:
            with contextlib.closing(
                first_scan(self.library, file, seen, recursive=self.recursive)
            ) as parts:
                for part in parts:
                    if not self.app.is_running:
                        return  # quitting: the scan's cache is saved as the loop closes
                    if part.last:  # all listed; the loop's last turn writes the cache
                        scanned = scanned_of(batch)
                        self.app.call_from_thread(self._scan_finished, scanned, seen)
                        batch, seen = [], {}  # the pane's now, gone with the switch below
                        continue
                    batch.append(part)
                    if time.monotonic() - flushed > SCAN_BATCH_SECONDS:
                        self.app.call_from_thread(self._add_scanned, scanned_of(batch))
                        batch = []
                        flushed = time.monotonic()
        finally:
            written.set()
        del batch, seen
        # The list switches to the saved cache's columns, as a warm start lists them.
        fresh = MetadataCache(self.library, file)
        listed = fresh.listed()
        if self.app.is_running:
            self.app.call_from_thread(self._after_first_scan, listed, fresh)
            if listed is not None:
                self._prepare_filter(listed[0])

    def wait_for_first_scan(self, timeout: float) -> bool:
        """Quitting: wait (at most `timeout` seconds) for a first scan's cache file,
        which is written after the list is complete (~1.5 s at 100,000 stories) or
        from what is parsed when the scan stops early. The thread writing it is a
        daemon's, and the process leaving would lose the whole scan. False: not
        written in time."""
        written = self._first_scan_written
        return written is None or written.wait(timeout)

    def _prepare_filter(self, stories: CachedStories) -> None:
        """In a worker: fold the columns a filter reads a piece at a time now, not at
        the first keystrokes (~0.3 s of them for 100,000 stories), letting keys go
        first; unless the list holds other stories by now."""
        from tuific.query import PREPARED_COLUMNS

        entries = self.listing.entries
        if entries is not None and self.listing.stories is stories:
            give_way = self._give_way_to_keys
            entries.prepare(PREPARED_COLUMNS[:1], give_way)  # the plain words' first
            entries.prepare_letters(give_way)
            entries.prepare(PREPARED_COLUMNS[1:], give_way)

    def _after_first_scan(
        self,
        listed: tuple[CachedStories, list[tuple[str, int, int, str]]] | None,
        cache: MetadataCache,
    ) -> None:
        """The list switches to the saved cache's columns, and the memory the scan's
        objects took goes back to the system."""
        switched = listed is not None and self._relist_from_cache(*listed, cache)
        if not switched:  # (the switch frees the scan's cycles itself, once)
            startup_tricks.free_cycles()
        startup_tricks.settle_gc()
        self._give_back_memory()

    def _relist_from_cache(
        self,
        stories: CachedStories,
        failures: list[tuple[str, int, int, str]],
        cache: MetadataCache,
    ) -> bool:
        """After a first scan: the same stories, from the saved cache's columns. The
        Story objects go, and the memory with them (measured at 100,000 stories: a
        plain process holding them took 454 MiB, 80 MiB once they went and 207 MiB
        with the columns listed); the open story's list item stays as it is.

        Python gives back only whole arenas (1 MiB) of small objects, so what the
        list keeps is made after the Story objects have gone, not amid them: the
        columns' values, the paths' index, the stamps the periodic rescan compares
        with (`_seen`; the scan's own, one key and stamp per file, goes). Textual's
        objects of the frames drawn during the scan still keep most of its arenas
        (README, "Large libraries"). False: not switched."""
        if self.scanning or self._rescanning or len(stories) != len(self.listing):
            return False  # a rescan has begun, or the cache lacks a story (not storable)
        scanned = set(self.listing.stories.values("path"))  # checked once they have gone
        keep = self._highlighted_path()
        item = self.current
        # Files the cache does not hold (empty ones, say): the scan's stamps.
        unlisted = {s.path: self._seen[s.path] for s in self.skipped if s.path in self._seen}
        self._seen = {}  # one key per file, made amid the scan's objects
        self._cache = cache  # the scan's cache holds a copy of each Story
        self.listing.relist(stories, [item] if item is not None else [])  # they go here
        startup_tricks.free_cycles()
        paths = stories.values("path")
        if not scanned.issuperset(paths):
            # Not the scan's stories after all (a file changed between the scan's
            # save and this read?): checked against the disk as a warm start is.
            self._listed_stamps = lambda: cache_stamps(stories, failures)
            self._rescanning = True
            self._verify_cached(stories, self.query_one(StoryList))
        else:
            seen = cache_stamps(stories, failures)
            seen.update((path, stamp) for path, stamp in unlisted.items() if path not in seen)
            self._seen = seen
        del scanned
        self._sort()
        self.refilter(force=True, keep=None if keep is None else self.listing.index(keep))
        return True

    @in_daemon_thread("tuific-trim")
    def _give_back_memory(self) -> None:
        release_free_memory()  # off the UI thread: it takes a few ms at 100,000 stories

    def _prepare(self, found: list[Story | Skipped]) -> Scanned:
        """List items and query entries for scanned stories, all at once (folding a
        whole batch's text in one go is several times faster than story by story)."""
        from tuific.query import make_entries

        stories = Stories(story for story in found if not isinstance(story, Skipped))
        items = list(map(self.list_item, stories))
        entries = make_entries(
            stories, [item.read for item in items], [item.favourite for item in items]
        )
        skipped = [skip for skip in found if isinstance(skip, Skipped)]
        return Scanned(stories, items, entries.made(), skipped)

    def _scan_finished(self, batch: Scanned | None, seen: dict, verifying: bool = False) -> None:
        self._seen = seen  # before `scanning` goes False, so a rescan has a base
        self._rescanning = verifying  # the cached list is being checked against the disk
        self._add_scanned(batch, True)
        if batch is None:  # a first scan's end settles it (_after_first_scan)
            # Once the listed library is drawn: collections while the first frame is
            # laid out and drawn found nothing to free (~1 ms at 10,000 stories).
            self.call_after_refresh(startup_tricks.settle_gc)
        if self._rescan_timer is None:
            self._rescan_timer = self.set_interval(RESCAN_EVERY, self._look_for_changes)

    def _look_for_changes(self) -> bool:
        """Start a rescan unless a scan or rescan is already under way."""
        if self.scanning or self._rescanning:
            return False
        self._rescanning = True
        self._rescan_library(dict(self._seen))
        return True

    @in_daemon_thread("tuific-rescan")
    def _rescan_library(self, previous: dict) -> None:
        self._rescan_and_apply(previous)

    def keys_pressed(self) -> None:
        """The user is typing or moving: a check against the disk gives way a while."""
        self._keys_until = time.monotonic() + KEYS_FIRST_SECONDS

    def _give_way_to_keys(self) -> None:
        # In the check's thread, between two files: stat-ing thousands of files holds
        # the GIL in turns with the UI thread (5 ms each, Python's switch interval),
        # so the check waits while keys come. (Handing the GIL over at every file as
        # well, with sleep(0), showed no clear gain: 19.6–21.3 ms with it, 20.6 without.)
        while (wait := self._keys_until - time.monotonic()) > 0:
            time.sleep(min(wait, KEYS_FIRST_SECONDS))

    def _rescan_and_apply(self, previous: dict) -> None:
        """In a scan worker: what changed since the scan that saw `previous`, handed
        to the UI thread."""
        from tuific.library import rescan

        try:
            changes = rescan(
                self.library,
                previous,
                self._cache,
                recursive=self.recursive,
                give_way=self._give_way_to_keys,
            )
        except Exception:
            self.app.call_from_thread(self._rescan_failed)
            raise
        self.app.call_from_thread(self._apply_changes, changes)

    def _rescan_failed(self) -> None:
        """The check failed: the story being read had its one chance (a later check
        must not open it under the reader's keys, minutes on)."""
        self._rescanning = False
        if self._reopen_waits:
            self._reopen_waits, self._reopened_last = 0.0, True

    def _apply_changes(self, changes: Changes) -> None:
        """Files added, changed or removed while the app runs show up in the list."""
        self._rescanning = False
        self._seen = changes.seen
        waited, self._reopen_waits = self._reopen_waits, 0.0
        if waited and self._keys_until - KEYS_FIRST_SECONDS > waited:
            self._reopened_last = True  # the reader took the list meanwhile: nothing opens
        try:
            self._apply_found(changes)
        finally:
            if waited:  # the story being read had this one chance to be found
                self._reopened_last = True

    def _apply_found(self, changes: Changes) -> None:
        if not changes:
            self.update_status()
            return
        self._follow_open_story(changes)
        reread = self._open_story_changed(changes)
        keep = self._highlighted_path()
        gone = set(changes.removed)
        gone.update(story.path for story in changes.changed)
        gone.update(skipped.path for skipped in changes.skipped)
        if gone:
            self.listing.remove(gone)
            self.skipped = [s for s in self.skipped if s.path not in gone]
        found: list[Story | Skipped] = [*changes.changed, *changes.added, *changes.skipped]
        self._add_scanned(self._prepare(found), done=True, keep=keep)
        self._listing_changed()
        if reread:
            self._open_story_rewritten(reread)

    def _add_scanned(
        self, batch: Scanned | None, done: bool = False, keep: str | None = None
    ) -> None:
        """List a batch (None: nothing more than what is listed); `keep`: the path of
        the story to keep the cursor on, when the list held stories before."""
        if keep is None:
            keep = self._highlighted_path()
        if batch is not None:
            self.skipped.extend(batch.skipped)
            current = self.current
            items: list[ListItem | None] | None = list(batch.items) if batch.items else None
            if current is not None and current.story.path in batch.stories.values("path"):
                # Opened before the scan reached it: one item, not two.
                index = batch.stories.values("path").index(current.story.path)
                if items is None:
                    items = [None] * len(batch.stories)
                items[index] = current
                if isinstance(batch.stories, Stories):
                    batch.stories[index] = current.story
            self.listing.add(batch.stories, batch.entries, items)
        if done:
            self.scanning = False
        # Sorting ten thousand stories per batch would slow the scan; while it
        # runs, re-sort at most a few times a second and append in between.
        now = time.monotonic()
        if done or now - self._sorted_at > RESORT_SECONDS:
            self._sort()
        else:
            self.listing.append_unsorted()
        self.refilter(force=True, keep=None if keep is None else self.listing.index(keep))
        if done:
            self._after_scan_selection()

    def select_story(self, path: str) -> bool:
        """Put the list cursor on the story at `path`, if it is listed and shown."""
        return self.query_one(StoryList).select_index(self.listing.index(path))

    def _highlighted_path(self) -> str | None:
        item = self.query_one(StoryList).current if len(self.listing) else None
        return None if item is None else item.value("path")

    def _after_scan_selection(self) -> None:
        """Put the list cursor on the open story; on a plain start, reopen the story
        the reader was in the middle of, where they left it, as an e-reader does."""
        story_list = self.query_one(StoryList)
        current = self.current
        if current is not None:
            path = current.story.path
        elif self.open_path is None and self.state.last_story:
            path = self.state.last_story
        else:
            return
        if not self.listing.findable_now(path):
            # Past a cached list's first screen: the check's worker comes back here
            # once it is done, instead of this thread checking the list before the
            # first frame (_verify_cached).
            self._selection_waits = time.monotonic()
            return
        if not self.select_story(path) or current is not None:
            return
        item = story_list.current
        if item is not None and item.read == "reading" and not self._reopened_last:
            if self._rescanning and not os.path.exists(path):
                # Listed from the cache, and gone from the disk since: renamed or moved
                # while tuific was not running. The check under way finds it, and its
                # reading state and `last_story` follow it as it is listed; it reopens
                # there then (_apply_changes), instead of failing to open here.
                self._reopen_waits = time.monotonic()
                return
            self._reopened_last = True
            self._reopen(item.story.path)
