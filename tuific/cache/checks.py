"""The checks `CachedStories` runs on a cache file's columns: counts of separators,
masks, number types and ranges, unique paths; C-speed passes over whole columns,
so that nothing read later can fail."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tuific.cache.layout import (
    _ITEM_BYTE,
    _META_FIELDS,
    _META_KINDS,
    _NUMBER_COLUMNS,
    _STORY_BYTE,
    _TEXT_COLUMNS,
    _Malformed,
)

if TYPE_CHECKING:
    from array import array

_STATUSES = {None, "complete", "in-progress"}


class _ColumnChecks:
    """The checks, as methods of `CachedStories` (which holds what they read)."""

    count: int
    _spans: dict[str, tuple[int, int]]
    _stored_numbers: dict[str, Any]
    _masks: dict[str, Any]
    _lone: dict[str, Any]
    _data: bytes
    _order: list[int]

    if TYPE_CHECKING:

        def _text(self, name: str) -> str: ...
        def _split(self, name: str) -> list[str]: ...
        def _lists(self, name: str) -> list[list[str]]: ...
        def _column(self, name: str) -> list[Any]: ...
        def _number_column(self, name: str, length: int) -> array: ...

    def _check(self, step: Callable[[], None]) -> None:
        count = self.count
        if set(self._spans) != _TEXT_COLUMNS or set(self._stored_numbers) != _NUMBER_COLUMNS:
            raise _Malformed("unknown or missing columns")
        for name in ("rel", "format", "fingerprint", "chapter_titles"):
            self._check_text(name, name != "chapter_titles")
        self._check_mask("fingerprint")
        self._check_lone("chapter_titles")
        step()
        # The haystack is only matched against (see MetadataCache._decode): its count of stories is
        # checked where it is split (query._stored_haystack), and a search of its
        # bytes in a tampered file only finds the wrong stories. Its items are never
        # empty, so it has no lone_empty.
        if self._lone["haystack"] != []:
            raise _Malformed("a bad lone_empty for the haystack")
        for name in ("size", "mtime_ns", "words"):
            self._number_column(name, count)
        # Its range was checked when the file was read (the first frame shows it).
        if len(set(self._order)) != count:
            raise _Malformed("title_order is not an order of the stories")
        titles = self._split("chapter_titles")  # every chapter title, counted
        start, end = self._spans["chapter_titles"]
        chapters = self._data.count(_ITEM_BYTE, start, end) + len(titles)
        chapters -= titles.count("") - len(self._lone["chapter_titles"])
        self._number_column("chapter_paragraphs", chapters)
        step()
        for field, kind in zip(_META_FIELDS, _META_KINDS, strict=True):
            name = "meta." + field.name
            if kind == "ints":
                self._number_column(name, count)
            elif kind == "dict":
                keys, values = self._text(name + ".keys"), self._text(name + ".values")
                self._check_text(name + ".keys", False)
                self._check_text(name + ".values", False)
                self._check_lone(name + ".keys")
                self._check_lone(name + ".values")
                # Only separators in both (every dict {}) and the same lone_empty (the
                # [""]s, {"": ""}): the lists agree. Else compare them story by story.
                lone_keys, lone_values = self._lone[name + ".keys"], self._lone[name + ".values"]
                if not (
                    len(keys) == len(values) == max(count - 1, 0)
                    and set(lone_keys) == set(lone_values)
                ):
                    lengths = list(map(len, self._lists(name + ".keys")))
                    if lengths != list(map(len, self._lists(name + ".values"))):
                        raise _Malformed("keys and values disagree")
            else:
                self._check_text(name, kind != "list")
                if kind == "optional":
                    self._check_mask(name)
                elif kind == "list":
                    self._check_lone(name)
            step()
        if not set(self._column("meta.status")) <= _STATUSES:
            raise _Malformed("an unknown status")
        if len(set(self._split("rel"))) != count:
            raise _Malformed("a path listed twice")

    def _check_text(self, name: str, single: bool) -> None:
        # On the bytes: a separator is one byte in UTF-8, and counting bytes is
        # several times faster than counting the characters of a decoded column.
        start, end = self._spans[name]
        if self.count == 0:
            if end > start:
                raise _Malformed("values in an empty column")
        elif self._data.count(_STORY_BYTE, start, end) != self.count - 1:
            raise _Malformed("a column of the wrong length")
        if single and self._data.find(_ITEM_BYTE, start, end) >= 0:
            raise _Malformed("a separator in a text value")

    def _check_mask(self, name: str) -> None:
        mask = self._masks[name]
        if type(mask) is not str or len(mask) != self.count or not set(mask) <= {"0", "1"}:
            raise _Malformed("a bad mask")
        # A value where the mask marks None is never read: None it is.

    def _check_lone(self, name: str) -> None:
        lone = self._lone[name]
        if type(lone) is not list:
            raise _Malformed("lone_empty is not a list")
        if lone:
            values = self._split(name)
            for index in lone:
                if type(index) is not int or not 0 <= index < self.count or values[index]:
                    raise _Malformed("a bad lone_empty index")

