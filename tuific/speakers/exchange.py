"""Turn-taking over a whole exchange: two people alternating through speech paragraphs.

An exchange is a run of speech paragraphs back to back (or one narration paragraph
apart). The first pass gives each turn a distribution over its candidates from local
evidence only (tags, names in the narration, vocatives). Here a small hidden Markov
chain over (speaker, other party) reads those distributions forwards and backwards:
mostly the two take turns, sometimes one goes on or a third cuts in. A speech that
calls its listener by name, or "sir" or "mamma", is evidence on the state's other
party too: in "…, Tony." the one spoken to is Tony, who is likely to answer. The result, a
probability for each participant at each turn, is one feature of the second pass, so
one tag at the top of a long untagged exchange settles the whole of it, in both
directions, and a pronoun tag or a vocative halfway through can correct it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, reduce
from itertools import repeat
from operator import add, itemgetter, mul, truediv

from tuific.speakers.turn import Turn

_SLACK = 0.05  # the probability left for a turn that breaks the alternation
_PARTICIPANTS = 4  # the most likely participants an exchange is read among


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


# Chances of what the next turn of an exchange does: the same speaker goes on (a
# speech in two paragraphs, a letter read aloud), or a third person cuts in; else the
# other of the two answers. One paragraph of narration between makes both likelier.
_SAME = (0.06, 0.3)
_NEW = (0.13, 0.2)


def alternation(
    turns: Sequence[Turn],
    dists: Sequence[dict[int, float]],
    genders: Sequence[str] | None = None,
) -> list[dict[int, float]]:
    """For every turn, the probability of each participant under the turn-taking
    model of its exchange (empty for a turn in no exchange).

    The model is a small hidden Markov chain whose state is (speaker, the other
    party), read forwards and backwards over the exchange; each turn's first-pass
    distribution is its evidence."""
    out: list[dict[int, float]] = [{} for _ in turns]
    for run in runs(turns):
        mass: dict[int, float] = {}
        for t in run:
            for who, p in dists[t].items():
                mass[who] = mass.get(who, 0.0) + p
        people = sorted(mass, key=mass.__getitem__, reverse=True)[:_PARTICIPANTS]
        if len(people) < 2:
            continue
        emits = []  # each turn's evidence, by participant
        for t in run:
            get = dists[t].get
            emits.append([_SLACK + get(a, 0.0) for a in people])
        steps = [_step(turns, run[k - 1], run[k]) for k in range(1, len(run))]
        heard = [_heard(turns[t], people, genders) for t in run]
        read = _by_speaker_four if len(people) == 4 else _chain(len(people)).by_speaker_sums
        for t, sums in zip(run, read(emits, steps, heard), strict=True):
            out[t] = dict(zip(people, map(truediv, sums, repeat(sum(sums) or 1.0)), strict=True))
    return out


# How well a participant fits as the listener of a speech that calls someone else by
# name, or calls its listener by a word of the other gender ("sir" to a woman); one of
# unknown gender fits halfway. (On PDNC, 0.15 to 0.5 all give the same accuracy
# within 0.1 point; with it the development novels gain 0.1 and the held-out 0.2.)
_HEARD_OTHER = 0.35
_HEARD_UNSURE = 0.7


def _heard(turn: Turn, people: list[int], genders: Sequence[str] | None) -> list[float] | None:
    """How well each participant fits as the one a turn's speech is said to (the other
    party of the chain's state): the name it calls out, else the gender of its word
    of address (sir, mamma); None when it says nothing of that."""
    if turn.vocatives and not set(turn.vocatives).isdisjoint(people):
        return [1.0 if p in turn.vocatives else _HEARD_OTHER for p in people]
    if turn.listener and genders is not None:
        fit = {turn.listener: 1.0, "": _HEARD_UNSURE}
        return [fit.get(genders[p], _HEARD_OTHER) for p in people]
    return None


def _step(turns: Sequence[Turn], before: int, after: int) -> tuple[float, float]:
    """(same, new) chances between two turns of an exchange."""
    if turns[after].continues:
        return 0.97, 0.01
    gap = turns[after].paragraph - turns[before].paragraph
    return _SAME[gap > 1], _NEW[gap > 1]


class _Chain:
    """The states (a, b) of an exchange among `people` participants (by place),
    speaker by speaker, and the steps of the chain over them.

    A step is linear in the states: what reaches (c, a) from every (a, x) but
    (a, c) is the sum over a's states less that one, so no state's fresh
    successors are walked. Sums add the states in order, one by one, as a loop
    over them would (the results are the same to the last bit)."""

    def __init__(self, people: int) -> None:
        states = [(a, b) for a in range(people) for b in range(people) if a != b]
        index = {st: i for i, st in enumerate(states)}
        self.n = len(states)
        self.people = people
        self.swapped = [index[(b, a)] for a, b in states]  # the index of (b, a)
        self.speaker = [a for a, _b in states]
        self.listener = [b for _a, b in states]
        self.of_speaker = itemgetter(*self.speaker)  # a list by participant, by state
        self._by_listener = itemgetter(*self.listener)  # ...by the state's listener
        self._swap = itemgetter(*self.swapped)  # a list by state, by its swapped state
        self._width = people - 1
        # The states listener by listener (in order within each).
        self._heard = itemgetter(*sorted(range(self.n), key=self.listener.__getitem__))

    def by_speaker_sums(
        self,
        emits: Sequence[list[float]],
        steps: Sequence[tuple[float, float]],
        heard: Sequence[list[float] | None] | None = None,
    ) -> list[list[float]]:
        """Each turn's forward-backward weights summed by speaker (not normalised),
        from each turn's evidence by participant (as speaker, and as listener where
        `heard` has any) and the steps between turns."""
        n = self.n
        emit = [self.of_speaker(e) for e in emits]  # each state's emission: its speaker's
        if heard is not None:  # ...times its listener's
            emit = [
                e if h is None else list(map(mul, e, self._by_listener(h)))
                for e, h in zip(emit, heard, strict=True)
            ]
        # (map with operator's functions: each element's arithmetic as a
        # comprehension does it, in C.)
        # Forward.
        alpha: list[list[float]] = [list(map(truediv, emit[0], repeat(n)))]
        for k in range(1, len(emit)):
            row = self.forward(alpha[-1], emit[k], steps[k - 1])
            alpha.append(list(map(truediv, row, repeat(sum(row) or 1.0))))
        # Backward.
        beta: list[list[float]] = [[1.0] * n for _ in emit]
        for k in range(len(emit) - 2, -1, -1):
            row = self.backward(list(map(mul, beta[k + 1], emit[k + 1])), steps[k])
            beta[k] = list(map(truediv, row, repeat(sum(row) or 1.0)))
        return [self.by_speaker(list(map(mul, a, b))) for a, b in zip(alpha, beta, strict=True)]

    def by_speaker(self, vec: Sequence[float]) -> list[float]:
        """Each participant's sum over its states as speaker (its run of them)."""
        it = iter(vec)
        width = self._width
        # One comprehension per width: reduce() over slices took twice as long.
        if width == 4:
            return [a + b + c + d for a, b, c, d in zip(it, it, it, it, strict=True)]
        if width == 3:
            return [a + b + c for a, b, c in zip(it, it, it, strict=True)]
        if width == 2:
            return [a + b for a, b in zip(it, it, strict=True)]
        return [reduce(add, part) for part in zip(*[it] * width, strict=True)]

    def forward(
        self, vec: list[float], emit: Sequence[float], step: tuple[float, float]
    ) -> list[float]:
        """The next turn's weights (not normalised): `vec` carried one step, times
        the next turn's `emit`. From (a, b): to (b, a), the other answers; to
        (a, b), a goes on; to (c, a), someone new, whose mass into (x, y) comes
        from y's states as speaker: (y, b), b != x."""
        same, new = step
        each = new / max(1, self.people - 2)
        keep = 1.0 - same - new - each
        heard = self._by_listener(self.by_speaker(vec))  # sums[b] for each state (a, b)
        return [
            (keep * swapped + same * x + each * b) * e
            for x, swapped, b, e in zip(vec, self._swap(vec), heard, emit, strict=True)
        ]

    def backward(self, vec: list[float], step: tuple[float, float]) -> list[float]:
        """The weights of a turn from the next turn's (`vec`, times its emission),
        carried one step back: (a, b) reaches (c, a) for every c but a and b, a's
        states as listener."""
        same, new = step
        each = new / max(1, self.people - 2)
        keep = 1.0 - same - new - each
        sums = self.by_speaker(self._heard(vec))  # by listener: the same runs
        return [
            keep * swapped + same * x + each * a
            for x, swapped, a in zip(vec, self._swap(vec), self.of_speaker(sums), strict=True)
        ]


