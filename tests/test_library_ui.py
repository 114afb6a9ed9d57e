"""The story list at 80x24 under Pilot: query language, sorting, status, favourites."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from uihelpers import (
    make_app,
    run_command,
    screen_text,
    titles,
    wait_for_scan,
    wait_for_story,
    wait_for_workers,
    wait_until,
    write_library,
)

from tuific.config import Config
from tuific.state import StateStore, story_key
from tuific.ui.app import TuificApp
from tuific.ui.widgets.story_list import StoryList, cell_text

STORIES = {
    "dragon.txt": "Title: Dragon Tea\nAuthor: Quill\nFandom: Original Work\nRating: G\n"
    "Tags: slow burn\nStatus: Complete\n\n" + "word " * 3000,
    "harbour.txt": "Title: Harbour Lights\nAuthor: Wren\nFandom: Lighthouse Tales\nRating: E\n"
    "Pairing: Ada/Ned\nStatus: In-Progress\n\n" + "word " * 20000,
    "moss.txt": "Title: Moss\nAuthor: Fern\nRating: T\n\n" + "word " * 500,
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path, STORIES)


async def type_filter(pilot, text: str) -> None:
    await pilot.press("slash")
    await pilot.press(*text)
    await pilot.pause()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("rating:e", ["Harbour Lights"]),
        ("rating:<=t", ["Dragon Tea", "Moss"]),
        ("words:>10k", ["Harbour Lights"]),
        ("status:wip", ["Harbour Lights"]),
        ('tag:"slow burn"', ["Dragon Tea"]),
        ('-fandom:"original work"', ["Harbour Lights", "Moss"]),
        ("ship:ada", ["Harbour Lights"]),
        ("read:unread", ["Dragon Tea", "Harbour Lights", "Moss"]),
    ],
)
async def test_query_forms_in_the_filter_line(library, query, expected):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await type_filter(pilot, query)
        assert titles(app) == expected


async def test_malformed_query_shows_message_and_keeps_results(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await type_filter(pilot, "rating:e")
        assert titles(app) == ["Harbour Lights"]
        # As if pasted: every prefix typed one key at a time would be a new query.
        app.query_one("#filter").value = "rating:e words:>>banana"
        await pilot.pause()
        assert titles(app) == ["Harbour Lights"]  # previous results stay
        assert app.query_one("#filter-message").display
        assert "words" in screen_text(app) and "banana" in screen_text(app)
        app.query_one("#filter").value = "rating:e"
        await pilot.pause()
        assert not app.query_one("#filter-message").display


async def test_sort_key_cycles_and_is_remembered(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        assert titles(app) == ["Dragon Tea", "Harbour Lights", "Moss"]
        await pilot.press("s", "s")  # title -> author -> words
        assert app.library_pane.sort_name == "words"
        assert titles(app) == ["Harbour Lights", "Dragon Tea", "Moss"]
        assert "by length" in screen_text(app)
        await pilot.press("S")
        assert titles(app) == ["Moss", "Dragon Tea", "Harbour Lights"]
        await pilot.press("q")
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        assert app.library_pane.sort_name == "words" and app.library_pane.sort_reverse
        assert titles(app) == ["Moss", "Dragon Tea", "Harbour Lights"]


async def test_favourite_and_finished_keys_filter_and_persist(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        app.select_story(str(library / "moss.txt"))
        await pilot.press("f", "x")
        await pilot.pause()
        assert "♥" in screen_text(app) and "done" in screen_text(app)
        await type_filter(pilot, "fav:yes")
        assert titles(app) == ["Moss"]
        app.query_one("#filter").value = "read:finished"
        await pilot.pause()
        assert titles(app) == ["Moss"]
        await pilot.press("q")
    state = StateStore()
    state.load()
    entry = state.get(story_key(library / "moss.txt"))
    assert entry.favourite and entry.finished


async def test_reading_to_the_end_marks_finished_but_jumping_there_does_not(library):
    app = make_app(library, open_path=library / "moss.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await wait_until(pilot, lambda: app.current is not None)
        await pilot.press("G")  # a peek at the end
        await pilot.pause()
        assert app.current.read == "reading"
        await pilot.press("g")
        for _ in range(40):
            await pilot.press("space")
        await pilot.pause()
        assert app.current.read == "finished"


async def test_a_peek_at_the_end_says_it_is_not_finished_and_the_row_keeps_after_a_restart(
    tmp_path,
):
    long = "Title: Long\n\n" + "\n\n".join(f"Para {i} " + "word " * 40 for i in range(200))
    root = write_library(tmp_path, {"long.txt": long, "short.txt": "Title: Short\n\nA line."})
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("enter")  # Long, first by title
        await wait_until(pilot, lambda: app.current is not None)
        await pilot.press("G")  # a peek: the status line says how to count it finished
        await pilot.pause()
        item = app.current
        row = cell_text(item, "progress")
        assert item.read == "reading" and item.progress < 1  # not shown whole
        assert f"story {item.progress:.0%} · the end · Space: finished" in screen_text(app)
        await pilot.press("escape", "j", "enter")  # another story: Long is not reopened
        await wait_until(pilot, lambda: app.current.story.meta.title == "Short")
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        again = app.listing.item(item.story.path)
        assert again.read == "reading" and cell_text(again, "progress") == row
        assert abs(again.progress - item.progress) < 0.01
    app = make_app(root, open_path=root / "long.txt")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: app.current is not None)
        await pilot.press("G", "space")  # reading on from the last page finishes it
        await pilot.pause()
        assert app.current.read == "finished" and app.current.progress == 1.0
        text = screen_text(app)
        assert "the end" in text and "Space: finished" not in text


async def test_saved_query_from_the_command_palette(library):
    state = StateStore()
    state.load()
    config = Config(saved_queries={"Long WIPs": "status:wip words:>10k"})
    app = TuificApp(library, state=state, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await run_command(pilot, "Long WIPs")
        assert app.query_one("#filter").value == "status:wip words:>10k"
        assert titles(app) == ["Harbour Lights"]


async def test_rescan_picks_up_added_changed_and_removed_files(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        (library / "new.txt").write_text("Title: Newcomer\nAuthor: N\n\nHello.", encoding="utf-8")
        (library / "moss.txt").unlink()
        (library / "dragon.txt").write_text(
            "Title: Dragon Coffee\nAuthor: Quill\n\nBrew.", encoding="utf-8"
        )
        await pilot.press("r")
        await wait_until(pilot, lambda: "Newcomer" in titles(app))
        await pilot.pause()
        assert sorted(titles(app)) == ["Dragon Coffee", "Harbour Lights", "Newcomer"]


async def read_harbour_then_rename_it(library: Path):
    """Read a while into harbour.txt (opened by name), quit, and rename its file while
    tuific is not running; the reader's place."""
    app = make_app(library, open_path=library / "harbour.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await wait_until(pilot, lambda: app.current is not None)
        await pilot.press("space", "space", "space")
        await pilot.pause()
        place = app.query_one("#reader").place
        assert place.paragraph > 0 or place.offset > 0
        await pilot.press("q")
    (library / "renamed").mkdir()
    (library / "harbour.txt").rename(library / "renamed" / "harbour-lights.txt")
    return place


async def test_a_renamed_story_keeps_its_place(library):
    place = await read_harbour_then_rename_it(library)
    renamed = str(library / "renamed" / "harbour-lights.txt")
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        # Listed from the cache, under its old name: the check against the disk, in
        # the background, finds the rename; the story being read reopens there.
        await wait_for_workers(pilot, app)
        reader = await wait_for_story(pilot, app, "Harbour Lights")
        assert reader.story is not None and reader.story.path == renamed
        await pilot.pause()
        assert reader.place == place
        story_list = app.query_one(StoryList)
        assert story_list.current is not None and story_list.current.story.path == renamed
        assert story_list.current.read == "reading"
        assert not [n.message for n in app._notifications if "Cannot open" in n.message]


def hold_the_check(monkeypatch) -> threading.Event:
    """Hold the background check of a cached list until the event returned is set."""
    from tuific import library as library_module

    checked = threading.Event()
    real_rescan = library_module.rescan

    def held_rescan(*args, **kwargs):
        checked.wait(10)
        return real_rescan(*args, **kwargs)

    monkeypatch.setattr(library_module, "rescan", held_rescan)
    return checked


async def test_a_renamed_story_being_read_waits_for_the_check_to_reopen(library, monkeypatch):
    """The cached list still has the story being read under its old name: not opened
    there (its file is gone, "Cannot open"), but where the check finds it."""
    place = await read_harbour_then_rename_it(library)
    checked = hold_the_check(monkeypatch)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.pause(0.2)
        assert app.library_pane._rescanning  # the check is held
        assert app.current is None and app.query_one("#reader").story is None
        checked.set()
        await wait_for_workers(pilot, app)
        reader = await wait_for_story(pilot, app, "Harbour Lights")
        assert reader.story is not None
        assert reader.story.path == str(library / "renamed" / "harbour-lights.txt")
        await pilot.pause()
        assert reader.place == place
        assert not [n.message for n in app._notifications if "Cannot open" in n.message]


async def test_a_renamed_story_does_not_reopen_under_keys_typed_before_the_check(
    library, monkeypatch
):
    await read_harbour_then_rename_it(library)
    checked = hold_the_check(monkeypatch)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("down")  # the reader is browsing the list
        checked.set()
        await wait_for_workers(pilot, app)
        await pilot.pause(0.2)
        assert app.current is None and app.query_one("#reader").story is None
        assert app.select_story(str(library / "renamed" / "harbour-lights.txt"))
        assert app.query_one(StoryList).current.read == "reading"


async def test_a_renamed_story_in_a_long_history_shows_its_state_once_all_is_read(
    library, monkeypatch
):
    """A history too long to read before the first frame: the list first shows the
    renamed story as unread, then its place once the background read finds it."""
    from tuific.state import files

    monkeypatch.setattr(files, "EAGER_BYTES", 0)
    state = StateStore()
    harbour = library / "harbour.txt"
    from tuific.state import fingerprint_file

    state.story(story_key(harbour), fingerprint_file(harbour))
    state.set_position(story_key(harbour), 40, 0)
    state.set_favourite(story_key(harbour), True)
    for n in range(300):  # entries in most shards
        state.set_position(f"/elsewhere/{n}.txt", n, 0)
    state.save()
    (library / "renamed").mkdir()
    harbour.rename(library / "renamed" / "harbour-lights.txt")
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        assert app.select_story(str(library / "renamed" / "harbour-lights.txt"))
        await wait_until(pilot, lambda: story_list.current.read == "reading", 200)
        assert story_list.current.read == "reading" and story_list.current.favourite
        await type_filter(pilot, "fav:yes")
        assert titles(app) == ["Harbour Lights"]


async def test_second_start_lists_from_the_cache_then_checks_the_disk(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        assert len(titles(app)) == 3
    (library / "moss.txt").unlink()
    (library / "late.txt").write_text("Title: Late Arrival\nAuthor: L\n\nHi.", encoding="utf-8")
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(pilot, app)
        await pilot.pause()
        assert sorted(titles(app)) == ["Dragon Tea", "Harbour Lights", "Late Arrival"]
        assert "checking" not in screen_text(app)


async def test_sorting_by_date_added_follows_the_files_modification_times(library):
    import os

    # Added: moss first, then dragon, harbour last (file times, seconds apart).
    for when, name in enumerate(["moss.txt", "dragon.txt", "harbour.txt"]):
        stamp = (1_700_000_000 + when) * 10**9
        os.utime(library / name, ns=(stamp, stamp))
    for attempt in ("first scan", "listed from the cache"):
        app = make_app(library)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_scan(pilot, app)
            app.library_pane.sort_by("added")
            await pilot.pause()
            assert titles(app) == ["Harbour Lights", "Dragon Tea", "Moss"], attempt


async def test_the_panel_shows_where_the_cursor_stops_not_every_story_passed(library):
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.pause()
        shown = []
        original = app._show_metadata
        app._show_metadata = lambda item: shown.append(item) or original(item)
        story_list = app.query_one(StoryList)
        first = story_list.current
        story_list.action_cursor(1)  # moves before the next frame, as from held keys
        story_list.action_cursor(1)
        await pilot.pause()
        assert shown == [story_list.current] and shown[0] is not first  # once, at the stop
        story_list.action_cursor(-1)
        story_list.action_cursor(1)  # and back: the panel shows that story already
        await pilot.pause()
        assert len(shown) == 1
        await pilot.press("k")
        await pilot.pause()
        assert shown[-1] is story_list.current and len(shown) == 2
        assert story_list.current.story.meta.title in screen_text(app)
