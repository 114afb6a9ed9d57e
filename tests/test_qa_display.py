"""What a first walk through the app showed cut or cramped: status lines cut without
saying so, the metadata panel at half the screen when alone on it, and g / G that did
nothing in the chapter list."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reader_features import chaptered, open_tides
from test_small_defects import line
from uihelpers import make_app, wait_for_scan, wait_for_story, wait_until, write_library

from tuific.ui.screens.pickers import ChapterPicker


@pytest.fixture
def story_path(tmp_path: Path) -> Path:
    return chaptered(tmp_path / "lib")


@pytest.mark.parametrize(("size", "open_one"), [((120, 30), False), ((160, 50), True)])
async def test_a_cut_list_status_line_ends_in_an_ellipsis(tmp_path, size, open_one):
    # "13 stories · by title · 1 skipped (! to see why)" is wider than the list pane.
    files = {f"s{n:02}.txt": f"Title: Story {n}\n\nText.\n" for n in range(13)}
    library = write_library(tmp_path, {**files, "empty.txt": ""})
    app = make_app(library, open_path=library / "s00.txt" if open_one else None)
    async with app.run_test(size=size) as pilot:
        if open_one:
            await wait_for_story(pilot, app, "Story 0")
        await wait_for_scan(pilot, app)
        shown = line(app, "#library-status").rstrip()
        assert shown.startswith(" 13 stories · by title · 1")
        assert "why)" not in shown and shown.endswith("…")


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_a_cut_reader_status_line_ends_in_an_ellipsis(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("slash", *"tide", "enter")
        await wait_until(pilot, lambda: len(reader.matches) > 100)
        await pilot.press("N")  # before the first match: wraps to the last
        await pilot.pause()
        shown = line(app, "#reader-status").rstrip()
        # "search wrapped to the end · match 155 of 155 · story 100% · chapter 5/5 …"
        assert shown.lstrip().startswith("search wrapped to the end")
        assert not shown.endswith("the end") and shown.endswith("…")


async def test_the_metadata_panel_alone_on_screen_takes_the_whole_width(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tides(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        panel = app.query_one("#meta-pane")
        assert not app.query_one("#reader-pane").display
        assert panel.display and panel.region.width == 80


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_g_and_G_go_to_the_first_and_last_chapter(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("c")
        assert isinstance(app.screen, ChapterPicker)
        chapters = app.screen.query_one("#chapters")
        await pilot.press("G")
        assert chapters.highlighted == 4
        await pilot.press("g")
        assert chapters.highlighted == 0
        await pilot.press("G", "enter")
        await pilot.pause()
        assert reader.chapter_index == 4
