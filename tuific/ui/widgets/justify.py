"""Justified lines for the reader: a row's gaps between words widened to fill it."""

from __future__ import annotations

from rich.segment import Segment

from tuific.layout import text_cells


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
