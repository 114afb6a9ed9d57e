"""The library pane owns the listing, its scans, filter, sort and rescan keys, and tells
the app what spans panes with messages: `StoryChosen` (open a story) and
`OpenStoryChanged` (the reader follows a rescan). The app composes and routes (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_edge_cases import chaptered
from uihelpers import (
    make_app,
    titles,
    wait_for_scan,
    wait_for_story,
    wait_for_workers,
    wait_until,
    write_library,
)

from tuific.state import StateStore
from tuific.ui import key_table
from tuific.ui.app import TuificApp
from tuific.ui.library_pane import LibraryPane
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.story_list import StoryList

SIZES = [(80, 24), (160, 50)]
LIST_KEYS = {"cycle_sort_next", "reverse_sort", "rescan"}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = write_library(tmp_path, {"short.txt": "Title: Drabble\nAuthor: D\n\nOne."})
    chaptered(root / "tides.txt")
    return root


def listen(monkeypatch, name: str) -> list:
    """Messages the app hears by handler `name`. Textual calls the handler of every
    class along the MRO: this one listens beside the app's own."""
    heard: list = []
    monkeypatch.setattr(TuificApp, name, lambda app, event: heard.append(event), raising=False)
    return heard


def test_the_sort_and_rescan_keys_are_the_panes_own():
    pane = {binding.id: binding.action for binding in LibraryPane.BINDINGS}
    assert LIST_KEYS <= pane.keys()
    # Its own actions, not the app's, and no longer the list widget's or the app's.
    assert not any(pane[key].startswith("app.") for key in LIST_KEYS)
    assert not LIST_KEYS & {b.id for b in StoryList.BINDINGS}
    assert not LIST_KEYS & {b.id for b in TuificApp.BINDINGS}
    # Help and the README's table still find them, by the same ids.
    assert {key: key_table.keys_by_id()[key] for key in LIST_KEYS} == {
        "cycle_sort_next": ["s"],
        "reverse_sort": ["S"],
        "rescan": ["r"],
    }


@pytest.mark.parametrize("size", SIZES)
async def test_a_rebound_sort_key_sorts_and_help_says_so(library, size):
    from tuific.config import Config

    state = StateStore()
    state.load()
    app = TuificApp(library, state=state, config=Config(keys={"cycle_sort_next": "o"}))
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        pane = app.query_one(LibraryPane)
        assert pane.sort_name == "title"
        await pilot.press("s")  # no longer the sort key
        assert pane.sort_name == "title"
        await pilot.press("o")
        assert pane.sort_name == "author"
        # The status line, the pane's own, names the new sort.
        assert "by author" in str(app.query_one("#library-status").render())
    rows = dict(key_table.rows({"cycle_sort_next": "o"}))["Story list"]
    assert [["o"], ["S"]] in [groups for groups, _meaning in rows]


@pytest.mark.parametrize("size", SIZES)
async def test_enter_in_the_list_tells_the_app_which_story_to_open(
    library, monkeypatch, size
):
    heard = listen(monkeypatch, "on_library_pane_story_chosen")
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        assert story_list.select_index(app.listing.index(str(library / "tides.txt")))
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Tides")
        assert [event.path for event in heard] == [str(library / "tides.txt")]
        assert app.current is not None and app.current.story is not None
        assert reader.story.path == str(library / "tides.txt")
        assert app.active_pane == "reader"


async def test_a_plain_start_asks_the_app_to_reopen_the_story_being_read(library, monkeypatch):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_story(pilot, app, "Tides")
        await pilot.press("space")
        await pilot.press("q")
    heard = listen(monkeypatch, "on_library_pane_story_chosen")
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_story(pilot, app, "Tides")
        assert [event.path for event in heard] == [str(library / "tides.txt")]


@pytest.mark.parametrize("size", SIZES)
async def test_a_rescan_tells_the_app_the_open_story_was_rewritten(library, monkeypatch, size):
    heard = listen(monkeypatch, "on_library_pane_open_story_changed")
    path = library / "tides.txt"
    app = make_app(library, open_path=path)
    async with app.run_test(size=size) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await wait_for_workers(pilot, app)
        path.write_text(
            path.read_text(encoding="utf-8").replace("Title: Tides", "Title: Ebb"),
            encoding="utf-8",
        )
        assert app.query_one(LibraryPane)._look_for_changes()
        await wait_for_workers(pilot, app)
        await wait_until(pilot, lambda: reader.story.meta.title == "Ebb")
        assert [(event.path, event.moved_from) for event in heard] == [(str(path), None)]
        # The app had the reader pane read it again: its text, and the list's row.
        assert reader.story.meta.title == "Ebb"
        assert "Ebb" in titles(app)


