"""Choosing each turn's speaker: candidates, their features, and the left-to-right pass.

Every paragraph with speech (a turn) gets a few candidates: the character its tag
names or its pronoun may mean, the characters its narration names, the recent
speakers, the one the last speech called to, the next tagged speakers. Each candidate
is described by a handful of features (is it the tag's name; did it speak two turns
ago, as people do who take turns; does this speech call to it by name, so it is the
listener) and scored by a conditional logit (weights in weights.json, one per
feature; "someone else" scores 0). Two passes: the first reads each turn's own
evidence only; `exchange.alternation` then reads each exchange's turn-taking from the
first pass's distributions, and the second pass decides, in reading order, with that
and with the speakers already decided and the tagged turns still to come.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain

from tuific.speakers.cast import Cast
from tuific.speakers.exchange import alternation
from tuific.speakers.tags import Turn

FEATURES = (
    "tag",
    "tag_other",
    "pron_first",
    "pron_match",
    "pron_clash",
    "pron_unknown",
    "i_narrator",
    "narr_first",
    "narr_any",
    "narr_only",
    "narr_prev",
    "in_speech",
    "vocative",
    "addressed",
    "prev1",
    "prev1_near",
    "prev2",
    "prev2_alt",
    "prev3",
    "next1",
    "next2",
    "continues",
    "recent0",
    "recent",
    "speaks",
    "salience",
    "header",
    "lead_tag",
    "lead_last",
    "even_back",
    "odd_back",
    "even_fwd",
    "odd_fwd",
    "even2_back",
    "in_conversation",
    "first_pick",
    "first_sure",
    "alternation",
    "addressed_next",
    "lead1",
    "lead2",
    "pron_second",
    "pron_para",
    "listener_match",
    "listener_clash",
)
# Features that read other turns' speakers: the first pass leaves them out (their
# weights are 0 there), so that its choices rest on each turn's own evidence.
SEQUENTIAL = frozenset(
    "prev1 prev1_near prev2 prev2_alt prev3 next1 next2 continues even_back odd_back even_fwd "
    "odd_fwd even2_back in_conversation speaks first_pick first_sure alternation".split()
)
INDEX = {name: i for i, name in enumerate(FEATURES)}
_PREV_I = tuple(INDEX[n] for n in ("prev1", "prev2", "prev3"))
_NEXT_I = (INDEX["next1"], INDEX["next2"])
_BACK_I = (INDEX["even_back"], INDEX["odd_back"])  # by distance % 2
_FWD_I = (INDEX["even_fwd"], INDEX["odd_fwd"])
_RECENT_I, _SALIENCE_I = INDEX["recent"], INDEX["salience"]
_NEAR_I, _ALT2_I, _CONT_I = INDEX["prev1_near"], INDEX["prev2_alt"], INDEX["continues"]
_EVEN2_I, _CONV_I, _SPEAKS_I = INDEX["even2_back"], INDEX["in_conversation"], INDEX["speaks"]
_ALT_I, _PICK_I, _SURE_I = INDEX["alternation"], INDEX["first_pick"], INDEX["first_sure"]
_TAG_I = INDEX["tag"]
_TAG_OTHER_I = INDEX["tag_other"]
_LEAD_TAG_I = INDEX["lead_tag"]
_LEAD_LAST_I = INDEX["lead_last"]
_I_NARRATOR_I = INDEX["i_narrator"]
_PRON_FIRST_I = INDEX["pron_first"]
_PRON_SECOND_I = INDEX["pron_second"]
_PRON_PARA_I = INDEX["pron_para"]
_PRON_UNKNOWN_I = INDEX["pron_unknown"]
_PRON_MATCH_I = INDEX["pron_match"]
_PRON_CLASH_I = INDEX["pron_clash"]
_NARR_FIRST_I = INDEX["narr_first"]
_NARR_ANY_I = INDEX["narr_any"]
_NARR_ONLY_I = INDEX["narr_only"]
_NARR_PREV_I = INDEX["narr_prev"]
_IN_SPEECH_I = INDEX["in_speech"]
_VOCATIVE_I = INDEX["vocative"]
_ADDRESSED_I = INDEX["addressed"]
_LISTENER_MATCH_I = INDEX["listener_match"]
_LISTENER_CLASH_I = INDEX["listener_clash"]
_ADDRESSED_NEXT_I = INDEX["addressed_next"]
_LEAD1_I = INDEX["lead1"]
_LEAD2_I = INDEX["lead2"]
_RECENT0_I = INDEX["recent0"]
_HEADER_I = INDEX["header"]
_NEAR = 6  # paragraphs: how far back a previous turn still belongs to the exchange
_RECENT = 6  # how many recently named characters are candidates
_RUN = 8  # how many turns away a tag still sets the turn-taking


class Context:
    """What the pass knows when it reaches a turn."""

    def __init__(self, cast: Cast, turns: Sequence[Turn], narrated: Sequence[list[int]]):
        self.cast = cast
        self.turns = turns
        self.narrated = narrated  # per paragraph: characters its narration names
        self.genders = [c.gender for c in cast.characters]
        self.mentions = [c.mentions for c in cast.characters]
        self.salience = [math.log1p(m) / 5 for m in self.mentions]
        self.own: dict[int, _Own] = {}  # per turn, worked out on first use
        # How many turns back and forth from each the unbroken exchange (speech
        # paragraphs back to back) goes, up to _RUN.
        self.reach_back = [0] * len(turns)
        self.reach_fwd = [0] * len(turns)
        for t in range(1, len(turns)):
            if turns[t].paragraph - turns[t - 1].paragraph == 1:
                self.reach_back[t] = min(_RUN, self.reach_back[t - 1] + 1)
        for t in range(len(turns) - 2, -1, -1):
            if turns[t + 1].paragraph - turns[t].paragraph == 1:
                self.reach_fwd[t] = min(_RUN, self.reach_fwd[t + 1] + 1)
        self.headers = [c.from_header for c in cast.characters]
        self.spoke = [0] * len(cast.characters)
        # The two leads: the characters most often named (the header's first when
        # there is no text yet), always candidates.
        ranked = sorted(range(len(cast.characters)), key=lambda i: -self.mentions[i])
        self.leads = ranked[:2]
        self.narrator: int | None = None
        # The characters that each turn's explicit tag names, known before the pass.
        self.anchors = [_explicit(t) for t in turns]
        # The speakers that turn-taking reads from other turns: the tagged ones at
        # first, then also the first pass's confident choices.
        self.links: list[int | None] = []
        self.set_links(list(self.anchors))
        self.first: list[tuple[int | None, float]] | None = None  # the first pass
        self.alternation: list[dict[int, float]] | None = None  # see exchange.py

    def set_links(self, links: list[int | None]) -> None:
        """The speakers that turn-taking reads, and from them each turn's tagged
        turns back and forth in its exchange (see exchange_links), worked out once."""
        self.links = links
        self.back = [exchange_links(self, t, -1) for t in range(len(links))]
        self.fwd = [exchange_links(self, t, 1) for t in range(len(links))]


def _explicit(turn: Turn) -> int | None:
    for tag in turn.tags:
        if tag is not None and tag.explicit:
            return tag.who
    if turn.lead is not None and turn.lead.explicit:
        return turn.lead.who
    return None


def exchange_links(ctx: Context, t: int, step: int) -> list[tuple[int, int]]:
    """(distance, speaker) of the tagged turns in an unbroken exchange (speech
    paragraphs back to back) going from turn `t` in direction `step`."""
    links = ctx.links
    reach = ctx.reach_back[t] if step < 0 else ctx.reach_fwd[t]
    return [
        (distance, who)
        for distance in range(1, reach + 1)
        if (who := links[t + step * distance]) is not None
    ]


def _pronoun_tag(turn: Turn):
    for tag in turn.tags:
        if tag is not None and tag.pronoun:
            return tag
    if turn.lead is not None and turn.lead.pronoun and not any(turn.tags):
        return turn.lead
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
    """The candidates of turn `t` and a sparse feature vector for each (for training;
    the pass itself scores without building them).

    `history` holds (paragraph, speaker) of the turns decided so far, latest last.
    """
    cands, own, seq = _view(ctx, t, history)
    vecs: list[dict[int, float]] = []
    for c in cands:
        f = own.vec(ctx, c)
        if seq is not None:
            f = {**f, **seq.get(c, {})}
            f[_SPEAKS_I] = _log_count(ctx.spoke[c])
        vecs.append(f)
    return cands, vecs


def _view(
    ctx: Context, t: int, history: list[tuple[int, int | None]]
) -> tuple[list[int], _Own, dict[int, dict[int, float]] | None]:
    """The candidates of turn `t`, its own evidence, and (in the second pass) the
    features that read other turns' speakers, by candidate (less "speaks")."""
    turn = ctx.turns[t]
    par = turn.paragraph
    prev = [(p, s) for p, s in history[-3:] if par - p <= _NEAR][::-1]
    nexts = []
    for u in range(t + 1, min(len(ctx.turns), t + 3)):
        if ctx.turns[u].paragraph - par > _NEAR:
            break
        nexts.append(ctx.links[u])
    own = ctx.own.get(t)
    if own is None:
        own = ctx.own[t] = _Own(ctx, t, prev)
    ptag = own.ptag
    back = ctx.back[t]
    fwd = ctx.fwd[t]
    conversation = {who for _, who in back} | {who for _, who in fwd}
    picked, sure = ctx.first[t] if ctx.first is not None else (None, 0.0)
    alt = ctx.alternation[t] if ctx.alternation is not None else {}
    # Each candidate once, in the order of the groups (None is nobody, left out).
    cands = [
        c
        for c in dict.fromkeys(
            chain(
                (picked,),
                [c for c, p in alt.items() if p >= 0.1],
                conversation,
                (ctx.anchors[t], own.lead_who),
                turn.named,
                [s for _, s in prev],
                nexts,
                own.recent[:_RECENT],
                own.addressed_prev,
                own.addressed_next,
                ctx.leads,
                (ctx.narrator,) if ptag is not None and ptag.gender == "I" else (),
            )
        )
        if c is not None
    ]
    if ctx.first is None:
        # The first pass leaves out the features that read other turns' speakers
        # (their weights are 0 there).
        return cands, own, None
    seq = _sequential(turn, prev, nexts, back, fwd, conversation)
    for c, p in alt.items():
        if p:
            seq.setdefault(c, {})[_ALT_I] = p
    if picked is not None:
        f = seq.setdefault(picked, {})
        f[_PICK_I] = 1.0
        f[_SURE_I] = sure
    return cands, own, seq


