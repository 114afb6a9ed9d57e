"""Choosing each turn's speaker: its candidates, and the left-to-right passes.

Every paragraph with speech (a turn) gets a few candidates: the character its tag
names or its pronoun may mean, the characters its narration names, the recent
speakers, the one the last speech called to, the next tagged speakers. Each candidate
is described by a handful of features (is it the tag's name; did it speak two turns
ago, as people do who take turns; does this speech call to it by name, so it is the
listener; see features.py) and scored by a conditional logit (weights in
weights.json, one per feature; "someone else" scores 0). Three passes, each with
weights of its own: the first reads each turn's own evidence only;
`exchange.alternation` then reads each exchange's turn-taking from its
distributions, and the second pass decides, in reading order, with that and with
the speakers already decided and the tagged turns still to come. The third does
the same again from the second's choices (on PDNC: +0.7 points on the development
novels, +0.3 held out, for ~30% more time).
"""

from __future__ import annotations

import math
import typing
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import chain
from operator import itemgetter

from tuific.speakers.cast import Cast
from tuific.speakers.exchange import alternation
from tuific.speakers.features import (
    ALT_I,
    HABIT_LINKED_I,
    PICK_I,
    SIGNATURE_LINKED_I,
    SPEAKS_I,
    SURE_I,
    Own,
)
from tuific.speakers.habits import count_habits, count_signatures, shares, signature_shares
from tuific.speakers.sequential import sequential
from tuific.speakers.turn import Turn

_NEAR = 6  # paragraphs: how far back a previous turn still belongs to the exchange
_RECENT = 4  # how many recently named characters are candidates (6 until the twenty-second
# session: 3 and 4 gave +13 and +14 development quotations, 5 and 8 −1 and +2)
_RUN = 8  # how many turns away a tag still sets the turn-taking
_SCENE_TURNS = 15  # how many turns back a speaker is still a candidate...
_SCENE_PARAGRAPHS = 40  # ...if no more paragraphs back than this
_SPEAKER = itemgetter(1)  # of a (distance, speaker) pair


