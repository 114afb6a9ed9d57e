"""Saving the reading state: settled-place saves off the UI thread, saves at once on a
story switch or quit, and a save before exiting on a hang-up (SIGHUP) or SIGTERM.

A hang-up always ends the process: when the terminal is gone, Textual's shutdown can
block for ever writing to it (its writer thread's queue full). So the signal handler
is a plain Python one, which runs even while the event loop is stuck, and it starts a
watchdog that saves and ends the process if the shutdown has not within
HANGUP_GRACE_SECONDS; a second signal ends it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from textual import work

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from tuific.state import StateStore
    from tuific.ui.library_pane import LibraryPane

SAVE_DELAY = 1.5  # seconds the reading place must settle before it is written
HANGUP_GRACE_SECONDS = 2.0  # for Textual's own shutdown after a hang-up
FIRST_SCAN_WAIT = 5.0  # seconds `q` waits for a first scan's cache file to be written
_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


# The app's parts are plain mixins: an App subclass each cost ~0.3 ms of every start
# (Textual's metaclass and __init_subclass__ run per class). Type checkers see App.
if TYPE_CHECKING:
    _AppBase = App[None]
else:
    _AppBase = object


class SavingControl(_AppBase):
    """The app's half that writes the state file (a mixin of TuificApp)."""

    state: StateStore
    _save_timer: Timer | None
    if TYPE_CHECKING:  # TuificApp's (a stub would shadow it)

        @property
        def library_pane(self) -> LibraryPane: ...

    def _schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_in_background)

    @work(thread=True, exclusive=True, group="save")
    def _save_in_background(self) -> None:
        # A state file of thousands of stories takes a while to merge and write:
        # the settled-position save must not freeze the reader while it does.
        self.state.save()
        self.call_from_thread(self._show_state_notices)

    def _save_now(self) -> None:
        """Save at once (story switch, quit): the store's lock orders it after any
        background save already under way."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self.state.save()
        self._show_state_notices()

    def _show_state_notices(self) -> None:
        # save() reports I/O trouble as notices rather than raising.
        for notice in self.state.take_notices():
            self.notify(notice, severity="error", timeout=10, markup=False)

    def _install_signal_handlers(self) -> None:
        # A dropped SSH link sends SIGHUP: save the place before anything else.
        self._hanging_up = False
        self._previous_handlers: dict[int, Any] = {}
        try:
            self._signal_loop = asyncio.get_running_loop()
            for signum in _SIGNALS:
                self._previous_handlers[signum] = signal.signal(signum, self._on_signal)
        except (RuntimeError, ValueError, AttributeError):
            pass  # not the main thread, or no such signal here

    def _restore_signal_handlers(self) -> None:
        for signum, handler in getattr(self, "_previous_handlers", {}).items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signum, handler)
        self._previous_handlers = {}

    def _on_signal(self, signum: int, _frame: Any) -> None:
        if self._hanging_up:
            os._exit(128 + signum)  # asked twice: stop waiting for anything
        self._hanging_up = True
        threading.Thread(
            target=self._end_anyway, args=(signum,), name="tuific-hangup", daemon=True
        ).start()
        with contextlib.suppress(RuntimeError):  # the loop may be closed already
            self._signal_loop.call_soon_threadsafe(self._on_terminate_signal)

    def _end_anyway(self, signum: int) -> None:
        """The watchdog: if the process is still here after the grace period, the
        shutdown is stuck (the terminal is gone): save and end it."""
        time.sleep(HANGUP_GRACE_SECONDS)
        try:
            message = self.state.save_or_keep()
            if message:
                with contextlib.suppress(Exception):
                    print(f"tuific: {message}", file=sys.stderr, flush=True)
        finally:
            os._exit(128 + signum)

    def _on_terminate_signal(self) -> None:
        self.state.stop_preload()
        try:
            self.state.save()
        finally:
            self.exit()

    async def action_quit(self) -> None:
        self.state.stop_preload()  # quitting: the save needs the CPU, not the history
        self._save_now()
        pane = self.library_pane
        if not pane.wait_for_first_scan(0):
            self.notify("Saving the library's list…", timeout=FIRST_SCAN_WAIT, markup=False)
            await asyncio.to_thread(pane.wait_for_first_scan, FIRST_SCAN_WAIT)
        self.exit()

    def on_unmount(self) -> None:
        self.state.stop_preload()
        self._save_now()
        self._restore_signal_handlers()
        self.closed_down = True  # threads still at work call the app no more
