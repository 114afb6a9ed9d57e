"""The query language's fields: text fields and their aliases, ratings, numbers
(words, chapters), and status, read and fav."""

from __future__ import annotations

import pytest
from queryhelpers import NR, E, G, M, T, entry, error, hit, story

from tuific.model import RATINGS
from tuific.query import (
    Entries,
    Entry,
    filter_entries,
    make_entry,
    matches,
    parse_query,
)

# --------------------------------------------------------------------------- text fields


TEXT_FIELD_CASES = [
    # (query field, Metadata keyword, stored value, search value)
    ("title", "title", "Lanterns Over Hollow", "hollow"),
    ("author", "authors", ["quillfeather"], "quill"),
    ("authors", "authors", ["quillfeather"], "quill"),
    ("fandom", "fandoms", ["Orchard Keepers"], "orchard"),
    ("fandoms", "fandoms", ["Orchard Keepers"], "orchard"),
    ("ship", "relationships", ["Anna/Bram"], "anna/bram"),
    ("ships", "relationships", ["Anna/Bram"], "anna/bram"),
    ("pairing", "relationships", ["Anna/Bram"], "anna"),
    ("pairings", "relationships", ["Anna/Bram"], "anna"),
    ("relationship", "relationships", ["Anna/Bram"], "bram"),
    ("relationships", "relationships", ["Anna/Bram"], "bram"),
    ("character", "characters", ["Pip the Cartographer"], "pip"),
    ("characters", "characters", ["Pip the Cartographer"], "pip"),
    ("tag", "tags", ["Found Family"], "family"),
    ("tags", "tags", ["Found Family"], "family"),
    ("warning", "warnings", ["Major Character Death"], "death"),
    ("warnings", "warnings", ["Major Character Death"], "death"),
    ("category", "categories", ["F/M"], "f/m"),
    ("categories", "categories", ["F/M"], "f/m"),
    ("series", "series", "Tidewater Tales", "tidewater"),
    ("summary", "summary", "Two keepers trade letters.", "letters"),
]


@pytest.mark.parametrize(("name", "keyword", "stored", "value"), TEXT_FIELD_CASES)
def test_each_text_field_and_alias(name: str, keyword: str, stored: object, value: str) -> None:
    with_it = entry(**{keyword: stored})
    assert hit(f"{name}:{value}", with_it)
    assert hit(f"{name.upper()}:{value.upper()}", with_it)  # field names are case-blind too
    assert not hit(f"{name}:zzz", with_it)
    assert not hit(f"{name}:{value}", entry())  # lacking the field
    # The value only elsewhere does not count.
    other_keyword = "notes" if keyword != "notes" else "title"
    elsewhere = entry(**{other_keyword: value})
    assert not hit(f"{name}:{value}", elsewhere)
    # Negation
    assert not hit(f"-{name}:{value}", with_it)
    assert hit(f"-{name}:{value}", entry())


def test_field_matches_a_substring_of_any_item() -> None:
    e = entry(fandoms=["Orchard Keepers", "The Salt Roads"])
    assert hit("fandom:salt", e)
    assert hit("fandom:keepers", e)
    assert not hit('fandom:"keepers the"', e)  # items are not run together


def test_field_only_searches_its_own_field() -> None:
    e = entry(title="Dragons", tags=["fluff"])
    assert not hit("tag:dragons", e)
    assert not hit("title:fluff", e)


def test_format_field() -> None:
    e = entry(format="ao3-html")
    assert hit("format:ao3", e)
    assert hit("format:HTML", e)
    assert not hit("format:epub", e)
    assert not hit("ao3", e)  # not in the plain-word haystack


def test_quoted_field_value() -> None:
    assert hit('tag:"slow burn"', entry(tags=["Slow Burn"]))
    assert not hit('tag:"slow burn"', entry(tags=["slow", "burn"]))
    assert hit('tag:"slow    burn"', entry(tags=["Slow Burn"]))
    assert hit('tag:slow" burn"', entry(tags=["Slow Burn"]))  # a quote mid-value
    assert hit('-tag:"slow burn"', entry(tags=["slow", "burn"]))


def test_quoted_colon_is_plain_text() -> None:
    e = entry(title="Re:Zero Aftermath")
    assert hit('"Re:Zero"', e)
    assert hit('"re:zero aftermath"', e)
    assert not hit('"tag:angst"', entry(tags=["angst"]))
    assert hit('"tag:angst"', entry(summary="filed under tag:angst, sadly"))


def test_non_letter_prefixes_are_not_fields() -> None:
    assert hit("12:30", entry(title="Train at 12:30"))
    assert hit(":3", entry(summary="cute :3"))


def test_unknown_field_is_an_error_with_help() -> None:
    message = error("Re:Zero")
    assert message.startswith("unknown field 're'")
    assert "fields are: title, author, for, fandom, ship" in message
    assert "rating, words, chapters, status, read, fav" in message
    assert '"Re:Zero"' in message  # the hint shows how to quote it
    assert error("-foo:bar").startswith("unknown field 'foo'")
    assert '"foo:bar"' in error("-foo:bar")


