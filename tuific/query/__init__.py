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

from .entries import (  # noqa: F401 - tests
    _ASCII_SPACES,
    _SPACES,
    _TEXT_SOURCES,
    Entries,
    Entry,
    _stored_haystack,
    make_entries,
    make_entry,
)
from .fields import (
    FIELD_NAMES,
    HAYSTACK_FIELDS,
    NOT_RATED,
    NUMBER_FIELDS,
    OTHER_FIELDS,
    PREPARED_COLUMNS,
    READ_STATES,
    SEP,
    TEXT_FIELDS,
    QueryError,
)
from .match import filter_entries, matches, narrows
from .parse import parse_query
from .terms import Query, RangeTerm, Selector, SetTerm, Term, TextTerm

__all__ = [
    "Entries",
    "Entry",
    "FIELD_NAMES",
    "HAYSTACK_FIELDS",
    "NOT_RATED",
    "NUMBER_FIELDS",
    "OTHER_FIELDS",
    "PREPARED_COLUMNS",
    "Query",
    "QueryError",
    "READ_STATES",
    "RangeTerm",
    "SEP",
    "Selector",
    "SetTerm",
    "TEXT_FIELDS",
    "Term",
    "TextTerm",
    "filter_entries",
    "make_entries",
    "make_entry",
    "matches",
    "narrows",
    "parse_query",
]
