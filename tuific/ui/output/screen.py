"""A model of the terminal's cells, and the reader of the escape stream Textual writes."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import get_character_cell_size

from tuific.lazy_regex import lazy_compile
from tuific.ui.output.sgr import DEFAULT, Pen, apply_sgr, with_link

# None marks a cell whose content is unknown (after a resize or a sequence we
# cannot model): it never equals a known cell, so it is always drawn again.
Cell = str | None
BLANK = " "
WIDE_TAIL = ""  # the right half of a double-width character

TOKEN = lazy_compile(
    r"\x1b\[([0-?]*)([ -/]*)([@-~])"  # CSI: params, intermediates, final
    r"|\x1b\](\d*)(;[^\x07\x1b]*)?(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|\x1b([ -~])"  # other escapes
    r"|([\x00-\x1f\x7f])"  # C0 controls
    r"|([^\x00-\x1f\x7f]+)"  # text
)
# Private modes whose change leaves every cell as it was.
HARMLESS_MODES = frozenset(
    {"?25", "?1000", "?1002", "?1003", "?1004", "?1006", "?1015", "?1016", "?2004", "?2026",
     "?12", "?1", "?2048", "?7"}
)  # fmt: skip


class Grid:
    """Rows of characters and pens; `chars[y][x]` and `pens[y][x]`."""

    def __init__(self, width: int, height: int, fill: Cell = None) -> None:
        self.width = width
        self.height = height
        self.chars: list[list[Cell]] = [[fill] * width for _ in range(height)]
        self.pens: list[list[Pen]] = [[DEFAULT] * width for _ in range(height)]

    def clear(self, pen: Pen, fill: Cell = BLANK) -> None:
        for y in range(self.height):
            self.chars[y] = [fill] * self.width
            self.pens[y] = [pen] * self.width


class StreamReader:
    """Applies the stream Textual writes to a target grid and marks the rows it touched.

    Sequences that change no cell (mouse modes, queries, bells) are handed to
    `passthrough`; a sequence whose effect cannot be modelled is handed to
    `opaque`, which must make the model forget what it knew.
    """

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.x = 0
        self.y = 0
        self.pen = DEFAULT
        self.dirty: set[int] = set()
        self.cursor_visible = True
        self.placed = False  # whether x, y are where the stream put the cursor

    def feed(
        self,
        data: str,
        passthrough: Callable[[str], None],
        opaque: Callable[[str], None],
    ) -> None:
        pos = 0
        end = len(data)
        match_at = TOKEN.match
        while pos < end:
            token = match_at(data, pos)
            if token is None:  # a lone ESC or an unfinished sequence
                opaque(data[pos:])
                return
            pos = token.end()
            kind = token.lastindex  # which alternative of TOKEN matched
            if kind == 8:
                self._text(token.group(8))
            elif kind == 3:
                whole, params, inter, final = token.group(0, 1, 2, 3)
                if final == "m" and not inter and (not params or params[0] not in "<=>?"):
                    self.pen = apply_sgr(self.pen, params)
                else:
                    self._csi(whole, params, inter, final, passthrough, opaque)
            elif kind == 4 or kind == 5:
                whole = token.group(0)
                if token.group(4) == "8":
                    link = None if whole.startswith("\x1b]8;;") else whole
                    self.pen = with_link(self.pen, link)
                else:
                    passthrough(whole)
            elif kind == 7:
                self._control(token.group(7), passthrough, opaque)
            else:
                opaque(token.group(0))  # ESC 7, ESC 8, ESC c, charsets...

    def _control(self, char: str, passthrough, opaque) -> None:
        if char == "\r":
            self.x = 0
        elif char == "\n":
            if self.y < self.grid.height - 1:
                self.y += 1  # Textual follows each newline with an absolute move
            else:
                opaque(char)  # a scroll we did not plan
        elif char == "\b":
            self.x = max(0, self.x - 1)
        elif char == "\x07":
            passthrough(char)
        else:
            opaque(char)

    def _csi(self, whole: str, params: str, inter: str, final: str, passthrough, opaque) -> None:
        if inter:
            passthrough(whole)  # DECRQM (`$p`), cursor shape (` q`)
            return
        if final == "m" and not params.startswith(("<", "=", ">", "?")):
            self.pen = apply_sgr(self.pen, params)
            return
        if params[:1] in "<=>" and params:
            passthrough(whole)  # keyboard protocol, device attributes
            return
        if params.startswith("?"):
            if final in "hl":
                modes = {"?" + mode for mode in params[1:].split(";")}
                if "?25" in modes:
                    self.cursor_visible = final == "h"
                if modes <= HARMLESS_MODES:
                    passthrough(whole)
                    return
            opaque(whole)
            return
        numbers = [int(n) if n.isdigit() else 0 for n in params.split(";")] if params else []
        first = numbers[0] if numbers else 0
        if final in "Hf":
            row = numbers[0] if numbers and numbers[0] else 1
            col = numbers[1] if len(numbers) > 1 and numbers[1] else 1
            self.y = min(row, self.grid.height) - 1
            self.x = min(col, self.grid.width) - 1
            self.placed = True
        elif final == "A":
            self.y = max(0, self.y - (first or 1))
        elif final == "B":
            self.y = min(self.grid.height - 1, self.y + (first or 1))
        elif final == "C":
            self.x = min(self.grid.width - 1, self.x + (first or 1))
        elif final == "D":
            self.x = max(0, self.x - (first or 1))
        elif final == "G":
            self.x = min(self.grid.width, first or 1) - 1
        elif final == "d":
            self.y = min(self.grid.height, first or 1) - 1
        elif final == "n" or final == "c" or final == "t":
            passthrough(whole)  # reports and window operations
        else:
            opaque(whole)

    def _text(self, text: str) -> None:
        grid = self.grid
        y = self.y
        if y >= grid.height:
            return
        chars = grid.chars[y]
        pens = grid.pens[y]
        width = grid.width
        x = self.x
        self.dirty.add(y)
        if x < width and chars[x] == WIDE_TAIL and x > 0:
            chars[x - 1] = BLANK  # the left half of a wide character written over
        if text.isascii():
            room = width - x
            if len(text) > room > 0:
                # Autowrap is off (Textual turns it off): characters past the
                # last column each overwrite it, so the last one stays.
                text = text[: room - 1] + text[-1]
            count = min(len(text), room)
            if count > 0:
                chars[x : x + count] = text[:count]
                pens[x : x + count] = [self.pen] * count
            x += max(count, 0)
        else:
            pen = self.pen
            for char in text:
                size = get_character_cell_size(char)
                if size == 0:
                    before = chars[x - 1] if x > 0 else None
                    if before is not None:
                        chars[x - 1] = before + char  # a combining mark joins the cell before
                    continue
                if x + size > width:
                    if size == 2:
                        break  # Textual never splits a wide character at the edge
                    x = width - 1  # autowrap is off: it overwrites the last column
                chars[x] = char
                pens[x] = pen
                if size == 2:
                    chars[x + 1] = WIDE_TAIL
                    pens[x + 1] = pen
                x += size
        if x < width and chars[x] == WIDE_TAIL:
            chars[x] = BLANK  # the right half of a wide character written over
        self.x = min(x, width - 1) if x >= width else x
