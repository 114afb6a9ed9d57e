"""Sort orders for the story list and `tuific list --sort`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from tuific.model import Story

_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%B %Y",
    "%b %Y",
    "%Y-%m",
    "%Y",
)


@lru_cache(maxsize=65536)
def parse_date(text: str | None) -> date | None:
    """Read the dates story headers use: ISO, '31 July 2018', 'July 31, 2018', ..."""
    if not text:
        return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    cleaned = (
        re.sub(r"[T ]\d{1,2}:\d{2}.*$", "", cleaned) if re.match(r"\d{4}-", cleaned) else cleaned
    )
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", cleaned)
    return date(int(match.group(1)), 1, 1) if match else None


@dataclass(frozen=True, slots=True)
class SortInfo:
    """What a sort needs beyond the story: its reading state and when it arrived."""

    progress: float = 0.0
    last_opened: str | None = None  # ISO 8601
    added: float = 0.0  # file modification time, seconds since the epoch


SortKey = Callable[[Story, SortInfo], object]

_MISSING_DATE = date.min


_ARTICLE = re.compile(r"(?:the|a|an)\s+")


def _title(story: Story) -> str:
    title = story.meta.title.casefold()
    article = _ARTICLE.match(title)
    return title[article.end() :] if article else title


SORTS: dict[str, tuple[SortKey, bool]] = {
    # name: (key, descending by default)
    "title": (lambda s, i: _title(s), False),
    "author": (
        lambda s, i: ([a.casefold() for a in s.meta.authors] or ["\uffff"], _title(s)),
        False,
    ),
    "words": (lambda s, i: s.words, True),
    "chapters": (lambda s, i: len(s.chapters), True),
    "updated": (lambda s, i: parse_date(s.meta.updated or s.meta.published) or _MISSING_DATE, True),
    "published": (lambda s, i: parse_date(s.meta.published) or _MISSING_DATE, True),
    "read": (lambda s, i: i.last_opened or "", True),
    "progress": (lambda s, i: i.progress, True),
    "added": (lambda s, i: i.added, True),
    "series": (
        lambda s, i: (
            s.meta.series is None,
            (s.meta.series or "").casefold(),
            s.meta.series_index if s.meta.series_index is not None else 1 << 30,
            _title(s),
        ),
        False,
    ),
}
SORT_NAMES = tuple(SORTS)
SORT_LABELS = {
    "title": "title",
    "author": "author",
    "words": "length",
    "chapters": "chapters",
    "updated": "last updated",
    "published": "published",
    "read": "last read",
    "progress": "progress",
    "added": "date added",
    "series": "series order",
}


# Sorts that read the reading state; the others need only the story.
STATE_SORTS = frozenset({"read", "progress", "added"})


def sort_indices(
    stories: Sequence[Story], infos: Sequence[SortInfo], name: str, indices: Sequence[int]
) -> list[int]:
    """`indices` ordered by sort `name`; ties keep title order, then path.

    Each key is computed once per story (sorted() would anyway; the tie-break
    pass used to compute titles a second time).
    """
    key, descending = SORTS[name]
    by_title = sorted((_title(stories[i]), stories[i].path, i) for i in indices)
    order = [i for _title_key, _path, i in by_title]
    if name == "title":
        return order
    keys = {i: key(stories[i], infos[i]) for i in indices}
    # A stable sort keeps title order among equal keys, also when descending.
    return sorted(order, key=keys.__getitem__, reverse=descending)