class _Own:
    """What a turn's own evidence says, the same in both passes: worked out once, with
    each candidate's features from it."""

    def __init__(self, ctx: Context, t: int, prev: list[tuple[int, int | None]]):
        turn = ctx.turns[t]
        par = turn.paragraph
        lead = turn.lead
        self.lead_who = lead.who if lead is not None else None
        self.lead_explicit = lead is not None and lead.explicit
        self.ptag = ptag = _pronoun_tag(turn)
        self.recent = recent = recency(ctx, par, turn)
        # (Which turns came just before depends on paragraphs only, not on speakers.)
        self.addressed_prev = ctx.turns[t - 1].vocatives if t and prev else []
        # "Yes, sir": the last speech called its listener a man, so a man answers.
        self.listener = ctx.turns[t - 1].listener if t and prev and par - prev[0][0] <= 2 else ""
        following = ctx.turns[t + 1] if t + 1 < len(ctx.turns) else None
        self.addressed_next = (
            following.vocatives if following is not None and following.paragraph - par <= 2 else []
        )
        self.narr_prev = set(ctx.narrated[par - 1]) if par else set()
        self.named_set = set(turn.named)
        self.pron_first = self.pron_second = self.pron_para = None
        if ptag is not None and ptag.gender in ("M", "F"):
            compatible = [c for c in recent if ctx.genders[c] == ptag.gender][:2]
            self.pron_first = compatible[0] if compatible else None
            self.pron_second = compatible[1] if len(compatible) > 1 else None
            # "A shiver passed over Ronny. He said, …": named in the same paragraph.
            for pos, who in reversed(turn.mentions):
                if pos < ptag.pos and ctx.genders[who] == ptag.gender:
                    self.pron_para = who
                    break
        self.rank_of = {who: rank for rank, who in reversed(list(enumerate(recent)))}
        self.t = t
        self.vecs: dict[int, dict[int, float]] = {}

    def vec(self, ctx: Context, c: int) -> dict[int, float]:
        """Candidate `c`'s features from this turn's own evidence (worked out once)."""
        f = self.vecs.get(c)
        if f is None:
            f = self.vecs[c] = self._features(ctx, c, ctx.anchors[self.t], ctx.turns[self.t])
        return f

    def score(self, ctx: Context, c: int, w: Sequence[float]) -> float:
        """The weighted sum of candidate `c`'s own features: `_features` with each
        feature's weight added where it sets the feature, in the same order, so the
        sum is the same to the last bit (a test checks the two agree). The pass
        calls this for every candidate; building the dict and then summing it was
        a fifth of the attribution's time."""
        turn = ctx.turns[self.t]
        anchor = ctx.anchors[self.t]
        s = 0.0
        ptag = self.ptag
        if anchor is not None:
            s += w[_TAG_I] if c == anchor else w[_TAG_OTHER_I]
        if c == self.lead_who:
            s += w[_LEAD_TAG_I] if self.lead_explicit else w[_LEAD_LAST_I]
        if ptag is not None:
            g = ctx.genders[c]
            if ptag.gender == "I":
                if c == ctx.narrator:
                    s += w[_I_NARRATOR_I]
            elif ptag.gender:
                if c == self.pron_first:
                    s += w[_PRON_FIRST_I]
                elif c == self.pron_second:
                    s += w[_PRON_SECOND_I]
                if c == self.pron_para:
                    s += w[_PRON_PARA_I]
                if not g:
                    s += w[_PRON_UNKNOWN_I]
                elif g == ptag.gender:
                    s += w[_PRON_MATCH_I]
                else:
                    s += w[_PRON_CLASH_I]
        if c == turn.first:
            s += w[_NARR_FIRST_I]
        if c in self.named_set:
            s += w[_NARR_ANY_I]
            if len(self.named_set) == 1:
                s += w[_NARR_ONLY_I]
        if c in self.narr_prev:
            s += w[_NARR_PREV_I]
        if c in turn.in_speech:
            s += w[_IN_SPEECH_I]
        if c in turn.vocatives:
            s += w[_VOCATIVE_I]
        if c in self.addressed_prev:
            s += w[_ADDRESSED_I]
        listener = self.listener
        if listener and ctx.genders[c]:
            s += w[_LISTENER_MATCH_I if ctx.genders[c] == listener else _LISTENER_CLASH_I]
        if c in self.addressed_next:
            s += w[_ADDRESSED_NEXT_I]
        if c in ctx.leads:
            s += w[_LEAD1_I if c == ctx.leads[0] else _LEAD2_I]
        rank = self.rank_of.get(c)
        if rank is not None:
            s += w[_RECENT_I] * (1.0 / (1 + rank))
            if rank == 0:
                s += w[_RECENT0_I]
        s += w[_SALIENCE_I] * ctx.salience[c]
        if ctx.headers[c]:
            s += w[_HEADER_I]
        return s

    def _features(self, ctx: Context, c: int, anchor: int | None, turn: Turn) -> dict[int, float]:
        f: dict[int, float] = {}
        ptag = self.ptag
        if anchor is not None:
            f[INDEX["tag" if c == anchor else "tag_other"]] = 1.0
        if c == self.lead_who:
            f[INDEX["lead_tag" if self.lead_explicit else "lead_last"]] = 1.0
        if ptag is not None:
            g = ctx.genders[c]
            if ptag.gender == "I":
                if c == ctx.narrator:
                    f[INDEX["i_narrator"]] = 1.0
            elif ptag.gender:
                if c == self.pron_first:
                    f[INDEX["pron_first"]] = 1.0
                elif c == self.pron_second:
                    f[INDEX["pron_second"]] = 1.0
                if c == self.pron_para:
                    f[INDEX["pron_para"]] = 1.0
                if not g:
                    f[INDEX["pron_unknown"]] = 1.0
                f[INDEX["pron_match" if g == ptag.gender else "pron_clash"]] = 1.0 if g else 0.0
        if c == turn.first:
            f[INDEX["narr_first"]] = 1.0
        if c in self.named_set:
            f[INDEX["narr_any"]] = 1.0
            if len(self.named_set) == 1:
                f[INDEX["narr_only"]] = 1.0
        if c in self.narr_prev:
            f[INDEX["narr_prev"]] = 1.0
        if c in turn.in_speech:
            f[INDEX["in_speech"]] = 1.0
        if c in turn.vocatives:
            f[INDEX["vocative"]] = 1.0
        if c in self.addressed_prev:
            f[INDEX["addressed"]] = 1.0
        listener = self.listener
        if listener and ctx.genders[c]:
            f[INDEX["listener_match" if ctx.genders[c] == listener else "listener_clash"]] = 1.0
        if c in self.addressed_next:
            f[INDEX["addressed_next"]] = 1.0
        if c in ctx.leads:
            f[INDEX["lead1" if c == ctx.leads[0] else "lead2"]] = 1.0
        rank = self.rank_of.get(c)
        if rank is not None:
            f[_RECENT_I] = 1.0 / (1 + rank)
            if rank == 0:
                f[INDEX["recent0"]] = 1.0
        f[_SALIENCE_I] = ctx.salience[c]
        if ctx.headers[c]:
            f[INDEX["header"]] = 1.0
        return f


