"""What every line of one drawing of a Line-API widget shares, read once per drawing."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.style import Style

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.strip import Strip


class Drawing(NamedTuple):
    top: int  # the first line shown (the vertical scroll offset)
    width: int  # the content's width in cells
    base: Style  # the widget's own style


class DrawnOnce:
    """A mixin for Line-API widgets: `render_line` takes `drawing()`, which
    `render_lines` reads once for all the lines it asks for. The values are the
    same for every line of one drawing, and `rich_style` alone walks every ancestor's
    styles each time it is read: ~50 µs, for each line."""

    _drawing: Drawing | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawing = self._drawing_now()
        try:
            return super().render_lines(crop)  # type: ignore[misc]
        finally:
            self._drawing = None

    def drawing(self) -> Drawing:
        return self._drawing or self._drawing_now()

    def _drawing_now(self) -> Drawing:
        return Drawing(
            int(self.scroll_offset.y),  # type: ignore[attr-defined]
            self.scrollable_content_region.width,  # type: ignore[attr-defined]
            self.rich_style,  # type: ignore[attr-defined]
        )
