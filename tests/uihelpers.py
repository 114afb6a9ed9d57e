"""Helpers for driving the app under Pilot."""

from __future__ import annotations

import html
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
    await wait_until(pilot, lambda: not app.library_pane.scanning)
    await pilot.pause()


async def run_command(pilot, name: str) -> None:
    """Choose the command palette's entry `name`, as a user types it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*name)
    await pilot.pause(0.3)  # the palette searches in the background
    await pilot.press("enter")
    await pilot.pause()


async def wait_for_workers(pilot, app: TuificApp) -> None:
    """Until the library is listed and checked against the disk, and every worker
    has finished (the check's flag clears before its worker ends)."""
    pane = app.library_pane
    await wait_until(pilot, lambda: not pane.scanning and not pane._rescanning)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for_story(pilot, app: TuificApp, title: str) -> Reader:
    reader = app.query_one(Reader)
    await wait_until(
        pilot, lambda: reader.story is not None and reader.story.meta.title == title, 200
    )
    await pilot.pause()
    assert reader.story is not None and reader.story.meta.title == title
    return reader


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
    r'clip-path="url\(#[^)]*-line-([0-9]+)\)">(.*?)</text>'
)


def screen_text(app: TuificApp) -> str:
    """What the terminal shows, as lines of plain text: read from Textual's public
    screenshot (an SVG, one <text> per run of a style, placed by cell)."""
    svg = app.export_screenshot()
    width, height = app.size
    clip = re.search(r'-line-0">\s*<rect x="0" y="[0-9.]+" width="([0-9.]+)"', svg)
    assert clip is not None, "the screenshot's layout changed"
    cell = float(clip.group(1)) / width
    rows = [[" "] * width for _ in range(height)]
    for x, line, text in _SVG_TEXT.findall(svg):
        column = round(float(x) / cell)
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            if int(line) < height and column + offset < width:
                rows[int(line)][column + offset] = char
    return "\n".join("".join(row).rstrip() for row in rows)


def titles(app: TuificApp) -> list[str]:
    story_list = app.query_one(StoryList)
    return [story_list.items[i].story.meta.title for i in story_list.rows]