@cache
def _chain(people: int) -> _Chain:
    return _Chain(people)


# The chain of four participants, the one nearly every exchange has (all but 37 turns
# of 14,648 on the PDNC novels), written out: its 12 states in _Chain's order, (0, 1),
# (0, 2), (0, 3), (1, 0), … (3, 2), as local names. Each sum and product is _Chain's,
# in the same order, so the results are the same to the last bit (a test checks); the
# lists and calls of the general chain took twice as long.


def _state_emits(e: Sequence[float], h: Sequence[float] | None) -> tuple[float, ...]:
    """The emission of each of the 12 states: its speaker's evidence, times its
    listener's when the turn has any (the products _Chain makes)."""
    e0, e1, e2, e3 = e
    if h is None:
        return (e0, e0, e0, e1, e1, e1, e2, e2, e2, e3, e3, e3)
    h0, h1, h2, h3 = h
    return (
        *(e0 * h1, e0 * h2, e0 * h3, e1 * h0, e1 * h2, e1 * h3),
        *(e2 * h0, e2 * h1, e2 * h3, e3 * h0, e3 * h1, e3 * h2),
    )


def _by_speaker_four(
    emits: Sequence[list[float]],
    steps: Sequence[tuple[float, float]],
    heard: Sequence[list[float] | None],
) -> list[list[float]]:
    """_Chain(4).by_speaker_sums."""
    states = list(map(_state_emits, emits, heard))
    e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11 = states[0]
    v0, v1, v2, v3, v4, v5 = e0 / 12, e1 / 12, e2 / 12, e3 / 12, e4 / 12, e5 / 12
    v6, v7, v8, v9, v10, v11 = e6 / 12, e7 / 12, e8 / 12, e9 / 12, e10 / 12, e11 / 12
    alpha = [(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11)]
    # Each row stays in local names from one turn to the next, and is normalised by
    # sum(), as the general chain's rows are: from Python 3.12 sum() of floats is
    # compensated, so a sum written out with + no longer gives the same last bit.
    for k in range(1, len(emits)):
        e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11 = states[k]
        same, new = steps[k - 1]
        each = new / 2
        keep = 1.0 - same - new - each
        # What reaches (a, b): (b, a) answered, (a, b) went on, or b spoke to anyone.
        s0 = v0 + v1 + v2
        s1 = v3 + v4 + v5
        s2 = v6 + v7 + v8
        s3 = v9 + v10 + v11
        r0 = (keep * v3 + same * v0 + each * s1) * e0
        r1 = (keep * v6 + same * v1 + each * s2) * e1
        r2 = (keep * v9 + same * v2 + each * s3) * e2
        r3 = (keep * v0 + same * v3 + each * s0) * e3
        r4 = (keep * v7 + same * v4 + each * s2) * e4
        r5 = (keep * v10 + same * v5 + each * s3) * e5
        r6 = (keep * v1 + same * v6 + each * s0) * e6
        r7 = (keep * v4 + same * v7 + each * s1) * e7
        r8 = (keep * v11 + same * v8 + each * s3) * e8
        r9 = (keep * v2 + same * v9 + each * s0) * e9
        r10 = (keep * v5 + same * v10 + each * s1) * e10
        r11 = (keep * v8 + same * v11 + each * s2) * e11
        z = sum((r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11)) or 1.0
        v0, v1, v2, v3, v4, v5 = r0 / z, r1 / z, r2 / z, r3 / z, r4 / z, r5 / z
        v6, v7, v8, v9, v10, v11 = r6 / z, r7 / z, r8 / z, r9 / z, r10 / z, r11 / z
        alpha.append((v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11))
    b0 = b1 = b2 = b3 = b4 = b5 = b6 = b7 = b8 = b9 = b10 = b11 = 1.0
    out: list[list[float]] = [[]] * len(emits)
    for k in range(len(emits) - 1, -1, -1):
        if k < len(emits) - 1:
            e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11 = states[k + 1]
            same, new = steps[k]
            each = new / 2
            keep = 1.0 - same - new - each
            w0, w1, w2, w3 = b0 * e0, b1 * e1, b2 * e2, b3 * e3
            w4, w5, w6, w7 = b4 * e4, b5 * e5, b6 * e6, b7 * e7
            w8, w9, w10, w11 = b8 * e8, b9 * e9, b10 * e10, b11 * e11
            # (a, b) reaches (b, a), itself, or (c, a) for anyone c: a's states as listener.
            h0 = w3 + w6 + w9
            h1 = w0 + w7 + w10
            h2 = w1 + w4 + w11
            h3 = w2 + w5 + w8
            r0 = keep * w3 + same * w0 + each * h0
            r1 = keep * w6 + same * w1 + each * h0
            r2 = keep * w9 + same * w2 + each * h0
            r3 = keep * w0 + same * w3 + each * h1
            r4 = keep * w7 + same * w4 + each * h1
            r5 = keep * w10 + same * w5 + each * h1
            r6 = keep * w1 + same * w6 + each * h2
            r7 = keep * w4 + same * w7 + each * h2
            r8 = keep * w11 + same * w8 + each * h2
            r9 = keep * w2 + same * w9 + each * h3
            r10 = keep * w5 + same * w10 + each * h3
            r11 = keep * w8 + same * w11 + each * h3
            z = sum((r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11)) or 1.0
            b0, b1, b2, b3, b4, b5 = r0 / z, r1 / z, r2 / z, r3 / z, r4 / z, r5 / z
            b6, b7, b8, b9, b10, b11 = r6 / z, r7 / z, r8 / z, r9 / z, r10 / z, r11 / z
        a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 = alpha[k]
        out[k] = [
            a0 * b0 + a1 * b1 + a2 * b2,
            a3 * b3 + a4 * b4 + a5 * b5,
            a6 * b6 + a7 * b7 + a8 * b8,
            a9 * b9 + a10 * b10 + a11 * b11,
        ]
    return out
