"""The app's side of reading: the story a status key acts on (favourite, finished),
following what the reader pane says (`ReaderPane.StoryOpened`, `ProgressChanged`,
`OpenFailed`) in the list, the metadata panel and the panes, the reader following what
a rescan found (`LibraryPane.OpenStoryChanged`), and the themes. Opening, progress and
the reading keys are the reader pane's (reader_pane)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tuific.listing import ListItem
from tuific.model import Story
from tuific.state import story_key
from tuific.state.status import work_id
from tuific.ui import themes
from tuific.ui.library_pane import LibraryPane
from tuific.ui.panel_control import PanelControl
from tuific.ui.reader_pane import ReaderPane
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.filter import LineFilter
    from textual.theme import Theme


class ReadingControl(PanelControl):
    """The app's reading half (a mixin of TuificApp; its state is made in TuificApp)."""

    _activate: Callable[[str], None]  # TuificApp's (an annotation: see PanelControl)
    _theme_default: str  # the theme to start in when none was chosen
    # Defined by later classes of the chain (annotations only: a stub method here
    # would shadow the real one in the MRO).
    _show_end_note: Callable[[], None]  # (in SeriesControl)
    hold_keys: Callable[[], None]  # (TypeAhead's)
    hand_on_keys: Callable[[], None]

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
        self.library_pane.refresh_reading(item)
        self._status_changed(item, "♥ favourite" if item.favourite else "no longer a favourite")

    def action_toggle_finished(self) -> None:
        item = self._target_item()
        if item is None:
            return
        key = story_key(item.story.path)
        finished = item.read != "finished"
        length = (item.value("words"), item.value("chapter_count"))
        self.state.set_finished(key, finished, length if finished else None)
        self.library_pane.refresh_reading(item)
        if not finished:
            # Its own progress again, as the reader's next move would show it (the open
            # story's is the reader's measure); short of full while not finished.
            story = self.query_one(Reader).story
            if story is not None and story.path == item.story.path and not self.reader_pane.partial:
                item.progress = self.reader_pane.shown_fraction()
            item.progress = min(item.progress, 0.99)
        self.reader_pane.update_status()  # its "Space: finished" at the end goes or comes
        self._status_changed(item, "marked finished" if finished else f"marked {item.read}")

    def _status_changed(self, item: ListItem, message: str) -> None:
        # The identity opening records: a story marked unopened is followed too.
        self.state.note_work(story_key(item.story.path), work_id(item.value("extra")))
        if self.listing.hide_rules:
            self.library_pane.refilter()  # a rule may hide by reading state (read:dropped)
        self.query_one(StoryList).refresh_item(item)
        self.notify(f"{item.story.meta.title}: {message}", timeout=2, markup=False)
        self._show_metadata(item)
        self._schedule_save()

    # -- the reader pane's story ------------------------------------------------

    @property
    def reader_pane(self) -> ReaderPane:
        return self.query_one(ReaderPane)

    def key_opens_story(self, key: str) -> bool:
        focused = self.focused
        if not isinstance(focused, StoryList) or focused.current is None:
            return False
        # Through the bindings in force: a keymap may have moved "select" to another key.
        active = self.active_bindings.get(key)
        return active is not None and active.node is focused and active.binding.action == "select"

    def open_story(self, path: str) -> None:
        self._save_now()  # the place in the story being left, before another opens
        self.hold_keys()  # keys typed ahead are for the story (type_ahead)
        self.reader_pane.open_story(path)

    def on_reader_pane_story_opened(self, event: ReaderPane.StoryOpened) -> None:
        story = event.story
        if event.replacing is not None:
            # The same story again: re-read after its file changed (its row and panel
            # take it), or whole after its first part. A listed item keeps its own
            # metadata-only story then: only one not listed yet held the head.
            item = self.current
            if item is not None and item.story.path == story.path:
                if event.reread or item.story is event.replacing:
                    item.story = story
            self._show_metadata(self.current)
            self.hand_on_keys()
            return
        item = self.listing.item(story.path)
        if item is None:
            item = self.library_pane.list_item(story)
        self.library_pane.refresh_reading(item)
        self.current = item
        self._show_end_note()  # (in SeriesControl)
        self._activate("reader")  # which shows the story in the metadata panel
        self.hand_on_keys()
        self.select_story(story.path)
        self.call_after_refresh(self._first_page_shown)

    def _first_page_shown(self) -> None:
        # The list and the panel show the reader's own measure of progress.
        self.reader_pane.note_progress()
        self.reader_pane.update_status()
        self.library_pane.start_scan()

    def on_reader_pane_progress_changed(self, event: ReaderPane.ProgressChanged) -> None:
        self._show_progress(event.story, event.fraction)

    # The Reader's own messages, bubbled through the reader pane, which has recorded
    # the place (and marked the story finished): the row and panel follow at once.
    def on_reader_moved(self, event: Reader.Moved) -> None:
        self._follow_reader(event.reader)

    def on_reader_read_to_end(self, event: Reader.ReadToEnd) -> None:
        self._follow_reader(event.reader)

    def _follow_reader(self, reader: Reader) -> None:
        if reader.story is not None and not self.reader_pane.partial:
            self._show_progress(reader.story, self.reader_pane.shown_fraction())

    def _show_progress(self, story: Story, fraction: float) -> None:
        """The list row and the panel of the open story follow the reader."""
        item = self.current
        if item is None or item.story.path != story.path:
            return
        item.progress = fraction
        item.read = self.state.read_status(story_key(item.story.path))
        self.listing.note_reading(item)
        self.query_one(StoryList).refresh_item(item)
        self._show_metadata(item)

    def on_reader_pane_open_failed(self, event: ReaderPane.OpenFailed) -> None:
        if self.focused is None:
            self.query_one(StoryList).focus()
        self.hand_on_keys()
        self.library_pane.start_scan()

    def on_library_pane_open_story_changed(self, event: LibraryPane.OpenStoryChanged) -> None:
        """A rescan found the open story's file moved (the reader keeps reading it,
        and saving its place, under its new path) or rewritten (read it again,
        keeping the place)."""
        reader = self.query_one(Reader)
        if event.moved_from is not None:
            if reader.story is not None and reader.story.path == event.moved_from:
                reader.story.path = event.path
        elif self.current is not None and self.current.story.path == event.path:
            self.reader_pane.reread()

    def words_per_minute(self) -> float:
        return self.state.words_per_minute(self.config.words_per_minute)

    def _note(self, text: str) -> None:
        """A passing word in the reader's status line."""
        self.reader_pane.note(text)

    # -- themes -----------------------------------------------------------------

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
