"""The output layer draws the very same screens as Textual's own output (issue 14).

Real sessions of the app are recorded frame by frame (tests/output_sessions.py:
Textual renders each frame and writes it as to a terminal), then Textual's own
stream and the optimised one are fed to two pyte screens and compared after
every write: characters, colours, bold, italics, underline, strike, reverse and
blink of every cell.
"""

from __future__ import annotations

import pytest
import textual.constants

from tests.output_sessions import optimise, record, replay_both
from tests.uihelpers import make_app, wait_for_scan
from tuific.resources import demo_dir


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause(0.05)


async def reader_session(pilot) -> None:
    """The reader at 80x24: pages, lines, jumps, chapters, dialogs, help, theme, resize."""
    await wait_for_scan(pilot, pilot.app)
    await press(pilot, "enter", "space", "space", "j", "j", "j", "k", "b", "pagedown", "pageup")
    await press(pilot, "G", "g", "right_square_bracket", "left_square_bracket", "m")
    await press(pilot, "c", "down", "escape", "question_mark", "j", "space", "escape")
    await press(pilot, "slash", "t", "h", "e", "enter", "n", "escape", "t")
    await pilot.resize_terminal(100, 30)
    await press(pilot, "j", "space")
    await pilot.resize_terminal(80, 24)
    await press(pilot, "j", "k")


async def panes_session(pilot) -> None:
    """Three panes, then two, then one; the list, the panel, and moving between them."""
    await wait_for_scan(pilot, pilot.app)
    await press(pilot, "enter", "j", "j", "space", "space", "k", "b")
    await press(pilot, "h", "j", "space", "i", "j", "j", "k", "space", "b", "i", "h")
    await press(pilot, "tab", "down", "down", "enter", "j", "space")
    await press(pilot, "question_mark", "space", "escape", "exclamation_mark", "escape")


async def wide_session(pilot) -> None:
    await wait_for_scan(pilot, pilot.app)
    await press(pilot, "enter", "space", "j", "j", "h", "i", "j", "space", "k", "b")
    await press(pilot, "question_mark", "escape", "i", "h")
    await pilot.resize_terminal(120, 32)
    await press(pilot, "j", "space")


SESSIONS = [
    pytest.param(reader_session, (80, 24), "256", id="80x24-256-reader"),
    pytest.param(reader_session, (80, 24), "standard", id="80x24-16-reader"),
    pytest.param(panes_session, (120, 32), "truecolor", id="120x32-24bit-panes"),
    pytest.param(wide_session, (160, 50), "truecolor", id="160x50-24bit-wide"),
]


def assert_same_screens(writes, erase_uses_pen: bool = True) -> list[str]:
    optimised = optimise(writes, erase_uses_pen)
    for index, raw, better in replay_both(writes, optimised):
        if raw != better:
            wrong = [
                (y, x, raw[y][x], better[y][x])
                for y in range(len(raw))
                for x in range(len(raw[y]))
                if raw[y][x] != better[y][x]
            ]
            pytest.fail(f"write {index}: {len(wrong)} cells differ, first {wrong[:3]}")
    return optimised


@pytest.mark.parametrize("session, size, colours", SESSIONS)
async def test_recorded_session_draws_the_same_cells(monkeypatch, session, size, colours):
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", colours)
    writes = await record(make_app(demo_dir()), size, session)
    frames = [data for data, _ in writes if "\x1b[" in data]
    assert len(frames) >= 20  # the session did draw: keys were handled
    optimised = assert_same_screens(writes)
    raw_bytes = sum(len(data.encode()) for data, _ in writes)
    optimised_bytes = sum(len(data.encode()) for data in optimised)
    assert optimised_bytes * 3 < raw_bytes
    # The scroll region was used (line scrolls in the one-pane layout), and compared.
    assert any("\x1bD" in data or "\x1bM" in data for data in optimised)


async def test_without_background_colour_erase_the_screens_match_too(monkeypatch):
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "256")
    writes = await record(make_app(demo_dir()), (80, 24), reader_session)
    optimised = assert_same_screens(writes, erase_uses_pen=False)
    assert not any("\x1b[K" in data or "\x1b[2J" in data for data in optimised)
