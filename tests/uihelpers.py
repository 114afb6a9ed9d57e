"""Helpers for driving the app under Pilot."""

from __future__ import annotations

import re
from pathlib import Path

from tuific.state import StateStore
from tuific.ui.app import TuificApp
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList


def write_library(tmp_path: Path, files: dict[str, str]) -> Path:
    """A library folder, tmp_path/lib, holding these files (name -> text)."""
    root = tmp_path / "lib"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def write_state(text: str) -> Path:
    """Write the state file the app will read (the test's own state folder)."""
    from tuific.paths import state_file

    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_app(library: Path, open_path: Path | None = None) -> TuificApp:
    state = StateStore()
    state.load()
    return TuificApp(library, state=state, open_path=open_path)


async def wait_until(pilot, condition, steps: int = 100) -> None:
    """Let the app run (in 20 ms steps) until `condition()` holds or time is up."""
    for _ in range(steps):
        await pilot.pause(0.02)
        if condition():
            break


async def wait_for_scan(pilot, app: TuificApp) -> None:
    await wait_until(pilot, lambda: not app.scanning)
    await pilot.pause()


async def wait_for_story(pilot, app: TuificApp, title: str) -> Reader:
    reader = app.query_one(Reader)
    await wait_until(
        pilot, lambda: reader.story is not None and reader.story.meta.title == title, 200
    )
    await pilot.pause()
    assert reader.story is not None and reader.story.meta.title == title
    return reader


def screen_text(app: TuificApp) -> str:
    """What the terminal would show, without the escape sequences."""
    output = app.screen._compositor.render_full_update().render_segments(app.console)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)


def titles(app: TuificApp) -> list[str]:
    story_list = app.query_one(StoryList)
    return [story_list.items[i].story.meta.title for i in story_list.rows]
