"""The `?` help screen: every key (as bound now: see key_table), and the filter's
query syntax."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuific.ui import key_table
from tuific.ui.screens import DIALOG_CSS
from tuific.ui.widgets.still_scroll import StillScroll

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
                # The values in the wider column: a row of all of them was cut at 24 cells.
                "read:unread  read:later",
                "your reading state: unread, reading, finished, updated (grew since "
                "you read it), later, dropped",
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
        Binding("g,home", "end(0)", show=False),
        Binding("G,end", "end(1)", show=False),
    ]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap  # the user's [keys], so rebound keys show as rebound

    def action_page(self, direction: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        self._scroll_by(direction * max(1, body.size.height - 1))

    def action_scroll(self, delta: int) -> None:
        self._scroll_by(delta)

    def action_end(self, end: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_to(y=body.max_scroll_y if end else 0, animate=False, immediate=True)

    def _scroll_by(self, rows: int) -> None:
        # At once: a deferred scroll starts from the place before the last key's,
        # so ten quick presses of j moved it one line.
        self.query_one("#help-body", VerticalScroll).scroll_relative(
            y=rows, animate=False, immediate=True
        )

    def compose(self) -> ComposeResult:
        with StillScroll(id="help-body"):
            yield Static(help_table(self.keymap), id="help-text")
            yield Static(Text("Press Escape, q or ? to close.", style="dim"), id="help-hint")


def help_table(keymap: Mapping[str, str] | None = None) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", max_width=24)
    table.add_column()
    keys = [
        (section, [(key_table.plain_keys(groups), meaning) for groups, meaning in entries])
        for section, entries in key_table.rows(keymap)
    ]
    for section, rows in [*keys, *QUERY_HELP]:
        table.add_row(Text(section, style="bold underline"), "")
        for key_text, meaning in rows:
            table.add_row(Text(key_text), Text(meaning))
        table.add_row("", "")
    return table
