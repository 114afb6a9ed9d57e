"""Newcomers: the people a fic brings in with "an old man", "a woman", and then tags
as "the old man asked".

A description with a gender of its own ("the old man", "the woman") is read as a
pronoun is, the last man or woman named: in a novel, "the old man replied" is most
often someone the story has named. A fic introduces its passers-by otherwise ("There
was an old man on the far bank."), and their speech went to whoever was named last
(the boy fishing, the detective at the counter). A description the narration
introduced with "a" or "an", and a tag later uses with "the", is someone of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuific.speakers.names import NOUN_GENDER, SPEECH_VERBS

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast

# The nouns of a stranger (not kin, nor a title: "a king" is a fic's King).
_PEOPLE = "man|woman|boy|girl|lad|lass|gentleman|fellow|lady|kid|guy"
_NOUN_GENDER = {**NOUN_GENDER, "kid": "", "guy": "M"}
# "an old man", "a tall woman": at most two words between the article and the noun.
_INTRODUCED = re.compile(
    rf"\b[Aa]n?\s+(?P<words>(?:[a-z][\w-]*\s+){{0,2}}?)(?P<noun>{_PEOPLE})(?![\w'’-])"
)
# A tag of a description, "the old man asked", "said the woman", "says a woman at
# the next table": at most one word before the noun.
_WORD = r"(?:(?P<{}>[a-z][\w-]*)\s+)?"
_TAGGED = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?)\s+{_WORD.format('before')}(?P<noun>{_PEOPLE})(?:\s+[a-z]+ly)?\s+"
    rf"(?:{SPEECH_VERBS})\b"
    rf"|\b(?:{SPEECH_VERBS})\s+(?:the|an?)\s+{_WORD.format('word')}(?P<after>{_PEOPLE})"
    r"(?![\w'’-])"
)
_MOST = 6  # newcomers a story may have (each makes the names' pattern again)


def _tagged(texts: Sequence[str]) -> dict[str, int]:
    """Each description a tag gives ("the old man"), and the last paragraph it does."""
    last: dict[str, int] = {}
    for index, text in enumerate(texts):
        for match in _TAGGED.finditer(text):
            word = match.group("before") or match.group("word")
            noun = match.group("noun") or match.group("after")
            last[f"the {word} {noun}" if word else f"the {noun}"] = index
    return last


def introductions(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
) -> list[tuple[list[str], str]]:
    """The newcomers a story's narration introduces with "a" or "an" and a later tag
    calls "the …": for each, the descriptions that find it ("the old man", "the
    man": the longest first) and the words that introduce it ("an old man")."""
    found: dict[str, tuple[int, str]] = {}  # description: where introduced, and how
    for index, text in enumerate(texts):
        if " a" not in text and not text.startswith("A"):
            continue
        starts = [a for a, _b in spans[index]]
        for match in _INTRODUCED.finditer(text):
            at = match.start()
            inside = bisect_right(starts, at) - 1
            if inside >= 0 and at < spans[index][inside][1]:
                continue  # (said in speech)
            words = match.group("words").split()
            noun = match.group("noun")
            for form in ([f"the {words[-1]} {noun}"] if words else []) + ["the " + noun]:
                found.setdefault(form, (index, match.group()))
    if not found:
        return []
    tagged = _tagged(texts)
    newcomers: dict[str, list[str]] = {}  # the words that introduce each: its descriptions
    for form, (index, intro) in found.items():
        if tagged.get(form, -1) >= index:  # (the intro's own tag too: "says a woman")
            if intro not in newcomers and len(newcomers) == _MOST:
                break
            newcomers.setdefault(intro, []).append(form)
    return [(sorted(forms, key=len, reverse=True), intro) for intro, forms in newcomers.items()]


def add_newcomers(
    cast: Cast, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
) -> None:
    """Make characters of the newcomers a fic's narration introduces and tags: each
    found by its descriptions in tags and narration from then on, and the tag of the
    words that introduce it ("“…,” says a woman at the next table")."""
    for forms, intro in introductions(texts, spans):
        noun = forms[0].split()[-1]
        if any(form in cast.by_alias for form in forms) or cast.titled(noun) is not None:
            continue
        index = cast.describe(forms[0])
        cast.characters[index].title_gender = _NOUN_GENDER.get(noun, "")
        for form in forms:
            cast.newcomers[form] = index
            for alias in (form, form.capitalize()):
                cast.also_called(index, alias)
        cast.newcomers[intro.lower()] = index
