"""The filter line: a keystroke repaints the line and narrows the list, and lays
nothing out (a layout of the whole screen cost a few milliseconds a key at 10,000
stories); text longer than the line still scrolls to show the cursor."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input
from uihelpers import make_app, wait_for_scan, wait_until

from tuific.ui.screens.main import FilterInput
from tuific.ui.widgets.reader import Reader
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


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_keys_typed_right_after_slash_go_to_the_filter(tmp_path, size):
    # A burst ("/one" arriving in one read, as over SSH) was split: the letters went
    # to the list (where f, x or d would have marked a story) before the filter had
    # the focus.
    app = make_app(_library(tmp_path))
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        for key, char in (("slash", "/"), ("o", "o"), ("n", "n"), ("e", "e")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        box = app.query_one("#filter", FilterInput)
        assert app.focused is box
        assert box.value == "one"


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_keys_typed_right_after_slash_in_the_reader_go_to_the_search(tmp_path, size):
    library = _library(tmp_path)
    app = make_app(library, open_path=library / "one.txt")
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.query_one(Reader).story is not None)
        place = app.query_one(Reader).place
        for key, char in (("slash", "/"), ("n", "n"), ("slash", "/"), ("t", "t")):
            app.post_message(events.Key(key, char))  # n alone: the next match
        await pilot.pause()
        await pilot.pause()
        search = app.query_one("#search", Input)
        assert app.focused is search
        assert search.value == "n/t"  # a slash in the search line is typed
        assert app.query_one(Reader).place == place
        assert app.query_one("#filter", Input).value == ""


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "sepia", "high-contrast-light"])
async def test_the_message_of_a_malformed_query_is_readable(tmp_path, theme):
    # In $error it read at 3.4:1 on the dark theme's page, 4.1:1 on the light one's.
    from textual.color import Color

    from tuific.ui.widgets.row_styles import contrast

    app = make_app(_library(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await wait_for_scan(pilot, app)
        await pilot.press("slash", *"words:>abc")
        await pilot.pause()
        message = app.query_one("#filter-message")
        assert message.display
        style = message.rich_style
        text, page = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
        assert contrast(text, page) >= 4.5


async def test_a_quoted_phrase_being_typed_narrows_the_list_as_it_goes(tmp_path):
    # Until its closing quote the query is malformed: the list stayed on the last
    # well-formed one (the word "fandom", which matched nothing) and looked empty.
    library = tmp_path / "lib"
    library.mkdir()
    for name, fandom in (("one", "Original Work"), ("two", "Orchard Tales"), ("three", "Other")):
        (library / f"{name}.txt").write_text(
            f"Title: {name}\nFandom: {fandom}\n\nText.\n", encoding="utf-8"
        )
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        await pilot.press("slash", *'fandom:"or')
        await pilot.pause()
        assert len(story_list.rows) == 2  # Original Work, Orchard Tales
        assert app.query_one("#filter-message").display  # the closing quote is asked for
        await pilot.press(*"iginal w")
        await pilot.pause()
        assert [app.listing.items[i].story.meta.title for i in story_list.rows] == ["one"]
        await pilot.press('"')
        await pilot.pause()
        assert not app.query_one("#filter-message").display
        assert len(story_list.rows) == 1
