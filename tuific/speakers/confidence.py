"""How sure the reader may be of each decision: the confidence that decides what it colours.

The decoder's own probability for its pick is a poor guide on its own: it is high
for a lone candidate nobody contradicts and low in a long exchange that the
turn-taking settles well. A small logistic model reads what the decoder saw (its
probability and its margin over the runner-up, whether both passes agree, whether a
tag names the pick or someone else, the turn-taking's probability for it, the kind
of tag, the explicit tags nearest each way in its exchange and whether the pick
fits their turn-taking, the speakers decided around it, and how the story as a whole
went: how often the passes agree, how sure they are) and gives the probability that
the pick is right. Its weights are fitted on the development novels by
`benchmarks/train_confidence.py` and ship in weights.json (key "confidence"); without
them the decoder's probability is the confidence.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

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
    "untagged_alone",
    "back_parity",
    "fwd_parity",
    "anchored_both",
    "anchor_near",
    "untagged_anchored",
    "untagged_parity",
    "pronoun_parity",
    "same_as_prev",
    "same_as_prev2",
    "same_as_next",
    "exchange_people",
    "two_people",
    "lead_character",
    "speaks",
    "not_named_here",
    "first_pass",
    "opens_exchange",
    "story_header",
    "story_agree",
    "story_prob",
    "story_header_picks",
    "story_speakers",
    "story_sure",
    "story_alternating",
)

_WINDOW = 4  # turns each way in the exchange whose decided speakers are counted
_STORY_VALUES = 7  # the last CONF_FEATURES names: Story.values


class Story(NamedTuple):
    """What the whole decode says, read once for every turn's confidence."""

    picks: list[int | None]  # the speaker decided for each turn
    speaks: Counter[int]  # how many turns each character was given
    values: list[float]  # the story-level features (the last CONF_FEATURES names)


def story_of(ctx: Context, choices: Sequence[tuple[int | None, float]]) -> Story:
    """How the decode of the whole story went: a story whose passes mostly agree and
    are sure, and whose speakers are mostly the header's, is read better throughout."""
    picks = [who for who, _prob in choices]
    n = max(1, len(choices))
    first = ctx.first if ctx.first is not None else [(None, 0.0)] * len(choices)
    agree = sum(f[0] == who for f, who in zip(first, picks, strict=True)) / n
    headers = ctx.headers
    speaks = Counter(who for who in picks if who is not None)
    alternating = ctx.alternation if ctx.alternation is not None else []
    values = [
        float(any(headers)),
        agree,
        sum(prob for _who, prob in choices) / n,
        sum(n_ for who, n_ in speaks.items() if headers[who]) / n,
        math.log1p(len(speaks)) / 4,
        sum(prob >= 0.9 for _who, prob in choices) / n,
        sum(bool(a) for a in alternating) / n,
    ]
    return Story(picks, speaks, values)


def _parity(ctx: Context, t: int, who: int, step: int) -> tuple[int, int]:
    """(distance, +1 or -1) of the nearest explicitly tagged turn in the exchange
    going from turn `t` in direction `step`: +1 when `who` fits two people taking
    turns with it (the tag's speaker at an even distance, the other at an odd one),
    (0, 0) when there is none."""
    anchors = ctx.anchors
    reach = ctx.reach_back[t] if step < 0 else ctx.reach_fwd[t]
    for distance in range(1, reach + 1):
        anchor = anchors[t + step * distance]
        if anchor is not None:
            return distance, 1 if (anchor == who) == (distance % 2 == 0) else -1
    return 0, 0


def describe(
    ctx: Context,
    t: int,
    who: int,
    prob: float,
    dist: dict[int, float],
    story: Story | None = None,
) -> list[float]:
    """What the decoder saw when it gave turn `t` to `who` with probability `prob`
    (`dist`: its distribution over the turn's candidates; `story`: the whole
    decode, see story_of, or None before there is one); one value per CONF_FEATURES
    name."""
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
    following = ctx.turns[t + 1] if t + 1 < len(ctx.turns) else None
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
    in_exchange = bool(ctx.reach_back[t] or ctx.reach_fwd[t])
    back_at, back = _parity(ctx, t, who, -1)
    fwd_at, fwd = _parity(ctx, t, who, 1)
    nearest = min(d for d in (back_at, fwd_at, 99) if d)
    both = float(back == fwd == 1)
    parity = float(back + fwd)
    # The speakers decided around it in the exchange: two people taking turns, or more.
    picks = story.picks if story is not None else [None] * len(ctx.turns)
    lo, hi = t - min(ctx.reach_back[t], _WINDOW), t + min(ctx.reach_fwd[t], _WINDOW)
    people = len({picks[u] for u in range(lo, hi + 1)} | {who})
    prev = picks[t - 1] if ctx.reach_back[t] else None
    prev2 = picks[t - 2] if ctx.reach_back[t] >= 2 else None
    nxt = picks[t + 1] if ctx.reach_fwd[t] else None
    speaks = story.speaks[who] if story is not None else 0
    story_values = story.values if story is not None else [0.0] * _STORY_VALUES
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
        float(untagged and not in_exchange),
        float(back),
        float(fwd),
        both,
        1.0 / nearest if nearest < 99 else 0.0,
        both if untagged else 0.0,
        parity if untagged else 0.0,
        parity if pronoun else 0.0,
        float(prev == who),
        float(prev2 == who),
        float(nxt == who),
        (people - 1) / _WINDOW if in_exchange else 0.0,
        float(in_exchange and people <= 2),
        float(who in ctx.leads),
        math.log1p(speaks) / 6,
        float(bool(turn.named) and who not in turn.named),
        first_sure if agree else -first_sure,
        float(not ctx.reach_back[t] and ctx.reach_fwd[t] > 0),
        *story_values,
    ]


def calibrated(weights: Sequence[float], values: Sequence[float]) -> float:
    """The probability that a decision described by `values` is right."""
    score = sum([w * v for w, v in zip(weights, values, strict=True)])
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
    story = story_of(ctx, choices)
    return [
        calibrated(weights, describe(ctx, t, who, prob, dists[t], story))
        if who is not None
        else 0.0
        for t, (who, prob) in enumerate(choices)
    ]
