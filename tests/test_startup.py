"""The start-up design: what the first page waits for, and what it does not."""

from __future__ import annotations

import gc
import subprocess
import sys

from uihelpers import make_app, wait_for_scan, wait_for_workers

# Needed only once a library is listed, a filter typed or a dialog opened.
DEFERRED = {
    "tuific.cache",
    "tuific.library",
    "tuific.query",
    "tuific.ui.screens.help",
    "tuific.ui.screens.pickers",
    "tuific.ui.screens.skipped",
    "ctypes",
    "tuific.speakers",  # ~50 ms of patterns: the reader's worker imports it
    "json",
}


def test_opening_the_app_leaves_the_library_machinery_unimported():
    code = (
        "import sys, tuific.cli, tuific.ui.app\n"
        f"print(sorted(name for name in sys.modules if name in {sorted(DEFERRED)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_start_up_loads_blake2b_without_hashlib_and_openssl():
    code = (
        "import sys, tuific.cli, tuific.ui.app, tuific.state, tuific.paths\n"
        "print('hashlib' in sys.modules, '_hashlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_the_hash_is_hashlib_s_blake2b():
    """Cache file names and fingerprints must not change with where blake2b comes from."""
    import hashlib

    from tuific.hashing import blake2b

    data = b"the same bytes"
    assert blake2b(data, digest_size=16).hexdigest() == hashlib.blake2b(
        data, digest_size=16
    ).hexdigest()


def test_main_pauses_the_cyclic_gc_for_start_up(monkeypatch, tmp_path):
    import tuific.cli as cli

    seen = []
    monkeypatch.setattr(
        cli,
        "run_app",
        lambda path, config, warnings=None, demo=False: seen.append(gc.isenabled()) or 0,
    )
    was = gc.isenabled()
    try:
        assert cli.main([str(tmp_path)]) == 0
    finally:
        if was:
            gc.enable()
    assert seen == [False]


async def test_the_gc_is_back_on_once_the_library_is_listed(tmp_path):
    (tmp_path / "a.txt").write_text("Title: A\nAuthor: B\n\nText.", encoding="utf-8")
    gc.disable()  # as `tuific` leaves it
    try:
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_scan(pilot, app)
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_dialog_styles_load_with_the_first_dialog(tmp_path):
    from tuific.ui.screens.help import HelpScreen

    (tmp_path / "a.txt").write_text("Title: A\nAuthor: B\n\nText.", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body")
        assert body.styles.border.top[0] == "round"  # from dialogs.tcss
        assert body.region.x > 0  # centred, not at the left edge


async def test_the_search_line_arrives_when_needed(tmp_path):
    from textual.widgets import Input
    from uihelpers import screen_text, wait_until

    from tuific.ui.widgets.key_hints import KeyHints

    path = tmp_path / "a.txt"
    path.write_text("Title: A\nAuthor: B\n\nThe tide came in.", encoding="utf-8")
    app = make_app(tmp_path, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Quit" in screen_text(app))
        assert len(app.query(KeyHints)) == 1
        assert not app.query("#search")
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is app.query_one("#search", Input)
        assert "Quit" not in screen_text(app).splitlines()[-1]  # the search line's keys
        await pilot.press("escape")
        await pilot.pause()
        assert "Search" in screen_text(app).splitlines()[-1]  # the reader's keys again
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("t", "i", "d", "e", "enter")
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert len(app.query("#search")) == 1  # made once, shown again


async def test_a_big_cached_list_is_checked_against_the_disk_a_moment_later(tmp_path, monkeypatch):
    from uihelpers import titles

    import tuific.ui.library_control as ui

    (tmp_path / "a.txt").write_text("Title: Alder\nAuthor: B\n\nText.", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)  # the cache now holds Alder
    (tmp_path / "b.txt").write_text("Title: Birch\nAuthor: B\n\nText.", encoding="utf-8")
    monkeypatch.setattr(ui, "VERIFY_LATER_ABOVE", 0)  # as if the library were big
    monkeypatch.setattr(ui, "VERIFY_AFTER", 0.5)
    trims = []
    monkeypatch.setattr(ui, "release_free_memory", lambda: trims.append(1))
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        assert titles(app) == ["Alder"] and app.library_pane._rescanning  # listed, not yet checked
        assert trims == []  # not while the first frames are drawn either
        await wait_for_workers(pilot, app)
        assert sorted(titles(app)) == ["Alder", "Birch"] and trims


async def test_a_cached_library_is_listed_before_the_first_frame_without_building_it(tmp_path):
    from uihelpers import titles

    from tuific.cache import CachedStories

    for index in range(40):
        (tmp_path / f"s{index:02}.txt").write_text(
            f"Title: Story {index:02}\nAuthor: B\n\nText.", encoding="utf-8"
        )
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)  # a first scan writes the cache
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        # Mounted: listed already, from the cache's columns, with no worker or wait.
        assert not app.library_pane.scanning
        stories = app.listing.stories
        assert isinstance(stories, CachedStories)
        await pilot.pause()
        # Only the stories on screen (and the one the panel shows) were built.
        built = sum(story is not None for story in stories._made)
        assert 0 < built <= 30, built
        assert titles(app)[:2] == ["Story 00", "Story 01"] and len(titles(app)) == 40
        await pilot.press("slash", *"story 39", "enter")
        await pilot.pause()
        assert titles(app) == ["Story 39"]


async def test_freed_memory_goes_back_to_the_system_when_a_cached_library_is_listed(
    tmp_path, monkeypatch
):
    from uihelpers import wait_for_story

    import tuific.ui.library_control as library_ui
    import tuific.ui.reader_pane as reading_ui

    story = tmp_path / "a.txt"
    story.write_text("Title: Alder\nAuthor: B\n\n" + "Some text. " * 2000, encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)  # the cache now lists Alder
    trims = []
    for ui in (library_ui, reading_ui):
        monkeypatch.setattr(ui, "release_free_memory", lambda: trims.append(1))
    app = make_app(tmp_path, open_path=story)  # the story first, then the cached list
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_story(pilot, app, "Alder")
        await wait_for_workers(pilot, app)
        # Once after the story is parsed, and once more after the library is listed
        # (the dialogue pass and the list's own work free memory in between).
        assert len(trims) >= 2


async def test_the_search_column_is_made_in_the_background_after_listing(tmp_path):

    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Title: {name}\n\nText.", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(pilot, app)
        assert "text" in app.listing.entries._columns  # before any keystroke asked


def test_listing_a_cached_library_leaves_the_scanner_and_the_query_language_unimported(
    tmp_path,
):
    """The query language loads with the first filter (or the check worker), after
    the first frame; the scanner only when a file has changed."""
    from tuific.cache import MetadataCache
    from tuific.library import scan_library

    (tmp_path / "a.txt").write_text("Title: Alder\n\nText.", encoding="utf-8")
    list(scan_library(tmp_path, MetadataCache(tmp_path)))
    code = (
        "import sys\n"
        "from tuific.cache import MetadataCache\n"
        "from tuific.listing import Listing\n"
        f"stories, failures = MetadataCache({str(tmp_path)!r}).listed()\n"
        "listing = Listing()\n"
        "listing.add(stories)\n"
        "listing.sort('title', False, None)\n"
        "print(listing.items[0].value('title'), 'tuific.library' in sys.modules,\n"
        "      'tuific.query' in sys.modules)\n"
        "from tuific.query import parse_query\n"
        "print(listing.filter(parse_query('alder')), listing.filter(parse_query('birch')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["Alder False False", "[0] []"]


async def test_the_first_frame_is_not_restyled_for_nothing(tmp_path, monkeypatch):
    """Textual restyles a resuming screen's widgets; the first resume follows their
    mount, so it is skipped. A later one (back from a dialog) still restyles, and
    restyling after the first frame changes nothing on screen."""
    from textual.css.stylesheet import Stylesheet

    restyled = []
    original = Stylesheet.update_nodes

    def update_nodes(self, nodes, animate=False):
        nodes = list(nodes)
        restyled.extend(node for node in nodes if node.id == "stories")
        return original(self, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", update_nodes)
    story = tmp_path / "a.txt"
    story.write_text('Title: Alder\nAuthor: B\n\n"Hi," she said.', encoding="utf-8")
    app = make_app(tmp_path, open_path=story)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        assert restyled == []
        first = app.export_screenshot()
        app.screen.update_node_styles(animate=False)
        await pilot.pause()
        assert app.export_screenshot() == first
        restyled.clear()
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert restyled  # back from the help: restyled as Textual does


async def test_the_cached_list_s_check_starts_after_the_first_frame(tmp_path, monkeypatch):
    from textual.app import App

    (tmp_path / "a.txt").write_text("Title: Alder\nAuthor: B\n\nText.", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)  # the cache now lists Alder
    at_first_frame = []
    original = App._display

    def display(self, screen, renderable):
        if renderable is not None and not at_first_frame:
            at_first_frame.append(sorted(worker.name for worker in self.workers))
        return original(self, screen, renderable)

    monkeypatch.setattr(App, "_display", display)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(pilot, app)
        assert [worker.name for worker in app.workers] == []  # finished and gone
        checked = app.library_pane._seen
    assert at_first_frame == [[]] and str(tmp_path / "a.txt") in checked
