r"""The disposable metadata cache: what a library scan learnt, so the next start is fast.

One file per library in `paths.cache_dir()`, named by a hash of the library's
resolved path. Deleting it only costs a rescan. Each entry is keyed by the file's path
relative to the library plus its size and mtime_ns: a file whose size or mtime changed
is parsed again. It holds everything `Story.record()` needs (metadata, counted words,
chapter titles and paragraph indices, format) and the fingerprint, never paragraphs;
and the files that could not be parsed, so a broken file is not re-parsed every start.

Why it is built the way it is:
- Never pickle or marshal: the cache folder may be writable by someone else, and
  loading it must not run their code. The file is a one-line JSON header (numbers,
  masks, skipped files, the layout) and then a text section of plain UTF-8.
- Stored by column, not by story (format 2): each text field of all stories is ONE
  string in the text section, the stories' values joined by `STORY_SEP` ("\x01") and a
  list's items by `ITEM_SEP` ("\x00"); numbers are one base64 string per field
  (format 4, below). Reading a
  few dozen columns, checking each whole (lengths, types, separator counts, at C
  speed) and splitting it with `str.split` costs a fraction of parsing and checking
  300,000 small JSON values; and the text columns are in the very form
  `query.make_entries` folds (see `CachedStories.joined`), so they are never
  re-joined.
- Read lazily (format 3): a start lists the library straight from the columns
  (`listed()` gives a `CachedStories`, a `model.StoryColumns`). Every check that
  could reject the file runs at once, mostly on the raw bytes (separator counts per
  column with bytes.count, several times faster than on decoded text); a column is
  decoded and split when first read, and a Story built only for a story shown or
  opened. `load()` builds every entry from the same columns, and a check against
  the disk that finds nothing changed never calls it. Measured on 10,000 stories:
  the list and a filter over it ready in ~15 ms of work, where building every Story
  took ~60 ms and the query's entries ~40 ms more.
- Numbers as base64 (format 4): each number column is ONE base64 string, in the
  JSON header, of its values as little-endian signed 64-bit integers (None, in the
  optional `int | None` columns, is -2**63: no count, index or file time is that).
  Measured on 10,000 stories: the format-3 JSON arrays were ~3.4 ms of the ~4 ms
  the 600 KB header took to parse, and checking their types and ranges value by
  value ~2 ms more. A base64 string parses as one JSON string (all eight: ~0.5 ms),
  decodes at C speed into an `array` and is checked whole, a sign being each
  value's top byte (one `isascii` of those bytes): ~2.5 ms, most of it base64.
  Columns stay arrays until a whole list is asked for. Still text, still in the
  header, so the header's escape check covers it, and loading runs no code: base64
  and `array.frombytes` only turn bytes into integers.
- The query's plain-word haystack is stored too, already folded (`haystack`, the
  query's Entry.text per story): casefolding non-ASCII summaries was the slowest
  part of a first filter. A search over every story runs on its bytes
  (`find_in_haystack`) without decoding or splitting it. It is only matched
  against, never shown, so it alone is not decoded to check it is UTF-8 (bytes
  that are not would decode as U+FFFD and match nothing).
- The rows are written in path order, so the list's title sort is a plain stable
  sort (ties by path) instead of a sort of (title, path) tuples.
- Why a raw text section rather than JSON strings (measured on 10,000 stories, 5 MB):
  JSON writes both separators as six-byte escapes (\u0001), which made the file 20%
  larger than format 1, cost ~6 ms more to parse, and made the escape check walk
  300,000 escapes (~70 ms); raw DEL/C1 separators avoided that but needed a
  replace pass to hand the columns to the query and cost ~8 ms in the C1 check. A
  text section also lets each column be decoded on its own, so an ASCII column stays
  ASCII (decoding the whole file as one string widened everything once one summary
  held a curly quote: 12 ms for the decode alone).
- The separators: cleaned text never holds C0 controls (`clean_text` removes every one
  but \n and \t), so no value can contain either and splitting is exact. `save`
  leaves out an entry holding anything the load would refuse (odd input: it is parsed
  again on each start) instead of writing a file that is then ignored whole. None in
  an optional text field is "" plus a "1" in a mask; [] and [""] are both "" in a
  list column, and "lone_empty" lists the stories whose list is [""].
- The whole file is ignored when it was written by another tuific version, another
  cache format, another set of readers or another shape of `Metadata` (a release that
  parses differently rebuilds it), and when it is not what we wrote: bad JSON, wrong
  types, column lengths that disagree, or characters `clean_text` removes. Nothing
  here ever raises to the caller.
- Written by temp file + `os.replace`, so a reader sees the old or the new file, never
  half. Not fsynced: losing the cache in a power cut costs a rescan, nothing more.
- Strings in a tampered cache could carry terminal escapes that `clean_text` would
  have removed, so the raw bytes are checked once for any character cleaned text
  cannot contain (a regex/translate pass, much cheaper than cleaning every field):
  the header, as JSON, for raw DEL, C1 and bidi characters and for \u, \b, \f and \r
  escapes, exactly as format 1 checked its whole file; the text section, which is not
  JSON, for the same raw characters and for every raw C0 control but \n, \t and the
  two separators. So the check is exactly as strict as before for every character
  but the separators, and they are checked structurally: a text column is split on
  them (no value can hold one), a non-list column must not hold ITEM_SEP, and the
  count of values must match.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import re
import sys
import tempfile
import threading
from array import array
from collections.abc import Sequence
from itertools import accumulate, islice, repeat
from operator import add, getitem, sub
from pathlib import Path
from typing import Any

from tuific import __version__
from tuific.formats import READER_NAMES, READERS_VERSION
from tuific.metadata import RULES_VERSION
from tuific.model import Chapter, Metadata, Stories, Story, shown_chapters
from tuific.paths import MAX_CACHE_BYTES, cache_file_for
from tuific.readahead import ReadAhead, read_regular_file
from tuific.startup_tricks import with_gc_paused

CACHE_FORMAT = 4

_META_FIELDS = dataclasses.fields(Metadata)

STORY_SEP = "\x01"  # between the stories of a text column
ITEM_SEP = "\x00"  # between the items of a list
_STORY_BYTE, _ITEM_BYTE = STORY_SEP.encode(), ITEM_SEP.encode()

# Cleaned text never holds C0 controls other than \n and \t, DEL, C1 controls or bidi
# overrides. json.dumps(ensure_ascii=False) writes \n and \t as short escapes, every
# other character < 0x20 as \u00XX and everything else raw, so our own header holds
# none of these characters raw and no \u, \b, \f or \r escape; the text section holds
# none of them raw but the separators, \n and \t.
#
# The checks run on the UTF-8 bytes, before decoding (which rejects invalid UTF-8
# anyway): in valid UTF-8 a byte below 0x80 is only that ASCII character, and C2 8x/9x
# and E2 80 Ax/E2 81 Ax only those characters. Each pattern starts with a literal byte,
# which sre finds with a tight loop, and each runs only when a memchr finds that byte:
# a whole-file pass costs ~1.5 ms per 5 MB, where a character class costs ~10 times
# more.
_UNCLEAN_BYTES = (
    (b"\xc2", re.compile(rb"\xc2[\x80-\x9f]")),  # C1 controls U+0080-U+009F
    # bidi overrides and isolates U+202A-U+202E, U+2066-U+2069
    (b"\xe2", re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")),
)
# A backslash and what it escapes, read left to right as json does, so the second
# backslash of an escaped "\\" never starts an escape of its own.
_ESCAPE = re.compile(rb"\\[\\bfru]")
# For the text section: every byte of a raw control cleaned text cannot hold (C0 but
# the separators, \t and \n; DEL) becomes 1, every other byte 0. One translate and
# one memchr: ~4 ms per 5 MB, where a regex character class costs ~30.
_RAW_CONTROLS = bytes(
    1 if (byte < 0x20 and byte not in (0x00, 0x01, 0x09, 0x0A)) or byte == 0x7F else 0
    for byte in range(256)
)
_CHUNK = 64 * 1024


def _unclean_marks(data: bytes, stop: int | None = None) -> bool:
    """Does this UTF-8 (up to `stop`) hold a C1 control or a bidi override or isolate?"""
    stop = len(data) if stop is None else stop
    return any(
        data.find(lead, 0, stop) >= 0 and pattern.search(data, 0, stop)
        for lead, pattern in _UNCLEAN_BYTES
    )


def _unclean(data: bytes) -> bool:
    """Does this JSON (UTF-8 bytes) hold a character clean_text would have removed,
    raw (DEL, C1, bidi) or as a \\u, \\b, \\f or \\r escape?"""
    if b"\x7f" in data or _unclean_marks(data):
        return True
    if b"\\" in data:
        # Matches are forbidden escapes or escaped backslashes, which are rare.
        for match in _ESCAPE.finditer(data):
            if match[0] != b"\\\\":
                return True
    return False


def _unclean_text(data: bytes, stop: int | None = None) -> bool:
    """Does this raw UTF-8 text (up to `stop`) hold a character clean_text would have
    removed (any control but the separators, \\t and \\n; C1; bidi)?"""
    stop = len(data) if stop is None else stop
    # In slices that stay in the CPU cache: one translate of a whole 5 MB file costs
    # twice as much, most of it in touching the fresh 5 MB it returns.
    for start in range(0, stop, _CHUNK):
        if b"\x01" in data[start : min(start + _CHUNK, stop)].translate(_RAW_CONTROLS):
            return True
    return _unclean_marks(data, stop)


def _signature() -> str:
    """What the entries depend on besides the files: changes here rebuild the cache."""
    readers = f"{READERS_VERSION}:" + ",".join(READER_NAMES)
    shape = ",".join(f"{f.name}:{f.type}" for f in _META_FIELDS)
    return f"{CACHE_FORMAT}|{__version__}|{RULES_VERSION}|{readers}|{shape}"


# ------------------------------------------------------------ column encoding
#
# The file: a one-line JSON header, "\n", then the text section: the text columns'
# UTF-8 bytes one after another. The header:
#   {"signature", "root", "count": n,
#    "texts": [[column name, byte length], ...] in the text section's order,
#    "numbers": {column name: base64 of its values as little-endian int64s},
#    "masks": {optional text column: "0"/"1" per story, "1" where the value is None},
#    "lone_empty": {list column: indices of the stories whose list is [""]},
#    "skipped": [[rel, size, mtime_ns, reason], ...]}
# Story columns, each of n values:
#   rel, format                         text
#   size, mtime_ns, words               numbers (size and words >= 0)
#   fingerprint                         optional text
#   chapter_titles                      list: each story's chapter titles
#   chapter_paragraphs                  numbers >= 0: every chapter's paragraph, flat
#   meta.<field> for each Metadata field, by its type: str -> text; str | None and
#     Status | None -> optional text; int | None -> numbers (_NO_INT for None);
#     list[str] -> list; dict[str, str] -> lists meta.<field>.keys and .values.
#   haystack                            list: the query's folded haystack, its
#                                       fields and items joined by ITEM_SEP
# Rows in path (rel) order.
# A text column joins its stories' values with STORY_SEP; a list column joins a
# list's items with ITEM_SEP, so [] and [""] both read "": "lone_empty" tells them
# apart. That is the form `query.make_entries` folds, so the columns are handed
# over as they are.

_KINDS = {
    "str": "text",
    "str | None": "optional",
    "Status | None": "optional",
    "int | None": "ints",
    "list[str]": "list",
    "dict[str, str]": "dict",
}
_META_KINDS = tuple(_KINDS.get(str(f.type)) for f in _META_FIELDS)
# Stored column name -> kind, for the text columns ("rel" and "format" are text).
_COLUMN_KINDS: dict[str, str | None] = {
    "fingerprint": "optional",
    "chapter_titles": "list",
    "haystack": "list",
}
for _field, _kind in zip(_META_FIELDS, _META_KINDS, strict=True):
    _COLUMN_KINDS["meta." + _field.name] = _kind
    if _kind == "dict":  # stored as two list columns
        _COLUMN_KINDS["meta." + _field.name + ".keys"] = "list"
        _COLUMN_KINDS["meta." + _field.name + ".values"] = "list"
# A Metadata field of a type this module does not know: never trust a file.
_TRUSTED = None not in _META_KINDS
# Exactly the columns `save` writes: an unknown one (a number column named like a text
# one, say) must not shadow the column it is named after.
_TEXT_COLUMNS = frozenset(
    {"rel", "format"}
    | {name for name, kind in _COLUMN_KINDS.items() if kind not in ("dict", "ints")}
)
# Number columns: counts and indices (>= 0), mtime_ns (signed: a file may predate
# 1970) and the Metadata `int | None` fields (any int, or None).
_COUNT_COLUMNS = frozenset({"size", "words", "chapter_paragraphs", "title_order"})
_OPTIONAL_NUMBERS = frozenset(
    "meta." + f.name for f, k in zip(_META_FIELDS, _META_KINDS, strict=True) if k == "ints"
)
_NUMBER_COLUMNS = _COUNT_COLUMNS | {"mtime_ns"} | _OPTIONAL_NUMBERS
# None in an optional number column. No real value is it: only a file time in 1677
# comes near. Refused in every other column, and `save` never writes it for a value.
_NO_INT = -(2**63)
_MAX_INT = 2**63 - 1
_BIG_ENDIAN = sys.byteorder == "big"  # the file holds little-endian int64s
_STATUSES = {None, "complete", "in-progress"}
_MASK_BITS = bytes.maketrans(b"01", b"\x00\x01")
# What the load would refuse in a stored string (see _unclean_text): `save` leaves out
# an entry holding one (odd input; it is parsed again on each start), rather than
# writing a file that is then ignored whole.
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Malformed(ValueError):
    """The file is not what we wrote."""


class CachedStories:
    """The stories of a cache file, column by column, checked but not yet built.

    Every check that could reject the file runs when it is read (counts of
    separators, masks, number types, unique paths: C-speed passes over whole
    columns), so nothing later can fail. Values are split out of the columns when
    first asked for, and a Story is built only for a story that is shown or opened:
    a 10,000-story library is listed without building 10,000 objects. A StoryColumns.
    """

    def __init__(
        self,
        header: dict[str, Any],
        data: bytes,
        spans: dict[str, tuple[int, int]],
        decoded: dict[str, str],
        count: int,
        prefix: str,
    ) -> None:
        self.count = count
        self.prefix = prefix
        # The file's bytes and where each text column lies in them: an ASCII column
        # is decoded when first read (`decoded`: the others, checked as UTF-8 by
        # decoding them), and the haystack is searched as it is.
        self._data = data
        self._spans = spans
        self._decoded = decoded
        self._stored_numbers = header["numbers"]  # name -> base64, decoded by _check
        self._masks = header["masks"]
        self._lone = header["lone_empty"]
        if not type(self._stored_numbers) is type(self._masks) is type(self._lone) is dict:
            raise _Malformed("wrong shape")
        # Each number column, _NO_INT for None: a list is made when a whole column is
        # asked for (values), a story's value read straight from the array.
        self._numbers: dict[str, array] = {}
        self._order: list[int] = []
        self._split_cache: dict[str, list[str]] = {}
        self._values: dict[str, list[Any]] = {}
        self._made: list[Story | None] = [None] * count
        # story() on the UI thread and stories() in the scan worker (MetadataCache.load)
        # must agree on one Story per index: the list's item holds that object.
        self._made_lock = threading.Lock()
        self._check()

    # -- the checks, all at once ------------------------------------------------

    def _check(self) -> None:
        count = self.count
        if set(self._spans) != _TEXT_COLUMNS or set(self._stored_numbers) != _NUMBER_COLUMNS:
            raise _Malformed("unknown or missing columns")
        for name in ("rel", "format", "fingerprint", "chapter_titles"):
            self._check_text(name, name != "chapter_titles")
        self._check_mask("fingerprint")
        self._check_lone("chapter_titles")
        # The haystack is only matched against (see _decode): its count of stories is
        # checked where it is split (query._stored_haystack), and a search of its
        # bytes in a tampered file only finds the wrong stories. Its items are never
        # empty, so it has no lone_empty.
        if self._lone["haystack"] != []:
            raise _Malformed("a bad lone_empty for the haystack")
        for name in ("size", "mtime_ns", "words"):
            self._number_column(name, count)
        # A list at once: title_order() is read on every start, and set() and max()
        # run faster over a list than over an array.
        order = self._order = self._number_column("title_order", count).tolist()
        if order and (max(order) >= count or len(set(order)) != count):  # all >= 0
            raise _Malformed("title_order is not an order of the stories")
        titles = self._split("chapter_titles")  # every chapter title, counted
        start, end = self._spans["chapter_titles"]
        chapters = self._data.count(_ITEM_BYTE, start, end) + len(titles)
        chapters -= titles.count("") - len(self._lone["chapter_titles"])
        self._number_column("chapter_paragraphs", chapters)
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
        if not set(self.values("status")) <= _STATUSES:
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

    def _number_column(self, name: str, length: int) -> array:
        column = self._numbers[name] = _decode_numbers(name, self._stored_numbers[name], length)
        return column

    # -- values, made when first asked for --------------------------------------

    def _text(self, name: str) -> str:
        text = self._decoded.get(name)
        if text is None:
            # ASCII, or the haystack: only matched against, never shown, so bytes that
            # are not UTF-8 there (a tampered file) just match nothing.
            start, end = self._spans[name]
            view = memoryview(self._data)[start:end]
            text = self._decoded[name] = str(view, "utf-8", "replace")
        return text

    def _split(self, name: str) -> list[str]:
        split = self._split_cache.get(name)
        if split is None:
            split = self._text(name).split(STORY_SEP) if self.count else []
            self._split_cache[name] = split
        return split

    def _lists(self, name: str) -> list[list[str]]:
        values = self._split(name)
        if len(self._text(name)) == len(values) - 1:  # only separators: every list empty
            lists: list[list[str]] = [[] for _ in values]
        else:
            lists = [value.split(ITEM_SEP) if value else [] for value in values]
        for index in self._lone[name]:
            lists[index] = [""]
        return lists

    def _optional(self, name: str) -> list[str | None]:
        values = self._split(name)
        mask = self._masks[name]
        if "1" not in mask:
            return values  # type: ignore[return-value]
        bits = mask.encode("ascii").translate(_MASK_BITS)
        # (value, None)[bit] for each story, at C speed.
        return list(map(getitem, zip(values, repeat(None)), bits))

    def _column(self, name: str) -> list[Any]:
        """Every story's value of one stored column ("rel", "meta.tags", ...)."""
        if name in self._numbers:
            values = self._numbers[name].tolist()
            if name not in _OPTIONAL_NUMBERS or _NO_INT not in values:
                return values
            if values.count(_NO_INT) == len(values):  # series_index, in most libraries
                return [None] * len(values)
            return [None if value == _NO_INT else value for value in values]
        if name == "chapter_titles":
            return self._lists(name)
        kind = _COLUMN_KINDS.get(name, "text")
        if kind == "optional":
            return self._optional(name)
        if kind == "list":
            return self._lists(name)
        if kind == "dict":
            keys, values = self._lists(name + ".keys"), self._lists(name + ".values")
            if not any(keys):  # the usual case, twice as fast
                return [{} for _ in keys]
            return list(map(dict, map(zip, keys, values)))
        return self._split(name)

    def values(self, attribute: str) -> list[Any]:
        made = self._values.get(attribute)
        if made is not None:
            return made
        if attribute == "path":
            made = list(map(self.prefix.__add__, self._split("rel")))
        elif attribute == "chapter_count":
            counts = map(sub, islice(starts := self._chapter_starts(), 1, None), starts)
            made = list(map(shown_chapters, counts, self._numbers["words"]))
        elif attribute == "chapters":
            made = self._chapters()
        elif attribute in self._numbers or attribute in self._spans:  # stored as it is
            made = self._column(attribute)
        else:
            made = self._column("meta." + attribute)
        self._values[attribute] = made
        return made

    def _chapters(self) -> list[list[Chapter]]:
        # Each story's list of titles becomes its list of chapters (most are empty),
        # taking its paragraphs from one iterator over the flat column.
        flat = iter(self._numbers["chapter_paragraphs"])
        chapters: list[list[Chapter]] = []
        for titles in self._lists("chapter_titles"):
            chapters.append(list(map(Chapter, titles, islice(flat, len(titles)))))
        return chapters

    def joined(self, attribute: str) -> str | None:
        if attribute in ("format", "haystack"):
            return self._text(attribute)
        name = "meta." + attribute
        if _COLUMN_KINDS.get(name) in ("text", "optional", "list"):
            return self._text(name)
        return None

    def find_in_haystack(self, term: str) -> list[int]:
        """The stories whose folded haystack (query.Entry.text) holds `term`, in
        order: found in the file's bytes, without decoding or splitting the column.
        A valid UTF-8 term found in valid UTF-8 text is found whole, and neither
        holds a separator, so a match lies inside one story."""
        start, end = self._spans["haystack"]
        data, needle = self._data, term.encode("utf-8", "surrogatepass")
        found: list[int] = []
        story, at = 0, start  # `at`: where story number `story` starts
        while (position := data.find(needle, at, end)) >= 0:
            story += data.count(_STORY_BYTE, at, position)
            found.append(story)
            following = data.find(_STORY_BYTE, position, end)
            if following < 0:
                break
            story, at = story + 1, following + 1
        return found

    def __len__(self) -> int:
        return self.count

    def story(self, index: int) -> Story:
        """Story `index`, built on first use (one story's values, not whole columns)."""
        story = self._made[index]
        if story is None:
            with self._made_lock:
                story = self._made[index]
                if story is None:
                    story = self._made[index] = self._build(index)
        return story

    def value(self, attribute: str, index: int) -> Any:
        if attribute == "path":
            return self.prefix + self._value("rel", index)
        if attribute == "chapter_count":
            headings = len(self._value("chapter_titles", index))
            return shown_chapters(headings, self._numbers["words"][index])
        if attribute == "chapters":
            return self.story(index).chapters
        if attribute in _TEXT_COLUMNS or attribute in _NUMBER_COLUMNS:  # stored as it is
            return self._value(attribute, index)
        return self._value("meta." + attribute, index)

    def _build(self, index: int) -> Story:
        fields = [self._value("meta." + f.name, index, whole=False) for f in _META_FIELDS]
        titles = self._value("chapter_titles", index, whole=False)
        paragraphs: Sequence[int] = []
        if titles:  # most stories have no headings: no need to count everyone's
            start = self._chapter_starts()[index]
            paragraphs = self._numbers["chapter_paragraphs"][start : start + len(titles)]
        return Story(
            self.prefix + self._value("rel", index, whole=False),
            self._value("format", index, whole=False),
            Metadata(*fields),
            self._numbers["words"][index],
            list(map(Chapter, titles, paragraphs)),
            None,
            self._value("fingerprint", index, whole=False),
        )

    def _value(self, name: str, index: int, whole: bool = True) -> Any:
        """Story `index`'s value of a stored column. whole: split the column (and keep
        it) to read it; else, unless it is split already, cut out just this value,
        splitting from the nearer end (building one story for the metadata panel
        then costs half as much: most columns are read by no list row)."""
        if name in self._numbers:
            value = self._numbers[name][index]
            return None if value == _NO_INT else value  # only an optional column holds it
        kind = _COLUMN_KINDS.get(name, "text")
        if kind == "dict":
            keys = self._value(name + ".keys", index, whole)
            return dict(zip(keys, self._value(name + ".values", index, whole), strict=True))
        split = self._split_cache.get(name)
        start, end = self._spans[name]
        if split is None and end - start == self.count - 1:
            value = ""  # only separators: every value empty (a field most files lack)
        elif split is not None or whole:
            value = (split or self._split(name))[index]
        elif index < self.count // 2:
            value = self._text(name).split(STORY_SEP, index + 1)[index]
        else:
            value = self._text(name).rsplit(STORY_SEP, self.count - index)[1 if index else 0]
        if kind == "list":
            if value:
                return value.split(ITEM_SEP)
            return [""] if index in self._lone[name] else []
        if kind == "optional" and self._masks[name][index] == "1":
            return None
        return value

    def _chapter_starts(self) -> list[int]:
        """Where each story's chapters start in the flat chapter_paragraphs column, and
        the total last. Titles counted, not split: "" is none (or one, if lone_empty)."""
        starts = self._values.get("_chapter_starts")
        if starts is None:
            titles = self._split("chapter_titles")
            # A story's titles: its separators, plus one unless it has none (C speed).
            counts = list(map(add, map(str.count, titles, repeat(ITEM_SEP)), map(bool, titles)))
            for index in self._lone["chapter_titles"]:
                counts[index] = 1
            starts = self._values["_chapter_starts"] = [0, *accumulate(counts)]
        return starts

    def stories(self) -> list[Story]:
        """Every story (those built already are kept): objects made with map at C speed."""
        metas = list(map(Metadata, *(self.values(field.name) for field in _META_FIELDS)))
        built = list(
            map(Story, self.values("path"), self.values("format"), metas, self.values("words"),
                self.values("chapters"), repeat(None), self.values("fingerprint"))
        )
        with self._made_lock:  # a story built meanwhile on another thread is kept
            for index, story in enumerate(self._made):
                if story is not None:
                    built[index] = story
            self._made = list(built)
        return built

    def title_order(self) -> list[int]:
        return list(self._order)

    def stamps(self) -> dict[str, tuple[int, int]]:
        """Each story's path and (size, mtime_ns), as the library scan records them."""
        sizes, mtimes = self._numbers["size"], self._numbers["mtime_ns"]
        return dict(zip(self.values("path"), zip(sizes, mtimes, strict=True), strict=True))


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
        self.text(name, [value or "" for value in values])
        self.masks[name] = "".join("1" if value is None else "0" for value in values)

    def lists(self, name: str, values: list[list[str]]) -> None:
        self.text(name, list(map(ITEM_SEP.join, values)))
        self.item_seps[name] = sum(max(len(items) - 1, 0) for items in values)
        self.lone_empty[name] = [i for i, items in enumerate(values) if items == [""]]

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


