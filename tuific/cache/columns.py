"""The lazy column reader: `CachedStories`, a cache file's stories checked whole
before any column is read (the first screen's stories excepted: see head.py), their
values split out of the columns and a Story built only when asked for."""

from __future__ import annotations

import json
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, islice, repeat
from operator import add, getitem, sub
from typing import Any

from tuific.cache.checks import _ColumnChecks
from tuific.cache.clean import _unclean, _unclean_text
from tuific.cache.head import head_value, story_of_head
from tuific.cache.layout import (
    _COLUMN_KINDS,
    _META_FIELDS,
    _NO_INT,
    _NUMBER_COLUMNS,
    _OPTIONAL_NUMBERS,
    _STORY_BYTE,
    _TEXT_COLUMNS,
    ITEM_SEP,
    STORY_SEP,
    _Malformed,
)
from tuific.cache.numbers import _decode_numbers
from tuific.model import Chapter, Metadata, Story, shown_chapters

# Bytes of a column decoded at a time by `joined_pieces`: ~1 ms of the GIL each.
PIECE_BYTES = 1 << 19
_MASK_BITS = bytes.maketrans(b"01", b"\x00\x01")
_MASKED = [name for name, kind in _COLUMN_KINDS.items() if kind == "optional"]
# The head's values compared with the columns after the check: what says which file
# a story is (its path, size and time) and the columns the check has split or decoded
# already. The other text columns are not split for it (comparing them all cost ~1 s
# and ~120 MiB at 100,000 stories): a head that passed the header's checks holds
# clean text, and a tampered one that agrees on these shows what it says, as a
# tampered file whose columns agree with it would.
_COMPARED = (
    "rel", "size", "mtime_ns", "words", "chapter_titles", "meta.status",
    *(name for name in _NUMBER_COLUMNS if name.startswith("meta.")),
)


