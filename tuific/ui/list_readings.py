"""The list's reading states: each story's (new, reading, read, updated) from the
reading history, made afresh when it changes, and looked at again once the whole
history is indexed. Below LibraryControl in the pane's chain, above ListFilter."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from tuific.listing import Listing, ListItem, Reading, StoryFacts, reading_of
from tuific.model import Story
from tuific.state import story_key
from tuific.ui.list_filter import ListFilter
from tuific.ui.widgets.story_list import StoryList


class ListReadings(ListFilter):
    listing: Listing
    if TYPE_CHECKING:  # LibraryPane's (a stub would shadow it)

        def _listing_changed(self) -> None: ...

    def list_item(self, story: Story) -> ListItem:
        return ListItem(story, *self._reading(story.path, story.fingerprint, StoryFacts.of(story)))

    def _reading(self, path: str, fingerprint: str | None, facts: StoryFacts) -> Reading:
        """A story's reading state for the list (grown since read: "updated")."""
        # A story renamed or moved in the library keeps its state (`find` follows it
        # by fingerprint or source URL, and makes no entry for the thousands unopened),
        # without waiting for the whole history to be read: `_state_preloaded` looks again.
        entry = self.state.find(story_key(path), fingerprint, wait=False, work=facts.work)
        if entry is None:
            return Reading()
        words, chapters = facts.length() if entry.words is not None else (None, None)
        return reading_of(entry, words, chapters)

    def refresh_reading(self, item: ListItem) -> None:
        """The item's reading state changed (a key, opening it): read it afresh."""
        story = item.story
        item.set_reading(self._reading(story.path, story.fingerprint, StoryFacts.of(story)))
        self.listing.note_reading(item)

    def preload_state(self) -> None:
        """Index the whole reading history in the background (see StateStore.preload)."""

        def found_renamed() -> None:
            with contextlib.suppress(RuntimeError):  # the app has quit meanwhile
                self.app.call_from_thread(self._state_preloaded)

        self.state.preload(on_done=found_renamed)

    def _state_preloaded(self) -> None:
        """The whole history is indexed and a listed story turned out to be a renamed
        one: its reading state shows now."""
        self.listing.refresh_readings()
        self._sort()
        self.refilter()
        self.query_one(StoryList).refresh()
        self._listing_changed()
