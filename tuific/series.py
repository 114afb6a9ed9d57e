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


def series_groups(stories: StoryColumns) -> dict[str, list[int]]:
    """Every series (casefolded name) -> its parts' indices in reading order: one
    pass over the columns, for the caller to keep while the listing stays."""
    groups: dict[str, list[int]] = {}
    for index, name in enumerate(stories.values("series")):
        if name:
            groups.setdefault(name.casefold(), []).append(index)
    if not groups:
        return groups
    numbers, titles = stories.values("series_index"), stories.values("title")
    for parts in groups.values():
        keys = title_keys([titles[i] for i in parts])
        order = sorted(
            range(len(parts)),
            key=lambda k: (_LAST if numbers[parts[k]] is None else numbers[parts[k]], keys[k]),
        )
        parts[:] = [parts[k] for k in order]
    return groups


def series_place(
    stories: StoryColumns, index: int, groups: dict[str, list[int]] | None = None
) -> SeriesPlace | None:
    """The series of the story at `index` and its parts, or None (no series).
    `groups`: `series_groups(stories)`, if kept."""
    name = stories.value("series", index)
    if not name:
        return None
    parts = (series_groups(stories) if groups is None else groups).get(name.casefold(), [])
    if index not in parts:
        return None
    return SeriesPlace(name, parts, parts.index(index))


def series_summary(place: SeriesPlace, reads: Sequence[str]) -> str:
    """For the metadata panel: "part 2 of 3 · 1 read · 2 left"; `reads` holds
    the read state of each of `place.parts`."""
    done = sum(read == "finished" for read in reads)
    left = len(reads) - done
    return f"part {place.position + 1} of {len(place.parts)} · {done} read · {left} left"
