"""The footer line: the keys that work where the focus is, on one line."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyHints(Widget):
    """Textual's Footer made light: one widget that repaints its line when the
    bindings change. (The Footer builds a widget per key and rebuilds them all on
    every focus change: a relayout each time, some while the library is loading.)
    Keys only; the keyboard is the way in."""

    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description"}

    # Blank until the screen first reports its bindings (just after the first
    # frame, as with Textual's Footer): the first frame carries the story or list.
    # Then (key, description) for each key shown, and the palette's key, if any.
    _keys: tuple[tuple[str, str], ...] = ()
    _palette: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        # The screen reports its bindings after many a message that changed none of
        # them (a filter keystroke, say): the line is drawn again only if they differ.
        if screen is not self.screen:
            return
        display = self.app.get_key_display
        bindings = self.screen.active_bindings
        keys, seen = [], set()
        for _node, binding, enabled, _tooltip in bindings.values():
            if binding.show and enabled and binding.action not in seen:
                seen.add(binding.action)
                keys.append((display(binding), binding.description))
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            palette_key = display(palette.binding)
        if (tuple(keys), palette_key) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys), palette_key
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key")
        description_style = self.get_component_rich_style("key-hints--description")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for key, description in self._keys:
            text.append(f" {key} ", style=key_style)
            text.append(f"{description} ", style=description_style)
        if self._palette is not None:
            hint = Text.assemble((f" {self._palette} ", key_style), ("palette ", description_style))
            text.append(" " * max(1, self.size.width - text.cell_len - hint.cell_len))
            text.append_text(hint)
        return text
