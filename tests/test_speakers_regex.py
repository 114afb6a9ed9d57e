"""Speaker attribution's regexes written for speed (each starts by consuming a
character, so the engine skips in C to where a match may start, or reads a name's
letters possessively) find what their plain forms find (texts made up here)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tuific.speakers import _PRONOUN
from tuific.speakers.cast import _CAP, _SUBJECT, _SUBJECT_VERBS
from tuific.speakers.tags import _BEFORE, _BEFORE_AT_START, _BEFORE_TAIL, _CALLED

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
PLAIN_SUBJECT = re.compile(
    r"([A-Z](?:(?<=[a-z,;.!?] .)|(?<=^.))[a-zà-öø-ÿ'’\-]*[a-zà-öø-ÿ]"
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


def test_the_patterns_find_their_words_in_a_sentence() -> None:
    text = "“Yes, sir,” said Ann. Ann was tired, and she said so herself."
    assert _CALLED.search(text).group(1) == "sir"  # type: ignore[union-attr]
    assert [m.group() for m in _PRONOUN.finditer(text)] == ["she", "herself"]
    assert _SUBJECT.findall(text) == [("Ann", "")]
    before = "Ann looked up. Mr. Knightley turned to her and said, "
    assert _BEFORE.search(before).group("who") == "Mr. Knightley"  # type: ignore[union-attr]
