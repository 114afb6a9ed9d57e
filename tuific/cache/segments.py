"""A first scan's cache written from segments: each a cache file of one batch of
stories, made by the worker process that parsed them (`encode_segment`), and joined
here column by column (`join_segments`) without building a Story per row.

The joined file is byte for byte the one `MetadataCache.save` writes for the same
entries: the scan's order is path order (see `library._walk`), the order the cache
keeps its rows in. Its layout is unchanged (see layout.py).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tuific.cache.clean import _UNSTORABLE, _unclean
from tuific.cache.encode import _encode_rows, _storable
from tuific.cache.layout import _STORY_BYTE
from tuific.cache.numbers import _encode_numbers
from tuific.model import Story
from tuific.state.disk import remove_stale_temp_files, write_atomic

# (relative path, size, mtime_ns, story)
Row = tuple[str, int, int, Story]


def encode_segment(
    root: Path, rows: list[Row], skipped: list[list[Any]]
) -> tuple[bytes | None, list[Story]]:
    """These entries as a cache file, and the stories left out of it (odd input the
    load would refuse: listed all the same, as a scan lists them, but never cached)."""
    data = _encode_rows(root, rows, skipped)
    if data is not None:
        return data, []
    storable = [_storable(*row) for row in rows]
    kept = [row for row, ok in zip(rows, storable, strict=True) if ok]
    loose = [row[3] for row, ok in zip(rows, storable, strict=True) if not ok]
    skipped = [raw for raw in skipped if not _UNSTORABLE.search(raw[0] + raw[3])]
    data = _encode_rows(root, kept, skipped)
    if data is None:  # pragma: no cover - _storable missed something: list them all
        return None, [row[3] for row in rows]
    return data, loose


def _parts(data: bytes) -> tuple[dict[str, Any], dict[str, memoryview]]:
    end = data.index(b"\n")
    header = json.loads(data[:end])
    texts, at, view = {}, end + 1, memoryview(data)
    for name, size in header["texts"]:
        texts[name] = view[at : at + size]
        at += size
    return header, texts


def join_segments(root: Path, segments: Sequence[bytes]) -> bytes | None:
    """One cache file holding every segment's entries in turn (None: it would not
    load, which segments made by `encode_segment` never cause)."""
    parts = [_parts(data) for data in segments]
    skipped = [raw for header, _texts in parts for raw in header["skipped"]]
    filled = [(header, texts) for header, texts in parts if header["count"]]
    if not filled:
        return _encode_rows(root, [], skipped)
    first = filled[0][0]
    count = sum(header["count"] for header, _texts in filled)
    texts = {
        name: _STORY_BYTE.join([texts[name] for _header, texts in filled])
        for name, _size in first["texts"]
    }
    numbers = {
        name: base64.b64encode(
            b"".join([base64.b64decode(header["numbers"][name]) for header, _texts in filled])
        ).decode("ascii")
        for name in first["numbers"]
    }
    masks = {
        name: "".join(header["masks"][name] for header, _texts in filled) for name in first["masks"]
    }
    lone: dict[str, list[int]] = {name: [] for name in first["lone_empty"]}
    offset = 0
    for header, _texts in filled:
        for name, indices in header["lone_empty"].items():
            lone[name].extend(index + offset for index in indices)
        offset += header["count"]
    header = {**first, "count": count, "numbers": numbers, "masks": masks,
              "lone_empty": lone, "skipped": skipped}
    # Each segment's title order is its own: the whole file's is sorted from the
    # joined columns (read back as the load reads them, which checks them all).
    numbers["title_order"] = _encode_numbers("title_order", range(count)) or ""
    data = _file(header, texts)
    if data is None:
        return None
    from tuific.cache.store import MetadataCache
    from tuific.sorting import sort_indices

    try:
        stories, _skipped = MetadataCache(root, Path(os.devnull))._decode(data)
    except (ValueError, KeyError, TypeError):  # pragma: no cover - see encode_segment
        return None
    order = sort_indices(stories, [], "title", list(range(count)))
    numbers["title_order"] = _encode_numbers("title_order", order) or ""
    return _file(header, texts)


def _file(header: dict[str, Any], texts: dict[str, bytes]) -> bytes | None:
    header["texts"] = [[name, len(data)] for name, data in texts.items()]
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
    if _unclean(head):  # pragma: no cover - the segments' headers passed it
        return None
    return b"".join([head, b"\n", *texts.values()])


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
