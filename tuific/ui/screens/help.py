"""The `?` help screen: every key, and the filter's query syntax."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuific.ui.screens import DIALOG_CSS
from tuific.ui.widgets.still_scroll import StillScroll

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
            ("H", "stories hidden by [hide] in config.toml, and the rule that hid each"),
            ("Ctrl+P", "command palette: saved searches, sort orders, themes"),
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
            ("s / S", "next sort order / reverse it"),
            ("f", "favourite on / off"),
            ("x", "mark finished / not finished"),
            ("L / D", "set aside for later / dropped (again: back to reading)"),
            ("r", "rescan the library now"),
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
            ("v", "speaker colours on / off (each speaker in their own colour)"),
            ("V", "speaker names in the margin on / off"),
            ("p", "paragraph spacing 0, 1, 2"),
            ("t", "next theme: dark, light, sepia, high contrast, terminal colours"),
            ("f / x", "favourite / finished, for this story"),
            ("L / D", "for later / dropped, for this story"),
            ("P", "open the next part of this story's series (shown at its end)"),
            ("A", "author's notes folded to one line / shown in full (per story)"),
            ("Escape", "clear search highlights, then back to the list"),
        ],
    ),
    (
        "Filter line",
        [
            ("type", "narrow the list as you type"),
            ("Enter / ↓ / Escape", "go to the list (the filter stays; Escape there clears it)"),
        ],
    ),
]

QUERY_HELP: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Filter queries (also: tuific list QUERY)",
        [
            (
                "dragon tea",
                "every word matches somewhere: title, author, fandom, ship, "
                "character, tags, series, summary",
            ),
            ('"slow burn"', "a phrase"),
            (
                'fandom:"original work"',
                "a field contains the text; fields: title author for (gift recipient) fandom "
                "ship (pairing, relationship) character tag warning category series summary format",
            ),
            ("rating:e  rating:<=t", "AO3 rating by initial or name, ordered G < T < M < E; nr"),
            ("words:>10k  words:1k..20k", "counted length (k, m suffixes); also chapters:"),
            ("status:complete  status:wip", "completion"),
            (
                "read:unread|reading|finished|updated|later|dropped",
                "your reading state (updated: grew since you read it)",
            ),
            ("fav:yes", "favourites"),
            ("-tag:angst", "exclude; stories without the field are kept"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
        Binding("space,pagedown", "page(1)", show=False),
        Binding("b,pageup", "page(-1)", show=False),
    ]

    def action_page(self, direction: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=direction * max(1, body.size.height - 1), animate=False)

    def compose(self) -> ComposeResult:
        with StillScroll(id="help-body"):
            yield Static(help_table(), id="help-text")
            yield Static(Text("Press Escape, q or ? to close.", style="dim"), id="help-hint")

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta, animate=False)


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", max_width=24)
    table.add_column()
    for section, rows in [*KEYS, *QUERY_HELP]:
        table.add_row(Text(section, style="bold underline"), "")
        for keys, meaning in rows:
            table.add_row(Text(keys), Text(meaning))
        table.add_row("", "")
    return table
