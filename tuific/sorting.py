"""Sort orders for the story list and `tuific list --sort`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from itertools import islice
from operator import lt
from typing import Any, NamedTuple

from tuific.dates import parse_date
from tuific.lazy_regex import lazy_compile
from tuific.model import StoryColumns


class SortInfo(NamedTuple):
    """What a sort needs beyond the story: its reading state and when it arrived."""

    progress: float = 0.0
    last_opened: str | None = None  # ISO 8601
    added: float = 0.0  # file modification time, seconds since the epoch


_MISSING_DATE = date.min
_LAST = 1 << 30  # a series story without a number sorts after the numbered ones


# A leading article, after the separator every title gets in title_keys.
_ARTICLE = lazy_compile(r"\x01(?:the|a|an)\s+")


def title_keys(titles: Sequence[str]) -> list[str]:
    """Each title as the title sort compares it: casefolded, less a leading "the",
    "a" or "an". All at once: one casefold and one regex pass over the joined titles."""
    if not titles:
        return []
    joined = "\x01" + "\x01".join(titles)
    if joined.count("\x01") != len(titles):  # a title holds the separator: one by one
        return list(map(_title_key, titles))
    return _ARTICLE.sub("\x01", joined.casefold()).split("\x01")[1:]


def _title_key(title: str) -> str:
    folded = "\x01" + title.casefold()
    article = _ARTICLE.match(folded)
    return folded[article.end() if article else 1 :]


def _keys(name: str, stories: StoryColumns, infos: Callable[[], Sequence[SortInfo]],
          titles: list[str]) -> list[Any]:
    """Every story's key for sort `name` (the title key is the tie-break, not here)."""
    if name == "author":
        authors = stories.values("authors")
        return [
            ([author.casefold() for author in names] or ["\uffff"], title)
            for names, title in zip(authors, titles, strict=True)
        ]
    if name in ("words", "chapters"):
        return stories.values("words" if name == "words" else "chapter_count")
    if name in ("updated", "published"):
        published = stories.values("published")
        dates = stories.values("updated") if name == "updated" else published
        return [
            parse_date(when or first) or _MISSING_DATE
            for when, first in zip(dates, published, strict=True)
        ]
    if name == "series":
        numbers = stories.values("series_index")
        return [
            (series is None, (series or "").casefold(), _LAST if number is None else number, title)
            for series, number, title in zip(
                stories.values("series"), numbers, titles, strict=True
            )
        ]
    given = infos()
    if name == "read":
        return [info.last_opened or "" for info in given]
    if name == "progress":
        return [info.progress for info in given]
    return [info.added for info in given]  # added


# name: descending by default
SORTS: dict[str, bool] = {
    "title": False,
    "author": False,
    "words": True,
    "chapters": True,
    "updated": True,
    "published": True,
    "read": True,
    "progress": True,
    "added": True,
    "series": False,
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


def sort_name_for(text: str) -> str | None:
    """A sort's name from what a user may type: the name (`words`) or the label the
    app's status line shows (`length`, `last read`, `date-added`), in any case."""
    wanted = " ".join(text.replace("-", " ").replace("_", " ").casefold().split())
    for name, label in SORT_LABELS.items():
        if wanted in (name, label):
            return name
    return None


# Sorts that read the reading state; the others need only the story.
STATE_SORTS = frozenset({"read", "progress", "added"})


def sort_indices(
    stories: StoryColumns,
    infos: Sequence[SortInfo] | Callable[[], Sequence[SortInfo]],
    name: str,
    indices: Sequence[int],
) -> list[int]:
    """`indices` ordered by sort `name`; ties keep title order, then path.

    stories: read column by column (the list's cached library is never built into
    Story objects just to sort it). infos: one per story, or a function giving them,
    asked only by STATE_SORTS.
    """
    descending = SORTS[name]
    if name == "title" and isinstance(indices, range) and indices == range(len(stories)):
        stored = stories.title_order()
        if stored is not None:
            return stored
    titles = title_keys(stories.values("title"))
    paths = stories.values("path")
    ordered = list(map(paths.__getitem__, indices))
    if all(map(lt, ordered, islice(ordered, 1, None))):
        # Indices in path order already (the metadata cache keeps them so): a
        # stable sort by title alone breaks ties by path, at a third of the cost.
        order = sorted(indices, key=titles.__getitem__)
    else:
        by_title = sorted(zip(map(titles.__getitem__, indices), ordered, indices, strict=True))
        order = [i for _title_key, _path, i in by_title]
    if name == "title":
        return order
    keys = _keys(name, stories, infos if callable(infos) else lambda: infos, titles)
    # A stable sort keeps title order among equal keys, also when descending.
    return sorted(order, key=keys.__getitem__, reverse=descending)
