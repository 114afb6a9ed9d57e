"""The cache file's layout: its format number and signature, the separators, which
column holds what, and the ranges its numbers may take (see the package docstring)."""

from __future__ import annotations

import dataclasses

from tuific import __version__, limits
from tuific.formats import READER_NAMES, READERS_REVISION
from tuific.metadata import RULES_VERSION
from tuific.model import Metadata

CACHE_FORMAT = 5

_META_FIELDS = dataclasses.fields(Metadata)

STORY_SEP = "\x01"  # between the stories of a text column
ITEM_SEP = "\x00"  # between the items of a list
_STORY_BYTE, _ITEM_BYTE = STORY_SEP.encode(), ITEM_SEP.encode()


def _signature() -> str:
    """What the entries depend on besides the files: changes here rebuild the cache."""
    readers = ",".join(READER_NAMES) + f"@{READERS_REVISION}"
    # The budgets decide where a story is cut: a change must reread the library.
    readers += "|" + ",".join(f"{k}={v}" for k, v in vars(limits).items() if k.isupper())
    shape = ",".join(f"{f.name}:{f.type}" for f in _META_FIELDS)
    return f"{CACHE_FORMAT}|{__version__}|{RULES_VERSION}|{readers}|{shape}"


# ------------------------------------------------------------ column encoding
#
# The file: three JSON lines, then the text section (the text columns' UTF-8 bytes
# one after another). The header:
#   {"signature", "root", "count": n,
#    "texts": [[column name, byte length], ...] in the text section's order,
#    "title_order": the title_order number column (below),
#    "lone_empty": {list column: indices of the stories whose list is [""]},
#    "skipped": [[rel, size, mtime_ns, reason], ...]}
# the head (format 5, see head.py): {index: {stored column: value}} for the first
# stories in title order; and the other numbers and the masks, read only when the
# columns are checked (CachedStories.verify):
#   {"numbers": {column name: base64 of its values as little-endian int64s},
#    "masks": {optional text column: "0"/"1" per story, "1" where the value is None}}
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
# A Metadata field of a type this package does not know: never trust a file.
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


class _Malformed(ValueError):
    """The file is not what we wrote."""
