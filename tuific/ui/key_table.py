"""The table of keys shown by `?` and printed into the README, made from the
bindings themselves (by binding id, with the user's [keys] overrides), so a rebound
key shows as rebound. Run `python -m tuific.ui.key_table` for the README's table."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Mapping

from textual.binding import Binding
from textual.keys import key_to_character

# (section, rows); a row is (binding ids, meaning). An id starting with "=" is a key
# no binding of ours holds (the palette's, typing), shown as written.
Row = tuple[tuple[str, ...], str]
SECTIONS: list[tuple[str, list[Row]]] = [
    (
        "Everywhere",
        [
            (("help",), "this help: every key and the query syntax"),
            (("filter",), "filter the story list (in the reader: search the story)"),
            (("next_pane", "previous_pane"), "next / previous pane"),
            (("toggle_list", "toggle_meta"), "hide or show the story list / the metadata panel"),
            (("skipped",), "files that were skipped, and why"),
            (("hidden",), "stories hidden by [hide] in config.toml, and the rule that hid each"),
            (
                ("toggle_theme",),
                "next reading theme: dark, light, sepia, high contrast, terminal palette",
            ),
            (
                ("=ctrl+p",),
                "command palette: saved searches, sort orders, themes, later / dropped, next part",
            ),
            (("quit",), "quit (the reading place is saved)"),
        ],
    ),
    (
        "Story list",
        [
            (("cursor_next", "cursor_previous"), "next / previous story"),
            (("page_next", "page_previous"), "page down / up"),
            (("first", "last"), "first / last story"),
            (("select",), "open the story where you left it"),
            (("cycle_sort_next", "reverse_sort"), "next sort order / reverse it"),
            (("toggle_favourite",), "favourite on / off"),
            (("toggle_finished",), "mark finished / not finished"),
            (
                ("toggle_later", "toggle_dropped"),
                "set aside for later / as dropped (again: back to reading)",
            ),
            (("rescan",), "rescan the library now"),
        ],
    ),
    (
        "Reader",
        [
            (("scroll_lines_next", "scroll_lines_previous"), "a line down / up"),
            (("page_next", "page_previous"), "a page down / up"),
            (("half_page_next", "half_page_previous"), "half a page down / up"),
            (("top", "bottom"), "start / end of the story (a peek: not counted finished)"),
            (("chapter_next", "chapter_previous"), "next / previous chapter"),
            (("chapters",), "chapter list"),
            (
                ("search", "search_next_next", "search_next_previous"),
                "search the story (a regular expression if it uses \\b [..] | ^ $ .* {n});"
                " next / previous match (wraps); Escape clears",
            ),
            (
                ("add_bookmark",),
                "then a letter: set that mark; then Enter: a bookmark (you may name it)",
            ),
            (
                ("go_to_mark",),
                "then a letter: go to that mark; then ': back to before the last jump; "
                "then Enter: the bookmarks",
            ),
            (("bookmarks",), "bookmarks and marks: Enter jumps, d deletes"),
            (("line_width_narrower", "line_width_wider"), "narrower / wider lines (remembered)"),
            (("toggle_justify",), "justify lines on / off (remembered)"),
            (("paragraph_spacing",), "paragraph spacing 0 (then indented), 1, 2 (remembered)"),
            (("toggle_speakers",), "a colour for each speaker on / off (remembered)"),
            (("toggle_speaker_names",), "speaker names in the margin on / off (remembered)"),
            (("toggle_favourite", "toggle_finished"), "favourite / finished, for this story"),
            (("toggle_later", "toggle_dropped"), "for later / dropped, for this story"),
            (("next_part",), "open the next part of this story's series (shown at its end)"),
            (("toggle_notes",), "author's notes folded to one line / shown in full (per story)"),
            (("back",), "clear search highlights, then back to the list"),
        ],
    ),
    (
        "Filter line",
        [
            (("=type",), "the list narrows with every key"),
            (
                ("=enter", "focus_list", "back"),
                "go to the list (the filter stays; Escape there clears it)",
            ),
        ],
    ),
]

_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pagedown": "PageDown",
    "pageup": "PageUp",
    "home": "Home",
    "end": "End",
    "space": "Space",
    "slash": "/",
    "escape": "Escape",
    "enter": "Enter",
    "tab": "Tab",
    "delete": "Delete",
    "backspace": "Backspace",
}


def key_name(key: str) -> str:
    """How a Textual key is written for people: `Ctrl+F`, `PageDown`, `?`, `'`."""
    *modifiers, last = key.split("+")
    name = _NAMES.get(last) or key_to_character(last) or last
    if modifiers and len(name) == 1:
        name = name.upper()
    return "+".join([*(m.capitalize() for m in modifiers), name])


def our_bindings() -> list[Binding]:
    """Every binding with an id that tuific declares, in the keymap's terms."""
    # Imported here: the app imports this module's users.
    from tuific.ui.app import TuificApp
    from tuific.ui.library_pane import LibraryPane
    from tuific.ui.reader_pane import ReaderPane
    from tuific.ui.screens.main import FilterInput
    from tuific.ui.widgets.reader import Reader
    from tuific.ui.widgets.story_list import StoryList

    found = []
    for owner in (TuificApp, StoryList, LibraryPane, Reader, ReaderPane, FilterInput):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found.append(binding)
    return found


