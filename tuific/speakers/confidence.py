"""How sure the reader may be of each decision: the confidence that decides what it colours.

The decoder's own probability for its pick is a poor guide on its own: it is high
for a lone candidate nobody contradicts and low in a long exchange that the
turn-taking settles well. A small logistic model reads what the decoder saw (its
probability and its margin over the runner-up, whether the last two passes agree,
whether a tag names the pick or someone else, the turn-taking's probability for it,
the kind of tag, whether the pick is known by a role alone, "the clergyman") and
gives the probability that the pick is right. Its weights are fitted on the
development novels by `benchmarks/train_confidence.py` and ship in weights.json
(key "confidence"); without them the decoder's probability is the confidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import mul

from tuific.speakers.decode import Context

CONF_FEATURES = (
    "bias",
    "logit",
    "margin",
    "agree",
    "agree_sure",
    "tag",
    "tag_other",
    "pronoun",
    "alternation",
    "exchange",
    "continues",
    "lead",
    "candidates",
    "sure90",
    "sure97",
    "near_link",
    "named",
    "called_next",
    "called_prev",
    "own_tag",
    "header",
    "parity_agree",
    "parity_clash",
    "gender_alone",
    "untagged",
    "story_tagged",
    "run_long",
    "pron_alone",
    "alt90",
    "alt97",
    "untagged_logit",
    "untagged_alt",
    "pronoun_logit",
    "role",
)


def describe(
    ctx: Context,
    t: int,
    who: int,
    prob: float,
    dist: dict[int, float],
    roles: frozenset[int],
) -> list[float]:
    """What the decoder saw when it gave turn `t` to `who` with probability `prob`
    (`dist`: its distribution over the turn's candidates; `roles`: the characters
    known by a description only, "the clergyman"); one value per CONF_FEATURES name."""
    turn = ctx.turns[t]
    others = dist.copy()
    others.pop(who, None)
    second = max(others.values(), default=0.0)
    p = min(max(prob, 1e-4), 1 - 1e-4)
    first_who, first_sure = ctx.first[t] if ctx.first is not None else (None, 0.0)
    anchor = ctx.anchors[t]
    alt = ctx.alternation[t] if ctx.alternation is not None else {}
    agree = first_who == who
    # How close the nearest turn whose speaker is known stands in the exchange.
    near = [run[0][0] for run in (ctx.back[t], ctx.fwd[t]) if run]
    pronoun = own_tag = False
    for tag in turn.tags:
        if tag is not None:
            pronoun = pronoun or tag.pronoun
            own_tag = own_tag or (tag.explicit and tag.who == who)
    following = ctx.next_turn(t)
    before = ctx.turns[t - 1] if t else None
    # Turn-taking from the nearest known speaker each way: at an even distance the
    # same person speaks again, at an odd one the other does.
    parity_agree = parity_clash = 0
    for run in (ctx.back[t], ctx.fwd[t]):
        if run:
            distance, other = run[0]
            if (other == who) == (distance % 2 == 0):
                parity_agree += 1
            else:
                parity_clash += 1
    genders = ctx.genders
    gender = genders[who]
    rivals = [c for c, q in dist.items() if c != who and q >= 0.05]
    alone = bool(gender) and not any(genders[c] == gender for c in rivals)
    untagged = not any(turn.tags) and turn.lead is None and not turn.continues
    logit = math.log(p / (1 - p)) / 4
    alt_who = alt.get(who, 0.0)
    return [
        1.0,
        logit,
        prob - second,
        float(agree),
        first_sure if agree else 0.0,
        float(anchor == who),
        float(anchor is not None and anchor != who),
        float(pronoun),
        alt_who,
        float(bool(alt)),
        float(turn.continues),
        float(turn.lead is not None and turn.lead.who == who),
        min(len(dist), 12) / 12,
        float(prob >= 0.9),
        float(prob >= 0.97),
        1.0 / min(near) if near else 0.0,
        float(who in turn.named),
        float(following is not None and who in following.vocatives),
        float(before is not None and who in before.vocatives),
        float(own_tag),
        float(ctx.headers[who]),
        float(parity_agree),
        float(parity_clash),
        float(alone),
        float(untagged),
        ctx.tagged_share,
        min(ctx.reach_back[t] + ctx.reach_fwd[t], 8) / 8,
        float(pronoun and alone),
        float(alt_who >= 0.9),
        float(alt_who >= 0.97),
        logit if untagged else 0.0,
        alt_who if untagged else 0.0,
        logit if pronoun else 0.0,
        # "…," said the clergyman: a role, often someone the story names elsewhere.
        float(who in roles),
    ]


def calibrated(weights: Sequence[float], values: Sequence[float]) -> float:
    """The probability that a decision described by `values` is right."""
    # (The products summed in order, as a comprehension would, in C; both have one
    # value per CONF_FEATURES name.)
    score = sum(map(mul, weights, values))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def confidences(
    ctx: Context,
    choices: Sequence[tuple[int | None, float]],
    dists: Sequence[dict[int, float]],
    weights: Sequence[float] | None,
) -> list[float]:
    """Each turn's confidence: calibrated by `weights` when there are any."""
    if not weights:
        return [prob for _who, prob in choices]
    roles = frozenset(ctx.cast.described.values())
    return [
        0.0 if who is None else calibrated(weights, describe(ctx, t, who, prob, dists[t], roles))
        for t, (who, prob) in enumerate(choices)
    ]
