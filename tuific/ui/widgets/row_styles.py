"""Styling one row of the reader: style layers (dialogue, emphasis, search matches)
cut into runs, justified lines, centred ones. No widget state."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.css.styles import StylesBase
from textual.strip import Strip
from textual.widget import Widget

from tuific.layout import text_cells

ITALIC = Style(italic=True)  # emphasis; inside italic speech (NO_COLOR) it is set upright
_UPRIGHT = Style(italic=False)


def component_style(widget: Widget, name: str) -> Style:
    """A component's style to add to a row's, its colour resolved against the widget's
    background: a partial style leaves a translucent or `auto` colour (as
    `$text-muted` is) unresolved, which Rich then draws as plain white."""
    partial = widget.get_component_rich_style(name, partial=True)
    if partial.color is None:
        return partial
    return partial + Style(color=widget.get_component_rich_style(name).color)


def centred(text: str, style: Style, base: Style, width: int) -> Strip:
    """`text` in the middle of a row `width` cells wide."""
    pad = max(0, (width - text_cells(text)) // 2)
    strip = Strip([Segment(" " * pad, base), Segment(text, style)])
    return strip.extend_cell_length(width, base).crop(0, width)


def layered_segments(
    text: str, start: int, base: Style, layers: list[tuple[int, int, Style]]
) -> list[Segment]:
    """`text` (which starts at offset `start` of its paragraph) cut into runs that share
    a style, each run's style the base plus every layer covering it, in order."""
    if not layers:
        return [Segment(text, base)]
    end = start + len(text)
    cuts = {start, end}
    for span_start, span_end, _ in layers:
        cuts.add(min(max(span_start, start), end))
        cuts.add(min(max(span_end, start), end))
    ordered = sorted(cuts)
    segments = []
    for left, right in zip(ordered, ordered[1:], strict=False):
        if left == right:
            continue
        style = base
        for span_start, span_end, layer in layers:
            if span_start <= left and right <= span_end:
                if layer is ITALIC and style.italic:
                    # Emphasis in italic dialogue (NO_COLOR) is set upright, as in print.
                    layer = _UPRIGHT
                style = style + layer
        segments.append(Segment(text[left - start : right - start], style))
    return segments


def justify(segments: list[Segment], width: int) -> list[Segment]:
    """Widen the gaps between words so the line fills `width` cells."""
    text = "".join(segment.text for segment in segments)
    gaps = text.count(" ")
    extra = width - text_cells(text)
    if gaps == 0 or extra <= 0 or extra > gaps * 3:
        return segments
    gap = 0
    result = []
    for segment in segments:
        pieces = []
        for char in segment.text:
            if char == " ":
                # Spread the extra cells evenly along the line, not all at its start.
                added = (gap + 1) * extra // gaps - gap * extra // gaps
                pieces.append(" " * (1 + added))
                gap += 1
            else:
                pieces.append(char)
        result.append(Segment("".join(pieces), segment.style))
    return result


def highlight_style(styles: StylesBase, base: Style) -> Style:
    """A highlight's style (a search match) from its component `styles`, laid over the
    text's `base`. Textual's partial style drops a translucent background's alpha, so
    `$warning 40%` came out at full strength under text meant for a faint tint; and a
    colour the theme gives the text that is unreadable on the result (the light
    theme's page colour on its orange) gives way to black or white."""
    partial = styles.partial_rich_style
    background = styles.background
    if not styles.has_rule("background") or background.ansi is not None or base.bgcolor is None:
        return partial  # the terminal's palette has no half-tones to blend
    under = Color.from_rich_color(base.bgcolor, foreground=False)
    if under.ansi is not None:
        return partial
    fill = under + background
    style = Style(bgcolor=fill.rich_color)
    if styles.has_rule("color") and styles.color.ansi is None:
        colour = fill + styles.color
        if contrast(colour, fill) < 4.5:
            colour = fill.get_contrast_text(1.0)
        style += Style(color=colour.rich_color)
    return style + styles.text_style


def luminance(rgb: Sequence[float]) -> float:
    """Relative luminance (WCAG) of an RGB colour with channels in 0..1."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: Color, other: Color) -> float:
    """The WCAG contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted(
        (luminance([c / 255 for c in one.rgb]), luminance([c / 255 for c in other.rgb])),
        reverse=True,
    )
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=64)
def readable_on(style: Style, page: RichColor | None, minimum: float = 4.5) -> Style:
    """`style` with its colour darkened (on a light page) or lightened (on a dark one)
    just enough to read at `minimum` contrast, its hue kept: the light theme's
    dialogue, its accent darkened as far as the theme goes, read at 3.1:1."""
    if style.color is None or page is None or style.color.triplet is None:
        return style  # the terminal's own palette: its colours are the user's
    if page.triplet is None:
        return style
    text, under = Color.from_rich_color(style.color), Color.from_rich_color(page)
    if contrast(text, under) >= minimum:
        return style
    hue, lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in text.rgb))
    darker = contrast(Color(0, 0, 0), under) > contrast(Color(255, 255, 255), under)
    near, far = lightness, (0.0 if darker else 1.0)  # `far` always reads
    for _ in range(20):
        mid = (near + far) / 2
        red, green, blue = colorsys.hls_to_rgb(hue, mid, saturation)
        if contrast(Color(int(red * 255), int(green * 255), int(blue * 255)), under) >= minimum:
            far = mid
        else:
            near = mid
    red, green, blue = colorsys.hls_to_rgb(hue, far, saturation)
    colour = RichColor.from_rgb(red * 255, green * 255, blue * 255)
    return style + Style(color=colour)
