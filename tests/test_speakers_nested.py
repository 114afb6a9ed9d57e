"""Quotations inside speech (speakers/nested.py): their names are not the speech's own."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse
from tuific.speakers.nested import inside, nested_quotes

INTRO = "Harry and Ron and Hermione sat by the fire in the common room while the snow fell."


def quoted(speech: str) -> list[str]:
    return [speech[a:b] for a, b in nested_quotes(speech, 0, len(speech))]


def called(speech: str) -> list[str]:
    story = [INTRO, speech]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    return [names[c] for c in ctx.turns[0].vocatives]


def test_each_kind_of_inner_quotation_is_found() -> None:
    assert quoted("«that you had said to him, ‹If Enjolras asked me› once»") == [
        "‹If Enjolras asked me"
    ]
    assert quoted("“He said ‘Don’t, Harry’ and left.”") == ["‘Don’t, Harry’"]
    assert quoted("\"He said 'Don't, Harry' and left.\"") == ["'Don't, Harry'"]
    assert quoted("‘He wrote “Come home, Harry” on it.’") == ["“Come home, Harry"]


def test_names_inside_a_quotation_within_speech_are_not_its_own() -> None:
    story = [
        "Enjolras and Grantaire sat up late over the map while the lamp burnt down.",
        "«Courfeyrac told me you said to him, ‹If Enjolras asked me to die, I would.› "
        "Was it a joke, Grantaire?»",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    turn, names = ctx.turns[0], [c.name for c in ctx.cast.characters]
    assert [names[c] for c in turn.vocatives] == ["Grantaire"]
    assert "Enjolras" not in [names[c] for c in turn.in_speech]
    assert called("“He wrote ‘Come home, Ron’ on it, Hermione.”") == ["Hermione"]


def test_an_elision_is_no_quotation() -> None:
    # An apostrophe at a word's start with no closing mark near hides nothing.
    for speech in (
        "\"'Cause I said so, Harry,\" said Ron.",
        "“‘Cause I said so, Harry,” said Ron.",
        "\"Get 'em, Harry!\" Ron yelled.",
        "\"Hey, '80s music is great, Harry,\" said Ron.",
    ):
        assert called(speech) == ["Harry"], speech
    assert called("\"Ron's gone 'round the back, Hermione,\" said Harry.") == ["Hermione"]
    # ...nor one whose nearest closing mark is far off, the end of another's.
    assert quoted("\"'Cause " + "so " * 200 + "she said 'no' then.\"") == ["'no'"]


def test_overlapping_quotations_are_joined_and_looked_up() -> None:
    speech = "“She said ‹he said ‘go’ and› then, Ron.”"
    found = nested_quotes(speech, 0, len(speech))
    assert len(found) == 1  # the ‘go’ inside ‹…› joined into it
    starts = [a for a, _b in found]
    assert inside(found, starts, speech.index("go"))
    assert not inside(found, starts, speech.index("Ron"))
    assert not inside(found, starts, 0)
