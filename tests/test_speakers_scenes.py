"""Scene breaks and chapter headings: who was in the room before one (scenes written
for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, attribute, load_weights
from tuific.speakers.decode import decode_pass, features, relink
from tuific.speakers.features import INDEX, Own
from tuific.speakers.nearby import recency, scene_starts


def test_where_scenes_and_chapters_start() -> None:
    # Without kinds, as the plain-text loader reads them (chapters.classify).
    texts = ["a", "* * *", "b", "Chapter 2: The Wing", "c", "CHAPTER III", "d", "~~~", "e"]
    scenes, talk = scene_starts(texts)
    assert scenes == [0, 2, 2, 2, 2, 2, 2, 8, 8]
    assert talk == [0, 2, 2, 4, 4, 6, 6, 8, 8]
    # A line of prose, however short, ends nothing, though it opens like a heading.
    assert scene_starts(["a", "Yes.", "b"]) == ([0, 0, 0], [0, 0, 0])
    prose = ["a", "Part of me wanted to stay.", "Chapters bored him.", "Book II", "b"]
    assert scene_starts(prose)[1] == [0, 0, 0, 4, 4]
    # Where the story's format marks them, a chapter's title of any words and a break.
    marked = ["a", "The Going Down", "b", "", "c"]
    kinds = ["text", "heading", "text", "scene_break", "text"]
    assert scene_starts(marked, kinds) == ([0, 0, 0, 4, 4], [0, 2, 2, 4, 4])
    assert scene_starts(marked) == ([0, 0, 0, 0, 0], [0, 0, 0, 0, 0])


KITCHEN = [
    "Maud and Ruth shelled peas in the kitchen. Walter came in for his tea.",
    "“Is there cake?” asked Walter.",
    "“There is not,” said Ruth.",
    "* * *",
    "The station was cold. Agnes had been waiting an hour when the train came in.",
    "“At last,” she said.",
]


def test_after_a_scene_break_the_names_before_it_are_not_recent() -> None:
    ctx = analyse(KITCHEN, find_dialogue(KITCHEN), None)
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    turn = ctx.turns[-1]
    assert turn.paragraph == 5
    assert recency(ctx, 5, turn) == [names["Agnes"]]
    own = Own(ctx, len(ctx.turns) - 1, [])
    assert own.pron_first == names["Agnes"]


def _reads_the_turn_before(story: list[str], t: int, history) -> bool:
    """Whether any candidate of turn `t` gets a feature of the turns just before."""
    ctx = analyse(story, find_dialogue(story), None)
    relink(ctx, decode_pass(ctx, load_weights()[0]))
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    _cands, vecs = features(ctx, t, [(p, names[who]) for p, who in history])
    return any(INDEX["prev1"] in f or INDEX["prev2"] in f for f in vecs)


def test_turn_taking_stops_at_a_chapters_heading() -> None:
    story = [
        "Maud and Walter sat by the fire.",
        "“It will snow,” said Maud.",
        "“It always says it will,” said Walter.",
        "CHAPTER II",
        "“Then let it,” said Maud.",
    ]
    assert not _reads_the_turn_before(story, 2, [(1, "Maud"), (2, "Walter")])
    # ...as the same turns without the heading do.
    same = [*story[:3], story[4]]
    assert _reads_the_turn_before(same, 2, [(1, "Maud"), (2, "Walter")])
    # ...nor does the turn before the heading read the one after it.
    ctx = analyse(story, find_dialogue(story), None)
    assert ctx.following[1] == []
    ctx = analyse(same, find_dialogue(same), None)
    assert ctx.following[1] == [2]


def test_a_call_that_ends_ends_the_turn_taking() -> None:
    texts = [
        "The phone rang and Juniper picked it up. “Hale Farm.”",
        "“It’s me. The cart’s in,” said Robin.",
        "“Thanks, Robin.”",
        "“Don’t mention it!” The saw screeched again, and she hung up.",
        "Abigail was sitting on the wall outside the store when Juniper came down.",
        "“You look like someone’s chasing you,” she said.",
        "“Cart’s in.”",
        "“Oh, nice.”",
        "“You can’t come.”",
    ]
    assert scene_starts(texts)[1] == [0, 0, 0, 0, 4, 4, 4, 4, 4]
    found = {a.paragraph: a.speaker for a in attribute(texts, find_dialogue(texts), None)}
    assert found[6] == found[8] == "Juniper" and found[7] == "Abigail"
    # Told in speech (in any quotes, where the speech found is given), or a coat hung
    # up, a call goes on.
    for text in (
        "“She hung up on me.”",
        "He hung up his coat. “Well?”",
        "Her coat was hung up on the peg.",
        "She was hung up on him for years.",
        "The picture hung up on the wall was crooked.",
        "Harry clicked off the torch.",
        "‘She hung up on me,’ said Ron.",
    ):
        texts = ["a", text, "b"]
        assert scene_starts(texts, None, find_dialogue(texts))[1] == [0, 0, 0], text
    for text in ("The line went dead.", "Tahani hung up on her. She set the phone down."):
        assert scene_starts(["a", text, "b"])[1] == [0, 0, 2], text
