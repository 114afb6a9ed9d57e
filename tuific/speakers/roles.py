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
from typing import TYPE_CHECKING

from tuific.speakers.common import word_goes_on
from tuific.speakers.gender import FAR_REACH, count_pronoun, first_pronoun
from tuific.speakers.learn import NAME_RE
from tuific.speakers.names import pronoun_gender
from tuific.speakers.nested import inside

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast

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
_MOST_NOUNS = 64  # nouns looked for (each a search of the whole text), at most


class RoleOwners:
    """The character each role noun is tied to by the text, if one only: looked for
    the first time a tag asks ("the courier said", "said the sheriff"), as few
    stories have many."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts: Sequence[str] = texts
        self._owners: dict[str, int | None] = {}
        self._text: str | None = None
        # Fan fiction's: any noun a tag makes a role, and a role that titles a name
        # ("Sheriff Lorraine Dahl"). (On the novels, a search of the whole text for
        # each noun of "said the stranger", "said the other" cost 5-10% of the time.)
        self.titles = False

    def get(self, noun: str, lookup: Callable[[str], int | None]) -> int | None:
        """The character `noun` is, by `lookup` (the character a name means, or None)."""
        if noun not in self._owners:
            asked = (
                self._texts
                and (self.titles or noun in ROLE_NOUNS)
                and len(self._owners) < _MOST_NOUNS
            )
            self._owners[noun] = self._find(noun, lookup) if asked else None
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
        # "Sheriff Lorraine Dahl met them": the role as the title of a name. (The
        # noun first, so that the search skips to it in C; the character before is
        # tested here.)
        titled = re.compile(rf"{re.escape(noun.capitalize())}\s+({NAME_RE})")
        for count, match in enumerate(titled.finditer(text) if self.titles else ()):
            if count == _MOST_USES:
                break
            if word_goes_on(text, match.start()):
                continue
            who = lookup(match.group(1))
            if who is not None:
                found.add(who)
            if len(found) > 1:
                return None
        for count, match in enumerate(re.finditer(rf"{noun}(?![\w'’-])", text)):
            if count == _MOST_USES:
                break
            start, end = match.span()
            if word_goes_on(text, start):
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
# sentence of the narration, then a word that may follow a subject (see _FOLLOWS), is
# someone the story may not have named (not "The customer's", "The guards").
_ROLE_SUBJECT = re.compile(
    r"(?:^|[.!?][\"”’]?\s+)The\s+(?:[a-z][\w-]*\s+){0,2}?"
    rf"(?P<noun>{'|'.join(sorted(ROLE_NOUNS, key=len, reverse=True))})"
    r"\s+(?P<next>[a-z]+)\b"
)
# What follows a subject: a verb ("was", "had", "leaned", "spreads", "quickly"), a place
# or a clause ("in the doorway", "who"); not a noun of a compound ("The guard dog").
_FOLLOWS = frozenset(
    "in at on by with from behind beside near inside outside who whom that was were had "
    "did could would should might must will can came went stood sat said saw got took "
    "gave made held kept left let put ran set shook sent felt found knew thought told "
    "brought began rose fell drew wore spoke swung stuck struck hung wrote".split()
)
_NARRATED_ROLES = 8  # roles a fic's narration makes someone, at most (each a new pattern)


def narrated_roles(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
) -> dict[str, tuple[int, int]]:
    """The roles ("the customer") that open a sentence of a fic's narration (not of a
    speech: `spans`), each with where the story first does so (paragraph, the role's
    end), in that order: the nameless people who may speak next."""
    found: dict[str, tuple[int, int]] = {}
    for index, text in enumerate(texts):
        if "The " not in text:
            continue
        # Where each stretch of speech starts, to find one by halves (a hostile
        # paragraph may have thousands).
        starts = [a for a, _b in spans[index]]
        for match in _ROLE_SUBJECT.finditer(text):
            after = match.group("next")
            if not (after in _FOLLOWS or after.endswith(("ed", "s", "ly"))):
                continue
            if inside(spans[index], starts, match.start("noun")):
                continue
            found.setdefault("the " + match.group("noun"), (index, match.end("noun")))
            if len(found) == _NARRATED_ROLES:
                return found
    return found


def add_narrated_roles(
    cast: Cast, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
) -> None:
    """Make characters of the roles a fic's narration opens sentences with, where the
    cast has nobody of that title or role (each found in the narration as "the
    customer" from then on, on a budget of its own: the tags' roles keep theirs).
    Gendered by the first pronoun after it, before anyone else is named: in its
    paragraph, or, as a last resort, in the next ("“…!” he wailed")."""
    kept = cast.role_mentions
    cast.role_mentions = _NARRATED_ROLES
    for role, (index, end) in narrated_roles(texts, spans).items():
        noun = role.split()[-1]
        if (
            cast.titled(noun) is not None
            or cast.called_by_noun(noun) is not None
            or cast.roles.get(noun, cast.lookup) is not None
        ):
            continue
        char = cast.characters[cast.describe(role)]
        for at, text in enumerate(texts[index : index + 2], index):
            start = end if at == index else 0
            limit = min(len(text), start + FAR_REACH)
            name = cast.regex.search(text, start, limit)
            stop = name.start() if name is not None else limit
            pronoun = first_pronoun(text, start, stop, [(a, b) for a, b in spans[at]])
            if pronoun is not None:
                count_pronoun(char, pronoun_gender(pronoun.group()), far=at != index)
            if pronoun is not None or name is not None:
                break
    cast.role_mentions = kept
