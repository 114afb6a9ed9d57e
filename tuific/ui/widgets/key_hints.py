"""The footer line: the keys that work where the focus is, on one line."""

from __future__ import annotations

from rich.segment import Segment
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from tuific.ui.widgets.row_styles import readable_on


class KeyHints(Widget):
    """Textual's Footer made light: one widget that repaints its line when the
    bindings change. (The Footer builds a widget per key and rebuilds them all on
    every focus change: a relayout each time, some while the library is loading.)
    Keys only; the keyboard is the way in. Drawn through the Line API: the line as
    a rich Text went through Textual's content conversion, ~2 ms of the first frame."""

    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description"}

    # Blank until the screen first reports its bindings (just after the first
    # frame, as with Textual's Footer): the first frame carries the story or list.
    # Then (key, description) for each key shown, and the palette's key, if any.
    _keys: tuple[tuple[str, str], ...] = ()
    _palette: str | None = None

    # A dialog over the screen (help, chapters, the palette…) whose keys the line
    # shows meanwhile: the screen's own keys (q Quit, ⏎ Open) do not work there.
    _dialog: Screen | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.screen_change_signal.unsubscribe(self)
        self._watch_dialog(None)

    def _watch_dialog(self, dialog: Screen | None) -> None:
        if self._dialog is not None:
            self._dialog.bindings_updated_signal.unsubscribe(self)
        self._dialog = dialog
        if dialog is not None:
            dialog.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _screen_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self._watch_dialog(None)
        elif screen is not self._dialog:
            self._watch_dialog(screen)
        self._bindings_changed(screen)

    def _bindings_changed(self, screen: Screen) -> None:
        # The screen reports its bindings after many a message that changed none of
        # them (a filter keystroke, say): the line is drawn again only if they differ.
        if screen is not self.app.screen or screen not in (self.screen, self._dialog):
            return
        own = screen is self.screen
        display = self.app.get_key_display
        bindings = screen.active_bindings
        keys, seen = [], set()
        for node, binding, enabled, _tooltip in bindings.values():
            if not own and node is self.app:
                continue  # the app's keys are the screen's, not the dialog's
            if binding.show and enabled and binding.action not in seen:
                seen.add(binding.action)
                keys.append((display(binding), binding.description))
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None
        if own and palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            palette_key = display(palette.binding)
        if (tuple(keys), palette_key) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys), palette_key
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if y != 0 or width <= 0:
            return Strip.blank(width, base)
        # The light theme's footer keys (its blue on grey) read at 2.9:1.
        key_style = readable_on(
            base + self.get_component_rich_style("key-hints--key"), base.bgcolor
        )
        description_style = base + self.get_component_rich_style("key-hints--description")
        segments = []
        for key, description in self._keys:
            segments.append(Segment(f" {key} ", key_style))
            segments.append(Segment(f"{description} ", description_style))
        strip = Strip(segments)
        if self._palette is not None:
            hint = Strip(
                [Segment(f" {self._palette} ", key_style), Segment("palette ", description_style)]
            )
            gap = max(1, width - strip.cell_length - hint.cell_length)
            strip = Strip.join([strip, Strip([Segment(" " * gap, base)]), hint])
        if strip.cell_length > width:  # too narrow: cut, and say so
            strip = Strip.join([strip.crop(0, width - 1), Strip([Segment("…", description_style)])])
        return strip.extend_cell_length(width, base)
