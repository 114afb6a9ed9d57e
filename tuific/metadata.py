"""Turning header labels and values into `Metadata` fields.

Shared by every format: a plain-text header, a FanFicFare title page and an
AO3 preface all reduce to (label, value) pairs that `apply_field` files away.
"""

from __future__ import annotations

import re
from itertools import chain
from operator import attrgetter

from tuific import limits
from tuific.lazy_regex import lazy_compile
from tuific.model import Metadata
from tuific.text import clean_line, clean_text

# Raised when a change here files a header differently: the metadata cache keys on it,
# so stories listed from the cache are read again under the new rules.
RULES_VERSION = 2

# Canonical field for each known label (lower-case, spaces collapsed).
LABELS: dict[str, str] = {}


def _label(field_name: str, *labels: str) -> None:
    for label in labels:
        LABELS[label] = field_name


_label("title", "title", "story title")
_label("authors", "author", "authors", "writer", "writers", "by", "author(s)")
_label("recipients", "for", "recipient", "recipients", "gift for", "prompter", "giftee")
_label("fandoms", "fandom", "fandoms", "fandom(s)", "universe", "category (fandom)")
_label(
    "relationships",
    "pairing",
    "pairings",
    "pairing(s)",
    "relationship",
    "relationships",
    "relationship(s)",
    "ship",
    "ships",
)
# Pairings that also name the characters: both fields are filled.
_label(
    "characters_and_relationships",
    "character/pairing",
    "characters/pairing",
    "characters/pairings",
    "character/pairings",
    "pairing/characters",
)
_label("characters", "character", "characters", "character(s)")
_label("rating", "rating", "rated")
_label(
    "warnings",
    "warning",
    "warnings",
    "warning(s)",
    "archive warning",
    "archive warnings",
    "archive warning(s)",
    "content notes",
    "content note",
    "content warnings",
    "content warning",
)
_label("categories", "category", "categories", "category(s)")
_label("tags", "tags", "additional tags", "genre", "genres", "freeform", "tag")
_label("words_declared", "word count", "words", "wordcount", "length")
_label("published", "date", "date written", "posted", "published", "date posted", "written")
_label("updated", "updated", "completed", "last updated", "date updated")
_label("summary", "summary", "prompt", "description")
_label(
    "notes",
    "notes",
    "a/n",
    "author's note",
    "author's notes",
    "authors note",
    "author notes",
    "note",
    "author’s note",
    "author’s notes",
)
_label("series", "series")
_label("status", "status")
_label("chapters_total", "chapters")
_label("language", "language")

LIST_FIELDS = {
    "authors",
    "recipients",
    "fandoms",
    "relationships",
    "characters",
    "warnings",
    "categories",
    "tags",
}


_FIELDS_SEEN: dict[str, str | None] = {}  # label as written -> field_for's answer
_MAX_SEEN = 4096


def field_for(label: str) -> str | None:
    """The Metadata field a header label fills, or None for an unknown label."""
    # A first scan asks this for every header line of every file, with a few dozen
    # labels: remembered as written (a bounded number, hostile files or not).
    try:
        return _FIELDS_SEEN[label]
    except KeyError:
        pass
    field = LABELS.get(" ".join(label.lower().split()))
    if len(_FIELDS_SEEN) < _MAX_SEEN:
        _FIELDS_SEEN[label] = field
    return field


def split_list(value: str) -> list[str]:
    """Split a header list on commas only (an author "fennel & rue" is one author),
    and not inside brackets ("Major Character Death (implied, canonical)")."""
    if "(" not in value and "[" not in value:  # no brackets: every comma splits
        if value.isascii() and value.isprintable() and "  " not in value:
            # Nothing for clean_line to do but strip: most lists, once per story a scan.
            return list(filter(None, map(str.strip, value.split(","))))
        return [item for item in map(clean_line, value.split(",")) if item]
    parts, depth, start = [], 0, 0
    for index, char in enumerate(value):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [item for item in (clean_line(part) for part in parts) if item]


