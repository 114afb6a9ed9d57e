"""A cache file with a few entries changed, made without building every story.

A check against the disk that finds one story changed (a work in progress updated)
used to build every cached story (~1.2 s at 100,000 stories) and encode them all
again (~2.2 s), holding the GIL in the app's scan thread. Here the old file is cut
into runs of unchanged stories, taken column by column as they are, and joined with
a segment of the changed ones (`segment_join.join_parts`, which sorts the title
order, makes the head and checks the result by reading it back). The file is byte
for byte what `MetadataCache.save` writes for the same entries (tests).
"""

from __future__ import annotations

import base64
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from functools import partial
from itertools import accumulate, islice
from operator import lt
from pathlib import Path
from typing import Any

from tuific.cache.columns import CachedStories
from tuific.cache.head import head_row
from tuific.cache.layout import _STORY_BYTE, _signature
from tuific.cache.segment_join import Part, join_parts, parts_of
from tuific.model import Story

Row = tuple[int, int, Story]  # size, mtime_ns, the story (MetadataCache's rows)
# More changed than this share of the stories: encoding them all is as quick.
PATCH_SHARE = 0.25


def patched_file(
    root: Path,
    base: CachedStories,
    changed: Mapping[str, Row | None],
    skipped: list[list[Any]],
) -> bytes | None:
    """The file for `base` (a verified file's stories) with `changed` applied (rel ->
    its new row, or None: gone), and `skipped` as its failures; None when it is not
    made so (then every story is built and encoded, as before)."""
    count = len(base)
    if sys.byteorder == "big" or base.broken or len(changed) > PATCH_SHARE * max(count, 1):
        return None
    rels: list[str] = base.values("rel")
    if not all(map(lt, rels, islice(rels, 1, None))):
        return None  # not in path order (not a file tuific wrote): cannot merge
    try:
        return _patched(root, base, rels, changed, skipped)
    except (ValueError, KeyError, TypeError):  # a segment not as segment_join knows
        return None


def _patched(
    root: Path,
    base: CachedStories,
    rels: list[str],
    changed: Mapping[str, Row | None],
    skipped: list[list[Any]],
) -> bytes | None:
    from tuific.cache.segments import encode_segment

    count = len(base)
    gone = [i for i in map(partial(sorted_index, rels), sorted(changed)) if i is not None]
    added = sorted((rel, *row) for rel, row in changed.items() if row is not None)
    cutter = _Cutter(base)
    parts: list[Part] = []
    # Each part's head entries: old stories' from the old head (or built from the
    # old columns), new ones' from their rows; None when unknown (then the join
    # builds them from the joined columns, which costs it a split of every column).
    sources: list[Callable[[int], dict[str, Any] | None] | None] = []

    def take_old(start: int, stop: int) -> None:
        # Stories start..stop-1 of the old file, less those changed or gone.
        for index in [*gone[bisect_left(gone, start) : bisect_left(gone, stop)], stop]:
            if start < index:
                parts.append(cutter.part(root, start, index))
                sources.append(partial(_old_entry, base, rels, start))
            start = index + 1

    def take_new(rows: list[tuple[str, int, int, Story]]) -> None:
        if rows:
            data, loose = encode_segment(root, rows, [], with_head=False)
            if data is not None:  # else no row could be stored
                parts.append(parts_of(data))
                sources.append(None if loose else lambda at: head_row(*rows[at]))

    # In path order, as the file keeps its rows: runs of old stories and of new rows.
    at, run = 0, list[tuple[str, int, int, Story]]()
    for row in added:
        position = bisect_left(rels, row[0])
        if position > at:
            take_new(run)
            take_old(at, position)
            at, run = position, []
        run.append(row)
    take_new(run)
    take_old(at, count)
    if not parts:
        return None  # no story left: nothing to gain
    # The failures go with the first part: the join keeps every part's in turn.
    header, numbers, texts = parts[0]
    parts[0] = ({**header, "skipped": skipped}, numbers, texts)
    starts = list(accumulate((part[0]["count"] for part in parts), initial=0))

    def known(index: int) -> dict[str, Any] | None:
        which = bisect_right(starts, index) - 1
        source = sources[which]
        return None if source is None else source(index - starts[which])

    return join_parts(root, parts, known)


def _old_entry(base: CachedStories, rels: list[str], first: int, at: int) -> dict[str, Any]:
    """The head entry of old story `first + at`."""
    index = first + at
    entry = base._head.get(index)  # the old head's, checked with the columns
    if entry is None:
        size, mtime_ns = base.value("size", index), base.value("mtime_ns", index)
        entry = head_row(rels[index], size, mtime_ns, base.story(index))
    return entry


def sorted_index(rels: list[str], rel: str) -> int | None:
    """Where `rel` is in the sorted `rels`, or None."""
    at = bisect_left(rels, rel)
    return at if at < len(rels) and rels[at] == rel else None


class _Cutter:
    """Runs of a verified file's stories as segment parts, cut out of its columns."""

    def __init__(self, stories: CachedStories) -> None:
        self._stories = stories
        self._lengths: dict[str, list[int]] = {}  # column -> each story's value's

    def _start(self, name: str, index: int) -> int:
        """Where story `index` (or, for the count, the column's end + 1) starts."""
        lengths = self._lengths.get(name)
        if lengths is None:
            data = self._stories._data
            start, end = self._stories._spans[name]
            # At C speed; mostly small ints, which Python does not allocate.
            lengths = self._lengths[name] = list(map(len, data[start:end].split(_STORY_BYTE)))
        # After the column's start, the values before it and a separator each.
        return self._stories._spans[name][0] + sum(lengths[:index]) + index

    def part(self, root: Path, first: int, stop: int) -> Part:
        """Stories first..stop-1 as the join reads a segment (parts_of)."""
        stories = self._stories
        view = memoryview(stories._data)
        texts: dict[str, Any] = {}
        for name in stories._spans:
            texts[name] = view[self._start(name, first) : self._start(name, stop) - 1]
        count = stop - first
        numbers: dict[str, str] = {}
        for name in stories._stored_numbers:
            if name == "title_order":
                continue
            column = stories._numbers[name]
            if name == "chapter_paragraphs":
                chapters = stories._chapter_starts()
                piece = column[chapters[first] : chapters[stop]]
            else:
                piece = column[first:stop]
            numbers[name] = base64.b64encode(piece.tobytes()).decode("ascii")
        masks = {name: mask[first:stop] for name, mask in stories._masks.items()}
        lone = {
            name: [i - first for i in indices if first <= i < stop]
            for name, indices in stories._lone.items()
        }
        header = {
            "signature": _signature(),
            "root": str(root),
            "count": count,
            "texts": [[name, len(text)] for name, text in texts.items()],
            "title_order": "",  # the join sorts the joined stories itself
            "lone_empty": lone,
            "skipped": [],
        }
        return header, {"numbers": numbers, "masks": masks}, texts
