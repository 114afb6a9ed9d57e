"""The query language over a library: when a query narrows another, filtering a
table of entries, and properties of both on made-up queries and stories."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from queryhelpers import NR, E, G, M, T, entry, story

from tuific.model import RATINGS
from tuific.query import (
    Entries,
    Entry,
    Query,
    QueryError,
    filter_entries,
    make_entry,
    matches,
    narrows,
    parse_query,
)

# --------------------------------------------------------------------------- narrows


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", True),
        ("", "dragon", True),
        ("dragon", "", False),
        ("drag", "dragon", True),
        ("dragon", "drag", False),
        ("ragon", "dragon", True),
        ("a", "a b", True),
        ("a b", "a", False),
        ("a b", "b a", True),
        ('"slow"', '"slow burn"', True),
        ("fandom:har", "fandom:harry", True),
        ("fandom:harry", "fandom:har", False),
        ("har", "fandom:harry", True),  # fandoms are in the haystack
        ("fandom:har", "harry", False),
        ("war", "warning:war", False),  # warnings are not
        ("-drag", "-drago", False),
        ("-dragon", "-drag", True),
        ("-dragon", "-drag x", True),
        ("-fandom:harry", "-harry", True),
        ("-harry", "-fandom:harry", False),
        ("-warning:x", "-x", False),
        ("drag", "-drag", False),
        ("-drag", "drag", False),
        ("tag:a", "-tag:ab", False),
        ("tag:a", "fandom:a", False),
        ("rating:<=m", "rating:<=t", True),
        ("rating:<=t", "rating:<=m", False),
        ("-rating:e", "rating:<=t", True),
        ("rating:<=t", "-rating:e", False),
        ("rating:t", "status:complete", False),
        ("words:>1", "words:>10", True),
        ("words:>10", "words:>1", False),
        ("words:1k..20k", "words:5k..10k", True),
        ("words:5k..10k", "words:1k..20k", False),
        ("words:<=5k", "words:..4k", True),
        ("words:>=5k", "words:..6k", False),
        ("-words:1k..20k", "-words:..30k", True),
        ("-words:..30k", "-words:1k..20k", False),
        ("-words:>10k", "words:<5k", True),
        ("-words:>10k", "words:<20k", False),
        ("-words:<5k", "words:>10k", True),
        ("words:>1", "-words:<5", False),
        ("words:>1", "-words:>10", False),
        ("words:5", "chapters:5", False),
        ("status:complete", "status:complete words:>5", True),
        ("fav:yes", "fav:yes read:unread", True),
        ("read:unread", "-read:reading -read:finished", False),  # sound, not complete
    ],
)
def test_narrows(old: str, new: str, expected: bool) -> None:
    assert narrows(parse_query(old), parse_query(new)) is expected


# --------------------------------------------------------------------------- filter_entries


ROWS = [
    entry(title="Dragon Tea", words=2_000, rating=G, tags=["fluff"], status="complete"),
    entry(title="Dragons of the Salt Roads", words=80_000, rating=M, tags=["angst"]),
    entry(title="Orchard", words=12_000, rating=T, fandoms=["Original Work"], read="finished"),
    entry(title="The Last Dragon", words=400, rating=E, tags=["fluff", "angst"],
          status="in-progress", favourite=True),
    entry(title="Lighthouse", words=30_000, rating=NR),
]
LIBRARY = Entries.from_rows(ROWS)


def test_filter_entries_returns_indices_in_order() -> None:
    assert filter_entries(parse_query("dragon"), LIBRARY) == [0, 1, 3]
    assert filter_entries(parse_query("dragon tag:fluff"), LIBRARY) == [0, 3]
    assert filter_entries(parse_query("-dragon"), LIBRARY) == [2, 4]
    assert filter_entries(parse_query("words:>10k rating:<=m"), LIBRARY) == [1, 2]
    assert filter_entries(parse_query(""), LIBRARY) == [0, 1, 2, 3, 4]
    assert filter_entries(parse_query("zzz"), LIBRARY) == []
    assert filter_entries(parse_query("fav:yes"), LIBRARY) == [3]
    assert filter_entries(parse_query("read:finished"), LIBRARY) == [2]
    assert filter_entries(parse_query("dragon"), Entries.from_rows([])) == []


def test_filter_entries_within_restricts_and_keeps_order() -> None:
    q = parse_query("dragon")
    assert filter_entries(q, LIBRARY, within=[3, 1, 2]) == [3, 1]
    assert filter_entries(parse_query(""), LIBRARY, within=[4, 0]) == [4, 0]
    assert filter_entries(q, LIBRARY, within=[]) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [("drag", "dragon"), ("dragon", "dragon tag:angst"), ("", "words:>1k"),
     ("rating:<=m", "rating:<=t"), ("-fluff", "-fluff -angst"), ("words:>1k", "words:>10k")],
)
def test_filter_within_a_narrowed_result_equals_filtering_all(old: str, new: str) -> None:
    old_q, new_q = parse_query(old), parse_query(new)
    assert narrows(old_q, new_q)
    previous = filter_entries(old_q, LIBRARY)
    assert filter_entries(new_q, LIBRARY, within=previous) == filter_entries(new_q, LIBRARY)


def test_matches_agrees_with_filter_entries() -> None:
    q = parse_query("dragon -tag:angst")
    assert [i for i, e in enumerate(ROWS) if matches(q, e)] == filter_entries(q, LIBRARY) == [0]


# --------------------------------------------------------------------------- properties


@given(st.text())
@settings(max_examples=500)
def test_parse_query_returns_a_query_or_raises_query_error(text: str) -> None:
    try:
        q = parse_query(text)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(q, Query)
        assert q.text == text
        matches(q, ROWS[0])  # and a parsed query can always be matched


QUERY_ALPHABET = 'abc:-" <>=.k1tmgenrwordsfavyes'


@given(st.text(alphabet=QUERY_ALPHABET, max_size=20))
@settings(max_examples=500)
def test_parse_query_on_query_like_text(text: str) -> None:
    try:
        q = parse_query(text)
    except QueryError:
        return
    assert set(filter_entries(q, LIBRARY)) <= set(range(len(ROWS)))


FRAGMENTS = [
    "a", "ab", "b", "ba", '"a b"', "-a", "-ab", "-b", "fandom:a", "fandom:ab", "-fandom:a",
    "tag:b", "-tag:ab", "tag:ab", "warning:a", "-warning:a", "rating:<=t", "rating:>m",
    "-rating:e", "rating:nr", "rating:t..e", "words:>10k", "words:>20k", "words:1k..20k",
    "-words:<5k", "-words:1k..8k", "-words:>20k", "words:..5000", "chapters:>2", "-chapters:1",
    "status:complete", "-status:wip", "read:unread", "-read:finished", "fav:yes", "fav:no",
]
_short = st.text(alphabet="abAB /", max_size=5)
entries_strategy = st.lists(
    st.builds(
        lambda title, fandoms, tags, warnings, rating, words, chapters, status, read, fav:
        make_entry(story(title=title, fandoms=fandoms, tags=tags, warnings=warnings,
                         rating=rating, words=words, chapters=chapters, status=status),
                   read=read, favourite=fav),
        _short, st.lists(_short, max_size=3), st.lists(_short, max_size=3),
        st.lists(_short, max_size=2), st.sampled_from(RATINGS),
        st.integers(0, 30_000), st.integers(0, 4),
        st.sampled_from(["complete", "in-progress", None]),
        st.sampled_from(["unread", "reading", "finished"]), st.booleans(),
    ),
    max_size=12,
)
fragment_lists = st.lists(st.sampled_from(FRAGMENTS), max_size=3)


@given(entries_strategy, fragment_lists, fragment_lists, st.booleans())
@settings(max_examples=300)
def test_narrows_is_sound(
    entries: list[Entry], old_parts: list[str], extra: list[str], extend: bool
) -> None:
    old = parse_query(" ".join(old_parts))
    new = parse_query(" ".join(old_parts + extra) if extend else " ".join(extra))
    table = Entries.from_rows(entries)
    everything = filter_entries(new, table)
    assert everything == [i for i, e in enumerate(entries) if matches(new, e)]
    if narrows(old, new):
        previous = filter_entries(old, table)
        assert set(everything) <= set(previous)
        assert filter_entries(new, table, within=previous) == everything
    if extend:
        assert narrows(old, new)  # adding terms always narrows
