"""Scrolling that jumps at once: Textual's default scroll keys animate, many frames over SSH."""

from __future__ import annotations

from textual.containers import VerticalScroll


class StillScrollActions:
    """Textual's scroll-key actions (up, down, page, home, end) without the animation."""

    def action_scroll_up(self) -> None:
        self.scroll_up(animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self.scroll_down(animate=False, immediate=True)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)


class StillScroll(StillScrollActions, VerticalScroll):
    """A VerticalScroll whose keys scroll without animating."""
