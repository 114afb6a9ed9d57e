"""The `!` screen: files the library scan skipped, and why."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuific.model import Skipped
from tuific.text import clean_line, display_path
from tuific.ui.screens import DIALOG_CSS
from tuific.ui.widgets.still_scroll import StillScroll


class SkippedScreen(ModalScreen[None]):
    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def __init__(self, skipped: list[Skipped]) -> None:
        super().__init__()
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        with StillScroll(id="skipped-body"):
            yield Static(self.report(), id="skipped-text")
            yield Static(Text("Press Escape or q to close.", style="dim"))

    def report(self) -> Text:
        """The screen's text (a subclass shows another report the same way)."""
        return skipped_report(self.skipped)

    def action_scroll(self, delta: int) -> None:
        self.query_one("#skipped-body", VerticalScroll).scroll_relative(
            y=delta, animate=False, immediate=True
        )


def skipped_report(skipped: list[Skipped]) -> Text:
    text = Text()
    if not skipped:
        text.append("No files were skipped.")
        return text
    noun = "file" if len(skipped) == 1 else "files"
    text.append(f"{len(skipped)} {noun} skipped\n\n", style="bold")
    for reason, count in Counter(s.reason for s in skipped).most_common():
        text.append(f"{count} × {clean_line(reason)}\n")
    text.append("\n")
    for item in skipped:
        text.append(display_path(item.path), style="bold")
        text.append(f"\n  {clean_line(item.reason)}\n")
    return text
