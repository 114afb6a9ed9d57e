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

from tuific.speakers.tags import Turn

_SLACK = 0.05  # the probability left for a turn that breaks the alternation
_PARTICIPANTS = 5  # the most likely participants an exchange is read among


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
_SAME = (0.12, 0.25)
_NEW = (0.08, 0.15)


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
        states = [(a, b) for a in people for b in people if a != b]
        moves = _moves(states)
        speaker = [a for _j, a, _b in moves]  # each state's speaker, by place in `people`
        emit = []
        for t in run:
            each = [_SLACK + dists[t].get(a, 0.0) for a in people]
            emit.append([each[a] for a in speaker])
        steps = [_step(turns, run[k - 1], run[k]) for k in range(1, len(run))]
        n = len(states)
        # Forward.
        alpha = [[e / n for e in emit[0]]]
        for k in range(1, len(run)):
            prior = _transit(alpha[-1], moves, steps[k - 1], forward=True)
            row = [p * e for p, e in zip(prior, emit[k], strict=True)]
            total = sum(row) or 1.0
            alpha.append([x / total for x in row])
        # Backward.
        beta = [[1.0] * n for _ in run]
        for k in range(len(run) - 2, -1, -1):
            nxt = [b * e for b, e in zip(beta[k + 1], emit[k + 1], strict=True)]
            row = _transit(nxt, moves, steps[k], forward=False)
            total = sum(row) or 1.0
            beta[k] = [x / total for x in row]
        for k, t in enumerate(run):
            sums = [0.0] * len(people)
            for a, x, y in zip(speaker, alpha[k], beta[k], strict=True):
                sums[a] += x * y
            total = sum(sums) or 1.0
            out[t] = {who: w / total for who, w in zip(people, sums, strict=True)}
    return out


def _step(turns: Sequence[Turn], before: int, after: int) -> tuple[float, float]:
    """(same, new) chances between two turns of an exchange."""
    if turns[after].continues:
        return 0.97, 0.01
    gap = turns[after].paragraph - turns[before].paragraph
    return _SAME[gap > 1], _NEW[gap > 1]


def _moves(states: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """For each state (a, b): the index of (b, a), and the indices of a and b among
    the participants."""
    index = {st: i for i, st in enumerate(states)}
    people = {a: k for k, a in enumerate(dict.fromkeys(a for a, _b in states))}
    return [(index[(b, a)], people[a], people[b]) for a, b in states]


def _transit(vec: list[float], moves, step: tuple[float, float], forward: bool) -> list[float]:
    """One step of the chain: forward carries probability from the states at one
    turn to the next; backward carries the next turn's weights back. From (a, b):
    to (b, a), the other answers; to (a, b), a goes on; to (c, a), someone new.

    Linear in the states: what reaches (c, a) from every (a, x) but (a, c) is the sum
    over a's states less that one, so no state's fresh successors are walked."""
    same, new = step
    swap = 1.0 - same - new
    people = 1 + moves[-1][1]  # states go speaker by speaker: the last has the last one
    sums = [0.0] * people
    each = new / max(1, people - 2)
    if forward:
        # Fresh mass into (x, y) comes from y's states as speaker: (y, b), b != x.
        for i, (_j, a, _b) in enumerate(moves):
            sums[a] += vec[i]
        return [
            (swap - each) * vec[j] + same * vec[i] + each * sums[b]
            for i, (j, _a, b) in enumerate(moves)
        ]
    # Backward, (a, b) reaches (c, a) for every c but a and b: a's states as listener.
    for i, (_j, _a, b) in enumerate(moves):
        sums[b] += vec[i]
    return [
        (swap - each) * vec[j] + same * vec[i] + each * sums[a]
        for i, (j, a, _b) in enumerate(moves)
    ]