def keys_by_id(keymap: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Binding id -> its keys, as the user has them ([keys] replaces an id's keys)."""
    keys: dict[str, list[str]] = {}
    for binding in our_bindings():
        keys.setdefault(binding.id or "", [k.strip() for k in binding.key.split(",")])
    for binding_id, value in (keymap or {}).items():
        if binding_id in keys:
            keys[binding_id] = [k.strip() for k in value.split(",") if k.strip()]
    return keys


KeyRow = tuple[list[list[str]], str]  # the keys of each binding id, and the meaning


def rows(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[KeyRow]]]:
    """The sections, each row's keys as one list of key names per binding id."""
    keys = keys_by_id(keymap)
    resolved = []
    for section, section_rows in SECTIONS:
        entries = []
        for ids, meaning in section_rows:
            groups = [
                [key_name(binding_id[1:])]
                if binding_id.startswith("=")
                else [key_name(k) for k in keys[binding_id]]
                for binding_id in ids
            ]
            entries.append((groups, meaning))
        resolved.append((section, entries))
    return resolved


def plain_keys(groups: list[list[str]]) -> str:
    """`j ↓ / k ↑`: a row's keys for the help screen."""
    return " / ".join(" ".join(group) for group in groups)


def markdown_table(keymap: Mapping[str, str] | None = None) -> str:
    """The README's key table."""
    lines = ["| Where | Keys | What they do |", "|---|---|---|"]
    for section, entries in rows(keymap):
        where = section.lower()
        for groups, meaning in entries:
            cells = " / ".join(" ".join(f"`{key}`" for key in group) for group in groups)
            # A | (a key, or in the text) would end the cell.
            cells, text = cells.replace("|", "\\|"), meaning.replace("|", "\\|")
            lines.append(f"| {where} | {cells} | {text} |")
            where = ""
    return "\n".join(lines)


def readme_block(keymap: Mapping[str, str] | None = None) -> str:
    """The README's key table and, after it, the binding ids [keys] takes."""
    ids = list(dict.fromkeys(i for _s, rows in SECTIONS for ids, _m in rows for i in ids))
    named = ", ".join(f"`{i}`" for i in ids if not i.startswith("="))
    return (
        markdown_table(keymap)
        + "\n\nKeys can be changed in `config.toml` (see below) by binding id, for example"
        + '\n`quit = "ctrl+q"`. The ids, in the order of the table:\n'
        + textwrap.fill(named, 88, break_on_hyphens=False, break_long_words=False)
        + "."
    )


if __name__ == "__main__":
    sys.stdout.write(readme_block() + "\n")
