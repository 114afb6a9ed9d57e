"""Speaker attribution's regexes written for speed (each starts by consuming a
character, so the engine skips in C to where a match may start, or reads a name's
letters possessively) find what their plain forms find (texts made up here)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tuific.speakers.called import CALLED as _CALLED
from tuific.speakers.called import CALLED_BACKWARDS as _CALLED_BACKWARDS
from tuific.speakers.called import CALLED_GENDER
from tuific.speakers.gender import PRONOUN as _PRONOUN
from tuific.speakers.learn import _CAP, _INNER, _SUBJECT, _SUBJECT_VERBS, _TAG_BEFORE, NAME_RE
from tuific.speakers.names import SPEECH_VERBS
from tuific.speakers.paragraph import _SUBJECT_PRONOUNS
from tuific.speakers.tags import (
    _ANY_VERB,
    _BEFORE,
    _BEFORE_AT_START,
    _BEFORE_TAIL,
)

# The plain forms, as they were written before.
PLAIN_PRONOUN = re.compile(r"\b(?:he|she|his|himself|herself)\b", re.I)
PLAIN_CALLED = re.compile(
    r"(?:[,“\"‘]\s*|\b(?:my|dear|oh)\s+)(sir|mister|papa|daddy|dad|father|uncle|sonny|lad|"
    r"boy|fellow|chap|son|brother|monsieur|lordship|grandpapa|pater|"
    r"madam|ma['’]am|mummy|mamma|mama|mum|mom|mother|aunt|miss|girl|sister|madame|"
    r"mademoiselle|lady|ladyship|grandmamma|granny|mumsy|mater)\b(?=\s*[,.!?;”\"’—])",
    re.I,
)
PLAIN_BEFORE = re.compile(rf"(?:^|[.!?]\s+|\s){_BEFORE_TAIL}")
PLAIN_SUBJECT_PRONOUNS = {"M": re.compile(r"\b[Hh]e\b"), "F": re.compile(r"\b[Ss]he\b")}
PLAIN_TAG_BEFORE = re.compile(rf"[,!?]\W?\s+({NAME_RE})\s+(?:{SPEECH_VERBS})\b")
PLAIN_SUBJECT = re.compile(
    rf"([A-Z](?:(?<=[a-z,;.!?] .)|(?<=^.)){_INNER}[a-zà-öø-ÿ]"
    rf"(?:\s+{_CAP})?)()\s+(?:{_SUBJECT_VERBS})\b"
)


def pieces(*words: str) -> st.SearchStrategy[str]:
    """Texts run together from `words`, so that they touch, repeat and break off."""
    return st.lists(st.sampled_from(words), max_size=10).map("".join)


# Case variants, ſ (an s to re.I) and the dotted and dotless i (an i to re.I).
PRONOUN_TEXT = pieces(
    "he",
    "She",
    "HIS",
    "him",
    "himself",
    "herself",
    "ſhe",
    "hıs",
    "hİs",
    "x",
    " ",
    ".",
    "-",
    "é",
    "s",
    "h",
)
CALLED_TEXT = pieces(
    "sir",
    "Sir",
    "MADAM",
    "ma'am",
    "ma’am",
    "miss",
    "my",
    "My",
    "dear",
    "oh",
    "O",
    "xmy",
    "mum",
    ",",
    "“",
    '"',
    "‘",
    " ",
    "  ",
    ".",
    "!",
    "”",
    "—",
    "’",
    "?",
    ";",
    "d",
    "m",
    "o",
    "_",
)
SUBJECT_TEXT = pieces(
    "Ann",
    "A",
    "Bo's",
    "Jo-",
    "'",
    "’",
    "-",
    "é",
    "É",
    " ",
    "  ",
    ".",
    ",",
    "was",
    "said",
    "x",
    "O'Neil",
    "Mc",
    "D'",
)

BEFORE_TEXT = pieces(
    "Emma",
    "Mr. Knightley",
    "She",
    "he",
    "I",
    "the old man",
    "The",
    "said",
    "turned to him and",
    "replied",
    "quietly",
    "to",
    "her",
    ",",
    ":",
    ".",
    "!",
    " ",
    "  ",
    "\n",
    "—",
    "x",
    "Yes",
)


def spans(pattern: re.Pattern[str], text: str, pos: int, end: int) -> tuple | None:
    found = pattern.search(text, pos, end)
    return found and (found.span(), found.groups())


@given(PRONOUN_TEXT, st.integers(0, 30), st.integers(0, 30))
def test_the_pronoun_search_finds_what_the_plain_one_finds(text: str, pos: int, end: int) -> None:
    assert spans(_PRONOUN, text, pos, end) == spans(PLAIN_PRONOUN, text, pos, end)


@given(CALLED_TEXT, st.integers(0, 30), st.integers(0, 30))
def test_words_of_address_are_found_as_the_plain_search_finds_them(
    text: str, pos: int, end: int
) -> None:
    assert spans(_CALLED, text, pos, end) == spans(PLAIN_CALLED, text, pos, end)


@given(SUBJECT_TEXT)
def test_sentence_subjects_are_found_as_the_plain_pattern_finds_them(text: str) -> None:
    assert _SUBJECT.findall(text) == PLAIN_SUBJECT.findall(text)


@given(BEFORE_TEXT)
def test_a_tag_before_speech_is_found_as_the_plain_pattern_finds_it(text: str) -> None:
    found = _BEFORE_AT_START.match(text) or _BEFORE.search(text)
    plain = PLAIN_BEFORE.search(text)
    assert (found and found.group("who")) == (plain and plain.group("who"))


@given(PRONOUN_TEXT, st.integers(0, 30), st.integers(0, 30))
def test_the_first_he_and_she_are_found_as_the_plain_searches_find_them(
    text: str, pos: int, end: int
) -> None:
    for gender, pattern in _SUBJECT_PRONOUNS:
        assert spans(pattern, text, pos, end) == spans(
            PLAIN_SUBJECT_PRONOUNS[gender], text, pos, end
        )


@given(CALLED_TEXT, st.integers(0, 30), st.integers(0, 30))
def test_speech_read_backwards_holds_every_word_of_address_found(
    text: str, pos: int, end: int
) -> None:
    # The backward search only lets _CALLED be skipped: it may find more, never less.
    if _CALLED.search(text, pos, end):
        assert _CALLED_BACKWARDS.search(text[pos:end][::-1])


def test_every_word_of_address_before_every_mark_is_found_both_ways() -> None:
    words = [*CALLED_GENDER, "ma’am", "SIR", "Madam"]
    for word in words:
        for mark in ',.!?;”"’—':
            for before, space in (("“Yes, ", ""), ("‘Oh ", " "), ("Then, my dear ", "")):
                text = f"{before}{word}{space}{mark} he said."
                found = _CALLED.search(text)
                assert found is not None and found.group(1) == word, text
                assert _CALLED_BACKWARDS.search(text[::-1]) is not None, text


@given(BEFORE_TEXT)
def test_narration_with_a_tag_before_speech_passes_the_cheap_test(text: str) -> None:
    if _BEFORE_AT_START.match(text) or _BEFORE.search(text):
        assert _ANY_VERB.search(text)


@given(pieces(",", "!", " ", "  ", "—", "Mr.", "Mr", "Emma", "Ann Lee", "emma", "said", "x", "."))
def test_a_tag_subject_after_a_comma_is_found_as_the_plain_pattern_finds_it(text: str) -> None:
    assert _TAG_BEFORE.findall(text) == PLAIN_TAG_BEFORE.findall(text)


def test_the_patterns_find_their_words_in_a_sentence() -> None:
    text = "“Yes, sir,” said Ann. Ann was tired, and she said so herself."
    assert _CALLED.search(text).group(1) == "sir"  # type: ignore[union-attr]
    assert _CALLED_BACKWARDS.search(text[::-1]) is not None
    assert _CALLED_BACKWARDS.search("“Yes, sirrah.”"[::-1]) is None
    # ("herself" holds "he", but not as a word.)
    found = {g: p.search(text) for g, p in _SUBJECT_PRONOUNS}
    assert found["M"] is None and found["F"] is not None
    assert found["F"].start() == text.index("she")
    assert [m.group() for m in _PRONOUN.finditer(text)] == ["she", "herself"]
    assert _SUBJECT.findall(text) == [("Ann", "")]
    before = "Ann looked up. Mr. Knightley turned to her and said, "
    assert _BEFORE.search(before).group("who") == "Mr. Knightley"  # type: ignore[union-attr]
    assert _ANY_VERB.search(before) is not None
    assert _ANY_VERB.search("Ann said nothing and left the room.") is None