class Context:
    """What the pass knows when it reaches a turn."""

    def __init__(
        self,
        cast: Cast,
        turns: Sequence[Turn],
        narrated: Sequence[list[int]],
        words: Sequence[list[str]] | None = None,
        scenes: tuple[Sequence[int], Sequence[int]] | None = None,
    ):
        self.cast = cast
        self.never_speak: frozenset[int] = frozenset()  # never candidates (see set_never_speak)
        # Per turn: who has left the talk (departures.py), no candidate but by a tag.
        self.gone: Sequence[frozenset[int]] = [frozenset()] * len(turns)
        self.turns = turns
        self.narrated = narrated  # per paragraph: characters its narration names
        self.subjects: Sequence[list[int]] = narrated  # ...as a sentence's subject (analyse)
        # ...and the gender of a "He"/"She" opening a sentence after its last name.
        self.pronoun_after: Sequence[str] = [""] * len(narrated)
        # Per paragraph, the first of its scene, and of its scene or chapter: where
        # the names and the turn-taking start again (nearby.scene_starts; analyse
        # gives them here, so that what reads them is worked out once).
        self.scene_start: Sequence[int] = [0] * len(narrated)
        self.talk_start: Sequence[int] = [0] * len(narrated)
        if scenes is not None:
            self.scene_start, self.talk_start = scenes
        self.genders = [c.gender for c in cast.characters]  # (analyse: one_gender)
        self.mentions = [c.mentions for c in cast.characters]
        self.salience = [math.log1p(m) / 5 for m in self.mentions]
        self.own: dict[int, Own] = {}  # per turn, worked out on first use
        self.following = self._following()
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
        self.spoke_log = [0.0] * len(self.spoke)  # log_count of each, for the pass
        self.leads = self._leads()
        self.narrator: int | None = None
        # The characters that each turn's explicit tag names, known before the pass.
        self.anchors = [explicit(t) for t in turns]
        # Who calls their listener by each form of address, and who uses each word
        # of speech, in the tagged turns (habits.py); in the later passes, also in the
        # turns the pass before is sure of.
        self.words: Sequence[list[str]] = words if words is not None else [[] for _ in turns]
        self.forms = [turn.forms for turn in turns]
        self.habits = count_habits(self.forms, self.anchors)
        self.signatures = count_signatures(self.words, self.anchors)
        self.linked_habits, self.linked_signatures = self.habits, self.signatures
        # How much of the story's speech its tags name (the confidence reads it).
        self.tagged_share = sum(a is not None for a in self.anchors) / max(1, len(turns))
        # The speakers that turn-taking reads from other turns: the tagged ones at
        # first, then also the first pass's confident choices.
        self.links: list[int | None] = []
        self.set_links(list(self.anchors))
        # The choices of the pass before (the first, when the second reads them).
        self.first: list[tuple[int | None, float]] | None = None
        self.alternation: list[dict[int, float]] | None = None  # see exchange.py
        # decide's (first weights, second weights, both as complex numbers): see there
        # (weights are never changed in place, so the objects name them).
        self.paired: tuple[Sequence[float], Sequence[float], list[complex]] | None = None

    def _following(self) -> list[list[int]]:
        """Per turn, the next turns (up to two) still near enough to read their
        speakers: in the same chapter and scene."""
        turns, talk_start = self.turns, self.talk_start
        out = []
        for t, turn in enumerate(turns):
            near = []
            for u in range(t + 1, min(len(turns), t + 3)):
                later = turns[u].paragraph
                if later - turn.paragraph > _NEAR or talk_start[later] > turn.paragraph:
                    break
                near.append(u)
            out.append(near)
        return out

    def next_turn(self, t: int, within: int | None = None) -> Turn | None:
        """The turn after turn `t`, if it is in the same chapter and scene (and no more
        than `within` paragraphs on, when given)."""
        if t + 1 >= len(self.turns):
            return None
        here, after = self.turns[t].paragraph, self.turns[t + 1].paragraph
        if self.talk_start[after] > here or (within is not None and after - here > within):
            return None
        return self.turns[t + 1]

    def set_scenes(self, scene_start: Sequence[int], talk_start: Sequence[int]) -> None:
        """Where scenes, and chapters or scenes, start (nearby.scene_starts)."""
        self.scene_start, self.talk_start = scene_start, talk_start
        self.following = self._following()

    def _leads(self) -> list[int]:
        """The two leads: the characters most often named (the header's first when
        there is no text yet), always candidates; never one who never speaks."""
        ranked = sorted(range(len(self.mentions)), key=lambda i: -self.mentions[i])
        return [i for i in ranked if i not in self.never_speak][:2]

    def set_never_speak(self, never: frozenset[int]) -> None:
        """The characters who never speak: places (places.py), and those the header's
        tags say never do (header.silent_characters). Never candidates."""
        self.never_speak = never
        self.leads = self._leads()

    def set_links(self, links: list[int | None]) -> None:
        """The speakers that turn-taking reads, and from them each turn's tagged
        turns back and forth in its exchange (see exchange_links), worked out once."""
        self.links = links
        # exchange_links for every turn, written out (a call per turn and way cost
        # more than the lists).
        back, fwd = self.reach_back, self.reach_fwd
        self.back = [
            [(d, w) for d, w in enumerate(links[t - r : t][::-1], 1) if w is not None]
            if (r := back[t])
            else []
            for t in range(len(links))
        ]
        self.fwd = [
            [(d, w) for d, w in enumerate(links[t + 1 : t + 1 + r], 1) if w is not None]
            if (r := fwd[t])
            else []
            for t in range(len(links))
        ]
        # Who speaks in those: candidates of the turn. (Each set is made as a
        # comprehension over the pairs would, in C, so its order is the same.)
        self.conversation = [
            set(map(_SPEAKER, back)) | set(map(_SPEAKER, fwd))
            for back, fwd in zip(self.back, self.fwd, strict=True)
        ]


def log_count(n: int) -> float:
    """How often someone has spoken, as a feature: log-scaled, ~1 at 150 turns."""
    return math.log1p(n) / 5


def explicit(turn: Turn) -> int | None:
    """The character a turn's explicit tag (or lead-in) names, if one does."""
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
    run: Iterable[int | None]
    if step < 0:
        run = reversed(links[t - ctx.reach_back[t] : t]) if ctx.reach_back[t] else ()
    else:
        run = links[t + 1 : t + 1 + ctx.reach_fwd[t]]
    return [(distance, who) for distance, who in enumerate(run, 1) if who is not None]


def features(
    ctx: Context, t: int, history: list[tuple[int, int | None]]
) -> tuple[list[int], list[dict[int, float]]]:
    """The candidates of turn `t` and a sparse feature vector for each (for training;
    the pass itself scores without building them).

    `history` holds (paragraph, speaker) of the turns decided so far, latest last.
    """
    return _features(ctx, t, [p for p, _ in history], [s for _, s in history])


def _features(
    ctx: Context, t: int, pars: list[int], said: list[int | None]
) -> tuple[list[int], list[dict[int, float]]]:
    """features() with the history as its paragraphs and its speakers (see _view)."""
    cands, own, seq = _view(ctx, t, pars, said)
    vecs: list[dict[int, float]] = []
    for c in cands:
        f = own.vec(ctx, c)
        if seq is not None:
            f = {**f, **seq.get(c, {})}
            f[SPEAKS_I] = log_count(ctx.spoke[c])
        vecs.append(f)
    return cands, vecs


