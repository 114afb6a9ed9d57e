"""Turn-taking over a whole exchange: two people alternating through speech paragraphs.

An exchange is a run of speech paragraphs back to back (or one narration paragraph
apart). The first pass gives each turn a distribution over its candidates from local
evidence only (tags, names in the narration, vocatives). Here a small hidden Markov
chain over (speaker, other party) reads those distributions forwards and backwards:
mostly the two take turns, sometimes one goes on or a third cuts in. The result, a
probability for each participant at each turn, is one feature of the second pass, so
one tag at the top of a long untagged exchange settles the whole of it, in both
directions, and a pronoun tag or a vocative halfway through can correct it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, reduce
from itertools import repeat
from operator import add, itemgetter, mul, truediv

from tuific.speakers.tags import Turn

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


def alternation(turns: Sequence[Turn], dists: Sequence[dict[int, float]]) -> list[dict[int, float]]:
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
        chain = _chain(len(people))
        emit = []  # each state's emission: its speaker's
        for t in run:
            get = dists[t].get
            emit.append(chain.of_speaker([_SLACK + get(a, 0.0) for a in people]))
        steps = [_step(turns, run[k - 1], run[k]) for k in range(1, len(run))]
        n = chain.n
        # (map with operator's functions: each element's arithmetic as a
        # comprehension does it, in C.)
        # Forward.
        alpha: list[list[float]] = [list(map(truediv, emit[0], repeat(n)))]
        for k in range(1, len(run)):
            row = chain.forward(alpha[-1], emit[k], steps[k - 1])
            alpha.append(list(map(truediv, row, repeat(sum(row) or 1.0))))
        # Backward.
        beta: list[list[float]] = [[1.0] * n for _ in run]
        for k in range(len(run) - 2, -1, -1):
            row = chain.backward(list(map(mul, beta[k + 1], emit[k + 1])), steps[k])
            beta[k] = list(map(truediv, row, repeat(sum(row) or 1.0)))
        for k, t in enumerate(run):
            sums = chain.by_speaker(list(map(mul, alpha[k], beta[k])))
            out[t] = dict(zip(people, map(truediv, sums, repeat(sum(sums) or 1.0)), strict=True))
    return out


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
