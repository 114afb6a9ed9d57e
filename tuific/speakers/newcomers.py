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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from tuific.speakers.common import word_goes_on
from tuific.speakers.names import NOUN_GENDER, SPEECH_VERBS
from tuific.speakers.nested import inside

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
# "Remus was a quiet man", "had become a tired man": a predicate, not a newcomer...
_PREDICATE = re.compile(
    r"\b(?:is|was|are|were|be|been|being|become|became|becomes|seemed|seems)\s+$"
)
# ...unless it says someone is there: "There was an old man on the far bank."
_THERE = re.compile(r"\b[Tt]here\s+$")


def _nouns(texts: Sequence[str]) -> Iterator[tuple[int, str, int, int, str]]:
    """Each noun of a stranger in the texts: (paragraph, text, start, end, noun)."""
    for index, text in enumerate(texts):
        for match in _NOUN.finditer(text):
            start = match.start()
            if word_goes_on(text, start):
                continue  # ("woman" in "policewoman", "boy" in "cowboy")
            yield index, text, start, match.end(), match.group()


def introductions(
    texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]]
) -> list[tuple[int, list[str], str]]:
    """The newcomers a story's narration introduces with "a" or "an" and a later tag
    calls "the …": for each, the paragraph that introduces it, the descriptions that
    find it ("the old man", "the man": the longest first) and the words that introduce
    it ("an old man"). Not "Remus was a quiet man": that is someone known."""
    found: dict[str, tuple[int, str]] = {}  # description: where introduced, and how
    tagged: dict[str, int] = {}  # description: the last paragraph a tag gives it
    starts: list[int] = []
    read = -1  # the paragraph whose speech starts are `starts`
    for index, text, start, end, noun in _nouns(texts):
        before = text[max(0, start - _LOOK) : start]
        described = _DESCRIBED.search(before)
        if described is not None and (_VERB_AFTER.match(text, end) or _VERB_BEFORE.search(before)):
            word = described.group(1)
            tagged[f"the {word} {noun}" if word else f"the {noun}"] = index
        introduced = _INTRODUCED.search(before)
        if introduced is None or _known(before[: introduced.start()]):
            continue
        if read != index:
            starts, read = [a for a, _b in spans[index]], index
        at = start - len(before) + introduced.start()
        if inside(spans[index], starts, at):
            continue  # (said in speech)
        words = introduced.group(1).split()
        intro = text[at:end]
        for form in ([f"the {words[-1]} {noun}"] if words else []) + ["the " + noun]:
            found.setdefault(form, (index, intro))
    newcomers: dict[tuple[int, str], list[str]] = {}  # (where, how) introduced: descriptions
    for form, key in found.items():
        if tagged.get(form, -1) >= key[0]:  # (the intro's own tag too: "says a woman")
            if key not in newcomers and len(newcomers) == _MOST:
                break
            newcomers.setdefault(key, []).append(form)
    return [
        (index, sorted(forms, key=len, reverse=True), intro)
        for (index, intro), forms in newcomers.items()
    ]


def _known(before: str) -> bool:
    """Whether what stands before "a quiet man" says who he is: "Remus was", "had
    become" (but "There was an old man" brings someone in)."""
    said = _PREDICATE.search(before)
    return said is not None and _THERE.search(before, 0, said.start()) is None


def introduces_someone(texts: Sequence[str]) -> bool:
    """Whether any of the texts says "a man", "an old woman" (in speech or not)."""
    return any(
        _INTRODUCED.search(text[max(0, a - _LOOK) : a]) for _i, text, a, _b, _n in _nouns(texts)
    )


class Newcomers:
    """The newcomers of a fic (see introductions), each made a character when the
    reading reaches the paragraph that introduces it: its descriptions find it from
    there on, and the words that introduce it ("“…,” says a woman at the next table")
    in that paragraph only."""

    def __init__(
        self, cast: Cast, texts: Sequence[str], spans: Sequence[Sequence[Sequence[int]]]
    ) -> None:
        self._cast = cast
        self._waiting: dict[int, list[tuple[list[str], str]]] = {}
        for index, forms, intro in introductions(texts, spans):
            self._waiting.setdefault(index, []).append((forms, intro))
        self._intros: list[str] = []  # (the introducing words of the paragraph read last)

    def arrive(self, paragraph: int) -> None:
        """Make characters of the newcomers `paragraph` introduces."""
        cast = self._cast
        for intro in self._intros:
            cast.newcomers.pop(intro, None)
        self._intros.clear()
        for forms, intro in self._waiting.pop(paragraph, ()):
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
            self._intros.append(intro.lower())
