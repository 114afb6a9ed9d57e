"""What a newcomer's first use tripped over (issue 11): the list cursor under a scroll
bar, status keys in the reader, contrast, the list header, help for rebound keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from uihelpers import (
    make_app,
    run_command,
    wait_for_scan,
    wait_for_story,
    wait_until,
    write_library,
)

from tuific.config import Config
from tuific.state import StateStore, story_key
from tuific.ui.app import TuificApp
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList, header_text

SIZES = [(80, 24), (160, 50)]


@pytest.fixture
def long_library(tmp_path: Path) -> Path:
    """More stories than any pane is tall."""
    return write_library(
        tmp_path,
        {f"s{i:02}.txt": f"Title: Story {i:02}\nAuthor: A\n\nword word\n" for i in range(80)},
    )


@pytest.mark.parametrize("size", SIZES)
async def test_the_list_cursor_stays_visible_past_the_last_row(long_library, size):
    app = make_app(long_library)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        rows = story_list.scrollable_content_region.height
        await pilot.press("g", *["j"] * (rows + 3))
        await pilot.pause()
        assert not story_list.show_horizontal_scrollbar
        shown = story_list.scrollable_content_region.height
        top = int(story_list.scroll_offset.y)
        assert top <= story_list.cursor < top + shown


@pytest.mark.parametrize("size", SIZES)
async def test_f_and_x_act_on_the_story_being_read(tmp_path, size):
    library = write_library(tmp_path, {"moss.txt": "Title: Moss\nAuthor: Fern\n\nGreen.\n"})
    app = make_app(library, open_path=library / "moss.txt")
    async with app.run_test(size=size) as pilot:
        await wait_for_story(pilot, app, "Moss")
        assert app.focused is app.query_one(Reader)
        await pilot.press("f", "x")
        await pilot.pause()
        key = story_key(library / "moss.txt")
        assert app.state.find(key).favourite
        assert app.state.read_status(key) == "finished"


def contrast(one, other) -> float:
    """The WCAG contrast ratio of two Rich colours."""
    from textual.color import Color

    from tuific.ui.widgets.row_styles import contrast as colours_contrast

    return colours_contrast(Color(*one.get_truecolor()), Color(*other.get_truecolor()))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", SIZES)
async def test_dim_columns_and_finished_rows_are_readable_and_fainter(tmp_path, theme, size):
    library = write_library(
        tmp_path,
        {
            f"{name}.txt": f"Title: {name}\nAuthor: Fern\n\none two three four five six seven\n"
            for name in ("Alder", "Birch", "Cedar")
        },
    )
    app = make_app(library)
    app.state.set_finished(story_key(library / "Birch.txt"))
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        await wait_for_scan(pilot, app)
        if size == SIZES[1]:
            await pilot.press("i")  # room for the words column
            await pilot.pause()
        story_list = app.query_one(StoryList)
        background = story_list.rich_style.bgcolor

        def colour_of(y: int, text: str):
            for segment in story_list.render_line(y):
                if text in segment.text:
                    return segment.style.color
            raise AssertionError(f"{text!r} not on row {y}")

        # Row 0 holds the cursor; row 1 is finished, row 2 unread.
        title = contrast(colour_of(2, "Cedar"), background)
        for faint in (colour_of(2, "7"), colour_of(1, "Birch"), colour_of(1, "7")):
            assert 4.5 <= contrast(faint, background) < title


@pytest.mark.parametrize("size", SIZES)
async def test_the_list_header_is_whole_after_a_saved_search_from_the_palette(tmp_path, size):
    library = write_library(
        tmp_path,
        {
            "moss.txt": "Title: Moss\nAuthor: Fern\nStatus: In-Progress\n\nGreen.\n",
            "oak.txt": "Title: Oak\nAuthor: Acorn\n\nBrown.\n",
        },
    )
    state = StateStore()
    state.load()
    config = Config(saved_queries={"Ongoing": "status:wip"})
    app = TuificApp(library, state=state, config=config, open_path=library / "moss.txt")
    async with app.run_test(size=size) as pilot:
        await wait_for_story(pilot, app, "Moss")
        await run_command(pilot, "Ongoing")
        await wait_until(pilot, lambda: app.query_one(StoryList).display)
        await pilot.pause()
        header = app.query_one("#list-header")
        drawn = "".join(segment.text for segment in header.render_line(0))
        width = app.query_one(StoryList).scrollable_content_region.width
        assert drawn.rstrip() == header_text(width).rstrip()
        assert drawn.lstrip().startswith("Title")


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "sepia", "high-contrast-light"])
async def test_the_list_cursor_is_readable_focused_and_as_a_tint_while_reading(tmp_path, theme):
    # While the reader has the keys, the list's cursor is its theme's 30% tint: drawn
    # at full strength, it looked focused and its dim columns read at 1.4:1.
    library = write_library(
        tmp_path,
        {
            f"{name}.txt": f"Title: {name}\nAuthor: Fern\n\none two three four five six seven\n"
            for name in ("Alder", "Birch")
        },
    )
    app = make_app(library)
    async with app.run_test(size=(160, 50)) as pilot:
        app.theme = theme
        await wait_for_scan(pilot, app)
        await pilot.press("i")  # room for the list's dim columns
        await pilot.pause()
        story_list = app.query_one(StoryList)

        def cursor_row():
            segments = [s for s in story_list.render_line(0) if s.text.strip()]
            assert any("Alder" in s.text for s in segments)
            for segment in segments:
                assert contrast(segment.style.color, segment.style.bgcolor) >= 4.5, segment
            return segments[0].style.bgcolor

        focused = cursor_row()
        await pilot.press("enter")
        await wait_for_story(pilot, app, "Alder")
        assert app.focused is app.query_one(Reader)
        await pilot.pause()
        assert cursor_row() != focused