# A list item that starts with one of these, or holds a quotation, is a sentence
# about the gift rather than another name: 'For: ann, who requested "…"'.
_SENTENCE_START = lazy_compile(
    r"^(who|whom|whose|which|that|as|for|with|because|since|in|on|and|but|who'd)\b",
    re.IGNORECASE,
)
_QUOTES = set('"“”«»')


def split_recipients(value: str) -> tuple[list[str], str | None]:
    """The names in a `For:` line, and the sentence that may follow them (the request):
    'ann, bo, who asked for snow' -> (['ann', 'bo'], 'who asked for snow')."""
    names: list[str] = []
    parts = value.split(",")
    for number, part in enumerate(parts):
        item = clean_line(part)
        if _SENTENCE_START.match(item) or _QUOTES & set(item) or len(item.split()) > 4:
            return names, clean_line(",".join(parts[number:])) or None
        if item:
            names.append(item)
    return names, None


# Words before a pairing that qualify it rather than name anyone ("past Angel/Buffy").
_QUALIFIERS = lazy_compile(
    r"^(?:(?:past|implied|background|mentioned|one-sided|unrequited|former|pre|"
    r"eventual|minor|brief|hinted|established)\s+)+",
    re.IGNORECASE,
)


def characters_in(pairings: list[str]) -> list[str]:
    """The people named in pairings: ['Spike/Buffy', 'past Angel/Buffy'] ->
    ['Spike', 'Buffy', 'Angel'] (each once, in order)."""
    found: list[str] = []
    for pairing in pairings:
        for name in _PAIRING_SPLIT.split(_QUALIFIERS.sub("", pairing)):
            name = clean_line(name)
            if name and name not in found:
                found.append(name)
    return found


# The header's patterns, compiled once (a first scan applies them to every file).
_PAIRING_SPLIT = lazy_compile(r"\s*[/&]\s*")
_NUMBER = lazy_compile(r"(\d[\d,. \u00a0]*)(k\b)?", re.IGNORECASE)
_DECIMAL = lazy_compile(r"(\d+)[.,](\d+)")
_NOT_DIGIT = lazy_compile(r"\D")
_RATING_SPLIT = lazy_compile(r"\s*[/|;]\s*|\s+or\s+")
_RATED = lazy_compile(r"^rated\s+")
_CHAPTERS = lazy_compile(r"\s*(\d+)\s*/\s*(\d+|\?)")


def small_int(digits: str) -> int | None:
    """A run of digits as an int, or None when it is too long to be a real count
    (a 400-digit word count would overflow every fixed-width field downstream)."""
    digits = digits.strip()
    if not digits or len(digits) > limits.MAX_NUMBER_DIGITS or not digits.isdigit():
        return None
    return int(digits)


def parse_int(value: str) -> int | None:
    """'1,214', '12 000', '1.214', '45k', '1.2k' -> int; None when there is no number."""
    if value.isascii() and value.isdigit() and len(value) <= limits.MAX_NUMBER_DIGITS:
        return int(value)  # plain digits (most headers): what the general path gives
    return _parse_int_general(value)


def _parse_int_general(value: str) -> int | None:
    match = _NUMBER.search(value)
    if not match:
        return None
    number = match.group(1).strip(" ,.\u00a0")
    if match.group(2):
        decimal = _DECIMAL.fullmatch(number)
        if decimal:  # "1.2k": a decimal, not a thousands separator
            return round(float(f"{decimal.group(1)}.{decimal.group(2)}") * 1000)
    digits = small_int(_NOT_DIGIT.sub("", number[: limits.MAX_NUMBER_DIGITS * 2]))
    if digits is None:
        return None
    return digits * 1000 if match.group(2) else digits


_RATING_PATTERNS = (
    ("Explicit", lazy_compile(r"^(nc-?17|x|xxx|ma|explicit|e|adult|18\+?)$")),
    ("Mature", lazy_compile(r"^(r|m|mature|m\+?)$")),
    ("Teen And Up Audiences", lazy_compile(r"^(pg-?13|pg-?15|t|teen.*|t\+|13\+|15\+)$")),
    ("General Audiences", lazy_compile(r"^(pg|g|k|k\+|general.*|all ages|everyone|gen)$")),
)


