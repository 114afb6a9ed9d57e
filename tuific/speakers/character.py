"""One character of a story's cast, and whether a name can be one of its names.

A name is split into its title's gender, its words less titles and its title of
address (split_name); name_fits and its kin decide whether such a name may refer to a
character already known (Lizzy to Elizabeth, Mr. Darcy to Darcy; never Mrs. Weston
to Mr. Weston). Cast (cast.py) files names under characters with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tuific.speakers.gender import gender_of
from tuific.speakers.names import PETS, SOCIAL_TITLES, TITLES, name_words, title_key


@dataclass(slots=True)
class Character:
    """One character: the name shown, the names that refer to it, its pronoun."""

    name: str
    words: frozenset[str]  # the name's words without titles: what aliases must fit in
    title_gender: str = ""  # "M"/"F" from a title, "" when none says
    social: str = ""  # its title of address (mr, miss, mrs…), "" when none is known
    from_header: bool = False
    aliases: set[str] = field(default_factory=set)
    he: int = 0  # pronouns seen after its names
    she: int = 0
    # ...and further on in the paragraph, with no other name between: a last resort.
    far_he: int = 0
    far_she: int = 0
    mentions: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # how often each name was learnt
    name_gender: str | None = None  # its first name's (gender.by_first_name), once known

    @property
    def gender(self) -> str:
        """ "M", "F" or "" (unknown): see gender.gender_of."""
        return gender_of(self)


_PLAIN_TITLES = frozenset(("mr", "mister"))


def fullness(alias: str, counts: dict[str, int]) -> tuple[int, int, int, str]:
    """How full a name is, to name a character by its fullest: its words, less a
    "Mr." ("Henry Crawford" before "Mr. Crawford"; "Lady Bertram" keeps hers, and so
    do "Mrs." and "Miss": a Mrs. Bennet among Elizabeth's names is a wrong merge of
    mother and daughter, better shown as the one the text says most), then all its
    words ("Mr. Woodhouse" before "Woodhouse"), then how often the text uses it."""
    words = alias.split()
    plain = title_key(words[0]) in _PLAIN_TITLES and len(words) > 1
    return len(words) - plain, len(words), counts.get(alias, 0), alias


def split_name(name: str) -> tuple[str, frozenset[str], str]:
    """(gender of its title or "", its words less titles, its title of address or "")."""
    words = name_words(name)
    gender = social = ""
    core = []
    for i, word in enumerate(words):
        key = title_key(word)
        if key is not None and i < len(words) - 1:
            gender = gender or TITLES[key]
            if key in SOCIAL_TITLES:
                social = social or key
            continue
        core.append(word)
    return gender, frozenset(core), social


def other_gender(
    read: Callable[[str], str], char: Character, gender: str, words: frozenset[str]
) -> bool:
    """Whether the text's pronouns (`read`) give a name of `char` that `words` lack
    (its first name) the other gender than a title's `gender`."""
    if char.gender or not words < char.words:
        return False
    return any((found := read(word)) and found != gender for word in char.words - words)


def name_fits(gender: str, words: frozenset[str], char: Character, social: str = "") -> bool:
    """Whether a name (its title's gender and words) can refer to `char`."""
    if gender and char.gender and gender != char.gender:
        return False
    if social and char.social and social != char.social and not mr_and_master(social, char):
        return False
    if words <= char.words:
        return True
    # A pet form of the first name: Lizzy for Elizabeth.
    return len(words) == 1 and any(PETS.get(w, set()) & char.words for w in words)


def first_name_fits(words: frozenset[str], char: Character) -> bool:
    """Whether a one-word name is `char`'s first name, or a pet form of it."""
    first = name_words(char.name)[:1]
    return bool(first) and (words == {first[0]} or any(first[0] in PETS.get(w, ()) for w in words))


def mr_and_master(social: str, char: Character) -> bool:
    """Whether "Mr." and "Master" may be one man: a header character's full name ("Mr.
    Pippin" to a friend, "Master Took" to a servant), never two names the text learnt
    (Mr. Squeers and Master Squeers are father and son)."""
    return {social, char.social} == _MR_MASTER and char.from_header and len(char.words) > 1


_MR_MASTER = frozenset(("mr", "master"))
