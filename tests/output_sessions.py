"""Record what the app writes to the terminal in a session, and replay it on pyte.

`RecordingDriver` is Textual's headless driver claiming not to be headless, so
`App._display` renders every frame and hands it to `write` as it would to a
real terminal; each write is kept with the screen size it was drawn for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

import pyte
from textual.drivers.headless_driver import HeadlessDriver

from tuific.ui.output.encoder import OutputOptimiser

Writes = list[tuple[str, tuple[int, int]]]


class RecordingDriver(HeadlessDriver):
    writes: Writes  # set per app by `record`

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        self._app._recorded.append((data, tuple(self._app.size)))


async def record(app, size: tuple[int, int], keys: Callable[[object], Awaitable[None]]) -> Writes:
    """Run `app` at `size` with the real frame output, drive it with `keys(pilot)`."""
    app._recorded = []
    app.driver_class = RecordingDriver
    async with app.run_test(size=size, headless=False) as pilot:
        await keys(pilot)
        await pilot.pause()
    return app._recorded


class TerminalScreen(pyte.Screen):
    """pyte's screen, erasing and scrolling as xterm, tmux and most terminals do.

    pyte 0.8 keeps rows as sparse dicts and its erase_in_display only touches
    cells written before, leaving never-written cells in the default colours;
    and rows scrolled in come blank in the default colours, where terminals
    with background colour erase (BCE: xterm, tmux, VTE, kitty...) fill them
    with the current background. The blanks the output layer erases or scrolls
    in carry no attribute that shows on a blank, so copying the whole pen (as
    pyte's erase_in_line does) is what the eye sees.
    """

    def _fill_row(self, y: int) -> None:
        line = self.buffer[y]
        attrs = self.cursor.attrs
        for x in range(self.columns):
            line[x] = attrs

    def index(self) -> None:
        top, bottom = self.margins or (0, self.lines - 1)
        at_bottom = self.cursor.y == bottom
        super().index()
        if at_bottom:
            self._fill_row(bottom)

    def reverse_index(self) -> None:
        top, bottom = self.margins or (0, self.lines - 1)
        at_top = self.cursor.y == top
        super().reverse_index()
        if at_top:
            self._fill_row(top)

    def erase_in_display(self, how: int = 0, *args, **kwargs) -> None:
        if how in (2, 3):
            for y in range(self.lines):
                self._fill_row(y)
            self.dirty.update(range(self.lines))
        else:
            super().erase_in_display(how, *args, **kwargs)


def new_screen(size: tuple[int, int]) -> tuple[pyte.Screen, pyte.Stream]:
    screen = TerminalScreen(*size)
    return screen, pyte.Stream(screen)


def cells(screen: pyte.Screen) -> list[list[tuple]]:
    """Every cell: character, fg, bg, bold, italics, underline, strikethrough, reverse, blink."""
    return [
        [tuple(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines)
    ]


def optimise(writes: Writes, erase_uses_pen: bool = True) -> list[str]:
    """The optimised stream, one string per write."""
    width, height = writes[0][1] if writes else (80, 24)
    optimiser = OutputOptimiser(width, height, erase_uses_pen=erase_uses_pen)
    return [optimiser.feed(data, size) for data, size in writes]


def replay_both(writes: Writes, optimised: Iterable[str]) -> Iterable[tuple[int, list, list]]:
    """Feed the raw and the optimised streams to two pyte screens; yield both after each write."""
    size = writes[0][1] if writes else (80, 24)
    raw_screen, raw_stream = new_screen(size)
    opt_screen, opt_stream = new_screen(size)
    for index, ((data, size_now), better) in enumerate(zip(writes, optimised, strict=True)):
        for screen in (raw_screen, opt_screen):
            if (screen.columns, screen.lines) != size_now:
                screen.resize(size_now[1], size_now[0])
        raw_stream.feed(data)
        opt_stream.feed(better)
        yield index, cells(raw_screen), cells(opt_screen)
