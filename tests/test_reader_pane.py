"""The reader pane owns the reading keys and tells the app what happened with
messages: the app composes and routes (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reader_features import chaptered
from uihelpers import make_app, wait_for_scan, wait_for_story, wait_until

from tuific.state import StateStore, story_key
from tuific.ui.app import TuificApp
from tuific.ui.reader_pane import ReaderPane
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList

READING_KEYS = {
    "chapters",
    "search",
    "search_next_next",
    "add_bookmark",
    "bookmarks",
    "go_to_mark",
    "line_width_wider",
    "toggle_justify",
    "toggle_speakers",
    "toggle_speaker_names",
    "paragraph_spacing",
}


def test_the_reading_keys_are_the_panes_own():
    pane = {binding.id: binding.action for binding in ReaderPane.BINDINGS}
    assert READING_KEYS <= pane.keys()
    # Its own actions, not the app's; the reader widget only moves through the text.
    assert not any(pane[key].startswith("app.") for key in READING_KEYS)
    assert not any(b.action.startswith("app.") for b in Reader.BINDINGS)
    assert not READING_KEYS & {b.id for b in TuificApp.BINDINGS}


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_pane_says_what_it_opened_and_where_the_reader_is(tmp_path, monkeypatch, size):
    story = chaptered(tmp_path / "lib")
    heard: list[tuple[str, object]] = []
    # Textual calls the handler of every class along the MRO: these listen beside the
    # app's own (in ReadingControl).
    monkeypatch.setattr(
        TuificApp,
        "on_reader_pane_story_opened",
        lambda app, event: heard.append(("opened", event.story.meta.title)),
        raising=False,
    )
    monkeypatch.setattr(
        TuificApp,
        "on_reader_pane_progress_changed",
        lambda app, event: heard.append(("progress", event.fraction)),
        raising=False,
    )
    app = make_app(story.parent, open_path=story)
    async with app.run_test(size=size) as pilot:
        pane = app.query_one(ReaderPane)
        # Opened again through the app, which routes it to the pane.
        app.open_story(str(story))
        reader = await wait_for_story(pilot, app, "Tides")
        await wait_until(pilot, lambda: ("opened", "Tides") in heard)
        assert app.current is not None and app.current.story.path == str(story)
        assert app.active_pane == "reader"

        await pilot.press("space", "space")  # the pane's reader has the keys
        await wait_until(pilot, lambda: any(kind == "progress" for kind, _ in heard))
        fraction = reader.fraction
        assert fraction > 0
        await wait_until(pilot, lambda: app.current.progress == pytest.approx(fraction))
        # The list's row follows the reader (its Moved message, after the pane): its
        # item holds the reader's progress.
        row = app.query_one(StoryList).current
        assert row is not None and row.progress == pytest.approx(fraction)
        assert pane.partial is False


def deliver(app: TuificApp, path: Path) -> None:
    """What the pane's loading worker hands the UI thread: the whole story, newest."""
    from tuific.formats import story_from_bytes
    from tuific.state import fingerprint

    data = path.read_bytes()
    story = story_from_bytes(path, data)
    story.fingerprint = fingerprint(data)
    pane = app.reader_pane
    pane._open_request += 1
    pane._show_story(story, pane._open_request)


def small(root: Path, name: str, title: str) -> Path:
    body = "\n\n".join(f"Paragraph {i} of {title}, a short line of prose." for i in range(200))
    path = root / name
    path.write_text(f"Title: {title}\nAuthor: A\n\n{body}", encoding="utf-8")
    return path


def big(root: Path) -> Path:
    body = "\n\n".join(f"Paragraph {i}: the tide came in and went out again." for i in range(20000))
    path = root / "huge.txt"
    path.write_text("Title: Huge\nAuthor: H\n\n" + body, encoding="utf-8")
    return path


async def test_a_key_between_showing_a_story_and_the_app_hearing_of_it_keeps_the_old_place(
    tmp_path,
):
    # The app's `current` changes only when StoryOpened reaches it: a move of the
    # reader in between must be saved under the story the reader shows.
    root = tmp_path / "lib"
    root.mkdir()
    first = small(root, "a.txt", "Alpha")
    second = small(root, "b.txt", "Beta")
    app = make_app(root, open_path=first)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Alpha")
        await wait_for_scan(pilot, app)
        reader.go_to(40)
        await pilot.pause()
        app.state.save()
        saved = app.state.get(story_key(str(first))).position.paragraph
        assert saved >= 30
        # The worker's delivery of another (whole) story, then a key that reaches the
        # reader before StoryOpened reaches the app.
        deliver(app, second)
        assert app.current.story.path == str(first)  # not yet told
        reader.go_to(3)  # -> Reader.Moved -> ReaderPane.on_reader_moved (current: Alpha)
        await wait_until(pilot, lambda: app.current.story.path == str(second))
        await pilot.pause()
        assert app.state.get(story_key(str(first))).position.paragraph == saved


