"""The features of a candidate speaker that read other turns' speakers: who spoke
just before and two turns back, the tagged turns back and forth in the exchange and
their parity, who speaks next (see features.py for the rest)."""

from __future__ import annotations

from tuific.speakers.feature_names import INDEX
from tuific.speakers.nearby import pronoun_tag
from tuific.speakers.turn import Turn

_PREV_I = tuple(INDEX[n] for n in ("prev1", "prev2", "prev3"))
_NEXT_I = (INDEX["next1"], INDEX["next2"])
_BACK_I = (INDEX["even_back"], INDEX["odd_back"])  # by distance % 2
_FWD_I = (INDEX["even_fwd"], INDEX["odd_fwd"])
_NEAR_I, _ALT2_I, _CONT_I = INDEX["prev1_near"], INDEX["prev2_alt"], INDEX["continues"]
_EVEN2_I, _CONV_I = INDEX["even2_back"], INDEX["in_conversation"]
_PRON_PREV_I = (INDEX["pron_prev1"], INDEX["pron_prev2"])
_PRON_RANK_PREV_I = (INDEX["pron_first_prev1"], INDEX["pron_second_prev2"])


def sequential(
    turn: Turn,
    prev: list[tuple[int, int | None]],
    nexts: list[int | None],
    back: list[tuple[int, int]],
    fwd: list[tuple[int, int]],
    conversation: set[int],
    resolved: tuple[int | None, int | None] = (None, None),
) -> dict[int, dict[int, float]]:
    """The features that read other turns' speakers (less "speaks"), by the speaker
    they are about: worked out from each source once, not for every candidate.
    `resolved` holds the turn's pronoun tag's first and second match (Own)."""
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
    ptag = pronoun_tag(turn)
    if ptag is not None and ptag.gender in ("M", "F"):
        # A pronoun tag weighs the last two speakers apart from an untagged turn: "he
        # went on" is often the last one again (the gender is pron_clash's to check).
        for k, (_p, s) in enumerate(prev[:2]):
            if s is not None:
                seq[s][_PRON_PREV_I[k]] = 1.0
                # `resolved`: the pronoun's most recent and second most recent match.
                # The most recent is often only the last speaker's own tag ("said
                # Ann." / "…," she said: Ann's partner); the second, the one before.
                if s == resolved[k]:
                    seq[s][_PRON_RANK_PREV_I[k]] = 1.0
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
