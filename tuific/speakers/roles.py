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
_DET = r"(?:the|their|our|his|her|my|your|a|an)"
# What a name before the role is joined by: "Eugenio's our courier", "Mr. Eager, the
# English chaplain", "Holga was a barbarian" (up to two words between the determiner
# and the noun).
_NAMED_BEFORE = re.compile(
    rf"(?P<who>{NAME_RE})(?:,|['’]s|\s+(?:is|was))\s+{_DET}\s+(?:[\w'’-]+\s+){{0,2}}$"
)
# "our secretary, Mr. Clacton," (not "the child, Mrs. Weston giving an account")
_NAMED_AFTER = re.compile(rf",\s+(?P<who>{NAME_RE})(?=\s*[,.;:!?]|\s+(?:who|was|is)\b)")
_DET_BEFORE = re.compile(r"\b(?:the|their|our|his|her)\s+(?:[\w'’-]+\s+){0,2}$")
_WINDOW = 80  # characters before a role looked at for its name


class RoleOwners:
    """The character each role noun is tied to by the text, if one only: looked for
    the first time a tag asks ("the courier said"), as few stories have many."""

    def __init__(self, texts: Sequence[str], lookup: Callable[[str], int | None]) -> None:
        self._texts = texts
        self._lookup = lookup  # the character a name means, or None
        self._owners: dict[str, int | None] = {}
        self._text: str | None = None

    def get(self, noun: str) -> int | None:
        if noun not in self._owners:
            self._owners[noun] = self._find(noun) if noun in ROLE_NOUNS else None
        return self._owners[noun]

    def _find(self, noun: str) -> int | None:
        if self._text is None:
            # (One string, searched in C for each noun asked about: a test of every
            # paragraph for each noun cost 5% of the attribution's time.)
            self._text = "\n".join(self._texts)
        text = self._text
        found: set[int] = set()
        # (The noun first, so that the search skips to it in C; the character
        # before is tested here.)
        for match in re.finditer(rf"{noun}(?![\w'’-])", text):
            start, end = match.span()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_'’-"):
                continue  # ("bartender" is no "tender")
            before = text[max(0, start - _WINDOW) : start]
            before = before[before.rfind("\n") + 1 :]  # (this paragraph's only)
            named = _NAMED_BEFORE.search(before)
            who = self._lookup(named.group("who")) if named else None
            if who is None and _DET_BEFORE.search(before):
                after = _NAMED_AFTER.match(text, end)
                who = self._lookup(after.group("who")) if after else None
            if who is not None:
                found.add(who)
                if len(found) > 1:
                    return None
        return next(iter(found), None)
