"""Keys typed in the same burst as the key that opens a story (over SSH, Enter and
two spaces arrive at once) go to the story, not to the list."""

from __future__ import annotations

from textual import events
from uihelpers import make_app, wait_for_scan, wait_for_story, wait_until, write_library

from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList

LONG = "Title: Long One\nAuthor: A\n\n" + "\n\n".join(
    f"Paragraph {n} of the long story, with words enough to fill a line." for n in range(300)
)


def burst(app, *keys: str) -> None:
    """Keys posted at once, as a terminal read hands them over (no waiting between)."""
    for key in keys:
        app.post_message(events.Key(key, " " if key == "space" else None))


async def test_keys_typed_after_enter_page_the_opened_story(tmp_path):
    library = write_library(
        tmp_path, {"a.txt": "Title: Another\nAuthor: B\n\nShort.", "b.txt": LONG}
    )
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        story_list.focus()
        await pilot.press("down")  # Long One
        cursor = story_list.cursor
        burst(app, "enter", "space", "space")
        reader = await wait_for_story(pilot, app, "Long One")
        await wait_until(pilot, lambda: reader.place.paragraph > 0)
        assert app.focused is reader
        assert reader.place.paragraph > 10  # two pages down
        assert story_list.cursor == cursor  # not moved by the spaces
        assert app._held is None  # nothing left held


async def test_a_story_that_fails_to_open_hands_the_keys_back_to_the_list(tmp_path):
    library = write_library(
        tmp_path, {"a.txt": "Title: Alpha\nAuthor: B\n\nShort.", "b.txt": "Title: Beta\n\nB."}
    )
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        story_list.focus()
        (library / "a.txt").unlink()  # gone before it is opened
        burst(app, "enter", "down")
        await wait_until(pilot, lambda: app._held is None and story_list.cursor == 1)
        assert story_list.cursor == 1  # the down arrow moved the list's cursor
        assert app.query_one(Reader).story is None


async def test_keys_are_not_held_when_enter_opens_nothing(tmp_path):
    library = write_library(tmp_path, {"a.txt": "Title: Alpha\nAuthor: B\n\nShort."})
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        app.query_one("#filter").focus()  # the filter line, not the list
        burst(app, "enter", "x")
        await pilot.pause()
        assert app._held is None
