"""Turn-taking over a whole exchange: two people alternating through speech paragraphs.

An exchange is a run of speech paragraphs back to back. The first pass gives each
turn a distribution over its candidates from local evidence only (tags, names in the
narration, vocatives). Here every ordered pair of the exchange's likely participants
(A, B) is scored by how well "A, B, A, B…" fits those distributions, with room for a
turn that breaks the pattern; the pairs' scores, normalised, give each turn a
probability for each participant. The second pass reads that as one feature, so one
tag at the top of a long untagged exchange settles the whole of it, in both
directions, and a pronoun tag or a vocative halfway through can correct it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tuific.speakers.tags import Turn

_SLACK = 0.05  # the probability left for a turn that breaks the alternation
_PARTICIPANTS = 6  # the most likely participants that pairs are made of


_GAP = 2  # a run goes on over one paragraph of narration between two speeches


def runs(turns: Sequence[Turn]) -> list[range]:
    """Maximal runs of turns in paragraphs back to back (or one paragraph apart),
    two turns or more."""
    out = []
    start = 0
    for t in range(1, len(turns) + 1):
        if t == len(turns) or turns[t].paragraph - turns[t - 1].paragraph > _GAP:
            if t - start >= 2:
                out.append(range(start, t))
            start = t
    return out


def alternation(
    turns: Sequence[Turn], dists: Sequence[dict[int, float]]
) -> list[dict[int, float]]:
    """For every turn, the probability of each participant under the alternation
    model of its exchange (empty for a turn in no exchange)."""
    out: list[dict[int, float]] = [{} for _ in turns]
    for run in runs(turns):
        mass: dict[int, float] = {}
        for t in run:
            for who, p in dists[t].items():
                mass[who] = mass.get(who, 0.0) + p
        people = sorted(mass, key=mass.__getitem__, reverse=True)[:_PARTICIPANTS]
        if len(people) < 2:
            continue
        # Parity of each turn: a paragraph that continues the last one's speech keeps
        # its speaker, so it does not flip.
        parity = []
        side = 0
        for k, t in enumerate(run):
            if k and not turns[t].continues:
                side ^= 1
            parity.append(side)
        logs = [
            {who: math.log(_SLACK + dists[t].get(who, 0.0)) for who in people} for t in run
        ]
        pairs = []
        for a in people:
            for b in people:
                if a != b:
                    score = sum(lg[b if side else a] for lg, side in zip(logs, parity, strict=True))
                    pairs.append((score, a, b))
        top = max(score for score, _, _ in pairs)
        weights = [(math.exp(score - top), a, b) for score, a, b in pairs]
        total = sum(w for w, _, _ in weights)
        for k, t in enumerate(run):
            post: dict[int, float] = {}
            for w, a, b in weights:
                who = b if parity[k] else a
                post[who] = post.get(who, 0.0) + w / total
            out[t] = post
    return out
