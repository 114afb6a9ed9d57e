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


def settle_person(
    turns: Sequence[Turn],
    reader: int | None = None,
    povs: Sequence[int | None] = (),
) -> tuple[str, int]:
    """The person a story's narrator speaks in ("I", "Y" for "you", "" when no tag
    says) and how many tags say so. "You say" tags are the narrator's where they
    outnumber "I said" tags three to one (a story told in the second person), and
    then "I said" is no one's; elsewhere "you" is someone the narrator talks to (a
    letter to "you" that says "I said" too), and "you say" is dropped. Either way
    the narrator's tags are left as "I". `reader`: the character a reader-insert's
    "Y/N" is, if the story writes one; then one "you say" will do. `povs`: each
    turn's point of view where a marker says. There "I said" is that character's
    and "you say" no one's, but in the reader's own ("Y/N's POV") both are hers."""
    povs = [*povs, *[None] * (len(turns) - len(povs))]
    counts = Counter(
        (tag.gender, seen is None)
        for turn, seen in zip(turns, povs, strict=True)
        for tag in (*turn.tags, turn.lead)
        if tag is not None and tag.gender in ("I", "Y")
    )
    you, i = counts["Y", True], counts["I", True]  # outside the marked sections
    second = you >= 3 * i and you >= (1 if reader is not None else _MIN_TAGS)
    for turn, seen in zip(turns, povs, strict=True):
        if seen is None and (you or i):
            keep = "Y" if second else "I"
        elif seen is not None:
            keep = "IY" if seen == reader else "I"
        else:
            continue
        turn.tags = [_keep_person(tag, keep) for tag in turn.tags]
        turn.lead = _keep_person(turn.lead, keep)
    if second:
        return "Y", you
    told = i + counts["I", False]
    return ("I", told) if told else ("", 0)


def _keep_person(tag: Tag | None, keep: str) -> Tag | None:
    """A tag of the person `keep` says tells the narrator's ("I" or "Y", or both), left
    as "I"; one of the other person is no one's."""
    if tag is None or tag.gender not in ("I", "Y"):
        return tag
    if tag.gender not in keep:
        return None
    tag.gender = "I"
    return tag


def unnamed_narrator(person: str, tags: int) -> str | None:
    """The name to give a narrator that find_narrator found no name for, when the
    story's tags make them a speaker (settle_person has judged "you" already)."""
    return UNNAMED[person] if person == "Y" or (person and tags >= _MIN_TAGS) else None


# A line that says whose point of view follows: "Draco's POV", "~ HARRY'S P.O.V. ~",
# "POV: Hermione", "Back to Ron's point of view", "Harry POV (cont.)"; "Normal POV"
# or "Third person POV" says that no one's does.
_POV_WORDS = re.compile(r"(?i)\bp\.?o\.?v\b\.?|\bpoint of view\b")
_POV_DRESS = re.compile(r"(?i)^[\W_]*(?:back\s+to\s+|still\s+)?|\s*\([^)]*\)|[\W_]*$")
# ...or no one's: a marker that names no character is one only with these words.
_NO_ONES = frozenset(("normal", "third person", "omniscient", "narrator", "general", "nobody"))
_POSSESSIVE_END = re.compile(r"['’][sS]?\s*$")
_READER_WORDS = frozenset(("y/n", "reader", "your", "you", "reader's"))
POV_LINE = 60  # characters: a longer paragraph is narration, not a marker


def point_of_view(cast: Cast, text: str) -> tuple[bool, int | None]:
    """Whether a paragraph is a point-of-view marker, and the character it names (None
    for no one the cast knows, or "Normal POV": the marker ends the last one's)."""
    if len(text) > POV_LINE or _POV_WORDS.search(text) is None:
        return False, None
    name = _POV_DRESS.sub("", _POV_WORDS.sub(" ", text)).strip(" :-–—")
    name = _POSSESSIVE_END.sub("", name).strip()
    if not name or len(name.split()) > 4:
        return (not name), None
    if name.lower() in _READER_WORDS:
        return True, cast.reader
    if name.lower() in _NO_ONES:
        return True, None
    if name.isupper():
        name = name.title()
    who = cast.lookup(name)
    who = who if who is not None else cast.only_fit(name)
    # A name the cast does not know still ends the last point of view; words that are
    # no name ("Depends on your point of view.") are narration.
    return (who is not None or all(word[:1].isupper() for word in name.split())), who


_HEADER_TAGS = 75  # of a header's tags, the first read for a point of view (AO3 allows 75)


def header_point_of_view(cast: Cast, tags: Sequence[str]) -> int | None:
    """The one character whose point of view the header's tags say the story keeps
    ("Feyre Archeron POV", "Pippin's POV"), if only one: who "I" is where the text
    does not say."""
    found = set()
    for tag in tags[:_HEADER_TAGS]:
        marker, who = point_of_view(cast, tag)
        if not marker and (named := _NARRATED.match(tag)) is not None:
            name = named.group("first") or named.group("by") or named.group("own")
            name = _POSSESSIVE_END.sub("", name)  # ("Bertie Wooster's Narration")
            who = cast.lookup(name)
            who = who if who is not None else cast.only_fit(name)
            marker = who is not None
        if marker and who is not None:
            found.add(who)
        elif _MANY_POVS.search(tag):
            return None  # "Multiple POV", "Alternating POV": no telling who "I" is
    return found.pop() if len(found) == 1 else None


# Tags that name the narrator without "POV": "First Person Arthur Morgan", "Watson
# Narrates", "Bertie Wooster's Narration", "Narrated by Hastings".
_NAME_WORDS = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_NARRATED = re.compile(
    rf"^(?:First[\s-]+Person\s+(?:(?:Narrator|Narration)\s*:?\s+)?(?P<first>{_NAME_WORDS})"
    rf"|Narrated\s+[Bb]y\s+(?P<by>{_NAME_WORDS})"
    rf"|(?P<own>{_NAME_WORDS})\s+(?:Narrates|Narrating|Narration|as\s+Narrator))\s*$"
)


_MANY = r"(?:multiple|multi|dual|alternating|alternate|switching|changing|various|rotating)"
_MANY_POVS = re.compile(
    rf"(?i)\b{_MANY}[\s-]+(?:p\.?o\.?v\.?s?|points? of view|perspectives?|narrators?)\b"
    rf"|\bp\.?o\.?v\.?s?[\s:-]+(?:{_MANY}|alternates|switches|changes)\b"
)
