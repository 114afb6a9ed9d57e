"""The background check of a cached list against the disk gives way to the keys:
it waits while the user types or moves (each key, and each filter change, starts
the wait) and otherwise runs on."""

from __future__ import annotations

import threading
import time

import pytest
from textual.widgets import Input
from uihelpers import make_app, wait_for_scan

from tuific.ui import library_control


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_keys_and_filter_changes_start_the_wait(tmp_path, size):
    library = tmp_path / "lib"
    library.mkdir()
    (library / "one.txt").write_text("Title: One\n\nText.\n", encoding="utf-8")
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        before = time.monotonic()
        await pilot.press("j")
        assert app.library_pane._keys_until > before
        pressed = app.library_pane._keys_until
        app.query_one("#filter", Input).value = "one"
        await pilot.pause()
        assert app.library_pane._keys_until > pressed


def test_the_check_waits_until_the_keys_stop(monkeypatch):
    class Check(library_control.LibraryControl):
        pass

    check = Check.__new__(Check)  # only the timing state is used
    check.keys_pressed()
    until = check._keys_until
    returned: list[float] = []
    worker = threading.Thread(
        target=lambda: (check._give_way_to_keys(), returned.append(time.monotonic()))
    )
    worker.start()
    worker.join(timeout=10)
    assert returned and returned[0] >= until
    # With no key lately it does not wait at all.
    check._keys_until = 0.0
    started = time.monotonic()
    check._give_way_to_keys()
    assert time.monotonic() - started < library_control.KEYS_FIRST_SECONDS
