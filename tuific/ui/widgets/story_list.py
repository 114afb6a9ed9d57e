"""The story list: a Line-API virtual list over an index array.

Filtering swaps `visible` (indices into `items`); drawing touches only the rows
on screen, so a keystroke costs the same for ten stories or ten thousand.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tuific.listing import ListItem
from tuific.model import story_status
from tuific.ui.widgets.drawing import DrawnOnce
from tuific.ui.widgets.row_styles import component_style, highlight_style, readable_on

LIST_GUTTER = 1  # StoryList's scrollbar-size-vertical, kept whether shown or not

RATING_LETTERS = {
    "General Audiences": "G",
    "Teen And Up Audiences": "T",
    "Mature": "M",
    "Explicit": "E",
    "Not Rated": "NR",
}


def format_words(words: int) -> str:
    if words >= 1_000_000:
        return f"{words / 1_000_000:.1f}M"
    if words >= 10_000:
        return f"{words // 1000}k"
    if words >= 1000:
        return f"{words / 1000:.1f}k"
    return str(words)


def _fit(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class Column(NamedTuple):
    key: str
    title: str
    width: int
    right: bool = False


def columns_for(width: int) -> list[Column]:
    """The columns that fit `width`: title and progress always, the rest as room allows."""
    left = [Column("mark", "", 1)]
    right: list[Column] = []
    if width >= 64:
        right.append(Column("rating", "R", 2))
    if width >= 44:
        right.append(Column("words", "Words", 6, right=True))
    if width >= 88:
        right.append(Column("chapters", "Ch", 5, right=True))
        right.append(Column("status", "", 3))
    right.append(Column("progress", "Read", 6))
    columns = left + right
    flexible = width - sum(c.width for c in columns) - len(columns) - 1
    shares = [("title", "Title", 5)]
    if width >= 56:
        shares.append(("author", "Author", 3))
    if width >= 76:
        shares.append(("fandom", "Fandom", 3))
    total = sum(share for _key, _title, share in shares)
    middle, used = [], 0
    for number, (key, title, share) in enumerate(shares):
        size = flexible - used if number == len(shares) - 1 else flexible * share // total
        used += size + (1 if number < len(shares) - 1 else 0)
        middle.append(Column(key, title, max(1, size)))
    return left + middle + right


BAR_EIGHTHS = " ▏▎▍▌▋▊▉█"


def progress_bar(fraction: float, width: int) -> str:
    """A bar of block characters, drawn to an eighth of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (BAR_EIGHTHS[part] if part and full < width else "")
    return bar.ljust(width, "·")


def cell_text(item: ListItem, key: str) -> str:
    # item.value: a field without building the whole story (see ListItem).
    if key == "mark":
        return "♥" if item.favourite else ""
    if key == "title":
        return item.value("title")
    if key == "author":
        return ", ".join(item.value("authors"))
    if key == "fandom":
        return ", ".join(item.value("fandoms"))
    if key == "rating":
        return RATING_LETTERS.get(item.value("rating"), "NR")
    if key == "words":
        return format_words(item.value("words"))
    if key == "chapters":
        found = item.value("chapter_count") or 1
        total = item.value("chapters_total")
        status = item.value("status")
        return (
            f"{found}/{total if total else '?'}"
            if status == "in-progress" or (total and total != found)
            else str(found)
        )
    if key == "status":
        status = story_status(
            item.value("status"), item.value("chapter_count"), item.value("chapters_total")
        )
        return {"complete": "✓", "in-progress": "WIP"}.get(status or "", "")
    if key == "progress":
        if item.read == "finished":
            return "done"
        if item.read == "reading":
            return progress_bar(item.progress, 6)
        if item.read == "updated":
            return item.grown or "updated"
        if item.read == "later":
            return "later"
        if item.read == "dropped":
            return "drop"  # the column is six cells wide
        return "new"
    return ""


