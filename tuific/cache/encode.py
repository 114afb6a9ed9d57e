"""Writing a cache file: the entries turned into columns (`_Encoder`), checked as
the load would check them, and what to leave out when one would be refused."""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from tuific.cache.clean import _UNSTORABLE, _unclean, _unclean_text
from tuific.cache.head import head_of
from tuific.cache.layout import (
    _META_FIELDS,
    _META_KINDS,
    ITEM_SEP,
    STORY_SEP,
    _signature,
)
from tuific.cache.numbers import _encode_numbers, _fits
from tuific.model import Stories, Story


class _Encoder:
    """Builds the header and text section from rows, column by column."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.numbers: dict[str, Sequence[int | None]] = {}
        self.masks: dict[str, str] = {}
        self.lone_empty: dict[str, list[int]] = {}
        # How many ITEM_SEPs each list column holds when no item holds one.
        self.item_seps: dict[str, int] = {}

    def text(self, name: str, values: list[str]) -> None:
        self.texts[name] = STORY_SEP.join(values)

    def optional(self, name: str, values: list[str | None]) -> None:
        # Whole-column passes at C speed where no value is None (a worker encodes
        # every batch of a first scan).
        if None not in values:
            self.text(name, values)  # type: ignore[arg-type]
            self.masks[name] = "0" * len(values)
            return
        self.text(name, [value or "" for value in values])
        self.masks[name] = "".join(["1" if value is None else "0" for value in values])

    def lists(self, name: str, values: list[list[str]]) -> None:
        self.text(name, list(map(ITEM_SEP.join, values)))
        # Each non-empty list holds len - 1 separators.
        self.item_seps[name] = sum(map(len, values)) - len(values) + values.count([])
        lone = [""]
        self.lone_empty[name] = (
            [i for i, items in enumerate(values) if items == lone] if lone in values else []
        )

    def joined_lists(self, name: str, joined: list[str]) -> None:
        """`lists` of lists given ITEM_SEP-joined, "" for an empty one (never [""]):
        what `lists` writes for them, without splitting and joining them again."""
        self.text(name, joined)
        self.item_seps[name] = self.texts[name].count(ITEM_SEP)
        self.lone_empty[name] = []

    def meta(self, kind: str | None, name: str, values: list[Any]) -> None:
        if kind == "text":
            self.text(name, values)
        elif kind == "optional":
            self.optional(name, values)
        elif kind == "list":
            self.lists(name, values)
        elif kind == "dict":
            self.lists(name + ".keys", [list(value) for value in values])
            self.lists(name + ".values", [list(value.values()) for value in values])
        else:  # ints
            self.numbers[name] = values


def _storable(rel: str, size: int, mtime_ns: int, story: Story) -> bool:
    """Can this entry be written so that the load accepts it (see _UNSTORABLE and
    _encode_numbers)?"""
    meta = story.meta
    counts = [size, story.words, *(chapter.paragraph for chapter in story.chapters)]
    numbers = [mtime_ns]  # any int64 but _NO_INT
    for field, kind in zip(_META_FIELDS, _META_KINDS, strict=True):
        value = getattr(meta, field.name)
        if kind == "ints" and value is not None:
            numbers.append(value)
    if not (all(_fits(n, 0) for n in counts) and all(map(_fits, numbers))):
        return False
    texts: list[str] = [rel, story.format, story.fingerprint or ""]
    texts.extend(chapter.title for chapter in story.chapters)
    for field, kind in zip(_META_FIELDS, _META_KINDS, strict=True):
        value = getattr(meta, field.name)
        if kind in ("text", "optional"):
            texts.append(value or "")
        elif kind == "list":
            texts.extend(value)
        elif kind == "dict":
            texts.extend(value)
            texts.extend(value.values())
    return not _UNSTORABLE.search("".join(texts))


def _encode_rows(
    root: Path,
    rows: list[tuple[str, int, int, Story]],
    skipped: list[list[Any]],
    with_head: bool = True,
) -> bytes | None:
    """The file for these entries, or None when the load would refuse it (some value
    holds a separator or a character cleaned text cannot hold, or a number does not
    fit its column). Not `with_head`: an empty head, for a file checked whole before
    anything is read from it."""
    stories = [row[3] for row in rows]
    metas = [story.meta for story in stories]
    out = _Encoder()
    out.text("rel", [row[0] for row in rows])
    out.numbers["size"] = [row[1] for row in rows]
    out.numbers["mtime_ns"] = [row[2] for row in rows]
    out.text("format", [story.format for story in stories])
    out.numbers["words"] = [story.words for story in stories]
    out.optional("fingerprint", [story.fingerprint for story in stories])
    out.lists("chapter_titles", [[c.title for c in story.chapters] for story in stories])
    out.numbers["chapter_paragraphs"] = [
        chapter.paragraph for story in stories for chapter in story.chapters
    ]
    # The list's default order, sorted once here rather than on every start.
    from tuific.sorting import sort_indices

    order = out.numbers["title_order"] = sort_indices(
        Stories(stories), [], "title", range(len(rows))
    )
    for field, kind in zip(_META_FIELDS, _META_KINDS, strict=True):
        out.meta(kind, "meta." + field.name, list(map(attrgetter(field.name), metas)))
    # The query's plain-word haystack, folded here once (casefolding non-ASCII text is
    # the slowest part of filtering a freshly listed library).
    from tuific.query import SEP, make_entries

    count = len(stories)
    haystacks = make_entries(Stories(stories), ["unread"] * count, [False] * count).column("text")
    if SEP == ITEM_SEP:  # each haystack is its list's column text as it is
        out.joined_lists("haystack", haystacks)
    else:  # pragma: no cover - the separators are one character today
        out.lists("haystack", [haystack.split(SEP) if haystack else [] for haystack in haystacks])
    # Each column must split back into exactly its values.
    for name, text in out.texts.items():
        if text.count(STORY_SEP) != max(len(rows) - 1, 0):
            return None
        if text.count(ITEM_SEP) != out.item_seps.get(name, 0):
            return None
    numbers = {name: _encode_numbers(name, values) for name, values in out.numbers.items()}
    if None in numbers.values():
        return None
    # "replace": a lone surrogate (possible only in odd input) must not stop the
    # write; the entry then reads back with "?" in its place.
    encoded = {name: text.encode("utf-8", "replace") for name, text in out.texts.items()}
    header = {
        "signature": _signature(),
        "root": str(root),
        "count": len(rows),
        "texts": [[name, len(data)] for name, data in encoded.items()],
        "title_order": numbers.pop("title_order"),
        "lone_empty": out.lone_empty,
        "skipped": skipped,
    }
    head = _json_line(header)
    # The list's first screen (see head.py), then the other numbers and the masks,
    # each on a line of its own: a warm start's first frame parses only the first
    # two (at 100,000 stories ~1.2 MB, against 8.5 MB with the numbers and masks).
    first_screen = _json_line(head_of(rows, order) if with_head else {})
    numbers_line = _json_line({"numbers": numbers, "masks": out.masks})
    data = b"\n".join([head, first_screen, numbers_line, b"".join(encoded.values())])
    # The load's own checks, on the whole file at C speed.
    if any(map(_unclean, (head, first_screen, numbers_line))) or _unclean_text(data):
        return None
    return data


def _json_line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
