"""The library query language: parse a filter line, match it against stories fast.

    dragon "slow burn" fandom:"original work" ship:anna/bram -tag:angst
    rating:<=t words:>10k words:1k..20k chapters:1 status:wip read:unread fav:yes

Plain words and quoted phrases are searched, case-insensitively, in the title,
authors, fandoms, relationships, characters, tags, series and summary; `field:value`
restricts a search to one field; `-` before a term excludes it. Every term must match.

The filter runs on every keystroke over tens of thousands of stories, so the work
is split in two: `make_entry` folds each story once into lower-cased strings and
numbers, and a parsed `Query` holds one small predicate per term, ordered cheapest
first. Matching a plain word is then one `in` test per story.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import compress, repeat
from operator import and_, attrgetter, contains, not_
from typing import Any, NamedTuple

from tuific.metadata import normalise_rating
from tuific.model import RATINGS, Stories, Story, StoryColumns, chapter_count
from tuific.text import clean_line

# Joins the items of a field (and the fields of the plain-text haystack). Cleaned
# text never holds NUL and `_fold` removes it anyway, so neither a story's text nor a
# query term can contain it: a term found in a joined string lies inside one item.
SEP = "\x00"

READ_STATES = ("unread", "reading", "finished")
NOT_RATED = RATINGS.index("Not Rated")  # ranks 0..3 are G < T < M < E

# Query field name -> Entry attribute, for the fields searched as text.
TEXT_FIELDS: dict[str, str] = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "fandom": "fandom",
    "fandoms": "fandom",
    "ship": "ship",
    "ships": "ship",
    "pairing": "ship",
    "pairings": "ship",
    "relationship": "ship",
    "relationships": "ship",
    "character": "character",
    "characters": "character",
    "tag": "tag",
    "tags": "tag",
    "warning": "warning",
    "warnings": "warning",
    "category": "category",
    "categories": "category",
    "series": "series",
    "summary": "summary",
    "format": "format",
}
# Entry attributes that plain words search; a field term on one of these implies the
# same plain word matches (used by `narrows`).
HAYSTACK_FIELDS = ("title", "author", "fandom", "ship", "character", "tag", "series", "summary")
NUMBER_FIELDS = ("words", "chapters")
OTHER_FIELDS: dict[str, str] = {
    "rating": "rating",
    "rated": "rating",
    "status": "status",
    "read": "read",
    "fav": "favourite",
    "fave": "favourite",
    "favourite": "favourite",
    "favorite": "favourite",
}
# The names an error message lists (aliases work but are not advertised there).
FIELD_NAMES = (
    "title",
    "author",
    "fandom",
    "ship",
    "character",
    "tag",
    "warning",
    "category",
    "series",
    "summary",
    "format",
    "rating",
    "words",
    "chapters",
    "status",
    "read",
    "fav",
)


class QueryError(ValueError):
    """A malformed query; str(error) is a one-line message fit to show the user."""


# White space that is not already single spaces between words.
_UNTIDY_SPACE = re.compile(r"\s\s|[^\S ]|^ | $")


def _fold(text: str) -> str:
    """The form both stories and terms are compared in: casefolded, spaces collapsed."""
    folded = text.casefold()
    if _UNTIDY_SPACE.search(folded):  # most titles and tags are tidy already
        folded = " ".join(folded.split())
    return folded.replace(SEP, "") if SEP in folded else folded


def _join(items: Sequence[str]) -> str:
    return SEP.join(folded for folded in map(_fold, items) if folded)


# --------------------------------------------------------------------------- entries


class Entry(NamedTuple):
    """One story folded for matching: a row of Entries. (NamedTuples, not
    dataclasses, here: making a dataclass costs ~1 ms of start-up each.)"""

    path: str
    text: str  # the plain-word haystack: every searched field, SEP-joined
    title: str
    author: str
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
        status=m.status,
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

    def __len__(self) -> int:
        return self.count

    def column(self, name: str) -> list[Any]:
        column = self._columns.get(name)
        if column is None:
            column = self._columns[name] = self._makers[name]()
        return column

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

    def __add__(self, other: Entries) -> Entries:
        columns = {name: self.column(name) + other.column(name) for name in _ENTRY_FIELDS}
        return Entries.of(self.count + other.count, columns)

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
    source = stories if hasattr(stories, "values") else Stories(stories)
    count = len(source)
    for given in (reads, favourites):
        if not callable(given) and len(given) != count:
            raise ValueError("make_entries needs one read state and one favourite per story")
    if not callable(reads):
        reads = _checked_reads(reads)  # at once, as make_entry would

    makers: dict[str, Callable[[], list[Any]]] = {
        name: partial(_text_column, source, attribute, many)
        for name, _on_meta, attribute, many in _TEXT_SOURCES
    }
    # The haystack joins the text columns, made once, through the table itself;
    # unless the source holds it folded already (the metadata cache does).
    makers["text"] = lambda: _stored_haystack(source) or _haystack(entries)
    makers["path"] = partial(source.values, "path")
    makers["rating"] = lambda: list(map(_RANKS.get, source.values("rating"), repeat(NOT_RATED)))
    makers["words"] = partial(source.values, "words")
    makers["chapters"] = partial(source.values, "chapter_count")
    makers["status"] = partial(source.values, "status")
    read_states = reads  # bound for the lambda
    if callable(read_states):
        makers["read"] = lambda: _checked_reads(read_states())
    else:
        makers["read"] = partial(list, read_states)
    makers["favourite"] = favourites if callable(favourites) else partial(list, favourites)
    entries = Entries(count, makers, getattr(source, "find_in_haystack", None))
    return entries


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


# --------------------------------------------------------------------------- terms


class TextTerm(NamedTuple):
    """`value` is a substring of the field (`text` = the plain-word haystack)."""

    field: str
    value: str
    negate: bool = False


class SetTerm(NamedTuple):
    """The entry's `field` is one of `allowed` (negation is folded into the set)."""

    field: str
    allowed: frozenset[object]


