"""Series read as one: the parts of a story's series in the library, in order, and
what the reader has read of them.

Parts are the listed stories whose series name matches (casefolded, as the series
sort compares it), ordered by part number (unnumbered parts last) and then by
title, the order `series:` sorting gives. Pure: no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tuific.model import StoryColumns
from tuific.sorting import _LAST, title_keys


class SeriesPlace(NamedTuple):
    """Where one story sits in its series, as listed."""

    name: str
    parts: list[int]  # listing indices of every part, in reading order
    position: int  # this story's place in `parts`

    @property
    def next_part(self) -> int | None:
        following = self.position + 1
        return self.parts[following] if following < len(self.parts) else None


def series_place(stories: StoryColumns, index: int) -> SeriesPlace | None:
    """The series of the story at `index` and its parts, or None (no series)."""
    name = stories.value("series", index)
    if not name:
        return None
    wanted = name.casefold()
    names = stories.values("series")
    found = [i for i, other in enumerate(names) if other and other.casefold() == wanted]
    numbers = stories.values("series_index")
    titles = title_keys([stories.value("title", i) for i in found])
    order = sorted(
        range(len(found)),
        key=lambda k: (_LAST if numbers[found[k]] is None else numbers[found[k]], titles[k]),
    )
    parts = [found[k] for k in order]
    return SeriesPlace(name, parts, parts.index(index))


def series_summary(place: SeriesPlace, reads: Sequence[str]) -> str:
    """For the metadata panel: "part 2 of 3 · 1 read · 2 left"; `reads` holds
    the read state of each of `place.parts`."""
    done = sum(read == "finished" for read in reads)
    left = len(reads) - done
    return f"part {place.position + 1} of {len(place.parts)} · {done} read · {left} left"
