"""Who has left the room: a character the narration sends away ("Griselda went off down
the path", "Ron stormed out") speaks no more until the text names them again, or a
scene ends.

Without it, the turn-taking went on giving every other line to whoever spoke before
they left (a fic's Griselda kept Miss Marple's half of her talk with the Inspector).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Right after a name that is a sentence's subject: a going away, not "went to the
# window" nor "left her bag".
_LEAVES = re.compile(
    r"\s+(?:[a-z]+ly\s+)?(?:(?:went|hurried|walked|stalked|stormed|ran|strode|marched|stomped|"
    r"headed|slipped|swept|wandered|trotted|stumbled|flounced|bustled|darted|shuffled)\s+"
    r"(?:off|away|out(?!\s+(?:of\s+)?(?:a|an|the|her|his|their|my|to|at|into)\b)|back\s+(?:inside|indoors))\b"
    r"|(?:left|departed|fled)(?=\s*[.,;!]|\s+(?:the\s+)?(?:room|house|kitchen|office|shop|"
    r"tent|hall|study|library|building|flat|apartment|cafe|café|bar|pub|party)\b))"
)
NOBODY: frozenset[int] = frozenset()
_SENTENCE_END = re.compile(r"[.!?;:]")  # (a clause after a semicolon follows the same one)


def _stays_behind(text: str, at: int, who: int, subjects: Sequence[tuple[int, int]]) -> bool:
    """Whether the narration stays with those left behind after `who` leaves at `at`:
    the going is the paragraph's last sentence, or someone else is a subject after it
    ("Griselda went off down the path. Slack lowered himself into the chair"). Not
    where it follows the one who left ("Fanny left the room; …she met with Edmund"),
    whose talk goes on elsewhere."""
    end = _SENTENCE_END.search(text, at)
    if end is None or not any(c.isalpha() for c in text[end.end() :]):
        return True
    return any(pos > at and other != who for pos, other in subjects)


def gone_by_paragraph(
    texts: Sequence[str],
    names: re.Pattern[str],
    subjects: Sequence[Sequence[tuple[int, int]]],
    narrated: Sequence[Sequence[int]],
    talk_start: Sequence[int],
) -> list[frozenset[int]]:
    """Per paragraph, the characters who have left the talk before it: sent away by
    the narration (`subjects`: each paragraph's (position, character) of the names
    that are a sentence's subject; `names`: the cast's pattern of them) and not named
    since (`narrated`: each paragraph's characters its narration names), in the same
    talk (`talk_start`, see nearby.scene_starts)."""
    out: list[frozenset[int]] = []
    gone: frozenset[int] = NOBODY
    for index, text in enumerate(texts):
        if gone and (talk_start[index] == index or not gone.isdisjoint(narrated[index])):
            gone = NOBODY if talk_start[index] == index else gone.difference(narrated[index])
        out.append(gone)
        left = []
        for pos, who in subjects[index]:
            name = names.match(text, pos)
            leaves = _LEAVES.match(text, name.end()) if name is not None else None
            if leaves is not None and _stays_behind(text, leaves.end(), who, subjects[index]):
                left.append(who)
        if left:
            gone = gone.union(left)
    return out
