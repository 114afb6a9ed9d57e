"""The library query language: plain words and phrases, negation, combinations
and malformed queries."""

from __future__ import annotations

import dataclasses

import pytest
from queryhelpers import M, T, entry, error, hit

from tuific.model import Metadata, Story
from tuific.query import (
    SEP,
    Entries,
    Entry,
    filter_entries,
    make_entry,
    matches,
    parse_query,
)

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
