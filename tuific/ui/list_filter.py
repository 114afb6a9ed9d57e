"""The story list's filter line, its sort and its status line (a mixin of LibraryPane,
below library_control in the chain): a filter keystroke narrows what is shown, a sort
key re-orders the listing and is remembered, and the status line counts it all."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, Static

from tuific.filter_pass import FilterPass
from tuific.sorting import SORT_LABELS, SORT_NAMES, SortInfo
from tuific.state import story_key
from tuific.status_text import library_status
from tuific.text import display_path
from tuific.ui.pane_base import ThroughTheApp
from tuific.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from textual.timer import Timer

    from tuific.listing import Listing
    from tuific.model import Skipped
    from tuific.query import Query


# A filter keystroke over more stories than SLICE_ABOVE matches its first
# FIRST_SLICE (in the shown order) before its frame, and the rest in NEXT_SLICEs
# (~3 ms each at 100,000 stories) after it: the first rows show within a frame
# whatever the library's size, and a key typed meanwhile waits for one slice at most.
SLICE_ABOVE = 20_000
FIRST_SLICE = 5_000
NEXT_SLICE = 10_000
# The slices after the first wait until the list has drawn the key's rows (three
# frames at most, if it is not on screen), so that the key's own frame comes first;
# then they follow one another, each a timer (the app handles keys in between).
DRAWN_WITHIN = 3 / 60  # seconds
NEXT_AFTER = 0.001  # seconds (a Textual timer cannot be set for 0)


class ListFilter(ThroughTheApp):
    """Filter, sort and the list's status line (a mixin of LibraryPane; its state is
    made in LibraryPane)."""

    listing: Listing
    skipped: list[Skipped]
    scanning: bool
    sort_name: str
    sort_reverse: bool
    _query: Query | None
    _rescanning: bool
    _seen: dict
    _listed_stamps: Callable[[], dict] | None
    _sorted_at: float
    _matching: tuple[FilterPass, Timer] | None = None  # see refilter
    _matching_since = 0.0  # when the pass under way began (time.monotonic)
    if TYPE_CHECKING:  # LibraryPane's and LibraryControl's (a stub would shadow them)

        @property
        def library(self) -> Path: ...

        def keys_pressed(self) -> None: ...

    def sort_by(self, name: str) -> None:
        self.sort_name = name
        self.sort_reverse = False
        self._apply_sort()

    def update_status(self) -> None:
        status = library_status(
            len(self.query_one(StoryList).rows),
            len(self.listing),
            SORT_LABELS[self.sort_name],
            self.sort_reverse,
            scanning=self.scanning,
            checking=self._rescanning,
            hidden=len(self.listing.hidden()),
            skipped=len(self.skipped),
            library=display_path(self.library),
            matching=self._matching is not None,
        )
        # One line of fixed height: no relayout of the screen on every keystroke.
        text = Text(status, style="dim", no_wrap=True, overflow="ellipsis")
        self.query_one("#library-status", Static).update(text, layout=False)

    # -- filtering ------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
        from tuific.query import QueryError, narrows, parse_query

        self.keys_pressed()

        try:
            new = parse_query(event.value)
        except QueryError as error:
            self._show_filter_message(Text(str(error), style="bold red"))
            try:
                # A quoted phrase still being typed (fandom:"original wo): the list
                # follows what it holds so far, as it does for a plain word.
                new = parse_query(event.value + '"')
            except QueryError:
                return
        else:
            self._show_filter_message(None)
        old, self._query = self._query, new
        narrower = old is None or narrows(old, new)
        # The last keystroke's pass, if under way, gives what this one narrows.
        pending = self._stop_matching()
        shown = self.query_one(StoryList).rows if pending is None else pending
        self.refilter(within=shown if narrower else None, in_slices=True)

    def _show_filter_message(self, text: Text | None) -> None:
        """Show a bad query's message under the filter line; None hides it."""
        found = self.query("#filter-message")
        if not found:
            if text is None:
                return
            message = Static(text, id="filter-message", markup=False)
            self.mount(message, after="#filter")
        else:
            message = found.first(Static)
            if text is not None:
                message.update(text)
        message.display = text is not None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        # To the list: the app makes the pane of the focused widget the active one.
        self.query_one(StoryList).focus()

    def _sort(self) -> None:
        self.listing.sort(self.sort_name, self.sort_reverse, self._sort_info)
        self._sorted_at = time.monotonic()

    def _sort_info(self, path: str, fingerprint: str | None) -> SortInfo:
        key = story_key(path)
        entry = self.state.find(key, fingerprint, wait=False)
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
        self.refilter()
        self.update_status()

    def refilter(
        self,
        within: list[int] | None = None,
        force: bool = False,
        keep: int | None = None,
        in_slices: bool = False,
    ) -> None:
        """Show what the filter matches; force: the listing changed (indices moved,
        `keep` is the index of the story to stay on). in_slices (a keystroke): over
        more than SLICE_ABOVE stories, show the matches of the first slice at once
        and match the rest after the frame (`_match_more`)."""
        self._stop_matching()
        story_list = self.query_one(StoryList)
        query = self._query
        base = self.listing.order if within is None else within
        if in_slices and query is not None and len(base) > SLICE_ABOVE and self._prepared(query):
            matching = FilterPass(self.listing, query, base, FIRST_SLICE, NEXT_SLICE)
            visible = matching.found
            self._matching = (matching, self.set_timer(NEXT_AFTER, self._match_more))
            self._matching_since = time.monotonic()
        else:
            visible = self.listing.filter(query, within)
        if force:
            story_list.set_items(self.listing.items, visible, keep=keep)
        else:
            story_list.show(visible)
        self.update_status()

    def _prepared(self, query: Query) -> bool:
        """Are the columns this query reads made? Until they are (a second or so after
        a start, see Entries.prepare), a keystroke is matched in one pass, which can
        search the cache's text without them."""
        entries = self.listing.entries
        return (
            not query.empty
            and entries is not None
            and all(entries.has(term.field) for term in query.terms)
        )

    def _match_more(self) -> None:
        """The next slice of a keystroke's pass (see refilter); the list shows the
        matches when it has had too few to fill it, and when all are matched."""
        if self._matching is None:
            return
        matching = self._matching[0]
        story_list = self.query_one(StoryList)
        if not story_list.drawn and time.monotonic() < self._matching_since + DRAWN_WITHIN:
            self._matching = (matching, self.set_timer(NEXT_AFTER, self._match_more))
            return
        shown = len(story_list.rows)
        if matching.step():
            self._matching = (matching, self.set_timer(NEXT_AFTER, self._match_more))
            if shown > story_list.size.height or len(matching.found) == shown:
                return
        else:
            self._matching = None
        story_list.show(matching.found)
        self.update_status()

    def _stop_matching(self) -> list[int] | None:
        """Stop a keystroke's pass under way, giving its candidates (FilterPass)."""
        matching, self._matching = self._matching, None
        if matching is None:
            return None
        matching[1].stop()
        return matching[0].candidates()
