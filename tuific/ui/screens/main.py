"""The main screen (the three panes) and its filter line."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Input

from tuific import startup_tricks

if TYPE_CHECKING:
    from tuific.ui.app import TuificApp


class MainScreen(Screen):
    """The three panes. Lays them out whenever its size changes or it comes back
    from under a dialog (the terminal may have been resized meanwhile)."""

    # The app focuses the list or the reader itself: focusing the filter line first
    # would restyle three widgets for nothing before the first frame.
    AUTO_FOCUS = ""

    def on_resize(self) -> None:
        self._lay_out_soon()

    def _lay_out_soon(self) -> None:
        app = cast("TuificApp", self.app)
        app.call_after_refresh(app.lay_out)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        startup_tricks.skip_first_restyle(self, event)
        self._lay_out_soon()


class FilterInput(Input):
    """The filter line: Enter or ↓ goes to the list, as in a browser's search box (the
    footer says so: typing a filter, it had shown nothing but the palette)."""

    BINDINGS = [
        Binding("enter", "submit", "To the list"),
        Binding("down", "app.focus_list", "To the list", show=False, id="focus_list"),
    ]

    # Input sets its virtual size to its text's width at every keystroke, and
    # Widget's `virtual_size` asks for a layout of the whole screen when it changes.
    # The line is one row of fixed size that scrolls its own text: a repaint does.
    virtual_size = Reactive(Size(0, 0), layout=False)
