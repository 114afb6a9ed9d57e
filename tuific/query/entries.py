"""Stories folded once into the columns a query matches: lower-cased text and numbers."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from itertools import repeat
from operator import attrgetter, contains, not_
from typing import Any, NamedTuple, cast

from tuific.model import RATINGS, Stories, Story, StoryColumns, chapter_count, story_status

from .fields import HAYSTACK_FIELDS, NOT_RATED, READ_STATES, SEP, _fold, _join

# --------------------------------------------------------------------------- entries


class Entry(NamedTuple):
    """One story folded for matching: a row of Entries. (NamedTuples, not
    dataclasses, here: making a dataclass costs ~1 ms of start-up each.)"""

    path: str
    text: str  # the plain-word haystack: every searched field, SEP-joined
    title: str
    author: str
    recipient: str  # gift recipients (for:name); not in the plain-word haystack
    fandom: str
    ship: str
    character: str
    tag: str
    warning: str
    category: str
    series: str
    summary: str
    format: str
    rating: int  # index into model.RATINGS; NOT_RATED sits outside the order
    words: int
    chapters: int
    status: str | None  # "complete", "in-progress" or None when the story doesn't say
    read: str = "unread"
    favourite: bool = False


# Where each folded text field of an Entry comes from: a Metadata attribute (or, for
# "format", a Story one), and whether it is a list of items. make_entry and
# make_entries both build from this one table.
_TEXT_SOURCES: tuple[tuple[str, bool, str, bool], ...] = (
    # (Entry field, on Metadata, attribute, list)
    ("title", True, "title", False),
    ("author", True, "authors", True),
    ("recipient", True, "recipients", True),
    ("fandom", True, "fandoms", True),
    ("ship", True, "relationships", True),
    ("character", True, "characters", True),
    ("tag", True, "tags", True),
    ("warning", True, "warnings", True),
    ("category", True, "categories", True),
    ("series", True, "series", False),
    ("summary", True, "summary", False),
    ("format", False, "format", False),
)
_RANKS = {rating: rank for rank, rating in enumerate(RATINGS)}
# The characters whose matches Entries.prepare_letters makes ahead (folded text).
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
_LETTER_SLICE = 20_000  # stories tested between two give_way calls (~2 ms)
_ENTRY_FIELDS = Entry._fields


def _check_read(read: str) -> None:
    if read not in READ_STATES:
        raise ValueError(f"read must be one of {READ_STATES}, not {read!r}")


def make_entry(story: Story, read: str = "unread", favourite: bool = False) -> Entry:
    _check_read(read)
    m = story.meta
    folded = {}
    for name, on_meta, attribute, many in _TEXT_SOURCES:
        value = getattr(m if on_meta else story, attribute)
        folded[name] = _join(value) if many else _fold(value or "")
    return Entry(
        path=story.path,
        text=SEP.join(value for value in map(folded.__getitem__, HAYSTACK_FIELDS) if value),
        rating=_RANKS.get(m.rating, NOT_RATED),
        words=story.words,
        chapters=chapter_count(story),
        status=story_status(m.status, chapter_count(story), m.chapters_total),
        read=read,
        favourite=favourite,
        **folded,
    )


# make_entries folds a whole library at once. Each text field becomes one column
# string, its stories joined by _FIELD_SEP and a list's items by SEP, so casefolding,
# the white-space checks and the split back into values run at C speed over the
# column instead of as Python calls per item. Cleaned text cannot hold either
# separator (clean_text drops C0 controls), neither is white space to str.split, and
# casefold turns no other character into one (nor white space into anything else, or
# anything else into white space); a field where some story holds a separator anyway
# is folded value by value.
_FIELD_SEP = "\x01"
# White space other than " ": the set str.split and the regex \s use.
_ASCII_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
_SPACES = _ASCII_SPACES + "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
_SPACES += "\u2028\u2029\u202f\u205f\u3000"
# For _untidy: each byte's class as two bits. Bit 0: a space or either separator;
# bit 1: a space or SEP (everything but _FIELD_SEP). No byte of a UTF-8 multi-byte
# character is below 0x80, so only the characters themselves are classed.
_BYTE_CLASSES = bytes(
    (3 if byte in (0x20, 0x00) else 1 if byte == 0x01 else 0) for byte in range(256)
)


class Entries:
    """Stories folded for matching, field by field: `column(name)[i]` is story i's
    value of Entry field `name`. Each column is made when first used: a library
    listed at start-up is not folded until something is typed, and most queries
    read two or three fields."""

    def __init__(
        self,
        count: int,
        makers: Mapping[str, Callable[[], list[Any]]],
        finder: Callable[[str], list[int]] | None = None,
    ) -> None:
        self.count = count
        self._makers = dict(makers)
        self._columns: dict[str, list[Any]] = {}
        # finder(term): the indices, in order, whose `text` holds the term; for a pass
        # over every story, cheaper than making the column (see find_in_haystack).
        self.finder = finder
        # Which stories' `text` holds each single character (see prepare_letters).
        self._letters: dict[str, bytes] = {}

    def __len__(self) -> int:
        return self.count

    def column(self, name: str) -> list[Any]:
        column = self._columns.get(name)
        if column is None:
            maker = self._makers.get(name)
            if maker is None:  # made meanwhile in the other thread (see prepare)
                return self._columns[name]
            column = self._columns[name] = maker()
            # The maker goes once used: with every column made, the table no longer
            # holds the stories it was made from. (After the column is stored: the
            # other thread, finding neither, would fail.)
            self._makers.pop(name, None)
        return column

    def has(self, name: str) -> bool:
        """Is column `name` made (`prepare` may be making it meanwhile)?"""
        return name in self._columns

    def prepare(self, names: Sequence[str], give_way: Callable[[], object]) -> None:
        """Make these columns now, in a worker, so that no keystroke makes them:
        `give_way()` between steps (a column read from a cache is made a piece of
        ~1 ms at a time). A filter asking for a column meanwhile makes what is left
        of it itself, and gets the same column."""
        for name in names:
            maker = self._makers.get(name)
            if isinstance(maker, _Stepwise):
                while maker.step():
                    give_way()
            self.column(name)
            give_way()

    def prepare_letters(self, give_way: Callable[[], object]) -> None:
        """For each of LETTERS, which stories' plain-word haystack holds it (a byte,
        0 or 1, per story), made in slices between `give_way()` calls. The first key
        typed into an empty filter is one character, over every story: it then reads
        these (~3 ms at 100,000 stories) instead of searching every story's text."""
        column = self.column("text")
        for letter in LETTERS:
            if letter in self._letters:
                continue
            hits = bytearray()
            for start in range(0, len(column), _LETTER_SLICE):
                hits += bytes(map(contains, column[start : start + _LETTER_SLICE], repeat(letter)))
                give_way()
            if len(hits) == self.count:  # not extended meanwhile (which clears them)
                self._letters[letter] = bytes(hits)

    def letter_hits(self, letter: str) -> bytes | None:
        """Which stories' `text` holds `letter` (see prepare_letters), if made."""
        return self._letters.get(letter)

    def set(self, index: int, name: str, value: object) -> None:
        """Change one story's `read`, `favourite` or `path` (a column not made yet
        will be made from its source, which the caller has changed already)."""
        column = self._columns.get(name)
        if column is not None:
            column[index] = value

    def made(self) -> Entries:
        """Every column made now (in a worker, say, not at the first keystroke)."""
        for name in _ENTRY_FIELDS:
            self.column(name)
        return self

    def row(self, index: int) -> Entry:
        return Entry(**{name: self.column(name)[index] for name in _ENTRY_FIELDS})

    def take(self, indices: Sequence[int]) -> Entries:
        """The entries of these stories, in this order (every column made)."""
        columns = {name: [self.column(name)[i] for i in indices] for name in _ENTRY_FIELDS}
        return Entries.of(len(indices), columns)

    def extend(self, other: Entries) -> None:
        """`other`'s rows after these, in place (every column made now)."""
        for name in _ENTRY_FIELDS:
            self.column(name).extend(other.column(name))
        self.count += other.count
        self.finder = None  # it searches the columns it came with, not the new rows
        self._letters = {}

    @staticmethod
    def of(count: int, columns: Mapping[str, list[Any]]) -> Entries:
        """A table of columns made already."""
        entries = Entries(count, {})
        entries._columns = dict(columns)
        return entries

    @staticmethod
    def from_rows(rows: Sequence[Entry]) -> Entries:
        return Entries.of(
            len(rows), {name: list(map(attrgetter(name), rows)) for name in _ENTRY_FIELDS}
        )


