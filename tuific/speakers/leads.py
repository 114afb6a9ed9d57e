"""What the narration just before a speech says about it: a lead-in ("Emma said," /
she began-- / the last name before a colon), from a narration paragraph or from the
narration after the last paragraph's speech."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuific.speakers.cast import Cast
from tuific.speakers.names import NOT_AFTER_TITLE, SPEECH_VERBS
from tuific.speakers.tags import tag_before
from tuific.speakers.turn import Tag, Turn

# The last sentence of a paragraph's narration when it ends on a letter, no mark, after
# a sentence of the narration's own (a title's full stop ends none). White space is
# taken whole (++): else a long run of it is split every way, each tried to the end.
_LAST_SENTENCE_OPEN = re.compile(
    rf"{NOT_AFTER_TITLE}[.!?…][\"”’'»]?\s++([^.!?…\"“”]*[A-Za-z])\s*$"
)

# " to Emma" / " at her Emma" before the last name: the one spoken to.
_TO_END = re.compile(r"\s(?:to|at|towards?)\s+(?:(?:his|her|the)\s+)?$")
_END = 80  # how much of the narration's end is looked at for that name
_SPEAKS = re.compile(rf"\b(?:{SPEECH_VERBS}|saying|adding|replying|answering|asking|words)\b")
_SENTENCE_STOP = re.compile(rf"{NOT_AFTER_TITLE}[.!?;]\s")  # (not "Mr. ")


def read_lead(
    cast: Cast,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    index: int,
    turns: list[Turn],
    narrated: list[list[int]],
) -> Tag | None:
    """The lead-in to the speech of paragraph `index`, if any (`turns` and
    `narrated` as far as the paragraph before it)."""
    if index and not spans[index - 1] and texts[index - 1]:
        return lead_in(cast, texts[index - 1], narrated[-1])
    if index and turns and turns[-1].paragraph == index - 1:
        # A speech paragraph whose narration after its speech leads into this one:
        # "…," cried Emma. "…" And Mr. Weston accosted her with,
        end = spans[index - 1][-1][1]
        tail = texts[index - 1][end:]
        if len(tail) > 3 and tail.rstrip()[-1:] in ",:—–-":
            after = [who for pos, who in turns[-1].mentions if pos >= end]
            return lead_in(cast, tail, after)
        if (open_end := _LAST_SENTENCE_OPEN.search(tail)) is not None:
            # ...or a last sentence of its own, after a sentence of the narration's,
            # on no mark at all: "…," said Maria. Tom Bertram began again (not
            # "“…,” he said" or "“…!” Tom said" with no full stop: the speech's own
            # tag).
            start = end + open_end.start(1)
            after = [who for pos, who in turns[-1].mentions if pos >= start]
            return lead_in(cast, open_end.group(1), after)
    return None


def lead_vocative(lead: Tag | None) -> int | None:
    """Whom a lead-in that names no speaker speaks to ("turning to Emma, said,")."""
    return lead.to if lead is not None and lead.who is None else None


def lead_in(cast: Cast, text: str, named: list[int]) -> Tag | None:
    """What a narration paragraph says about the speech in the next one: a tag at its
    end (Emma said, / she began--), or, when it ends on a colon, comma or dash, the
    last character it names."""
    tag = tag_before(cast, text)
    if tag is not None and (tag.who is not None or tag.gender):
        return tag
    # A description that says nothing ("the chance of whispering,") gives way to
    # the name before it.
    if named and text.rstrip()[-1:] in ",:—–-":
        if _spoken_to_last(cast, text):
            # "…and turning to Emma, said,": Emma is spoken to, not speaking.
            return Tag(None, to=named[-1])
        return Tag(named[-1])
    return tag


def _spoken_to_last(cast: Cast, text: str) -> bool:
    """Whether the last name in the narration's end follows "to" or "at" in a
    sentence that speaks ("turning to Emma, said,", "saying in a half-whisper to
    Jane,"; not "Every head turned to Rosalind:", whose speech is hers)."""
    since = max(0, len(text) - _END)
    starts = [m.start() for m in cast.regex.finditer(text, since)]
    if not starts or _TO_END.search(text, 0, starts[-1]) is None:
        return False
    stops = [m.end() for m in _SENTENCE_STOP.finditer(text, since)]
    return _SPEAKS.search(text, stops[-1] if stops else since) is not None
