"""Reading states set by hand: later and dropped."""

from __future__ import annotations

import pytest
from statehelpers import raw
from uihelpers import make_app, screen_text, wait_for_scan, wait_for_story, write_library

from tuific.describe import percent
from tuific.model import Metadata, Stories, Story
from tuific.query import filter_entries, make_entries, parse_query
from tuific.state import StateStore, StoryState
from tuific.state.status import read_status
from tuific.ui.widgets.story_list import StoryList, cell_text


def test_a_shelf_is_stored_merged_and_shown_before_other_states(tmp_path):
    path = tmp_path / "state.toml"
    one = StateStore(path)
    one.mark_opened("/a", words=100, paragraphs=10, chapters=1)
    one.set_shelf("/a", "dropped")
    assert one.read_status("/a") == "dropped"
    assert one.save()
    assert raw(path)["stories"]["/a"]["shelf"] == "dropped"
    two = StateStore(path)
    two.load()
    assert two.read_status("/a") == "dropped"
    two.set_shelf("/a", None)  # the later change wins in a merge
    assert two.save()
    one.set_position("/b", 1, 0)
    assert one.save()
    assert one.read_status("/a") == "reading"
    with pytest.raises(ValueError):
        one.set_shelf("/a", "someday")


def test_opening_a_story_kept_for_later_takes_it_off_the_shelf(tmp_path):
    store = StateStore(tmp_path / "state.toml")
    store.set_shelf("/a", "later")
    assert store.read_status("/a") == "later"
    store.mark_opened("/a", words=10, paragraphs=2, chapters=1)
    assert store.read_status("/a") == "reading"
    store.set_shelf("/a", "dropped")
    store.mark_opened("/a")
    assert store.read_status("/a") == "dropped"  # dropped stays until taken back


def test_a_bad_shelf_in_the_file_is_kept_aside(tmp_path):
    path = tmp_path / "state.toml"
    path.write_text('[stories."/a"]\nparagraph = 1\nshelf = "someday"\n', encoding="utf-8")
    store = StateStore(path)
    store.load()
    assert store.read_status("/a") == "reading"
    assert store.notices  # reported, the original kept under [unparsed]


def test_finished_stays_derived_under_a_shelf():
    entry = StoryState(finished=True, shelf="later")
    assert read_status(entry) == "later"
    entry.shelf = None
    assert read_status(entry) == "finished"


def test_queries_find_later_and_leave_out_dropped():
    stories = Stories(Story(f"/{n}.txt", "text", Metadata(title=n)) for n in "abc")
    entries = make_entries(stories, ["later", "dropped", "reading"], [False] * 3)
    assert filter_entries(parse_query("read:later"), entries, [0, 1, 2]) == [0]
    assert filter_entries(parse_query("-read:dropped"), entries, [0, 1, 2]) == [0, 2]
    assert filter_entries(parse_query("read:tbr"), entries, [0, 1, 2]) == [0]


async def test_keys_set_a_story_aside_and_the_list_shows_it(tmp_path):
    root = write_library(
        tmp_path, {"a.txt": "Title: Alder\n\nSome text.", "b.txt": "Title: Birch\n\nMore."}
    )
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        await pilot.press("L")
        item = story_list.current
        assert item.read == "later" and cell_text(item, "progress") == "later"
        await pilot.press("j", "D")
        assert story_list.current.read == "dropped"
        assert cell_text(story_list.current, "progress") == "drop"
        app.apply_filter("-read:dropped")
        await pilot.pause()
        assert [story_list.items[i].story.meta.title for i in story_list.rows] == ["Alder"]
        app.apply_filter("read:later")
        await pilot.pause()
        await pilot.press("escape", "L")  # again: back off the shelf
        await pilot.pause()
        assert story_list.items[0].read == "unread"
    store = StateStore()
    store.load()
    assert sorted(store.get(k).shelf or "" for k in store.keys()) == ["", "dropped"]


async def test_the_command_palette_offers_the_shelves(tmp_path):
    root = write_library(tmp_path, {"a.txt": "Title: Alder\n\nSome text."})
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Mark for later" in titles and "Mark dropped" in titles
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert helps["Mark for later"] == "Alder: set aside for later"
        assert helps["Mark dropped"] == "Alder: set aside as dropped"
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Mark dropped")
        command.callback()
        await pilot.pause()
        assert app.query_one(StoryList).current.read == "dropped"


async def test_unmarking_finished_shows_the_real_progress_at_once(tmp_path):
    text = "Title: Long\n\n" + "\n\n".join(f"Para {i} " + "word " * 40 for i in range(200))
    root = write_library(tmp_path, {"a.txt": text})
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        await pilot.press("x", "x")  # never opened: back to unread, nothing read
        await pilot.pause()
        assert (story_list.current.read, story_list.current.progress) == ("unread", 0.0)
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Long")
        await pilot.press("space", "space", "space", "space", "space")
        await pilot.pause()
        shown = f"Progress: {percent(reader.fraction)}"
        assert 0.05 < reader.fraction < 0.5 and shown in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert "Progress: finished" in screen_text(app)
        await pilot.press("x")  # the row and the panel as the reader's next move shows them
        await pilot.pause()
        item = app.current
        assert (item.read, item.progress) == ("reading", reader.fraction)
        assert shown in screen_text(app)


async def test_the_list_shows_the_readers_progress_after_a_restart(tmp_path):
    # Long paragraphs first, short ones after: by paragraphs the place is far less
    # far on than by characters, the reader's measure.
    long = [f"Long {i} " + "word " * 150 for i in range(20)]
    short = [f"Short {i}." for i in range(180)]
    root = write_library(tmp_path, {"a.txt": "Title: Uneven\n\n" + "\n\n".join(long + short)})
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Uneven")
        await pilot.press(*["space"] * 12)
        await pilot.pause()
        shown = reader.place_fraction
        assert reader.place.paragraph / 200 < shown / 2  # the two measures differ
        await pilot.press("q")
    again = make_app(root)
    async with again.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, again)
        item = again.query_one(StoryList).current
        assert item.progress == round(shown, 3)
