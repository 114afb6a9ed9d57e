"""The reader's author's notes: folded to one dim line each, or shown in full.

A mixin of the Reader: it keeps the story's runs of note paragraphs (tuific.notes)
and hands the layout the rows they take while folded. Paragraph indices never
change, so places, bookmarks and chapters stay where they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual.cache import LRUCache
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tuific.model import Paragraph
from tuific.notes import folded_rows, note_label, note_runs
from tuific.ui.widgets.row_styles import centred

if TYPE_CHECKING:
    from tuific.layout import Layout


class NoteFolding(Widget):
    notes_folded: reactive[bool] = reactive(True)

    _note_runs: dict[int, tuple[int, int]] = {}
    # Set in the Reader's __init__; declared here (annotations only) for the checker.
    _layout: Layout | None
    _strips: LRUCache[tuple[int, int], Strip]

    @property
    def has_notes(self) -> bool:
        return bool(self._note_runs)

    def _find_notes(self, paragraphs: list[Paragraph]) -> None:
        """Find the story's runs of notes (a pass over its paragraphs' kinds)."""
        self._note_runs = note_runs(paragraphs)

    def _folded(self) -> dict[int, int] | None:
        """What the layout folds: None when notes show in full (or there are none)."""
        if not self.notes_folded or not self._note_runs:
            return None
        return folded_rows(self._note_runs)

    def watch_notes_folded(self) -> None:
        self._layout = None  # rebuilt with (or without) the folds
        self._strips.clear()
        self.refresh()

    def _note_row(self, index: int, style: Style, base: Style, width: int) -> Strip | None:
        """The folded line of the run of notes starting at `index`, if it is one."""
        run = self._note_runs.get(index) if self.notes_folded else None
        if run is None:
            return None
        return centred(note_label(run[1]), style, base, width)
