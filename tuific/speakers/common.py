"""Learnt names that are only ordinary words capitalised where a sentence starts.

"Rain ran down the windows" makes Rain a sentence subject and "Tonight, we…" looks
like speech calling out to someone; the same text also writes "out of the rain" and
"a concert tonight". A name is capitalised where nothing else would be ("said
Rain", "…, and Rain", "Mrs. Rain"), an ordinary word is not: a word seen in lower
case and never capitalised in such a place is no one's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuific.speakers.names import SPEECH_VERBS, TITLE_RE
from tuific.speakers.wordsre import word_tree

# Where a capital says nothing of a name: a paragraph's start, a sentence's, speech's
# ("Tonight, we…"), and after an article ("the Grand Meridian").
_NO_NAME_BEFORE = re.compile(r"(?:(?:^|[.!?…:]|[“\"‘(\[])[\"”’')\]]*|\b(?:[Tt]he|[Aa]n?))\s*$")
# …unless the full stop is a title's ("Mrs. Grant").
_TITLE_BEFORE = re.compile(rf"\b{TITLE_RE}\s+$")
# A word in lower case right after a speech verb is still a name ("said nanny").
_VERB_BEFORE = re.compile(rf"\b(?:{SPEECH_VERBS})\s+$")
_BEFORE = 24  # characters looked at before a word: "Lieutenant " or "answered "
_MOST_WORDS = 500  # words looked for in lower case (a PDNC novel: 5 to 29)


def common_words(texts: Sequence[str], names: Sequence[str]) -> set[str]:
    """The names among `names` (without titles) that the texts never capitalise
    where only a name would be, and whose first word they also write in lower case."""
    if not names:
        return set()
    found = re.compile(word_tree(names, r"[\w-]", r"(?![\w-])", space=r"\s+"))
    named: set[str] = set()
    for text in texts:
        for match in found.finditer(text):
            name = match.group()
            if name in named:
                continue
            start = match.start()
            since = max(0, start - _BEFORE)
            if not _NO_NAME_BEFORE.search(text, since, start) or _TITLE_BEFORE.search(
                text, since, start
            ):
                named.add(name)
                named.add(" ".join(name.split()))
    # Each word is a search of the whole text: thousands of them (a hostile file's
    # made-up names) took minutes. Past the budget (the names come commonest first)
    # a word is left a name.
    firsts = [n.split()[0].lower() for n in names if n not in named]
    lower = lower_case_words(texts, firsts)
    return {n for n in names if n not in named and n.split()[0].lower() in lower}


def lower_case_words(texts: Sequence[str], words: Sequence[str]) -> set[str]:
    """The `words` (in lower case) that the texts write as ordinary words: whole, in
    lower case, and never where a name would be ("said nanny"). Each is a search of
    the whole text: thousands of them (a hostile file's made-up names) took minutes,
    so past the budget (the first come first) a word is taken for none."""
    words = list(dict.fromkeys(words))[:_MOST_WORDS]
    if not words:
        return set()
    # str.find word by word: a regex of lower-case words stops at nearly every letter.
    whole = "\n".join(texts)
    return {w for w in words if _only_a_word(whole, w)}


def _only_a_word(text: str, word: str) -> bool:
    """Whether `word` stands in `text` as a whole word, and never where a name would
    ("said nanny")."""
    seen = False
    at = text.find(word)
    while at >= 0:
        stop = at + len(word)
        if not _in_word(text[at - 1 : at]) and not _in_word(text[stop : stop + 1]):
            if _VERB_BEFORE.search(text, max(0, at - _BEFORE), at):
                return False
            seen = True
        at = text.find(word, stop)
    return seen


def _in_word(char: str) -> bool:
    return char != "" and (char.isalnum() or char in "_-")


def word_goes_on(text: str, start: int) -> bool:
    """Whether the word at `start` is the end of a longer one: "tender" in
    "bartender", "woman" in "policewoman", "man" in "O'man" (letters, digits, "_",
    an apostrophe or a hyphen before it)."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_'’-")
