"""After a first scan the list comes from the metadata cache the scan saved (its
columns, as a warm start lists them) instead of a Story object per file: the same
rows in the same order, the filter as before, and the story being read keeps its
list item and progress."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from uihelpers import make_app, screen_text, wait_for_scan, wait_for_story, wait_until

from tuific.cache import CachedStories
from tuific.library import rescan
from tuific.model import Stories
from tuific.ui.widgets.story_list import StoryList

TITLES = [f"Tale of the {word}" for word in ("Anvil", "Bell", "Candle", "Drum", "Ember")]


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    for n, title in enumerate(TITLES):
        body = "\n\n".join(f"Line {i} of {title}, told slowly." for i in range(60))
        (root / f"{n}.txt").write_text(
            f"Title: {title}\nAuthor: Wren Adler\n\n{body}\n", encoding="utf-8"
        )
    return root


def listed_titles(app) -> list[str]:
    story_list = app.query_one(StoryList)
    return [app.listing.item_at(i).story.meta.title for i in story_list.rows]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_a_first_scan_ends_listed_from_the_cache(library, size):
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.listing.stories, CachedStories))
        assert isinstance(app.listing.stories, CachedStories)
        assert listed_titles(app) == sorted(TITLES)
        assert "Tale of the Candle" in screen_text(app)
        app.query_one("#filter", Input).value = "candle"
        await pilot.pause()
        assert listed_titles(app) == ["Tale of the Candle"]


async def test_the_story_being_read_keeps_its_item_and_place(library):
    app = make_app(library, open_path=library / "2.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Tale of the Candle")
        await wait_for_scan(pilot, app)
        item = app.current
        before = isinstance(app.listing.stories, Stories)
        await wait_until(pilot, lambda: isinstance(app.listing.stories, CachedStories))
        assert before or isinstance(app.listing.stories, CachedStories)
        assert app.current is item  # the same object: the reader's progress lands in the list
        assert app.listing.item(str(library / "2.txt")) is item
        reader.focus()
        await pilot.press("G")
        await pilot.pause()
        assert item.progress > 0.5
        assert app.listing.item(str(library / "2.txt")).progress == item.progress


async def test_a_rescan_after_the_switch_finds_nothing_new(library):
    (library / "empty.txt").write_bytes(b"")  # skipped, and never in the cache
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.listing.stories, CachedStories))
        assert isinstance(app.listing.stories, CachedStories)
        # What the periodic rescan compares with still knows the skipped file: no
        # change to report, so the list and its cursor are left alone.
        assert not rescan(library, dict(app.library_pane._seen))
