"""The cache file's first screen (format 5): every stored value of the first
stories in title order, in the JSON header.

A warm start shows the list before the file's columns are checked: the list's
first screen reads these values, which the header's own check covers (a few
hundred values, checked for type here), and the columns are checked whole in the
background once the list is drawn (`CachedStories.verify`). So the first frame of
a 100,000-story library costs what a 1,000-story one does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tuific.cache.layout import _COUNT_COLUMNS, _META_FIELDS, _META_KINDS, _Malformed
from tuific.cache.numbers import _fits
from tuific.model import Chapter, Metadata, Story

# More rows than the tallest terminal shows: the list's top, where a start puts it.
HEAD_STORIES = 120

# The stored columns a head row holds, each with its kind; a dict field is one
# entry (a dict), not its two list columns.
_HEAD_KINDS: dict[str, str] = {
    "rel": "text",
    "format": "text",
    "fingerprint": "optional",
    "chapter_titles": "list",
    "chapter_paragraphs": "counts",
    **{name: "count" for name in _COUNT_COLUMNS - {"chapter_paragraphs", "title_order"}},
    "mtime_ns": "int",
    **{"meta." + f.name: str(kind) for f, kind in zip(_META_FIELDS, _META_KINDS, strict=True)},
}


def head_row(rel: str, size: int, mtime_ns: int, story: Story) -> dict[str, Any]:
    """One story's head entry, as `_encode_rows` writes it."""
    row: dict[str, Any] = {
        "rel": rel,
        "format": story.format,
        "fingerprint": story.fingerprint,
        "chapter_titles": [chapter.title for chapter in story.chapters],
        "chapter_paragraphs": [chapter.paragraph for chapter in story.chapters],
        "size": size,
        "words": story.words,
        "mtime_ns": mtime_ns,
    }
    for field in _META_FIELDS:
        row["meta." + field.name] = getattr(story.meta, field.name)
    return row


def head_of(
    rows: Sequence[tuple[str, int, int, Story]],
    order: Sequence[int],
    known: Callable[[int], dict[str, Any] | None] | None = None,
) -> dict[str, Any]:
    """The head for these rows: index (a string, as JSON keys are) -> its entry.
    known: a row's entry if made already (None if not), so the row is not read."""
    head = {}
    for index in order[:HEAD_STORIES]:
        entry = known(index) if known is not None else None
        head[str(index)] = entry if entry is not None else head_row(*rows[index])
    return head


def read_head(raw: Any, count: int) -> dict[int, dict[str, Any]]:
    """The header's head, checked for shape and type; raises _Malformed."""
    if type(raw) is not dict or len(raw) > HEAD_STORIES:
        raise _Malformed("a bad head")
    head: dict[int, dict[str, Any]] = {}
    for key, row in raw.items():
        if not (key.isascii() and key.isdigit() and str(int(key)) == key):
            raise _Malformed("a bad head index")
        if not int(key) < count or type(row) is not dict:
            raise _Malformed("a bad head entry")
        if row.keys() != _HEAD_KINDS.keys():
            raise _Malformed("a head entry of other columns")
        for name, kind in _HEAD_KINDS.items():
            if not _valid(kind, row[name]):
                raise _Malformed("a head value of the wrong type")
        if len(row["chapter_paragraphs"]) != len(row["chapter_titles"]):
            raise _Malformed("a head entry's chapters disagree")
        if row["meta.status"] not in (None, "complete", "in-progress"):
            raise _Malformed("an unknown status")
        head[int(key)] = row
    return head


def _valid(kind: str, value: Any) -> bool:
    if kind == "text":
        return type(value) is str
    if kind == "optional":
        return value is None or type(value) is str
    if kind == "list":
        return type(value) is list and all(type(item) is str for item in value)
    if kind == "dict":
        return type(value) is dict and all(type(item) is str for item in value.values())
    if kind == "counts":
        return type(value) is list and all(type(n) is int and _fits(n, 0) for n in value)
    if kind == "count":
        return type(value) is int and _fits(value, 0)
    if kind == "int":
        return type(value) is int and _fits(value)
    if kind == "ints":  # an optional number
        return value is None or (type(value) is int and _fits(value))
    return False


def story_of_head(prefix: str, row: dict[str, Any]) -> Story:
    """The Story of a head entry (its path: `prefix` + its relative path)."""
    meta = Metadata(*(head_value(row, "meta." + f.name) for f in _META_FIELDS))
    chapters = list(map(Chapter, row["chapter_titles"], row["chapter_paragraphs"]))
    return Story(
        prefix + row["rel"], row["format"], meta, row["words"], chapters, None, row["fingerprint"]
    )


def head_value(row: dict[str, Any], name: str) -> Any:
    """A head entry's value of stored column `name`, as `CachedStories._value` gives
    it (a fresh list or dict: callers may keep and change it)."""
    value = row[name]
    if type(value) is list:
        return list(value)
    if type(value) is dict:
        return dict(value)
    return value