def make_entries(
    stories: Sequence[Story] | StoryColumns,
    reads: Sequence[str] | Callable[[], list[str]],
    favourites: Sequence[bool] | Callable[[], list[bool]],
) -> Entries:
    """The stories folded for matching: row i equals `make_entry(stories[i], reads[i],
    favourites[i])`. Several times faster than that, and lazy, for a whole library.

    stories: Story objects, or a StoryColumns source (the metadata cache's columns,
    whose `joined` text fields are folded as they are). reads and favourites: one
    per story, or a function giving them all when a query first asks.
    """
    # A StoryColumns source has `values`; a plain sequence of stories does not.
    source: StoryColumns = (
        cast(StoryColumns, stories)
        if hasattr(stories, "values")
        else Stories(stories)
    )
    count = len(source)
    for given in (reads, favourites):
        if not callable(given) and len(given) != count:
            raise ValueError("make_entries needs one read state and one favourite per story")
    if not callable(reads):
        reads = _checked_reads(reads)  # at once, as make_entry would

    makers: dict[str, Callable[[], list[Any]]] = {}
    # A source that gives its text columns in pieces (the metadata cache) has them
    # folded a piece at a time (see Entries.prepare); each falls back to the whole
    # column's way when a piece shows the column is not what the source promised.
    pieces = getattr(source, "joined_pieces", None) if count else None
    for name, _on_meta, attribute, many in _TEXT_SOURCES:
        whole = partial(_text_column, source, attribute, many)
        joined = pieces(attribute) if pieces is not None else None
        makers[name] = whole if joined is None else _Stepwise(_folded(joined, many), count, whole)
    # The haystack joins the text columns, made once, through the table itself;
    # unless the source holds it folded already (the metadata cache does). Through a
    # weak reference: a table holding a function that holds the table is a cycle,
    # which only the cyclic collector frees, and a first scan's tables (each with
    # the Story objects it was made from) outlived the scan that way, the collector
    # being paused meanwhile and frozen after it.
    table: list[weakref.ref[Entries]] = []  # filled below

    def whole_text() -> list[str]:
        return _stored_haystack(source) or _haystack(_alive(table[0]()))

    haystack = pieces("haystack") if pieces is not None else None
    makers["text"] = (
        whole_text
        if haystack is None
        else _Stepwise(map(partial(str.split, sep=_FIELD_SEP), haystack), count, whole_text)
    )
    makers["path"] = partial(source.values, "path")
    makers["rating"] = lambda: list(map(_RANKS.get, source.values("rating"), repeat(NOT_RATED)))
    makers["words"] = partial(source.values, "words")
    makers["chapters"] = partial(source.values, "chapter_count")
    makers["status"] = lambda: list(
        map(
            story_status,
            source.values("status"),
            source.values("chapter_count"),
            source.values("chapters_total"),
        )
    )
    read_states = reads  # bound for the lambda
    if callable(read_states):
        makers["read"] = lambda: _checked_reads(read_states())
    else:
        makers["read"] = partial(list, read_states)
    makers["favourite"] = favourites if callable(favourites) else partial(list, favourites)
    entries = Entries(count, makers, getattr(source, "find_in_haystack", None))
    table.append(weakref.ref(entries))
    return entries


