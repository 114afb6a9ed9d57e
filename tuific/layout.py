"""Lazy line layout for the reader: wrap only the paragraphs on screen.

A place in the story is a `Position` (paragraph index, character offset), which
does not depend on the terminal's width. Screen rows are found by wrapping the
paragraphs around that place on demand, with the break offsets of recently seen
paragraphs kept in an LRU cache, so opening, paging, jumping to the end and
resizing cost the same for a ten-thousand-word story and a million-word one.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size

from tuific.lazy_regex import lazy_compile
from tuific.model import Paragraph

# Characters that may take two cells or none; text without them is measured by len().
_NOT_NARROW = lazy_compile(r"[^\x20-\x7e\u00a0-\u02ff\u2010-\u2027\u2030-\u205e]")


class Row(NamedTuple):
    """One screen row: a slice of a paragraph's text, or a blank spacer row."""

    paragraph: int
    line: int  # index of the wrapped line within the paragraph; -1 for a spacer
    start: int
    end: int


def wrap_starts(text: str, width: int) -> list[int]:
    """Start offsets of the lines `text` wraps into at `width` cells.

    Greedy at spaces; a word longer than the line is cut. Explicit newlines
    start a new line. The line at start s runs to the next start (or the end),
    with its trailing spaces and newline to be trimmed by the caller.
    """
    width = max(1, width)
    starts = [0]
    narrow = not _NOT_NARROW.search(text)
    pos = 0
    for segment in text.split("\n"):
        if pos:
            starts.append(pos)
        if narrow:
            _wrap_narrow(text, pos, pos + len(segment), width, starts)
        else:
            _wrap_wide(text, pos, pos + len(segment), width, starts)
        pos += len(segment) + 1
    return starts


def _wrap_narrow(text: str, pos: int, end: int, width: int, starts: list[int]) -> None:
    while end - pos > width:
        cut = text.rfind(" ", pos, pos + width + 1)
        if cut <= pos:
            pos += width
        else:
            pos = cut + 1
            while pos < end and text[pos] == " ":
                pos += 1
            if pos >= end:
                return
        starts.append(pos)


def _wrap_wide(text: str, pos: int, end: int, width: int, starts: list[int]) -> None:
    used = 0
    last_space = -1
    line_start = pos
    index = pos
    while index < end:
        char = text[index]
        size = get_character_cell_size(char)
        if used + size > width and index > line_start:
            if char == " ":
                line_start = index + 1
            elif last_space > line_start:
                line_start = last_space + 1
            else:
                line_start = index
            starts.append(line_start)
            index = line_start
            used = 0
            last_space = -1
            continue
        if char == " ":
            last_space = index
        used += size
        index += 1


def indented_starts(text: str, width: int, indent: int) -> list[int]:
    """wrap_starts with the first line `indent` cells shorter (a first-line indent)."""
    first = wrap_starts(text, width - indent)  # the first line, as if the pane were narrower
    if len(first) == 1:
        return first
    return [0, *(first[1] + start for start in wrap_starts(text[first[1] :], width))]


# With no blank line between paragraphs, the first line of each text paragraph that
# follows another is indented by this many cells, as printed books do.
INDENT = 2


