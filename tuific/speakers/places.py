"""Places the cast took for people: "Hartfield", "Highbury", "Chandrapore".

The names learnt from the text include houses, towns and streets, capitalised like
anyone ("Emma walked to Hartfield"). They never speak, yet as candidates they take
speech (21 turns of the ten development novels with a header, 97 bare; none right)
and would show in the margin and the panel as speakers. A place is told by how it is
named: most often after "at", "in", "to", "from" and their kin, which a person
rarely is outside a possessive ("at Tom's", left out). Only a name that
nothing else vouches for can be one: never the header's, never one with a title
(Mrs., Captain), never the name of an explicit tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tuific.speakers.cast import Cast

# The words before a name that say it is a place (looked for in the few characters
# before each mention).
_LOCATIVE = re.compile(
    r"\b(?:[Ii]n|[Ii]nto|[Aa]t|[Tt]o|[Ff]rom|[Nn]ear|[Tt]owards?|[Tt]hrough|[Rr]ound|"
    r"[Aa]cross|[Ww]ithin|[Ll]eave|[Ll]eaving|[Ll]eft|[Rr]each|[Rr]eached|[Rr]eaching)\s+$"
)
# ...and the ones that say it of a name seen once: a person is "at", "to" or "from"
# someone often enough ("looked at Tom", "a letter from Tom"), seldom "in" them.
_INSIDE = re.compile(r"\b(?:[Ii]n|[Ii]nto|[Nn]ear|[Tt]hrough|[Aa]cross|[Ww]ithin)\s+$")
_BACK = 12  # characters before a mention that the search reads
MIN_MENTIONS = 5  # from this many mentions, a share of them as a place's will do:
MIN_SHARE = 0.4  # ...this one; a name seen fewer times must be named as a place every
# time, once at least after "in" and its kin (a short story's village, "in Harcombe";
# "looked at Jem" and "turned to Jem" make no place of Jem)


class PlaceCounter:
    """How often each name that could be a place is named as one, mention by mention."""

    def __init__(self, cast: Cast) -> None:
        self.open = [
            not (c.from_header or c.title_gender or c.social) for c in cast.characters
        ]
        # (The names' pattern as the paragraphs start: a fic's role named later adds
        # an alias, but a role is never a place, so the mentions it reads are of
        # names this pattern knows, and it finds the same longest name for them.)
        self.name_at = cast.regex.match
        self.seen = [0] * len(cast.characters)
        self.as_place = [0] * len(cast.characters)
        self.inside = [0] * len(cast.characters)

    def count(self, text: str, mentions: Sequence[tuple[int, int]]) -> None:
        """Count a paragraph's (position, character) mentions."""
        search = _LOCATIVE.search
        name_at = self.name_at
        open_ = self.open
        known = len(open_)  # (a role met since is no place: Cast.role_mentions)
        for pos, who in mentions:
            if who >= known or not open_[who]:
                continue
            name = name_at(text, pos)
            # "at Tom's": a person's house, not a place's name.
            if name is not None and text[name.end() : name.end() + 2] in ("'s", "’s"):
                continue
            self.seen[who] += 1
            if search(text, max(0, pos - _BACK), pos):
                self.as_place[who] += 1
                if _INSIDE.search(text, max(0, pos - _BACK), pos):
                    self.inside[who] += 1

    def places(self, tagged: Iterable[int | None]) -> frozenset[int]:
        """The characters that are places: named as one often enough, and never the
        name of an explicit tag (`tagged`: each turn's)."""
        speakers = set(tagged)
        return frozenset(
            who
            for who, (n, at, inside) in enumerate(
                zip(self.seen, self.as_place, self.inside, strict=True)
            )
            if who not in speakers
            and (
                at >= MIN_SHARE * n
                if n >= MIN_MENTIONS
                else at == n and inside >= 1
            )
        )
