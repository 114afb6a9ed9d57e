"""Installs the output optimiser in Textual through the `driver_class` hook.

Textual has no public hook for the bytes of a frame other than the driver's
`write`: `App._display` renders each frame to one string and calls
`driver.write` once with it. A `LinuxDriver` subclass that rewrites that string
is the whole workaround; nothing of Textual's private state is touched, apart
from reading the app's size (public `App.size`) to know the frame's screen.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from textual.drivers.linux_driver import LinuxDriver

from tuific.ui.output.encoder import OutputOptimiser

# Terminals whose erase (EL/ED) fills with the current background (BCE), by TERM prefix.
BCE_TERMS = ("xterm", "tmux", "screen", "rxvt", "alacritty", "foot", "vte", "linux", "wezterm")


def erase_uses_pen(env: Mapping[str, str]) -> bool:
    """Whether this terminal erases in the current background colour (most do)."""
    term = env.get("TERM", "")
    return term.startswith(BCE_TERMS) or env.get("TERM_PROGRAM", "") in (
        "iTerm.app", "WezTerm", "vscode", "Apple_Terminal"
    ) or "WT_SESSION" in env  # fmt: skip


def optimised_output_wanted(env: Mapping[str, str]) -> bool:
    """On unless TUIFIC_RAW_OUTPUT is set, or another Textual driver was asked for."""
    return not env.get("TUIFIC_RAW_OUTPUT") and not env.get("TEXTUAL_DRIVER")


class OptimisingDriver(LinuxDriver):
    """Textual's Linux driver, writing the difference between frames instead of each frame."""

    def __init__(self, app, **kwargs) -> None:
        super().__init__(app, **kwargs)
        self._optimiser: OutputOptimiser | None = None

    def write(self, data: str) -> None:
        width, height = self._app.size
        optimiser = self._optimiser
        if optimiser is None:
            optimiser = self._optimiser = OutputOptimiser(
                width, height, erase_uses_pen=erase_uses_pen(os.environ)
            )
        data = optimiser.feed(data, (width, height))
        if data:
            super().write(data)
