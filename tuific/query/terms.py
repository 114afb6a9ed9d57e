"""Parsed query terms, each with a selector over entry columns, and the Query itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import compress, repeat
from operator import and_, contains, not_
from typing import Any, NamedTuple

from .entries import Entries

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
# A selection of more than 1/WHOLE_PASS_ABOVE of the stories is matched by testing
# every story (see _selector): a story read in the column's order costs about half
# of one read in a sort order.
WHOLE_PASS_ABOVE = 2
_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")
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
    # A plain word of one character may read Entries.letter_hits.
    one = term.value if finds and len(term.value) == 1 else None  # type: ignore[union-attr]
    negate = isinstance(term, TextTerm) and term.negate

    def select(entries: Entries, indices: Sequence[int] | None) -> list[int]:
        if (
            finds
            and entries.finder is not None
            and not entries.has(name)
            and (indices is None or len(indices) == entries.count)
        ):
            # A pass over every story before the column is made (Entries.prepare
            # makes it soon after a start): searched where the source holds the text,
            # not made here on the UI thread (~60 ms at 100,000 stories).
            found = set(entries.finder(term.value))  # type: ignore[union-attr]
            everything = range(entries.count) if indices is None else indices
            marks = map(found.__contains__, everything)
            return list(compress(everything, map(not_, marks) if term.negate else marks))  # type: ignore[union-attr]
        letter = entries.letter_hits(one) if one is not None else None
        if letter is not None:
            # One character (a first key): made ahead, a byte per story to read.
            held: bytes = letter.translate(_FLIP) if negate else letter
            if indices is None:
                return list(compress(range(entries.count), held))
            return list(compress(indices, map(held.__getitem__, indices)))
        column = entries.column(name)
        if indices is None:
            return list(compress(range(len(column)), tests(column)))
        if len(indices) * WHOLE_PASS_ABOVE >= len(column):
            # Most stories: test the column in its own order, which reads the values
            # where they lie in memory, then pick the results in the given order (a
            # sort order reads them scattered, twice as slow at 100,000 stories).
            hits = list(tests(column))
            return list(compress(indices, map(hits.__getitem__, indices)))
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
