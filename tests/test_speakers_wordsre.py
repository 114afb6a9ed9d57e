"""Speaker attribution's word trees: the same matches as a plain alternation of the
words, longest first (words and texts made up here)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tuific.speakers.names import SPEECH_VERB_WORDS, SPEECH_VERBS, TITLE_RE, TITLE_WORDS
from tuific.speakers.wordsre import word_tree

# Few letters, so that words share prefixes and run into each other in the text.
WORD = st.text(alphabet="AaBb. -", min_size=1, max_size=5)
TEXT = st.text(alphabet="AaBb. -x,", max_size=40)


def plain(words: list[str], before: str, after: str) -> re.Pattern[str]:
    body = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!{before})(?:{body}){after}")


def found(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


@given(st.lists(WORD, min_size=1, max_size=8), TEXT)
def test_a_tree_finds_what_the_alternation_finds(words: list[str], text: str) -> None:
    tree = re.compile(word_tree(words, r"[\w-]", r"(?![\w-])"))
    assert found(tree, text) == found(plain(words, r"[\w-]", r"(?![\w-])"), text)


@given(st.lists(WORD, min_size=1, max_size=8), TEXT, st.integers(0, 40), st.integers(0, 40))
def test_a_tree_in_part_of_a_text_reads_what_stands_before_that_part(
    words: list[str], text: str, pos: int, endpos: int
) -> None:
    tree = re.compile(word_tree(words, r"[\w-]", r"(?![\w-])"))
    alternation = plain(words, r"[\w-]", r"(?![\w-])")
    assert [m.span() for m in tree.finditer(text, pos, endpos)] == [
        m.span() for m in alternation.finditer(text, pos, endpos)
    ]


def test_the_longest_name_wins_and_a_name_inside_a_word_is_not_one() -> None:
    tree = re.compile(word_tree(["Ann", "Anne", "Anne Elliot"], r"[\w-]", r"(?![\w-])"))
    assert found(tree, "Anne Elliot met Ann; Annette and Joanne did not.") == [
        (0, "Anne Elliot"),
        (16, "Ann"),
    ]
    assert word_tree([], r"\w") == "(?!)"


def test_titles_and_verbs_match_as_their_alternations_did() -> None:
    text = "Mr. Darcy said, Mrs Bennet went  on, and Countess Olenska cried out; Mrsx Doe."
    titled = re.compile(word_tree(TITLE_WORDS, r"\w") + r"\s+[A-Z]\w+")
    assert found(titled, text) == found(re.compile(rf"\b{TITLE_RE}\s+[A-Z]\w+"), text)
    verbs = re.compile(rf"(?:{SPEECH_VERBS})\b")
    alternation = "|".join(
        w.replace(" ", r"\s+") for w in sorted(SPEECH_VERB_WORDS, key=len, reverse=True)
    )
    assert found(verbs, text) == found(re.compile(rf"(?:{alternation})\b"), text)
    assert "went  on" in [m.group() for m in verbs.finditer(text)]
