"""Tools of the reader pane: search inside the story, the chapter list, bookmarks and
lettered marks, and author's notes folded or shown (a mixin of ReaderPane)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from tuific.describe import percent
from tuific.model import Story
from tuific.state import Bookmark, story_key
from tuific.ui.pane_base import ThroughTheApp
from tuific.ui.threads import in_daemon_thread
from tuific.ui.widgets.reader import Reader

if TYPE_CHECKING:
    from tuific.search import StorySearch
    from tuific.ui.widgets.reader import ReaderPlace

MARK_PREFIX = "'"  # a lettered mark is the bookmark named 'a


# The reader pane's keys shown in the footer that need a story open.
_STORY_ACTIONS = frozenset({"chapters", "search", "add_bookmark"})


class ReaderTools(ThroughTheApp):
    """Search, chapters, bookmarks and notes (a mixin of ReaderPane)."""

    if TYPE_CHECKING:  # ReaderPane's
        _search: StorySearch | None

        def note(self, text: str) -> None: ...

        def update_status(self) -> None: ...

    # -- search inside the story ------------------------------------------------

    async def action_search(self) -> None:
        reader = self.query_one(Reader)
        if reader.story is None:
            return
        found = self.query("#search")
        if found:
            search = found.first(Input)
        else:
            search = Input(placeholder="search this story", id="search")
            await self.mount(search, after=reader)
        search.display = True
        # At once (focus() waits for the messages already queued): the keys typed
        # right after / are the search's.
        self.screen.set_focus(search)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search" and isinstance(self.app.focused, Input):
            return False  # / in a line of text (the search's own) is typed
        if action in _STORY_ACTIONS and self.query_one(Reader).story is None:
            return False  # no story yet: the footer offers none of its keys
        return super().check_action(action, parameters)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        reader = self.query_one(Reader)
        event.input.display = False
        reader.focus()
        if reader.story is None or not event.value.strip():
            reader.set_matches([])
            self.update_status()
            return
        self.note("searching…")
        self.update_status()
        self._run_search(reader.story, event.value.strip())

    # Not a Textual worker (see tuific.ui.threads): those are named from repr() of
    # their arguments (all the story's text), and quitting waits for them.
    @in_daemon_thread("tuific-search")
    def _run_search(self, story: Story, text: str) -> None:
        # A common word in a million-word story takes most of a second: not on
        # the UI thread.
        from tuific.search import StorySearch

        search = self._search
        if search is None or search.story is not story:
            search = StorySearch(story.paragraphs or [], story)
        matches = search.find(text)
        self.app.call_from_thread(self._search_done, search, text, matches)

    def _search_done(self, search: StorySearch, text: str, matches: list) -> None:
        reader = self.query_one(Reader)
        if search.story is not reader.story:
            return  # another story was opened meanwhile
        self._search = search
        self.note("" if matches else f"Not found: {text}")
        if not matches:
            reader.set_matches([])
        else:
            from tuific.search import next_match

            place = reader.place
            reader.set_matches(matches, next_match(matches, place.paragraph, place.offset - 1))
        self.update_status()

    def action_search_next(self, step: int) -> None:
        reader = self.query_one(Reader)
        if not reader.matches:
            return
        target = reader.current_match + step
        reader.set_matches(reader.matches, target % len(reader.matches))
        if not 0 <= target < len(reader.matches):
            self.note("search wrapped to the " + ("start" if step > 0 else "end"))
        else:
            self.update_status()

    def on_reader_note(self, event: Reader.Note) -> None:
        self.note(event.text)

    # -- chapters and bookmarks -----------------------------------------------

    def action_chapters(self) -> None:
        from tuific.ui.screens.pickers import ChapterPicker

        reader = self.query_one(Reader)
        if reader.story is None:
            return
        if not reader.story.chapters:
            self.notify("This story has no chapter headings.", markup=False)
            return

        def jump(index: int | None) -> None:
            if index is not None and reader.story is not None:
                reader.go_to(reader.story.chapters[index].paragraph)
            reader.focus()

        self.app.push_screen(ChapterPicker(reader.story.chapters, reader.chapter_index), jump)

    def action_add_bookmark(self) -> None:
        """`m`: then a letter sets that mark; Enter adds a bookmark you may name."""
        from tuific.ui.screens.pickers import MarkKey

        reader = self.query_one(Reader)
        if reader.story is None or self.tuific.current is None:
            return
        place = reader.place

        def chosen(key: str | None) -> None:
            if key == "enter":
                self._name_bookmark(place)
            elif key is not None and key != "'":
                self._set_mark(key, place)
            else:
                reader.focus()

        self.app.push_screen(
            MarkKey("Mark this place", "a–z: a lettered mark · Enter: a bookmark"), chosen
        )

    def _name_bookmark(self, place: ReaderPlace) -> None:
        from tuific.ui.screens.pickers import TextPrompt

        reader = self.query_one(Reader)
        if reader.story is None:
            return
        key = story_key(reader.story.path)

        def save(name: str | None) -> None:
            if name is not None:
                self.state.add_bookmark(key, place.paragraph, place.offset, name)
                self._save_now()
                self.notify(f"Bookmarked at {percent(reader.fraction)}", markup=False)
            reader.focus()

        self.app.push_screen(TextPrompt("Add a bookmark", "name (optional)"), save)

    def _set_mark(self, letter: str, place: ReaderPlace) -> None:
        """A lettered mark is a bookmark named `'a`: listed beside the others, and set
        again, it moves."""
        reader = self.query_one(Reader)
        if reader.story is None:
            return
        key = story_key(reader.story.path)
        name = MARK_PREFIX + letter
        for old in self.state.story(key).bookmarks:
            if old.name == name:
                self.state.remove_bookmark(key, old.id)
        self.state.add_bookmark(key, place.paragraph, place.offset, name)
        self._save_now()
        self.notify(f"Mark {letter} at {percent(reader.fraction)}", timeout=2, markup=False)
        reader.focus()

    def action_go_to_mark(self) -> None:
        """`'`: then a letter jumps to that mark; `'` back to where the last jump
        came from; Enter lists the bookmarks."""
        from tuific.ui.screens.pickers import MarkKey

        reader = self.query_one(Reader)
        if reader.story is None:
            return
        key = story_key(reader.story.path)

        def chosen(pressed: str | None) -> None:
            reader.focus()
            if pressed == "enter":
                self.action_bookmarks()
            elif pressed == "'":
                reader.jump_back()
            elif pressed is not None:
                marks = [
                    b for b in self.state.story(key).bookmarks if b.name == MARK_PREFIX + pressed
                ]
                if marks:
                    reader.go_to(marks[-1].paragraph, marks[-1].offset)
                else:
                    self.notify(f"No mark {pressed} in this story", timeout=2, markup=False)

        self.app.push_screen(
            MarkKey("Go to a mark", "a–z: that mark · ': back · Enter: bookmarks"), chosen
        )

    def action_bookmarks(self) -> None:
        from tuific.ui.screens.pickers import BookmarkPicker

        reader = self.query_one(Reader)
        if reader.story is None:
            return
        key = story_key(reader.story.path)
        layout = reader.text_layout
        paragraphs = reader.story.paragraphs or []

        def describe(bookmark: Bookmark) -> str:
            where = f"{layout.fraction(bookmark.paragraph, bookmark.offset):4.0%}" if layout else ""
            name = bookmark.name or paragraphs[bookmark.paragraph].text[:60]
            return f"{where}  {name}"

        def delete(bookmark: Bookmark) -> None:
            self.state.remove_bookmark(key, bookmark.id)
            self._save_now()

        def jump(bookmark: Bookmark | None) -> None:
            if bookmark is not None:
                reader.go_to(bookmark.paragraph, bookmark.offset)
            reader.focus()

        bookmarks = [b for b in self.state.story(key).bookmarks if b.paragraph < len(paragraphs)]
        self.app.push_screen(BookmarkPicker(bookmarks, describe, delete), jump)

    # -- author's notes ---------------------------------------------------------

    def action_toggle_notes(self) -> None:
        reader = self.query_one(Reader)
        if reader.story is None or self.tuific.current is None:
            return
        if not reader.has_notes:
            self.note("no author's notes in this story")
            return
        reader.notes_folded = not reader.notes_folded
        self.state.set_notes_open(story_key(reader.story.path), not reader.notes_folded)
        self.note("author's notes folded" if reader.notes_folded else "author's notes shown")
        self._schedule_save()

    def fold_notes_as_saved(self, key: str) -> None:
        """Before a story is shown: its notes as the reader last left them."""
        entry = self.state.get(key)
        self.query_one(Reader).notes_folded = not (entry is not None and entry.notes_open)
