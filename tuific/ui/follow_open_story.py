"""The story being read follows what a rescan found: its file renamed or moved
(keep reading it, and saving its place, under the new path) or rewritten (its list
row and panel take the new metadata). A mixin of LibraryControl."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuific.state import story_key

if TYPE_CHECKING:
    from tuific.library import Changes
    from tuific.listing import Listing, ListItem
    from tuific.state import StateStore


class FollowOpenStory:
    listing: Listing
    state: StateStore
    if TYPE_CHECKING:  # LibraryPane's and Textual's (a stub would shadow them)

        @property
        def current(self) -> ListItem | None: ...

        def _open_story_moved(self, old_path: str, path: str) -> None: ...

        def notify(self, message: str, **kwargs: object) -> None: ...

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
            self.notify(
                f"{item.story.meta.title}: its file was deleted or moved away. It stays "
                "open until you leave it; the list no longer shows it.",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        old_path = item.story.path
        self.state.story(story_key(moved.path), fingerprint)  # moves the entry across
        self.listing.move(old_path, moved.path)
        item.story.path = moved.path
        self._open_story_moved(old_path, moved.path)  # the reader follows

    def _open_story_changed(self, changes: Changes) -> str | None:
        """The open story's file changed: its list row and panel take the new
        metadata now (the reader's text is re-read after the list has it). Its path."""
        item = self.current
        if item is None:
            return None
        changed = next((s for s in changes.changed if s.path == item.story.path), None)
        if changed is None:
            return None
        item.story = changed
        return changed.path
