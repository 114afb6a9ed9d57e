"""The app with hostile names and settings (issue 12): saved query names are never
markup (the command palette included), config problems are shown in the app, and
undecodable file names show a visible replacement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from uihelpers import (
    make_app,
    screen_text,
    titles,
    wait_for_scan,
    write_library,
    write_state,
)

from tuific.config import Config
from tuific.state import StateStore
from tuific.ui.app import TuificApp

SIZES = [(80, 24), (160, 45)]
HOSTILE_NAMES = {
    "[/]": "tag:fluff",
    "[@click=app.quit]Quit[/]": "rating:e",
    "[B]old[/B] [$accent] [ x]": "words:>1",
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(
        tmp_path,
        {
            "a.txt": "Title: Alpha\nAuthor: A\nTags: Fluff\n\nText.\n",
            "b.txt": "Title: Beta\nAuthor: B\n\nText.\n",
        },
    )


async def palette_search(pilot, text: str) -> None:
    """Open the command palette (closing one already open) and type `text`."""
    if pilot.app.screen.is_modal:
        await pilot.press("escape")
        await pilot.pause(0.2)
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*text)
    await pilot.pause(0.5)


@pytest.mark.parametrize("size", SIZES)
async def test_saved_query_names_are_never_markup_in_the_palette(library, size):
    state = StateStore()
    state.load()
    app = TuificApp(library, state=state, config=Config(saved_queries=HOSTILE_NAMES))
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await palette_search(pilot, "Filter")
        assert app.is_running
        shown = screen_text(app)
        assert "[/]" in shown and "[@click=app.quit]Quit[/]" in shown
        await palette_search(pilot, "Filter: [/]")  # search on the hostile name itself
        assert app.is_running
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.is_running
        assert app.query_one("#filter").value == "tag:fluff"
        assert titles(app) == ["Alpha"]


async def test_config_problems_are_shown_in_the_app(library):
    state = StateStore()
    state.load()
    app = TuificApp(
        library,
        state=state,
        config=Config(),
        config_warnings=["config.toml: key for 'quit': 'notakey' names no key"],
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.pause(0.2)
        shown = [n.message for n in app._notifications]
        assert shown == ["config.toml: key for 'quit': 'notakey' names no key"]


async def test_bad_prefs_in_the_state_file_do_not_stop_the_app(library):
    write_state('[prefs]\nline_width = -100\njustify = "abc"\n')
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        assert app.query_one("#reader").line_width == Config().line_width
        assert titles(app) == ["Alpha", "Beta"]


@pytest.mark.parametrize("size", SIZES)
async def test_undecodable_file_name_shows_a_replacement(tmp_path, size):
    library = tmp_path / "lib"
    library.mkdir()
    name = os.fsdecode(os.fsencode(library) + b"/bad\xff\xfename.txt")
    Path(name).write_text("No header here.\n", encoding="utf-8")
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert "\udcff" not in shown
        assert "Bad\ufffd\ufffdname" in shown
        # Every screen line is exactly the terminal's width: no border pushed out.
        lines = shown.rstrip("\n").split("\n")
        assert len(lines) == size[1]


async def test_story_parse_never_keeps_the_app_from_quitting(library, monkeypatch):
    """The parse runs in a daemon thread (a Textual thread worker runs in asyncio's
    executor, whose shutdown waits for it: `q` during a long parse waited)."""
    import threading

    import tuific.ui.reader_pane as reader_pane

    release = threading.Event()
    real = reader_pane.story_from_bytes

    def slow_parse(path, data):
        release.wait(10)  # a parse that takes a long while
        return real(path, data)

    monkeypatch.setattr(reader_pane, "story_from_bytes", slow_parse)
    app = make_app(library, open_path=library / "a.txt")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.2)
            parsing = [t for t in threading.enumerate() if t.name == "tuific-open"]
            assert len(parsing) == 1 and parsing[0].daemon
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running
    finally:
        release.set()


async def test_workers_never_describe_themselves_with_the_story(library, monkeypatch):
    """Textual names a worker after repr() of its arguments unless given a
    description: the whole story's text, on the UI thread, at every open (the
    dialogue scan, the speakers' pass, a search)."""
    from tuific.model import Story

    calls = []
    monkeypatch.setattr(Story, "__repr__", lambda self: calls.append(1) or "Story")
    app = make_app(library, open_path=library / "a.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("slash", *"Text", "enter")  # a search in the story
        await pilot.pause(0.3)
    assert calls == []


@pytest.mark.parametrize(
    ("paragraphs", "words"),
    [(2500, 3), (20, 12_000)],  # many paragraphs; few, but over a million characters
)
async def test_long_story_dialogue_is_found_in_the_background(tmp_path, paragraphs, words):
    from uihelpers import wait_until

    from tuific.ui.widgets.reader import Reader

    library = tmp_path / "lib"
    library.mkdir()
    body = "\n\n".join(f'"Hello," Emma said {"word " * words}' for _ in range(paragraphs))
    (library / "long.txt").write_text(f"Title: Long\n\n{body}\n", encoding="utf-8")
    app = make_app(library, open_path=library / "long.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        # The whole story (not only its quickly shown first part), then its dialogue.
        await wait_until(
            pilot,
            lambda: reader.story is not None
            and len(reader.story.paragraphs) == paragraphs
            and reader._open is not None
            and len(reader._open) == paragraphs,
        )
        assert len(reader.story.paragraphs) == paragraphs
        assert reader._open is not None and len(reader._open) == paragraphs


async def test_an_error_in_a_background_thread_ends_the_app_like_a_worker_s():
    import threading

    from textual.app import App

    from tuific.ui.threads import in_daemon_thread

    class Boom(App[None]):
        @in_daemon_thread("tuific-boom")
        def explode(self) -> None:
            assert threading.current_thread().daemon
            raise ValueError("boom")

    app = Boom()
    with pytest.raises(ValueError, match="boom"):
        async with app.run_test() as pilot:
            app.explode()
            await pilot.pause(0.3)
    assert not app.is_running


def test_a_thread_calling_the_app_after_it_closed_is_refused_and_leaves_no_coroutine(
    library,
):
    """A background thread outliving the app (the cached list's check, say) is told
    the app is not running, and no coroutine that nothing awaits is left behind (a
    RuntimeWarning): run_test(), unlike run(), keeps its closed event loop."""
    import asyncio
    import gc
    import threading
    import warnings

    app = make_app(library)

    async def run() -> None:
        async with app.run_test() as pilot:
            await wait_for_scan(pilot, app)

    asyncio.run(run())
    called: list[int] = []
    refused: list[BaseException] = []

    def late() -> None:
        try:
            app.call_from_thread(called.append, 1)
        except RuntimeError as error:
            refused.append(error)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thread = threading.Thread(target=late)
        thread.start()
        thread.join()
        assert len(refused) == 1
        refused.clear()  # its traceback held what the call made
        gc.collect()
    assert not called
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("size", SIZES)
async def test_story_titles_are_never_markup_in_the_palette(tmp_path, size):
    """The palette's shelf and series entries name the story: a title is text."""
    library = write_library(
        tmp_path,
        {
            "a.txt": "Title: [@click=app.quit]Q[/]\nSeries: [/] [1]\n\nText.\n",
            "b.txt": "Title: [B]old[/B] [$x]\nSeries: [/] [2]\n\nText.\n",
        },
    )
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await palette_search(pilot, "Mark")
        assert app.is_running
        assert "[@click=app.quit]Q[/]" in screen_text(app) or "[B]old[/B]" in screen_text(app)
        await palette_search(pilot, "next part")
        assert app.is_running
