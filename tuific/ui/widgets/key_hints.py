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
    _ready = False
    _hints = Text()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._update()  # the palette hint sits at the right edge

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._update()  # a new theme's colours

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self._ready = True
            self._update()

    def _update(self) -> None:
        # The screen reports its bindings after many a message that changed none of
        # them (a filter keystroke, say): the line is drawn again only if it differs.
        if not self._ready:
            return
        hints = self._make_hints()
        if hints != self._hints:
            self._hints = hints
            self.refresh()

    def render(self) -> Text:
        return self._hints

    def _make_hints(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key")
        description_style = self.get_component_rich_style("key-hints--description")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        bindings = self.screen.active_bindings
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            text.append(f" {self.app.get_key_display(binding)} ", style=key_style)
            text.append(f"{binding.description} ", style=description_style)
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            hint = Text.assemble(
                (f" {self.app.get_key_display(palette.binding)} ", key_style),
                ("palette ", description_style),
            )
            text.append(" " * max(1, self.size.width - text.cell_len - hint.cell_len))
            text.append_text(hint)
        return text