class RangeTerm(NamedTuple):
    """low <= field <= high (either end may be open); `negate` means outside it."""

    field: str
    low: int | None
    high: int | None
    negate: bool = False

    def contains(self, other: RangeTerm) -> bool:
        """Whether every number in `other`'s interval is in this one."""
        return (self.low is None or (other.low is not None and other.low >= self.low)) and (
            self.high is None or (other.high is not None and other.high <= self.high)
        )

    def disjoint(self, other: RangeTerm) -> bool:
        return (self.high is not None and other.low is not None and other.low > self.high) or (
            self.low is not None and other.high is not None and other.high < self.low
        )


Term = TextTerm | SetTerm | RangeTerm
# Picks the matching stories from `indices` (None: every story), keeping their order.
Selector = Callable[[Entries, Sequence[int] | None], list[int]]


def _selector(term: Term) -> Selector:
    """The term as one pass over its column. compress() over map()ped tests keeps the
    loop in C: several times faster per story than a Python test per entry."""
    tests: Callable[[list[Any]], Iterable[object]]
    if isinstance(term, TextTerm):
        value = term.value
        if term.negate:
            tests = lambda values: map(not_, map(contains, values, repeat(value)))  # noqa: E731
        else:
            tests = lambda values: map(contains, values, repeat(value))  # noqa: E731
    elif isinstance(term, SetTerm):
        tests = partial(map, term.allowed.__contains__)
    else:
        low = -1 if term.low is None else term.low  # counts are never negative
        high = term.high
        if high is None:
            tests = partial(map, low.__le__)
        else:
            tests = lambda values: map(and_, map(low.__le__, values), map(high.__ge__, values))  # noqa: E731
        if term.negate:
            inside = tests
            tests = lambda values: map(not_, inside(values))  # noqa: E731
    name = term.field

    finds = isinstance(term, TextTerm) and name == "text"

    def select(entries: Entries, indices: Sequence[int] | None) -> list[int]:
        if finds and entries.finder is not None and (
            indices is None or len(indices) == entries.count
        ):
            # A pass over every story: searched where the source holds the text.
            found = set(entries.finder(term.value))  # type: ignore[union-attr]
            everything = range(entries.count) if indices is None else indices
            marks = map(found.__contains__, everything)
            return list(compress(everything, map(not_, marks) if term.negate else marks))  # type: ignore[union-attr]
        column = entries.column(name)
        if indices is None:
            return list(compress(range(len(column)), tests(column)))
        return list(compress(indices, tests(list(map(column.__getitem__, indices)))))

    return select


