"""Helpers for the query language tests: stories and entries made from keyword
arguments, and a query's match or error in one call."""

from __future__ import annotations

import pytest

from tuific.model import RATINGS, Chapter, Metadata, Story
from tuific.query import (
    Entry,
    QueryError,
    make_entry,
    matches,
    parse_query,
)

G, T, M, E, NR = RATINGS


def story(
    words: int = 1000,
    chapters: int = 1,
    format: str = "plaintext",
    path: str = "/lib/story.txt",
    **meta: object,
) -> Story:
    return Story(
        path=path,
        format=format,
        meta=Metadata(**meta),  # type: ignore[arg-type]
        words=words,
        chapters=[Chapter(f"Chapter {n + 1}", n * 5) for n in range(chapters)],
    )


def entry(read: str = "unread", favourite: bool = False, **kwargs: object) -> Entry:
    return make_entry(story(**kwargs), read=read, favourite=favourite)  # type: ignore[arg-type]


def hit(text: str, e: Entry) -> bool:
    return matches(parse_query(text), e)


def error(text: str) -> str:
    with pytest.raises(QueryError) as info:
        parse_query(text)
    return str(info.value)
