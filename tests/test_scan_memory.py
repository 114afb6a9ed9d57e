"""What a first scan leaves behind once the list has switched to the cache's columns:
none of the scan's Story objects (they took most of its memory), even those that a
reference cycle held while the cyclic collector was paused, and none frozen out of
its reach for good."""

from __future__ import annotations

import gc
import weakref

import pytest
from uihelpers import make_app, wait_for_scan, wait_until

from tuific.cache import CachedStories
from tuific.model import Metadata, Stories, Story
from tuific.query import make_entries


def stories(count: int) -> Stories:
    return Stories(
        Story(f"/lib/{n}.txt", "text", Metadata(title=f"Tale {n}", tags=["quiet"]), 100 + n)
        for n in range(count)
    )


@pytest.mark.parametrize("made", [True, False])
def test_query_entries_go_without_the_cyclic_collector(gc_restored, made):
    gc.disable()  # as during a first scan
    entries = make_entries(stories(5), ["unread"] * 5, [False] * 5)
    if made:
        entries.made()
    else:
        assert entries.column("text")[3] == "tale 3\x00quiet"
    gone = weakref.ref(entries)
    del entries
    assert gone() is None  # freed by its reference count: no cycle held it


def test_entries_made_no_longer_hold_their_stories(gc_restored):
    gc.disable()
    source = stories(3)
    entries = make_entries(source, ["unread"] * 3, [False] * 3).made()
    held = weakref.ref(source)
    del source
    assert held() is None  # every column made: the makers that read it are gone
    assert entries.column("title") == ["tale 0", "tale 1", "tale 2"]


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(12):
        body = "\n\n".join(f"Line {i} of tale {n}." for i in range(20))
        (root / f"{n:02}.txt").write_text(f"Title: Tale {n}\n\n{body}\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    return root


def live_stories(library) -> list[Story]:
    """The Story objects of stories in `library` (other tests may leave theirs)."""
    gc.unfreeze()  # frozen objects are left out of get_objects, and never freed
    folder = str(library)
    return [o for o in gc.get_objects() if isinstance(o, Story) and o.path.startswith(folder)]


async def test_no_story_of_the_scan_outlives_the_switch(library, gc_restored):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.listing.stories, CachedStories))
        assert isinstance(app.listing.stories, CachedStories)
        # No collection here: what the app freed itself. The one left is the story
        # the metadata panel shows, built from the columns.
        left = live_stories(library)
        assert len(left) <= 1, [story.path for story in left]
        assert gc.isenabled()


async def test_the_rescan_base_after_the_switch_is_the_cache_s(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.listing.stories, CachedStories))
        stories = app.listing.stories
        assert isinstance(stories, CachedStories)
        seen = app.library_pane._seen
        assert seen == {**stories.stamps(), str(library / "empty.txt"): (-1, -1)}
