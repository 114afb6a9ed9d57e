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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from tuific.speakers.names import NOUN_GENDER, SPEECH_VERBS

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast

# The nouns of a stranger (not kin, nor a title: "a king" is a fic's King). (The
# noun first, so that the search skips to its letters; what stands around it is
# read after: a search for "a" or "the" stopped at nearly every word.)
_NOUN = re.compile(r"(?:man|woman|boy|girl|lad|lass|gentleman|fellow|lady|kid|guy)(?![\w'’-])")
_NOUN_GENDER = {**NOUN_GENDER, "kid": "", "guy": "M"}
_LOOK = 48  # characters read before a noun
# "an old man", "a tall woman": at most two words between the article and the noun.
_INTRODUCED = re.compile(r"(?<![\w'’-])[Aa]n?\s+((?:[a-z][\w-]*\s+){0,2}?)$")
# A tag of a description, "the old man asked", "said the woman", "says a woman at
# the next table": at most one word before the noun.
_DESCRIBED = re.compile(r"(?<![\w'’-])(?:[Tt]he|[Aa]n?)\s+(?:([a-z][\w-]*)\s+)?$")
_VERB_BEFORE = re.compile(rf"(?<![\w'’-])(?:{SPEECH_VERBS})\s+(?:the|an?)\s+(?:[a-z][\w-]*\s+)?$")
_VERB_AFTER = re.compile(rf"(?:\s+[a-z]+ly)?\s+(?:{SPEECH_VERBS})\b")
_MOST = 6  # newcomers a story may have (each makes the names' pattern again)


def _nouns(texts: Sequence[str]) -> Iterator[tuple[int, str, int, int, str]]:
    """Each noun of a stranger in the texts: (paragraph, text, start, end, noun)."""
    for index, text in enumerate(texts):
        for match in _NOUN.finditer(text):
            start = match.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_'’-"):
                continue  # ("woman" in "policewoman", "boy" in "cowboy")
            yield index, text, start, match.end(), match.group()


def introductions(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
) -> list[tuple[list[str], str]]:
    """The newcomers a story's narration introduces with "a" or "an" and a later tag
    calls "the …": for each, the descriptions that find it ("the old man", "the
    man": the longest first) and the words that introduce it ("an old man")."""
    found: dict[str, tuple[int, str]] = {}  # description: where introduced, and how
    tagged: dict[str, int] = {}  # description: the last paragraph a tag gives it
    for index, text, start, end, noun in _nouns(texts):
        before = text[max(0, start - _LOOK) : start]
        described = _DESCRIBED.search(before)
        if described is not None and (_VERB_AFTER.match(text, end) or _VERB_BEFORE.search(before)):
            word = described.group(1)
            tagged[f"the {word} {noun}" if word else f"the {noun}"] = index
        introduced = _INTRODUCED.search(before)
        if introduced is None:
            continue
        starts = [a for a, _b in spans[index]]
        at = start - len(before) + introduced.start()
        inside = bisect_right(starts, at) - 1
        if inside >= 0 and at < spans[index][inside][1]:
            continue  # (said in speech)
        words = introduced.group(1).split()
        intro = text[at:end]
        for form in ([f"the {words[-1]} {noun}"] if words else []) + ["the " + noun]:
            found.setdefault(form, (index, intro))
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