_RATINGS_SEEN: dict[str, str] = {}  # a few distinct ratings, each worked out once


def normalise_rating(original: str | None) -> str:
    """Map a rating in any fandom's scale onto AO3's; unknown -> Not Rated.

    "PG/K+" style pairs are rated by their first part.
    """
    if not original:
        return "Not Rated"
    rating = _RATINGS_SEEN.get(original)
    if rating is None:
        rating = _normalise_rating(original)
        if len(_RATINGS_SEEN) < _MAX_SEEN:
            _RATINGS_SEEN[original] = rating
    return rating


def _normalise_rating(original: str) -> str:
    text = original.strip().lower()
    candidates = [text, *_RATING_SPLIT.split(text)]
    for candidate in candidates:
        candidate = candidate.strip().rstrip(".")
        candidate = _RATED.sub("", candidate)
        for name, pattern in _RATING_PATTERNS:
            if pattern.match(candidate):
                return name
    return "Not Rated"


def parse_status(value: str) -> str | None:
    text = value.strip().lower()
    if text.startswith(("complete", "finished", "done", "yes")):
        return "complete"
    if text.startswith(
        (
            "in-progress",
            "in progress",
            "wip",
            "ongoing",
            "incomplete",
            "work in progress",
            "no",
            "unfinished",
        )
    ):
        return "in-progress"
    return None


def parse_series(value: str) -> tuple[str | None, int | None]:
    """'Name [3]', 'Part 3 of Name', 'Name #3', 'Name (3)' -> (name, 3)."""
    text = clean_line(value)
    if not text:
        return None, None
    match = re.match(r"^part\s+(\d+)\s+of\s+(?:the\s+)?(.+)$", text, re.IGNORECASE)
    if match:
        return match.group(2).strip(), small_int(match.group(1))
    match = re.match(
        r"^(.+?)\s*(?:\[(\d+)\]|#(\d+)|\((\d+)\)|,\s*part\s+(\d+))$", text, re.IGNORECASE
    )
    if match:
        number = next(g for g in match.groups()[1:] if g)
        return match.group(1).strip(), small_int(number)
    return text, None


def parse_chapters(value: str) -> tuple[int | None, int | None, bool | None]:
    """'3/10' -> (3, 10, False); '5/5' -> (5, 5, True); '4/?' -> (4, None, False)."""
    done_digits, slash, total_digits = value.partition("/")
    if (
        done_digits.isascii()
        and done_digits.isdigit()
        and (total_digits == "?" or total_digits.isascii() and total_digits.isdigit())
    ):  # plain 'N/M' (most headers): what the general path gives, without its regex
        done = small_int(done_digits)
        total = None if total_digits == "?" else small_int(total_digits)
        return done, total, total is not None and done is not None and done >= total
    return _parse_chapters_general(value)


def _parse_chapters_general(value: str) -> tuple[int | None, int | None, bool | None]:
    match = _CHAPTERS.match(value)
    if match:
        done = small_int(match.group(1))
        total = None if match.group(2) == "?" else small_int(match.group(2))
        return done, total, total is not None and done is not None and done >= total
    number = parse_int(value)
    return number, number, None