class StoryList(DrawnOnce, ScrollView, can_focus=True):
    """All stories in the library, filtered and sorted by the app."""

    COMPONENT_CLASSES = {
        "story-list--cursor",
        "story-list--header",
        "story-list--dim",
        "story-list--unread",
        "story-list--finished",
    }

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="cursor_next"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="cursor_previous"),
        Binding("space,pagedown,ctrl+f", "page(1)", "Page down", show=False, id="page_next"),
        Binding("b,pageup,ctrl+b", "page(-1)", "Page up", show=False, id="page_previous"),
        Binding("g,home", "first", "First", show=False, id="first"),
        Binding("G,end", "last", "Last", show=False, id="last"),
        Binding("enter", "select", "Open", id="select"),
        Binding("f", "app.toggle_favourite", "Favourite", show=False, id="toggle_favourite"),
        Binding("x", "app.toggle_finished", "Finished", show=False, id="toggle_finished"),
    ]

    class Highlighted(Message):
        def __init__(self, story_list: StoryList, item: ListItem | None) -> None:
            super().__init__()
            self.story_list = story_list
            self.item = item

    class Selected(Message):
        def __init__(self, story_list: StoryList, item: ListItem) -> None:
            super().__init__()
            self.story_list = story_list
            self.item = item

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: Sequence[ListItem] = []
        self.rows: list[int] = []
        self.cursor = 0
        # Drawn rows, least recently used out; cleared when the rows or styles change.
        self._strips: LRUCache[tuple[int, int, bool], Strip] = LRUCache(1024)
        self.drawn = False  # a line drawn since the rows were last swapped (`show`)
        self._styles_by_kind: dict[tuple[Style, str, bool], tuple[Style, Style]] = {}

    # -- data -----------------------------------------------------------------

    def set_items(
        self, items: Sequence[ListItem], visible: list[int] | None = None, keep: int | None = None
    ) -> None:
        """New items (indices may have moved: `keep` is the index to stay on, if any)."""
        self.items = items
        self.show(list(range(len(items))) if visible is None else visible, keep=keep)

    def show(self, visible: list[int], keep: int | None = None) -> None:
        """Swap the visible index array, keeping the cursor on the same story if shown
        (`keep`: that story's index, if not the current one's)."""
        keep = keep if keep is not None else self.current_index
        self.rows = visible
        self.drawn = False
        self.cursor = 0
        if keep is not None:
            with contextlib.suppress(ValueError):
                self.cursor = visible.index(keep)
        self._strips.clear()
        self._size_to_rows()
        self._scroll_cursor_into_view()
        self.refresh()
        self._post_highlighted()

    def refresh_item(self, item: ListItem) -> None:
        self._strips.clear()
        self.refresh()

    @property
    def current_index(self) -> int | None:
        """The index (into `items`) of the story under the cursor."""
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    @property
    def current(self) -> ListItem | None:
        index = self.current_index
        return None if index is None else self.items[index]

    def select_index(self, index: int | None) -> bool:
        """Put the cursor on the story at this index, if it is shown."""
        if index is None:
            return False
        try:
            row = self.rows.index(index)
        except ValueError:
            return False
        self._move_to(row)
        return True

    # -- actions ----------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1)

    def action_select(self) -> None:
        item = self.current
        if item is not None:
            self.post_message(self.Selected(self, item))

    def on_click(self, event: events.Click) -> None:
        row = event.y + int(self.scroll_offset.y)
        if 0 <= row < len(self.rows):
            if row == self.cursor and event.chain >= 2:
                self.action_select()
            self._move_to(row)

    def _move_to(self, row: int) -> None:
        if not self.rows:
            return
        row = max(0, min(row, len(self.rows) - 1))
        if row != self.cursor:
            self.cursor = row
            self.refresh()
            self._post_highlighted()
        self._scroll_cursor_into_view()

    def _post_highlighted(self) -> None:
        # Sent as the list's own: Textual stops a message at the widget that was
        # handling something when it was made, and a filter keystroke (handled by
        # the library pane, the list's parent) had its message stop there, short of
        # the app and its metadata panel.
        self.post_message(self.Highlighted(self, self.current).set_sender(self))

    def _size_to_rows(self) -> None:
        # As wide as the rows are drawn, beside the scroll bar's gutter: a width that
        # counted the gutter too made Textual show a horizontal scroll bar, drawn
        # over the last row on screen (where the cursor goes when paging down).
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))

    def _scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_offset.y)
        height = max(1, self.scrollable_content_region.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._size_to_rows()
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles_by_kind.clear()

    # -- drawing ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self.drawn = True  # since the last `show`
        top, width, base = self.drawing()
        row = y + top
        if row >= len(self.rows):
            return Strip.blank(width, base)
        on_cursor = row == self.cursor
        key = (self.rows[row], width, on_cursor)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_item(self.items[self.rows[row]], width, on_cursor, base)
            self._strips[key] = strip
        return strip

    def _render_item(self, item: ListItem, width: int, on_cursor: bool, base: Style) -> Strip:
        style, dim = self._row_styles(item.read, on_cursor, base)
        segments = []
        for column in columns_for(width):
            text = cell_text(item, column.key)
            fitted = _fit(text, column.width)
            if column.right:
                fitted = _fit(text.rjust(column.width), column.width)
            column_style = style if column.key in ("title", "mark", "progress") else dim
            segments.append(Segment(fitted + " ", column_style))
        return Strip(segments).extend_cell_length(width, style).crop(0, width)


    def _row_styles(self, read: str, on_cursor: bool, base: Style) -> tuple[Style, Style]:
        """A row's style and its dim columns' style, made once per kind of row (not
        for each row: every component style read walks the widget's styles)."""
        kind = {"finished": "finished", "dropped": "finished", "unread": "unread"}.get(read, "")
        key = (base, kind, on_cursor)
        styles = self._styles_by_kind.get(key)
        if styles is None:
            style = base
            if kind:
                style += self._component_style(f"story-list--{kind}")
            dim = style + self._component_style("story-list--dim")
            if on_cursor:
                # Blended: the cursor kept while another pane has the keys is a 30%
                # tint, which a partial style drew at full strength (dim text on it
                # at 1.4:1 to 1.7:1); and each text readable on what it becomes.
                cursor = highlight_style(self.get_component_styles("story-list--cursor"), base)
                style = readable_on(style + cursor, cursor.bgcolor)
                dim = readable_on(dim + cursor, cursor.bgcolor)
            styles = self._styles_by_kind[key] = (style, dim)
        return styles

    def _component_style(self, name: str) -> Style:
        return component_style(self, name)


def header_text(width: int) -> str:
    parts = []
    for column in columns_for(width):
        title = column.title.rjust(column.width) if column.right else column.title
        parts.append(_fit(title, column.width) + " ")
    return "".join(parts)


class ListHeader(Widget):
    """The column titles above the story list, drawn for the width it has when drawn:
    set from the app after a layout change, it could be drawn for the width the
    list had while hidden (`  … Read`)."""

    def render(self) -> Text:
        # The list below keeps one column for its scroll bar (scrollbar-gutter: stable).
        return Text(header_text(max(0, self.size.width - LIST_GUTTER)), no_wrap=True)
