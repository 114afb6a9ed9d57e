"""Small modal screens: pick a chapter, pick or delete a bookmark, name a bookmark,
the letter of a mark."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuific.model import Chapter
from tuific.state import Bookmark
from tuific.ui.screens import DIALOG_CSS


class _ListDialog(ModalScreen):
    """A dialog around one OptionList, moved with j/k as well as the arrows."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [
        Binding("g", "end(0)", show=False),  # first / last row, as in the other lists
        Binding("G", "end(1)", show=False),
    ]

    def action_end(self, end: int) -> None:
        option_list = self.query_one(OptionList)
        if end:
            option_list.action_last()
        else:
            option_list.action_first()

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()


class ChapterPicker(_ListDialog):
    """The chapter list; dismisses with the chosen chapter's index."""

    BINDINGS = [
        Binding("escape,q,c", "dismiss(None)", "Close"),
        Binding("j", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
    ]

    def __init__(self, chapters: list[Chapter], current: int) -> None:
        super().__init__()
        self.chapters = chapters
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker"):
            yield Static(Text("Chapters", style="bold"), classes="picker-title")
            # Text prompts, never strings: chapter titles come from the story file.
            options = [
                Option(Text(f"{number + 1:>4}  {chapter.title}"), id=str(number))
                for number, chapter in enumerate(self.chapters)
            ]
            yield OptionList(*options, id="chapters")
            yield Static(Text("Enter jump · Escape close", style="dim"))

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.highlighted = max(0, self.current)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class BookmarkPicker(_ListDialog):
    """The story's bookmarks: Enter jumps, d deletes."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close"),
        Binding("d,delete", "delete", "Delete"),
        Binding("j", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
    ]

    def __init__(self, bookmarks: list[Bookmark], describe, delete) -> None:
        super().__init__()
        self.bookmarks = list(bookmarks)
        self.describe = describe  # Bookmark -> str: where it is, for the list
        self.delete = delete  # Bookmark -> None: removes it from the state

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker"):
            yield Static(Text("Bookmarks", style="bold"), classes="picker-title")
            yield OptionList(id="bookmarks")
            yield Static(Text("Enter jump · d delete · Escape close", style="dim"))

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        if not self.bookmarks:
            option_list.add_option(
                Option(Text("No bookmarks yet: press m while reading."), disabled=True)
            )
            return
        for number, bookmark in enumerate(self.bookmarks):
            option_list.add_option(Option(Text(self.describe(bookmark)), id=str(number)))
        option_list.highlighted = 0

    def action_delete(self) -> None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or not self.bookmarks or index >= len(self.bookmarks):
            return
        self.delete(self.bookmarks.pop(index))
        self._fill()
        if self.bookmarks:
            option_list.highlighted = min(index, len(self.bookmarks) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.bookmarks[int(event.option.id)])


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; Enter accepts (empty is fine), Escape cancels."""

    CSS_PATH = DIALOG_CSS

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker prompt"):
            yield Static(Text(self.title_text, style="bold"), classes="picker-title")
            yield Input(placeholder=self.placeholder, id="prompt-input")
            yield Static(Text("Enter save · Escape cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())


class MarkKey(ModalScreen[str | None]):
    """Waits for the key after `m` or `'`: a letter names a mark (as in vim and less);
    `'` (after `'`) means the place before the last jump; Enter the named bookmarks.
    Dismisses with the letter, "'", "enter", or None for any other key."""

    CSS_PATH = DIALOG_CSS

    def __init__(self, title: str, hint: str) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker prompt"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text(self.hint, style="dim"))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        key = event.character if event.character and event.character.isalpha() else event.key
        if key in ("apostrophe", "enter") or (len(key) == 1 and "a" <= key <= "z"):
            self.dismiss("'" if key == "apostrophe" else key)
        else:
            self.dismiss(None)
