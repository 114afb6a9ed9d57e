"""Who has left the room: a character the narration sends away ("Griselda went off down
the path", "Ron stormed out of the room") speaks no more until the text names them
again, a "he" or "she" of theirs may be them again, or the scene ends.

Without it, the turn-taking went on giving every other line to whoever spoke before
they left (a fic's Griselda kept Miss Marple's half of her talk with the Inspector).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Right after a name that is a sentence's subject: a going away, not "went to the
# window", "went out with Cho", "went off on Ron", "slipped out onto the balcony",
# "ran off the pitch" nor "left her bag".
_PLACES = (
    r"(?:the\s+)?(?:room|house|kitchen|office|shop|tent|hall|study|library|building|flat|"
    r"apartment|cafe|café|bar|pub|party)\b"
)
_LEAVES = re.compile(
    r"\s+(?:[a-z]+ly\s+)?(?:(?:went|hurried|walked|stalked|stormed|ran|strode|marched|stomped|"
    r"headed|slipped|swept|wandered|trotted|stumbled|flounced|bustled|darted|shuffled)\s+"
    rf"(?:(?:off|away|out)(?!\s+(?:with|on|onto|from|of|into|to|at|across|over|a|an|the|"
    rf"her|his|their|my)\b)|out\s+of\s+{_PLACES}|back\s+(?:inside|indoors)\b)"
    rf"|(?:left|departed|fled)(?=\s*[.,;!]|\s+{_PLACES}))"
)
_NOBODY: frozenset[int] = frozenset()
_CLAUSE_END = re.compile(r"[.!?;:]")  # (a clause after a semicolon follows the same one)
_LETTER = re.compile(r"[^\W\d_]")
_REACH = 300  # characters after a going looked at for where its sentence ends
# A "he" or "she" in the narration: one who left, of that gender, may be back.
_PRONOUNS = (("M", re.compile(r"\b[Hh]e\b")), ("F", re.compile(r"\b[Ss]he\b")))


def _stays_behind(text: str, at: int, later_other: bool) -> bool:
    """Whether the narration stays with those left behind after a going at `at`: it
    is the paragraph's last sentence, or someone else is a subject after it
    (`later_other`: "Griselda went off down the path. Slack lowered himself into the
    chair"). Not where it follows the one who left ("Fanny left the room; …she met with
    Edmund"), whose talk goes on elsewhere."""
    end = _CLAUSE_END.search(text, at, at + _REACH)
    if end is not None and _LETTER.search(text, end.end()) is None:
        return True
    return later_other


def _narration(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The paragraph without its speech."""
    parts, edge = [], 0
    for start, end in spans:
        parts.append(text[edge:start])
        edge = end
    parts.append(text[edge:])
    return " ".join(parts)


def gone_by_paragraph(
    texts: Sequence[str],
    speech: Sequence[Sequence[tuple[int, int]]],
    names: re.Pattern[str],
    subjects: Sequence[Sequence[tuple[int, int]]],
    narrated: Sequence[Sequence[int]],
    genders: Sequence[str],
    talk_start: Sequence[int],
) -> list[frozenset[int]]:
    """Per paragraph, the characters who have left the talk before it: sent away by
    the narration (`subjects`: each paragraph's (position, character) of the names
    that are a sentence's subject; `names`: the cast's pattern of them) and not named
    since (`narrated`: each paragraph's characters its narration names) nor a "he" or
    "she" of their gender (`genders`) in the narration (`speech`: each paragraph's
    stretches of speech), in the same talk (`talk_start`, see nearby.scene_starts)."""
    out: list[frozenset[int]] = []
    gone = _NOBODY
    for index, text in enumerate(texts):
        if gone and talk_start[index] == index:
            gone = _NOBODY
        if gone:
            back = set(narrated[index])
            narration = _narration(text, speech[index]) if speech[index] else text
            for gender, pronoun in _PRONOUNS:
                if pronoun.search(narration):
                    back.update(who for who in gone if genders[who] in (gender, ""))
            if not gone.isdisjoint(back):
                gone = gone.difference(back)
        out.append(gone)
        here = subjects[index]
        leaving = []
        for i, (pos, who) in enumerate(here):
            name = names.match(text, pos)
            leaves = _LEAVES.match(text, name.end()) if name is not None else None
            if leaves is not None:
                leaving.append((i, who, leaves.end()))
        if not leaving:
            continue
        # (Whether someone else is a subject after each: one walk from the end.)
        later: list[bool] = [False] * len(here)
        last = second = None
        for i in range(len(here) - 1, -1, -1):
            who = here[i][1]
            later[i] = last not in (None, who) or second not in (None, who)
            if who != last:
                last, second = who, last
        left = [who for i, who, end in leaving if _stays_behind(text, end, later[i])]
        if left:
            gone = gone.union(left)
    return out
