"""The cache's first screen (format 5): a warm start reads the list's first stories
from the header's head and checks the columns after the list is drawn. A file that
then fails is listed as nothing (never as what it holds) and scanned afresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cachefiles import rewrite_head
from uihelpers import make_app, screen_text, titles, wait_for_workers, wait_until

import tuific.cache.head as head_module
from tuific.cache import CachedStories, MetadataCache
from tuific.library import scan_library

NAMES = ["Alder", "Birch", "Cedar", "Damson", "Elder", "Fir", "Gorse", "Hazel"]


@pytest.fixture
def small_head(monkeypatch):
    """Three stories in a head, so that a small library has stories past it."""
    monkeypatch.setattr(head_module, "HEAD_STORIES", 3)


def _library(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "lib"
    root.mkdir()
    for number, name in enumerate(reversed(NAMES)):  # path order is not title order
        text = f"Title: {name} Road\nAuthor: Writer {number}\n\nSome words here.\n"
        (root / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    file = tmp_path / "cache.json"
    list(scan_library(root, MetadataCache(root, file)))
    return root, file


def _tamper_title(file: Path, name: str) -> None:
    """A terminal escape in one story's title, in the text section, same length."""
    data = file.read_bytes()
    end = data.index(b"\n")
    at = data.index(name.encode(), end)
    file.write_bytes(data[: at + 1] + b"\x1b" + data[at + 2 :])


def _unchecked(root: Path, file: Path) -> CachedStories:
    """The file's stories as a warm start lists them: columns not yet checked."""
    listed = MetadataCache(root, file).listed(verify=False)
    assert listed is not None
    return listed[0]


def test_the_first_screen_is_read_before_the_columns_are_checked(tmp_path, small_head):
    root, file = _library(tmp_path)
    stories = _unchecked(root, file)
    first = stories.title_order()[:3]
    assert [stories.value("title", i) for i in first] == ["Alder Road", "Birch Road", "Cedar Road"]
    assert stories.story(first[0]).meta.authors == [f"Writer {len(NAMES) - 1}"]
    assert not stories.verified
    # Any other story is read once the whole file is checked.
    assert stories.value("title", stories.title_order()[5]) == "Fir Road"
    assert stories.verified and not stories.broken


def test_a_tampered_story_past_the_first_screen_empties_the_list(tmp_path, small_head):
    root, file = _library(tmp_path)
    _tamper_title(file, "Gorse")
    stories = _unchecked(root, file)
    first = stories.title_order()[:3]
    assert [stories.value("title", i) for i in first] == ["Alder Road", "Birch Road", "Cedar Road"]
    assert stories.verify() is False and stories.broken
    # Every value empty, the escape nowhere; the first screen's too, from now on.
    assert set(stories.values("title")) == {""}
    assert all("\x1b" not in repr(story) for story in stories.stories())
    assert stories.value("title", first[0]) == ""
    assert len(stories) == len(NAMES) and sorted(stories.title_order()) == list(range(len(NAMES)))
    # Read as a whole file, it is refused, and written again at the next save.
    cache = MetadataCache(root, file)
    assert cache.listed() is None and cache.dirty


def test_reading_past_the_first_screen_checks_first(tmp_path, small_head):
    root, file = _library(tmp_path)
    _tamper_title(file, "Gorse")
    stories = _unchecked(root, file)
    gorse = stories.title_order()[6]
    assert stories.value("title", gorse) == ""  # never "G\x1brse Road"
    assert stories.broken


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda row: row.__setitem__("meta.title", 7), id="a number for a title"),
        pytest.param(lambda row: row.pop("words"), id="a column missing"),
        pytest.param(lambda row: row.__setitem__("words", -1), id="a negative count"),
        pytest.param(
            lambda row: row.__setitem__("chapter_paragraphs", [1]), id="chapters disagree"
        ),
        pytest.param(lambda row: row.__setitem__("meta.tags", ["a", None]), id="a tag not text"),
        pytest.param(lambda row: row.__setitem__("meta.title", "a\x1bb"), id="an escape"),
    ],
)
def test_a_bad_head_entry_refuses_the_file(tmp_path, small_head, change):
    root, file = _library(tmp_path)
    rewrite_head(file, lambda head: change(next(iter(head.values()))))
    assert MetadataCache(root, file).listed(verify=False) is None


def test_a_head_of_a_story_the_file_does_not_hold_refuses_it(tmp_path, small_head):
    root, file = _library(tmp_path)

    def change(head: dict) -> None:
        head[str(len(NAMES))] = next(iter(head.values()))

    rewrite_head(file, change)
    assert MetadataCache(root, file).listed(verify=False) is None


def test_the_head_is_the_first_stories_in_title_order(tmp_path, small_head):
    root, file = _library(tmp_path)
    lines = file.read_bytes().split(b"\n", 2)
    head = json.loads(lines[1])
    order = MetadataCache(root, file).listed()[0].title_order()
    assert [int(key) for key in head] == order[:3]
    assert lines[0].isascii()  # the header, mostly numbers, decodes fast


