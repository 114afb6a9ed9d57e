"""Snapshot tests (pytest-textual-snapshot): the main screens as a user sees them, at
80x24 and 160x50, in the dark and the light theme. Each test has its own state,
config and cache folders (conftest.isolated_dirs) and a library in its own folder,
named by a relative path so the screens hold no machine's temporary path.

After a deliberate change of the screens: pytest tests/test_snapshots.py
--snapshot-update, then look at the report and the new SVGs before committing."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytest_textual_snapshot")

from textual.widgets import Input  # noqa: E402
from uihelpers import wait_for_story, wait_for_workers, wait_until  # noqa: E402

from tuific.state import StateStore  # noqa: E402
from tuific.ui.app import TuificApp  # noqa: E402

STORIES = {
    "harbour.txt": (
        "Title: Harbour Lights\nAuthor: Wren\nFandom: Lighthouse Tales\nRating: T\n"
        "Pairing: Ada/Ned\nCharacters: Ada, Ned\nTags: slow burn, fluff\n"
        "Status: In-Progress\nChapters: 2/4\n"
        "Summary: Two keepers and one lamp, and a winter that will not end.\n\n"
        "Chapter 1: The Lamp\n\n"
        "The lamp had gone out twice before midnight.\n\n"
        '"You trimmed the wick," Ada said, not looking up from the ledger.\n\n'
        '"I did," said Ned. "It went out anyway. Some nights it simply does."\n\n'
        "She closed the ledger and went up the stair to see for herself.\n\n"
        "Chapter 2: The Stair\n\n"
        "There were ninety-one steps, and she counted every one of them.\n"
    ),
    "moss.txt": "Title: Moss\nAuthor: Fern\nRating: G\nStatus: Complete\n\nGreen and slow.\n",
    "orchard.txt": (
        "Title: The Orchard Road\nAuthor: Quill\nFandom: Original Work\nRating: M\n\n"
        + "The road ran between the apple trees. " * 40
        + "\n"
    ),
}
SIZES = {"80x24": (80, 24), "160x50": (160, 50)}
THEMES = ["textual-dark", "textual-light"]


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    for name, text in STORIES.items():
        (root / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("lib")  # shown as "lib/…" whatever the temporary folder


def make(library: Path, story: str | None = None) -> TuificApp:
    state = StateStore()
    state.load()
    return TuificApp(library, state=state, open_path=library / story if story else None)


def prepared(theme: str, *keys: str, story: str | None = None):
    """A run_before: the theme, no blinking cursor, the list checked, then `keys`."""

    async def run_before(pilot) -> None:
        app = pilot.app
        app.theme = theme
        if story is not None:
            await wait_for_story(pilot, app, story)
        await wait_for_workers(pilot, app)
        for widget in app.query(Input):
            widget.cursor_blink = False
        if keys:
            await pilot.press(*keys)
        await wait_until(pilot, lambda: not list(app.workers), 50)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_the_story_list(snap_compare, library, size, theme):
    assert snap_compare(make(library), terminal_size=SIZES[size], run_before=prepared(theme))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_the_reader_with_dialogue(snap_compare, library, size, theme):
    app = make(library, "harbour.txt")
    run_before = prepared(theme, story="Harbour Lights")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_the_metadata_panel(snap_compare, library, size, theme):
    # At 160x50 the panel sits beside the list; at 80x24 `i` shows it, alone.
    run_before = prepared(theme, *(["i"] if size == "80x24" else []))
    assert snap_compare(make(library), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_the_help(snap_compare, library, size, theme):
    run_before = prepared(theme, "question_mark")
    assert snap_compare(make(library), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_the_chapter_list_dialog(snap_compare, library, size, theme):
    app = make(library, "harbour.txt")
    run_before = prepared(theme, "c", story="Harbour Lights")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