def _alive(entries: Entries | None) -> Entries:
    assert entries is not None  # only the table itself asks for its haystack
    return entries


class _NotAsPromised(Exception):
    """A piece of a source's column holds what its kind of column may not."""


class _Stepwise:
    """A column made a piece at a time: `step` makes the next piece (a worker, between
    keystrokes), calling it makes the rest and gives the column (a filter, or the
    worker when done). Either thread may do either; a lock keeps the pieces in order.
    If the pieces do not add up to `count` values, or one is not as the source
    promised, the column is made by `whole` instead, as it would be without pieces."""

    def __init__(
        self, pieces: Iterator[list[Any]], count: int, whole: Callable[[], list[Any]]
    ) -> None:
        self._pieces = pieces
        self._count = count
        self._whole = whole
        self._made: list[Any] = []
        self._column: list[Any] | None = None
        self._lock = threading.Lock()

    def step(self) -> bool:
        """Make one more piece; False once the column is made."""
        with self._lock:
            if self._column is not None:
                return False
            try:
                piece = next(self._pieces, None)
            except _NotAsPromised:
                piece = None
                self._made = []
            if piece is not None:
                self._made.extend(piece)
                return True
            made, self._made = self._made, []
            self._column = made if len(made) == self._count else self._whole()
            return False

    def __call__(self) -> list[Any]:
        while self.step():
            pass
        assert self._column is not None
        return self._column


