"""Roles: the people a story calls by what they do ("the waiter", "the merchant").

"The waiter said, …" before speech is someone the cast does not name: without the
role as a character of its own, the speech went to whoever was named last (a fic's
merchant, innkeeper or client, a novel's croupier). Only nouns of this list make a
role before the verb: any "the X" there made characters of "the matter was thus"
and "the villagers said". A role the text gives a name ("Eugenio's our courier",
"Mr. Eager, the English chaplain", "the courier, Eugenio") is that character's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from tuific.speakers.learn import NAME_RE

ROLE_NOUNS = frozenset(
    "waiter waitress servant butler footman porter clerk merchant shopkeeper innkeeper "
    "landlord landlady barman bartender barkeep barista cashier cook coachman driver "
    "cabman guard sentry soldier officer sergeant corporal doctor nurse surgeon "
    "clergyman vicar chaplain curate missionary detective inspector constable policeman "
    "judge lawyer solicitor magistrate secretary croupier dealer stranger visitor client "
    "customer newcomer child kid youth teacher professor student pilot engineer mechanic "
    "healer witch wizard mage knight squire herald messenger courier guide farmer "
    "shepherd fisherman sailor boatman ferryman peddler vendor blacksmith smith baker "
    "butcher tailor jeweller receptionist operator assistant attendant usher conductor "
    "steward stewardess host hostess manager agent thief warden jailer prisoner hunter "
    "dwarf elf orc goblin troll creature robot android droid bard ranger captain "
    "lieutenant commander colonel admiral".split()
)
# Only a definite or possessive determiner: "Harry was a child then" describes Harry,
# but "Eugenio's our courier" names the one courier.
_DET = r"(?:the|their|our|his|her|my|your)"
# The roles that say a gender: "said the waitress" is a woman.
ROLE_GENDER = {
    **dict.fromkeys("waitress landlady stewardess hostess".split(), "F"),
    **dict.fromkeys(
        "barman boatman cabman clergyman coachman ferryman fisherman footman landlord "
        "policeman".split(),
        "M",
    ),
}
_ROLE_WORDS = r"(?:[\w'’-]+\s+){0,2}"  # words between the determiner and the noun
# "Eugenio's our courier", "Ralph was their guide"
_COPULA = re.compile(rf"(?P<who>{NAME_RE})(?:['’]s|\s+(?:is|was))\s+{_DET}\s+{_ROLE_WORDS}$")
# "Mr. Eager, the English chaplain at Florence": the name opens its clause (or follows
# "is", "met", "that's"), and the role closes after it (below): not "Looking at Harry, the guard
# frowned", nor "Harry, the guard and Hermione".
_APPOSED = re.compile(
    rf"(?:^|[.!?;:]\s+|[“\"‘(]\s*|\b(?:is|was|met|meet|meets|[Tt]hat['’]s|[Ii]t['’]s|[Hh]ere['’]s)\s+)(?P<who>{NAME_RE}),\s+{_DET}"
    rf"\s+{_ROLE_WORDS}$"
)
_CLOSES = re.compile(r"\s*[,.;:!?)]|\s+(?:at|of|in|from|to|for)\b")
# "our secretary, Mr. Clacton," (not "the child, Mrs. Weston giving an account")
_NAMED_AFTER = re.compile(rf",\s+(?P<who>{NAME_RE})(?=\s*[,.;:!?])")
_DET_BEFORE = re.compile(rf"\b{_DET}\s+{_ROLE_WORDS}$")
_WINDOW = 80  # characters before a role looked at for its name
_MOST_USES = 500  # of a noun, read for its name (a hostile story says it millions of times)


class RoleOwners:
    """The character each role noun is tied to by the text, if one only: looked for
    the first time a tag asks ("the courier said"), as few stories have many."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts: Sequence[str] = texts
        self._owners: dict[str, int | None] = {}
        self._text: str | None = None

    def get(self, noun: str, lookup: Callable[[str], int | None]) -> int | None:
        """The character `noun` is, by `lookup` (the character a name means, or None)."""
        if noun not in self._owners:
            found = self._find(noun, lookup) if noun in ROLE_NOUNS and self._texts else None
            self._owners[noun] = found
        return self._owners[noun]

    def release(self) -> None:
        """Let go of the text (and its joined copy): the paragraphs are read."""
        self._texts, self._text = (), None

    def _find(self, noun: str, lookup: Callable[[str], int | None]) -> int | None:
        if self._text is None:
            # (One string, searched in C for each noun asked about: a test of every
            # paragraph for each noun cost 5% of the attribution's time.)
            self._text = "\n".join(self._texts)
        text = self._text
        found: set[int] = set()
        # (The noun first, so that the search skips to it in C; the character
        # before is tested here.)
        for count, match in enumerate(re.finditer(rf"{noun}(?![\w'’-])", text)):
            if count == _MOST_USES:
                break
            start, end = match.span()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_'’-"):
                continue  # ("bartender" is no "tender")
            before = text[max(0, start - _WINDOW) : start]
            before = before[before.rfind("\n") + 1 :]  # (this paragraph's only)
            named = _COPULA.search(before)
            if named is None and _CLOSES.match(text, end):
                named = _APPOSED.search(before)
            who = lookup(named.group("who")) if named else None
            if who is None and _DET_BEFORE.search(before):
                after = _NAMED_AFTER.match(text, end)
                who = lookup(after.group("who")) if after else None
            if who is not None:
                found.add(who)
                if len(found) > 1:
                    return None
        return next(iter(found), None)


# "The customer in the Hawaiian shirt was crying anyway.": a role that opens a
# sentence of the narration, then a word in lower case (a verb, "in", "who"), someone
# the story may not have named (not "The customer's", "The guards", "The cook and").
_ROLE_SUBJECT = re.compile(
    r"(?:^|[.!?][\"”’]?\s+)The\s+(?:[a-z][\w-]*\s+){0,2}?"
    rf"(?P<noun>{'|'.join(sorted(ROLE_NOUNS, key=len, reverse=True))})"
    r"\s+(?!(?:and|or|nor|of)\b)[a-z]+\b"
)


def narrated_roles(texts: Sequence[str]) -> dict[str, tuple[int, int]]:
    """The roles ("the customer") that open a sentence of a fic's narration, each
    with where the story first does so (paragraph, the role's end), in that order:
    the nameless people who may speak next."""
    found: dict[str, tuple[int, int]] = {}
    for index, text in enumerate(texts):
        if "The " in text:
            for match in _ROLE_SUBJECT.finditer(text):
                found.setdefault("the " + match.group("noun"), (index, match.end("noun")))
    return found
