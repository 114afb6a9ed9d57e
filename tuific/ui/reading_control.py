"""The reading side of the app: opening a story (its first page at once from the
file's head, the whole in a worker), progress and pace, the reader's status line,
reading status keys, and the reading column's preferences."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from tuific.formats import StoryError, read_file_bytes, story_from_bytes, story_prefix
from tuific.layout import stepped_width
from tuific.listing import ListItem
from tuific.model import Story, chapter_count
from tuific.pace import PageTimer
from tuific.startup_tricks import release_free_memory
from tuific.state import FINGERPRINT_HEAD, story_key
from tuific.state import fingerprint as content_fingerprint
from tuific.state.status import resume_paragraph, work_id
from tuific.status_text import Chapter as StatusChapter
from tuific.status_text import reader_status
from tuific.text import clean_line, display_path
from tuific.ui import themes
from tuific.ui.panel_control import PanelControl
from tuific.ui.threads import in_daemon_thread
from tuific.ui.widgets.reader import Reader, ReaderPlace
from tuific.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from textual.filter import LineFilter
    from textual.theme import Theme

    from tuific.library import Changes
    from tuific.search import StorySearch

# A plain-text story longer than the first of these shows its first page from its
# head while the rest is parsed: the smallest head that holds the saved place.
QUICK_START_HEADS = (16 * 1024, 256 * 1024)
QUICK_START_SUFFIXES = {".txt", ".text", ""}
LINE_WIDTHS = (40, 120)  # the narrowest and widest reading column offered
NOTE_SECONDS = 3.0  # how long a passing word stays in the reader's status line


class ReadingControl(PanelControl):
    """The app's reading half (a mixin of TuificApp; its state is made in TuificApp)."""

    _open_request: int
    _partial: bool  # the reader shows only the start of a huge story
    _search: StorySearch | None
    _search_note: str
    _note_until: float  # monotonic time the note stops showing
    _activate: Callable[[str], None]  # TuificApp's (an annotation: see LibraryControl)
    _page_timer: PageTimer
    _words_read: float
    _theme_default: str  # the theme to start in when none was chosen
    # Defined by later classes of the chain (annotations only, as in LibraryControl).
    _fold_notes_as_saved: Callable[[str], None]  # (in NotesControl)
    _show_end_note: Callable[[], None]  # (in SeriesControl)

    # -- reading status and favourites ------------------------------------------

    def _target_item(self) -> ListItem | None:
        """The story a status key acts on: the one being read, or the highlighted one."""
        if self.active_pane == "reader" and self.current is not None:
            return self.current
        return self.query_one(StoryList).current or self.current

    def action_toggle_favourite(self) -> None:
        item = self._target_item()
        if item is None:
            return
        self.state.toggle_favourite(story_key(item.story.path))
        self._refresh_reading(item)
        self._status_changed(item, "♥ favourite" if item.favourite else "no longer a favourite")

    def action_toggle_finished(self) -> None:
        item = self._target_item()
        if item is None:
            return
        key = story_key(item.story.path)
        finished = item.read != "finished"
        length = (item.value("words"), item.value("chapter_count"))
        self.state.set_finished(key, finished, length if finished else None)
        progress = item.progress
        self._refresh_reading(item)
        if not finished:
            item.progress = min(progress, 0.99)
        self._status_changed(item, "marked finished" if finished else f"marked {item.read}")

    def _status_changed(self, item: ListItem, message: str) -> None:
        if self.listing.hide_rules:
            self._refilter()  # a rule may hide by reading state (read:dropped)
        self.query_one(StoryList).refresh_item(item)
        self.notify(f"{item.story.meta.title}: {message}", timeout=2, markup=False)
        self._show_metadata(item)
        self._schedule_save()

    def action_rescan(self) -> None:
        if self._look_for_changes():
            self.notify("Looking for new and changed stories…", timeout=2, markup=False)

    # -- reading --------------------------------------------------------------

    def open_story(self, path: str) -> None:
        self._save_now()
        self.query_one("#reader-title", Static).update(Text("Opening…", style="dim"))
        self._open_request += 1
        self._show_start_now(path, self._open_request)
        if self._partial:
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

    def _open_story_changed(self, changes: Changes) -> bool:
        """The open story's file changed: its list row and panel take the new
        metadata now (the reader's text is re-read by `_reread_open_story`)."""
        item = self.current
        if item is None:
            return False
        changed = next((s for s in changes.changed if s.path == item.story.path), None)
        if changed is None:
            return False
        item.story = changed
        return True

    def _reread_open_story(self) -> None:
        """The open story's file changed on disk: read it again, keeping the place."""
        if self.current is not None and not self._partial:
            self._load_story(self.current.story.path, self._open_request, reread=True)

    def _reread(self, story: Story, request: int) -> None:
        reader = self.query_one(Reader)
        item = self.current
        if request != self._open_request or item is None or item.story.path != story.path:
            return  # another story was opened since
        item.story = story
        self._mark_opened(story)
        reader.show_story(story, reader.place)
        self.query_one("#reader-title", Static).update(self._title_line(story))
        self._note_progress(reader)
        self._update_reader_status()

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

    def _mark_opened(self, story: Story) -> None:
        paragraphs, chapters = len(story.paragraphs or []), chapter_count(story)
        work = work_id(story.meta.extra)
        self.state.mark_opened(story_key(story.path), story.words, paragraphs, chapters, work)

    def _deliver(self, callback: Callable[..., object], *args: object) -> None:
        """`callback(*args)` on the UI thread, unless the app has gone meanwhile."""
        if not self.is_running:
            return
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(callback, *args)

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
        if self.focused is None:
            self.query_one(StoryList).focus()
        name = display_path(Path(path).name)
        self.notify(f"Cannot open {name}: {clean_line(reason)}", severity="error", markup=False)
        self._start_scan()

    def _show_story(self, story: Story, request: int | None = None, partial: bool = False) -> None:
        if request is not None and request != self._open_request:
            return  # the user has asked for another story since
        reader = self.query_one(Reader)
        if (
            self._partial
            and not partial
            and reader.story is not None
            and reader.story.path == story.path
        ):
            # The whole story after its first part: same paragraphs, same place.
            self._partial = False
            self._search = None
            if self.current is not None and self.current.story is reader.story:
                self.current.story = story  # not listed yet: the list gets the whole
            self._mark_opened(story)
            reader.show_story(story, reader.place)
            self._update_reader_status()
            self._show_metadata(self.current)
            return
        key = story_key(story.path)
        listed = self.listing.item(story.path)
        fingerprint = listed.story.fingerprint if listed is not None else None
        entry = self.state.story(key, fingerprint or story.fingerprint)
        if partial and entry.position.paragraph >= len(story.paragraphs or []) - 1:
            return  # a moved story's place, found just now, is past the head: wait for all
        self._partial = partial
        place = ReaderPlace(entry.position.paragraph, entry.position.offset)
        resume = resume_paragraph(
            entry, story.words, [c.paragraph for c in story.chapters], len(story.paragraphs or [])
        )
        if resume is not None and not partial:
            # It grew since it was read to its end: on at the first new chapter.
            place = ReaderPlace(resume, 0)
            self.state.set_finished(key, False)
            self.state.set_position(key, resume, 0)
        self._mark_opened(story)
        item = self.listing.item(story.path)
        if item is None:
            item = self._list_item(story)
        self._refresh_reading(item)
        self.current = item
        reader = self.query_one(Reader)
        self._search = None
        self._page_timer.reset()
        self._fold_notes_as_saved(key)  # (in NotesControl)
        reader.show_story(story, place)
        self._show_end_note()  # (in SeriesControl)
        self._words_read = reader.fraction * story.words
        self.query_one("#reader-title", Static).update(self._title_line(story))
        self._activate("reader")  # which shows the story in the metadata panel
        self.select_story(story.path)
        self.call_after_refresh(self._first_page_shown)

    def _first_page_shown(self) -> None:
        # The list and the panel show the reader's own measure of progress.
        self._note_progress(self.query_one(Reader))
        self._update_reader_status()
        self._start_scan()

    def on_reader_read_to_end(self, event: Reader.ReadToEnd) -> None:
        item = self.current
        if item is None or self._partial:
            return  # the end of a story's first part is not its end
        key = story_key(item.story.path)
        if not self.state.story(key).finished:
            self.state.set_finished(key, True)
            self._note_progress(event.reader)
            self._update_reader_status()
            self._schedule_save()

    def _title_line(self, story: Story) -> Text:
        # One line, cut with an ellipsis when the pane is narrower than the title.
        text = Text(story.meta.title, style="bold", no_wrap=True, overflow="ellipsis")
        if story.meta.authors:
            text.append(" by " + ", ".join(story.meta.authors), style="italic")
        return text

    def on_reader_moved(self, event: Reader.Moved) -> None:
        if self.current is None:
            return
        self._note_progress(event.reader)
        self._learn_pace(event.reader)
        self._update_reader_status()
        self._schedule_save()

    def _note_progress(self, reader: Reader) -> None:
        """Record where the reader is; reaching the end marks the story finished."""
        item = self.current
        if item is None or self._partial:
            return  # the end of a story's first part is not its end
        key = story_key(item.story.path)
        place = reader.place
        self.state.set_position(key, place.paragraph, place.offset)
        fraction = reader.fraction
        item.progress = fraction
        item.read = self.state.read_status(key)
        self.listing.note_reading(item)
        self.query_one(StoryList).refresh_item(item)
        self._show_metadata(item)

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

    def words_per_minute(self) -> float:
        return self.state.words_per_minute(self.config.words_per_minute)

    def _update_reader_status(self) -> None:
        reader = self.query_one(Reader)
        story = reader.story
        if self.current is None or story is None:
            return
        if self._partial:
            loading = Text("reading the rest of the story…", style="dim")
            self.query_one("#reader-status", Static).update(loading, layout=False)
            return
        fraction = reader.fraction
        index = reader.chapter_index
        matches = len(reader.matches)
        line = reader_status(
            fraction,
            # Author's notes are not reading time.
            (story.words - story.note_words) * (1 - fraction) / max(1.0, self.words_per_minute()),
            note=self._search_note if time.monotonic() < self._note_until else "",
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
        )
        status = Text(line.figures, style="dim")
        if line.chapter_title:  # the chapter's name, in whatever room the figures leave
            status = Text(line.chapter_title + "  ", style="italic") + status
        self.query_one("#reader-status", Static).update(status, layout=False)

    # -- reading comfort ------------------------------------------------------

    def action_line_width(self, step: int) -> None:
        reader = self.query_one(Reader)
        low, high = LINE_WIDTHS
        # No wider than the pane can show: a width it cannot honour would be
        # remembered and surprise the reader on a bigger screen.
        fits = max(low, reader.size.width - 2)
        width = stepped_width(reader.line_width, step, self.config.line_width, low, min(high, fits))
        if width == reader.line_width:
            self._note("already the " + ("widest" if step > 0 else "narrowest"))
            return
        reader.line_width = width
        self.state.set_pref("line_width", width)
        self._note(f"line width {width}")
        self._schedule_save()

    def action_toggle_speakers(self) -> None:
        reader = self.query_one(Reader)
        reader.set_speaker_colours(not reader.speaker_colours)
        self.state.set_pref("speaker_colours", reader.speaker_colours)
        self._note("speaker colours" if reader.speaker_colours else "one dialogue colour")
        self._schedule_save()

    def action_toggle_speaker_names(self) -> None:
        reader = self.query_one(Reader)
        reader.set_speaker_names(not reader.speaker_names)
        self.state.set_pref("speaker_names", reader.speaker_names)
        self._note("speaker names" if reader.speaker_names else "no speaker names")
        self._schedule_save()

    def action_toggle_justify(self) -> None:
        reader = self.query_one(Reader)
        reader.justify = not reader.justify
        self.state.set_pref("justify", reader.justify)
        self._note("justified" if reader.justify else "ragged right")
        self._schedule_save()

    def action_paragraph_spacing(self) -> None:
        reader = self.query_one(Reader)
        reader.paragraph_spacing = (reader.paragraph_spacing + 1) % 3
        self.state.set_pref("paragraph_spacing", reader.paragraph_spacing)
        self._note(f"paragraph spacing {reader.paragraph_spacing}")
        self._schedule_save()

    def action_toggle_theme(self) -> None:
        self.theme = themes.next_theme(self.theme)
        self._note(f"{self.theme} theme")  # remembered by _remember_theme

    def _restore_theme(self) -> None:
        """Start in the theme last chosen on this kind of terminal (16 colours or more),
        else the configured one, else the default for the terminal's colours."""
        colours = self.console.color_system
        self._theme_default = themes.default_theme(colours, self.config.theme)
        name = self.state.pref(themes.pref_key(colours), self._theme_default)
        try:
            self.theme = name
        except Exception:
            self.notify(f"Unknown theme {name!r}", severity="warning", markup=False)
        # However a theme is chosen (t, the command palette), it is remembered.
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()
        if self.no_color:
            return themes.no_color_filters(filters, self.native_ansi_color)
        return filters

    def _remember_theme(self, theme: Theme) -> None:
        key = themes.pref_key(self.console.color_system)
        if theme.name == self.state.pref(key, self._theme_default):
            return  # the theme restored at start-up: nothing was chosen
        self.state.set_pref(key, theme.name)
        self._schedule_save()

    def _note(self, text: str) -> None:
        """A passing word in the reader's status line (one at a time, unlike toasts)."""
        self._search_note = text
        # Shown for a while, not for one update: the jump a key makes (n past the
        # last match) redraws the status line again at once.
        self._note_until = time.monotonic() + NOTE_SECONDS
        self.set_timer(NOTE_SECONDS + 0.05, self._update_reader_status)
        if text and self.query_one(Reader).story is None:
            self.notify(text, timeout=1.5, markup=False)
        self._update_reader_status()
