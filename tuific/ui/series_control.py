"""Series read as one: P opens the next part of the story's series (a line after
the last paragraph and the status line say so, and follow the library pane's
`ListingChanged`), and the metadata panel shows the series' parts read and left."""

from __future__ import annotations

from collections.abc import Callable

from tuific.listing import ListItem
from tuific.series import SeriesPlace, series_groups, series_place, series_summary
from tuific.ui.library_pane import LibraryPane
from tuific.ui.shelves import ShelfControl
from tuific.ui.widgets.reader import Reader


class SeriesControl(ShelfControl):
    """The next part and the series' progress (a mixin of TuificApp)."""

    _series_groups: tuple[int, dict[str, list[int]] | None] = (-1, None)
    _sync_metadata: Callable[[], None]  # TuificApp's (an annotation: see PanelControl)

    def _series_of(self, item: ListItem | None, wait: bool = True) -> SeriesPlace | None:
        """The series place of `item`'s story. wait=False: None while the cached
        list's columns are still to be checked (the panel's and the end's notes
        follow the `ListingChanged` that comes after the check) rather than check
        them on the UI thread (~140 ms at 100,000 stories)."""
        if item is None or not item.value("series"):
            return None
        if not wait and not self.listing.stories.checked:
            return None
        index = self.listing.index(item.story.path)
        if index is None:
            return None
        stories = self.listing.stories
        # Grouped once while the listing stays the same, not per highlight: moving
        # along the list must stay cheap.
        generation, groups = self._series_groups
        if groups is None or generation != self.listing.generation:
            groups = series_groups(stories)
            self._series_groups = (self.listing.generation, groups)
        return series_place(stories, index, groups)

    def _series_note(self, item: ListItem | None) -> str:
        """For the metadata panel: the parts here, read and left."""
        place = self._series_of(item, wait=False)
        if place is None or len(place.parts) < 2:
            return ""
        reads = [self.listing.item_at(index).read for index in place.parts]
        return series_summary(place, reads)

    def _next_part_note(self, item: ListItem | None) -> str:
        """What the line after the last paragraph says: the next part, if any."""
        place = self._series_of(item, wait=False)
        if place is None:
            return ""
        following = place.next_part
        if following is None:
            return ""
        title = self.listing.stories.value("title", following)
        return f"Next in {place.name}: {title} · press P"

    def action_next_part(self) -> None:
        """Open the next part of the open (or highlighted) story's series."""
        place = self._series_of(self._target_item())
        following = None if place is None else place.next_part
        if following is None:
            what = "not part of a series here" if place is None else "the last part here"
            self._note(f"no next part: {what}")
            return
        self.open_story(self.listing.stories.value("path", following))

    def on_library_pane_listing_changed(self, event: LibraryPane.ListingChanged) -> None:
        # A part of the open story's series may have come or gone, a reading state
        # changed: the line after its last paragraph and the panel follow.
        self._show_end_note()
        self._sync_metadata()

    def _show_end_note(self) -> None:
        """Put the next part's line after the open story's last paragraph."""
        self.query_one(Reader).end_note = self._next_part_note(self.current)
