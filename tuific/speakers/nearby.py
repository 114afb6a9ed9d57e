"""Who was near a turn: the characters its narration and the paragraphs before it
named, and the last subject of a gender (what a pronoun tag points back to)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from tuific.chapters import classify
from tuific.speakers.turn import Tag, Turn

if TYPE_CHECKING:
    from tuific.speakers.decode import Context


def pronoun_tag(turn: Turn) -> Tag | None:
    """The turn's pronoun tag ("she said"), if it has one."""
    for tag in turn.tags:
        if tag is not None and tag.pronoun:
            return tag
    if turn.lead is not None and turn.lead.pronoun and not any(turn.tags):
        return turn.lead
    return None


def _starts(ends: Sequence[bool]) -> list[int]:
    """Per paragraph, the first after the last paragraph up to it that `ends` (0 when
    none does)."""
    out = []
    start = 0
    for index, end in enumerate(ends):
        if end:
            start = index + 1
        out.append(start)
    return out


# A call that ends ("she hung up", "the line went dead"): whoever was on the line has
# left the talk, which starts again after that paragraph (not "hung up his coat", "was
# hung up on the peg", "hung up on him for years", "clicked off the torch"). (Opening on
# its words, not on a look back: the engine skips to the next h, l, e or c; what stands
# before is tested after.)
_CALL_ENDS = re.compile(
    r"(?:hung|hangs|hanging)\s+up\b"
    r"(?=\s*(?:[.,;:!?—–)]|$|(?:and|then|before|without)\b|the\s+(?:phone|receiver|call)\b"
    r"|on\s+(?:him|her|me|us|them|you)(?:\s+again)?\s*(?:[.,;:!?—–)]|$|and\b)))"
    r"|line\s+(?:went|goes)\s+dead\b|end(?:ed|s)\s+the\s+call\b"
    r"|click(?:ed|s)\s+off\b(?!\s+(?:the|a|an|his|her|my|their|its)\b)"
)
_PASSIVE = ("was ", "were ", "been ", "be ", "is ")  # before "hung up": a thing hung


def _after_calls(
    texts: Sequence[str], talk: list[int], speech: Sequence[Sequence[tuple[int, int]]] | None
) -> list[int]:
    """`talk` (each paragraph's talk start) started again after each paragraph where
    a call ends in the narration (`speech`: each paragraph's stretches of speech, as
    find_dialogue gives them; without them, the curly and straight double quotes)."""
    start = 0
    search = _CALL_ENDS.search
    for index, text in enumerate(texts):
        if talk[index] < start:
            talk[index] = start
        else:
            start = talk[index]
        if search(text) is not None and _ends_a_call(
            text, speech[index] if speech is not None else None
        ):
            start = index + 1
    return talk


def _ends_a_call(text: str, spans: Sequence[tuple[int, int]] | None) -> bool:
    """Whether a paragraph's narration ends a call (`spans`: its speech, if known)."""
    starts = [a for a, _b in spans] if spans else []
    # (The quote marks counted on from the last match: a hostile paragraph may hold
    # thousands.)
    opened = closed = straight = last = 0
    for match in _CALL_ENDS.finditer(text):
        at = match.start()
        if at and (text[at - 1].isalnum() or text[max(0, at - 6) : at].endswith(_PASSIVE)):
            continue  # (part of a word; "was hung up on the peg")
        if spans is not None:
            # ("“She hung up on me.”" is told, not done.)
            i = bisect_right(starts, at) - 1
            told = i >= 0 and at < spans[i][1]
        else:
            opened += text.count("“", last, at)
            closed += text.count("”", last, at)
            straight += text.count('"', last, at)
            last = at
            told = opened > closed or straight % 2 == 1
        if not told:
            return True
    return False


