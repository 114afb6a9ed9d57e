"""Stories shaped to make attribution slow: each step does bounded work per paragraph
(the times are measured by benchmarks/bench_speakers_hostile.py, not here)."""

from __future__ import annotations

from collections import Counter

import pytest

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, attribute, common
from tuific.speakers.learn import _TALKERS, learn_names
from tuific.speakers.nearby import recency
from tuific.speakers.self_named import _MOST_INTRODUCED, introduced_names

# Made-up names, all different: "Abab", "Abac", ...
NAMES = [f"{a}{b}{c}".capitalize() for a in "bdfgk" for b in "aeiou" for c in "lmnrst"]


def test_a_paragraph_of_many_tags_pairs_only_its_first_speakers() -> None:
    paragraph = " ".join(f"“Yes,” said {name}." for name in NAMES)
    talking: dict[str, Counter[str]] = {}
    learn_names([paragraph], talking=talking)
    # Every tag with every other was len(NAMES)**2 pairs: minutes for thousands.
    assert set(talking) == set(NAMES[:_TALKERS])
    assert all(len(partners) == _TALKERS - 1 for partners in talking.values())


def test_the_lower_case_check_of_names_has_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each word checked is a search of the whole text: thousands of made-up names
    # (sentence subjects only, so unsure) must not mean thousands of searches.
    monkeypatch.setattr(common, "_MOST_WORDS", 20)
    searched: list[str] = []
    only_a_word = common._only_a_word

    def counting(text: str, word: str) -> bool:
        searched.append(word)
        return only_a_word(text, word)

    monkeypatch.setattr(common, "_only_a_word", counting)
    texts = [f"{name} walked in. The {name.lower()} was there." for name in NAMES]
    found = common.common_words(texts, NAMES)
    assert len(searched) == 20
    # Within the budget the check still works: those words are ordinary ones.
    assert {n.lower() for n in found} == set(searched)


def test_recency_names_each_character_once_most_recent_first() -> None:
    story = [
        " ".join(f"{name} walked." for name in NAMES),
        f"{NAMES[3]} and {NAMES[0]} sat down.",
        "“Well?” she said.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    cast = ctx.cast
    turn = ctx.turns[-1]
    order = [cast.characters[who].name for who in recency(ctx, turn.paragraph, turn)]
    known = {c.name for c in cast.characters}
    assert len(known) > 100
    assert order[:2] == [NAMES[0], NAMES[3]]
    assert order[2:] == [n for n in reversed(NAMES) if n in known and n not in order[:2]]


def test_a_paragraph_naming_everyone_is_still_attributed() -> None:
    story = [" ".join(f"{name} walked." for name in NAMES), "“Hi,” said Bilt."]
    found = attribute(story)
    assert [(a.paragraph, a.speaker) for a in found] == [(1, "Bilt")]


def test_a_name_has_at_most_one_capital_inside() -> None:
    # Any number of capitals inside made "Aa-Aa-Aa-…" one name: every capital of a
    # 64 KiB paragraph started a match that ran to its end (minutes of attribution).
    import re

    from tuific.speakers.learn import NAME_RE

    joined = {"Aa-" * 20_000: "Aa", "O'Ba" * 15_000: "O'Ba", "Mc" * 30_000: "McMc"}
    for text, name in joined.items():
        found = re.match(NAME_RE, text)
        assert found is not None and found.group() == name
    learnt = learn_names(["Aa-" * 20_000, "“Hi,” said Tom. Tom laughed."], min_count=1)
    assert all(len(name) < 20 for name in learnt)


def test_a_name_thousands_of_letters_long_is_no_name() -> None:
    # The names' regex is a tree a level deep per letter: such a name overflowed it.
    from tuific.model import Metadata
    from tuific.speakers import attribute

    huge = "A" + "a" * 5000
    story = ["“Hi,” said Bob.", f"“Yo,” said {huge}.", f"{huge} laughed."]
    found = attribute(story, meta=Metadata(characters=["B" * 5000, f"{huge} | {huge}"]))
    assert [a.speaker for a in found] == ["Bob", "Bob"]


def test_the_names_speeches_introduce_have_a_budget() -> None:
    # A speech of thousands of "I'm Zed Quo, I'm Abal Ebal, …" gives the cast a few
    # hundred names, not thousands (each new name rebuilds the names' pattern).
    speech = "“" + " ".join(f"I'm {name} {name}s." for name in NAMES * 3) + "”"
    found = introduced_names([speech])
    assert len(found) == _MOST_INTRODUCED < len(NAMES) * 3
