"""The app under Pilot: filtering, opening, keys, help, saving and restoring the place."""

from __future__ import annotations

from pathlib import Path

import pytest
from uihelpers import (
    make_app,
    screen_text,
    titles,
    wait_for_scan,
    wait_for_story,
    wait_until,
    write_state,
)

from tuific.state import StateStore, story_key
from tuific.ui.app import TuificApp
from tuific.ui.screens.help import HelpScreen
from tuific.ui.widgets.story_list import StoryList

LONG_BODY = "\n\n".join(
    f"“Line {i} of the long night,” said the keeper. The lamp turned and the sea "
    f"went on with its slow grey work against the rocks below the tower, paragraph {i}."
    for i in range(400)
)


def write_library(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    (root / "lamp.txt").write_text(
        "Title: The Lamp Keeper\nAuthor: Wren Ashdown\nFandom: Lighthouse Tales\n"
        "Pairing: Ada/Ned\nTags: slow burn\n\n" + LONG_BODY,
        encoding="utf-8",
    )
    (root / "orchard.txt").write_text(
        "Title: Orchard Road\nAuthor: fennel & rue\nFandom: Pastoral\n\n"
        "'Don’t,' she said. 'The Hendersons’ dog is out.'\n\nThe road ran on.",
        encoding="utf-8",
    )
    (root / "sub").mkdir(exist_ok=True)
    (root / "sub" / "tea.md").write_text(
        "Title: Tea at Four\nAuthor: Quill\nFandom: Teacups\n\nA *small* tale.\n",
        encoding="utf-8",
    )
    (root / "empty.txt").write_bytes(b"")
    return root


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library")


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_library_lists_stories_and_counts_skipped(library, size):
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        assert sorted(titles(app)) == ["Orchard Road", "Tea at Four", "The Lamp Keeper"]
        assert [s.reason for s in app.library_pane.skipped] == ["empty file"]
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert "empty file" in screen_text(app)


async def test_filter_as_you_type(library):
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("slash")
        assert app.focused.id == "filter"
        await pilot.press(*"lighthouse ada")
        assert titles(app) == ["The Lamp Keeper"]
        await pilot.press("escape")  # back to the list; the filter stays
        assert isinstance(app.focused, StoryList)
        assert titles(app) == ["The Lamp Keeper"]
        await pilot.press("escape")  # in the list, Escape clears the filter
        assert len(titles(app)) == 3
        await pilot.press("slash", *"FENNEL")
        assert titles(app) == ["Orchard Road"]


async def test_the_footer_says_how_to_leave_the_filter(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("slash", *"orchard")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "⏎ To the list" in footer
        await pilot.press("enter")
        assert isinstance(app.focused, StoryList)
        assert titles(app) == ["Orchard Road"]


async def test_open_read_and_keys(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        app.select_story(str(library / "lamp.txt"))
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "The Lamp Keeper")
        assert app.focused is reader
        assert reader.place.paragraph == 0
        await pilot.press("space")
        after_page = reader.place
        assert after_page.paragraph > 0
        await pilot.press("b")
        assert reader.place == (0, 0) or reader.place.paragraph == 0
        await pilot.press("G")
        assert reader.fraction == 1.0
        assert reader.place.paragraph > 390
        await pilot.press("g")
        assert reader.place.paragraph == 0
        await pilot.press("j", "j", "down")
        assert reader.place.offset > 0 or reader.place.paragraph > 0
        await pilot.press("k", "k", "up")
        assert reader.place.paragraph == 0 and reader.place.offset == 0


async def test_help_lists_every_binding_and_the_query_syntax(library):
    from rich.console import Console

    from tuific.ui.screens.help import help_table

    app = make_app(library)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert "Everywhere" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
    console = Console(width=140, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(help_table())
    text = console.export_text()
    for key in (
        "/",
        "Enter",
        "Tab",
        "j ↓ / k ↑",
        "PageDown",
        "PageUp",
        "Home",
        "End",
        "q",
        "h",
        "i",
        "?",
        "] / [",
        "c",
        "n / N",
        "m",
        "M",
        "< / >",
        "s / S",
        "f",
        "x",
        "r",
        "rating:<=t",
        "words:>10k",
        "-tag:angst",
        "fav:yes",
        "status:complete",
    ):
        assert key in text, key


async def test_tab_cycles_panes_and_narrow_layout_shows_one(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        assert app.query_one("#list-pane").display
        assert not app.query_one("#reader-pane").display
        await pilot.press("tab")
        assert app.active_pane == "reader"
        assert app.query_one("#reader-pane").display
        assert not app.query_one("#list-pane").display


async def test_wide_layout_shows_three_panes_and_keys_hide_them(library):
    app = make_app(library)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for_scan(pilot, app)
        panes = ("#list-pane", "#reader-pane", "#meta-pane")
        assert all(app.query_one(p).display for p in panes)
        await pilot.press("i")
        assert not app.query_one("#meta-pane").display
        await pilot.press("h")
        assert not app.query_one("#list-pane").display
        assert app.query_one("#reader-pane").display


async def test_position_restored_after_quit_and_reopen(library):
    path = library / "lamp.txt"
    app = make_app(library, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "The Lamp Keeper")
        await pilot.press("space", "space", "j")
        place = reader.place
        assert place.paragraph > 0
        await pilot.press("q")
    saved = StateStore()
    saved.load()
    assert saved.get(story_key(path)).position.paragraph == place.paragraph
    # A fresh app on the same state comes back to the same paragraph, at another width.
    app = make_app(library, open_path=path)
    async with app.run_test(size=(160, 50)) as pilot:
        reader = await wait_for_story(pilot, app, "The Lamp Keeper")
        await pilot.pause()
        assert reader.place.paragraph == place.paragraph
        assert abs(reader.place.offset - place.offset) < 160


async def test_reopen_from_list_restores_place(library):
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        app.select_story(str(library / "lamp.txt"))
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "The Lamp Keeper")
        await pilot.press("space", "space")
        place = reader.place
        await pilot.press("escape")  # back to the list
        app.select_story(str(library / "orchard.txt"))
        await pilot.press("enter")
        await wait_for_story(pilot, app, "Orchard Road")
        await pilot.press("escape")
        app.select_story(str(library / "lamp.txt"))
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "The Lamp Keeper")
        assert reader.place == place


HOSTILE = (
    "Title: [bold]Bold[/bold] [@click=app.quit]x[/] \x1b[2J\x1b]52;c;SGk=\x07\n"
    "Author: [/bold]mallory\u202e\x9b31m\n\n"
    "She said “\x1b[31mred\x1b[0m” and \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ then \x07.\n"
)


async def test_hostile_story_is_shown_literally_and_never_emits_escapes(tmp_path):
    library = tmp_path / "hostile"
    library.mkdir()
    (library / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    app = make_app(library, open_path=library / "evil.txt")
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await wait_for_story(
            pilot, app, "[bold]Bold[/bold] [@click=app.quit]x[/] [2J]52;c;SGk="
        )
        await pilot.pause()
        assert app.is_running  # [@click=app.quit] did nothing
        # The screen as text (Textual's own styling is not in it): no control
        # character from the story may be there to reach the terminal.
        output = screen_text(app)
        assert "\x1b" not in output
        assert "\x07" not in output and "\x9b" not in output and "\u202e" not in output
        assert "[bold]Bold[/bold]" in output  # markup shown as text
        assert reader.story.meta.authors == ["[/bold]mallory31m"]


async def test_config_keys_remap_bindings(library):
    from tuific.config import Config

    state = StateStore()
    state.load()
    app = TuificApp(library, state=state, config=Config(keys={"quit": "ctrl+x", "help": "f1"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+x")
        await pilot.pause()
        assert not app.is_running


async def test_corrupt_state_file_is_kept_aside_with_a_visible_notice(library):
    path = write_state("this is [not toml")
    app = make_app(library)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await wait_for_scan(pilot, app)
        await wait_until(pilot, lambda: len(app.screen.query("Toast")) > 0, 200)
        await pilot.pause(0.1)
        # A word of the notice's own: "corrupt" matched the test's own folder name in
        # the panel's path, and run_test shows no notice unless told to.
        assert "reading state file was damaged" in screen_text(app)
        assert len(titles(app)) == 3  # the app started anyway
    kept = list(path.parent.glob("state.toml.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "this is [not toml"