# --------------------------------------------------------------------------- ratings


@pytest.fixture
def rated() -> dict[str, Entry]:
    return {rating: entry(rating=rating) for rating in RATINGS}


def rated_hits(text: str, rated: dict[str, Entry]) -> set[str]:
    q = parse_query(text)
    return {rating for rating, e in rated.items() if matches(q, e)}


@pytest.mark.parametrize(
    ("form", "rating"),
    [
        ("g", G), ("gen", G), ("general", G), ('"general audiences"', G), ("G", G),
        ("t", T), ("teen", T), ('"teen and up"', T), ('"Teen And Up Audiences"', T),
        ("m", M), ("mature", M), ("MATURE", M),
        ("e", E), ("explicit", E), ("E", E),
        ("nr", NR), ('"not rated"', NR), ("unrated", NR), ("NR", NR),
        # other scales normalise onto AO3's
        ("pg-13", T), ("nc-17", E), ("r", M), ("pg", G), ("k+", G),
        ("=t", T), ("=nr", NR),
    ],
)
def test_rating_forms(form: str, rating: str, rated: dict[str, Entry]) -> None:
    assert rated_hits(f"rating:{form}", rated) == {rating}
    assert rated_hits(f"-rating:{form}", rated) == set(RATINGS) - {rating}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rating:<=t", {G, T}),
        ("rating:<t", {G}),
        ("rating:<g", set()),
        ("rating:<=g", {G}),
        ("rating:>m", {E}),
        ("rating:>=m", {M, E}),
        ("rating:>e", set()),
        ("rating:>=g", {G, T, M, E}),  # Not Rated is outside the order
        ("rating:>=teen", {T, M, E}),
        ("rating:<mature", {G, T}),
        ("rating:t..m", {T, M}),
        ("rating:..t", {G, T}),
        ("rating:m..", {M, E}),
        ("rating:t..t", {T}),
        ("-rating:<=t", {M, E, NR}),
        ("-rating:>=g", {NR}),
        ('rating:"<= t"', {G, T}),
    ],
)
def test_rating_comparisons(text: str, expected: set[str], rated: dict[str, Entry]) -> None:
    assert rated_hits(text, rated) == expected


def test_unknown_stored_rating_counts_as_not_rated() -> None:
    e = entry(rating="Something Odd")
    assert hit("rating:nr", e)
    assert not hit("rating:>=g", e)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("rating:banana", "rating: expected g, t, m, e or nr, or a comparison like <=t or >m, "
                          "got 'banana'"),
        ("rating:<=", "got '<='"),
        ("rating:>>t", "got '>>t'"),
        ("rating:<=nr", "Not Rated is outside the G < T < M < E order; use rating:nr"),
        ("rating:>nr", "Not Rated is outside"),
        ("rating:nr..e", "Not Rated is outside"),
        ("rating:m..t", "rating: the range m..t is empty"),
        ("rating:q..t", "got 'q..t'"),
    ],
)
def test_rating_errors(text: str, needle: str) -> None:
    assert needle in error(text)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("words:>10k", [10_001, 500_000], [10_000, 0]),
        ("words:>=10k", [10_000, 10_001], [9_999]),
        ("words:<5000", [0, 4_999], [5_000]),
        ("words:<=5000", [5_000, 0], [5_001]),
        ("words:5000", [5_000], [4_999, 5_001]),
        ("words:=5000", [5_000], [4_999, 5_001]),
        ("words:1k..20k", [1_000, 12_000, 20_000], [999, 20_001]),
        ("words:..5k", [0, 5_000], [5_001]),
        ("words:10k..", [10_000, 9_000_000], [9_999]),
        ("words:1.5k", [1_500], [1_000, 1_499, 1_501]),
        ("words:.5k", [500], [501]),
        ("words:>1.5k", [1_501], [1_500]),
        ("words:2m", [2_000_000], [2_000]),
        ("words:>1M", [1_000_001], [1_000_000]),
        ("words:10K", [10_000], [10]),
        ("words:10,000", [10_000], [10]),
        ("words:1,234,567", [1_234_567], [1_234]),
        ('words:"> 10k"', [10_001], [10_000]),
        ("-words:>10k", [10_000, 0], [10_001]),
        ("-words:1k..20k", [999, 20_001], [1_000, 20_000]),
        ("-words:5000", [4_999, 5_001], [5_000]),
    ],
)
def test_word_counts(text: str, inside: list[int], outside: list[int]) -> None:
    for words in inside:
        assert hit(text, entry(words=words)), words
    for words in outside:
        assert not hit(text, entry(words=words)), words


def test_words_is_the_counted_length_not_the_declared_one() -> None:
    e = entry(words=800, words_declared=50_000)
    assert hit("words:800", e)
    assert not hit("words:>1k", e)


