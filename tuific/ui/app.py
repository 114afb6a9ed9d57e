"""The Textual app: story list, reader and metadata panel around a library."""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from tuific.config import Config
from tuific.describe import format_duration
from tuific.formats import StoryError, read_file_bytes, story_from_bytes, story_prefix
from tuific.listing import Listing, ListItem, Reading
from tuific.memory import release_free_memory
from tuific.model import Skipped, Stories, Story
from tuific.pace import PageTimer
from tuific.resources import styles_dir
from tuific.sorting import SORT_LABELS, SORT_NAMES, SortInfo
from tuific.state import FINGERPRINT_HEAD, Bookmark, StateStore, story_key
from tuific.state import fingerprint as content_fingerprint
from tuific.text import clean_line, display_path
from tuific.ui.panes import MEDIUM, visible_panes
from tuific.ui.widgets.key_hints import KeyHints
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.reader import Reader, ReaderPlace
from tuific.ui.widgets.story_list import StoryList, header_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from tuific.cache import CachedStories, MetadataCache
    from tuific.library import Changes
    from tuific.query import Entries, Query
    from tuific.readahead import ReadAhead
    from tuific.search import StorySearch


def cache_stamps(stories: CachedStories, failures: list[tuple[str, int, int, str]]) -> dict:
    """The (size, mtime_ns) of every file a cache listed, as a scan records them."""
    stamps = stories.stamps()
    stamps.update((path, (size, mtime)) for path, size, mtime, _reason in failures)
    return stamps


class Scanned(NamedTuple):
    """What the scan worker hands the UI: stories with their list items and query
    entries made (off the UI thread), and the files it skipped."""

    stories: Stories
    items: list[ListItem]
    entries: Entries | None
    skipped: list[Skipped]


# The library (scan, cache, query language) and the dialogs are imported where they
# are first used, not above: the first page of a story reaches the screen sooner.

SAVE_DELAY = 1.5  # seconds the reading place must settle before it is written
RESCAN_EVERY = 20.0  # seconds between cheap looks for added, changed or removed files
VERIFY_AFTER = 1.0  # seconds after a big cached list is shown before it is checked
VERIFY_LATER_ABOVE = 1000  # stories; a smaller library is checked at once
SCAN_BATCH_SECONDS = 0.3  # how often a running scan hands stories to the list
# A plain-text story longer than the first of these shows its first page from its
# head while the rest is parsed: the smallest head that holds the saved place.
QUICK_START_HEADS = (16 * 1024, 256 * 1024)
QUICK_START_SUFFIXES = {".txt", ".text", ""}
RESORT_SECONDS = 2.0  # how often a long first scan re-sorts what it has so far
LINE_WIDTHS = (40, 120)  # the narrowest and widest reading column offered
THEMES = ("textual-dark", "textual-light")