def _folded(pieces: Iterator[str], many: bool) -> Iterator[list[str]]:
    """`_text_column` piece by piece: the same values, as each piece is a run of whole
    values (the checks are about values and their neighbours, and a piece's ends lie
    next to a _FIELD_SEP the whole column has there)."""
    for piece in pieces:
        if not many and SEP in piece:
            raise _NotAsPromised
        yield _fold_values(piece)


def _stored_haystack(source: StoryColumns) -> list[str] | None:
    joined = source.joined("haystack")
    if joined is None or joined.count(_FIELD_SEP) != len(source) - 1 or not len(source):
        return None
    return joined.split(_FIELD_SEP)


def _checked_reads(reads: Sequence[str]) -> list[str]:
    """The read states as a list; ValueError for the first that is not one."""
    if not set(reads) <= set(READ_STATES):
        for read in reads:
            _check_read(read)
    return list(reads)


def _haystack(entries: Entries) -> list[str]:
    """Every searched field of each story, SEP-joined: the plain-word haystack."""
    columns = [entries.column(name) for name in HAYSTACK_FIELDS]
    # Fields empty in every story (often series) would only be filtered out again.
    searched = [column for column in columns if any(column)]
    if not searched:
        return [""] * entries.count
    return list(map(SEP.join, map(partial(filter, None), zip(*searched, strict=True))))


def _text_column(source: StoryColumns, attribute: str, many: bool) -> list[str]:
    """One folded text field of every story (what _fold or _join make of each)."""
    count = len(source)
    column = source.joined(attribute)
    if column is not None:
        if not many and SEP in column:
            column = None  # not what the source promised: fold value by value
    else:
        column = _joined(source.values(attribute), many, count)
    if column is None or column.count(_FIELD_SEP) != count - 1:
        # Some value holds a separator (odd input): fold them one by one.
        fold = _join if many else _fold
        return [fold(value or "") for value in source.values(attribute)]
    if count == 0:
        return []
    return _fold_values(column)


def _fold_values(column: str) -> list[str]:
    """The values of a _FIELD_SEP-joined column, each as _fold or _join makes it."""
    folded, split = _fold_column(column)
    if _untidy(folded):
        # The rare slow path: what _fold and _join do, value by value.
        split = [
            SEP.join(filter(None, map(" ".join, map(str.split, value.split(SEP)))))
            for value in split
        ]
    return split


def _joined(values: list[Any], many: bool, count: int) -> str | None:
    """The values as one column (see make_entries' notes), or None when some value
    holds a separator."""
    if many:
        # Each non-empty list adds len - 1 separators: the count to expect.
        seps = sum(map(len, values)) - count + sum(map(not_, values))
        values = list(map(SEP.join, values))
    else:
        seps = 0
        if None in values:
            values = [value or "" for value in values]
    column = _FIELD_SEP.join(values)
    if column.count(SEP) != seps:
        return None
    return column


def _fold_column(column: str) -> tuple[str, list[str]]:
    """The casefolded column and its values split back."""
    if column.isascii():
        column = column.casefold()
        return column, column.split(_FIELD_SEP)
    # Value by value, so each ASCII one takes casefold's fast path.
    split = list(map(str.casefold, column.split(_FIELD_SEP)))
    return _FIELD_SEP.join(split), split


def _untidy(column: str) -> bool:
    """Does the folded column hold white space other than single spaces inside items,
    or an empty item? (An empty value, two _FIELD_SEPs together, is fine.)"""
    spaces = _ASCII_SPACES if column.isascii() else _SPACES
    if any(space in column for space in spaces):  # each a memchr
        return True
    if column.startswith((" ", SEP)) or column.endswith((" ", SEP)):
        return True
    # The rest is about neighbours: a space or SEP next to a space or a separator.
    # Substring searches for each such pair cost a pass each, so instead the column's
    # byte classes become one big integer, and shifting it by a byte pairs each byte
    # with the next: a few word-at-a-time passes in all.
    classes = int.from_bytes(
        column.encode("utf-8", "surrogatepass").translate(_BYTE_CLASSES), "little"
    )
    after = classes >> 8
    both = classes & after  # bit 0: both are a space or separator
    either = classes | after  # bit 1: one of them is a space or SEP
    return bool(both & (either >> 1))  # bit 0 of some byte: an untidy pair