class Layout:
    """Maps positions to screen rows for one story at one width."""

    CACHE_SIZE = 2048

    def __init__(
        self,
        paragraphs: list[Paragraph],
        width: int,
        spacing: int = 1,
        char_starts: array[int] | None = None,
        folded: dict[int, int] | None = None,
        labels: Callable[[int], int] | None = None,
    ) -> None:
        self.paragraphs = paragraphs
        self.width = max(1, width)
        self.spacing = max(0, spacing)
        # Cells a paragraph's first line leaves for a label before its text (a
        # speaker's name where the margin is too narrow for it); 0: none.
        self.labels = labels
        # Folded author's notes: paragraph -> the rows it takes (1 for the first of a
        # run, its one-line label; 0 for the rest). See tuific.notes.
        self.folded = folded or {}
        self._starts: OrderedDict[int, list[int]] = OrderedDict()
        # Prefix sums of paragraph lengths, for progress and proportional jumps.
        # They do not depend on the width, so a resize passes the old ones in.
        self.char_starts = char_starts if char_starts is not None else char_offsets(paragraphs)

    @property
    def total_chars(self) -> int:
        return self.char_starts[-1]

    def line_starts(self, index: int) -> list[int]:
        starts = self._starts.get(index)
        if starts is None:
            paragraph = self.paragraphs[index]
            if paragraph.kind == "scene_break" or index in self.folded:
                starts = [0]
            elif indent := self.indent_of(index):  # the book indent, or a label's
                starts = indented_starts(paragraph.text, self.width, indent)
            else:
                starts = wrap_starts(paragraph.text, self.width)
            self._starts[index] = starts
            if len(self._starts) > self.CACHE_SIZE:
                self._starts.popitem(last=False)
        else:
            self._starts.move_to_end(index)
        return starts

    def indent_of(self, index: int) -> int:
        """Cells before the first line of paragraph `index`: its label's, if it has
        one; else INDENT for a text paragraph after another when paragraphs have no
        blank line between them."""
        if self.paragraphs[index].kind != "text":
            return 0
        if self.labels is not None and (label := self.labels(index)):
            return min(label, self.width // 2)  # the text keeps half the line at least
        if self.spacing or index == 0:
            return 0
        return INDENT if self.paragraphs[index - 1].kind == "text" else 0

    def rows_in(self, index: int) -> int:
        """Rows a paragraph takes, spacer included (none after the last)."""
        spacer = self.spacing if index < len(self.paragraphs) - 1 else 0
        folded = self.folded.get(index)
        if folded is not None:
            return folded + spacer if folded else 0
        return len(self.line_starts(index)) + spacer

    def row(self, index: int, line: int) -> Row:
        starts = self.line_starts(index)
        if line >= len(starts):
            return Row(index, -1, 0, 0)
        text = self.paragraphs[index].text
        end = starts[line + 1] if line + 1 < len(starts) else len(text)
        return Row(index, line, starts[line], end)

    # -- positions and rows -------------------------------------------------

    def line_of(self, index: int, offset: int) -> int:
        """The wrapped line of paragraph `index` holding character `offset`."""
        if not self.paragraphs:
            return 0
        return max(0, bisect_right(self.line_starts(index), offset) - 1)

    def offset_of(self, index: int, line: int) -> int:
        starts = self.line_starts(index)
        return starts[min(max(line, 0), len(starts) - 1)]

    def rows_from(self, index: int, line: int, count: int) -> list[Row]:
        """`count` rows starting at wrapped line `line` of paragraph `index`."""
        rows: list[Row] = []
        total = len(self.paragraphs)
        while len(rows) < count and index < total:
            for current in range(line, self.rows_in(index)):
                rows.append(self.row(index, current))
                if len(rows) == count:
                    break
            index += 1
            line = 0
        return rows

    def advance(self, index: int, line: int, delta: int) -> tuple[int, int]:
        """Move `delta` rows down (or up when negative) from (index, line), clamped."""
        if not self.paragraphs:
            return 0, 0
        line += delta
        while line < 0 and index > 0:
            index -= 1
            line += self.rows_in(index)
        if line < 0:
            return 0, 0
        while index < len(self.paragraphs) - 1 and line >= self.rows_in(index):
            line -= self.rows_in(index)
            index += 1
        last_rows = self.rows_in(index)
        return index, min(line, max(0, last_rows - 1))

    def last_page(self, height: int) -> tuple[int, int]:
        """The top row that shows the story's end on the last screen."""
        if not self.paragraphs:
            return 0, 0
        last = len(self.paragraphs) - 1
        return self.clamp_top(last, self.rows_in(last) - 1, height, bottom=True)

    def clamp_top(
        self, index: int, line: int, height: int, bottom: bool = False
    ) -> tuple[int, int]:
        """Keep the top from scrolling past the last full screen.

        With `bottom`, (index, line) is the row to show at the bottom of the screen.
        """
        if not self.paragraphs:
            return 0, 0
        if not bottom:
            rows = self.rows_from(index, line, height)
            if len(rows) >= height:
                return index, line
            last = len(self.paragraphs) - 1
            index, line = last, self.rows_in(last) - 1
        return self.advance(index, line, -(max(1, height) - 1))

    def fraction(self, index: int, offset: int) -> float:
        """How far through the story a place is, 0..1, by characters."""
        if not self.paragraphs or self.total_chars <= 1:
            return 0.0
        return min(1.0, (self.char_starts[index] + offset) / (self.total_chars - 1))

    def at_fraction(self, fraction: float) -> tuple[int, int]:
        """The paragraph and offset `fraction` of the way through the story."""
        if not self.paragraphs:
            return 0, 0
        target = int(max(0.0, min(1.0, fraction)) * (self.total_chars - 1))
        index = min(len(self.paragraphs) - 1, bisect_right(self.char_starts, target) - 1)
        return index, min(target - self.char_starts[index], len(self.paragraphs[index].text))


def char_offsets(paragraphs: list[Paragraph]) -> array[int]:
    """Where each paragraph starts in the story's text (paragraphs joined by newlines),
    then the text's length plus one; as machine integers (a list of ints held 1.6 MiB
    of the reader's heap on a million words)."""
    return array("q", accumulate((len(p.text) + 1 for p in paragraphs), initial=0))


def text_cells(text: str) -> int:
    return len(text) if not _NOT_NARROW.search(text) else cell_len(text)


class ReaderPlace(NamedTuple):
    """A place in a story, whatever the width: a paragraph and a character in it."""

    paragraph: int
    offset: int


def clamped_place(place: ReaderPlace, paragraphs: list) -> ReaderPlace:
    """A saved place inside the story as it is now (the file may have shrunk)."""
    if not paragraphs:
        return ReaderPlace(0, 0)
    paragraph = max(0, min(place.paragraph, len(paragraphs) - 1))
    offset = max(0, min(place.offset, len(paragraphs[paragraph].text)))
    return ReaderPlace(paragraph, offset)


def stepped_width(current: int, step: int, anchor: int, low: int, high: int) -> int:
    """The next reading width from `current`, a `step` wider or narrower: on the grid
    of `anchor` (the configured width) plus or minus whole steps, within [low, high].
    From a width that was cut to fit a pane (70, say, with 72 configured), `>` goes
    to 72, not 74: the configured width stays reachable."""
    size = abs(step)
    offset = current - anchor
    if step > 0:
        target = anchor + (offset // size + 1) * size
    else:
        target = anchor + (-((-offset) // size) - 1) * size
    return max(low, min(high, target))
