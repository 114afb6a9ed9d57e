"""A character's gender from the pronouns that follow its names in the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuific.speakers.names import (
    FEMALE_NAMES,
    MALE_NAMES,
    counted_gender,
    name_words,
    pronoun_gender,
    title_key,
)

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast
    from tuific.speakers.character import Character


def by_pronouns(he: int, she: int, enough: int) -> str:
    """ "M" or "F" when `enough` pronouns were seen and one gender has twice the
    other's, else ""."""
    if he + she >= enough:
        if he >= 2 * she:
            return "M"
        if she >= 2 * he:
            return "F"
    return ""


def gender_of(char: Character) -> str:
    """ "M", "F" or "" (unknown): a title first, then two learnt pronouns or more,
    then the first name, then one pronoun, then pronouns further on."""
    if char.title_gender:
        return char.title_gender
    # Two pronouns to go by, before the first name (Sam Carter's two "she"s)...
    found = by_pronouns(char.he, char.she, 2) or by_first_name(char)
    if found:
        return found
    # ...and fewer for a name seen only a few times that says none (Mary Bennet's
    # one "he" in a window that was her father's did not make her a man).
    found = by_pronouns(char.he, char.she, min(3, max(1, char.mentions // 4)))
    if found or char.he + char.she > 1:
        return found
    # At most one pronoun near its name (Sherlock's, in a story that says "he" a
    # sentence or two later): those further on, if three or more agree (two where
    # none near it says otherwise).
    enough = 2 if char.he + char.she == 0 else 3
    return by_pronouns(char.he + char.far_he, char.she + char.far_she, enough)


def by_first_name(char: Character) -> str:
    """The gender the name lists give its first name ("" for none), worked out once:
    the hand-made lists, then the counted names (`listed_gender`)."""
    if char.name_gender is None:
        listed = listed_gender(char)
        char.name_gender = listed or _counted_first_name(char)
    return char.name_gender


def listed_gender(char: Character) -> str:
    """The gender the hand-made name lists give any word of its name. In a fixed
    order: a set's order changes with the hash seed, and Darcy (a girl's name too)
    must not outvote Fitzwilliam."""
    for word in (*name_words(char.name), *sorted(char.words)):
        if word in FEMALE_NAMES:
            return "F"
        if word in MALE_NAMES:
            return "M"
    return ""


def _counted_first_name(char: Character) -> str:
    """For a character the header names, the gender the counted names give the first
    word of its name alone (a surname may be a first name too: Grant, Stanley; Park).
    (Not for one learnt from the text: Richmond and Clifton are places there.)"""
    if not char.from_header:
        return ""
    first = [word for word in name_words(char.name) if title_key(word) is None][:1]
    return counted_gender(first[0]) if first else ""


def fic_first_names(characters: Sequence[Character]) -> None:
    """In fan fiction, the counted names give the gender of a one-word name learnt from
    the text too, where at most one pronoun says otherwise (the waitress Marnie, with
    one "he" that was Dean's): a fic's places rarely speak."""
    for char in characters:
        words = name_words(char.name)
        if char.from_header or len(words) != 1 or char.he + char.she > 1:
            continue
        if not by_first_name(char):
            char.name_gender = counted_gender(words[0])


def firm_gender(char: Character) -> str:
    """The gender a title, the hand-made name lists or three pronouns or more give
    `char`: what the header's category may not overrule (Mary Morstan in an M/M
    story's past pairing is still a woman; the counted names may: "Park Chaeyoung" in
    an F/F pairing is no man by a surname that is a first name too)."""
    return char.title_gender or listed_gender(char) or by_pronouns(char.he, char.she, 3)


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
_OTHERS_HIS_AFTER = re.compile(
    r"\b(?:over|on|at|to|into|onto|from|with|by|in|under|behind|beside|against|across|"
    r"through|for|of|past|round|around|toward|towards|upon|"
    # ...and after a touch, whose "his" is the one touched: "Katara patted his back",
    # "Hermione squeezed his hand".
    r"patted|touched|squeezed|grabbed|kissed|clasped|stroked|nudged|elbowed|poked|"
    r"slapped|punched|hugged|tugged|cupped|ruffled|caught|held|brushed)\s+$",
    re.I,
)


def first_pronoun(
    text: str, start: int, end: int, speech: Sequence[tuple[int, int]] = ()
) -> re.Match[str] | None:
    """The first pronoun of PRONOUN between `start` and `end` that says the gender of
    the name before it: not a "his" after a preposition or a touch, nor one inside a
    stretch of `speech` (sorted spans), whose "she" is the speaker's talk of someone
    else ("“The girl,” Castiel says. “She isn't…”"); the narration after it reads on
    ("“Blower,” he says")."""
    found = PRONOUN.search(text, start, end)
    while found is not None:
        at = found.start()
        # (The last stretch to start at or before it, found by halves: a hostile
        # paragraph may have thousands.)
        i = bisect_right(speech, (at, _AFTER_ALL)) - 1 if speech else -1
        if i >= 0 and at < speech[i][1]:
            found = PRONOUN.search(text, speech[i][1], end)
        elif found.group().lower() == "his" and _OTHERS_HIS_AFTER.search(
            text, max(start, at - 12), at
        ):
            found = PRONOUN.search(text, found.end(), end)
        else:
            break
    return found


# "He" or "She" opening a sentence: a subject going on from the sentence before.
_OPENING = re.compile(r"(?:^|(?<=[.!?…]\s))\s*(He|She)\b")
# A sentence opening on someone new ("The innkeeper looked up"), whose pronouns after
# it are theirs: the far reach stops there.
_NEW_SUBJECT = re.compile(r"[.!?;…]\s+(?:The|A|An)\s+[a-z]")


def pronoun_after(text: str, mentions: list[tuple[int, int]]) -> str:
    """The gender of a "He" or "She" opening a sentence after the last name in a
    paragraph of narration ("Daichi looked down the row: …, Noya trying to balance
    his bun paper on his nose. He let out a breath."): the subject goes on, so a
    "he said" next is Daichi's, not the last man named."""
    found = ""
    for match in _OPENING.finditer(text, mentions[-1][0] if mentions else 0):
        found = "M" if match.group(1) == "He" else "F"
    return found


def learn_pronouns(
    cast: Cast,
    text: str,
    mentions: list[tuple[int, int]],
    speech: Sequence[tuple[int, int]],
    subjects: Sequence[tuple[int, int]],
) -> None:
    """Count the pronoun that first follows each name (`mentions`: position,
    character), for its character's gender: before the next name, which a pronoun
    after both more likely means ("Ann found her neighbour, Mr. Quill, at the fence.
    He had…"); not one in the paragraph's `speech` (first_pronoun). `subjects`: the
    names that are a sentence's subject, where a possessive's "He" goes."""
    if not mentions:
        return
    chars = cast.characters
    ends = [pos for pos, _who in mentions[1:]]
    ends.append(len(text))
    subject_pos = [pos for pos, _who in subjects]
    for (pos, who), end in zip(mentions, ends, strict=True):
        char = chars[who]
        char.mentions += 1
        found = first_pronoun(text, pos, min(end, pos + PRONOUN_REACH), speech)
        if found is not None:
            said = pronoun_gender(found.group())
            # "John opened the fridge. There was a jar labelled TOES in Sherlock's
            # capitals. He put the milk away": a "He" opening the sentence after a
            # possessive goes on with the paragraph's subject before it (unless that
            # one is known to be of the other gender).
            i = bisect_right(subject_pos, pos) - 1
            if i >= 0 and _OPENING.match(text, found.start()):
                name = cast.regex.match(text, pos)
                owner = chars[subjects[i][1]]
                if name and text[name.end() : name.end() + 2] in ("'s", "’s") and (
                    owner.gender in ("", said)
                ):
                    char = owner
            count_pronoun(char, said)
        elif end > pos + PRONOUN_REACH:
            # "Sherlock set the phone down, turned the coil over one last time, and
            # then laid it very gently in a sandwich bag. When he looked up…"; not
            # past someone new ("The innkeeper looked up; he did not smile").
            far = min(end, pos + FAR_REACH)
            new = _NEW_SUBJECT.search(text, pos, far)
            found = first_pronoun(text, pos + PRONOUN_REACH, new.start() if new else far, speech)
            if found is not None:
                count_pronoun(char, pronoun_gender(found.group()), far=True)


def count_pronoun(char: Character, gender: str, far: bool = False) -> None:
    """Count a pronoun of `gender` seen after one of `char`'s names (`far`: further on
    than PRONOUN_REACH, a last resort)."""
    if gender == "M":
        if far:
            char.far_he += 1
        else:
            char.he += 1
    elif gender == "F":
        if far:
            char.far_she += 1
        else:
            char.she += 1


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
                    if pronoun_gender(pronoun.group()) == "M":
                        he += 1
                    else:
                        she += 1
        return by_pronouns(he, she, 2)
