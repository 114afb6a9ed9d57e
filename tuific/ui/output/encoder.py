"""Sends the difference between the screen Textual wants and the one the terminal shows.

`OutputOptimiser.feed` takes what Textual wrote for one frame and returns what
to write instead: only cells that change, the SGR attributes that change
between runs, `ESC[K` for blank tails, `ESC[2J` when most of the screen turns
one blank colour, and the scroll region when whole rows move up or down.
"""

from __future__ import annotations

from collections import Counter

from tuific.ui.output.screen import BLANK, WIDE_TAIL, Grid, StreamReader
from tuific.ui.output.sgr import DEFAULT, UNKNOWN, Pen, erasable, sgr_between

# Textual brackets each frame in these (synchronised output) when the terminal has it.
SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"
# Modes whose setting swaps in a cleared screen (xterm clears the alternate screen).
ALT_SCREEN = frozenset({"1049", "1047", "47"})
# Equal cells between two changed ones are written again when the gap is this
# short: a cursor move costs about as much.
GAP = 4
# A blank tail shorter than this is written; `ESC[K` (3 bytes) plus a pen change is not cheaper.
MIN_ERASE = 5


class OutputOptimiser:
    """Keeps the target screen (what Textual drew) and the terminal's screen (what we sent)."""

    def __init__(self, width: int, height: int, *, erase_uses_pen: bool = True) -> None:
        # xterm, tmux, screen, kitty, VTE... erase with the current background
        # (BCE); elsewhere only blanks in the default colours may be erased.
        self.erase_uses_pen = erase_uses_pen
        self._sync_held = False  # a SYNC_START not sent yet
        self._resize(width, height)

    def _resize(self, width: int, height: int) -> None:
        # Terminals reset the scroll region on a resize, most of them: make sure.
        self._preamble = "\x1b[r" if getattr(self, "margins", None) else ""
        self.margins: tuple[int, int] | None = None  # the scroll region we left set
        self.width = width
        self.height = height
        self.target = Grid(width, height)
        self.shown = Grid(width, height)
        self.reader = StreamReader(self.target)
        # (column, row); a column of None: the row is known, the column is not.
        self.cursor: tuple[int | None, int] | None = None
        self.pen = UNKNOWN
        self.out: list[str] = []
        # In this frame; an erase or a scroll counts the rows it moves (a one-line
        # scroll counts one, and the row it brought in none).
        self.rows_drawn = 0
        self.scrolled_in: int | None = None  # the row a one-line scroll brought in

    def feed(self, data: str, size: tuple[int, int] | None = None) -> str:
        """What to send to the terminal instead of `data`, given the terminal's size."""
        if data == SYNC_START:
            self._sync_held = True  # sent only if the frame it opens sends something
            return ""
        if data == SYNC_END and self._sync_held:
            self._sync_held = False
            return ""
        if size is not None and size != (self.width, self.height):
            self._resize(*size)
        self.out = []
        self.rows_drawn = 0
        self.scrolled_in = None
        self.reader.feed(data, self.out.append, self._opaque)
        self._flush_rows()
        if self.reader.cursor_visible and self.reader.placed:
            self._move(self.reader.x, self.reader.y)
        out = self._preamble + "".join(self.out)
        self._preamble = ""
        self.out = []
        if out and self._sync_held and self.rows_drawn > 1:
            self._sync_held = False
            out = SYNC_START + out
        # A frame that draws in one row cannot tear: it goes without the
        # brackets, and SYNC_END, still held for, is dropped with them. Nor can
        # a one-line scroll that draws only the row it brought in: between the
        # two the terminal can show only the moved rows over a blank one, as
        # less does (the brackets are 16 B of the ~70 of a line scroll).
        return out

    def _opaque(self, sequence: str) -> None:
        """A sequence we cannot model: send what we have, then it, then forget the screen."""
        self._flush_rows()
        self._reset_margins()  # never leave a scroll region to what comes next (a shell)
        self.out.append(sequence)
        self.reader.placed = False  # e.g. leaving the alternate screen restores the cursor
        self.target.clear(DEFAULT, None)
        self.shown.clear(DEFAULT, None)
        self.cursor = None
        self.pen = UNKNOWN
        if sequence.startswith("\x1b[?") and sequence[3:-1] in ALT_SCREEN and sequence[-1] == "h":
            # Entering the alternate screen: xterm clears it in the default colours.
            self.target.clear(DEFAULT)
            self.shown.clear(DEFAULT)

    def _flush_rows(self) -> None:
        rows = sorted(self.reader.dirty)
        if not rows:
            return
        self.reader.dirty.clear()
        if len(rows) * 4 >= self.height * 3:
            rows = self._maybe_clear(rows)
        if len(rows) >= 3:
            rows = self._maybe_scroll(rows)
        for y in rows:
            self._row(y)

    # -- whole-screen moves -------------------------------------------------

    def _maybe_clear(self, rows: list[int]) -> list[int]:
        """Erase the screen in its background when most of it is blank in a new background.

        Counted cheaply (the pen of each row's last cell, C-level counts of
        blanks): a wrong guess costs bytes, never cells, since every row is
        then compared with the erased screen and drawn where it differs.
        """
        target, shown = self.target, self.shown
        backgrounds: Counter[Pen] = Counter(
            target.pens[y][-1] for y in range(self.height) if target.chars[y][-1] == BLANK
        )
        if not backgrounds:
            return rows
        pen, count = backgrounds.most_common(1)[0]
        if count * 2 < self.height or not self._can_erase_with(pen):
            return rows
        blanks = sum(target.chars[y].count(BLANK) for y in range(self.height))
        if blanks * 2 < self.width * self.height:
            return rows
        if sum(1 for y in range(self.height) if shown.pens[y][-1] is pen) * 2 >= self.height:
            return rows  # the screen is mostly that background already
        if any(None in target.chars[y] for y in range(self.height)):
            return rows  # cells we could not draw again after erasing them
        self._set_pen(pen)
        self.out.append("\x1b[2J")
        self.rows_drawn += self.height
        shown.clear(pen)
        return list(range(self.height))

    def _can_erase_with(self, pen: Pen) -> bool:
        return erasable(pen) and (self.erase_uses_pen or (pen.bg is None and not pen.attrs))

    def _maybe_scroll(self, rows: list[int]) -> list[int]:
        """Scroll part of the screen when rows Textual redrew are on screen elsewhere."""
        target, shown = self.target, self.shown
        where: dict[tuple, int] = {}
        for y in range(self.height):
            key = (tuple(shown.chars[y]), tuple(shown.pens[y]))
            where.setdefault(key, y)
        votes: Counter[int] = Counter()
        for y in rows:
            if target.chars[y] == shown.chars[y] and target.pens[y] == shown.pens[y]:
                continue
            found = where.get((tuple(target.chars[y]), tuple(target.pens[y])))
            if found is not None and found != y:
                votes[found - y] += 1
        if not votes:
            return rows
        shift, count = votes.most_common(1)[0]
        if count < 2 or abs(shift) >= self.height - 1:
            return rows
        moved = [
            y
            for y in rows
            if 0 <= y + shift < self.height
            and target.chars[y] == shown.chars[y + shift]
            and target.pens[y] == shown.pens[y + shift]
        ]
        top = min(moved) + min(shift, 0)
        bottom = max(moved) + max(shift, 0)
        region = range(top, bottom + 1)
        if any(None in target.chars[y] for y in region):
            return rows
        before = sum(self._same(y, y) for y in region)
        after = sum(
            self._same(y, y + shift) for y in region if top <= y + shift <= bottom
        )
        cost = 20 + 2 * abs(shift)
        if (after - before) * self.width <= cost:
            return rows
        self._scroll(top, bottom, shift)
        return sorted(set(rows) | set(region))

    def _same(self, y: int, shown_y: int) -> bool:
        target, shown = self.target, self.shown
        return target.chars[y] == shown.chars[shown_y] and target.pens[y] == shown.pens[shown_y]

    def _scroll(self, top: int, bottom: int, shift: int) -> None:
        """Move rows top..bottom up by `shift` (down if negative) with the scroll region."""
        # New rows come in blank in the current background (xterm's BCE, which
        # pyte lacks): with a pen whose blanks look alike erased, that is what
        # they show; otherwise they are unknown and drawn whole.
        # Scrolling in the background the first new row is drawn on spares
        # writing its blanks.
        new_row = bottom if shift > 0 else top
        background = self.target.pens[new_row][-1]
        if self.target.chars[new_row][-1] == BLANK and self._can_erase_with(background):
            self._set_pen(background)
        pen = self.pen
        fill = BLANK if pen is not UNKNOWN and self._can_erase_with(pen) else None
        out = self.out
        if abs(shift) == 1:
            self.rows_drawn += 1
            self.scrolled_in = new_row
        else:
            self.rows_drawn += bottom - top + 1
        if top == 0 and bottom == self.height - 1:
            self._reset_margins()
        elif self.margins != (top, bottom):
            # Left set after the scroll: the next line scroll in the same
            # region (the usual case) needs no DECSTBM. Every move below
            # keeps clear of what margins change (CUD and LF stop or scroll
            # at the bottom margin), and an opaque sequence resets them.
            out.append(f"\x1b[{top + 1};{bottom + 1}r")
            self.margins = (top, bottom)
            self.cursor = None  # DECSTBM homes the cursor
        if shift > 0:
            self._move(0, bottom)
            out.append("\x1bD" * shift)  # index: at the bottom margin it scrolls up
        else:
            self._move(0, top)
            out.append("\x1bM" * -shift)  # reverse index: at the top margin it scrolls down
        shown = self.shown
        chars, pens = shown.chars, shown.pens
        blank_chars = [[fill] * self.width for _ in range(abs(shift))]
        blank_pens = [[pen if fill else DEFAULT] * self.width for _ in range(abs(shift))]
        if shift > 0:
            chars[top : bottom + 1] = chars[top + shift : bottom + 1] + blank_chars
            pens[top : bottom + 1] = pens[top + shift : bottom + 1] + blank_pens
        else:
            chars[top : bottom + 1] = blank_chars + chars[top : bottom + 1 + shift]
            pens[top : bottom + 1] = blank_pens + pens[top : bottom + 1 + shift]

    # -- one row ------------------------------------------------------------

    def _row(self, y: int) -> None:
        target_chars, target_pens = self.target.chars[y], self.target.pens[y]
        shown_chars, shown_pens = self.shown.chars[y], self.shown.pens[y]
        if target_chars == shown_chars and target_pens == shown_pens:
            return
        width = self.width
        changed = [
            x
            for x in range(width)
            if target_chars[x] is not None
            and (target_chars[x] != shown_chars[x] or target_pens[x] is not shown_pens[x])
        ]
        if not changed:
            return
        if y != self.scrolled_in:
            self.rows_drawn += 1
        runs: list[list[int]] = []
        for x in changed:
            if runs and x - runs[-1][1] <= GAP + 1 and None not in target_chars[runs[-1][1] : x]:
                runs[-1][1] = x
            else:
                runs.append([x, x])
        for run in runs:
            if target_chars[run[0]] == WIDE_TAIL and run[0] > 0:
                run[0] -= 1
            if run[1] + 1 < width and target_chars[run[1] + 1] == WIDE_TAIL:
                run[1] += 1
        tail = self._blank_tail(target_chars, target_pens)
        for start, end in runs[:-1]:
            self._write(y, start, end + 1)
        start, end = runs[-1]
        if tail < width and end >= tail and width - max(start, tail) >= MIN_ERASE:
            if start < tail:
                self._write(y, start, tail)
            self._move(max(start, tail), y)
            self._set_pen(target_pens[width - 1])
            self.out.append("\x1b[K")
            shown_chars[tail:] = target_chars[tail:]
            shown_pens[tail:] = target_pens[tail:]
        else:
            self._write(y, start, end + 1)

    def _blank_tail(self, chars: list, pens: list[Pen]) -> int:
        """Where the row's trailing blanks in one erasable pen begin (the width if none)."""
        x = self.width
        pen = pens[x - 1]
        if not self._can_erase_with(pen):
            return x
        while x > 0 and chars[x - 1] == BLANK and pens[x - 1] is pen:
            x -= 1
        return x

    def _write(self, y: int, start: int, end: int) -> None:
        """Write target cells start..end-1 of row y."""
        chars, pens = self.target.chars[y], self.target.pens[y]
        self._move(start, y)
        out = self.out
        pen = self.pen
        plain = True
        for x in range(start, end):
            char = chars[x]
            if char == WIDE_TAIL:
                continue
            assert char is not None  # _row never puts an unknown cell in a run
            if pens[x] is not pen:
                out.append(sgr_between(pen, pens[x]))
                pen = pens[x]
            out.append(char)
            plain = plain and char.isascii()
        self.pen = pen
        self.shown.chars[y][start:end] = chars[start:end]
        self.shown.pens[y][start:end] = pens[start:end]
        # After the last column the next move is absolute. After a character
        # whose width terminals may disagree on (curly quotes are East Asian
        # "ambiguous") only the column is unknown: autowrap is off, so the row
        # holds, and CR reaches column 0 for a byte instead of a 5-byte CUP.
        self.cursor = (end if plain else None, y) if end < self.width else None

    def _reset_margins(self) -> None:
        if self.margins is not None:
            self.out.append("\x1b[r")
            self.margins = None
            self.cursor = None  # terminals home the cursor; pyte does not on `ESC[r`

    def _set_pen(self, pen: Pen) -> None:
        if pen is not self.pen:
            self.out.append(sgr_between(self.pen, pen))
            self.pen = pen

    def _move(self, x: int, y: int) -> None:
        cursor = self.cursor
        if cursor == (x, y):
            return
        self.out.append(self._shortest_move(cursor, x, y))
        self.cursor = (x, y)

    def _shortest_move(self, cursor: tuple[int | None, int] | None, x: int, y: int) -> str:
        absolute = f"\x1b[{y + 1}H" if x == 0 else f"\x1b[{y + 1};{x + 1}H"
        if cursor is None:
            return absolute
        column, row = cursor
        if row == y:
            if x == 0:
                return "\r"
            if column is None:
                move = "\r" + ("\x1b[C" if x == 1 else f"\x1b[{x}C")
                return move if len(move) < len(absolute) else absolute
            step = x - column
            if step > 0:
                return "\x1b[C" if step == 1 else f"\x1b[{step}C"
            return "\x1b[D" if step == -1 else f"\x1b[{-step}D"
        # With a scroll region set, CUD and LF stop at (or scroll from) its
        # bottom margin, and pyte clamps them into the region from outside it
        # too: they are used only within it.
        free = self.margins is None or (self.margins[0] <= row and y <= self.margins[1])
        if column == x and y > row and free:
            step = y - row
            return "\x1b[B" if step == 1 else f"\x1b[{step}B"
        if y == row + 1 and free:
            # CR LF: column 0 of the next row whether or not the tty adds a CR
            # to LF (ONLCR).
            move = "\r\n" + ("" if x == 0 else "\x1b[C" if x == 1 else f"\x1b[{x}C")
            if len(move) + 1 < len(absolute):  # the tty's ONLCR sends LF as CR LF
                return move
        return absolute
