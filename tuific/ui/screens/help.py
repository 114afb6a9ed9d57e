"""The `?` help screen: every key, and the filter's query syntax."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere",
        [
            ("?", "this help"),
            ("/", "filter the story list"),
            ("Tab / Shift+Tab", "next / previous pane"),
            ("h", "hide or show the story list"),
            ("i", "hide or show the metadata panel"),
            ("!", "files that were skipped, and why"),
            ("q", "quit (your place is saved)"),
        ],
    ),
    (
        "Story list",
        [
            ("j / k, ↓ / ↑", "next / previous story"),
            ("Space / PageDown, b / PageUp", "page down / up"),
            ("g / Home, G / End", "first / last story"),
            ("Enter", "open the story"),
        ],
    ),
    (
        "Reader",
        [
            ("j / k, ↓ / ↑", "one line down / up"),
            ("Space / PageDown", "page down"),
            ("b / PageUp", "page up"),
            ("g / Home", "start of the story"),
            ("G / End", "end of the story"),
            ("] / [", "next / previous chapter"),
            ("c", "chapter list"),
            ("/", "search this story (n / N: next / previous match; Escape clears)"),
            ("m", "bookmark this place (you may name it)"),
            ("M or '", "bookmarks: Enter jumps, d deletes"),
            ("< / >", "narrower / wider lines (remembered)"),
            ("J", "justify lines on / off"),
            ("p", "paragraph spacing 0, 1, 2"),
            ("t", "light / dark theme"),
            ("Escape", "clear search highlights, then back to the list"),
        ],
    ),
    (
        "Filter line",
        [
            ("type", "narrow the list as you type"),
            ("Enter / ↓", "go to the list"),
            ("Escape", "go to the list; again to clear the filter"),
        ],
    ),
]

QUERY_HELP = [
    ("dragon tea", "every word must match somewhere (title, author, fandom, ship, tags, summary)"),
]


def extra_sections(sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """Let features add their keys to the help (chapters, search, query syntax...)."""
    KEYS.extend(sections)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(help_table(), id="help-text")
            yield Static(Text("Press Escape, q or ? to close.", style="dim"), id="help-hint")

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta, animate=False)


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in KEYS:
        table.add_row(Text(section, style="bold underline"), "")
        for keys, meaning in rows:
            table.add_row(Text(keys), Text(meaning))
        table.add_row("", "")
    return table