def _cost(term: Term) -> int:
    """Rough cost of a term, so cheap and often selective tests run first."""
    if isinstance(term, TextTerm):
        return 3 if term.field in ("text", "summary") else 2
    return 0 if isinstance(term, SetTerm) else 1


@dataclass(frozen=True)
class Query:
    """A parsed query. `text` is its source; a query with no terms matches everything."""

    text: str = ""
    terms: tuple[Term, ...] = ()
    selectors: tuple[Selector, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = sorted(self.terms, key=_cost)
        object.__setattr__(self, "selectors", tuple(map(_selector, ordered)))

    @property
    def empty(self) -> bool:
        return not self.terms


# --------------------------------------------------------------------------- parsing

# One piece of a token: a quoted run, a bare run, whitespace (ends a token), or a
# quote with no partner.
_PIECE = re.compile(r'"([^"]*)"|([^\s"]+)|(\s+)|(")')
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)


def parse_query(text: str) -> Query:
    """Parse a filter line; raise QueryError with a user-facing message if malformed."""
    terms: list[Term] = []
    for pieces in _tokens(clean_line(text)):
        term = _term(pieces)
        if term is not None:
            terms.append(term)
    return Query(text, tuple(terms))


def _tokens(text: str) -> list[list[tuple[str, bool]]]:
    """Split on whitespace outside quotes; each token is a list of (text, quoted) pieces."""
    tokens: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    for match in _PIECE.finditer(text):
        quoted, bare, space, stray = match.groups()
        if stray is not None:
            raise QueryError(f'unterminated quote: {text[match.start() :]} (add a closing ")')
        if space is not None:
            if current:
                tokens.append(current)
            current = []
        elif quoted is not None:
            current.append((quoted, True))
        else:
            current.append((bare, False))
    if current:
        tokens.append(current)
    return tokens


def _term(pieces: list[tuple[str, bool]]) -> Term | None:
    negate = False
    first, quoted = pieces[0]
    if not quoted and first.startswith("-"):
        negate = True
        first = first[1:]
        pieces = ([(first, False)] if first else []) + pieces[1:]
        if not pieces:
            raise QueryError("'-' must be followed by a term to exclude, like -tag:angst")
        first, quoted = pieces[0]
    match = None if quoted else _FIELD.fullmatch(first)
    if match is None:
        value = _fold("".join(piece for piece, _ in pieces))
        return TextTerm("text", value, negate) if value else None  # `""` searches nothing
    name = match.group(1).lower()
    raw = match.group(2) + "".join(piece for piece, _ in pieces[1:])
    value = _fold(raw)
    display = "-" * negate + "".join(f'"{piece}"' if q else piece for piece, q in pieces)
    if name in TEXT_FIELDS or name in NUMBER_FIELDS or name in OTHER_FIELDS:
        if not value:
            raise QueryError(f"{name}: needs a value, like {_example(name)}")
    else:
        raise QueryError(
            f"unknown field '{name}' in {display} — fields are: {', '.join(FIELD_NAMES)}"
            f' (to search for text with a colon, quote it: "{display.lstrip("-")}")'
        )
    if name in TEXT_FIELDS:
        return TextTerm(TEXT_FIELDS[name], value, negate)
    if name in NUMBER_FIELDS:
        low, high = _parse_range(name, value)
        return RangeTerm(name, low, high, negate)
    attribute = OTHER_FIELDS[name]
    allowed = _PARSERS[attribute](name, value)
    if negate:
        allowed = _UNIVERSE[attribute] - allowed
    return SetTerm(attribute, allowed)


def _example(name: str) -> str:
    examples = {
        "words": "words:>10k",
        "chapters": "chapters:<=3",
        "rating": "rating:<=t",
        "status": "status:complete",
        "read": "read:unread",
        "fav": "fav:yes",
    }
    return examples.get(name, f'{name}:"some text"')