def scene_starts(
    texts: Sequence[str],
    kinds: Sequence[str] | None = None,
    speech: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> tuple[list[int], list[int]]:
    """Per paragraph, the first paragraph of its scene, and of its chapter or scene.
    Who was named before a scene break is no longer in the room (the turn-taking and
    the recently named start again there). A chapter's heading ends the turn-taking
    only: the novels' chapters often go on in the same room, and their names
    carry over (on the PDNC development novels, ending the names there too cost
    0.2 points where scene breaks alone gained as much; the demo stories gained
    either way). A call's end ends the turn-taking too (see _CALL_ENDS; `speech`:
    each paragraph's stretches of speech, where a call's end is told). `kinds`
    (each paragraph's, as the story's format marked it: "heading", "scene_break")
    says where they are; without them, the shapes the
    plain-text loader reads them by (chapters.classify)."""
    if kinds is None:
        kinds = [classify(text) for text in texts]  # as the plain-text loader marks them
    breaks = [kind == "scene_break" for kind in kinds]
    headings = [kind == "heading" for kind in kinds]
    talk = _starts([a or b for a, b in zip(breaks, headings, strict=True)])
    return _starts(breaks), _after_calls(texts, talk, speech)


def recency(
    ctx: Context, paragraph: int, turn: Turn, window: int = 12, before: int | None = None
) -> list[int]:
    """Characters named in narration, most recent first: this turn's narration before
    its speech (or before `before`), then the paragraphs before it."""
    # (A dict keeps the order: a list's `in` made a paragraph naming thousands of
    # people take minutes.)
    order: dict[int, None] = {}
    first_speech = turn.spans[0][0] if before is None else before
    for pos, who in reversed(turn.mentions):
        if pos < first_speech:
            order.setdefault(who)
    # (Most paragraphs name nobody: skipped without a loop of their own.)
    first = max(0, paragraph - window + 1, ctx.scene_start[paragraph])
    for names in ctx.narrated[first:paragraph][::-1]:
        if names:
            for who in reversed(names):
                order.setdefault(who)
    return list(order)


def last_subject(ctx: Context, turn: Turn, gender: str, limit: int) -> int | None:
    """The last character of `gender` who was a sentence's subject: in this turn's
    narration before `limit`, else in the paragraphs before it."""
    genders = ctx.genders
    for pos, who in reversed(turn.subjects):
        if pos < limit and genders[who] == gender:
            return who
    subjects = ctx.subjects
    first = max(-1, turn.paragraph - 12, ctx.scene_start[turn.paragraph] - 1)
    for p in range(turn.paragraph - 1, first, -1):
        for who in reversed(subjects[p]):
            if genders[who] == gender:
                return who
    return None


_PRONOUN_WINDOW = 40  # paragraphs a pronoun tag looks back when nobody of its gender is nearer


def of_gender(ctx: Context, order: Sequence[int], gender: str) -> Iterator[int]:
    """The characters of `order` of that gender, in order; never the narrator, whom
    the story calls "I", not "he" or "she"."""
    genders, narrator = ctx.genders, ctx.narrator
    return (c for c in order if genders[c] == gender and c != narrator)


def pronoun_candidates(
    ctx: Context, turn: Turn, recent: list[int], ptag: Tag | None, prev_plain: bool
) -> tuple[int | None, int | None, int | None, int | None]:
    """Whom a turn's pronoun tag (`ptag`, "she said") may point to: the first and the
    second of its gender named lately (`recent`: recency's), the one named in its own
    paragraph, and the last subject of its gender; None where none is. `prev_plain`:
    the paragraph before is narration alone."""
    first = second = para = subject = None
    # A description ("cried his aunt", "said the old man") gives a gender, but is
    # no pronoun for the last person named of it: "his aunt" is most often someone
    # else (on the development novels, reading it as one cost 0.2 points).
    if ptag is None or ptag.gender not in ("M", "F") or ptag.described:
        return first, second, para, subject
    par = turn.paragraph
    order, limit = recent, ptag.pos
    cut = turn.first_pronoun.get(ptag.gender)
    if cut is not None and cut < ptag.pos and ptag in turn.tags:
        # "She forgot about Adela. "…," she said": the paragraph's first "she"
        # came before Adela, and the tag's "she" is that one, not Adela.
        order, limit = recency(ctx, par, turn, before=cut), cut
    compatible = list(islice(of_gender(ctx, order, ptag.gender), 2))
    if len(compatible) < 2:
        # Nobody (or one) of that gender named lately: look further back.
        wider = recency(ctx, par, turn, window=_PRONOUN_WINDOW, before=limit)
        further = (c for c in of_gender(ctx, wider, ptag.gender) if c not in compatible)
        compatible += islice(further, 2 - len(compatible))
    first = compatible[0] if compatible else None
    second = compatible[1] if len(compatible) > 1 else None
    # The last character of that gender who was a sentence's subject: "Emma
    # looked at Harriet. She said, …" is Emma.
    subject = last_subject(ctx, turn, ptag.gender, limit)
    if (
        subject is not None
        and first != subject
        and prev_plain
        and ctx.pronoun_after[par - 1] == ptag.gender
        and subject in ctx.subjects[par - 1]
    ):
        # "Daichi looked down the row: …, Noya trying to balance his bun paper.
        # He let out a breath." / "“Yeah,” he said.": the "He" goes on with
        # the subject, and the tag with it.
        first, second = subject, first
    # "A shiver passed over Ronny. He said, …": named in the same paragraph.
    for pos, who in reversed(turn.mentions):
        if pos < limit and ctx.genders[who] == ptag.gender:
            para = who
            break
    return first, second, para, subject