async def test_the_whole_story_after_its_head_does_not_stay_in_the_list(tmp_path):
    # A listed item keeps its metadata-only story when the whole replaces the head:
    # the list must not hold every paragraph of each long story opened.
    root = tmp_path / "lib"
    root.mkdir()
    huge = big(root)
    other = small(root, "b.txt", "Beta")
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        assert app.listing.item(str(huge)).story.paragraphs is None
        app.open_story(str(huge))
        await wait_for_story(pilot, app, "Huge")
        await wait_until(pilot, lambda: not app.reader_pane.partial, 200)
        await pilot.pause()
        app.open_story(str(other))
        await wait_for_story(pilot, app, "Beta")
        await pilot.pause()
        assert app.listing.item(str(huge)).story.paragraphs is None


async def test_a_long_storys_head_gets_no_speaker_pass_and_its_whole_does(tmp_path, monkeypatch):
    # The whole follows the head within a second and forgets the head's speakers: a
    # pass over the head was work thrown away (and left the speaker modules, the
    # first-name table and the pass's leftovers in the app's heap).
    root = tmp_path / "lib"
    root.mkdir()
    huge = big(root)
    passes: list[int] = []
    monkeypatch.setattr(
        Reader, "_attribute_speakers", lambda reader, story: passes.append(len(story.paragraphs))
    )
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        load_whole = ReaderPane._load_story
        held: list[tuple] = []
        monkeypatch.setattr(ReaderPane, "_load_story", lambda *args: held.append(args))
        app.open_story(str(huge))
        reader = await wait_for_story(pilot, app, "Huge")
        await wait_until(pilot, lambda: held)
        await pilot.pause()
        assert app.reader_pane.partial and passes == []
        assert reader.speakers is None and not reader.speakers_working
        load_whole(*held[0])
        await wait_until(pilot, lambda: not app.reader_pane.partial, 200)
        await wait_until(pilot, lambda: passes)
        assert passes == [20000]


async def test_keys_rebinds_a_reader_pane_key_by_id(tmp_path):
    from tuific.config import Config
    from tuific.ui.app import TuificApp
    from tuific.ui.screens.help import help_table

    root = tmp_path / "lib"
    root.mkdir()
    first = small(root, "a.txt", "Alpha")
    state = StateStore()
    state.load()
    app = TuificApp(root, state=state, open_path=first,
                    config=Config(keys={"toggle_justify": "z", "chapters": "C"}))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Alpha")
        before = reader.justify
        await pilot.press("J")
        assert reader.justify == before
        await pilot.press("z")
        assert reader.justify != before
    from rich.console import Console
    console = Console(width=120, record=True)
    console.print(help_table({"toggle_justify": "z"}))
    assert "z " in console.export_text()


async def test_a_story_delivered_right_after_another_opened_keeps_the_first_place(
    tmp_path, monkeypatch
):
    # No key needed: the first page's progress, noted after the app heard of A,
    # must not save B's place under A when B arrived in between.
    from tuific.ui.reading_control import ReadingControl

    root = tmp_path / "lib"
    root.mkdir()
    first = small(root, "a.txt", "Alpha")
    second = small(root, "b.txt", "Beta")
    seed = StateStore()
    seed.load()
    seed.set_position(story_key(str(second)), 120, 0)
    seed.save()
    real = ReadingControl.on_reader_pane_story_opened

    def heard(app, event):
        real(app, event)
        if event.story.meta.title == "Alpha":  # B's worker finishes now
            deliver(app, second)

    monkeypatch.setattr(ReadingControl, "on_reader_pane_story_opened", heard)
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        app.open_story(str(first))
        await wait_for_story(pilot, app, "Beta")
        await wait_until(pilot, lambda: app.current.story.path == str(second))
        await pilot.pause(0.2)
        entry = app.state.get(story_key(str(first)))
        assert entry is None or entry.position.paragraph == 0


async def test_a_long_storys_head_is_not_taken_for_the_story_grown(tmp_path, monkeypatch):
    # The quick start shows a long story's head first; its length is not the story's,
    # and the list must not call the story updated ("+1k w") while the whole loads.
    root = tmp_path / "lib"
    root.mkdir()
    huge = big(root)
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        # The whole never comes in this test: the pane stays on the head.
        monkeypatch.setattr(ReaderPane, "_load_story", lambda *args, **kwargs: None)
        app.open_story(str(huge))
        await wait_for_story(pilot, app, "Huge")
        await wait_until(pilot, lambda: app.current is not None)
        assert app.reader_pane.partial
        assert app.listing.item(str(huge)).read != "updated"
        assert app.state.get(story_key(str(huge))).words is None  # never loaded whole
