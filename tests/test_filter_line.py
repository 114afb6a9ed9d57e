"""The filter line: a keystroke repaints the line and narrows the list, and lays
nothing out (a layout of the whole screen cost a few milliseconds a key at 10,000
stories); text longer than the line still scrolls to show the cursor."""

from __future__ import annotations

import pytest
from uihelpers import make_app, wait_for_scan

from tuific.ui.screens.main import FilterInput
from tuific.ui.widgets.story_list import StoryList


def _library(tmp_path):
    library = tmp_path / "lib"
    library.mkdir()
    for name in ("one", "two"):
        (library / f"{name}.txt").write_text(f"Title: {name}\n\nText.\n", encoding="utf-8")
    return library


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_typing_in_the_filter_asks_for_no_layout(tmp_path, size):
    app = make_app(_library(tmp_path))
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("slash")
        box = app.query_one("#filter", FilterInput)
        layouts: list[bool] = []
        refresh = box.refresh

        def spying_refresh(*regions, **options):
            layouts.append(bool(options.get("layout")))
            return refresh(*regions, **options)

        box.refresh = spying_refresh  # type: ignore[method-assign]
        await pilot.press(*"on")
        await pilot.pause()
        assert box.value == "on"
        assert layouts and not any(layouts)  # repainted, never laid out
        assert len(app.query_one(StoryList).rows) == 1  # "on" finds "one" alone


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_a_long_filter_scrolls_to_its_cursor(tmp_path, size):
    app = make_app(_library(tmp_path))
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("slash")
        box = app.query_one("#filter", FilterInput)
        typed = "abcdefghij" * 20  # longer than the line at every size
        await pilot.press(*typed)
        await pilot.pause()
        assert box.value == typed
        assert box.scroll_x > 0
        shown = box.render_line(0).text.rstrip()
        assert shown.endswith(typed[-5:])
