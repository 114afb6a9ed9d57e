"""Who tells a story in the first person: the character "I" is, when the story says."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tuific.speakers.turn import Turn


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