def _refused_numbers(name: str, raw: bytes, column: array) -> bool:
    """Would the load refuse this number column? `raw`: its little-endian bytes."""
    # Each value's top byte, at C speed: below 0x80 (ASCII) exactly when the value
    # is >= 0; which also rules out _NO_INT.
    tops = raw[7::8]
    if name in _COUNT_COLUMNS:
        return not tops.isascii()
    if name in _OPTIONAL_NUMBERS:
        return False  # any value; _NO_INT is None
    # mtime_ns: any value but _NO_INT. Only values below -2**63 + 2**56 (times before
    # 1680) have the top byte 0x80, so the scan of the whole column all but never runs.
    return b"\x80" in tops and _NO_INT in column


def _encode_numbers(name: str, values: Sequence[Any]) -> str | None:
    """A number column as the file holds it: base64 of its values as little-endian
    int64s, None for optional values. None when the load would refuse it (a value
    that does not fit in 64 bits, or that could not be told from None)."""
    if _NO_INT in values:
        return None
    if name in _OPTIONAL_NUMBERS:
        values = [_NO_INT if value is None else value for value in values]
    try:
        column = array("q", values)
    except (OverflowError, TypeError):  # too large, or not an int (None where not optional)
        return None
    if _BIG_ENDIAN:
        column.byteswap()
    raw = column.tobytes()
    if _BIG_ENDIAN:
        column.byteswap()  # native again, for the check
    if _refused_numbers(name, raw, column):
        return None
    return base64.b64encode(raw).decode("ascii")


