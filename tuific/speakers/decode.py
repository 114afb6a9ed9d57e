"""Choosing each turn's speaker: candidates, their features, and the left-to-right pass.

Every paragraph with speech (a turn) gets a few candidates: the character its tag
names or its pronoun may mean, the characters its narration names, the recent
speakers, the one the last speech called to, the next tagged speakers. Each candidate
is described by a handful of features (is it the tag's name; did it speak two turns
ago, as people do who take turns; does this speech call to it by name, so it is the
listener) and scored by the weights in `scorer`. Turns are decided in reading order,
so turn-taking can lean on the speakers already decided; tagged turns later on are
known in advance, so an exchange can be read back from its next tag too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tuific.speakers.cast import Cast
from tuific.speakers.tags import Turn

FEATURES = (
    "tag", "tag_other", "pron_first", "pron_match", "pron_clash", "pron_unknown",
    "i_narrator", "narr_first", "narr_any", "narr_only", "narr_prev", "in_speech", "vocative",
    "addressed", "prev1", "prev1_near", "prev2", "prev2_alt", "prev3", "next1", "next2",
    "continues", "recent0", "recent", "speaks", "salience", "header",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}
_NEAR = 6  # paragraphs: how far back a previous turn still belongs to the exchange
_RECENT = 6  # how many recently named characters are candidates


class Context:
    """What the pass knows when it reaches a turn."""

    def __init__(self, cast: Cast, turns: Sequence[Turn], narrated: Sequence[list[int]]):
        self.cast = cast
        self.turns = turns
        self.narrated = narrated  # per paragraph: characters its narration names
        self.genders = [c.gender for c in cast.characters]
        self.mentions = [c.mentions for c in cast.characters]
        self.headers = [c.from_header for c in cast.characters]
        self.spoke = [0] * len(cast.characters)
        self.narrator: int | None = None
        # The characters that each turn's explicit tag names, known before the pass.
        self.anchors = [_explicit(t) for t in turns]


def _explicit(turn: Turn) -> int | None:
    for tag in turn.tags:
        if tag is not None and tag.explicit:
            return tag.who
    return None


def _pronoun_tag(turn: Turn):
    for tag in turn.tags:
        if tag is not None and tag.pronoun:
            return tag
    return None


def recency(ctx: Context, paragraph: int, turn: Turn, window: int = 12) -> list[int]:
    """Characters named in narration, most recent first: this turn's narration before
    its speech, then the paragraphs before it."""
    order: list[int] = []
    first_speech = turn.spans[0][0]
    for pos, who in reversed(turn.mentions):
        if pos < first_speech and who not in order:
            order.append(who)
    for p in range(paragraph - 1, max(-1, paragraph - window), -1):
        for who in reversed(ctx.narrated[p]):
            if who not in order:
                order.append(who)
    return order


def features(
    ctx: Context, t: int, history: list[tuple[int, int | None]]
) -> tuple[list[int], list[dict[int, float]]]:
    """The candidates of turn `t` and a sparse feature vector for each.

    `history` holds (paragraph, speaker) of the turns decided so far, latest last.
    """
    turn = ctx.turns[t]
    par = turn.paragraph
    prev = [(p, s) for p, s in history[-3:] if par - p <= _NEAR][::-1]
    prev_speakers = [s for _, s in prev]
    nexts = []
    for u in range(t + 1, min(len(ctx.turns), t + 3)):
        if ctx.turns[u].paragraph - par > _NEAR:
            break
        nexts.append(ctx.anchors[u])
    anchor = ctx.anchors[t]
    ptag = _pronoun_tag(turn)
    recent = recency(ctx, par, turn)
    addressed_prev = ctx.turns[t - 1].vocatives if t and prev else []

    cands: list[int] = []
    for group in (
        [anchor] if anchor is not None else [],
        turn.named,
        prev_speakers,
        nexts,
        recent[:_RECENT],
        addressed_prev,
        [ctx.narrator] if ptag is not None and ptag.gender == "I" else [],
    ):
        for c in group:
            if c is not None and c not in cands:
                cands.append(c)
    narr_prev = set(ctx.narrated[par - 1]) if par else set()
    named_set = set(turn.named)
    pron_first = None
    if ptag is not None and ptag.gender in ("M", "F"):
        pron_first = next((c for c in recent if ctx.genders[c] == ptag.gender), None)
    vecs: list[dict[int, float]] = []
    for c in cands:
        f: dict[int, float] = {}
        if anchor is not None:
            f[INDEX["tag" if c == anchor else "tag_other"]] = 1.0
        if ptag is not None:
            g = ctx.genders[c]
            if ptag.gender == "I":
                if c == ctx.narrator:
                    f[INDEX["i_narrator"]] = 1.0
            elif ptag.gender:
                if c == pron_first:
                    f[INDEX["pron_first"]] = 1.0
                if not g:
                    f[INDEX["pron_unknown"]] = 1.0
                f[INDEX["pron_match" if g == ptag.gender else "pron_clash"]] = 1.0 if g else 0.0
        if c == turn.first:
            f[INDEX["narr_first"]] = 1.0
        if c in named_set:
            f[INDEX["narr_any"]] = 1.0
            if len(named_set) == 1:
                f[INDEX["narr_only"]] = 1.0
        if c in narr_prev:
            f[INDEX["narr_prev"]] = 1.0
        if c in turn.in_speech:
            f[INDEX["in_speech"]] = 1.0
        if c in turn.vocatives:
            f[INDEX["vocative"]] = 1.0
        if c in addressed_prev:
            f[INDEX["addressed"]] = 1.0
        for k, (p, s) in enumerate(prev):
            if s == c:
                f[INDEX[("prev1", "prev2", "prev3")[k]]] = 1.0
                if k == 0 and par - p == 1:
                    f[INDEX["prev1_near"]] = 1.0
                if k == 1 and prev[0][1] != c:
                    f[INDEX["prev2_alt"]] = 1.0
        if turn.continues and prev and prev[0][1] == c:
            f[INDEX["continues"]] = 1.0
        for k, s in enumerate(nexts):
            if s == c:
                f[INDEX[("next1", "next2")[k]]] = 1.0
        if c in recent:
            rank = recent.index(c)
            f[INDEX["recent"]] = 1.0 / (1 + rank)
            if rank == 0:
                f[INDEX["recent0"]] = 1.0
        f[INDEX["speaks"]] = math.log1p(ctx.spoke[c]) / 5
        f[INDEX["salience"]] = math.log1p(ctx.mentions[c]) / 5
        if ctx.headers[c]:
            f[INDEX["header"]] = 1.0
        vecs.append(f)
    return cands, vecs


def softmax_pick(weights: Sequence[float], vecs: list[dict[int, float]]) -> tuple[int, float]:
    """The best candidate's position and its probability. The softmax also holds
    "someone else" at score 0, so a lone weak candidate is not a certainty."""
    scores = [sum(weights[k] * v for k, v in f.items()) for f in vecs]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    best = scores.index(top)
    return best, exps[best] / (sum(exps) + math.exp(-top))


def decode(ctx: Context, weights: Sequence[float], trace: list | None = None):
    """(speaker, confidence) of every turn, in order. `trace`, when given, collects
    (turn index, candidates, feature vectors) for training."""
    history: list[tuple[int, int | None]] = []
    out: list[tuple[int | None, float]] = []
    for t, turn in enumerate(ctx.turns):
        cands, vecs = features(ctx, t, history)
        if trace is not None:
            trace.append((t, cands, vecs))
        if not cands:
            out.append((None, 0.0))
            history.append((turn.paragraph, None))
            continue
        best, prob = softmax_pick(weights, vecs)
        who = cands[best]
        out.append((who, prob))
        history.append((turn.paragraph, who))
        ctx.spoke[who] += 1
    return out