def _view(
    ctx: Context, t: int, pars: list[int], said: list[int | None]
) -> tuple[list[int], Own, dict[int, dict[int, float]] | None]:
    """The candidates of turn `t`, its own evidence, and (in the passes after the
    first) the features that read other turns' speakers, by candidate (less "speaks").
    `pars` and `said`: the paragraph and speaker of each turn decided so far."""
    turn = ctx.turns[t]
    par = turn.paragraph
    scene = ctx.talk_start[par]
    # The last three turns, back to _NEAR paragraphs before and the scene's start: as
    # the paragraphs only grow, the last of them (found in C), latest first.
    near = bisect_left(pars, max(par - _NEAR, scene), max(0, len(pars) - 3))
    prev = [(pars[i], said[i]) for i in range(len(pars) - 1, near - 1, -1)]
    links = ctx.links
    nexts = [links[u] for u in ctx.following[t]]
    own = ctx.own.get(t)
    if own is None:
        own = ctx.own[t] = Own(ctx, t, prev)
        ptag = own.ptag
        # The candidates that do not hang on other turns' speakers, before and
        # after the ones that do (the order decides ties).
        # (Each once and without None: what the head holds, the tail need not; the
        # candidates' order is the same.)
        head = dict.fromkeys(
            (
                ctx.anchors[t],
                own.lead_who,
                *turn.named,
                own.pron_first,
                own.pron_second,
                own.pron_subject,
                *own.desc_kin,
            )
        )
        head.pop(None, None)
        tail = dict.fromkeys(
            (
                *own.recent[:_RECENT],
                *own.addressed_prev,
                *own.addressed_next,
                *own.narr_after,
                *ctx.leads,
                *((ctx.narrator,) if ptag is not None and ptag.gender == "I" else ()),
            )
        )
        tail.pop(None, None)
        own.head = tuple(head)
        own.tail = tuple(c for c in tail if c not in head)
    conversation = ctx.conversation[t]
    picked, sure = ctx.first[t] if ctx.first is not None else (None, 0.0)
    alt = ctx.alternation[t] if ctx.alternation is not None else {}
    # Each candidate once, in the order of the groups (None is nobody, left out).
    found = dict.fromkeys(
        chain(
            (picked,),
            [c for c, p in alt.items() if p >= 0.1],
            conversation,
            own.head,
            said[near:][::-1],
            nexts,
            own.tail,
            # Who else has spoken in the scene: in a room of four or five, the one
            # who speaks now may have last spoken several turns ago and not been
            # named since.
            said[
                bisect_left(
                    pars, max(par - _SCENE_PARAGRAPHS, scene), max(0, len(pars) - _SCENE_TURNS)
                ) :
            ],
        )
    )
    found.pop(None, None)
    never = ctx.never_speak
    if never and not never.isdisjoint(found):
        for silent in never.intersection(found):
            del found[silent]
    gone = ctx.gone[t]
    if gone and not gone.isdisjoint(found):
        for left in gone.intersection(found).difference((ctx.anchors[t],)):
            del found[left]
    cands = typing.cast(list[int], list(found))
    if ctx.first is None:
        # The first pass leaves out the features that read other turns' speakers
        # (their weights are 0 there).
        return cands, own, None
    seq = sequential(
        turn, prev, nexts, ctx.back[t], ctx.fwd[t], conversation, (own.pron_first, own.pron_second)
    )
    for c, p in alt.items():
        if p:
            seq.setdefault(c, {})[ALT_I] = p
    known = ctx.links[t]  # the turn's own speaker, when known (left out of the shares)
    for index, by_speaker in (
        (HABIT_LINKED_I, shares(ctx.linked_habits, turn.forms, known)[0]),
        (SIGNATURE_LINKED_I, signature_shares(ctx.linked_signatures, ctx.words[t], known)),
    ):
        for who, share in by_speaker.items():
            seq.setdefault(who, {})[index] = share
    if picked is not None:
        f = seq.setdefault(picked, {})
        f[PICK_I] = 1.0
        f[SURE_I] = sure
    return cands, own, seq


def _scores(ctx: Context, weights: Sequence[float], cands, own: Own, seq) -> list[float]:
    """Each candidate's score: its features' weighted sum, without building them."""
    score = own.score
    paired = ctx.paired
    if seq is None:
        if paired is None or weights is not paired[0]:
            return [score(ctx, c, weights) for c in cands]
        # The first pass of `decide`: the second's own scores too, for later.
        if own.ahead_of is not paired:
            own.ahead, own.ahead_of = {}, paired
        # Own.score_both written out: a call fewer for every candidate.
        both = paired[2]
        ahead = own.ahead
        out = []
        for c in cands:
            pair = score(ctx, c, both)  # type: ignore[arg-type]
            ahead[c] = pair.imag
            out.append(pair.real)
        return out
    later = paired is not None and weights is paired[1] and own.ahead_of is paired
    ahead = own.ahead if later else {}
    speaks = weights[SPEAKS_I]
    spoke = ctx.spoke_log
    out = []
    for c in cands:
        total = ahead.get(c)
        if total is None:
            total = score(ctx, c, weights)
        extra = seq.get(c)
        if extra is not None:
            for k, v in extra.items():
                total += weights[k] * v
        out.append(total + speaks * spoke[c])
    return out