def _decode_numbers(name: str, text: Any, length: int) -> array:
    """The `length` values of a stored number column (_NO_INT for None); raises
    ValueError when it is not what `_encode_numbers` writes."""
    if type(text) is not str:
        raise _Malformed("a number column that is not a string")
    raw = base64.b64decode(text, validate=True)  # or binascii.Error, a ValueError
    if len(raw) != 8 * length:
        raise _Malformed("a number column of the wrong length")
    column = array("q")
    column.frombytes(raw)
    if _BIG_ENDIAN:
        column.byteswap()
    if _refused_numbers(name, raw, column):
        raise _Malformed("a number out of its column's range")
    return column


def _fits(value: Any, low: int = _NO_INT + 1) -> bool:
    """Can this number be stored: an int64 of at least `low` (never _NO_INT)?"""
    return isinstance(value, int) and low <= value <= _MAX_INT


def _valid_skipped(raw: Any) -> bool:
    return (
        type(raw) is list
        and len(raw) == 4
        and type(raw[0]) is str
        and type(raw[1]) is int
        and type(raw[2]) is int
        and type(raw[3]) is str
    )


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
    root: Path, rows: list[tuple[str, int, int, Story]], skipped: list[list[Any]]
) -> bytes | None:
    """The file for these entries, or None when the load would refuse it (some value
    holds a separator or a character cleaned text cannot hold, or a number does not
    fit its column)."""
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

    out.numbers["title_order"] = sort_indices(Stories(stories), [], "title", range(len(rows)))
    for field, kind in zip(_META_FIELDS, _META_KINDS, strict=True):
        out.meta(kind, "meta." + field.name, [getattr(m, field.name) for m in metas])
    # The query's plain-word haystack, folded here once (casefolding non-ASCII text is
    # the slowest part of filtering a freshly listed library).
    from tuific.query import SEP, make_entries

    count = len(stories)
    haystacks = make_entries(Stories(stories), ["unread"] * count, [False] * count).column("text")
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
        "numbers": numbers,
        "masks": out.masks,
        "lone_empty": out.lone_empty,
        "skipped": skipped,
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
    data = b"".join([head, b"\n", *encoded.values()])
    # The load's own checks, on the whole file at C speed.
    if _unclean(head) or _unclean_text(data):
        return None
    return data