# Numbers: 5000, 10,000, 10k, 1.5k, 2m; then whole-number ranges.
_NUMBER = re.compile(r"(\d+|\d{1,3}(?:,\d{3})+)(\.\d+)?([km]?)|(\.\d+)([km]?)")
_COMPARISON = re.compile(r"(<=|>=|<|>|=)?(.*)", re.DOTALL)


def _number(name: str, text: str, raw: str) -> int:
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise QueryError(f"{name}: expected a number like 10k, >5000 or 1k..20k, got '{raw}'")
    whole, fraction, suffix, bare_fraction, bare_suffix = match.groups()
    digits = (whole or "0").replace(",", "") + (fraction or bare_fraction or "")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[suffix or bare_suffix or ""]
    from decimal import Decimal, InvalidOperation  # exact "1.5k"; rarely needed: lazily

    try:
        number = Decimal(digits) * scale
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise QueryError(f"{name}: {raw} is not a number") from None
    if number != number.to_integral_value():
        raise QueryError(f"{name}: {text} is not a whole number")
    return int(number)


def _parse_range(name: str, value: str) -> tuple[int | None, int | None]:
    """'>10k' -> (10001, None); '1k..20k' -> (1000, 20000); '5000' -> (5000, 5000)."""
    text = "".join(value.split())
    if ".." in text:
        start, _, end = text.partition("..")
        if not start and not end:
            raise QueryError(f"{name}: expected a number like 10k, >5000 or 1k..20k, got '{value}'")
        low = _number(name, start, value) if start else None
        high = _number(name, end, value) if end else None
        if low is not None and high is not None and low > high:
            raise QueryError(f"{name}: the range {value} is empty; put the smaller number first")
        return low, high
    match = _COMPARISON.fullmatch(text)
    assert match is not None  # the pattern matches any string
    op, rest = match.groups()
    number = _number(name, rest, value)
    return _compare(op, number)


def _compare(op: str | None, number: int) -> tuple[int | None, int | None]:
    if op == ">":
        return number + 1, None
    if op == ">=":
        return number, None
    if op == "<":
        return None, number - 1
    if op == "<=":
        return None, number
    return number, number


_RATING_ALIASES = {
    "nr": NOT_RATED,
    "unrated": NOT_RATED,
    "notrated": NOT_RATED,
    "not-rated": NOT_RATED,
}
_RATING_HELP = "expected g, t, m, e or nr, or a comparison like <=t or >m"


def _rating_rank(name: str, text: str, raw: str) -> int:
    """'t', 'teen', 'Teen And Up Audiences', 'pg-13' -> 1; 'nr' -> NOT_RATED."""
    if not text:
        raise QueryError(f"{name}: {_RATING_HELP}, got '{raw}'")
    if text in _RATING_ALIASES:
        return _RATING_ALIASES[text]
    # Any prefix of an AO3 name: g/gen/general, t/teen, m/mature, e/explicit, n/not rated.
    for rank, rating in enumerate(RATINGS):
        if rating.lower().startswith(text):
            return rank
    # Other scales people know: pg-13, r, nc-17, k+.
    rating = normalise_rating(text)
    if rating != "Not Rated":
        return RATINGS.index(rating)
    raise QueryError(f"{name}: {_RATING_HELP}, got '{raw}'")


def _parse_rating(name: str, value: str) -> frozenset[object]:
    ordered = range(NOT_RATED)  # G, T, M, E; Not Rated has no place in the order
    if ".." in value:
        start, _, end = (part.strip() for part in value.partition(".."))
        low = _rating_rank(name, start, value) if start else 0
        high = _rating_rank(name, end, value) if end else NOT_RATED - 1
        if NOT_RATED in (low, high):
            raise QueryError(f"{name}: Not Rated is outside the G < T < M < E order; use {name}:nr")
        if low > high:
            raise QueryError(f"{name}: the range {value} is empty; put the lower rating first")
        return frozenset(range(low, high + 1))
    match = _COMPARISON.fullmatch(value)
    assert match is not None
    op, rest = match.groups()
    rank = _rating_rank(name, rest.strip(), value)
    if op in (None, "="):
        return frozenset({rank})
    if rank == NOT_RATED:
        raise QueryError(f"{name}: Not Rated is outside the G < T < M < E order; use {name}:nr")
    low, high = _compare(op, rank)
    return frozenset(
        r for r in ordered if (low is None or r >= low) and (high is None or r <= high)
    )


