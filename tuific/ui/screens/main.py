"""The main screen (the three panes) and its filter line."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Input

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

    _resumed = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget when a screen resumes (the theme may have
        # changed under a dialog). The first resume comes just after the mount styled
        # them all, and the restyle delayed the first frame by a few milliseconds.
        # This handler runs before Screen's own, which reads the flag.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        self._lay_out_soon()

    def _screen_resized(self, size: Size) -> None:
        # Textual sends a starting screen a Resize from three places. A blank app's
        # arrive together and replace one another in its queue; ours arrive apart
        # (the screen is busy listing a library), and each laid out and drew the
        # whole screen again at the size it already had (layout waiting to be done is
        # done by the next frame, as always). A new size still lays out at once.
        if size != self._compositor.size:
            super()._screen_resized(size)


class FilterInput(Input):
    """The filter line: ↓ goes to the list, as in a browser's search box."""

    BINDINGS = [Binding("down", "app.focus_list", "To the list", show=False, id="focus_list")]
