"""Scrolling that jumps at once: Textual's default scroll keys animate, many frames over SSH."""

from __future__ import annotations

from typing import Protocol

from textual.containers import VerticalScroll


class _Scrolls(Protocol):
    """The Widget scroll methods the actions call (the mixin goes before a Widget)."""

    def scroll_up(self, *, animate: bool = ..., immediate: bool = ...) -> None: ...
    def scroll_down(self, *, animate: bool = ..., immediate: bool = ...) -> None: ...
    def scroll_page_up(self, *, animate: bool = ...) -> None: ...
    def scroll_page_down(self, *, animate: bool = ...) -> None: ...
    def scroll_home(self, *, animate: bool = ..., immediate: bool = ...) -> None: ...
    def scroll_end(self, *, animate: bool = ..., immediate: bool = ...) -> None: ...


class StillScrollActions:
    """Textual's scroll-key actions (up, down, page, home, end) without the animation."""

    def action_scroll_up(self: _Scrolls) -> None:
        self.scroll_up(animate=False, immediate=True)

    def action_scroll_down(self: _Scrolls) -> None:
        self.scroll_down(animate=False, immediate=True)

    def action_page_up(self: _Scrolls) -> None:
        self.scroll_page_up(animate=False)

    def action_page_down(self: _Scrolls) -> None:
        self.scroll_page_down(animate=False)

    def action_scroll_home(self: _Scrolls) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self: _Scrolls) -> None:
        self.scroll_end(animate=False, immediate=True)


class StillScroll(StillScrollActions, VerticalScroll):
    """A VerticalScroll whose keys scroll without animating."""