async def test_the_app_scans_afresh_when_its_cached_list_fails_its_check(tmp_path, small_head):
    root, _ = _library(tmp_path)
    from tuific.paths import cache_file_for

    cache_file = cache_file_for(root)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "cache.json").replace(cache_file)
    _tamper_title(cache_file, "Gorse")
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.library_pane
        await wait_until(pilot, lambda: pane._cache is not None and not pane.scanning, 200)
        await wait_for_workers(pilot, app)
        await wait_until(pilot, lambda: len(titles(app)) == len(NAMES), 200)
        assert titles(app) == [f"{name} Road" for name in NAMES]
        assert "\x1b" not in screen_text(app)
    # The scan wrote a good file in its place.
    assert MetadataCache(root, cache_file).listed() is not None


def test_a_thread_waiting_for_the_check_stops_the_worker_giving_way(tmp_path, small_head):
    import threading
    import time

    root, file = _library(tmp_path)
    stories = _unchecked(root, file)
    first_step, waiting = threading.Event(), threading.Event()
    given_way_while_waited = []

    def give_way() -> None:  # a worker letting keys go first
        if waiting.is_set():
            given_way_while_waited.append(1)
        first_step.set()
        time.sleep(0.01)

    worker = threading.Thread(target=stories.verify, args=(give_way,))
    worker.start()
    assert first_step.wait(5)
    waiting.set()
    # The UI thread reads past the head: the worker's check goes on without pauses.
    assert stories.value("title", stories.title_order()[6]) == "Gorse Road"
    worker.join(5)
    assert stories.verified and not stories.broken
    assert len(given_way_while_waited) <= 1  # at most the pause under way


@pytest.mark.parametrize(
    "numbers_line",
    [b'{"numbers":1}', b'{"numbers":{},"masks":{"meta.summary":"\\u001b"}}', b"not json"],
)
def test_the_numbers_line_is_read_when_the_columns_are_checked(tmp_path, small_head, numbers_line):
    root, file = _library(tmp_path)
    lines = file.read_bytes().split(b"\n", 3)
    file.write_bytes(b"\n".join([lines[0], lines[1], numbers_line, lines[3]]))
    listed = MetadataCache(root, file).listed(verify=False)
    assert listed is not None  # the first screen needs none of it
    stories = listed[0]
    assert stories.value("title", stories.title_order()[0]) == "Alder Road"
    assert stories.verify() is False
    assert MetadataCache(root, file).listed() is None


def test_a_story_past_the_head_built_while_a_broken_file_is_checked_does_not_hang(
    tmp_path, small_head
):
    import threading
    import time

    root, file = _library(tmp_path)
    _tamper_title(file, "Gorse")
    stories = _unchecked(root, file)
    checking = threading.Event()

    def slow_step() -> None:  # the worker giving way to keys, at length
        checking.set()
        time.sleep(0.02)

    worker = threading.Thread(target=stories.verify, args=(slow_step,), daemon=True)
    worker.start()
    assert checking.wait(5)
    built: list = []
    # The panel builds a story past the head while the check runs (and then fails).
    reader = threading.Thread(
        target=lambda: built.append(stories.story(stories.title_order()[5])), daemon=True
    )
    reader.start()
    reader.join(10)
    worker.join(10)
    assert not reader.is_alive() and not worker.is_alive()
    assert stories.broken and built[0].meta.title == ""


@pytest.mark.parametrize(
    ("column", "value"), [("rel", "zz.txt"), ("size", 1), ("meta.status", "complete")]
)
def test_a_head_that_disagrees_with_the_columns_fails_the_check(
    tmp_path, small_head, column, value
):
    root, file = _library(tmp_path)
    first_key: list[str] = []

    def change(head: dict) -> None:
        first_key.append(next(iter(head)))
        head[first_key[0]][column] = value

    rewrite_head(file, change)
    stories = _unchecked(root, file)
    index = int(first_key[0])
    story = stories.story(index)  # shown before the check
    assert stories.verify() is False
    # Nothing built from the head outlives the check: the row would open another
    # story's file (its path), or not see it change (its size and time).
    assert stories.story(index) is not story
    assert stories.story(index).path == stories.value("path", index) == str(root) + "/"


def test_a_count_the_columns_cannot_hold_is_refused_before_anything_is_made(tmp_path):
    from cachefiles import b64, rewrite_header

    root, file = _library(tmp_path)
    huge = 100_000

    def inflate(header: dict) -> None:
        header["count"] = huge
        header["numbers"]["title_order"] = b64(list(range(huge)))

    rewrite_header(file, inflate)
    assert MetadataCache(root, file).listed(verify=False) is None


def _record_check_threads(monkeypatch) -> list[str]:
    """The name of each thread that checks a cached list's columns, as they do."""
    import threading

    from tuific.cache.columns import CachedStories as Columns

    checked_on: list[str] = []
    original = Columns._verify_columns

    def recording(self, step):
        checked_on.append(threading.current_thread().name)
        return original(self, step)

    monkeypatch.setattr(Columns, "_verify_columns", recording)
    return checked_on


