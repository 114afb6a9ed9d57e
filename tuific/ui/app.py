"""The Textual app: composes the panes and the footer, lays them out, moves the focus
between them and routes what belongs to no pane. The library pane (library_pane) owns
the listing, its scans, filter and sort; the reader pane (reader_pane) owns opening,
progress and the reading keys; both tell the app with messages. The app's own parts
live beside it, as plain mixins: panel_control (the metadata panel following the list
or the reader, a story chosen in the list), reading_control (following the panes,
reading status keys, themes), shelves and series_control, palette (the command
palette's entries) and saving (the state file, signals)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from tuific.config import Config
from tuific.hiding import compile_rules
from tuific.listing import Listing, ListItem
from tuific.resources import styles_dir
from tuific.state import StateStore
from tuific.ui.library_pane import LibraryPane
from tuific.ui.palette import PaletteCommands
from tuific.ui.panes import MEDIUM, WIDE, visible_panes
from tuific.ui.reader_pane import ReaderPane
from tuific.ui.screens.main import MainScreen
from tuific.ui.themes import OWN_THEMES
from tuific.ui.type_ahead import TypeAhead
from tuific.ui.widgets.key_hints import KeyHints
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import Widget

    from tuific.readahead import ReadAhead

__all__ = ["TuificApp"]

# Seconds after start before the whole reading history is indexed in the background:
# past the first page or list, and the scan or check that follows it.
STATE_PRELOAD_AFTER = 1.0


class NoTerminal(Exception):
    """Started with no terminal to draw in and read keys from."""


def _has_terminal() -> bool:
    if "TEXTUAL_DRIVER" in os.environ:  # a driver of its own (tuific serve's)
        return True
    return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout))


class TuificApp(TypeAhead, PaletteCommands, App[None]):
    TITLE = "tuific"
    CSS_PATH = [str(styles_dir() / "app.tcss"), str(styles_dir() / "themes.tcss")]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        # Priority bindings run as the key arrives, before the keys after it go to the
        # focused widget: "/one" in one burst (over SSH) filters for "one".
        Binding("slash", "filter", "Filter", id="filter", priority=True),
        Binding("tab", "next_pane", "Next pane", show=False, priority=True, id="next_pane"),
        Binding(
            "shift+tab",
            "previous_pane",
            "Previous pane",
            show=False,
            priority=True,
            id="previous_pane",
        ),
        Binding("h", "toggle_list", "List", show=False, id="toggle_list"),
        Binding("i", "toggle_meta", "Info", show=False, id="toggle_meta"),
        Binding("exclamation_mark", "skipped", "Skipped", show=False, id="skipped"),
        Binding("H", "hidden", "Hidden", show=False, id="hidden"),
        # Not "back": App.action_back is Textual's own (and a coroutine).
        Binding("escape", "step_back", "Back", show=False, id="back"),
        Binding("t", "toggle_theme", "Theme", show=False, id="toggle_theme"),
        Binding("L", "toggle_shelf('later')", "Later", show=False, id="toggle_later"),
        Binding("D", "toggle_shelf('dropped')", "Dropped", show=False, id="toggle_dropped"),
        Binding("P", "next_part", "Next part", show=False, id="next_part"),
        Binding("A", "toggle_notes", "Notes", show=False, id="toggle_notes"),
        Binding("q", "quit", "Quit", id="quit"),
    ]


    def run(self, *args: Any, **kwargs: Any) -> Any:
        # Keys read from /dev/null or a pipe: Textual's input thread meets the end of
        # the input again and again, a whole core spent drawing for nobody, forever.
        if not kwargs.get("headless") and not _has_terminal():
            raise NoTerminal
        return super().run(*args, **kwargs)

    closed_down = False  # set once the app has unmounted (saving.SavingState.on_unmount)

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # A background thread (tuific.ui.threads) may outlive the app. Once it has
        # closed, Textual's own method makes its coroutine before it finds the event
        # loop closed: a RuntimeError, and a "never awaited" RuntimeWarning besides.
        # run() forgets the loop, so the closed app is refused first; run_test()
        # keeps it: refused here, as run() would.
        if self.closed_down:
            raise RuntimeError("App is not running")
        return super().call_from_thread(callback, *args, **kwargs)

    def __init__(
        self,
        library: Path,
        *,
        state: StateStore,
        config: Config | None = None,
        open_path: Path | None = None,
        hint: str | None = None,
        cache_ahead: ReadAhead | None = None,
        recursive: bool = True,
        config_warnings: list[str] | None = None,
    ) -> None:
        super().__init__()
        for theme in OWN_THEMES:
            self.register_theme(theme)
        self.library = library
        self.recursive = recursive
        self.state = state
        self.config = config or Config()
        # Problems found in config.toml: shown once, in the app (stderr is hidden
        # behind the app's screen until it quits).
        self._config_warnings = list(config_warnings or ())
        self.open_path = open_path
        self.hint = hint
        self._cache_ahead = cache_ahead  # the metadata cache, handed to the library pane
        self._library_pane: LibraryPane | None = None  # made by compose
        self.current: ListItem | None = None
        self.active_pane = "list"
        self.show_list = True
        self.show_meta = True
        self._list_gave_way = False  # the list was hidden for the panel (toggle_meta)
        self._save_timer: Timer | None = None
        self._meta_item: ListItem | None = None  # the story the metadata panel shows
        self._meta_pending: ListItem | None = None  # the one highlighted, to show next
        self._meta_scheduled = False
        self._theme_default = "textual-dark"

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ahead, self._cache_ahead = self._cache_ahead, None  # the bytes are not kept twice
        self._library_pane = LibraryPane(
            hint=self.hint,
            cache_ahead=ahead,
            hide_rules=compile_rules(self.config.hide)[0],
            id="list-pane",
        )
        yield self._library_pane
        yield ReaderPane(id="reader-pane")
        yield MetadataPanel(id="meta-pane")
        yield KeyHints(id="footer")
        # The search line and the filter's error line are made when first needed:
        # fewer widgets to style and lay out before the first frame.

    @property
    def library_pane(self) -> LibraryPane:
        assert self._library_pane is not None, "composed first"
        return self._library_pane

    @property
    def listing(self) -> Listing:
        """The library pane's listing: the list, the series and the palette read it."""
        return self.library_pane.listing

    def select_story(self, path: str) -> bool:
        """Put the list cursor on the story at `path`, if it is listed and shown."""
        return self.library_pane.select_story(path)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._library_pane is not None:
            # Every key reaches the app first: a check against the disk gives way.
            self._library_pane.keys_pressed()
        await super().on_event(event)

    def on_mount(self) -> None:
        reader = self.query_one(Reader)
        # Preferences changed with keys are remembered in the state file; the
        # config file gives the defaults.
        reader.line_width = int(self.state.pref("line_width", self.config.line_width))
        reader.justify = bool(self.state.pref("justify", self.config.justify))
        reader.speaker_colours = bool(self.state.pref("speaker_colours", True))
        # Under NO_COLOR speakers are told apart by name: on unless turned off.
        reader.speaker_names = bool(self.state.pref("speaker_names", self.no_color))
        reader.paragraph_spacing = int(
            self.state.pref("paragraph_spacing", self.config.paragraph_spacing)
        )
        self._restore_theme()
        if self.config.keys:
            # [keys] in config.toml: binding id = "key[,key...]" (ids are in the README).
            self.set_keymap(self.config.keys)
        # config.toml's problems, said once, here; the value or rule is ignored.
        for problem in self._config_warnings:
            self.notify(problem, severity="warning", timeout=15, markup=False)
        for notice in self.state.take_notices():
            self.notify(notice, severity="warning", timeout=15, markup=False)
        self._install_signal_handlers()
        if self.open_path is not None:
            # Marked before the first layout: marking the list first restyled both
            # title lines again when the story came (~1 ms of the first page).
            self.active_pane = "reader"
        # The whole reading history's index (for following renamed stories) once the first
        # page or list is on screen, not beside the work that puts it there.
        self.set_timer(STATE_PRELOAD_AFTER, self.library_pane.preload_state)
        self._apply_layout()
        if self.open_path is None:
            self.query_one(StoryList).focus()
            self.library_pane.start_scan()  # (the listing or the scan writes the status line)
        else:
            self.library_pane.update_status()
            # The story first: a scan running beside it would share the GIL and
            # delay the first page. The library follows once the story is shown.
            self.open_story(str(self.open_path))

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def lay_out(self) -> None:
        if self._list_gave_way and self._width() >= WIDE:
            # Wide enough for all three again: the list the panel took the place of.
            self.show_list, self._list_gave_way = True, False
        self._apply_layout()

    def _apply_layout(self) -> None:
        shown = self._shown()
        # The main screen, even while a modal (help, a picker) is on top of it.
        self.screen_stack[0].set_class(len(shown) == 1, "-single-pane")
        self.screen_stack[0].set_class(shown == ["list", "meta"], "-no-reader")
        for pane, widget_id, marked in (
            ("list", "#list-pane", "#list-header"),
            ("reader", "#reader-pane", "#reader-title"),
            ("meta", "#meta-pane", "#meta-pane"),
        ):
            self.query_one(widget_id).display = pane in shown
            self.query_one(marked).set_class(pane == self.active_pane, "-active")

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
        self._sync_metadata()
        self._pane_widget(pane).focus()

    def _sync_metadata(self) -> None:
        """The panel describes the story of the pane in use."""
        if self.active_pane == "reader" and self.current is not None:
            self._show_metadata(self.current)
        elif self.active_pane == "list":
            self._show_metadata(self.query_one(StoryList).current)

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
                        self._sync_metadata()
                    return
                node = node.parent

    def _pane_cycle(self) -> list[str]:
        # One pane at a time: Tab visits hidden panes too, as that is how to reach them.
        single = self._width() < MEDIUM
        return [
            p
            for p in ("list", "reader", "meta")
            if (p != "list" or self.show_list or single)
            and (p != "meta" or self.show_meta or single)
        ]

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def _cycle(self, step: int) -> None:
        if isinstance(self.screen, ModalScreen):
            return  # Tab belongs to the dialog
        cycle = self._pane_cycle()
        index = cycle.index(self.active_pane) if self.active_pane in cycle else 0
        self._activate(cycle[(index + step) % len(cycle)])

    def _shown(self) -> list[str]:
        reading = self.query_one(Reader).story is not None
        return visible_panes(
            self._width(), self.active_pane, self.show_list, self.show_meta, reading
        )

    def _width(self) -> int:
        """The main screen's width, also while a dialog is on top of it."""
        return self.screen_stack[0].size.width or self.size.width

    def action_toggle_list(self) -> None:
        # Toggle what the user sees, not the wish: on a narrow screen the list
        # may be wanted but not shown.
        self._list_gave_way = False  # (the user's own choice from now on)
        if "list" in self._shown():
            self.show_list = False
            self._activate("reader")
            return
        self.show_list = True
        if self.active_pane == "reader" and "list" in self._shown():
            # Shown beside the reader, the list leaves the focus there, as the panel
            # does: taking it made V and Space do nothing until Tab.
            self._apply_layout()
        else:
            self._activate("list")

    def action_toggle_meta(self) -> None:
        if "meta" in self._shown():
            self.show_meta = False
            if self.active_pane == "meta":
                self.active_pane = "reader" if self.current else "list"
            if self._list_gave_way:
                self.show_list, self._list_gave_way = True, False
            self._apply_layout()
            self._pane_widget(self.active_pane).focus()
        else:
            self.show_meta = True
            two_wide = MEDIUM <= self._width() < WIDE
            reading = self.active_pane == "reader" and self.show_list
            if two_wide and reading and "meta" not in self._shown():
                # Two panes wide, reading: the panel takes the list's place beside the
                # story, which keeps the focus (Space went on to scroll the panel), and
                # the list comes back when the panel goes.
                self.show_list, self._list_gave_way = False, True
            if "meta" in self._shown():
                # Shown beside the pane in use, the panel leaves the focus there:
                # taking it made j and Space do nothing in the reader.
                self._apply_layout()
                self._sync_metadata()
            else:
                self._activate("meta")

    def action_step_back(self) -> None:
        focused = self.focused
        reader = self.query_one(Reader)
        if isinstance(focused, Input) and focused.id == "search":
            focused.display = False
            reader.focus()
        elif isinstance(focused, Input):
            self._activate("list")  # the filter stays; Escape in the list clears it
        elif isinstance(focused, StoryList) and self.query_one("#filter", Input).value:
            self.query_one("#filter", Input).value = ""
        elif focused is reader and reader.matches:
            reader.set_matches([])
            self.reader_pane.update_status()
        elif self.active_pane != "list":
            self._activate("list")

    def action_focus_list(self) -> None:
        self._activate("list")

    def action_toggle_notes(self) -> None:
        # A key of the whole app (it acts on the open story from the list too).
        self.reader_pane.action_toggle_notes()

    def action_help(self) -> None:
        from tuific.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.config.keys))

    def action_skipped(self) -> None:
        from tuific.ui.screens.skipped import SkippedScreen

        self.push_screen(SkippedScreen(self.library_pane.skipped))

    def action_hidden(self) -> None:
        from tuific.ui.screens.hidden import HiddenScreen

        hidden = self.listing.hidden()
        order = [i for i in self.listing.order if i in hidden]
        self.push_screen(HiddenScreen([(self.listing.item_at(i), hidden[i]) for i in order]))

    def action_filter(self) -> None:
        self.show_list = True
        self.active_pane = "list"
        self._apply_layout()
        # At once, not as `focus()` does (after the messages already queued): keys
        # typed right after / (one burst over SSH) belong to the filter, not the list.
        self.screen.set_focus(self.query_one("#filter", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In a line of text (the filter, the search, a dialog's) / types a slash, and
        # the footer must not offer "/ Filter"; in the reader / is its search.
        # A dialog over the panes keeps its keys.
        focused = self.focused
        if action == "filter" and (
            not isinstance(self.screen, MainScreen)
            or isinstance(focused, Input)
            or (focused is not None and _in_reader(focused))
        ):
            return False
        return super().check_action(action, parameters)

    def apply_filter(self, text: str) -> None:
        """Put `text` in the filter line (the list follows) and show the list."""
        self.show_list = True
        self._activate("list")
        self.query_one("#filter", Input).value = text


def _in_reader(widget: Widget) -> bool:
    return any(node.id == "reader-pane" for node in widget.ancestors_with_self)