def _sequential(
    turn: Turn,
    prev: list[tuple[int, int | None]],
    nexts: list[int | None],
    back: list[tuple[int, int]],
    fwd: list[tuple[int, int]],
    conversation: set[int],
) -> dict[int, dict[int, float]]:
    """The features that read other turns' speakers (less "speaks"), by the speaker
    they are about: worked out from each source once, not for every candidate."""
    seq: dict[int, dict[int, float]] = {}
    par = turn.paragraph
    for k, (p, s) in enumerate(prev):
        if s is None:
            continue
        f = seq.setdefault(s, {})
        f[_PREV_I[k]] = 1.0
        if k == 0 and par - p == 1:
            f[_NEAR_I] = 1.0
        if k == 1 and prev[0][1] != s:
            f[_ALT2_I] = 1.0
    if turn.continues and prev and prev[0][1] is not None:
        seq[prev[0][1]][_CONT_I] = 1.0
    for k, s in enumerate(nexts):
        if s is not None:
            seq.setdefault(s, {})[_NEXT_I[k]] = 1.0
    for parities, run in ((_BACK_I, back), (_FWD_I, fwd)):
        for distance, who in run:
            # The nearest tagged turn of each parity counts.
            seq.setdefault(who, {}).setdefault(parities[distance % 2], 0.8 ** (distance - 1))
    if len(back) > 1 and back[0][0] == 2:
        seq[back[0][1]][_EVEN2_I] = 1.0
    for who in conversation:
        seq[who][_CONV_I] = 1.0
    return seq


