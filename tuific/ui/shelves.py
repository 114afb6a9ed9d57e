"""Reading states set by hand: "later" (to read) and "dropped", by key and from the
command palette."""

from __future__ import annotations

from tuific.state import story_key
from tuific.ui.reading_control import ReadingControl

SHELF_WORDS = {"later": "for later", "dropped": "dropped"}


class ShelfControl(ReadingControl):
    """Later and dropped (a mixin of TuificApp)."""

    def action_toggle_shelf(self, shelf: str) -> None:
        """Set the story aside as `shelf`, or take it back off that shelf."""
        item = self._target_item()
        if item is None or shelf not in SHELF_WORDS:
            return
        key = story_key(item.story.path)
        on = item.read != shelf
        self.state.set_shelf(key, shelf if on else None)
        self.library_pane.refresh_reading(item)
        self._status_changed(item, f"marked {SHELF_WORDS[shelf]}" if on else f"marked {item.read}")

