"""Habits of speech that a story teaches about its own speakers: how each one calls
the listener ("papa", "my dear", "Miss Woodhouse") and the words that only one of
them uses.

Both are counted over the turns whose speaker is known (the tagged ones; in the
second pass, also the ones the first pass is sure of). A turn's candidate then gets
its share of the uses of the turn's forms or words, the highest of them: a form that
one person used in every one of its known turns points to that person.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from tuific.speakers.turn import Turn

# form or word -> (known turns that use it, ((speaker, how many of them are theirs), ...))
Habits = dict[str, tuple[int, tuple[tuple[int, int], ...]]]

KNOWN_FROM = 3  # known turns (other than the turn itself) from which a form tells
# Words in more than this share of the story's turns ("the", "very") tell nobody
# apart, and leaving them out saves most of the counting.
SIGNATURE_SHARE = 0.3
# A word is a speaker's signature when that speaker says it in this share of the known
# turns that do (or more): the others' shares of it are left out, and so are words
# with no such speaker. (Reading every share of every word cost 10x the rest of
# the attribution on a story of a million words.)
SIGNATURE_AT = 0.3
# A word of two letters or more; an apostrophe inside it ("don't"), never at its end
# (the close of a ‘…’ quote).
_WORD = re.compile(r"[a-z][a-z'’]*[a-z]")


def count_habits(
    forms: Sequence[Sequence[str]], speakers: Sequence[int | None], least: float = 0.0
) -> Habits:
    """For each form (or word), how many known turns use it and how many of them are
    each speaker's; with `least`, only the speakers with that share of them or more,
    and only the forms that have one."""
    counts: dict[str, dict[int, int]] = {}
    for used, who in zip(forms, speakers, strict=True):
        if who is not None:
            for form in set(used):
                by = counts.setdefault(form, {})
                by[who] = by.get(who, 0) + 1
    habits: Habits = {}
    for form, by in counts.items():
        total = sum(by.values())
        if least:
            if total < KNOWN_FROM:
                continue
            kept = tuple((who, n) for who, n in by.items() if n >= least * total)
            if kept:
                habits[form] = (total, kept)
        else:
            habits[form] = (total, tuple(by.items()))
    return habits


def shares(
    habits: Habits, forms: Sequence[str], own: int | None, least: float = 0.0
) -> tuple[dict[int, float], bool]:
    """Each speaker's highest share of the known turns that use one of `forms`, and
    whether any of them is used in enough known turns to tell. `forms` are a turn's
    own: when its speaker is known (`own`), the turn itself is left out. `least`: as
    count_habits's, applied again once the turn is left out."""
    found: dict[int, float] = {}
    known = False
    for form in forms:
        entry = habits.get(form)
        if entry is None:
            continue
        total, by = entry
        if own is not None:
            total -= 1  # the turn itself, counted as own's
        if total < KNOWN_FROM:
            continue
        known = True
        for who, n in by:
            if who == own:
                n -= 1
            if n > 0 and n >= least * total:
                share = n / total
                if share > found.get(who, 0.0):
                    found[who] = share
    return found, known


def count_signatures(words: Sequence[Sequence[str]], speakers: Sequence[int | None]) -> Habits:
    """count_habits(words, speakers, SIGNATURE_AT): only each word's main speakers.
    Counted speaker by speaker, in C (a loop over every word of every known turn cost
    twice as much), so each word's speakers are in another order (shares() reads
    none of it)."""
    said: dict[int, list[set[str]]] = {}  # each speaker's known turns, as sets of words
    for used, who in zip(words, speakers, strict=True):
        if who is not None:
            said.setdefault(who, []).append(set(used))
    totals = Counter(chain.from_iterable(chain.from_iterable(said.values())))
    kept: dict[str, list[tuple[int, int]]] = {}
    for who, turns in said.items():
        for word, n in Counter(chain.from_iterable(turns)).items():
            total = totals[word]
            if n >= SIGNATURE_AT * total and total >= KNOWN_FROM:
                kept.setdefault(word, []).append((who, n))
    return {word: (totals[word], tuple(by)) for word, by in kept.items()}


def signature_shares(
    signatures: Habits, words: Sequence[str], own: int | None
) -> dict[int, float]:
    """shares() of a turn's signature words in a table of count_signatures."""
    return shares(signatures, words, own, SIGNATURE_AT)[0]


def signature_words(texts: Sequence[str], turns: Sequence[Turn]) -> list[list[str]]:
    """Each turn's speech as its distinct words in lower case, less the words too
    common to tell anyone apart and the ones no other turn uses."""
    vocabulary: dict[str, str] = {}  # one string object per word, shared by the turns
    intern = vocabulary.setdefault
    findall = _WORD.findall
    words = []
    for turn in turns:
        text = texts[turn.paragraph]
        spans = turn.spans
        if len(spans) == 1:
            said = findall(text[spans[0][0] : spans[0][1]].lower())
        else:
            said = [w for start, end in spans for w in findall(text[start:end].lower())]
        words.append(set(map(intern, said, said)))  # (as a comprehension would, in C)
    used = Counter(chain.from_iterable(words))
    most = max(KNOWN_FROM, SIGNATURE_SHARE * len(turns))
    telling = {w for w, n in used.items() if 1 < n <= most}
    return [list(filter(telling.__contains__, found)) for found in words]