async def test_a_returning_reader_s_start_leaves_the_check_to_the_worker(tmp_path, monkeypatch):
    # Every story on screen is in the head (120 stories): nothing the start shows,
    # the reopened story and its series' note included, waits for the check.

    from tuific.paths import cache_file_for

    root = tmp_path / "lib"
    root.mkdir()
    body = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(80))
    for number, name in enumerate(NAMES):
        series = f"Series: Orchard [{number + 1}]\n" if number < 3 else ""
        text = f"Title: {name} Road\nAuthor: Writer\n{series}\n{body}\n"
        (root / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:  # a first start: read a page
        await wait_until(pilot, lambda: not app.library_pane.scanning, 200)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current is not None)
        await pilot.press("space")
        await pilot.pause()
    assert cache_file_for(root).exists()

    checked_on = _record_check_threads(monkeypatch)
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:  # Alder reopens, with its panel
        await wait_until(pilot, lambda: app.current is not None, 200)
        await wait_for_workers(pilot, app)
        await wait_until(pilot, lambda: "Series in library" in screen_text(app), 200)
        assert app.current.story.meta.title == "Alder Road"
        assert checked_on[:1] == ["tuific-verify"]  # not the UI thread
        assert "Series in library" in screen_text(app)  # the note, once checked


async def _read_a_little(root: Path, file: str, name: str) -> None:
    """A first start: `name` Road (made long, in `file`) opened and a page read."""
    (root / file).write_text(
        f"Title: {name} Road\nAuthor: Writer\n\n" + "\n\n".join(["Some words here."] * 80),
        encoding="utf-8",
    )
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_workers(pilot, app)
        await pilot.press("/", *name.lower(), "enter")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current is not None)
        await pilot.press("j")
        await pilot.pause()


async def test_a_returning_reader_past_the_head_never_sees_a_failed_file_s_blank_rows(
    tmp_path, small_head
):
    # The story reopened lies past the head: it is found once the check's worker has
    # read the file. A file failing then is listed as nothing and scanned, and the
    # story reopens from the scan: never drawn as rows of empty stories.
    from tuific.paths import cache_file_for

    root, _ = _library(tmp_path)
    await _read_a_little(root, "01.txt", "Gorse")
    _tamper_title(cache_file_for(root), "Hazel")

    app = make_app(root)
    seen: list[list[str]] = []
    panels: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(100):
            seen.append(titles(app))
            panels.append(screen_text(app))
            if len(seen[-1]) == len(NAMES) and not app.library_pane.scanning:
                break
            await pilot.pause(0.01)
        await wait_for_workers(pilot, app)
        assert app.current is not None and app.current.story.meta.title == "Gorse Road"
    assert not [shown for shown in seen if "" in shown]
    assert not [panel for panel in panels if "Words: 0" in panel]
    assert seen[-1] == [f"{name} Road" for name in NAMES]


# A list a few rows high, and a head of six stories: the first screen is in the
# head, and Hazel is not (as a 120-story head and a long library are).
SHORT = (120, 10)


async def test_a_returning_reader_past_the_head_is_found_by_the_check_s_worker(
    tmp_path, monkeypatch
):
    # Finding a story past the head needs the whole file checked (~150 ms at 100,000
    # stories): the worker does it after the first frame, then the story reopens
    # with the cursor on it.


    monkeypatch.setattr(head_module, "HEAD_STORIES", 6)
    root, _ = _library(tmp_path)
    await _read_a_little(root, "00.txt", "Hazel")  # last in title order
    checked_on = _record_check_threads(monkeypatch)
    app = make_app(root)
    async with app.run_test(size=SHORT) as pilot:
        await wait_until(pilot, lambda: app.current is not None, 300)
        await wait_for_workers(pilot, app)
        assert app.current.story.meta.title == "Hazel Road"
        assert checked_on == ["tuific-verify"]  # never the UI thread
        highlighted = app.library_pane._highlighted_path()
        assert highlighted is not None and highlighted.endswith("00.txt")


async def test_keys_before_the_check_keep_the_list_where_the_reader_put_it(
    tmp_path, monkeypatch
):
    # The story would reopen once the check is done; a reader already moving in the
    # list meanwhile keeps it, and no story opens under their keys.
    import time

    from tuific.cache.columns import CachedStories as Columns

    monkeypatch.setattr(head_module, "HEAD_STORIES", 6)
    root, _ = _library(tmp_path)
    await _read_a_little(root, "00.txt", "Hazel")  # last in title order
    original = Columns.verify

    def slow(self, step=None):
        time.sleep(0.3)  # a big library's check
        return original(self, step)

    monkeypatch.setattr(Columns, "verify", slow)
    app = make_app(root)
    async with app.run_test(size=SHORT) as pilot:
        assert app.current is None and not app.library_pane.listing.stories.checked
        await pilot.press("down")  # Alder Road (07.txt) to Birch Road (06.txt)
        await wait_for_workers(pilot, app)
        await pilot.pause(0.1)
        assert app.library_pane.listing.stories.checked
        assert app.current is None  # Hazel did not open
        highlighted = app.library_pane._highlighted_path()
        assert highlighted is not None and highlighted.endswith("06.txt")
