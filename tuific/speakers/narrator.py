"""Who tells a story: the person its tags speak in ("I said", or "you say" in a
reader-insert), and the character "I" is when the story says: by the names the
others call "I" by, or section by section where fan fiction marks whose point of
view it is ("Draco's POV", "POV: Harry")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuific.speakers.turn import Tag, Turn

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast


def find_narrator(
    turns: Sequence[Turn],
    narrated: Sequence[list[int]],
    anchors: Sequence[int | None],
    from_header: Sequence[bool],
) -> int | None:
    """Who "I" is in a first-person story: the name that the speech next to "I said"
    calls to most often."""
    votes: dict[int, int] = {}
    for t, turn in enumerate(turns):
        if any(tag is not None and tag.gender == "I" for tag in turn.tags):
            for u in (t - 1, t + 1):
                if 0 <= u < len(turns):
                    for who in turns[u].vocatives:
                        votes[who] = votes.get(who, 0) + 1
    # The narrator is "I" in the narration and the tags: others call them by name,
    # but the story does not name them in its narration nor tag their speech with
    # their name. (The Gambler's grandmother calls her servant while she talks with
    # the narrator, and as often as others call the narrator.)
    named = Counter(who for names in narrated for who in names)
    called = Counter(who for turn in turns for who in turn.vocatives)
    tagged = Counter(anchors)
    votes = {
        who: n for who, n in votes.items() if tagged[who] <= 1 and named[who] <= called[who]
    }
    if not votes:
        return None
    best = max(votes, key=votes.__getitem__)
    # Called by name twice next to "I said"; once will do for a character of the
    # header (a short fic's Watson, whom Holmes asks "Your opinion, Watson?").
    return best if votes[best] >= (1 if from_header[best] else 2) else None


# What the reader shows for a narrator the story never names, by person.
UNNAMED = {"I": "Narrator", "Y": "You"}
# "I said" tags that make a nameless narrator a speaker, and "you say" tags that make
# a story one told in the second person (A Handful of Dust has two, in a speech that
# quotes another: '"Why didn't you stay the night," you say').
_MIN_TAGS = 3


def settle_person(turns: Sequence[Turn], reader_insert: bool = False) -> tuple[str, int]:
    """The person a story's narrator speaks in ("I", "Y" for "you", "" when no tag
    says) and how many tags say so. "You say" tags are the narrator's where they
    outnumber "I said" tags (a story told in the second person); elsewhere "you"
    is someone the narrator talks to, and those tags are dropped. Either way the
    narrator's tags are left as "I". `reader_insert`: the story writes "Y/N" for the
    reader's name, and one "you say" will do."""
    counts = Counter(
        tag.gender
        for turn in turns
        for tag in (*turn.tags, turn.lead)
        if tag is not None and tag.gender in ("I", "Y")
    )
    second = counts["Y"] > counts["I"] and counts["Y"] >= (1 if reader_insert else _MIN_TAGS)
    if counts["Y"]:
        for turn in turns:
            turn.tags = [_read_you(tag, second) for tag in turn.tags]
            turn.lead = _read_you(turn.lead, second)
    person = "Y" if second else "I" if counts["I"] else ""
    return person, counts[person] if person else 0


def _read_you(tag: Tag | None, second: bool) -> Tag | None:
    if tag is None or tag.gender != "Y":
        return tag
    if not second:
        return None
    tag.gender = "I"
    return tag


def unnamed_narrator(person: str, tags: int) -> str | None:
    """The name to give a narrator that find_narrator found no name for, when the
    story's tags make them a speaker (settle_person has judged "you" already)."""
    return UNNAMED[person] if person == "Y" or (person and tags >= _MIN_TAGS) else None


# A line that says whose point of view follows: "Draco's POV", "~ Harry's P.O.V. ~",
# "POV: Hermione", "Ron's point of view".
_POV = re.compile(
    r"[\W_]*(?:(?P<owner>[^\W\d_][\w.’' -]{0,40}?)['’]s\s+(?i:p\.?o\.?v\.?|point of view)"
    r"|(?i:p\.?o\.?v\.?)\s*[:\-–—]?\s*(?P<named>[^\W\d_][\w.’' -]{0,40}?))[\W_]*"
)
POV_LINE = 60  # characters: a longer paragraph is narration, not a marker


def point_of_view(cast: Cast, text: str) -> int | None:
    """The character a paragraph says the section is seen by ("Draco's POV"), if it
    is such a marker and names one character of the cast."""
    low = text.lower()
    if len(text) > POV_LINE or not ("pov" in low or "p.o.v" in low or "point of view" in low):
        return None
    found = _POV.fullmatch(text.strip())
    if found is None:
        return None
    name = (found.group("owner") or found.group("named")).strip()
    who = cast.lookup(name)
    return who if who is not None else cast.only_fit(name)
