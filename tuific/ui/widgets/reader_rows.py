"""The reader's drawing: a row of the layout (tuific.layout) as a styled Strip.

A mixin of the Reader: `render_line` turns each row on screen into segments (the
paragraph's kind, its dialogue, emphasis and search matches layered on it, justified
or centred) and keeps the drawn strips until the story, width or styles change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tuific.layout import Layout, Row, text_cells
from tuific.model import Story
from tuific.ui.widgets.row_styles import (
    ITALIC,
    centred,
    component_style,
    highlight_style,
    justify,
    layered_segments,
    readable_on,
)

_DIM = Style(dim=True)

if TYPE_CHECKING:
    from tuific.search import Match
    from tuific.ui.widgets.drawing import Drawing


class ReaderRows(Widget):
    # The Reader's (and its other mixins'), declared here for the checker only.
    story: Story | None
    justify: reactive[bool]
    end_note: reactive[str]
    matches: list[Match]
    current_match: int
    _top: tuple[int, int] | None
    _strips: LRUCache[tuple[int, int], Strip]
    _rows: list[Row]
    _rows_key: object
    _matches_by_paragraph: dict[int, list[int]]

    if TYPE_CHECKING:

        def drawing(self) -> Drawing: ...
        def _ensure_layout(self) -> Layout | None: ...
        def _dialogue_in(self, index: int) -> list[tuple[int, int]]: ...
        def _note_row(self, index: int, style: Style, base: Style, width: int) -> Strip | None: ...
        def speaker_gutter(
            self, paragraph: int, line: int, margin: int, base: Style
        ) -> Segment: ...
        def speech_style(self, paragraph: int, start: int, end: int, dialogue: Style) -> Style: ...
        def speaker_label(self, paragraph: int) -> str: ...

    def render_line(self, y: int) -> Strip:
        _top, width, base = self.drawing()  # the reader scrolls by its own place
        layout = self._ensure_layout()
        if layout is None:
            if self.story is None and y == self.size.height // 2:
                hint = "Choose a story and press Enter"
                dim = base + component_style(self, "reader--placeholder")
                return centred(hint, dim, base, width)
            return Strip.blank(width, base)
        rows = self._screen_rows(layout)
        if y >= len(rows):  # past the end of the story
            if y == len(rows) + 1 and self.end_note:
                note = base + component_style(self, "reader--placeholder")
                return centred(self.end_note, note, base, width)
            return Strip.blank(width, base)
        row = rows[y]
        key = (row.paragraph, row.line)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(layout, row, width, base)
            self._strips[key] = strip
        return strip

    def _screen_rows(self, layout: Layout) -> list[Row]:
        key = (self._top, self.size.height, layout)
        if self._rows_key != key:
            assert self._top is not None  # _ensure_layout works it out
            self._rows = layout.rows_from(*self._top, self.size.height)
            self._rows_key = key
        return self._rows

    def _render_row(self, layout: Layout, row: Row, width: int, base: Style) -> Strip:
        if row.line < 0:
            return Strip.blank(width, base)
        paragraph = layout.paragraphs[row.paragraph]
        content_width = layout.width
        margin = max(0, (width - content_width) // 2)
        text = paragraph.text[row.start : row.end].rstrip()
        if paragraph.kind == "scene_break":
            style = base + self.get_component_rich_style("reader--scene-break")
            return centred(text.strip(), style, base, width)
        if paragraph.kind == "note":  # an author's note: dim, one line when folded
            base = base + component_style(self, "reader--placeholder")
            folded = self._note_row(row.paragraph, base, base, width)
            if folded is not None:
                return folded
        if paragraph.kind == "heading":
            style = base + self.get_component_rich_style("reader--heading")
            segments = self._styled_segments(paragraph, row.paragraph, row.start, text, style)
            pad = margin + max(0, (content_width - text_cells(text)) // 2)
            strip = Strip([Segment(" " * pad, base), *segments])
            return strip.extend_cell_length(width, base).crop(0, width)
        segments = self._styled_segments(paragraph, row.paragraph, row.start, text, base)
        indent = layout.indent_of(row.paragraph) if row.line == 0 else 0
        last_line = row.line == len(layout.line_starts(row.paragraph)) - 1
        if self.justify and not last_line and "\n" not in paragraph.text[row.start : row.end]:
            segments = justify(segments, content_width - indent)
        gutter = self.speaker_gutter(row.paragraph, row.line, margin, base)
        if indent and layout.labels is not None and (label := self.speaker_label(row.paragraph)):
            lead = Segment(set_cell_size(label, indent), base + _DIM)  # `Name: `, dim
        else:
            lead = Segment(" " * indent, base)
        strip = Strip([gutter, lead, *segments] if indent else [gutter, *segments])
        return strip.extend_cell_length(width, base).crop(0, width)

    def _styled_segments(
        self, paragraph, index: int, start: int, text: str, base: Style
    ) -> list[Segment]:
        """Split a row into runs that share a style: dialogue, emphasis, matches."""
        end = start + len(text)
        layers: list[tuple[int, int, Style]] = []
        dialogue_style = self.dialogue_style()
        for span_start, span_end in self._dialogue_in(index):
            if span_start < end and span_end > start:
                style = self.speech_style(index, span_start, span_end, dialogue_style)
                layers.append((span_start, span_end, style))
        for span_start, span_end, kind in paragraph.emphasis:
            if span_start < end and span_end > start:
                emphasis = ITALIC if kind == "italic" else Style(bold=True)
                layers.append((span_start, span_end, emphasis))
        layers.extend(self._match_layers(index, start, end, base))
        return layered_segments(text, start, base, layers)

    def dialogue_style(self) -> Style:
        """The dialogue's style, its colour made readable on the page if the theme's
        is not."""
        dialogue = self.get_component_rich_style("reader--dialogue", partial=True)
        return readable_on(dialogue, self.rich_style.bgcolor)

    def _match_layers(
        self, index: int, start: int, end: int, base: Style
    ) -> list[tuple[int, int, Style]]:
        """Search highlights in paragraph `index` between `start` and `end`."""
        layers = []
        for number in self._matches_by_paragraph.get(index, ()):
            match = self.matches[number]
            if match.start < end and match.end > start:
                current = number == self.current_match
                name = "reader--current-match" if current else "reader--match"
                style = highlight_style(self.get_component_styles(name), base)
                layers.append((match.start, match.end, style))
        return layers
