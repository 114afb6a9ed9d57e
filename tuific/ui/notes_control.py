"""Author's notes, folded or shown: the A key, remembered per story."""

from __future__ import annotations

from tuific.state import story_key
from tuific.ui.series_control import SeriesControl
from tuific.ui.widgets.reader import Reader


class NotesControl(SeriesControl):
    """Folding author's notes (a mixin of TuificApp)."""

    def action_toggle_notes(self) -> None:
        reader = self.query_one(Reader)
        if reader.story is None or self.current is None:
            return
        if not reader.has_notes:
            self._note("no author's notes in this story")
            return
        reader.notes_folded = not reader.notes_folded
        self.state.set_notes_open(story_key(reader.story.path), not reader.notes_folded)
        self._note("author's notes folded" if reader.notes_folded else "author's notes shown")
        self._schedule_save()

    def _fold_notes_as_saved(self, key: str) -> None:
        """Before a story is shown: its notes as the reader last left them."""
        entry = self.state.get(key)
        self.query_one(Reader).notes_folded = not (entry is not None and entry.notes_open)