class MainScreen(Screen):
    """The three panes. Lays them out whenever its size changes or it comes back
    from under a dialog (the terminal may have been resized meanwhile)."""

    # The app focuses the list or the reader itself: focusing the filter line first
    # would restyle three widgets for nothing before the first frame.
    AUTO_FOCUS = ""

    def on_resize(self) -> None:
        self.app.call_after_refresh(self.app.lay_out)

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget when a screen resumes (the theme may have
        # changed under a dialog). The first resume comes just after the mount styled
        # them all, and the restyle delayed the first frame by a few milliseconds.
        # This handler runs before Screen's own, which reads the flag.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        self.app.call_after_refresh(self.app.lay_out)

    def _screen_resized(self, size: Size) -> None:
        # Textual sends a starting screen a Resize from three places. A blank app's
        # arrive together and replace one another in its queue; ours arrive apart
        # (the screen is busy listing a library), and each laid out and drew the
        # whole screen again at the size it already had (layout waiting to be done is
        # done by the next frame, as always). A new size still lays out at once.
        if size != self._compositor.size:
            super()._screen_resized(size)


class FilterInput(Input):
    """The filter line: ↓ goes to the list, as in a browser's search box."""

    BINDINGS = [Binding("down", "app.focus_list", "To the list", show=False, id="focus_list")]


class TuificApp(App[None]):
    TITLE = "tuific"
    CSS_PATH = [str(styles_dir() / "app.tcss")]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("tab", "next_pane", "Next pane", show=False, priority=True, id="next_pane"),
        Binding(
            "shift+tab",
            "previous_pane",
            "Previous pane",
            show=False,
            priority=True,
            id="previous_pane",
        ),
        Binding("h", "toggle_list", "List", show=False, id="toggle_list"),
        Binding("i", "toggle_meta", "Info", show=False, id="toggle_meta"),
        Binding("exclamation_mark", "skipped", "Skipped", show=False, id="skipped"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("t", "toggle_theme", "Theme", show=False, id="toggle_theme"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        library: Path,
        *,
        state: StateStore,
        config: Config | None = None,
        open_path: Path | None = None,
        hint: str | None = None,
        cache_ahead: ReadAhead | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.state = state
        self.config = config or Config()
        self.open_path = open_path
        self.hint = hint
        self._cache_ahead = cache_ahead  # the metadata cache, being read since start-up
        # What the story list holds, sorted and filtered.
        self.listing = Listing(self._reading)
        self.skipped: list[Skipped] = []
        self.scanning = True
        self.current: ListItem | None = None
        self.active_pane = "list"
        self.show_list = True
        self.show_meta = True
        self._query: Query | None = None  # None until something is typed
        self._save_timer: Timer | None = None
        self._scan_started = False
        self._open_request = 0
        self._reopened_last = False
        self._partial = False  # the reader shows only the start of a huge story
        self._meta_item: ListItem | None = None  # the story the metadata panel shows
        self._meta_pending: ListItem | None = None  # the one highlighted, to show next
        self._meta_scheduled = False
        self._rescanning = False
        self._cache: MetadataCache | None = None  # made by the first scan
        self._seen: dict = {}  # path -> (size, mtime) from the last scan, for rescans
        self._listed_stamps: Callable[[], dict] | None = None  # the cache's, if listed
        self._rescan_timer: Timer | None = None
        self._search: StorySearch | None = None
        self.sort_name = "title"
        self.sort_reverse = False
        self._sorted_at = 0.0
        self._search_note = ""  # shown once in the status line
        self._page_timer = PageTimer()
        self._words_read = 0.0

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="list-pane"):
            yield FilterInput(placeholder="/ filter: words, fandom:, ship:, rating:…", id="filter")
            yield Static("", id="list-header", markup=False)
            yield StoryList(id="stories")
            if self.hint:
                yield Static(Text(self.hint, style="italic"), id="library-hint")
            yield Static("", id="library-status", markup=False)
        with Vertical(id="reader-pane"):
            yield Static("", id="reader-title", markup=False)
            yield Reader(id="reader")
            yield Static("", id="reader-status", markup=False)
        yield MetadataPanel(id="meta-pane")
        yield KeyHints(id="footer")
        # The search line and the filter's error line are made when first needed:
        # fewer widgets to style and lay out before the first frame.

    def on_mount(self) -> None:
        reader = self.query_one(Reader)
        # Preferences changed with keys are remembered in the state file; the
        # config file gives the defaults.
        reader.line_width = int(self.state.pref("line_width", self.config.line_width))
        reader.justify = bool(self.state.pref("justify", self.config.justify))
        reader.paragraph_spacing = int(
            self.state.pref("paragraph_spacing", self.config.paragraph_spacing)
        )
        sort_name = self.state.pref("sort", "title")
        self.sort_name = sort_name if sort_name in SORT_NAMES else "title"
        self.sort_reverse = bool(self.state.pref("sort_reverse", False))
        theme = self.state.pref("theme", self.config.theme)
        if theme:
            try:
                self.theme = theme
            except Exception:
                self.notify(f"Unknown theme {theme!r}", severity="warning", markup=False)
        if self.config.keys:
            # [keys] in config.toml: binding id = "key[,key...]" (ids are in the README).
            self.set_keymap(self.config.keys)
        for notice in self.state.take_notices():
            self.notify(notice, severity="warning", timeout=15, markup=False)
        self._install_signal_handlers()
        self._apply_layout()
        self._update_library_status()
        if self.open_path is None:
            self.query_one(StoryList).focus()
            self._start_scan()
        else:
            # The story first: a scan running beside it would share the GIL and
            # delay the first page. The library follows once the story is shown.
            self.open_story(str(self.open_path))

    def _start_scan(self) -> None:
        if not self._scan_started:
            self._scan_started = True
            # The scan makes a few hundred thousand long-lived objects; the cyclic
            # garbage collector would walk them all again and again (a fifth of a
            # warm start). Off while it runs; afterwards they are frozen out of it.
            gc.disable()
            if not self._list_cached():
                self._load_library()

    def _list_cached(self) -> bool:
        """List the library as the metadata cache last saw it, before the first frame,
        and check it against the disk in the background. False: no cache to list.

        On the UI thread: checking the cache's columns costs ~20 ms for 10,000 stories
        and builds nothing per story (see listing), and the first frame then shows the
        whole list instead of an empty one a worker fills while sharing the GIL."""
        from tuific.cache import MetadataCache

        cache = MetadataCache(self.library, read_ahead=self._cache_ahead)
        self._cache_ahead = None
        listed = cache.listed()
        if listed is None:
            return False
        stories, failures = listed
        self._cache = cache
        self.skipped.extend(Skipped(path, reason) for path, _size, _mtime, reason in failures)
        self.listing.add(stories)
        # Each file's (size, mtime_ns), the rescan's base, made when first needed: by
        # the check below, or by a sort by date added.
        self._listed_stamps = lambda: cache_stamps(stories, failures)
        self._scan_finished(None, {}, verifying=True)
        # Started once the list is on screen: a first worker thread sets up the
        # executor (~1.5 ms the first frame does not need).
        self.call_after_refresh(self._verify_cached, len(stories))
        return True

    @work(thread=True, exclusive=True, group="scan")
    def _verify_cached(self, count: int) -> None:
        if count > VERIFY_LATER_ABOVE:
            # Stat-ing thousands of files shares the GIL with the UI: let the
            # first keystrokes in the freshly shown list go first.
            time.sleep(VERIFY_AFTER)
        # What start-up freed (reading and parsing a story opened first, say) goes
        # back to the system here, off the UI thread (ctypes lets go of the GIL,
        # but importing it takes a few ms of it: after the first frames, too).
        release_free_memory()
        entries = self.listing.entries
        if entries is not None:
            # The search column, decoded and split here rather than by the first
            # keystroke that narrows a filter (~20 ms for 10,000 stories).
            entries.column("text")
        assert self._listed_stamps is not None
        self._rescan_and_apply(self._listed_stamps())

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def lay_out(self) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        shown = self._shown()
        # The main screen, even while a modal (help, a picker) is on top of it.
        self.screen_stack[0].set_class(len(shown) == 1, "-single-pane")
        for pane, widget_id in (
            ("list", "#list-pane"),
            ("reader", "#reader-pane"),
            ("meta", "#meta-pane"),
        ):
            self.query_one(widget_id).display = pane in shown
        self.call_after_refresh(self._update_list_header)

    def _update_list_header(self) -> None:
        width = self.query_one(StoryList).scrollable_content_region.width
        self.query_one("#list-header", Static).update(Text(header_text(width)), layout=False)

    def _pane_widget(self, pane: str):
        return {
            "list": self.query_one(StoryList),
            "reader": self.query_one(Reader),
            "meta": self.query_one(MetadataPanel),
        }[pane]

    def _activate(self, pane: str) -> None:
        self.active_pane = pane
        if pane == "list":
            self.show_list = True
        if pane == "meta":
            self.show_meta = True
        self._apply_layout()
        self._sync_metadata()
        self._pane_widget(pane).focus()

    def _sync_metadata(self) -> None:
        """The panel describes the story of the pane in use."""
        if self.active_pane == "reader" and self.current is not None:
            self._show_metadata(self.current)
        elif self.active_pane == "list":
            self._show_metadata(self.query_one(StoryList).current)

    def on_descendant_focus(self, event) -> None:
        for pane, widget_id in (
            ("list", "#list-pane"),
            ("reader", "#reader-pane"),
            ("meta", "#meta-pane"),
        ):
            node = event.widget
            while node is not None and node is not self.screen:
                if node.id == widget_id.lstrip("#"):
                    if self.active_pane != pane:
                        self.active_pane = pane
                        self._apply_layout()
                        self._sync_metadata()
                    return
                node = node.parent

    def _pane_cycle(self) -> list[str]:
        # One pane at a time: Tab visits hidden panes too, as that is how to reach them.
        single = self._width() < MEDIUM
        return [
            p
            for p in ("list", "reader", "meta")
            if (p != "list" or self.show_list or single)
            and (p != "meta" or self.show_meta or single)
        ]

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def _cycle(self, step: int) -> None:
        if isinstance(self.screen, ModalScreen):
            return  # Tab belongs to the dialog
        cycle = self._pane_cycle()
        index = cycle.index(self.active_pane) if self.active_pane in cycle else 0
        self._activate(cycle[(index + step) % len(cycle)])

    def _shown(self) -> list[str]:
        reading = self.query_one(Reader).story is not None
        return visible_panes(
            self._width(), self.active_pane, self.show_list, self.show_meta, reading
        )

    def _width(self) -> int:
        """The main screen's width, also while a dialog is on top of it."""
        return self.screen_stack[0].size.width or self.size.width

    def action_toggle_list(self) -> None:
        # Toggle what the user sees, not the wish: on a narrow screen the list
        # may be wanted but not shown.
        if "list" in self._shown():
            self.show_list = False
            self._activate("reader")
        else:
            self._activate("list")

    def action_toggle_meta(self) -> None:
        if "meta" in self._shown():
            self.show_meta = False
            if self.active_pane == "meta":
                self.active_pane = "reader" if self.current else "list"
            self._apply_layout()
            self._pane_widget(self.active_pane).focus()
        else:
            self._activate("meta")

    def action_back(self) -> None:
        focused = self.focused
        reader = self.query_one(Reader)
        if isinstance(focused, Input) and focused.id == "search":
            focused.display = False
            reader.focus()
        elif isinstance(focused, Input):
            self._activate("list")  # the filter stays; Escape in the list clears it
        elif isinstance(focused, StoryList) and self.query_one("#filter", Input).value:
            self.query_one("#filter", Input).value = ""
        elif focused is reader and reader.matches:
            reader.set_matches([])
            self._update_reader_status()
        elif self.active_pane != "list":
            self._activate("list")

    def action_focus_list(self) -> None:
        self._activate("list")

    def action_help(self) -> None:
        from tuific.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_skipped(self) -> None:
        from tuific.ui.screens.skipped import SkippedScreen

        self.push_screen(SkippedScreen(self.skipped))

    def action_filter(self) -> None:
        self.show_list = True
        self.active_pane = "list"
        self._apply_layout()
        self.query_one("#filter", Input).focus()

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        # Saved searches from the [queries] table of config.toml.
        for name, text in self.config.saved_queries.items():
            yield SystemCommand(f"Filter: {name}", text, lambda text=text: self.apply_filter(text))
        for name in SORT_NAMES:
            yield SystemCommand(
                f"Sort by {SORT_LABELS[name]}",
                f"Order the story list by {SORT_LABELS[name]}",
                lambda name=name: self._sort_by(name),
            )

    def apply_filter(self, text: str) -> None:
        """Put `text` in the filter line (the list follows) and show the list."""
        self.show_list = True
        self._activate("list")
        self.query_one("#filter", Input).value = text

    def _sort_by(self, name: str) -> None:
        self.sort_name = name
        self.sort_reverse = False
        self._apply_sort()

    # -- library --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="scan")
    def _load_library(self) -> None:
        # The first scan of a library: the UI takes stories in a few batches a
        # second (each batch re-sorts and re-lays out the list). List items and query
        # entries are made here, off the UI thread.
        from tuific.cache import MetadataCache
        from tuific.library import scan_library

        self._cache = MetadataCache(self.library)
        batch: list[Story | Skipped] = []
        seen: dict = {}
        flushed = time.monotonic()
        for story in scan_library(self.library, self._cache, seen=seen):
            batch.append(story)
            if time.monotonic() - flushed > SCAN_BATCH_SECONDS:
                self.call_from_thread(self._add_scanned, self._prepare(batch))
                batch = []
                flushed = time.monotonic()
        self.call_from_thread(self._scan_finished, self._prepare(batch), seen)

    def _prepare(self, found: list[Story | Skipped]) -> Scanned:
        """List items and query entries for scanned stories, all at once (folding a
        whole batch's text in one go is several times faster than story by story)."""
        from tuific.query import make_entries

        stories = Stories(story for story in found if not isinstance(story, Skipped))
        items = list(map(self._list_item, stories))
        entries = make_entries(
            stories, [item.read for item in items], [item.favourite for item in items]
        )
        skipped = [skip for skip in found if isinstance(skip, Skipped)]
        return Scanned(stories, items, entries.made(), skipped)

    def _scan_finished(self, batch: Scanned | None, seen: dict, verifying: bool = False) -> None:
        self._seen = seen  # before `scanning` goes False, so a rescan has a base
        self._rescanning = verifying  # the cached list is being checked against the disk
        self._add_scanned(batch, True)
        gc.freeze()
        gc.enable()
        if batch is not None:  # a listed cache's worker does it (_verify_cached)
            release_free_memory()
        if self._rescan_timer is None:
            self._rescan_timer = self.set_interval(RESCAN_EVERY, self._look_for_changes)

    def _look_for_changes(self) -> bool:
        """Start a rescan unless a scan or rescan is already under way."""
        if self.scanning or self._rescanning:
            return False
        self._rescanning = True
        self._rescan_library(dict(self._seen))
        return True

    @work(thread=True, exclusive=True, group="scan")
    def _rescan_library(self, previous: dict) -> None:
        self._rescan_and_apply(previous)

    def _rescan_and_apply(self, previous: dict) -> None:
        """In a scan worker: what changed since the scan that saw `previous`, handed
        to the UI thread."""
        from tuific.library import rescan

        try:
            changes = rescan(self.library, previous, self._cache)
        except Exception:
            self.call_from_thread(setattr, self, "_rescanning", False)
            raise
        self.call_from_thread(self._apply_changes, changes)

    def _apply_changes(self, changes: Changes) -> None:
        """Files added, changed or removed while the app runs show up in the list."""
        self._rescanning = False
        self._seen = changes.seen
        if not changes:
            self._update_library_status()
            return
        self._follow_open_story(changes)
        keep = self._highlighted_path()
        gone = set(changes.removed)
        gone.update(story.path for story in changes.changed)
        gone.update(skipped.path for skipped in changes.skipped)
        if gone:
            self.listing.remove(gone)
            self.skipped = [s for s in self.skipped if s.path not in gone]
        found = [*changes.changed, *changes.added, *changes.skipped]
        self._add_scanned(self._prepare(found), done=True, keep=keep)

    def _follow_open_story(self, changes: Changes) -> None:
        """The story being read was renamed or moved: keep reading it, and keep
        saving its place, under its new path."""
        item = self.current
        if item is None or item.story.path not in changes.removed:
            return
        fingerprint = item.story.fingerprint
        moved = next(
            (s for s in changes.added if fingerprint and s.fingerprint == fingerprint), None
        )
        if moved is None:
            return
        old_path = item.story.path
        self.state.story(story_key(moved.path), fingerprint)  # moves the entry across
        self.listing.move(old_path, moved.path)
        item.story.path = moved.path
        reader = self.query_one(Reader)
        if reader.story is not None and reader.story.path == old_path:
            reader.story.path = moved.path

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
            if current is not None and current.story.path in batch.stories.values("path"):
                # Opened before the scan reached it: one item, not two.
                index = batch.stories.values("path").index(current.story.path)
                batch.items[index] = current
                batch.stories[index] = current.story
            self.listing.add(batch.stories, batch.entries, batch.items)
        if done:
            self.scanning = False
        # Sorting ten thousand stories per batch would slow the scan; while it
        # runs, re-sort at most a few times a second and append in between.
        now = time.monotonic()
        if done or now - self._sorted_at > RESORT_SECONDS:
            self._sort()
        else:
            self.listing.append_unsorted()
        self._refilter(force=True, keep=None if keep is None else self.listing.index(keep))
        self._update_library_status()
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
        if self.current is not None:
            self.select_story(self.current.story.path)
            return
        last = self.state.last_story
        if self.open_path is not None or not last:
            return
        if not self.select_story(last):
            return
        item = story_list.current
        if item is not None and item.read == "reading" and not self._reopened_last:
            self._reopened_last = True
            self.open_story(item.story.path)

    def _list_item(self, story: Story) -> ListItem:
        reading = self._reading(story.path, story.fingerprint)
        return ListItem(story, reading.progress, reading.read, reading.favourite)

    def _reading(self, path: str, fingerprint: str | None) -> Reading:
        key = story_key(path)
        # A story renamed or moved in the library keeps its state (`find` follows it
        # by fingerprint, and makes no entry for the thousands never opened).
        entry = self.state.find(key, fingerprint)
        if entry is None:
            return Reading()
        return Reading(self.state.progress(key), self.state.read_status(key), entry.favourite)

    def _update_library_status(self) -> None:
        shown = len(self.query_one(StoryList).rows)
        total = len(self.listing)
        noun = "story" if total == 1 else "stories"
        parts = [f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}"]
        direction = " ↑" if self.sort_reverse else ""
        parts.append(f"by {SORT_LABELS[self.sort_name]}{direction}")
        if self.scanning:
            parts.append(f"scanning… {total}")
        elif self._rescanning:
            parts.append("checking for changes…")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped (! to see why)")
        # One line of fixed height: no relayout of the screen on every keystroke.
        text = Text(" · ".join(parts), style="dim", no_wrap=True, overflow="ellipsis")
        self.query_one("#library-status", Static).update(text, layout=False)

    # -- reading status and favourites ------------------------------------------

    def _target_item(self) -> ListItem | None:
        """The story a status key acts on: the one being read, or the highlighted one."""
        if self.active_pane == "reader" and self.current is not None:
            return self.current
        return self.query_one(StoryList).current or self.current

    def action_toggle_favourite(self) -> None:
        item = self._target_item()
        if item is None:
            return
        item.favourite = self.state.toggle_favourite(story_key(item.story.path))
        self.listing.note_reading(item)
        self._status_changed(item, "♥ favourite" if item.favourite else "no longer a favourite")

    def action_toggle_finished(self) -> None:
        item = self._target_item()
        if item is None:
            return
        key = story_key(item.story.path)
        finished = item.read != "finished"
        self.state.set_finished(key, finished)
        if not finished:
            item.progress = min(item.progress, 0.99)
        item.read = self.state.read_status(key)
        self.listing.note_reading(item)
        self._status_changed(item, "marked finished" if finished else f"marked {item.read}")

    def _status_changed(self, item: ListItem, message: str) -> None:
        self.query_one(StoryList).refresh_item(item)
        self.notify(f"{item.story.meta.title}: {message}", timeout=2, markup=False)
        self._show_metadata(item)
        self._schedule_save()

    def action_rescan(self) -> None:
        if self._look_for_changes():
            self.notify("Looking for new and changed stories…", timeout=2, markup=False)

    # -- filtering ------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        from tuific.query import QueryError, narrows, parse_query

        try:
            new = parse_query(event.value)
        except QueryError as error:
            self._show_filter_message(Text(str(error), style="bold red"))
            return
        self._show_filter_message(None)
        old, self._query = self._query, new
        narrower = old is None or narrows(old, new)
        within = self.query_one(StoryList).rows if narrower else None
        self._refilter(within=within)

    def _show_filter_message(self, text: Text | None) -> None:
        """Show a bad query's message under the filter line; None hides it."""
        found = self.query("#filter-message")
        if not found:
            if text is None:
                return
            message = Static(text, id="filter-message", markup=False)
            self.query_one("#list-pane").mount(message, after="#filter")
        else:
            message = found.first(Static)
            if text is not None:
                message.update(text)
        message.display = text is not None

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self._activate("list")

    def _sort(self) -> None:
        self.listing.sort(self.sort_name, self.sort_reverse, self._sort_info)
        self._sorted_at = time.monotonic()

    def _sort_info(self, path: str, fingerprint: str | None) -> SortInfo:
        key = story_key(path)
        entry = self.state.find(key, fingerprint)
        if not self._seen and self._listed_stamps is not None:
            self._seen = self._listed_stamps()  # listed from the cache, not yet checked
        stamp = self._seen.get(path)
        return SortInfo(
            progress=self.state.progress(key) if entry else 0.0,
            last_opened=entry.last_opened if entry else None,
            added=stamp[1] / 1e9 if stamp else 0.0,
        )

    def action_cycle_sort(self, step: int) -> None:
        index = SORT_NAMES.index(self.sort_name)
        self.sort_name = SORT_NAMES[(index + step) % len(SORT_NAMES)]
        self.sort_reverse = False
        self._apply_sort()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._apply_sort()

    def _apply_sort(self) -> None:
        self.state.set_pref("sort", self.sort_name)
        self.state.set_pref("sort_reverse", self.sort_reverse)
        self._schedule_save()
        self._sort()
        self._refilter()
        self._update_library_status()

    def _refilter(
        self, within: list[int] | None = None, force: bool = False, keep: int | None = None
    ) -> None:
        """Show what the filter matches; force: the listing changed (indices moved,
        `keep` is the index of the story to stay on)."""
        story_list = self.query_one(StoryList)
        visible = self.listing.filter(self._query, within)
        if force:
            story_list.set_items(self.listing.items, visible, keep=keep)
        else:
            story_list.show(visible)
        self._update_library_status()

    # -- the list and the metadata panel ----------------------------------------

    @on(StoryList.Highlighted)
    def _highlighted(self, event: StoryList.Highlighted) -> None:
        if self.current is not None and self.active_pane != "list":
            return  # the panel describes the story being read
        # After the list's own frame, and only for where the cursor stops: the list
        # answers a keystroke first, and keys that move on before the next frame
        # (typing a filter, holding j) cost no panel for the stories passed over. A
        # filter keystroke that keeps the same story highlighted changes nothing.
        self._meta_pending = event.item
        if event.item is not self._meta_item and not self._meta_scheduled:
            self._meta_scheduled = True
            self.call_after_refresh(self._show_highlighted_metadata)

    def _show_highlighted_metadata(self) -> None:
        self._meta_scheduled = False
        item = self._meta_pending
        if item is not self._meta_item and (self.current is None or self.active_pane == "list"):
            self._show_metadata(item)

    @on(StoryList.Selected)
    def _selected(self, event: StoryList.Selected) -> None:
        self.open_story(event.item.story.path)

    def _show_metadata(self, item: ListItem | None) -> None:
        self._meta_item = item
        panel = self.query_one(MetadataPanel)
        if item is None:
            panel.show(None)
        else:
            panel.show(
                item.story,
                progress=item.progress,
                read=item.read,
                words_per_minute=round(self.words_per_minute()),
            )

    # -- reading --------------------------------------------------------------

    def open_story(self, path: str) -> None:
        self._save_now()
        self.query_one("#reader-title", Static).update(Text("Opening…", style="dim"))
        self._open_request += 1
        self._show_start_now(path, self._open_request)
        if self._partial:
            # Let the first page reach the screen before the full parse takes the GIL.
            self.call_after_refresh(self._load_story, path, self._open_request)
        else:
            self._load_story(path, self._open_request)

    def _show_start_now(self, path: str, request: int) -> None:
        """Show a long plain-text story's first page at once, from the file's head.

        Parsed here rather than in the worker: a 16 KiB head takes a few ms on the
        UI thread, while a worker would share the GIL with the first frames and
        take several times that. Only the head is read; the worker reads the rest.
        """
        file = Path(path)
        try:
            size = file.stat().st_size
        except OSError:
            return
        if file.suffix.lower() not in QUICK_START_SUFFIXES:
            return
        for head_size in QUICK_START_HEADS:
            if size <= head_size:
                return  # short enough for the worker to parse whole at once
            try:
                # At least the fingerprint's span: a fingerprint of less would not
                # match the saved one (a moved story would lose its place).
                head = read_file_bytes(file, head=max(head_size + 1, FINGERPRINT_HEAD))
            except StoryError:
                return  # the worker reports it
            prefix = story_prefix(file, head, head_size)
            if prefix is None:
                return
            if self._place_within(path, prefix):
                prefix.fingerprint = content_fingerprint(head, size)
                self._show_story(prefix, request, True)
                return

    @work(thread=True, exclusive=True, group="open")
    def _load_story(self, path: str, request: int) -> None:
        # A thread worker is not stopped when a newer one starts: each result says
        # which request it answers, and only the newest is shown.
        try:
            data = read_file_bytes(Path(path))
            story = story_from_bytes(Path(path), data)
            story.fingerprint = content_fingerprint(data)
            del data
            release_free_memory()
        except OSError as error:
            self.call_from_thread(self._open_failed, path, error.strerror or str(error), request)
            return
        except StoryError as error:
            self.call_from_thread(self._open_failed, path, str(error), request)
            return
        self.call_from_thread(self._show_story, story, request)

    def _place_within(self, path: str, prefix: Story) -> bool:
        entry = self.state.get(story_key(path))
        paragraph = entry.position.paragraph if entry is not None else 0
        return paragraph < len(prefix.paragraphs or []) - 1

    def _open_failed(self, path: str, reason: str, request: int | None = None) -> None:
        if request is not None and request != self._open_request:
            return
        self.query_one("#reader-title", Static).update(Text(""))
        if self.focused is None:
            self.query_one(StoryList).focus()
        name = display_path(Path(path).name)
        self.notify(f"Cannot open {name}: {clean_line(reason)}", severity="error", markup=False)
        self._start_scan()

    def _show_story(self, story: Story, request: int | None = None, partial: bool = False) -> None:
        if request is not None and request != self._open_request:
            return  # the user has asked for another story since
        reader = self.query_one(Reader)
        if (
            self._partial
            and not partial
            and reader.story is not None
            and reader.story.path == story.path
        ):
            # The whole story after its first part: same paragraphs, same place.
            self._partial = False
            self._search = None
            if self.current is not None and self.current.story is reader.story:
                self.current.story = story  # not listed yet: the list gets the whole
            self.state.mark_opened(
                story_key(story.path), words=story.words, paragraphs=len(story.paragraphs or [])
            )
            reader.show_story(story, reader.place)
            self._update_reader_status()
            self._show_metadata(self.current)
            return
        key = story_key(story.path)
        listed = self.listing.item(story.path)
        fingerprint = listed.story.fingerprint if listed is not None else None
        entry = self.state.story(key, fingerprint or story.fingerprint)
        if partial and entry.position.paragraph >= len(story.paragraphs or []) - 1:
            return  # a moved story's place, found just now, is past the head: wait for all
        self._partial = partial
        self.state.mark_opened(key, words=story.words, paragraphs=len(story.paragraphs or []))
        item = self.listing.item(story.path)
        if item is None:
            item = self._list_item(story)
        item.read = self.state.read_status(key)
        self.current = item
        reader = self.query_one(Reader)
        place = ReaderPlace(entry.position.paragraph, entry.position.offset)
        self._search = None
        self._page_timer.reset()
        reader.show_story(story, place)
        self._words_read = reader.fraction * story.words
        self.query_one("#reader-title", Static).update(self._title_line(story))
        self._activate("reader")  # which shows the story in the metadata panel
        self.select_story(story.path)
        self.call_after_refresh(self._first_page_shown)

    def _first_page_shown(self) -> None:
        # The list and the panel show the reader's own measure of progress.
        self._note_progress(self.query_one(Reader))
        self._update_reader_status()
        self._start_scan()

    @on(Reader.ReadToEnd)
    def _read_to_end(self, event: Reader.ReadToEnd) -> None:
        item = self.current
        if item is None or self._partial:
            return  # the end of a story's first part is not its end
        key = story_key(item.story.path)
        if not self.state.story(key).finished:
            self.state.set_finished(key, True)
            self._note_progress(event.reader)
            self._update_reader_status()
            self._schedule_save()

    def _title_line(self, story: Story) -> Text:
        text = Text(story.meta.title, style="bold")
        if story.meta.authors:
            text.append(" by " + ", ".join(story.meta.authors), style="italic")
        return text

    @on(Reader.Moved)
    def _reader_moved(self, event: Reader.Moved) -> None:
        if self.current is None:
            return
        self._note_progress(event.reader)
        self._learn_pace(event.reader)
        self._update_reader_status()
        self._schedule_save()

    def _note_progress(self, reader: Reader) -> None:
        """Record where the reader is; reaching the end marks the story finished."""
        item = self.current
        if item is None or self._partial:
            return  # the end of a story's first part is not its end
        key = story_key(item.story.path)
        place = reader.place
        self.state.set_position(key, place.paragraph, place.offset)
        fraction = reader.fraction
        item.progress = fraction
        item.read = self.state.read_status(key)
        self.listing.note_reading(item)
        self.query_one(StoryList).refresh_item(item)
        self._show_metadata(item)

    def _learn_pace(self, reader: Reader) -> None:
        """Page turns at a steady rate tell us the reader's own pace."""
        if reader.story is None:
            return
        words_read = reader.fraction * reader.story.words
        moved = words_read - self._words_read
        self._words_read = words_read
        page_words = reader.story.words * reader.size.height / max(1, self._story_rows(reader))
        if moved <= 0 or moved > 3 * max(page_words, 50):
            self._page_timer.reset()  # a jump or going back: not reading
        sample = self._page_timer.observe(time.monotonic(), words_read)
        if sample is not None:
            self.state.record_pace(sample)

    @staticmethod
    def _story_rows(reader: Reader) -> int:
        layout = reader.text_layout
        if layout is None:
            return 1
        # Estimated from characters: exact row counts would mean wrapping everything.
        return max(1, layout.total_chars // max(1, layout.width - 8))

    def words_per_minute(self) -> float:
        return self.state.words_per_minute(self.config.words_per_minute)

    def _update_reader_status(self) -> None:
        reader = self.query_one(Reader)
        story = reader.story
        if self.current is None or story is None:
            return
        if self._partial:
            loading = Text("reading the rest of the story…", style="dim")
            self.query_one("#reader-status", Static).update(loading, layout=False)
            return
        fraction = reader.fraction
        left = format_duration(story.words * (1 - fraction) / max(1.0, self.words_per_minute()))
        parts = []
        if self._search_note:
            parts.append(self._search_note)
            self._search_note = ""
        if reader.matches:
            count = len(reader.matches)
            more = "+" if self._search and count >= self._search.MAX_MATCHES else ""
            parts.append(f"match {reader.current_match + 1:,} of {count:,}{more}")
        parts.append(f"story {fraction:.0%}")
        chapter = reader.chapter_index
        if chapter >= 0:
            parts.append(
                f"chapter {chapter + 1}/{len(story.chapters)} {reader.chapter_fraction():.0%}"
            )
        parts.append("the end" if fraction >= 1.0 else f"{left} left")
        status = Text(" · ".join(parts), style="dim")
        if chapter >= 0:
            # The chapter's name takes whatever room the figures leave.
            room = self.query_one("#reader-status").content_region.width - len(status) - 2
            name = story.chapters[chapter].title
            if room >= 8:
                if len(name) > room:
                    name = name[: room - 1] + "…"
                status = Text(name + "  ", style="italic") + status
        self.query_one("#reader-status", Static).update(status, layout=False)

    # -- search inside the story ------------------------------------------------

    async def action_search(self) -> None:
        reader = self.query_one(Reader)
        if reader.story is None:
            return
        found = self.query("#search")
        if found:
            search = found.first(Input)
        else:
            search = Input(placeholder="search this story", id="search")
            await self.query_one("#reader-pane").mount(search, after=reader)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        reader = self.query_one(Reader)
        event.input.display = False
        reader.focus()
        if reader.story is None or not event.value.strip():
            reader.set_matches([])
            self._update_reader_status()
            return
        self._search_note = "searching…"
        self._update_reader_status()
        self._run_search(reader.story, event.value.strip())

    @work(thread=True, exclusive=True, group="search")
    def _run_search(self, story: Story, text: str) -> None:
        # A common word in a million-word story takes most of a second: not on
        # the UI thread.
        from tuific.search import StorySearch

        search = self._search
        if search is None or search.story is not story:
            search = StorySearch(story.paragraphs or [], story)
        matches = search.find(text)
        self.call_from_thread(self._search_done, search, text, matches)

    def _search_done(self, search: StorySearch, text: str, matches: list) -> None:
        reader = self.query_one(Reader)
        if search.story is not reader.story:
            return  # another story was opened meanwhile
        self._search = search
        self._search_note = "" if matches else f"Not found: {text}"
        if not matches:
            reader.set_matches([])
        else:
            from tuific.search import next_match

            place = reader.place
            reader.set_matches(matches, next_match(matches, place.paragraph, place.offset - 1))
        self._update_reader_status()

    def action_search_next(self, step: int) -> None:
        reader = self.query_one(Reader)
        if not reader.matches:
            return
        reader.set_matches(reader.matches, (reader.current_match + step) % len(reader.matches))
        self._update_reader_status()

    # -- chapters and bookmarks -----------------------------------------------

    def action_chapters(self) -> None:
        from tuific.ui.screens.pickers import ChapterPicker

        reader = self.query_one(Reader)
        if reader.story is None:
            return
        if not reader.story.chapters:
            self.notify("This story has no chapter headings.", markup=False)
            return

        def jump(index: int | None) -> None:
            if index is not None and reader.story is not None:
                reader.go_to(reader.story.chapters[index].paragraph)
            reader.focus()

        self.push_screen(ChapterPicker(reader.story.chapters, reader.chapter_index), jump)

    def action_add_bookmark(self) -> None:
        from tuific.ui.screens.pickers import TextPrompt

        reader = self.query_one(Reader)
        if reader.story is None or self.current is None:
            return
        key = story_key(reader.story.path)
        place = reader.place

        def save(name: str | None) -> None:
            if name is not None:
                self.state.add_bookmark(key, place.paragraph, place.offset, name)
                self._save_now()
                self.notify(f"Bookmarked at {reader.fraction:.0%}", markup=False)
            reader.focus()

        self.push_screen(TextPrompt("Add a bookmark", "name (optional)"), save)

    def action_bookmarks(self) -> None:
        from tuific.ui.screens.pickers import BookmarkPicker

        reader = self.query_one(Reader)
        if reader.story is None:
            return
        key = story_key(reader.story.path)
        layout = reader.text_layout
        paragraphs = reader.story.paragraphs or []

        def describe(bookmark: Bookmark) -> str:
            where = f"{layout.fraction(bookmark.paragraph, bookmark.offset):4.0%}" if layout else ""
            name = bookmark.name or paragraphs[bookmark.paragraph].text[:60]
            return f"{where}  {name}"

        def delete(bookmark: Bookmark) -> None:
            self.state.remove_bookmark(key, bookmark.id)
            self._save_now()

        def jump(bookmark: Bookmark | None) -> None:
            if bookmark is not None:
                reader.go_to(bookmark.paragraph, bookmark.offset)
            reader.focus()

        bookmarks = [b for b in self.state.story(key).bookmarks if b.paragraph < len(paragraphs)]
        self.push_screen(BookmarkPicker(bookmarks, describe, delete), jump)

    # -- reading comfort ------------------------------------------------------

    def action_line_width(self, step: int) -> None:
        reader = self.query_one(Reader)
        low, high = LINE_WIDTHS
        # No wider than the pane can show: a width it cannot honour would be
        # remembered and surprise the reader on a bigger screen.
        fits = max(low, reader.size.width - 2)
        width = max(low, min(high, fits, reader.line_width + step))
        if width == reader.line_width:
            self._note("already the " + ("widest" if step > 0 else "narrowest"))
            return
        reader.line_width = width
        self.state.set_pref("line_width", width)
        self._note(f"line width {width}")
        self._schedule_save()

    def action_toggle_justify(self) -> None:
        reader = self.query_one(Reader)
        reader.justify = not reader.justify
        self.state.set_pref("justify", reader.justify)
        self._note("justified" if reader.justify else "ragged right")
        self._schedule_save()

    def action_paragraph_spacing(self) -> None:
        reader = self.query_one(Reader)
        reader.paragraph_spacing = (reader.paragraph_spacing + 1) % 3
        self.state.set_pref("paragraph_spacing", reader.paragraph_spacing)
        self._note(f"paragraph spacing {reader.paragraph_spacing}")
        self._schedule_save()

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        self.state.set_pref("theme", self.theme)
        self._note("light theme" if self.theme == THEMES[1] else "dark theme")
        self._schedule_save()

    def _note(self, text: str) -> None:
        """A passing word in the reader's status line (one at a time, unlike toasts)."""
        self._search_note = text
        if self.query_one(Reader).story is None:
            self.notify(text, timeout=1.5, markup=False)
        self._update_reader_status()

    # -- saving -----------------------------------------------------------------

    def _schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_in_background)

    @work(thread=True, exclusive=True, group="save")
    def _save_in_background(self) -> None:
        # A state file of thousands of stories takes a while to merge and write:
        # the settled-position save must not freeze the reader while it does.
        self.state.save()
        self.call_from_thread(self._show_state_notices)

    def _save_now(self) -> None:
        """Save at once (story switch, quit): the store's lock orders it after any
        background save already under way."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self.state.save()
        self._show_state_notices()

    def _show_state_notices(self) -> None:
        # save() reports I/O trouble as notices rather than raising.
        for notice in self.state.take_notices():
            self.notify(notice, severity="error", timeout=10, markup=False)

    def _install_signal_handlers(self) -> None:
        # A dropped SSH link sends SIGHUP: save the place before anything else.
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_terminate_signal)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass

    def _on_terminate_signal(self) -> None:
        try:
            self.state.save()
        finally:
            self.exit()

    async def action_quit(self) -> None:
        self._save_now()
        self.exit()

    def on_unmount(self) -> None:
        self._save_now()