def in_order(values: Sequence[float]) -> float:
    """`values` added one by one, left to right, as the fast scoring adds them: from
    Python 3.12 sum() of floats is compensated and would differ in the last bit."""
    total = 0.0
    for v in values:
        total += v
    return total


def softmax(scores: Sequence[float]) -> list[float]:
    """Each candidate's probability from its score. The softmax also holds "someone
    else" at score 0, so a lone weak candidate is not a certainty."""
    top = max(scores)
    if not top > 0.0:  # max(0.0, *scores), without the tuple
        top = 0.0
    exp = math.exp
    exps = [exp(s - top) for s in scores]
    total = sum(exps) + exp(-top)
    return [e / total for e in exps]


def decode_pass(ctx: Context, weights: Sequence[float], trace: list | None = None):
    """(speaker, confidence) of every turn, in order, and each turn's distribution
    over its candidates. `trace`, when given, collects (turn index, candidates,
    feature vectors) for training."""
    pars: list[int] = []  # the paragraph and speaker of each turn decided so far
    said: list[int | None] = []
    out: list[tuple[int | None, float]] = []
    dists: list[dict[int, float]] = []
    ctx.spoke = spoke = [0] * len(ctx.spoke)
    ctx.spoke_log = spoke_log = [0.0] * len(spoke)
    for t, turn in enumerate(ctx.turns):
        if turn.continues and out and pars[-1] == turn.paragraph - 1:
            # A speech carried on into this paragraph (it opens with a quote mark
            # and the last one never closed): the same speaker, by typography.
            who, prob = out[-1]
            out.append((who, prob))
            dists.append(dists[-1])
            pars.append(turn.paragraph)
            said.append(who)
            continue
        if trace is not None:
            cands, vecs = _features(ctx, t, pars, said)
            trace.append((t, cands, vecs))
            scores = [in_order([weights[k] * v for k, v in f.items()]) for f in vecs]
        else:
            cands, own, seq = _view(ctx, t, pars, said)
            scores = _scores(ctx, weights, cands, own, seq)
        if not cands:
            out.append((None, 0.0))
            dists.append({})
            pars.append(turn.paragraph)
            said.append(None)
            continue
        probs = softmax(scores)
        prob = max(probs)
        who = cands[probs.index(prob)]
        out.append((who, prob))
        dists.append(dict(zip(cands, probs, strict=True)))
        pars.append(turn.paragraph)
        said.append(who)
        spoke[who] += 1
        spoke_log[who] = log_count(spoke[who])
    return out, dists


LINK_AT = 0.6  # first-pass confidence from which a choice steers the turn-taking


def relink(ctx: Context, first) -> None:
    """Ready the next pass from the (choices, distributions) of the one before:
    confident choices become links, and each exchange's alternation is worked out."""
    choices, dists = first
    ctx.first = choices
    ctx.set_links(
        [
            anchor if anchor is not None else (who if sure >= LINK_AT else None)
            for anchor, (who, sure) in zip(ctx.anchors, choices, strict=True)
        ]
    )
    ctx.alternation = alternation(ctx.turns, dists, ctx.genders)
    ctx.linked_habits = count_habits(ctx.forms, ctx.links)
    ctx.linked_signatures = count_signatures(ctx.words, ctx.links)


def reset(ctx: Context) -> None:
    """Back to the state before the first pass."""
    if ctx.links != ctx.anchors:  # (as a new context's are: not worked out again)
        ctx.set_links(list(ctx.anchors))
    ctx.first, ctx.alternation, ctx.paired = None, None, None
    ctx.linked_habits, ctx.linked_signatures = ctx.habits, ctx.signatures


def decide(ctx: Context, weights: Sequence[Sequence[float]]):
    """Every pass in turn, each after the first reading the one before's choices as
    turn-taking links. Returns the last's (choices, distributions)."""
    first, second, *later = weights
    reset(ctx)  # (a context decided before starts again from its tags alone)
    # The first pass reads each candidate's own features for the second too
    # (Own.score_both): reading them again in the second took 3% of the attribution's
    # time on PDNC.
    ctx.paired = (first, second, [complex(a, b) for a, b in zip(first, second, strict=True)])
    found = decode_pass(ctx, first)
    for w in (second, *later):
        relink(ctx, found)
        found = decode_pass(ctx, w)
    return found