def _log_count(n: int) -> float:
    return math.log1p(n) / 5


def _scores(ctx: Context, weights: Sequence[float], cands, own: _Own, seq) -> list[float]:
    """Each candidate's score: its features' weighted sum, without building them."""
    score = own.score
    if seq is None:
        return [score(ctx, c, weights) for c in cands]
    speaks = weights[_SPEAKS_I]
    spoke = ctx.spoke
    out = []
    for c in cands:
        total = score(ctx, c, weights)
        extra = seq.get(c)
        if extra is not None:
            for k, v in extra.items():
                total += weights[k] * v
        out.append(total + speaks * _log_count(spoke[c]))
    return out


def softmax(scores: Sequence[float]) -> list[float]:
    """Each candidate's probability from its score. The softmax also holds "someone
    else" at score 0, so a lone weak candidate is not a certainty."""
    top = max(0.0, *scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps) + math.exp(-top)
    return [e / total for e in exps]


def decode_pass(ctx: Context, weights: Sequence[float], trace: list | None = None):
    """(speaker, confidence) of every turn, in order, and each turn's distribution
    over its candidates. `trace`, when given, collects (turn index, candidates,
    feature vectors) for training."""
    history: list[tuple[int, int | None]] = []
    out: list[tuple[int | None, float]] = []
    dists: list[dict[int, float]] = []
    ctx.spoke = [0] * len(ctx.spoke)
    for t, turn in enumerate(ctx.turns):
        if turn.continues and out and history[-1][0] == turn.paragraph - 1:
            # A speech carried on into this paragraph (it opens with a quote mark
            # and the last one never closed): the same speaker, by typography.
            who, prob = out[-1]
            out.append((who, prob))
            dists.append(dists[-1])
            history.append((turn.paragraph, who))
            continue
        if trace is not None:
            cands, vecs = features(ctx, t, history)
            trace.append((t, cands, vecs))
            scores = [sum([weights[k] * v for k, v in f.items()]) for f in vecs]
        else:
            cands, own, seq = _view(ctx, t, history)
            scores = _scores(ctx, weights, cands, own, seq)
        if not cands:
            out.append((None, 0.0))
            dists.append({})
            history.append((turn.paragraph, None))
            continue
        probs = softmax(scores)
        prob = max(probs)
        who = cands[probs.index(prob)]
        out.append((who, prob))
        dists.append(dict(zip(cands, probs, strict=True)))
        history.append((turn.paragraph, who))
        ctx.spoke[who] += 1
    return out, dists


LINK_AT = 0.6  # first-pass confidence from which a choice steers the turn-taking


def relink(ctx: Context, first) -> None:
    """Ready the second pass from the first's (choices, distributions): confident
    choices become links, and each exchange's alternation is worked out."""
    choices, dists = first
    ctx.first = choices
    ctx.set_links(
        [
            anchor if anchor is not None else (who if sure >= LINK_AT else None)
            for anchor, (who, sure) in zip(ctx.anchors, choices, strict=True)
        ]
    )
    ctx.alternation = alternation(ctx.turns, dists)


def reset(ctx: Context) -> None:
    """Back to the state before the first pass."""
    ctx.set_links(list(ctx.anchors))
    ctx.first, ctx.alternation = None, None


def decide(ctx: Context, weights: tuple[Sequence[float], Sequence[float]]):
    """Both passes: the second reads the first's choices as turn-taking links.
    Returns the second's (choices, distributions)."""
    relink(ctx, decode_pass(ctx, weights[0]))
    return decode_pass(ctx, weights[1])
