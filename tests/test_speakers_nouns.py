"""Header characters named by a common noun ("Cat", "Donkey"), whom the narration
calls "the cat" (a fable written for these tests)."""

from __future__ import annotations

from tuific.model import Metadata
from tuific.speakers import attribute
from tuific.speakers.nouns import noun_names

FABLE = [
    "The cat sat on the wall and the donkey stood below it. The cat was old.",
    "“We could go to the city,” said the donkey.",
    "The cat thought about it for a long time; the donkey waited.",
    "“We could,” she said at last. “But would they want us?”",
    "The donkey had no answer to that. The cat washed a paw.",
    "“Then we go anyway,” she said.",
]


def test_a_header_name_the_text_calls_the_cat_is_found_as_the_cat() -> None:
    assert noun_names(FABLE, ["Cat", "Donkey"]) == {
        "Cat": ("the cat", "The cat"),
        "Donkey": ("the donkey", "The donkey"),
    }


def test_she_said_after_the_cat_is_the_cats() -> None:
    meta = Metadata(characters=["Cat", "Donkey"])
    found = {a.paragraph: a.speaker for a in attribute(FABLE, meta=meta)}
    assert found[1] == "Donkey"
    assert found[3] == "Cat" and found[5] == "Cat"


def test_a_name_the_text_uses_as_a_name_is_no_noun() -> None:
    garden = [
        "Rose came into the garden. The rose by the gate was out.",
        "“Look at the rose,” said Rose. The rose nodded in the wind.",
        "Hope laughed at Rose, and Rose laughed too; the rose was very red.",
        "Then Rose picked it.",
    ]
    assert noun_names(garden, ["Rose", "Hope"]) == {}


def test_a_header_noun_the_cast_refused_is_skipped() -> None:
    # "God" is no name to the cast (an ordinary word): the text's "the god" must not
    # look it up (a KeyError here closed the app).
    story = [
        "The god sat by the river with Crowley. The god was old.",
        "“Well?” said Crowley. The god said nothing, and the god slept.",
    ]
    found = attribute(story, meta=Metadata(characters=["God", "Crowley"]))
    assert [a.speaker for a in found] == ["Crowley"]


def test_a_hostile_header_name_of_one_long_word_is_no_noun_and_no_error() -> None:
    # "A" + 500 dots + "b" passed for a capitalised word and recursed once a letter.
    name = "A" + "." * 500 + "b"
    meta = Metadata(characters=[name, "Ron Weasley"], fandoms=["Harry Potter"])
    found = attribute(["Ron sat down.", "“Hi,” said Ron."], meta=meta)
    assert [a.speaker for a in found] == ["Ron Weasley"]
    assert noun_names(["The cat sat. The cat ate. The cat slept."], [name]) == {}
