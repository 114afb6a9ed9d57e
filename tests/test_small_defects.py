"""Smaller things a first use trips over (issue 11, defects 8 and 9): each says what it
does, or shows where the keys go."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reader_features import chaptered, open_tides
from textual.widgets import Static
from uihelpers import (
    make_app,
    screen_text,
    wait_for_scan,
    wait_for_story,
    wait_for_workers,
    wait_until,
    write_library,
)

from tuific.model import Skipped
from tuific.ui.screens.skipped import skipped_report
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.reader import Reader

SIZES = [(80, 24), (160, 50)]


def line(app, selector: str) -> str:
    """The first line of a widget as the screen shows it."""
    region = app.query_one(selector).region
    row = screen_text(app).split("\n")[region.y] + " " * region.right
    return row[region.x : region.right]


def test_one_skipped_file_is_one_file():
    assert skipped_report([Skipped("/a.txt", "empty file")]).plain.startswith("1 file skipped")


@pytest.fixture
def story_path(tmp_path: Path) -> Path:
    return chaptered(tmp_path / "lib")


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_title_is_cut_with_an_ellipsis(tmp_path, size):
    title = "A Very Long Title " * 12
    library = write_library(tmp_path, {"long.txt": f"Title: {title}\nAuthor: Fern\n\nGreen.\n"})
    app = make_app(library, open_path=library / "long.txt")
    async with app.run_test(size=size) as pilot:
        await wait_for_story(pilot, app, title.strip())
        if app.query_one("#list-pane").display:
            await pilot.press("h")  # the list hidden: the title has the most room it gets
            await pilot.pause()
        assert line(app, "#reader-title").rstrip().endswith("…")


@pytest.mark.parametrize("size", SIZES)
async def test_showing_the_panel_leaves_the_keys_with_the_reader_when_both_fit(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("i")  # hide the panel, if shown
        await pilot.pause()
        if app.query_one(MetadataPanel).display:
            await pilot.press("i")
            await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert app.query_one(MetadataPanel).display
        if size == SIZES[1]:
            assert app.focused is reader  # j and Space still read on
        else:
            assert app.focused is app.query_one(MetadataPanel)  # one pane at a time


@pytest.mark.parametrize("size", SIZES)
async def test_the_metadata_panel_scrolls_with_the_readers_keys(tmp_path, size):
    summary = " ".join(f"Sentence {n} of a very long summary." for n in range(200))
    library = write_library(
        tmp_path, {"long.txt": f"Title: Long\nAuthor: Fern\nSummary: {summary}\n\nGreen.\n"}
    )
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_workers(pilot, app)
        panel = app.query_one(MetadataPanel)
        # The panel shows the highlighted story after the list's frame, and at 80
        # columns it is laid out only once focused: wait for both, or its first
        # layout can land between the two presses.
        await wait_until(pilot, lambda: panel.max_scroll_y > 2)
        panel.focus()
        await wait_until(pilot, lambda: panel.size.width > 0 and panel.max_scroll_y > 2)
        await pilot.pause(0.1)
        await pilot.press("j")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert panel.scroll_y == 2
        await pilot.press("G")
        assert panel.scroll_y == panel.max_scroll_y > 2
        await pilot.press("g")
        assert panel.scroll_y == 0


@pytest.mark.parametrize("size", SIZES)
async def test_the_footer_offers_no_filter_while_searching_a_story(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        await open_tides(pilot, app)
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "search"
        assert "Filter" not in line(app, "#footer")


@pytest.mark.parametrize("size", SIZES)
async def test_the_last_chapter_and_a_wrapped_search_say_so(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press(*["right_square_bracket"] * 5)
        await pilot.pause()
        assert "last chapter" in line(app, "#reader-status")
        await pilot.press("g", "slash", *"brass compass", "enter")
        await wait_until(pilot, lambda: len(reader.matches) == 2)
        await pilot.press("n")  # the second match: no wrapping yet
        await pilot.pause()
        assert "wrapped" not in line(app, "#reader-status")
        await pilot.press("n")
        await pilot.pause()
        assert "search wrapped to the start" in line(app, "#reader-status")


@pytest.mark.parametrize("size", SIZES)
async def test_an_empty_folder_says_what_would_fill_it(tmp_path, size):
    empty = tmp_path / "empty"
    empty.mkdir()
    app = make_app(empty)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.pause()
        assert "no stories in" in line(app, "#library-status")


async def test_a_folder_of_only_unreadable_files_says_they_were_skipped(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "one.epub").write_bytes(b"not a zip")
    (bad / "two.epub").write_bytes(b"<html")
    app = make_app(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.pause()
        # The whole line (the test's long folder name pushes its end off the screen).
        status = str(app.query_one("#library-status", Static).render())
        assert status.startswith("no stories in") and "2 skipped (! to see why)" in status
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert "2 files skipped" in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_a_deleted_open_story_says_so(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    notices: list[str] = []
    async with app.run_test(size=size) as pilot:
        await open_tides(pilot, app)
        await wait_for_scan(pilot, app)
        real = app.notify
        app.notify = lambda message, **kw: (notices.append(message), real(message, **kw))[1]
        story_path.unlink()
        app.library_pane.action_rescan()
        await wait_until(pilot, lambda: any("deleted" in n for n in notices))
        assert any("Tides" in n and "deleted or moved" in n for n in notices)
        assert app.query_one(Reader).story is not None  # still open to finish the page


@pytest.mark.parametrize("size", SIZES)
async def test_a_notice_reaches_the_screen_edge(story_path, size):
    """No column of the status line (its last character) shows beside a notice."""
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await open_tides(pilot, app)
        await pilot.press("f")  # a notice
        await wait_until(pilot, lambda: bool(app.screen.query("Toast")))
        await pilot.pause()
        assert app.screen.query_one("Toast").region.right == size[0]


@pytest.mark.parametrize("size", SIZES)
async def test_the_pane_with_the_keys_is_marked(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        await open_tides(pilot, app)
        marks = {"reader": "#reader-title", "list": "#list-header", "meta": "#meta-pane"}
        for _ in range(3):
            await pilot.pause()
            marked = [pane for pane, at in marks.items() if app.query_one(at).has_class("-active")]
            assert marked == [app.active_pane]
            await pilot.press("tab")
