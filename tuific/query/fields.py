"""The query language's fields and their names, and the text folding both sides share."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuific.model import RATINGS

# Joins the items of a field (and the fields of the plain-text haystack). Cleaned
# text never holds NUL and `_fold` removes it anyway, so neither a story's text nor a
# query term can contain it: a term found in a joined string lies inside one item.
SEP = "\x00"

READ_STATES = ("unread", "reading", "finished", "updated", "later", "dropped")
NOT_RATED = RATINGS.index("Not Rated")  # ranks 0..3 are G < T < M < E

# Query field name -> Entry attribute, for the fields searched as text.
TEXT_FIELDS: dict[str, str] = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "for": "recipient",
    "recipient": "recipient",
    "recipients": "recipient",
    "gift": "recipient",
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
# The columns made ahead of the first filter (Entries.prepare): the plain words'
# first, then the other fields. Not `read` and `favourite`, which ask the reading
# history, `path`, which no query reads, nor `summary`, the biggest (~20 MB at
# 100,000 stories) for the rarest field query: those are made when a query asks.
PREPARED_COLUMNS = (
    "text", "title", "author", "fandom", "ship", "character", "tag", "warning", "category",
    "series", "recipient", "format", "rating", "words", "chapters", "status",
)
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
    "for",
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


# The formats' names (each reader's NAME; a test keeps the two in step), and the
# short names people type for them. `format:` takes any part of a name (`epub` finds
# all three EPUB readers'); a value that is part of none is refused, not left to
# match nothing.
FORMAT_NAMES = (
    "text",
    "markdown",
    "html",
    "epub",
    "ao3-html",
    "ao3-epub",
    "fanficfare-txt",
    "fanficfare-html",
    "fanficfare-epub",
)
FORMAT_ALIASES = {"txt": "text", "plaintext": "text", "md": "markdown", "htm": "html"}
