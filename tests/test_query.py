"""The library query language: parsing, matching, narrowing, errors."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuific.model import RATINGS, Chapter, Metadata, Story
from tuific.query import (
    SEP,
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


# A story with every searched field set, each to a distinct word.
FULL = dict(
    title="Lanterns Over Hollow Creek",
    authors=["quillfeather", "Mossy Ink"],
    recipients=["giftling"],
    fandoms=["Orchard Keepers", "The Salt Roads"],
    relationships=["Anneliese/Brambleton", "Corvin & Dace"],
    characters=["Anneliese", "Brambleton", "Pip the Cartographer"],
    rating=T,
    warnings=["No Archive Warnings Apply"],
    categories=["F/M"],
    tags=["Slow Burn", "Found Family", "Lighthouses"],
    summary="Two keepers trade letters\nacross a frozen   estuary.",
    notes="thanks to my beta, wrenlet",
    series="Tidewater Tales",
    status="complete",
    language="English",
)


# --------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    "word",
    ["lanterns", "quillfeather", "salt roads", "anneliese/brambleton", "cartographer",
     "found family", "tidewater", "estuary"],
)
def test_plain_words_search_the_haystack_fields(word: str) -> None:
    e = entry(**FULL)
    assert hit(f'"{word}"', e)
    assert not hit(f'"{word}"', entry(title="Something Else"))


@pytest.mark.parametrize("word", ["giftling", "archive", "f/m", "wrenlet", "english", "plaintext"])
def test_plain_words_ignore_fields_outside_the_haystack(word: str) -> None:
    # recipients, warnings, categories, notes, language and format need field: terms
    assert not hit(word, entry(**FULL))


def test_plain_words_are_case_insensitive_both_ways() -> None:
    e = entry(title="The Quiet HARBOUR")
    assert hit("harbour", e)
    assert hit("QuIeT", e)
    assert hit("Straße".upper(), entry(title="Straße"))  # casefold: STRASSE == straße


def test_plain_words_are_substrings() -> None:
    assert hit("light", entry(tags=["Lighthouses"]))
    assert hit("houses", entry(tags=["Lighthouses"]))


def test_every_term_must_match() -> None:
    e = entry(title="Copper Kettle", tags=["tea"])
    assert hit("copper tea", e)
    assert not hit("copper coffee", e)


def test_phrase_matches_words_together_only() -> None:
    e = entry(tags=["slow burn"], title="A slow summer")
    assert hit('"slow burn"', e)
    assert not hit('"burn slow"', e)
    assert not hit('"slow summer burn"', e)


def test_phrase_does_not_span_items_or_fields() -> None:
    assert not hit('"slow burn"', entry(tags=["slow", "burn"]))
    assert not hit('"ends slow burn"', entry(title="It ends slow", authors=["burn"]))
    assert not hit('"slowburn"', entry(tags=["slow", "burn"]))


def test_whitespace_is_collapsed_in_phrases_and_stories() -> None:
    e = entry(summary="trade letters\nacross a frozen   estuary")
    assert hit('"letters across"', e)
    assert hit('"frozen estuary"', e)
    assert hit('"frozen     estuary"', e)


def test_empty_query_matches_everything() -> None:
    for text in ("", "   ", '""', '-""'):
        q = parse_query(text)
        assert q.empty
        assert matches(q, entry())
        assert matches(q, entry(title="", words=0, chapters=0))


def test_query_keeps_its_source_and_is_immutable() -> None:
    q = parse_query("  Dragon  fandom:X ")
    assert q.text == "  Dragon  fandom:X "
    assert parse_query("dragon") == parse_query("dragon")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.text = "other"  # type: ignore[misc]


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


# --------------------------------------------------------------------------- negation


def test_negated_plain_word_and_phrase() -> None:
    e = entry(title="Dragon Tea", tags=["slow burn"])
    assert not hit("-dragon", e)
    assert hit("-griffin", e)
    assert not hit('-"slow burn"', e)
    assert hit('-"burn slow"', e)


@pytest.mark.parametrize(
    "text",
    ['-fandom:"original work"', "-title:x", "-author:x", "-ship:x", "-character:x", "-tag:x",
     "-warning:x", "-category:x", "-series:x", "-summary:x", "-x", '-"x y"'],
)
def test_negating_a_missing_field_keeps_the_story(text: str) -> None:
    bare = make_entry(Story(path="/p", format="", meta=Metadata(summary=None, series=None)))
    assert hit(text, bare)


def test_negation_with_other_terms() -> None:
    stories = [
        entry(title="Orchard", fandoms=["Original Work"]),
        entry(title="Orchard", fandoms=["Salt Roads"]),
        entry(title="Orchard"),
    ]
    q = parse_query('orchard -fandom:"original work"')
    assert filter_entries(q, Entries.from_rows(stories)) == [1, 2]


def test_double_dash_excludes_a_dash_word() -> None:
    assert not hit("--x", entry(title="a --x b"))
    assert hit("--x", entry(title="a x b"))


def test_quoted_dash_is_text() -> None:
    assert hit('"-x"', entry(title="a -x b"))
    assert not hit('"-x"', entry(title="a x b"))


# --------------------------------------------------------------------------- combinations


def test_a_realistic_combination() -> None:
    def lantern(**change: object) -> Entry:
        fields: dict[str, object] = dict(
            title="Lanterns", fandoms=["Orchard Keepers"], tags=["Slow Burn"], rating=T,
            words=42_000, status="complete", relationships=["Anna/Bram"],
        )
        return entry(**{**fields, **change})

    q = ('lantern fandom:orchard tag:"slow burn" -tag:angst rating:<=t words:>10k '
         "status:complete read:unread fav:no ship:anna")
    assert hit(q, lantern())
    for change in (dict(rating=M), dict(words=9_000), dict(status="in-progress"),
                   dict(tags=["Slow Burn", "Angst"]), dict(fandoms=["Salt Roads"]),
                   dict(title="Candles"), dict(relationships=[]), dict(read="reading"),
                   dict(favourite=True)):
        assert not hit(q, lantern(**change)), change


# --------------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"abc', 'unterminated quote: "abc (add a closing ")'),
        ('tag:"slow', 'unterminated quote: "slow (add a closing ")'),
        ('a "b" "c d', 'unterminated quote: "c d (add a closing ")'),
        ("-", "'-' must be followed by a term to exclude, like -tag:angst"),
        ("dragon - tea", "'-' must be followed by a term to exclude, like -tag:angst"),
        ("fandom:", 'fandom: needs a value, like fandom:"some text"'),
        ('tag:""', 'tag: needs a value, like tag:"some text"'),
        ("-title:", 'title: needs a value, like title:"some text"'),
        ("words:", "words: needs a value, like words:>10k"),
        ("chapters:", "chapters: needs a value, like chapters:<=3"),
        ("rating:", "rating: needs a value, like rating:<=t"),
        ("status:", "status: needs a value, like status:complete"),
        ("read:", "read: needs a value, like read:unread"),
        ("fav:", "fav: needs a value, like fav:yes"),
    ],
)
def test_malformed_queries(text: str, message: str) -> None:
    assert error(text) == message


def test_query_error_is_a_value_error_with_one_line() -> None:
    for text in ("words:>>banana", "Re:Zero", '"abc', "rating:<=nr", "a\nb:c", "x:\x1b[2J"):
        with pytest.raises(ValueError) as info:
            parse_query(text)
        message = str(info.value)
        assert "\n" not in message
        assert "\x1b" not in message  # control characters are cleaned out


# --------------------------------------------------------------------------- entries


def test_separator_never_joins_a_match() -> None:
    e = entry(title="a", authors=["b"], tags=["c\x00d"])
    assert SEP not in e.tag  # a NUL smuggled into a story is dropped
    assert hit("cd", e)
    assert not hit("ab", e)
    assert parse_query("a\x00b").terms[0].value == "ab"  # type: ignore[union-attr]


def test_entry_keeps_the_path() -> None:
    assert entry(path="/lib/x.txt").path == "/lib/x.txt"


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