def test_chapters() -> None:
    assert hit("chapters:1", entry(chapters=1))
    assert hit("chapters:>3", entry(chapters=4))
    assert not hit("chapters:>3", entry(chapters=3))
    assert hit("chapters:2..5", entry(chapters=5))
    assert hit("-chapters:1", entry(chapters=12))
    assert not hit("-chapters:1", entry(chapters=1))
    # Same count as `tuific list --json`: a story without chapter marks is one chapter,
    # an empty one none.
    assert hit("chapters:1", entry(chapters=0, words=300))
    assert hit("chapters:0", entry(chapters=0, words=0))
    assert make_entry(story(chapters=0, words=300)).chapters == story(
        chapters=0, words=300).record()["chapters"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("words:>>banana", "words: expected a number like 10k, >5000 or 1k..20k, got '>>banana'"),
        ("words:abc", "words: expected a number like 10k, >5000 or 1k..20k, got 'abc'"),
        ("chapters:x", "chapters: expected a number like 10k, >5000 or 1k..20k, got 'x'"),
        ("words:-5", "words: expected a number like 10k, >5000 or 1k..20k, got '-5'"),
        ("words:..", "words: expected a number like 10k, >5000 or 1k..20k, got '..'"),
        ("words:1..2..3", "words: expected a number like 10k, >5000 or 1k..20k, got '1..2..3'"),
        ("words:1,00", "words: expected a number like 10k, >5000 or 1k..20k, got '1,00'"),
        ("words:10kk", "words: expected a number like 10k, >5000 or 1k..20k, got '10kk'"),
        ("words:<", "words: expected a number like 10k, >5000 or 1k..20k, got '<'"),
        ("words:1.2345k", "words: 1.2345k is not a whole number"),
        ("words:2.5", "words: 2.5 is not a whole number"),
        ("words:20k..1k", "words: the range 20k..1k is empty; put the smaller number first"),
    ],
)
def test_number_errors(text: str, message: str) -> None:
    assert error(text) == message


# --------------------------------------------------------------------------- status, read, fav


@pytest.mark.parametrize("form", ["complete", "completed", "done", "COMPLETE"])
def test_status_complete(form: str) -> None:
    assert hit(f"status:{form}", entry(status="complete"))
    assert not hit(f"status:{form}", entry(status="in-progress"))
    assert not hit(f"status:{form}", entry(status=None, chapters=3))
    assert hit(f"status:{form}", entry(status=None, chapters=1))  # a one-shot


@pytest.mark.parametrize(
    "form", ["wip", "WIP", "in-progress", '"in progress"', "ongoing", "incomplete", "unfinished"]
)
def test_status_wip(form: str) -> None:
    assert hit(f"status:{form}", entry(status="in-progress"))
    assert not hit(f"status:{form}", entry(status="complete"))
    assert not hit(f"status:{form}", entry(status=None, chapters=3))


def test_negated_status_keeps_stories_without_a_status() -> None:
    assert hit("-status:complete", entry(status=None, chapters=3))
    assert hit("-status:complete", entry(status="in-progress"))
    assert not hit("-status:complete", entry(status="complete"))
    assert hit("-status:wip", entry(status=None, chapters=3))
    assert hit("-status:wip", entry(status="complete"))
    assert not hit("-status:wip", entry(status="in-progress"))


@pytest.mark.parametrize(
    ("form", "state"),
    [("unread", "unread"), ("new", "unread"), ("reading", "reading"), ("started", "reading"),
     ("finished", "finished"), ("done", "finished"), ("read", "finished"),
     ("Finished", "finished")],
)
def test_read_states(form: str, state: str) -> None:
    for other in ("unread", "reading", "finished"):
        assert hit(f"read:{form}", entry(read=other)) == (other == state)
        assert hit(f"-read:{form}", entry(read=other)) == (other != state)


def test_read_defaults_to_unread_and_updates_in_place() -> None:
    e = entry()
    assert e.read == "unread" and e.favourite is False
    assert hit("read:unread", e)
    table = Entries.from_rows([e])
    table.set(0, "read", "finished")
    table.set(0, "favourite", True)
    assert filter_entries(parse_query("read:finished fav:yes"), table) == [0]
    assert filter_entries(parse_query("read:unread"), table) == []


def test_make_entry_rejects_unknown_read_state() -> None:
    with pytest.raises(ValueError):
        make_entry(story(), read="skimmed")


@pytest.mark.parametrize(
    ("form", "value"),
    [("yes", True), ("y", True), ("true", True), ("1", True), ("YES", True),
     ("no", False), ("n", False), ("false", False), ("0", False)],
)
def test_fav(form: str, value: bool) -> None:
    for favourite in (True, False):
        e = entry(favourite=favourite)
        assert hit(f"fav:{form}", e) == (favourite == value)
        assert hit(f"-fav:{form}", e) == (favourite != value)
        assert hit(f"favourite:{form}", e) == (favourite == value)
        assert hit(f"favorite:{form}", e) == (favourite == value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("status:maybe", "status: expected complete or wip, got 'maybe'"),
        (
            "read:skimmed",
            "read: expected unread, reading, finished, updated, later or dropped, got 'skimmed'",
        ),
        ("fav:perhaps", "fav: expected yes or no, got 'perhaps'"),
    ],
)
def test_choice_errors(text: str, message: str) -> None:
    assert error(text) == message
