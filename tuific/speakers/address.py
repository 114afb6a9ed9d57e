"""Kin words of address: who "papa" is, once the story has shown it.

A speech that calls its listener "papa" or "aunt" says the listener's gender, and
little else, until the story shows who answers to the word: a speech calling "papa"
next to a speech whose tag names Mr. Woodhouse, again and again. From then on
"papa" in a speech calls Mr. Woodhouse as his name would: it is a vocative (he is
the listener, not the speaker; he likely answers next, and likely spoke before).
Only words that name one relation are learnt: "sir" and "miss" are anyone's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tuific.speakers.turn import Turn

KIN_WORDS = frozenset(
    "papa daddy dad father uncle brother grandpapa pater mamma mama mummy mum mom "
    "mother aunt sister grandmamma granny mater".split()
)
MIN_TIES = 3  # times a word must be seen next to the same tagged speaker
MIN_SHARE = 0.6  # ...and the share of the word's ties that speaker must have


def kin_vocatives(
    turns: Sequence[Turn],
    anchors: Sequence[int | None],
    genders: Sequence[str],
    gender_of: dict[str, str],
) -> dict[str, int]:
    """Each kin word the story ties to one character, and add that character to the
    vocatives of every turn that calls out that word. `anchors`: the character each
    turn's explicit tag names; `gender_of`: each word's gender (listener's)."""
    ties: dict[str, Counter[int]] = {}
    for t, turn in enumerate(turns):
        word = turn.called
        if word not in KIN_WORDS:
            continue
        for u in (t - 1, t + 1):
            if not 0 <= u < len(turns) or abs(turns[u].paragraph - turn.paragraph) != 1:
                continue
            who = anchors[u]
            # The turn next to it is tagged as someone else: the one called, most
            # likely (the one who answers, or whom it answers).
            if who is None or who == anchors[t] or genders[who] != gender_of[word]:
                continue
            ties.setdefault(word, Counter())[who] += 1
    learnt: dict[str, int] = {}
    for word, votes in ties.items():
        who, n = votes.most_common(1)[0]
        if n >= MIN_TIES and n >= MIN_SHARE * sum(votes.values()):
            learnt[word] = who
    if learnt:
        for t, turn in enumerate(turns):
            who = learnt.get(turn.called)
            if who is not None and who != anchors[t] and who not in turn.vocatives:
                turn.vocatives.append(who)
    return learnt
