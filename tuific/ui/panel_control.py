"""The metadata panel's side of the app: it follows the list cursor (after the list's
frame, for where the cursor stops), or the story being read, and shows that story's
speakers once they are found; a story chosen in the list (`LibraryPane.StoryChosen`)
opens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tuific.listing import ListItem
from tuific.ui.library_pane import LibraryPane
from tuific.ui.saving import SavingControl
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.reader_speakers import SpeakersFound, SpeakersWorking
from tuific.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from tuific.config import Config
    from tuific.listing import Listing


class PanelControl(SavingControl):
    """The metadata panel following the list and the reader (a mixin of TuificApp;
    its state is made in TuificApp)."""

    config: Config
    current: ListItem | None
    active_pane: str
    _meta_item: ListItem | None  # the story the metadata panel shows
    _meta_pending: ListItem | None  # the one highlighted, to show next
    _meta_scheduled: bool
    # Defined by later classes of the chain (annotations only: a stub method here
    # would shadow the real one in the MRO).
    open_story: Callable[[str], None]  # (in ReadingControl)
    _series_note: Callable[[ListItem | None], str]  # (in SeriesControl)
    words_per_minute: Callable[[], float]  # (in ReadingControl)
    if TYPE_CHECKING:  # TuificApp's

        @property
        def library_pane(self) -> LibraryPane: ...

        @property
        def listing(self) -> Listing: ...

        def select_story(self, path: str) -> bool: ...

    def on_story_list_highlighted(self, event: StoryList.Highlighted) -> None:
        if event.item is not event.story_list.current:
            # Stale: the list moved on (its own message came or follows), say to an
            # empty list when a cached list failed its check after this was posted.
            return
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

    def on_speakers_found(self, event: SpeakersFound | SpeakersWorking) -> None:
        item = self._meta_item
        if item is not None and item.story.path == event.story.path:
            self._show_metadata(item)

    on_speakers_working = on_speakers_found

    def on_library_pane_story_chosen(self, event: LibraryPane.StoryChosen) -> None:
        self.open_story(event.path)

    def _show_metadata(self, item: ListItem | None) -> None:
        self._meta_item = item
        panel = self.query_one(MetadataPanel)
        if item is None:
            panel.show(None)
        else:
            reader = self.query_one(Reader)
            same = reader.story is not None and reader.story.path == item.story.path
            panel.show(
                item.story,
                reader.speaker_legend() if same else (),
                same and reader.speakers_working,
                progress=item.progress,
                read=item.read,
                grown=item.grown,
                series=self._series_note(item),  # (in SeriesControl)
                words_per_minute=round(self.words_per_minute()),
            )