def _choice(table: dict[str, object], help_text: str) -> Callable[[str, str], frozenset[object]]:
    def parse(name: str, value: str) -> frozenset[object]:
        if value not in table:
            raise QueryError(f"{name}: expected {help_text}, got '{value}'")
        return frozenset({table[value]})

    return parse


_STATUS_WORDS: dict[str, object] = {
    "complete": "complete",
    "completed": "complete",
    "done": "complete",
    "wip": "in-progress",
    "in-progress": "in-progress",
    "inprogress": "in-progress",
    "in progress": "in-progress",
    "ongoing": "in-progress",
    "incomplete": "in-progress",
    "unfinished": "in-progress",
}
_READ_WORDS: dict[str, object] = {
    "unread": "unread",
    "new": "unread",
    "reading": "reading",
    "started": "reading",
    "finished": "finished",
    "done": "finished",
    "read": "finished",
}
_FAV_WORDS: dict[str, object] = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}

_PARSERS: dict[str, Callable[[str, str], frozenset[object]]] = {
    "rating": _parse_rating,
    "status": _choice(_STATUS_WORDS, "complete or wip"),
    "read": _choice(_READ_WORDS, "unread, reading or finished"),
    "favourite": _choice(_FAV_WORDS, "yes or no"),
}
# Every value an Entry field can take, to turn a negated set term into a positive one.
# A story with no status is in neither status:complete nor status:wip, so it is kept
# by -status:complete and by -status:wip.
_UNIVERSE: dict[str, frozenset[object]] = {
    "rating": frozenset(range(len(RATINGS))),
    "status": frozenset({"complete", "in-progress", None}),
    "read": frozenset(READ_STATES),
    "favourite": frozenset({True, False}),
}


# --------------------------------------------------------------------------- matching


def matches(query: Query, entry: Entry) -> bool:
    return bool(filter_entries(query, Entries.from_rows([entry])))


def filter_entries(
    query: Query, entries: Entries, within: Sequence[int] | None = None
) -> list[int]:
    """Indices of matching entries, in order; `within` restricts to a previous result
    (when the new query only narrows the old one) or gives the order to keep."""
    indices = None if within is None else list(within)
    # One pass per term over the survivors: the first, cheapest term usually leaves
    # few stories for the rest.
    for select in query.selectors:
        indices = select(entries, indices)
    return list(range(len(entries))) if indices is None else indices


def narrows(old: Query, new: Query) -> bool:
    """True when every story matching `new` must also match `old` (e.g. new = old +
    more terms, or a plain term extended by characters), so the UI may pass `within`.

    Sound but not complete: False only means "filter everything again".
    """
    return all(any(_implies(n, o) for n in new.terms) for o in old.terms)


def _implies(new: Term, old: Term) -> bool:
    """Whether every entry matching `new` matches `old`."""
    if new == old:
        return True
    if isinstance(old, TextTerm) and isinstance(new, TextTerm):
        if old.negate != new.negate:
            return False
        same_place = new.field == old.field or (
            # The haystack holds every item of these fields, so a story with the term
            # in one of them has it in the haystack, and one whose haystack lacks the
            # term lacks it in each of them.
            (old.field == "text" and new.field in HAYSTACK_FIELDS)
            if not old.negate
            else (new.field == "text" and old.field in HAYSTACK_FIELDS)
        )
        if not same_place:
            return False
        # "dragons" found means "drag" found; "drag" absent means "dragons" absent.
        return old.value in new.value if not old.negate else new.value in old.value
    if isinstance(old, SetTerm) and isinstance(new, SetTerm):
        return old.field == new.field and new.allowed <= old.allowed
    if isinstance(old, RangeTerm) and isinstance(new, RangeTerm) and old.field == new.field:
        if not old.negate:
            return not new.negate and old.contains(new)
        if new.negate:
            return new.contains(old)  # new excludes at least what old excludes
        return old.disjoint(new)
    return False
