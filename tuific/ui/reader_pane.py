"""The reader pane: the story's title line, the reader and its status line, and what
acts on them. It opens a story (its first page at once from the file's head, the whole
in a worker), keeps the place and learns the pace, writes the status line, and owns
the reading keys: the column's preferences here, search, chapters, bookmarks and
author's notes in `reader_tools`.

It tells the app what happened with messages: `StoryOpened` (the app updates the list,
the metadata panel and which pane is active), `ProgressChanged` (the list row and the
panel follow) and `OpenFailed`. The reading state, the config and the story the app
has open (`current`) it reads through the app, as every pane does."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tuific.formats import StoryError, read_file_bytes, story_from_bytes, story_prefix
from tuific.layout import stepped_width
from tuific.model import Story, chapter_count
from tuific.pace import PageTimer
from tuific.startup_tricks import release_free_memory
from tuific.state import FINGERPRINT_HEAD, story_key
from tuific.state import fingerprint as content_fingerprint
from tuific.state.status import resume_paragraph, work_id
from tuific.status_text import Chapter as StatusChapter
from tuific.status_text import reader_status
from tuific.text import clean_line, display_path
from tuific.ui.reader_tools import ReaderTools
from tuific.ui.threads import in_daemon_thread
from tuific.ui.widgets.reader import Reader, ReaderPlace

if TYPE_CHECKING:
    from collections.abc import Callable

    from tuific.search import StorySearch

# A plain-text story longer than the first of these shows its first page from its
# head while the rest is parsed: the smallest head that holds the saved place.
QUICK_START_HEADS = (16 * 1024, 256 * 1024)
QUICK_START_SUFFIXES = {".txt", ".text", ""}
LINE_WIDTHS = (40, 120)  # the narrowest and widest reading column offered
NOTE_SECONDS = 3.0  # how long a passing word stays in the reader's status line


class ReaderPane(ReaderTools, Vertical):
    """The reading pane (id "reader-pane")."""

    BINDINGS = [
        Binding("c", "chapters", "Chapters", id="chapters"),
        Binding("slash", "search", "Search", id="search", priority=True),  # as the filter's
        Binding("n", "search_next(1)", "Next match", show=False, id="search_next_next"),
        Binding("N", "search_next(-1)", "Previous match", show=False, id="search_next_previous"),
        Binding("m", "add_bookmark", "Bookmark", id="add_bookmark"),
        Binding("M", "bookmarks", "Bookmarks", show=False, id="bookmarks"),
        Binding("apostrophe", "go_to_mark", "Go to mark", show=False, id="go_to_mark"),
        Binding(
            "less_than_sign", "line_width(-4)", "Narrower", show=False, id="line_width_narrower"
        ),
        Binding("greater_than_sign", "line_width(4)", "Wider", show=False, id="line_width_wider"),
        Binding("J", "toggle_justify", "Justify", show=False, id="toggle_justify"),
        Binding("v", "toggle_speakers", "Speakers", show=False, id="toggle_speakers"),
        Binding("V", "toggle_speaker_names", "Names", show=False, id="toggle_speaker_names"),
        Binding("p", "paragraph_spacing", "Spacing", show=False, id="paragraph_spacing"),
        # The story's reading status: the app's, as the list has the same keys (the
        # same ids: one [keys] line rebinds both).
        Binding("f", "app.toggle_favourite", "Favourite", show=False, id="toggle_favourite"),
        Binding("x", "app.toggle_finished", "Finished", show=False, id="toggle_finished"),
    ]

    class StoryOpened(Message):
        """A story is on screen. `partial`: only its head so far (the whole follows).
        `replacing`: the story object this one takes over from (its head, or the
        file's version before a change), when it is the same story shown again."""

        def __init__(
            self, story: Story, partial: bool, replacing: Story | None = None, reread: bool = False
        ) -> None:
            super().__init__()
            self.story = story
            self.partial = partial
            self.replacing = replacing
            self.reread = reread  # read again after its file changed on disk

    class ProgressChanged(Message):
        """The reader's place was recorded (the state has it): `fraction` of the story
        read. Posted when a story is shown or re-read; each move of the reader (and
        its reaching the end) reaches the app as the Reader's own `Moved` (and
        `ReadToEnd`), once the pane has recorded it (see `on_reader_moved`)."""

        def __init__(self, story: Story, fraction: float) -> None:
            super().__init__()
            self.story = story
            self.fraction = fraction

    class OpenFailed(Message):
        """A story could not be opened (already said in a notification)."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._open_request = 0
        self.partial = False  # the reader shows only the start of a huge story
        self._search: StorySearch | None = None
        self._note_text = ""  # a passing word in the status line
        self._note_until = 0.0  # monotonic time the note stops showing
        self._page_timer = PageTimer()
        self._words_read = 0.0

    def compose(self) -> ComposeResult:
        yield Static("", id="reader-title", markup=False)
        yield Reader(id="reader")
        yield Static("", id="reader-status", markup=False)
        # The search line is made when first needed (reader_tools).

    # -- opening ----------------------------------------------------------------

    def open_story(self, path: str) -> None:
        self.query_one("#reader-title", Static).update(Text("Opening…", style="dim"))
        self._open_request += 1
        self._show_start_now(path, self._open_request)
        if self.partial:
            # Let the first page reach the screen before the full parse takes the GIL.
            self.call_after_refresh(self._load_story, path, self._open_request)
        else:
            self._load_story(path, self._open_request)

    def _show_start_now(self, path: str, request: int) -> None:
        """Show a long plain-text story's first page at once, from the file's head.

        Parsed here rather than in the worker: a 16 KiB head takes a few ms on the
        UI thread, while a worker would share the GIL with the first frames and
        take several times that. Only the head is read; the worker reads the rest.
        """
        file = Path(path)
        try:
            size = file.stat().st_size
        except OSError:
            return
        if file.suffix.lower() not in QUICK_START_SUFFIXES:
            return
        for head_size in QUICK_START_HEADS:
            if size <= head_size:
                return  # short enough for the worker to parse whole at once
            try:
                # At least the fingerprint's span: a fingerprint of less would not
                # match the saved one (a moved story would lose its place).
                head = read_file_bytes(file, head=max(head_size + 1, FINGERPRINT_HEAD))
            except StoryError:
                return  # the worker reports it
            prefix = story_prefix(file, head, head_size)
            if prefix is None:
                return
            if self._place_within(path, prefix):
                prefix.fingerprint = content_fingerprint(head, size)
                self._show_story(prefix, request, True)
                return

    def reread(self) -> None:
        """The open story's file changed on disk: read it again, keeping the place."""
        story = self.query_one(Reader).story
        if story is not None and not self.partial:
            self._load_story(story.path, self._open_request, reread=True)

    def _reread(self, story: Story, request: int) -> None:
        reader = self.query_one(Reader)
        old = reader.story
        if request != self._open_request or old is None or old.path != story.path:
            return  # another story was opened since
        self._mark_opened(story)
        reader.show_story(story, reader.place)
        self.query_one("#reader-title", Static).update(self._title_line(story))
        self.post_message(self.StoryOpened(story, False, replacing=old, reread=True))
        self.note_progress()
        self.update_status()

    # Not a Textual worker: see tuific.ui.threads (`q` during a long parse waited).
    @in_daemon_thread("tuific-open")
    def _load_story(self, path: str, request: int, reread: bool = False) -> None:
        # A newer request does not stop this one: each result says which request it
        # answers, and only the newest is shown.
        try:
            data = read_file_bytes(Path(path))
            story = story_from_bytes(Path(path), data)
            story.fingerprint = content_fingerprint(data)
            del data
            release_free_memory()
        except OSError as error:
            self._deliver(self._open_failed, path, error.strerror or str(error), request)
            return
        except StoryError as error:
            self._deliver(self._open_failed, path, str(error), request)
            return
        self._deliver(self._reread if reread else self._show_story, story, request)

    def _mark_opened(self, story: Story, partial: bool = False) -> None:
        key, work = story_key(story.path), work_id(story.meta.extra)
        if partial:
            # A head's length is not the story's: recorded, it made the list call the
            # story grown ("+1k w") until the whole came.
            self.state.mark_opened(key, work=work)
            return
        paragraphs, chapters = len(story.paragraphs or []), chapter_count(story)
        self.state.mark_opened(key, story.words, paragraphs, chapters, work)

    def _deliver(self, callback: Callable[..., object], *args: object) -> None:
        """`callback(*args)` on the UI thread, unless the app has gone meanwhile."""
        if not self.app.is_running:
            return
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(callback, *args)

    def _place_within(self, path: str, prefix: Story) -> bool:
        entry = self.state.get(story_key(path))
        if entry is not None and entry.finished:
            return False  # if it grew, it opens at its first new chapter: wait for all
        paragraph = entry.position.paragraph if entry is not None else 0
        return paragraph < len(prefix.paragraphs or []) - 1

    def _open_failed(self, path: str, reason: str, request: int | None = None) -> None:
        if request is not None and request != self._open_request:
            return
        self.query_one("#reader-title", Static).update(Text(""))
        name = display_path(Path(path).name)
        self.notify(f"Cannot open {name}: {clean_line(reason)}", severity="error", markup=False)
        self.post_message(self.OpenFailed(path))

    def _show_story(self, story: Story, request: int | None = None, partial: bool = False) -> None:
        if request is not None and request != self._open_request:
            return  # the user has asked for another story since
        reader = self.query_one(Reader)
        if self.partial and not partial and reader.story is not None:
            if reader.story.path == story.path:
                # The whole story after its first part: same paragraphs, same place.
                head = reader.story
                self.partial = False
                self._search = None
                self._mark_opened(story)
                reader.show_story(story, reader.place)
                self.update_status()
                self.post_message(self.StoryOpened(story, False, replacing=head))
                return
        key = story_key(story.path)
        listed = self.tuific.listing.item(story.path)
        fingerprint = listed.story.fingerprint if listed is not None else None
        entry = self.state.story(key, fingerprint or story.fingerprint)
        if partial and entry.position.paragraph >= len(story.paragraphs or []) - 1:
            return  # a moved story's place, found just now, is past the head: wait for all
        self.partial = partial
        place = ReaderPlace(entry.position.paragraph, entry.position.offset)
        resume = resume_paragraph(
            entry, story.words, [c.paragraph for c in story.chapters], len(story.paragraphs or [])
        )
        if resume is not None and not partial:
            # It grew since it was read to its end: on at the first new chapter.
            place = ReaderPlace(resume, 0)
            self.state.set_finished(key, False)
            self.state.set_position(key, resume, 0)
        self._mark_opened(story, partial)
        self._search = None
        self._page_timer.reset()
        self.fold_notes_as_saved(key)  # (in ReaderTools)
        reader.show_story(story, place, partial)
        self._words_read = reader.fraction * story.words
        self.query_one("#reader-title", Static).update(self._title_line(story))
        self.post_message(self.StoryOpened(story, partial))

    def _title_line(self, story: Story) -> Text:
        # One line, cut with an ellipsis when the pane is narrower than the title.
        text = Text(story.meta.title, style="bold", no_wrap=True, overflow="ellipsis")
        if story.meta.authors:
            text.append(" by " + ", ".join(story.meta.authors), style="italic")
        return text

    # -- progress and pace ------------------------------------------------------

    def on_reader_read_to_end(self, event: Reader.ReadToEnd) -> None:
        story = event.reader.story
        if story is None or self.partial:
            return  # the end of a story's first part is not its end
        # The pane's own story: the app may not have heard yet that it is open.
        key = story_key(story.path)
        if not self.state.story(key).finished:
            self.state.set_finished(key, True)
            self._record_place()  # the app shows it as ReadToEnd reaches it (as Moved)
            self.update_status()
            self._schedule_save()

    def on_reader_moved(self, event: Reader.Moved) -> None:
        # The Reader's own Moved message then goes on to the app, which moves the list
        # row and the panel with it in the same pass. (A ProgressChanged posted here
        # comes one message later and, measured, split a page turn's repaint into two
        # frames: 3.6 -> 8 ms a PageDown in benchmarks/bench_reader.py.)
        if event.reader.story is None:
            return
        if not self.partial:  # the end of a story's first part is not its end
            self._record_place()
        self._learn_pace(event.reader)
        self.update_status()
        self._schedule_save()

    def on_resize(self, event: events.Resize) -> None:
        # The reader lays its rows out again at the new size, where it is (no Moved):
        # the story may now be all on one screen, or no longer.
        self.call_after_refresh(self.update_status)

    def _record_place(self) -> None:
        reader = self.query_one(Reader)
        if reader.story is not None:
            place = reader.place
            self.state.set_position(
                story_key(reader.story.path), place.paragraph, place.offset, reader.place_fraction
            )

    def note_progress(self) -> None:
        """Record where the reader is (the app's list and panel follow the message).

        Under the key of the story the reader shows, never the app's `current`: that
        changes only when the app hears `StoryOpened`, and a key or a first page in
        between would save one story's place as another's."""
        reader = self.query_one(Reader)
        story = reader.story
        if story is None or self.partial:
            return  # the end of a story's first part is not its end
        self._record_place()
        self.post_message(self.ProgressChanged(story, self.shown_fraction()))

    def shown_fraction(self) -> float:
        """The open story's progress for the list and the panel: the reader's measure,
        but not whole on the last page unless finished (End is a peek), so the list
        shows what the saved place gives in the next session too."""
        reader = self.query_one(Reader)
        if reader.story is None:
            return 0.0
        if self._finished(reader.story):
            return reader.fraction
        return reader.place_fraction

    def _finished(self, story: Story) -> bool:
        entry = self.state.get(story_key(story.path))
        return entry is not None and entry.finished

    def _learn_pace(self, reader: Reader) -> None:
        """Page turns at a steady rate tell us the reader's own pace."""
        if reader.story is None:
            return
        words_read = reader.fraction * reader.story.words
        moved = words_read - self._words_read
        self._words_read = words_read
        page_words = reader.story.words * reader.size.height / max(1, self._story_rows(reader))
        if moved <= 0 or moved > 3 * max(page_words, 50):
            self._page_timer.reset()  # a jump or going back: not reading
        sample = self._page_timer.observe(time.monotonic(), words_read)
        if sample is not None:
            self.state.record_pace(sample)

    @staticmethod
    def _story_rows(reader: Reader) -> int:
        layout = reader.text_layout
        if layout is None:
            return 1
        # Estimated from characters: exact row counts would mean wrapping everything.
        return max(1, layout.total_chars // max(1, layout.width - 8))

    # -- the status line --------------------------------------------------------

    def update_status(self) -> None:
        reader = self.query_one(Reader)
        story = reader.story
        if self.tuific.current is None or story is None:
            return
        if self.partial:
            loading = Text("reading the rest of the story…", style="dim")
            self.query_one("#reader-status", Static).update(loading, layout=False)
            return
        fraction = self.shown_fraction()  # as the list and the panel show it
        index = reader.chapter_index
        matches = len(reader.matches)
        line = reader_status(
            fraction,
            # Author's notes are not reading time.
            (story.words - story.note_words)
            * (1 - fraction)
            / max(1.0, self.tuific.words_per_minute()),
            note=self._note_text if time.monotonic() < self._note_until else "",
            match=reader.current_match,
            matches=matches,
            capped=bool(self._search and matches >= self._search.MAX_MATCHES),
            chapter=None
            if index < 0
            else StatusChapter(
                index, len(story.chapters), story.chapters[index].title, reader.chapter_fraction()
            ),
            width=self.query_one("#reader-status").content_region.width,
            next_part=bool(reader.end_note),
            at_end=reader.fraction >= 1.0,
            finished=self._finished(story),
        )
        status = Text(line.figures, style="dim")
        if line.chapter_title:  # the chapter's name, in whatever room the figures leave
            status = Text(line.chapter_title + "  ", style="italic") + status
        self.query_one("#reader-status", Static).update(status, layout=False)

    def note(self, text: str) -> None:
        """A passing word in the status line (one at a time, unlike toasts)."""
        self._note_text = text
        # Shown for a while, not for one update: the jump a key makes (n past the
        # last match) redraws the status line again at once.
        self._note_until = time.monotonic() + NOTE_SECONDS
        self.set_timer(NOTE_SECONDS + 0.05, self.update_status)
        if text and self.query_one(Reader).story is None:
            self.notify(text, timeout=1.5, markup=False)
        self.update_status()

    # -- reading comfort --------------------------------------------------------

    def action_line_width(self, step: int) -> None:
        reader = self.query_one(Reader)
        low, high = LINE_WIDTHS
        # No wider than the pane can show: a width it cannot honour would be
        # remembered and surprise the reader on a bigger screen.
        fits = max(low, reader.size.width - 2)
        width = stepped_width(reader.line_width, step, self.config.line_width, low, min(high, fits))
        if width == reader.line_width:
            self.note("already the " + ("widest" if step > 0 else "narrowest"))
            return
        reader.line_width = width
        self._set_pref("line_width", width, f"line width {width}")

    def action_toggle_speakers(self) -> None:
        reader = self.query_one(Reader)
        reader.set_speaker_colours(not reader.speaker_colours)
        on = reader.speaker_colours
        self._set_pref("speaker_colours", on, "speaker colours" if on else "one dialogue colour")

    def action_toggle_speaker_names(self) -> None:
        reader = self.query_one(Reader)
        reader.set_speaker_names(not reader.speaker_names)
        on = reader.speaker_names
        self._set_pref("speaker_names", on, "speaker names" if on else "no speaker names")

    def action_toggle_justify(self) -> None:
        reader = self.query_one(Reader)
        reader.justify = not reader.justify
        self._set_pref("justify", reader.justify, "justified" if reader.justify else "ragged right")

    def action_paragraph_spacing(self) -> None:
        reader = self.query_one(Reader)
        reader.paragraph_spacing = (reader.paragraph_spacing + 1) % 3
        spacing = reader.paragraph_spacing
        self._set_pref("paragraph_spacing", spacing, f"paragraph spacing {spacing}")

    def _set_pref(self, name: str, value: int | bool, said: str) -> None:
        """A reading preference changed by a key: remembered in the state, said."""
        self.state.set_pref(name, value)
        self.note(said)
        self._schedule_save()
