"""Saving the reading state: settled-place saves off the UI thread, saves at once on a
story switch or quit, and a save before exiting on a hang-up (SIGHUP) or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

if TYPE_CHECKING:
    from textual.timer import Timer

    from tuific.state import StateStore

SAVE_DELAY = 1.5  # seconds the reading place must settle before it is written


class SavingControl(App[None]):
    """The app's half that writes the state file (a mixin of TuificApp)."""

    state: StateStore
    _save_timer: Timer | None

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
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_terminate_signal)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass

    def _on_terminate_signal(self) -> None:
        self.state.stop_preload()
        try:
            self.state.save()
        finally:
            self.exit()

    async def action_quit(self) -> None:
        self.state.stop_preload()  # quitting: the save needs the CPU, not the history
        self._save_now()
        self.exit()

    def on_unmount(self) -> None:
        self.state.stop_preload()
        self._save_now()