class CachedStories(_ColumnChecks):
    """The stories of a cache file, column by column, not yet built.

    Every check that could reject the file (counts of separators, masks, number
    types, unique paths, characters cleaned text cannot hold: C-speed passes over
    whole columns) runs in `verify`, before any column is read, so nothing later can
    fail. Until then only the head's stories (the list's first screen, checked with
    the header) can be read: a warm start draws the list, then verifies in the
    background. Reading any other value verifies first, on whichever thread asks.
    A file that fails is read as `count` stories with every value empty
    (`broken`), for the moment until its list is replaced by a scan.

    Values are split out of the columns when first asked for, and a Story is built
    only for a story that is shown or opened: a 10,000-story library is listed
    without building 10,000 objects. A StoryColumns.
    """

    def __init__(
        self,
        header: dict[str, Any],
        laid_out: Callable[[], tuple[bytes, dict[str, tuple[int, int]], tuple[int, int]]],
        count: int,
        prefix: str,
        head: dict[int, dict[str, Any]],
    ) -> None:
        self.count = count
        self.prefix = prefix
        # The file's bytes, where each text column lies in them and where the numbers'
        # and masks' JSON line does (store._laid_out), taken by `verify`: an ASCII
        # column is decoded when first read (`_decoded`: the others, checked as UTF-8
        # by decoding them in `verify`), and the haystack is searched as it is.
        self._laid_out: Callable[[], Any] | None = laid_out
        self._data, self._spans, self._numbers_line = b"", {}, (0, 0)
        self._decoded: dict[str, str] = {}
        self._head = head
        # The numbers line: name -> base64 of the column, decoded by _check; name ->
        # "0"/"1" per story. But the list's order, which the first frame needs, is in
        # the header.
        self._stored_numbers: dict[str, Any] = {"title_order": header["title_order"]}
        self._masks: dict[str, Any] = {}
        self._lone = header["lone_empty"]
        if type(self._lone) is not dict:
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
        self._verify_lock = threading.Lock()
        self._verified = False
        self._awaited = False
        self.broken = False
        # Called (on the thread that checked) when the file fails: the UI thread may
        # check it first, reading past the head, and must not draw the blank stories.
        self.on_broken: Callable[[], object] | None = None
        # The list's order, needed by the first frame: only its range checked now.
        order = self._order = self._number_column("title_order", count).tolist()
        if order and max(order) >= count:  # and all >= 0 (_decode_numbers)
            raise _Malformed("title_order is not an order of the stories")

    @property
    def verified(self) -> bool:
        """The whole file has been checked (and is then `broken` or not)."""
        return self._verified

    checked = verified  # StoryColumns'

    def quick_index(self, path: str) -> int | None:
        if self._verified or not path.startswith(self.prefix):
            return None
        rel = path[len(self.prefix) :]
        head = self._head
        return next((index for index, row in head.items() if row["rel"] == rel), None)

    def verify(self, step: Callable[[], None] | None = None) -> bool:
        """Check the whole file, once (a second caller waits for the first); False
        when it fails, and the stories are then `broken`. `step` is called between
        pieces of the work (~1-5 ms each at 100,000 stories): a worker gives way."""
        if not self._verified:
            self._awaited = True  # a worker verifying now stops giving way (`_step`)
            with self._verify_lock:
                if not self._verified:
                    self._awaited = False
                    try:
                        self._verify_columns(self._step(step))
                    except (ValueError, KeyError, TypeError, RecursionError, MemoryError):
                        self._become_blank()
                        self.broken = True
                    self._verified = True
                    if self.broken and self.on_broken is not None:
                        self.on_broken()
        return not self.broken

    def _step(self, step: Callable[[], None] | None) -> Callable[[], None]:
        """`step`, unless another thread waits for the check (the UI thread reading
        past the head, a key typed say): then the work goes on at once."""

        def step_unless_awaited() -> None:
            if step is not None and not self._awaited:
                step()

        return step_unless_awaited

    def _verify_columns(self, step: Callable[[], None]) -> None:
        if self._laid_out is not None:  # the whole file, read ahead (or raises)
            laid_out, self._laid_out = self._laid_out, None
            self._data, self._spans, self._numbers_line = laid_out()
        line = self._data[slice(*self._numbers_line)]
        if _unclean(line):
            raise _Malformed("characters cleaned text cannot hold")
        stored = json.loads(line.decode("ascii"))
        numbers, masks = stored["numbers"], stored["masks"]
        if not type(numbers) is type(masks) is dict or "title_order" in numbers:
            raise _Malformed("wrong shape")
        self._stored_numbers.update(numbers)
        self._masks = masks
        step()
        data = self._data
        # Every column that can reach the screen is checked; the haystack, written
        # last, is only ever matched against (a third of the file, unchecked).
        haystack = self._spans.get("haystack")
        stop = haystack[0] if haystack and haystack[1] == len(data) else len(data)
        if _unclean_text(data, stop, step):
            raise _Malformed("characters cleaned text cannot hold")
        # Each text column is decoded on its own when first read, so an ASCII one
        # stays ASCII (cheap to decode, fold and split) whatever the others hold.
        # Every one must be valid UTF-8 now, though: nothing may fail later.
        if not data.isascii():
            for name, (start, end) in self._spans.items():
                # The haystack is never shown, only searched: see _text.
                if name != "haystack" and not data[start:end].isascii():
                    self._decoded[name] = str(memoryview(data)[start:end], "utf-8")  # or raise
                    step()
        self._check(step)
        # The head must say what the columns say: a Story built from it before the
        # check outlives it (and a row would open another story's file).
        for index, row in self._head.items():
            if any(row[name] != self._stored_value(name, index) for name in _COMPARED):
                raise _Malformed("the head and the columns disagree")

    def _become_blank(self) -> None:
        """A file that failed its checks: `count` stories, every value empty."""
        count = self.count
        self._data = _STORY_BYTE * max(count - 1, 0)
        self._spans = dict.fromkeys(_TEXT_COLUMNS, (0, len(self._data)))
        self._decoded, self._split_cache, self._values, self._head = {}, {}, {}, {}
        self._masks = dict.fromkeys(_MASKED, "0" * count)
        self._lone = dict.fromkeys(_TEXT_COLUMNS, [])
        self._numbers = dict.fromkeys(_NUMBER_COLUMNS, array("q", bytes(8 * count)))
        self._numbers["chapter_paragraphs"] = array("q")
        self._order = list(range(count))
        self._numbers["title_order"] = array("q", self._order)
        # Not under _made_lock: story() may hold it waiting for this check. A story
        # built meanwhile into the old list is only lost.
        self._made = [None] * count

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
        self.verify()
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
        self.verify()
        if attribute in ("format", "haystack"):
            return self._text(attribute)
        name = "meta." + attribute
        if _COLUMN_KINDS.get(name) in ("text", "optional", "list"):
            return self._text(name)
        return None

    def joined_pieces(self, attribute: str, size: int = PIECE_BYTES) -> Iterator[str] | None:
        """`joined(attribute)` in pieces of whole stories, about `size` bytes each
        (joined by STORY_SEP they make it), decoded one at a time when iterated: a
        worker can fold a column between keystrokes instead of holding the GIL for
        one long decode and split (~60 ms for the haystack of 100,000 stories)."""
        self.verify()
        name = attribute if attribute in ("format", "haystack") else "meta." + attribute
        if name not in ("format", "haystack") and _COLUMN_KINDS.get(name) not in (
            "text",
            "optional",
            "list",
        ):
            return None
        return self._pieces(name, size)

    def _pieces(self, name: str, size: int) -> Iterator[str]:
        text = self._decoded.get(name)
        if text is not None:  # decoded already (not ASCII): cut the string
            for start, stop in _cuts(text, STORY_SEP, 0, len(text), size):
                yield text[start:stop]
            return
        # Cut at a separator: a UTF-8 sequence never holds its byte, so each piece
        # decodes (and replaces bad bytes) exactly as the whole column would.
        view = memoryview(self._data)
        for start, stop in _cuts(self._data, _STORY_BYTE, *self._spans[name], size):
            yield str(view[start:stop], "utf-8", "replace")

    def find_in_haystack(self, term: str) -> list[int]:
        """The stories whose folded haystack (query.Entry.text) holds `term`, in
        order: found in the file's bytes, without decoding or splitting the column.
        A valid UTF-8 term found in valid UTF-8 text is found whole, and neither
        holds a separator, so a match lies inside one story."""
        self.verify()
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
            # Never wait for the check holding _made_lock (the check, failing,
            # replaces the stories): checked first, unless the head holds this one.
            if not self._verified and index not in self._head:
                self.verify()
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
            return shown_chapters(headings, self._value("words", index))
        if attribute == "chapters":
            return self.story(index).chapters
        if attribute in _TEXT_COLUMNS or attribute in _NUMBER_COLUMNS:  # stored as it is
            return self._value(attribute, index)
        return self._value("meta." + attribute, index)

    def _build(self, index: int) -> Story:
        """Story `index` from its head entry (before the check) or the columns (after
        it: see `story`); never waiting for the check."""
        row = None if self._verified else self._head.get(index)
        if row is not None:
            return story_of_head(self.prefix, row)
        fields = [self._stored_value("meta." + f.name, index, False) for f in _META_FIELDS]
        titles = self._stored_value("chapter_titles", index, False)
        paragraphs: Sequence[int] = []
        if titles:  # most stories have no headings: no need to count everyone's
            start = self._chapter_starts()[index]
            paragraphs = self._numbers["chapter_paragraphs"][start : start + len(titles)]
        return Story(
            self.prefix + self._stored_value("rel", index, False),
            self._stored_value("format", index, False),
            Metadata(*fields),
            self._numbers["words"][index],
            list(map(Chapter, titles, paragraphs)),
            None,
            self._stored_value("fingerprint", index, False),
        )

    def _value(self, name: str, index: int, whole: bool = True) -> Any:
        """Story `index`'s value of a stored column: from the head before the check
        (which a story past the head waits for), else from the columns."""
        if not self._verified:
            row = self._head.get(index)
            if row is not None:
                return head_value(row, name)
            self.verify()
        return self._stored_value(name, index, whole)

    def _stored_value(self, name: str, index: int, whole: bool = True) -> Any:
        """Story `index`'s value of a stored column, read from the column. whole: split
        the column (and keep it) to read it; else, unless it is split already, cut out
        just this value, splitting from the nearer end (building one story for the
        metadata panel then costs half as much: most columns are read by no list
        row)."""
        if name in self._numbers:
            value = self._numbers[name][index]
            return None if value == _NO_INT else value  # only an optional column holds it
        kind = _COLUMN_KINDS.get(name, "text")
        if kind == "dict":
            keys = self._stored_value(name + ".keys", index, whole)
            values = self._stored_value(name + ".values", index, whole)
            return dict(zip(keys, values, strict=True))
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
        self.verify()
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
        self.verify()
        sizes, mtimes = self._numbers["size"], self._numbers["mtime_ns"]
        return dict(zip(self.values("path"), zip(sizes, mtimes, strict=True), strict=True))


def _cuts(
    whole: str | bytes, sep: Any, start: int, end: int, size: int
) -> Iterator[tuple[int, int]]:
    """(start, stop) of pieces of whole[start:end] of about `size` each, cut at a `sep`
    (which neither piece keeps)."""
    while True:
        cut = whole.find(sep, start + size, end) if start + size < end else -1
        if cut < 0:
            yield start, end
            return
        yield start, cut
        start = cut + 1