@pytest.mark.parametrize("size", SIZES)
async def test_a_rescan_tells_the_app_the_open_story_moved(library, monkeypatch, size):
    heard = listen(monkeypatch, "on_library_pane_open_story_changed")
    old = library / "tides.txt"
    new = library / "moved-tides.txt"
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_workers(pilot, app)
        # Opened from the list: the reader holds a story of its own, not the list's.
        assert app.select_story(str(old))
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Tides")
        assert app.current is not None and reader.story is not app.current.story
        old.rename(new)
        assert app.query_one(LibraryPane)._look_for_changes()
        await wait_for_workers(pilot, app)
        await wait_until(pilot, lambda: bool(heard))
        assert [(event.path, event.moved_from) for event in heard] == [(str(new), str(old))]
        # The app had the reader follow it: its place is saved under the new path.
        assert reader.story.path == str(new)
        assert app.current is not None and app.current.story.path == str(new)


@pytest.mark.parametrize("cached", [False, True])
async def test_the_pane_lists_in_the_sort_last_chosen_from_the_first_frame(tmp_path, cached):
    root = write_library(tmp_path, {"a.txt": "Title: Alder\nAuthor: Zed\n\nText."})
    (root / "b.txt").write_text("Title: Birch\nAuthor: Ann\n\nText.", encoding="utf-8")
    if cached:
        app = make_app(root)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_scan(pilot, app)  # writes the cache: the next start lists it
    state = StateStore()
    state.load()
    state.set_pref("sort", "author")
    state.save()
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        # Read by the pane before its listing is sorted (a cached one before the app's
        # first frame), not after: the order and the status line agree.
        assert titles(app) == ["Birch", "Alder"]
        assert "by author" in str(app.query_one("#library-status").render())


def part(n: int) -> str:
    body = "\n\n".join(f"Part {n} line {i}. " + "word " * 12 for i in range(40))
    return f"Title: Saga {n}\nSeries: The Saga [{n}]\n\n{body}"


@pytest.mark.parametrize("size", SIZES)
async def test_a_rescan_finding_the_next_part_tells_the_app(tmp_path, monkeypatch, size):
    heard = listen(monkeypatch, "on_library_pane_listing_changed")
    root = write_library(tmp_path, {"a.txt": part(1)})
    app = make_app(root, open_path=root / "a.txt")
    async with app.run_test(size=size) as pilot:
        reader = await wait_for_story(pilot, app, "Saga 1")
        await wait_for_workers(pilot, app)
        assert reader.end_note == "" and not heard  # the first listing says nothing
        (root / "b.txt").write_text(part(2), encoding="utf-8")
        assert app.query_one(LibraryPane)._look_for_changes()
        await wait_for_workers(pilot, app)
        await wait_until(pilot, lambda: bool(heard))
        # The open story's last line and its panel now know the part that came.
        assert reader.end_note == "Next in The Saga: Saga 2 · press P"
        assert "part 1 of 2" in app.query_one(MetadataPanel).text


@pytest.mark.parametrize("size", SIZES)
async def test_enter_in_the_filter_line_goes_to_the_list_keeping_the_filter(library, size):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=size) as pilot:
        await wait_for_story(pilot, app, "Tides")
        await wait_for_scan(pilot, app)
        await pilot.press("escape")  # to the list ("/" in the reader searches the story)
        await pilot.press("slash", *"drab")
        assert app.focused is app.query_one("#filter")
        await pilot.press("enter")
        await pilot.pause()
        # The pane focuses its list; the app makes the list the active pane.
        assert isinstance(app.focused, StoryList)
        assert app.active_pane == "list"
        assert app.query_one("#list-pane").display
        assert app.query_one("#list-header").has_class("-active")
        assert titles(app) == ["Drabble"]
