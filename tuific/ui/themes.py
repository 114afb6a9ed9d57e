"""tuific's own themes (two reading themes and one in the terminal's own palette), the
short list `t` cycles through, and which theme a terminal starts in.

A terminal that reports fewer than 256 colours (a bare TERM=xterm, the Linux console,
some mosh and serial set-ups) starts in `ansi`: its colours are the terminal's sixteen
and its background the terminal's own, so nothing is approximated from true colour.
The theme chosen there is remembered apart from the one chosen on a richer terminal:
the same state file serves both, and each deserves its own choice.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.filter import LineFilter, Monochrome, NoColor
from textual.theme import Theme

SEPIA = Theme(
    name="sepia",
    dark=False,
    background="#f4ecd8",
    surface="#ece2c8",
    panel="#e3d6b6",
    foreground="#3b2e1e",
    primary="#7b4b2a",
    secondary="#8c6a46",
    accent="#9a3412",  # dialogue: rust, 6.2:1 against the page
    warning="#a15c07",
    error="#a4262c",
    success="#4d7326",
    variables={
        "text-muted": "#6b5a44",  # 5.6:1: dim columns and finished rows stay legible
        "block-cursor-foreground": "#fbf6ea",
        "block-cursor-background": "#7b4b2a",
        "block-cursor-blurred-background": "#dccdaa",
        "block-cursor-blurred-foreground": "#3b2e1e",
        "footer-key-foreground": "#7b4b2a",
        "footer-background": "#e3d6b6",
        "footer-foreground": "#3b2e1e",
        "footer-description-foreground": "#3b2e1e",
    },
)

HIGH_CONTRAST_LIGHT = Theme(
    name="high-contrast-light",
    dark=False,
    background="#ffffff",
    surface="#ffffff",
    panel="#eeeeee",
    foreground="#000000",
    primary="#0036a3",
    secondary="#0050c8",
    accent="#7a0a8c",  # dialogue: deep purple, 9:1 against white
    warning="#7a4b00",
    error="#b00020",
    success="#00662c",
    text_alpha=1.0,
    variables={
        "text-muted": "#3d3d3d",  # 10.9:1: "muted" still means readable on e-ink
        "block-cursor-foreground": "#ffffff",
        "block-cursor-background": "#000000",
        "block-cursor-blurred-background": "#cfcfcf",
        "block-cursor-blurred-foreground": "#000000",
        "footer-key-foreground": "#0036a3",
        "footer-background": "#eeeeee",
        "footer-foreground": "#000000",
        "footer-description-foreground": "#000000",
    },
)

# The terminal's own palette: named ANSI colours, the terminal's default foreground
# and background. Magenta and blue read on light and dark backgrounds alike.
ANSI = Theme(
    name="ansi",
    ansi=True,
    dark=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    accent="ansi_magenta",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    variables={
        "block-cursor-foreground": "ansi_bright_white",
        "block-cursor-background": "ansi_blue",
        "block-cursor-blurred-foreground": "ansi_default",
        "block-cursor-blurred-background": "ansi_default",
        "footer-key-foreground": "ansi_magenta",
        # Textual's own stylesheets use these and generate them only for other themes.
        "ansi-background": "ansi_default",
        "ansi-foreground": "ansi_default",
    },
)

OWN_THEMES = (SEPIA, HIGH_CONTRAST_LIGHT, ANSI)

# What `t` steps through: the two defaults, the reading themes, the terminal's palette.
READING_CYCLE = ("textual-dark", "textual-light", "sepia", "high-contrast-light", "ansi")

DEFAULT_THEME = "textual-dark"
FEW_COLOURS_THEME = "ansi"


def few_colours(color_system: str | None) -> bool:
    """Whether a terminal with this (Rich) colour system shows fewer than 256 colours."""
    return color_system not in ("256", "truecolor")


def pref_key(color_system: str | None) -> str:
    """The state preference that remembers the theme chosen on such a terminal."""
    return "theme_16" if few_colours(color_system) else "theme"


def default_theme(color_system: str | None, configured: str | None) -> str:
    """The theme to start in when none has been chosen on this kind of terminal."""
    if configured:
        return configured
    return FEW_COLOURS_THEME if few_colours(color_system) else DEFAULT_THEME


def next_theme(current: str) -> str:
    """The reading theme after `current` (the first, from a theme not in the cycle)."""
    if current not in READING_CYCLE:
        return READING_CYCLE[0]
    return READING_CYCLE[(READING_CYCLE.index(current) + 1) % len(READING_CYCLE)]


_NO_COLOR = NoColor()
_MONOCHROME = Monochrome()


def no_color_filters(filters: Sequence[LineFilter], native_ansi: bool) -> list[LineFilter]:
    """The app's line filters with the NO_COLOR one that suits the theme now shown.

    Textual picks it once, for the theme it starts in: greys (Monochrome) for an RGB
    theme, the terminal's default colours (NoColor) for an ANSI one. Switched to the
    ansi theme under greys, every palette colour turns black: black text on black.
    """
    wanted = _NO_COLOR if native_ansi else _MONOCHROME
    return [wanted if isinstance(f, (NoColor, Monochrome)) else f for f in filters]