def apply_field(meta: Metadata, label: str, value: str) -> None:
    """File one header (label, value) pair into `meta`; unknown labels go to `extra`."""
    name = field_for(label)
    if name is None:
        key = clean_line(label)
        text = clean_text(value).strip()
        if key:
            meta.extra[key] = f"{meta.extra[key]}\n{text}" if key in meta.extra else text
        return
    if name == "recipients":
        names, request = split_recipients(value)
        meta.recipients.extend(names)
        if request:
            meta.extra["Request"] = request
    elif name in LIST_FIELDS:
        getattr(meta, name).extend(split_list(value))
    elif name == "characters_and_relationships":
        pairings = split_list(value)
        meta.relationships.extend(pairings)
        for character in characters_in(pairings):
            if character not in meta.characters:
                meta.characters.append(character)
    elif name == "title":
        meta.title = clean_line(value)
    elif name == "rating":
        meta.rating_original = clean_line(value) or None
        meta.rating = normalise_rating(meta.rating_original)
    elif name == "words_declared":
        meta.words_declared = parse_int(value)
    elif name == "chapters_total":
        _done, total, complete = parse_chapters(value)
        meta.chapters_total = total
        if complete is not None and meta.status is None:
            meta.status = "complete" if complete else "in-progress"
    elif name == "status":
        meta.status = parse_status(value)  # type: ignore[assignment]
    elif name == "series":
        meta.series, meta.series_index = parse_series(value)
    elif name in ("summary", "notes"):
        text = clean_text(value).strip()
        old = getattr(meta, name)
        setattr(meta, name, f"{old}\n\n{text}" if old else (text or None))
    else:  # published, updated, language
        setattr(meta, name, clean_line(value) or None)


def _cut(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else text[: limit - 1] + "…"


_ONE_LINE_FIELDS = (
    "title", "rating_original", "series", "published", "updated", "language"
)
_NUMBER_FIELDS = ("words_declared", "chapters_total", "series_index")
# Each group's values at once (a first scan bounds every story it lists).
_one_line_values = attrgetter(*_ONE_LINE_FIELDS)
_LIST_FIELD_ORDER = tuple(sorted(LIST_FIELDS))
_list_values = attrgetter(*_LIST_FIELD_ORDER)
_number_values = attrgetter(*_NUMBER_FIELDS)


def append_once(items: list[str], held: set[str], value: str) -> None:
    """Append `value` to a header list unless it is empty, there already (`held`: what
    `items` holds, kept beside it: asking the list itself, a hostile OPF of 500,000
    subjects took hours) or the list is full (limits.MAX_LIST_ITEMS, as many as
    bound_metadata keeps)."""
    if value and value not in held and len(items) < limits.MAX_LIST_ITEMS:
        held.add(value)
        items.append(value)


def bound_metadata(meta: Metadata) -> None:
    """Cut every value to its budget (tuific.limits), whatever format filled it: a
    40 MB title would otherwise freeze every list and panel that shows it. Each
    group is looked at whole first: most stories have nothing to cut."""
    line, items = limits.MAX_HEADER_VALUE_CHARS, limits.MAX_LIST_ITEMS
    values, lists = _one_line_values(meta), _list_values(meta)
    longest = max(map(len, chain(filter(None, values), *lists)), default=0)
    if longest > line or max(map(len, lists)) > items:
        for name, value in zip(_ONE_LINE_FIELDS, values, strict=True):
            if value is not None and len(value) > line:
                setattr(meta, name, _cut(value, line))
        for name, values in zip(_LIST_FIELD_ORDER, lists, strict=True):
            if values and (len(values) > items or max(map(len, values)) > line):
                setattr(meta, name, [_cut(v, line) for v in values[:items]])
    notes = limits.MAX_NOTES_CHARS
    if meta.summary is not None and len(meta.summary) > notes:
        meta.summary = _cut(meta.summary, notes)
    if meta.notes is not None and len(meta.notes) > notes:
        meta.notes = _cut(meta.notes, notes)
    if meta.extra and (len(meta.extra) > items or any(
        len(k) > line or len(v) > notes for k, v in meta.extra.items()
    )):
        meta.extra = {
            _cut(k, line): _cut(v, notes)  # type: ignore[misc]
            for k, v in list(meta.extra.items())[:items]
        }
    limit = 10**limits.MAX_NUMBER_DIGITS
    for name, value in zip(_NUMBER_FIELDS, _number_values(meta), strict=True):
        if value is not None and not 0 <= value < limit:
            setattr(meta, name, None)


def title_from_filename(stem: str) -> str:
    """'the-orchard-road' -> 'The Orchard Road'."""
    words = re.split(r"[-_.\s]+", clean_line(stem))  # file names are untrusted too
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"
