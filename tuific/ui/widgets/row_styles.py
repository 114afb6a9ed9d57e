"""Styling one row of the reader: style layers (dialogue, emphasis, search matches)
cut into runs, justified lines, centred ones. No widget state."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tuific.layout import text_cells

ITALIC = Style(italic=True)  # emphasis; inside italic speech (NO_COLOR) it is set upright
_UPRIGHT = Style(italic=False)


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
