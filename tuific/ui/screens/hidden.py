"""The `H` screen: stories the standing hide list ([hide] in config.toml) leaves out
of the list, each with the rule that hid it."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.binding import Binding

from tuific.listing import ListItem
from tuific.ui.screens.skipped import SkippedScreen


class HiddenScreen(SkippedScreen):
    BINDINGS = [
        Binding("escape,q,H", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def __init__(self, hidden: list[tuple[ListItem, str]]) -> None:
        super().__init__([])
        self.hidden = hidden

    def report(self) -> Text:
        return hidden_report(self.hidden)


def hidden_report(hidden: list[tuple[ListItem, str]]) -> Text:
    """Every hidden story with the rule that hid it; names and titles as plain text."""
    text = Text()
    if not hidden:
        text.append("No stories are hidden. Rules go under [hide] in config.toml.")
        return text
    noun = "story" if len(hidden) == 1 else "stories"
    text.append(f"{len(hidden)} {noun} hidden by [hide] in config.toml\n\n", style="bold")
    for rule, count in Counter(rule for _, rule in hidden).most_common():
        text.append(f"{count} × ")
        text.append(rule, style="italic")
        text.append("\n")
    text.append("\n")
    for item, rule in hidden:
        text.append(item.value("title") or "(untitled)", style="bold")
        authors = ", ".join(item.value("authors"))
        if authors:
            text.append(f" by {authors}")
        text.append("\n  hidden by ", style="dim")
        text.append(rule, style="dim italic")
        text.append("\n")
    return text
