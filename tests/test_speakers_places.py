"""Places the cast learns as names ("Thornbury") are never speakers; people are never
taken for places."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, attribute, load_weights
from tuific.speakers.decode import decode_pass, relink

VALLEY = [
    "Thornbury stood grey in the rain. Maud walked to Thornbury after breakfast, "
    "and Walter rode over from Thornbury at noon.",
    "At Thornbury nobody had lit the fires, so they met in the barn instead.",
    "Walter put the kettle on.",
    "“You came from Thornbury in this?”",
    "“I always come from Thornbury in this,” said Maud.",
    "Thornbury glowered down the valley.",
    "“Then stay till it clears.”",
    "“I will,” Maud said, and Walter laughed.",
    "In Thornbury the bells began. The rain went on.",
    "“Listen to them.”",
]


def _names(ctx, people) -> set[str]:
    return {ctx.cast.characters[i].name for i in people}


def _cast_and_places(story: list[str]) -> tuple[set[str], set[str]]:
    """The names of a story's cast, and of those taken for places."""
    ctx = analyse(story, find_dialogue(story), None)
    return _names(ctx, range(len(ctx.cast.characters))), _names(ctx, ctx.never_speak)


def _candidates(ctx) -> set[int]:
    weights = load_weights()
    relink(ctx, decode_pass(ctx, weights[0]))
    trace: list = []
    decode_pass(ctx, weights[1], trace)
    return {c for _t, cands, _vecs in trace for c in cands}


def test_a_name_mostly_after_at_in_to_from_is_a_place_and_never_a_candidate() -> None:
    ctx = analyse(VALLEY, find_dialogue(VALLEY), None)
    assert _names(ctx, ctx.never_speak) == {"Thornbury"}
    assert not ctx.never_speak & _candidates(ctx)
    assert all(a.speaker != "Thornbury" for a in attribute(VALLEY))
    # Without it, the place would be a candidate: the rule is what keeps it out.
    ctx = analyse(VALLEY, find_dialogue(VALLEY), None)
    place = next(iter(ctx.never_speak))
    ctx.set_never_speak(frozenset())
    assert place in _candidates(ctx)


def test_a_persons_house_is_not_a_place() -> None:
    story = [
        "Walter was out. Maud went to Walter's at noon, and again at Walter's in the "
        "evening she waited; from Walter's she could see the road.",
        "She walked to Walter's twice more, and in Walter's kitchen she lit the fire.",
        "“Where have you been?”",
        "“Waiting,” said Maud.",
    ]
    cast, places = _cast_and_places(story)
    assert "Walter" in cast
    assert not places


def test_a_name_that_a_tag_gives_speech_is_never_a_place() -> None:
    story = [
        "Maud wrote to Hope. She wrote to Hope again, and at Hope the letters stopped; "
        "she sent them to Hope by the carrier, and from Hope came nothing.",
        "Then a knock at the door.",
        "“It is only me,” said Hope.",
        "“At last,” said Maud.",
    ]
    cast, places = _cast_and_places(story)
    assert "Hope" in cast
    assert not places
    assert [a.speaker for a in attribute(story)] == ["Hope", "Maud"]


def test_a_short_storys_village_named_once_or_twice_is_a_place() -> None:
    # Named once, "in Pellow": a place. Named once "at" or "to": a person may be
    # looked at or spoken to, so no verdict on one mention of those.
    story = [
        "Everybody in Pellow knew the well. Nan walked there with Ruth.",
        "“Is it deep?” asked Ruth.",
        "“Deeper than you,” said Nan. Ruth looked at Oswin, who said nothing.",
        "“Oh,” said Ruth.",
    ]
    cast, places = _cast_and_places(story)
    assert "Pellow" in places and "Oswin" not in places
    # Twice, both as a place; or twice with one as a person's: no place.
    twice = [*story, "Nobody from Pellow ever fell in."]
    assert "Pellow" in _cast_and_places(twice)[1]
    person = [*story, "Pellow laughed at them."]
    assert "Pellow" not in _cast_and_places(person)[1]
    # Twice after "at" and "to", never "in": a person looked at and turned to.
    jem = [
        "Everybody in Pellow knew the well. Nan walked there with Ruth.",
        "“Is it deep, Jem?” asked Ruth.",
        "“Deeper than you,” said Nan. Ruth looked at Jem.",
        "“Oh, Jem,” said Ruth, and turned to Jem.",
    ]
    cast, places = _cast_and_places(jem)
    assert "Jem" in cast and "Jem" not in places
