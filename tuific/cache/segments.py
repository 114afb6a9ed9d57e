"""A first scan's cache written from segments: each a cache file of one batch of
stories, made by the worker process that parsed them (`encode_segment`), read by
the scan as a warm start reads the cache (`read_segment`), and joined into the
library's cache file at the end (`join_segments`, in a worker too).

The joined file is byte for byte the one `MetadataCache.save` writes for the same
entries: the scan's order is path order (see `library._walk`), the order the cache
keeps its rows in. Nothing here knows the file's layout (see layout.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tuific.cache.clean import _UNSTORABLE
from tuific.cache.columns import CachedStories
from tuific.cache.encode import _encode_rows, _storable
from tuific.cache.store import MetadataCache
from tuific.model import Story
from tuific.state.disk import remove_stale_temp_files, write_atomic

# (relative path, size, mtime_ns, story)
Row = tuple[str, int, int, Story]


def encode_segment(
    root: Path, rows: list[Row], skipped: list[list[Any]], with_head: bool = True
) -> tuple[bytes | None, list[Story]]:
    """These entries as a cache file, and the stories left out of it (odd input the
    load would refuse: listed all the same, as a scan lists them, but never cached).
    Not `with_head`: a segment, which the scan checks whole as it comes and the join
    gives a head of its own, with an empty head (its first screen would go unread:
    ~3 us a story of a worker's time)."""
    data = _encode_rows(root, rows, skipped, with_head)
    if data is not None:
        return data, []
    storable = [_storable(*row) for row in rows]
    kept = [row for row, ok in zip(rows, storable, strict=True) if ok]
    loose = [row[3] for row, ok in zip(rows, storable, strict=True) if not ok]
    skipped = [raw for raw in skipped if not _UNSTORABLE.search(raw[0] + raw[3])]
    data = _encode_rows(root, kept, skipped, with_head)
    if data is None:  # pragma: no cover - _storable missed something: list them all
        return None, [row[3] for row in rows]
    return data, loose


def read_segment(cache: MetadataCache, data: bytes) -> CachedStories | None:
    """A segment's stories, read and checked as a warm start reads the cache (None:
    it fails the checks, which segments made by `encode_segment` never do)."""
    try:
        stories, _skipped = cache._decode(data)
    except (ValueError, KeyError, TypeError, RecursionError, MemoryError):
        return None
    return stories if stories.verify() else None


def join_segments(root: Path, segments: Sequence[bytes]) -> bytes | None:
    """One cache file holding every segment's entries in turn: what
    `MetadataCache.save` writes for them (None: it would not load, which segments
    made by `encode_segment` never cause). Column by column where the segments are
    laid out as `segment_join` knows; else each segment's stories are built here (in
    a worker) and written as the cache writes them."""
    from tuific.cache.segment_join import join_columns

    joined = join_columns(root, segments)
    if joined is not None:
        return joined
    cache = MetadataCache(root, Path(os.devnull))
    rows: list[Row] = []
    skipped: list[list[Any]] = []
    for segment in segments:
        stories, failures = cache._decode(segment)
        if not stories.verify():  # pragma: no cover - see read_segment
            return None
        stamps = stories.stamps()
        for story in stories.stories():
            rows.append((cache.relative(story.path), *stamps[story.path], story))
        skipped.extend(failures)
    joined, _loose = encode_segment(root, rows, skipped)
    return joined


def write_cache(file: Path, data: bytes) -> bool:
    """Write a cache file as `MetadataCache.save` does; False when it cannot."""
    try:
        # Private: the cache lists the titles and authors of what the user reads.
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        remove_stale_temp_files(file)
        write_atomic(file, data, durable=False)
    except OSError:
        return False
    return True


def save_segments(root: Path, file: Path, segments: Sequence[bytes]) -> bool:
    """Join the segments and write them as the library's cache (in a worker process
    when there is one: the title sort makes a string per story)."""
    data = join_segments(root, segments)
    return data is not None and write_cache(file, data)
