"""Help and the README's key table are made from the bindings, so rebound keys show as
rebound; the palette's "Keys" is our help; help scrolls with every key pressed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from uihelpers import run_command, wait_for_scan, write_library

from tuific.config import Config
from tuific.state import StateStore
from tuific.ui import key_table
from tuific.ui.app import TuificApp
from tuific.ui.screens.help import HelpScreen

SIZES = [(80, 24), (160, 50)]
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path, {"moss.txt": "Title: Moss\nAuthor: Fern\n\nGreen.\n"})


def app_with_keys(library: Path, keys: dict[str, str]) -> TuificApp:
    state = StateStore()
    state.load()
    return TuificApp(library, state=state, config=Config(keys=keys))


async def show_help(pilot, app: TuificApp) -> HelpScreen:
    """The help, opened once the library is read."""
    await wait_for_scan(pilot, app)
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    return app.screen


def help_lines(screen: HelpScreen) -> list[str]:
    text = screen.query_one("#help-text")
    return ["".join(s.text for s in text.render_line(y)) for y in range(text.size.height)]


@pytest.mark.parametrize("size", SIZES)
async def test_help_shows_a_rebound_key_as_rebound(library, size):
    app = app_with_keys(library, {"quit": "ctrl+q", "page_next": "space,ctrl+f"})
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = help_lines(app.screen)
        quit_line = next(line for line in lines if "quit (" in line)
        assert "Ctrl+Q" in quit_line and not re.search(r"\bq\b", quit_line.split("quit")[0])
        assert any("Space Ctrl+F" in line for line in lines)


@pytest.mark.parametrize("size", SIZES)
async def test_the_palettes_keys_command_is_our_help_and_screenshot_is_gone(library, size):
    app = app_with_keys(library, {})
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and titles.count("Keys") == 1
        await run_command(pilot, "Keys")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", SIZES)
async def test_the_palette_offers_no_maximize_that_hides_the_status_line(library, size):
    app = app_with_keys(library, {})
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        assert app.screen.focused is not None and app.screen.focused.allow_maximize
        titles = [command.title for command in app.get_system_commands(app.screen)]
        # Textual offers it for any focused widget that allows it (the list does).
        assert "Maximize" not in titles and "Theme" in titles


@pytest.mark.parametrize("size", SIZES)
async def test_help_shows_every_reading_state_the_query_takes(library, size):
    app = app_with_keys(library, {})
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        lines = help_lines(app.screen)
        first = next(n for n, line in enumerate(lines) if "read:unread" in line)
        last = next(n for n, line in enumerate(lines) if "fav:yes" in line)
        rows = " ".join(lines[first:last])
        for state in ("unread", "reading", "finished", "updated", "later", "dropped"):
            assert re.search(rf"\b{state}\b", rows), state


@pytest.mark.parametrize("size", SIZES)
async def test_help_scrolls_once_per_key_and_goes_to_its_ends(library, size):
    app = app_with_keys(library, {})
    async with app.run_test(size=size) as pilot:
        body = (await show_help(pilot, app)).query_one("#help-body")
        assert body.max_scroll_y >= 5
        await pilot.press(*"jjjjj")  # quick presses, no pause between them
        assert body.scroll_y == 5
        await pilot.press("G")
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("g")
        assert body.scroll_y == 0


def test_every_binding_id_is_in_the_key_table_and_the_readme():
    described = {i for _section, rows in key_table.SECTIONS for ids, _ in rows for i in ids}
    readme = README.read_text(encoding="utf-8")
    for binding in key_table.our_bindings():
        assert binding.id in described, binding.id
        assert f"`{binding.id}`" in readme, binding.id


def test_the_readme_key_table_is_the_generated_one():
    assert key_table.readme_block() in README.read_text(encoding="utf-8")


def test_key_names_read_as_people_write_them():
    assert [key_table.key_name(k) for k in ("ctrl+f", "question_mark", "pagedown", "G")] == [
        "Ctrl+F",
        "?",
        "PageDown",
        "G",
    ]


@pytest.mark.parametrize("size", SIZES)
async def test_the_help_text_keeps_a_blank_column_before_the_scrollbar(library, size):
    app = app_with_keys(library, {})
    async with app.run_test(size=size) as pilot:
        screen = await show_help(pilot, app)
        body = screen.query_one("#help-body")
        text = screen.query_one("#help-text")
        # The scrollbar starts where the body's scrollable region ends.
        assert body.show_vertical_scrollbar or size == (160, 50)
        assert text.content_region.right < body.scrollable_content_region.right
