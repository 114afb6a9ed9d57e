"""The Textual app: story list, reader and metadata panel around a library."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from tuific import query as story_query
from tuific.config import Config
from tuific.formats import StoryError, load_story
from tuific.library import Skipped, scan_library
from tuific.model import Story
from tuific.resources import styles_dir
from tuific.state import StateStore
from tuific.ui.panes import visible_panes
from tuific.ui.screens.help import HelpScreen
from tuific.ui.screens.skipped import SkippedScreen
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.reader import Reader, ReaderPlace
from tuific.ui.widgets.story_list import ListItem, StoryList, header_text

SAVE_DELAY = 1.5  # seconds the reading place must settle before it is written


def story_key(path: str) -> str:
    return str(Path(path).resolve())


class TuificApp(App[None]):
    TITLE = "tuific"
    CSS_PATH = [str(styles_dir() / "app.tcss")]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("slash", "filter", "Filter"),
        Binding("tab", "next_pane", "Next pane", show=False, priority=True),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True),
        Binding("h", "toggle_list", "List"),
        Binding("i", "toggle_meta", "Info"),
        Binding("exclamation_mark", "skipped", "Skipped", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        library: Path,
        *,
        state: StateStore,
        config: Config | None = None,
        open_path: Path | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.state = state
        self.config = config or Config()
        self.open_path = open_path
        self.hint = hint
        self.items: list[ListItem] = []
        self.entries: list[story_query.Entry] = []
        self.skipped: list[Skipped] = []
        self.scanning = True
        self.current: ListItem | None = None
        self.active_pane = "list"
        self.show_list = True
        self.show_meta = True
        self._query = story_query.parse_query("")
        self._save_timer: Timer | None = None
        self._by_path: dict[str, ListItem] = {}

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="list-pane"):
                yield Input(placeholder="/ filter: words, fandom:, ship:, rating:…", id="filter")
                yield Static("", id="filter-message", markup=False)
                yield Static("", id="list-header", markup=False)
                yield StoryList(id="stories")
                yield Static("", id="library-status", markup=False)
            with Vertical(id="reader-pane"):
                yield Static("", id="reader-title", markup=False)
                yield Reader(id="reader")
                yield Static("", id="reader-status", markup=False)
            yield MetadataPanel(id="meta-pane")
        yield Footer()

    def on_mount(self) -> None:
        reader = self.query_one(Reader)
        reader.line_width = self.config.line_width
        reader.justify = self.config.justify
        reader.paragraph_spacing = self.config.paragraph_spacing
        if self.config.theme:
            try:
                self.theme = self.config.theme
            except Exception:
                self.notify(
                    f"Unknown theme {self.config.theme!r}", severity="warning", markup=False
                )
        for notice in self.state.notices:
            self.notify(notice, severity="warning", timeout=15, markup=False)
        self._install_signal_handlers()
        self.query_one(StoryList).focus()
        self._apply_layout()
        self._update_library_status()
        self._load_library()
        if self.open_path is not None:
            self.open_story(str(self.open_path))

    def on_resize(self) -> None:
        self._apply_layout()
        self.query_one("#list-header", Static).update(
            Text(header_text(self.query_one(StoryList).scrollable_content_region.width))
        )

    def _apply_layout(self) -> None:
        shown = visible_panes(self.size.width, self.active_pane, self.show_list, self.show_meta)
        for pane, widget_id in (
            ("list", "#list-pane"),
            ("reader", "#reader-pane"),
            ("meta", "#meta-pane"),
        ):
            self.query_one(widget_id).display = pane in shown
        self.call_after_refresh(self._update_list_header)

    def _update_list_header(self) -> None:
        width = self.query_one(StoryList).scrollable_content_region.width
        self.query_one("#list-header", Static).update(Text(header_text(width)))

    def _pane_widget(self, pane: str):
        return {
            "list": self.query_one(StoryList),
            "reader": self.query_one(Reader),
            "meta": self.query_one(MetadataPanel),
        }[pane]

    def _activate(self, pane: str) -> None:
        self.active_pane = pane
        if pane == "list":
            self.show_list = True
        if pane == "meta":
            self.show_meta = True
        self._apply_layout()
        self._pane_widget(pane).focus()

    def on_descendant_focus(self, event) -> None:
        for pane, widget_id in (
            ("list", "#list-pane"),
            ("reader", "#reader-pane"),
            ("meta", "#meta-pane"),
        ):
            node = event.widget
            while node is not None and node is not self.screen:
                if node.id == widget_id.lstrip("#"):
                    if self.active_pane != pane:
                        self.active_pane = pane
                        self._apply_layout()
                    return
                node = node.parent

    def _pane_cycle(self) -> list[str]:
        return [
            p
            for p in ("list", "reader", "meta")
            if (p != "list" or self.show_list or self.size.width < 90)
            and (p != "meta" or self.show_meta or self.size.width < 90)
        ]

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def _cycle(self, step: int) -> None:
        if isinstance(self.screen, (HelpScreen, SkippedScreen)):
            return
        cycle = self._pane_cycle()
        index = cycle.index(self.active_pane) if self.active_pane in cycle else 0
        self._activate(cycle[(index + step) % len(cycle)])

    def action_toggle_list(self) -> None:
        self.show_list = not self.show_list
        if not self.show_list and self.active_pane == "list":
            self._activate("reader")
        elif self.show_list:
            self._activate("list")
        else:
            self._apply_layout()

    def action_toggle_meta(self) -> None:
        self.show_meta = not self.show_meta
        if self.show_meta:
            self.active_pane = "meta" if self.size.width < 120 else self.active_pane
        elif self.active_pane == "meta":
            self.active_pane = "reader" if self.current else "list"
        self._apply_layout()
        self._pane_widget(self.active_pane).focus()

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            if focused.value:
                focused.value = ""
            else:
                self._activate("list")
        elif self.active_pane != "list":
            self._activate("list")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_skipped(self) -> None:
        self.push_screen(SkippedScreen(self.skipped))

    def action_filter(self) -> None:
        self.show_list = True
        self.active_pane = "list"
        self._apply_layout()
        self.query_one("#filter", Input).focus()

    # -- library --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="scan")
    def _load_library(self) -> None:
        batch: list[Story | Skipped] = []
        for item in scan_library(self.library):
            batch.append(item)
            if len(batch) >= 200:
                self.call_from_thread(self._add_scanned, batch)
                batch = []
        self.call_from_thread(self._add_scanned, batch, True)

    def _add_scanned(self, batch: list[Story | Skipped], done: bool = False) -> None:
        for found in batch:
            if isinstance(found, Skipped):
                self.skipped.append(found)
                continue
            item = self._list_item(found)
            self.items.append(item)
            self._by_path[found.path] = item
            self.entries.append(story_query.make_entry(found, item.read, item.favourite))
        if done:
            self.scanning = False
        self._refilter(force=True)
        self._update_library_status()
        if done and self.open_path is None and self.current is None:
            last = self.state.last_story
            if last:
                self.query_one(StoryList).select_story(last)

    def _list_item(self, story: Story) -> ListItem:
        key = story_key(story.path)
        return ListItem(
            story,
            progress=self.state.progress(key, 0),  # TODO(progress field)
            read=self.state.read_status(key),
            favourite=bool((entry := self.state.get(key)) and entry.favourite),
        )

    def _update_library_status(self) -> None:
        shown = len(self.query_one(StoryList).rows)
        total = len(self.items)
        noun = "story" if total == 1 else "stories"
        parts = [f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}"]
        if self.scanning:
            parts.append("scanning…")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped (! to see why)")
        text = Text(" · ".join(parts), style="dim")
        if self.hint:
            text = Text(self.hint + "\n", style="italic") + text
        self.query_one("#library-status", Static).update(text)

    # -- filtering ------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        message = self.query_one("#filter-message", Static)
        try:
            new = story_query.parse_query(event.value)
        except story_query.QueryError as error:
            message.update(Text(str(error), style="bold red"))
            message.display = True
            return
        message.display = False
        old, self._query = self._query, new
        within = self.query_one(StoryList).rows if story_query.narrows(old, new) else None
        self._refilter(within=within)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self._activate("list")

    def _refilter(self, within: list[int] | None = None, force: bool = False) -> None:
        story_list = self.query_one(StoryList)
        visible = story_query.filter_entries(self._query, self.entries, within)
        if force:
            story_list.set_items(self.items, visible)
        else:
            story_list.show(visible)
        self._update_library_status()

    # -- the list and the metadata panel ----------------------------------------

    @on(StoryList.Highlighted)
    def _highlighted(self, event: StoryList.Highlighted) -> None:
        if self.current is None or self.active_pane == "list":
            self._show_metadata(event.item)

    @on(StoryList.Selected)
    def _selected(self, event: StoryList.Selected) -> None:
        self.open_story(event.item.story.path)

    def _show_metadata(self, item: ListItem | None) -> None:
        panel = self.query_one(MetadataPanel)
        if item is None:
            panel.show(None)
        else:
            panel.show(
                item.story,
                progress=item.progress,
                read=item.read,
                words_per_minute=self.config.words_per_minute,
            )

    # -- reading --------------------------------------------------------------

    def open_story(self, path: str) -> None:
        self._save_now()
        self.query_one("#reader-title", Static).update(Text("Opening…", style="dim"))
        self._load_story(path)

    @work(thread=True, exclusive=True, group="open")
    def _load_story(self, path: str) -> None:
        try:
            story = load_story(path)
        except StoryError as error:
            self.call_from_thread(self._open_failed, path, str(error))
            return
        self.call_from_thread(self._show_story, story)

    def _open_failed(self, path: str, reason: str) -> None:
        self.query_one("#reader-title", Static).update(Text(""))
        self.notify(f"Cannot open {Path(path).name}: {reason}", severity="error", markup=False)

    def _show_story(self, story: Story) -> None:
        key = story_key(story.path)
        entry = self.state.story(key)
        self.state.mark_opened(key)
        item = self._by_path.get(story.path)
        if item is None:
            item = self._list_item(story)
        self.current = item
        reader = self.query_one(Reader)
        place = ReaderPlace(entry.position.paragraph, entry.position.offset)
        reader.show_story(story, place)
        self.query_one("#reader-title", Static).update(self._title_line(story))
        self._show_metadata(item)
        self._activate("reader")
        self.query_one(StoryList).select_story(story.path)
        self.call_after_refresh(self._update_reader_status)

    def _title_line(self, story: Story) -> Text:
        text = Text(story.meta.title, style="bold")
        if story.meta.authors:
            text.append(" by " + ", ".join(story.meta.authors), style="italic")
        return text

    @on(Reader.Moved)
    def _reader_moved(self, event: Reader.Moved) -> None:
        item = self.current
        if item is None:
            return
        key = story_key(item.story.path)
        reader = event.reader
        self.state.set_position(key, event.place.paragraph, event.place.offset)
        if reader.fraction >= 1.0 and not self.state.story(key).finished:
            self.state.set_finished(key, True)
        item.progress = reader.fraction
        item.read = self.state.read_status(key)
        self.query_one(StoryList).refresh_item(item)
        self._update_reader_status()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_now)

    def _update_reader_status(self) -> None:
        reader = self.query_one(Reader)
        item = self.current
        if item is None or reader.story is None:
            return
        fraction = reader.fraction
        words_left = reader.story.words * (1 - fraction)
        from tuific.describe import format_duration

        left = format_duration(words_left / max(1, self.config.words_per_minute))
        status = Text(f"{fraction:.0%} · {left} left", style="dim")
        self.query_one("#reader-status", Static).update(status)

    # -- saving -----------------------------------------------------------------

    def _save_now(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        try:
            self.state.save()
        except OSError as error:
            self.notify(f"Could not save reading state: {error}", severity="error", markup=False)

    def _install_signal_handlers(self) -> None:
        # A dropped SSH link sends SIGHUP: save the place before anything else.
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_terminate_signal)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass

    def _on_terminate_signal(self) -> None:
        try:
            self.state.save()
        finally:
            self.exit()

    async def action_quit(self) -> None:
        self._save_now()
        self.exit()

    def on_unmount(self) -> None:
        self._save_now()
