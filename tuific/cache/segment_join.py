"""Segments joined column by column, at C speed (format 5, see layout.py): the text
columns, numbers and masks of each segment one after another, the title order sorted
from the joined columns and the head made for it. `cache.segments.join_segments`
uses it when the segments are laid out as this module knows, and checks the result
by reading it back; otherwise (another format) it rebuilds every story, which at
100,000 stories takes a worker ~6 s against ~0.5 s here.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from tuific.cache.clean import _unclean, _unclean_text
from tuific.cache.head import head_of
from tuific.cache.layout import _STORY_BYTE, _TEXT_COLUMNS
from tuific.cache.numbers import _encode_numbers
from tuific.model import Story

# The header's keys, in the order `_encode_rows` writes them.
_HEADER_KEYS = ("signature", "root", "count", "texts", "title_order", "lone_empty", "skipped")


class _Unknown(ValueError):
    """Segments not laid out as this module knows."""


# A segment's header, numbers line and text columns (bytes-like).
Part = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


def parts_of(data: bytes) -> Part:
    """A segment's header, numbers line and text columns; _Unknown (or ValueError,
    KeyError, TypeError) when it is not laid out as this module knows."""
    first = data.index(b"\n")
    second = data.index(b"\n", first + 1)
    third = data.index(b"\n", second + 1)
    header = json.loads(data[:first])
    numbers = json.loads(data[second + 1 : third])
    if tuple(header) != _HEADER_KEYS or set(numbers) != {"numbers", "masks"}:
        raise _Unknown
    texts, at, view = {}, third + 1, memoryview(data)
    for name, size in header["texts"]:
        texts[name] = view[at : at + size]
        at += size
    if at != len(data):
        raise _Unknown
    return header, numbers, texts


def join_columns(root: Path, segments: Sequence[bytes]) -> bytes | None:
    """The cache file holding the segments' entries in turn; None when they are not
    laid out as this module knows (or hold no story: nothing to gain)."""
    try:
        parts = [parts_of(data) for data in segments]
    except (_Unknown, ValueError, KeyError, TypeError):
        return None
    return join_parts(root, parts)


def join_parts(
    root: Path, parts: Sequence[Part], head_row: Callable[[int], Any] | None = None
) -> bytes | None:
    """The cache file holding the parts' entries in turn (None: they hold no story),
    checked by reading it back as the load does. head_row: a joined story's head
    entry if the caller has it (None if not), so that it is not built (see _Rows)."""
    filled = [part for part in parts if part[0]["count"]]
    if not filled:
        return None
    first, first_numbers, _texts = filled[0]
    count = sum(header["count"] for header, _n, _t in filled)
    texts = {
        name: _STORY_BYTE.join([texts[name] for _h, _n, texts in filled])
        for name, _size in first["texts"]
    }
    numbers = {
        name: base64.b64encode(
            b"".join(base64.b64decode(line["numbers"][name]) for _h, line, _t in filled)
        ).decode("ascii")
        for name in first_numbers["numbers"]
    }
    masks = {
        name: "".join(line["masks"][name] for _h, line, _t in filled)
        for name in first_numbers["masks"]
    }
    lone: dict[str, list[int]] = {name: [] for name in first["lone_empty"]}
    offset = 0
    for header, _n, _t in filled:
        for name, indices in header["lone_empty"].items():
            lone[name].extend(index + offset for index in indices)
        offset += header["count"]
    header = {
        "signature": first["signature"],
        "root": first["root"],
        "count": count,
        "texts": [[name, len(data)] for name, data in texts.items()],
        "title_order": _encode_numbers("title_order", range(count)),
        "lone_empty": lone,
        "skipped": [raw for header, _n, _t in parts for raw in header["skipped"]],
    }
    numbers_line = _json_line({"numbers": numbers, "masks": masks})
    # The title order and the head come from the joined columns, read back (and so
    # checked) as the load reads them.
    from tuific.cache.store import MetadataCache
    from tuific.sorting import sort_indices

    cache = MetadataCache(root, Path(os.devnull))
    # The lines and the columns in one join each (a copy of ~70 MB at 100,000 stories).
    draft = b"".join([_json_line(header), b"\n{}\n", numbers_line, b"\n", *texts.values()])
    try:
        stories, _skipped = cache._decode(draft)
    except (ValueError, KeyError, TypeError):
        return None
    if not stories.verify():
        return None
    order = sort_indices(stories, [], "title", list(range(count)))
    header["title_order"] = _encode_numbers("title_order", order)
    rows = cast("Sequence[tuple[str, int, int, Story]]", _Rows(stories, cache))
    lines = [_json_line(header), _json_line(head_of(rows, order, head_row)), numbers_line]
    data = b"".join([b"\n".join([*lines, b""]), *texts.values()])
    if any(map(_unclean, lines)) or _unclean_text(data):
        return None
    return data


class _Rows:
    """(rel, size, mtime_ns, story) of a story of the joined columns, built when
    asked for: the head asks for its few."""

    def __init__(self, stories: Any, cache: Any) -> None:
        self._stories, self._cache = stories, cache
        self._split = False

    def __getitem__(self, index: int) -> tuple[str, int, int, Any]:
        stories = self._stories
        if not self._split:
            # Every column a story is built from, split once: cutting a value out of
            # a column not split yet walks the column, for each of the head's stories.
            for name in _TEXT_COLUMNS - {"haystack"}:
                stories._split(name)
            self._split = True
        story = stories.story(index)
        size, mtime_ns = stories.value("size", index), stories.value("mtime_ns", index)
        return self._cache.relative(story.path), size, mtime_ns, story


def _json_line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