def _detached(story: Story, path: str) -> Story:
    """A Story of its own at `path`, without paragraphs, so that the cache and its
    callers can change a path or chapter list apart (Metadata is shared, as it
    always was)."""
    return Story(
        path, story.format, story.meta, story.words, list(story.chapters), None, story.fingerprint
    )


# ------------------------------------------------------------------ the cache

_Row = tuple[int, int, Story]  # size, mtime_ns, the story (its path is not used)


class MetadataCache:
    """The cache of one library. Not thread-safe: use it from one scan at a time.

    `lookup`, `store` and `forget` take the story's path as the scan spells it
    (the library root joined with the relative path); the file holds relative paths.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        file: Path | None = None,
        read_ahead: ReadAhead | None = None,
    ) -> None:
        self.root = Path(root)
        self.file = file if file is not None else cache_file_for(root)
        # The file, being read on another thread since start-up (cli.run_app).
        self._read_ahead = read_ahead if read_ahead and read_ahead.file == self.file else None
        root_text = str(self.root)
        if root_text == ".":
            self._prefix = ""
        elif root_text.endswith(os.sep):
            self._prefix = root_text
        else:
            self._prefix = root_text + os.sep
        self._stories: dict[str, _Row] = {}
        self._skipped: dict[str, list[Any]] = {}
        self._listed: CachedStories | None = None  # the file as `listed()` read it
        self._listed_skipped: list[list[Any]] = []
        self.read = False  # the file has been read (by `listed` or `load`)
        self.loaded = False
        self.dirty = False

    def __len__(self) -> int:
        return len(self._stories) + len(self._skipped)

    def relative(self, path: str) -> str:
        if path.startswith(self._prefix):
            return path[len(self._prefix) :]
        return os.path.relpath(path, self.root)

    # -- reading ---------------------------------------------------------------

    def listed(self) -> tuple[CachedStories, list[tuple[str, int, int, str]]] | None:
        """The stories the file holds, unverified and not yet built, and (path, size,
        mtime_ns, reason) for its cached failures; None when there is no usable file.

        For showing a library at once, then checking it against the disk with
        `library.rescan(root, listed.stamps(), cache)`. Reads the file once: a
        later `load` builds its entries from the same columns."""
        if not self.read:
            self._read_file()
        if self._listed is None:
            return None
        failures = [(self._prefix + rel, size, mtime, reason)
                    for rel, size, mtime, reason in self._listed_skipped]
        return self._listed, failures

    def load(self) -> None:
        """Fill the cache from the file; anything wrong with it leaves it empty."""
        if not self.read:
            self._read_file()
        self.loaded = True
        listed = self._listed
        if listed is None:
            return
        stories = with_gc_paused(listed.stories)
        rows = zip(listed.values("size"), listed.values("mtime_ns"), stories, strict=True)
        self._stories = dict(zip(listed.values("rel"), rows, strict=True))
        self._skipped = {raw[0]: raw for raw in self._listed_skipped}

    def _read_file(self) -> None:
        self.read = True
        if self._read_ahead is not None:
            data, self._read_ahead = self._read_ahead.result(), None
        else:
            data = read_regular_file(self.file, MAX_CACHE_BYTES)
        if data is None:  # missing, unreadable, not a regular file, too large
            return
        try:
            self._listed, self._listed_skipped = with_gc_paused(self._decode, data)
        except (ValueError, KeyError, TypeError, RecursionError, MemoryError):
            # Rebuilt by the scan; dirty so the bad file is replaced even if nothing
            # else changes.
            self.dirty = True

    def _decode(self, data: bytes) -> tuple[CachedStories, list[list[Any]]]:
        """The file's stories and failures; raises ValueError (or KeyError or
        TypeError) when the bytes are not what `save` writes."""
        if not _TRUSTED:
            raise _Malformed("a Metadata field of an unknown type")
        end = data.find(b"\n")
        if end < 0:
            raise _Malformed("no header")
        # The text section's check covers the header too, which holds no raw control
        # (json.loads refuses them) and is checked as JSON besides.
        head = data[:end]
        if _unclean(head):
            raise _Malformed("characters cleaned text cannot hold")
        header = json.loads(head.decode("utf-8"))
        if type(header) is not dict or header.get("signature") != _signature():
            raise _Malformed("another tuific or cache format")
        count, skipped, layout = header["count"], header["skipped"], header["texts"]
        if type(count) is not int or count < 0 or type(layout) is not list:
            raise _Malformed("wrong shape")
        # Every story takes at least a byte in each column (a separator), so a count
        # beyond the file's size is a lie; checked before anything is made per story.
        if count > len(data):
            raise _Malformed("more stories than bytes")
        if type(skipped) is not list or not all(map(_valid_skipped, skipped)):
            raise _Malformed("bad skipped entry")
        # Each text column is decoded on its own when first read, so an ASCII one
        # stays ASCII (cheap to decode, fold and split) whatever the others hold.
        # The whole section must be valid UTF-8 now, though: nothing may fail later.
        at, spans = end + 1, {}
        for name, size in layout:
            if type(name) is not str or type(size) is not int or size < 0:
                raise _Malformed("a bad text column")
            spans[name] = (at, at + size)
            at += size
        if at != len(data):
            raise _Malformed("text section of the wrong length")
        # Every column that can reach the screen is checked; the haystack, written
        # last, is only ever matched against (a third of the file, unchecked).
        haystack = spans.get("haystack")
        if _unclean_text(data, haystack[0] if haystack and haystack[1] == at else at):
            raise _Malformed("characters cleaned text cannot hold")
        decoded = {}
        if not data.isascii():
            for name, (start, stop) in spans.items():
                # The haystack is never shown, only searched: see CachedStories._text.
                if name != "haystack" and not data[start:stop].isascii():
                    decoded[name] = str(memoryview(data)[start:stop], "utf-8")  # or raise
        return CachedStories(header, data, spans, decoded, count, self._prefix), skipped

    def lookup(self, path: str, size: int, mtime_ns: int) -> Story | str | None:
        """The cached Story for this file, the reason for a cached failure, or None.

        None when the file is not cached or its size or mtime changed.
        """
        self._load_once()
        rel = self.relative(path)
        row = self._stories.get(rel)
        if row is not None and row[0] == size and row[1] == mtime_ns:
            return _detached(row[2], path)
        raw = self._skipped.get(rel)
        if raw is not None and raw[1] == size and raw[2] == mtime_ns:
            return raw[3]
        return None

    def _load_once(self) -> None:
        # Entries are built from the file when first needed: a library checked
        # against the disk and found unchanged never builds them.
        if not self.loaded:
            self.load()

    def store(self, path: str, size: int, mtime_ns: int, story: Story) -> None:
        self._load_once()
        rel = self.relative(path)
        self._skipped.pop(rel, None)
        self._stories[rel] = (size, mtime_ns, _detached(story, self._prefix + rel))
        self.dirty = True

    def store_failure(self, path: str, size: int, mtime_ns: int, reason: str) -> None:
        self._load_once()
        rel = self.relative(path)
        self._stories.pop(rel, None)
        self._skipped[rel] = [rel, size, mtime_ns, reason]
        self.dirty = True

    def forget(self, path: str) -> None:
        self._load_once()
        rel = self.relative(path)
        if self._stories.pop(rel, None) is not None:
            self.dirty = True
        elif self._skipped.pop(rel, None):
            self.dirty = True

    def retain(self, keep: set[str]) -> None:
        """Drop every entry whose path (as the scan spells it) is not in `keep`."""
        self._load_once()
        kept = {self.relative(path) for path in keep}
        for entries in (self._stories, self._skipped):
            gone = [rel for rel in entries if rel not in kept]
            for rel in gone:
                del entries[rel]
            if gone:
                self.dirty = True

    def _encode(self) -> bytes | None:
        """The file: header line and text section (see "column encoding")."""
        # In path order: the list's title sort is then a plain stable sort.
        rows = [(rel, *row) for rel, row in sorted(self._stories.items())]
        skipped = list(self._skipped.values())
        data = _encode_rows(self.root, rows, skipped)
        if data is None:
            # Odd input somewhere (rare): leave out each entry the load would refuse,
            # found story by story, which is slower than the check of the whole file.
            rows = [row for row in rows if _storable(*row)]
            skipped = [raw for raw in skipped if not _UNSTORABLE.search(raw[0] + raw[3])]
            data = _encode_rows(self.root, rows, skipped)
        return data  # None only if _storable missed something: then nothing is written

    def save(self) -> bool:
        """Write the cache if it changed; False (and no exception) when it cannot."""
        if not self.dirty:
            return True
        encoded = self._encode()
        if encoded is None:  # pragma: no cover - see _encode
            return False
        temp = None
        try:
            # Private: the cache lists the titles and authors of what the user reads.
            self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temp = tempfile.mkstemp(
                dir=self.file.parent, prefix=self.file.name + ".", suffix=".tmp"
            )
            with os.fdopen(fd, "wb") as handle:
                handle.write(encoded)
            os.replace(temp, self.file)
            temp = None
        except OSError:
            return False
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
        self.dirty = False
        return True
