"""Parsing a filter line into a Query, with a clear message for every bad value."""

from __future__ import annotations

import re
from collections.abc import Callable

from tuific.metadata import normalise_rating
from tuific.model import RATINGS
from tuific.text import clean_line

from .fields import (
    FIELD_NAMES,
    FORMAT_ALIASES,
    FORMAT_NAMES,
    NOT_RATED,
    NUMBER_FIELDS,
    OTHER_FIELDS,
    READ_STATES,
    TEXT_FIELDS,
    QueryError,
    _fold,
)
from .terms import Query, RangeTerm, SetTerm, Term, TextTerm

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
    if name == "format":
        value = _format_value(value, raw)
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


def _format_value(value: str, raw: str) -> str:
    value = FORMAT_ALIASES.get(value, value)
    if not any(value in known for known in FORMAT_NAMES):
        known = ", ".join(FORMAT_NAMES)
        raise QueryError(f"format: expected part of one of {known} (or txt, md), got '{raw}'")
    return value


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
    floor, ceiling = _compare(op, rank)
    return frozenset(
        r for r in ordered if (floor is None or r >= floor) and (ceiling is None or r <= ceiling)
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
    "updated": "updated",
    "grown": "updated",
    "later": "later",
    "tbr": "later",
    "dropped": "dropped",
    "abandoned": "dropped",
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
    "read": _choice(_READ_WORDS, "unread, reading, finished, updated, later or dropped"),
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
