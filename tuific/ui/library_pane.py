"""The library pane: the filter line, the list's header, the story list and the status
line, and what acts on them. It lists the library (from the metadata cache at once, or
by a first scan), looks for changes now and then, keeps each listed story's reading
status, and owns the list's filter, sort and rescan keys: the scanning in
`library_control`, the filter, sort and status line in `list_filter`.

It tells the app what spans panes with messages: `StoryChosen` (open this story: Enter
in the list, or the story the reader was in the middle of, on a plain start),
`OpenStoryChanged` (a rescan found the open story's file rewritten or moved: the reader
re-reads it or follows it) and `ListingChanged` (what the app shows from the listing
follows: the open story's next part, the metadata panel). The reading state, the
config, the library's folder and the story the app has open (`current`) it reads
through the app, as every pane does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tuific.listing import Listing
from tuific.sorting import SORT_NAMES
from tuific.ui.library_control import LibraryControl
from tuific.ui.screens.main import FilterInput
from tuific.ui.widgets.story_list import ListHeader, StoryList

if TYPE_CHECKING:
    from pathlib import Path

    from tuific.hiding import HideRule
    from tuific.listing import ListItem
    from tuific.model import Skipped
    from tuific.query import Query
    from tuific.readahead import ReadAhead


class LibraryPane(LibraryControl, Vertical):
    """The story list's pane (id "list-pane")."""

    BINDINGS = [
        # Enter, f and x stay the list's own (StoryList): opening and the reading
        # status are the app's, as the reader has the same keys.
        Binding("s", "cycle_sort(1)", "Sort", show=False, id="cycle_sort_next"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="reverse_sort"),
        Binding("r", "rescan", "Rescan", show=False, id="rescan"),
    ]

    class StoryChosen(Message):
        """Open the story at `path` (chosen in the list, or reopened on a plain start)."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    class OpenStoryChanged(Message):
        """A rescan found the open story's file changed: rewritten (`moved_from` None:
        read it again, keeping the place) or renamed or moved from `moved_from` to
        `path` (the reading state and the list have followed; the reader follows)."""

        def __init__(self, path: str, moved_from: str | None = None) -> None:
            super().__init__()
            self.path = path
            self.moved_from = moved_from

    class ListingChanged(Message):
        """A rescan changed the listing, or the whole reading history came in after
        the list was shown: series and reading states may have changed. (Not posted by
        the first listing, which nothing shown yet depends on.)"""

    def __init__(
        self,
        *,
        hint: str | None = None,
        cache_ahead: ReadAhead | None = None,
        hide_rules: list[HideRule] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._hint = hint
        self._cache_ahead = cache_ahead  # the metadata cache, being read since start-up
        # What the story list holds, sorted and filtered.
        self.listing = Listing(self._reading)
        self.listing.hide_rules = hide_rules or []
        self.skipped: list[Skipped] = []
        self.scanning = True
        self._query: Query | None = None  # None until something is typed
        self._scan_started = False
        self._reopened_last = False
        self._rescanning = False
        self._cache = None  # made by the first scan
        self._seen = {}  # path -> (size, mtime) from the last scan, for rescans
        self._listed_stamps = None  # the cache's, if listed
        self._rescan_timer = None
        self.sort_name = "title"
        self.sort_reverse = False
        self._sorted_at = 0.0

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="/ filter: words, fandom:, ship:, rating:…", id="filter")
        yield ListHeader(id="list-header")
        yield StoryList(id="stories")
        if self._hint:
            yield Static(Text(self._hint, style="italic"), id="library-hint")
        yield Static("", id="library-status", markup=False)
        # The filter's error line is made when first needed (list_filter).

    def on_mount(self) -> None:
        # The sort last chosen (remembered in the state file), before anything is listed.
        sort_name = self.state.pref("sort", "title")
        self.sort_name = sort_name if sort_name in SORT_NAMES else "title"
        self.sort_reverse = bool(self.state.pref("sort_reverse", False))
        # The status line is written by what lists the library (start_scan), or by the
        # app when a story is opened first: once before the first frame, not twice.

    # -- what the pane reads through the app (and in pane_base) -----------------

    @property
    def library(self) -> Path:
        return self.tuific.library

    @property
    def recursive(self) -> bool:
        """False: the folder of a story opened by name, without its subfolders."""
        return self.tuific.recursive

    @property
    def open_path(self) -> Path | None:
        """The story named on the command line (opened first, and not reopened)."""
        return self.tuific.open_path

    @property
    def current(self) -> ListItem | None:
        """The list item of the story the app has open."""
        return self.tuific.current

    # -- keys -------------------------------------------------------------------

    def action_rescan(self) -> None:
        if self._look_for_changes():
            self.notify("Looking for new and changed stories…", timeout=2, markup=False)

    # -- what the pane tells the app --------------------------------------------

    def on_story_list_selected(self, event: StoryList.Selected) -> None:
        event.stop()
        self.post_message(self.StoryChosen(event.item.story.path))

    def _reopen(self, path: str) -> None:
        self.post_message(self.StoryChosen(path))

    def _open_story_moved(self, old_path: str, path: str) -> None:
        self.post_message(self.OpenStoryChanged(path, moved_from=old_path))

    def _open_story_rewritten(self, path: str) -> None:
        self.post_message(self.OpenStoryChanged(path))

    def _listing_changed(self) -> None:
        self.post_message(self.ListingChanged())
