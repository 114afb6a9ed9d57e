"""The metadata panel: every header field of the highlighted story.

A Line-API scroll view, like the reader and the list: showing another story (on
each move in the list, each filter keystroke) wraps its text and repaints the
panel, where a Static's new content height made the whole screen lay out again.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuific.describe import describe
from tuific.model import Story
from tuific.ui.widgets.drawing import DrawnOnce
from tuific.ui.widgets.still_scroll import StillScrollActions

# Long fields get their own block under the label, not a cramped column.
_BLOCK_FIELDS = {"Summary", "Notes", "File"}


def describe_text(
    story: Story | None,
    speakers: Sequence[tuple[str, Style, float]] = (),
    working: bool = False,
    **reading: object,
) -> Text:
    """The panel's text for a story (or for none), and its speakers when the reader
    has worked them out: (name, colour, share of the lines); `working` while they
    are being worked out (a long story's take seconds)."""
    text = Text()
    if story is None:
        text.append("No story selected.", style="dim")
        return text
    listed = not speakers and not working
    for label, value in describe(story, **reading):  # type: ignore[arg-type]
        if label == "Title":
            text.append(value + "\n\n", style="bold")
        elif label in _BLOCK_FIELDS:
            if not listed:  # before the long blocks, where it is seen without scrolling
                listed = _speakers_block(text, speakers)
            _block(text, label)
            text.append(value + "\n\n")
        else:
            text.append(f"{label}: ", style="bold")
            text.append(value + "\n")
    if not listed:
        _speakers_block(text, speakers)
    text.rstrip()
    return text


# Speakers listed by name: a novel has dozens, most with a line or two (and a hostile
# story thousands); the rest are summed up in one line.
PANEL_SPEAKERS = 12


def _speakers_block(text: Text, speakers: Sequence[tuple[str, Style, float]]) -> bool:
    _block(text, "Speakers")
    if not speakers:
        text.append("working out who speaks…\n", style="dim")
    # (One more is listed by name: its line would hold the summing up.)
    named = PANEL_SPEAKERS if len(speakers) > PANEL_SPEAKERS + 1 else len(speakers)
    for name, style, share in speakers[:named]:
        text.append(name, style=style)
        text.append(f" {_percent(share)}\n")
    rest = speakers[named:]
    if rest:
        share = sum(share for _name, _style, share in rest)
        text.append(f"and {len(rest)} more, {_percent(share)} in all\n", style="dim")
    return True


def _percent(share: float) -> str:
    """A share as the panel writes it: a speaker of a line or two is not "0%"."""
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def _block(text: Text, label: str) -> None:
    """A block's heading, one blank line after what came before (never two)."""
    plain = text.plain
    text.append("" if plain.endswith("\n\n") else "\n" if plain.endswith("\n") else "\n\n")
    text.append(label + "\n", style="bold")


class MetadataPanel(DrawnOnce, StillScrollActions, ScrollView, can_focus=True):
    # The keys that scroll the reader and the list scroll the panel too (ScrollView
    # alone knows only the arrows and PageUp/PageDown).
    BINDINGS = [
        Binding("j,e", "scroll_down", show=False),
        Binding("k,y", "scroll_up", show=False),
        Binding("space,ctrl+f", "page_down", show=False),
        Binding("b,ctrl+b", "page_up", show=False),
        Binding("g", "scroll_home", show=False),
        Binding("G", "scroll_end", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = Text()
        self._lines: list[Strip] = []
        self._wrapped_at = -1  # the width the lines were wrapped to
        self._shown_path: str | None = None  # the story shown, to keep its scroll

    @property
    def text(self) -> str:
        """What the panel says, as plain text."""
        return self._text.plain

    def show(
        self,
        story: Story | None,
        speakers: Sequence[tuple[str, Style, float]] = (),
        working: bool = False,
        **reading: object,
    ) -> None:
        self._text = describe_text(story, speakers, working, **reading)
        self._wrapped_at = -1
        path = None if story is None else story.path
        if path != self._shown_path:
            # Another story starts at its top; the same one described afresh (its
            # progress moved, its speakers found) keeps where the reader scrolled.
            # At once: a scroll deferred to the next frame would undo a key press
            # that comes before it.
            self._shown_path = path
            self.scroll_to(0, 0, animate=False, immediate=True)
        self._wrap()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_at:
            return
        self._wrapped_at = width
        console = self.app.console
        self._lines = [
            Strip(line.render(console), line.cell_len)
            for line in self._text.wrap(console, width, overflow="fold")
        ]
        self.virtual_size = Size(width, len(self._lines))

    def render_line(self, y: int) -> Strip:
        top, width, base = self.drawing()
        index = y + top
        if self._wrapped_at != width:
            self._wrap()
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, base)
        return self._lines[index].apply_style(base).adjust_cell_length(width, base)
