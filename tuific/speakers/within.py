"""Who speaks each stretch of speech within one paragraph.

The decoder gives a paragraph (a turn) one speaker. Most paragraphs have one, but
some hold two: "Yes," said Ann. "No," said Bob. / "…," cried Latif. Aziz did
likewise. "…," he called. Here each stretch's own tag gets its say: an explicit tag
names its speaker; a "he"/"she" tag means the last character of that gender the
narration made a sentence's subject since the speech before it, when that is
someone else than the paragraph's speaker, and the speaker's gender contradicts it or
the paragraph holds two speakers (an explicit tag of its own, before or after,
names one).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from tuific.speakers.turn import Tag, Turn

# How sure a stretch given to someone else than its paragraph's speaker is: by its
# own explicit tag, as sure as a tag; by a "he"/"she" and the subject before it,
# not shown (7 of 11 right on the PDNC development novels); a "he" or "she" that
# contradicts the speaker and names nobody else, not shown (all 15 wrong there).
EXPLICIT_SURE = 0.9
_PRONOUN_SURE = 0.8
_CLASH_SURE = 0.5
_UNKNOWN_SURE = 0.5


def _subject_before(
    turn: Turn, positions: list[int], gender: str, genders: Sequence[str], lo: int, hi: int
) -> int | None:
    """The last character of `gender` the narration makes a sentence's subject
    between `lo` and `hi` (`positions`: of turn.subjects, in order). Each stretch
    reads the subjects since the one before only: a hostile paragraph of thousands of
    them costs no more than its length."""
    k = bisect_left(positions, hi) - 1
    while k >= 0 and positions[k] >= lo:
        who = turn.subjects[k][1]
        if genders[who] == gender:
            return who
        k -= 1
    return None


def span_speakers(
    turn: Turn, who: int | None, confidence: float, genders: Sequence[str]
) -> list[tuple[int | None, float]]:
    """(speaker, confidence) of each of the turn's stretches of speech, given the
    turn's speaker `who` and confidence."""
    anchor = next((t.who for t in turn.tags if t is not None and t.explicit), None)
    out: list[tuple[int | None, float]] = []
    tagged = None  # who the paragraph's last explicit tag so far names
    edge = 0
    positions: list[int] | None = None  # of turn.subjects, read at the first he/she tag
    unknown = False  # the last tag says the text does not know who speaks
    for (_start, end), tag in zip(turn.spans, turn.tags, strict=True):
        speaker, conf = who, confidence
        if tag is not None and tag.explicit:
            tagged = tag.who
            if tagged != who:
                # Two people in one paragraph: "Yes," said Ann. "No," said Bob.
                speaker, conf = tagged, max(confidence, EXPLICIT_SURE)
        else:
            if tagged is not None and tagged != who:
                # What a tagged speaker goes on to say ("Shaw," said Lenny. "My dad
                # was a Shaw."), as sure as the turn was (on PDNC, made as sure as a
                # tag, it showed more of it wrong than right).
                speaker = tagged
            if tag is not None and tag.gender in ("M", "F"):
                if positions is None:
                    positions = [pos for pos, _who in turn.subjects]
                subject = _subject_before(turn, positions, tag.gender, genders, edge, tag.pos)
                speaker, conf = _by_pronoun(tag, speaker, conf, genders, subject, anchor)
        if tag is not None:
            unknown = tag.unknown
        if unknown:
            # "…," said a voice behind us, "…": whoever it is, not shown.
            conf = min(conf, _UNKNOWN_SURE)
        out.append((speaker, conf))
        edge = end
    return out


def _by_pronoun(
    tag: Tag,
    speaker: int | None,
    conf: float,
    genders: Sequence[str],
    subject: int | None,
    anchor: int | None,
) -> tuple[int | None, float]:
    """A stretch's speaker when its tag is "he"/"she" and `subject` the last of its
    gender made a sentence's subject since the speech before (see the module's doc)."""
    own = genders[speaker] if speaker is not None else ""
    clash = own in ("M", "F") and own != tag.gender
    if subject is not None and subject != speaker and (clash or anchor is not None):
        return subject, min(conf, _PRONOUN_SURE)
    if clash:
        return speaker, min(conf, _CLASH_SURE)
    return speaker, conf
