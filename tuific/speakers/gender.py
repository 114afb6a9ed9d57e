"""A character's gender from the pronouns that follow its names in the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuific.speakers.names import PRONOUN_GENDER

if TYPE_CHECKING:
    from tuific.speakers.cast import Character


def by_pronouns(he: int, she: int, enough: int) -> str:
    """ "M" or "F" when `enough` pronouns were seen and one gender has twice the
    other's, else ""."""
    if he + she >= enough:
        if he >= 2 * she:
            return "M"
        if she >= 2 * he:
            return "F"
    return ""


# Subject and reflexive forms only: after "Spike gazed at her." the "her" is somebody
# else; "He had dreamed" is Spike.
# The pattern starts by consuming its first letter (ſ is an s to re.I), so the search
# skips in C to an h or an s; the check that a word starts there comes after it.
PRONOUN = re.compile(r"[HhSsſ](?<!\w.)(?i:(?<=h)(?:e|is|imself|erself)|(?<=s)he)\b")
_AFTER_ALL = 1 << 62  # a span end past any text's
PRONOUN_REACH = 100  # characters after a name in which its pronoun is looked for
FAR_REACH = 300  # ...and, for a name no nearer one gives a gender, a last resort
# "Marit read it over his shoulder": a "his" after a preposition is most often
# someone else's (the one whose shoulder it is), not the name's. (It may be the
# name's own, "Anselm came in with his sister. She smiled": then the "she" after it
# counts. Skipping only "over", "behind" and the like lost 8 quotations on the PDNC
# development novels, and counting no pronoun at all after a skipped "his" lost 4 and
# 7 of the demo stories' 540.)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:over|on|at|to|into|onto|from|with|by|in|under|behind|beside|against|across|"
    r"through|for|of|past|round|around|toward|towards|upon)\s+$",
    re.I,
)


def first_pronoun(
    text: str, start: int, end: int, speech: Sequence[tuple[int, int]] = ()
) -> re.Match[str] | None:
    """The first pronoun of PRONOUN between `start` and `end` that says the gender of
    the name before it: not a "his" after a preposition, nor one inside a stretch of
    `speech` (sorted spans), whose "she" is the speaker's talk of someone else ("“The
    girl,” Castiel says. “She isn't…”"); the narration after it reads on ("“Blower,”
    he says")."""
    found = PRONOUN.search(text, start, end)
    while found is not None:
        at = found.start()
        # (The last stretch to start at or before it, found by halves: a hostile
        # paragraph may have thousands.)
        i = bisect_right(speech, (at, _AFTER_ALL)) - 1 if speech else -1
        if i >= 0 and at < speech[i][1]:
            found = PRONOUN.search(text, speech[i][1], end)
        elif found.group().lower() == "his" and _PREPOSITION_BEFORE.search(
            text, max(start, at - 12), at
        ):
            found = PRONOUN.search(text, found.end(), end)
        else:
            break
    return found


_MAX_READS = 32  # first names whose gender the text is read for, at most


_ONE_GENDER = 5  # pronouns after names, all of one gender, that make it the story's


# Any pronoun of a gender anywhere in a text ("Sigrun's cloak… she said" counts).
_ANY_PRONOUN = {
    "F": re.compile(r"[SsHh](?<!\w.)(?i:(?<=s)he|(?<=h)er(?:s|self)?)\b"),
    "M": re.compile(r"[Hh](?<!\w.)(?i:e|is|im|imself)\b"),
}


def one_gender(
    characters: Sequence[Character], narrator: int | None, texts: Sequence[str]
) -> list[str]:
    """The characters' genders, the unknown ones filled in where the story's pronouns
    are all of one gender: a volleyball team's Sugawara and Tanaka are "he" like the
    rest, though no pronoun follows their names often enough to say so. Five or more
    after names, and none of the other gender anywhere in `texts` (not even "she said"
    or a "her" after someone else's name). (Not the `narrator`'s nor a nameless one's:
    "I", never "he".)"""
    genders = [c.gender for c in characters]
    he, she = sum(c.he for c in characters), sum(c.she for c in characters)
    if she == 0 and he >= _ONE_GENDER:
        fill, other = "M", "F"
    elif he == 0 and she >= _ONE_GENDER:
        fill, other = "F", "M"
    else:
        return genders
    pronoun = _ANY_PRONOUN[other]
    if any(pronoun.search(text) for text in texts):
        return genders
    return [
        g or (fill if c.words and i != narrator else "")
        for i, (g, c) in enumerate(zip(genders, characters, strict=True))
    ]


class TextGender:
    """The gender the pronouns after a word give it in the text, worked out on first
    asking (a scan of the text for that word) and kept."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        found = self.known.get(word)
        if found is None:
            # Each reading scans the text: a story full of titled names (a hostile
            # one) gets a few, not one per name.
            found = self._read(word) if len(self.known) < _MAX_READS else ""
            self.known[word] = found
        return found

    def _read(self, word: str) -> str:
        he = she = 0
        # (Names' words are kept in lower case; the text's have capitals.)
        name = re.compile(rf"\b{re.escape(word)}\b", re.I)
        rest = word[1:]
        for text in self.texts:
            if rest not in text:
                continue
            for at in name.finditer(text):
                pronoun = first_pronoun(text, at.end(), at.end() + PRONOUN_REACH)
                if pronoun is not None:
                    if PRONOUN_GENDER[pronoun.group().lower()] == "M":
                        he += 1
                    else:
                        she += 1
        return by_pronouns(he, she, 2)
