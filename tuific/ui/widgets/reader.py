"""The reader pane: a Line-API widget that draws only the rows on screen.

Scrolling is kept as a place in the story (paragraph, wrapped line) rather than
a row number, so nothing here walks the whole story: see tuific.layout. Drawing
the rows is the ReaderRows mixin's (reader_rows.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tuific import dialogue
from tuific.chapters import chapter_index_at
from tuific.layout import Layout, ReaderPlace, Row, clamped_place
from tuific.model import Story
from tuific.startup_tricks import release_free_memory
from tuific.ui.threads import in_daemon_thread
from tuific.ui.widgets.drawing import DrawnOnce
from tuific.ui.widgets.note_folding import NoteFolding
from tuific.ui.widgets.reader_rows import ReaderRows
from tuific.ui.widgets.reader_speakers import SpeakerColours

if TYPE_CHECKING:
    from tuific.search import Match

# Paragraphs below this count get their dialogue state at once; longer stories
# draw the first screen first and fill it in from a worker.
_SYNC_DIALOGUE_PARAGRAPHS = 2000
# ... and below this many characters: 2,000 paragraphs of a hostile file's 64 KiB
# each would be a second of the UI thread.
_SYNC_DIALOGUE_CHARS = 1_000_000
# Paragraphs whose dialogue spans are kept, and drawn rows (several screens' worth).
_SPANS_KEPT = 4096
_STRIPS_KEPT = 512


class Reader(SpeakerColours, DrawnOnce, NoteFolding, ReaderRows, can_focus=True):
    """Shows one story, wrapped to a comfortable width, with dialogue highlighted."""

    COMPONENT_CLASSES = {
        "reader--dialogue",
        "reader--heading",
        "reader--scene-break",
        "reader--match",
        "reader--current-match",
        "reader--placeholder",
    }

    BINDINGS = [
        # less and vim habits beside the arrows: e/y a line, d/u half a page, ^F/^B a page.
        Binding("j,down,e,ctrl+e", "scroll_lines(1)", "Down", show=False, id="scroll_lines_next"),
        Binding("k,up,y,ctrl+y", "scroll_lines(-1)", "Up", show=False, id="scroll_lines_previous"),
        Binding("space,pagedown,ctrl+f", "page(1)", "Page down", id="page_next"),
        Binding("b,pageup,ctrl+b", "page(-1)", "Page up", show=False, id="page_previous"),
        Binding("d,ctrl+d", "half_page(1)", "Half page down", show=False, id="half_page_next"),
        Binding("u,ctrl+u", "half_page(-1)", "Half page up", show=False, id="half_page_previous"),
        Binding("g,home", "top", "Top", show=False, id="top"),
        Binding("G,end", "bottom", "End", show=False, id="bottom"),
        Binding(
            "right_square_bracket", "chapter(1)", "Next chapter", show=False, id="chapter_next"
        ),
        Binding(
            "left_square_bracket",
            "chapter(-1)",
            "Previous chapter",
            show=False,
            id="chapter_previous",
        ),
        # The reading keys (search, bookmarks, the column's preferences...) are the
        # reader pane's: this widget draws the story and moves through it.
    ]
    # Rows of context kept above a jump target (a search match, a bookmark).
    CONTEXT_ROWS = 2

    line_width: reactive[int] = reactive(72)
    justify: reactive[bool] = reactive(False)
    paragraph_spacing: reactive[int] = reactive(1)
    end_note: reactive[str] = reactive("")  # a dim line after the last paragraph

    class ReadToEnd(Message):
        """The reader scrolled (not jumped) to the end, or pressed on past it."""

        def __init__(self, reader: Reader) -> None:
            super().__init__()
            self.reader = reader

    class Note(Message):
        """A passing word for the status line: a key that had nothing to do."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Moved(Message):
        """The reading place changed (scroll, jump, resize)."""

        def __init__(self, reader: Reader, place: ReaderPlace) -> None:
            super().__init__()
            self.reader = reader
            self.place = place

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.story: Story | None = None
        self._layout: Layout | None = None
        # (paragraph, wrapped line) at the top of the screen; None: to work out again.
        self._top: tuple[int, int] | None = (0, 0)
        self._anchor = ReaderPlace(0, 0)  # width-independent place kept across resizes
        self._convention: dialogue.Convention = "double"
        self._open: list[bool] | None = None
        # Bounded caches, least recently used out: a long read passes every paragraph.
        # Cleared wholesale when what they hold changes (story, width, styles).
        self._spans: LRUCache[int, list[tuple[int, int]]] = LRUCache(_SPANS_KEPT)
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(_STRIPS_KEPT)
        self._rows: list[Row] = []
        self._rows_key: object = None
        self.jumped_from: ReaderPlace | None = None  # where the last jump left, for ''
        self.matches: list[Match] = []
        self.current_match = -1
        self._matches_by_paragraph: dict[int, list[int]] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page" and self.story is None:
            return False  # nothing to page through: the footer does not offer it
        return super().check_action(action, parameters)

    # -- public API ----------------------------------------------------------

    def show_story(
        self, story: Story, place: ReaderPlace | None = None, partial: bool = False
    ) -> None:
        """Display `story` at `place` (default: its start); `partial`: its first part,
        the whole to follow (see start_speakers)."""
        first = self.story is None
        self.story = story
        if first:
            self.refresh_bindings()  # the footer offers the reading keys from now on
        self._layout = None
        self._spans.clear()
        self._strips.clear()
        paragraphs = story.paragraphs or []
        self._find_notes(paragraphs)
        texts = [p.text for p in paragraphs]
        self._convention = dialogue.dominant_convention(texts[:200])
        if (
            len(paragraphs) <= _SYNC_DIALOGUE_PARAGRAPHS
            and sum(map(len, texts)) <= _SYNC_DIALOGUE_CHARS
        ):
            self._open = dialogue.open_states(texts, self._convention)
        else:
            self._open = None
            # After the first page is drawn: the scan would share the GIL with it.
            self.call_after_refresh(self._scan_dialogue, texts, self._convention, story)
        self.start_speakers(story, partial)  # after the first page, like the dialogue scan
        self._anchor = clamped_place(place or ReaderPlace(0, 0), paragraphs)
        self._top = None  # placed when the layout is built
        self.matches, self.current_match = [], -1
        self._matches_by_paragraph = {}
        self.refresh()

    @property
    def place(self) -> ReaderPlace:
        return self._anchor

    @property
    def text_layout(self) -> Layout | None:
        return self._ensure_layout()

    def go_to(self, paragraph: int, offset: int = 0, context: int = 0) -> None:
        """Scroll so (paragraph, offset) is near the top, `context` rows below it."""
        layout = self._ensure_layout()
        if layout is None:
            return
        paragraph = max(0, min(paragraph, len(layout.paragraphs) - 1))
        line = layout.line_of(paragraph, offset)
        top = layout.advance(paragraph, line, -context) if context else (paragraph, line)
        self._jump(layout.clamp_top(*top, self._scroll_height()))

    def _jump(self, top: tuple[int, int]) -> None:
        """Go to `top`, remembering where from (for `''`), as vim does for jumps."""
        before = self._anchor
        self._set_top(top)
        if self._anchor != before:
            self.jumped_from = before

    def jump_back(self) -> None:
        """Back to where the last jump came from (again: forth)."""
        if self.jumped_from is not None:
            self.go_to(*self.jumped_from)

    def shows_place(self, paragraph: int, offset: int) -> bool:
        layout = self._ensure_layout()
        if layout is None:
            return False
        line = layout.line_of(paragraph, offset)
        return any(r.paragraph == paragraph and r.line == line for r in self._screen_rows(layout))

    @property
    def chapter_index(self) -> int:
        """The chapter the top of the screen is in; -1 before the first heading."""
        if self.story is None:
            return -1
        return chapter_index_at(self.story.chapters, self._anchor.paragraph)

    def chapter_fraction(self) -> float:
        """How far through the current chapter (or the story, if none), 0..1."""
        layout = self._ensure_layout()
        if layout is None or self.story is None:
            return 0.0
        chapters = self.story.chapters
        index = self.chapter_index
        start = chapters[index].paragraph if index >= 0 else 0
        end = chapters[index + 1].paragraph if index + 1 < len(chapters) else None
        begin = layout.char_starts[start]
        finish = layout.char_starts[end] if end is not None else layout.total_chars
        here = layout.char_starts[self._anchor.paragraph] + self._anchor.offset
        if self._at_end() and end is None:
            return 1.0
        return max(0.0, min(1.0, (here - begin) / max(1, finish - begin)))

    def set_matches(self, matches: list[Match], current: int = -1) -> None:
        self.matches = matches
        self.current_match = current
        from tuific.search import by_paragraph  # the search module loads with the first search

        self._matches_by_paragraph = by_paragraph(matches)
        self._strips.clear()
        self.refresh()
        if 0 <= current < len(matches):
            match = matches[current]
            if not self.shows_place(match.paragraph, match.start):
                self.go_to(match.paragraph, match.start, context=self.CONTEXT_ROWS)

    @property
    def fraction(self) -> float:
        layout = self._ensure_layout()
        if layout is None:
            return 0.0
        if self._at_end():
            return 1.0
        return layout.fraction(self._anchor.paragraph, self._anchor.offset)

    @property
    def place_fraction(self) -> float:
        """How far through the story the place (the top of the screen) is: as
        `fraction`, but short of 1 on the last page, as the saved place measures."""
        layout = self._ensure_layout()
        if layout is None:
            return 0.0
        return layout.fraction(self._anchor.paragraph, self._anchor.offset)

    # -- actions ----------------------------------------------------------------

    def action_scroll_lines(self, delta: int) -> None:
        self._move(delta)

    def action_page(self, direction: int) -> None:
        # Keep one line of overlap, as less does, so the eye finds its place.
        self._move(direction * max(1, self._page_height() - 1))

    def action_half_page(self, direction: int) -> None:
        self._move(direction * max(1, self._page_height() // 2))

    def action_top(self) -> None:
        if self._ensure_layout() is not None:
            self._jump((0, 0))

    def action_bottom(self) -> None:
        layout = self._ensure_layout()
        if layout is not None:
            self._jump(layout.last_page(self._scroll_height()))

    def action_chapter(self, step: int) -> None:
        if self.story is None or not self.story.chapters:
            return
        chapters = self.story.chapters
        index = self.chapter_index
        if step < 0:
            # Back to this chapter's start first, as e-readers do, unless already there.
            here = chapters[index].paragraph if index >= 0 else 0
            at_start = index >= 0 and self._anchor.paragraph == here and self._anchor.offset == 0
            target = index - 1 if at_start or index < 0 else index
        else:
            target = index + 1
        if 0 <= target < len(chapters):
            self.go_to(chapters[target].paragraph)
        elif target < 0:
            self.action_top()
        else:
            self.post_message(self.Note("this is the last chapter"))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._move(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._move(-3)

    # -- layout and movement --------------------------------------------------------

    def _content_width(self) -> int:
        return max(10, min(self.size.width - 2, self.line_width))

    def _page_height(self) -> int:
        return max(1, self.size.height)

    def _scroll_height(self) -> int:
        """The rows the story may end at: the end note's two rows stay free below."""
        return max(1, self.size.height - (2 if self.end_note else 0))

    def _ensure_layout(self) -> Layout | None:
        if self.story is None or not self.story.paragraphs or self.size.width == 0:
            return None
        width = self._content_width()
        margin = (self.scrollable_content_region.width - width) // 2
        labels = self.speaker_label_cells if self.names_before_text(margin) else None
        layout = self._layout
        if (
            layout is None
            or layout.width != width
            or layout.spacing != self.paragraph_spacing
            or (layout.labels is None) != (labels is None)
        ):
            # Keep the width-independent offsets: rebuilding them is the one cost
            # of a resize that would grow with the story's length.
            char_starts = layout.char_starts if layout is not None else None
            self._layout = layout = Layout(
                self.story.paragraphs,
                width,
                self.paragraph_spacing,
                char_starts,
                self._folded(),
                labels,
            )
            self._strips.clear()
            self._top = None
        if self._top is None:
            paragraph = min(self._anchor.paragraph, len(layout.paragraphs) - 1)
            line = layout.line_of(paragraph, self._anchor.offset)
            self._top = layout.clamp_top(paragraph, line, self._scroll_height())
        return layout

    def _move(self, delta: int) -> None:
        """Scroll by rows: reading, as opposed to the jumps (End, chapters, search)."""
        layout = self._ensure_layout()
        if layout is None:
            return
        assert self._top is not None  # _ensure_layout works it out
        index, line = layout.advance(*self._top, delta)
        self._set_top(layout.clamp_top(index, line, self._scroll_height()))
        if delta > 0 and self._at_end():
            # Paging down onto the last screen, or on from it (a story shorter
            # than the screen), is reading to the end; End alone is only a peek.
            self.post_message(self.ReadToEnd(self))

    def _set_top(self, top: tuple[int, int]) -> None:
        layout = self._layout
        assert layout is not None
        if top == self._top:
            return
        self._top = top
        index, line = top
        self._anchor = ReaderPlace(index, layout.offset_of(index, max(line, 0)))
        self.refresh()
        self.post_message(self.Moved(self, self._anchor))

    def _at_end(self) -> bool:
        layout = self._layout
        if layout is None or self._top is None:
            return False
        return self._top == layout.last_page(self._scroll_height())

    def on_resize(self, event: events.Resize) -> None:
        # The place (paragraph + offset) survives; the rows are re-found at the new
        # width, and drawn rows are dropped (their centring margin has changed).
        self._top = None
        self._strips.clear()
        self.refresh()

    def _place_again(self) -> None:
        self._top = None  # the rows moved (or the last page ends higher, for the note)
        self.refresh()

    watch_line_width = watch_paragraph_spacing = watch_end_note = _place_again

    def watch_justify(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    # -- dialogue -----------------------------------------------------------

    # Not a Textual worker (see tuific.ui.threads): quitting waited for the scan of
    # a long story; and Textual names its workers from repr() of their arguments,
    # the whole story's text, on the UI thread. A scan for a story no longer shown
    # finds `_dialogue_ready` ignoring it.
    @in_daemon_thread("tuific-dialogue")
    def _scan_dialogue(
        self, texts: list[str], convention: dialogue.Convention, story: Story
    ) -> None:
        states = dialogue.open_states(texts, convention)
        release_free_memory()  # the pass's temporaries, on a story of any size
        if self.app.is_running:
            self.app.call_from_thread(self._dialogue_ready, story, states)

    def _dialogue_ready(self, story: Story, states: list[bool]) -> None:
        if story is self.story:
            self._open = states
            self._spans.clear()
            self._strips.clear()
            self.refresh()

    def _dialogue_in(self, index: int) -> list[tuple[int, int]]:
        spans = self._spans.get(index)
        if spans is None:
            assert self.story is not None and self.story.paragraphs is not None
            open_at_start = self._open[index] if self._open is not None else False
            spans, _open_at_end = dialogue.dialogue_spans(
                self.story.paragraphs[index].text, self._convention, open_at_start
            )
            self._spans[index] = spans
        return spans
