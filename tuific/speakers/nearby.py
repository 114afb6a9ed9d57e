"""Who was near a turn: the characters its narration and the paragraphs before it
named, and the last subject of a gender (what a pronoun tag points back to)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuific.speakers.tags import Tag, Turn

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
    for names in ctx.narrated[max(0, paragraph - window + 1) : paragraph][::-1]:
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
    for p in range(turn.paragraph - 1, max(-1, turn.paragraph - 12), -1):
        for who in reversed(subjects[p]):
            if genders[who] == gender:
                return who
    return None
