"""Keys typed while a story opens go to the story.

Over SSH a burst such as Enter, space, space arrives at once: the story is read in a
worker, and the spaces reached the list (moving its cursor) before the reader took
the focus. From asking for a story until it is on screen (at most HOLD_SECONDS),
keys are held, then handed on in order to whatever has the focus then: the reader,
or the list again if the story could not be opened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events

HOLD_SECONDS = 2.0  # a story slower than this to open: the keys go where they would
HOLD_KEYS = 64
# Quitting never waits for a story to open.
NEVER_HELD = frozenset({"ctrl+c", "ctrl+q"})
QUIT_ACTIONS = frozenset({"quit", "app.quit"})


class TypeAhead:
    """Mixed into TuificApp before Textual's App (its `on_event` comes first)."""

    _held: list[events.Key] | None = None
    _held_until = 0.0
    _handing_on = False  # the hand-over is queued: keys before it are still held
    # Does this key, on the widget with the focus, open a story? (ReadingControl's: an
    # annotation, as a method here would shadow it.)
    key_opens_story: Callable[[str], bool]

    def hold_keys(self) -> None:
        """Hold the keys that come from now until `hand_on_keys`."""
        if self._held is None:
            self._held = []
        self._held_until = time.monotonic() + HOLD_SECONDS

    def hand_on_keys(self) -> None:
        """The story is shown (or failed): the keys held go on, after those already
        queued (which are held too, in order)."""
        if self._held is not None and not self._handing_on:
            self._handing_on = True
            # Once the screen is laid out: a page down before the reader has its size
            # (the list gave way to it at 80 columns) moved nothing.
            self.call_after_refresh(self._hand_on)  # type: ignore[attr-defined]

    async def _hand_on(self) -> None:
        held, self._held, self._handing_on = self._held or [], None, False
        for key in held:
            await super().on_event(key)  # type: ignore[misc]

    async def on_event(self, event: Any) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._holds(event):
                return
            if self.key_opens_story(event.key):
                # From this key on, not from the open it asks for: the keys after it
                # in the same burst are queued before the open is.
                self.hold_keys()
        await super().on_event(event)  # type: ignore[misc]

    def _quits(self, key: str) -> bool:
        active = self.active_bindings.get(key)  # type: ignore[attr-defined]
        return active is not None and active.binding.action in QUIT_ACTIONS

    def _holds(self, event: events.Key) -> bool:
        held = self._held
        if held is None or event.key in NEVER_HELD or self._quits(event.key):
            return False
        if time.monotonic() > self._held_until or len(held) >= HOLD_KEYS:
            self.hand_on_keys()  # this key, and those held, go on in order
        held.append(event)
        return True
