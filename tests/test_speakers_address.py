"""Kin words of address learnt as names ("papa" is Mr. Quill), and the subject of the
narration just before a speech (scenes written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, attribute, load_weights
from tuific.speakers.decode import decode_pass, features, relink
from tuific.speakers.features import INDEX

# Hester calls her father "papa" three times next to his tagged answers; then once in
# an untagged speech, which "papa" makes a call to Mr. Quill.
FARM = [
    "Hester and her father, Mr. Quill, sat by the range after supper.",  # 0
    "“Is the cow in, papa?”",  # 1
    "“She is,” said Mr. Quill.",  # 2
    "The kettle sang for a while.",  # 3
    "“Will it rain tomorrow, papa?” asked Hester.",  # 4
    "“It might,” said Mr. Quill.",  # 5
    "The fire settled in the grate.",  # 6
    "“I mended the gate today, papa.”",  # 7
    "“Good girl,” said Mr. Quill.",  # 8
    "He lit his pipe and said nothing more for a long time.",  # 9
    "“Shall I read to you, papa?”",  # 10: untagged, no name
]


def _turn(ctx, paragraph: int):
    return next(turn for turn in ctx.turns if turn.paragraph == paragraph)


def test_a_kin_word_seen_next_to_one_tagged_speaker_calls_him() -> None:
    ctx = analyse(FARM, find_dialogue(FARM), None)
    quill = next(i for i, c in enumerate(ctx.cast.characters) if c.name == "Mr. Quill")
    assert quill in _turn(ctx, 10).vocatives
    # Not in a speech that Mr. Quill's own tag names.
    assert quill not in _turn(ctx, 8).vocatives


def test_a_kin_word_seen_too_rarely_or_a_word_anyone_answers_to_is_not_learnt() -> None:
    # Only two ties for "papa": not enough.
    story = FARM[:6] + FARM[9:]
    ctx = analyse(story, find_dialogue(story), None)
    assert _turn(ctx, len(story) - 1).vocatives == []
    # "sir" is anyone's, however often it sits next to the same man.
    sirs = [p.replace("papa", "sir") for p in FARM]
    ctx = analyse(sirs, find_dialogue(sirs), None)
    assert _turn(ctx, 10).vocatives == []


def test_the_last_subject_before_the_speech_is_marked() -> None:
    story = [
        "Maren and Tobias rowed out past the breakwater.",
        "“The tide is turning,” said Maren.",
        "Tobias shipped the oars and looked at Maren. “Then we go back.”",
        "Maren watched Tobias for a moment. “Not yet.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    for paragraph, subject, other in ((2, "Tobias", "Maren"), (3, "Maren", "Tobias")):
        t = next(k for k, turn in enumerate(ctx.turns) if turn.paragraph == paragraph)
        cands, vecs = features(ctx, t, [])
        by_cand = dict(zip(cands, vecs, strict=True))
        assert by_cand[names[subject]].get(INDEX["narr_subject"]) == 1.0
        assert INDEX["narr_subject"] not in by_cand[names[other]]


# Two sisters who call their father differently: Jane says "papa", Kitty "father".
# Paragraph 12 is untagged, after narration that names Kitty (who sits down): only
# Jane's way of calling him gives it to her.
PARLOUR = [
    "Jane and Kitty sat with their father, Mr. Bell, in the parlour after dinner.",
    "“The fire is low, papa,” said Jane.",
    "“Then ring for more coals, father,” said Kitty.",
    "“Nobody rings after nine,” said Mr. Bell.",
    "“But you are cold, papa,” said Jane.",
    "“I am never cold,” said Mr. Bell.",
    "Kitty went to the window and looked out at the lane.",
    "“There is a carriage in the lane, father,” said Kitty.",
    "“At this hour? Whose is it?” said Mr. Bell.",
    "“I cannot see the crest, father,” Kitty said.",
    "“Let me look, papa,” said Jane, and went to the window.",
    "Kitty came back to the fire and sat down by her father.",
    "“It is only the doctor’s gig, my dear papa. He is going home.”",  # 12
    "“Then nobody is ill, my dear,” said Mr. Bell.",
]


def test_forms_of_address_are_kept_as_written() -> None:
    ctx = analyse(PARLOUR, find_dialogue(PARLOUR), None)
    assert _turn(ctx, 12).forms == ["papa", "my dear papa"]
    assert _turn(ctx, 13).forms == ["my dear"]
    story = ["“Come here, Lizzy,” said Jane. “Oh, my love! Look, Jane.”"]
    ctx = analyse(story * 2, find_dialogue(story * 2), None)
    assert sorted(_turn(ctx, 0).forms) == ["Jane", "Lizzy", "my love"]


def test_who_calls_the_listener_the_same_way_speaks() -> None:
    ctx = analyse(PARLOUR, find_dialogue(PARLOUR), None)
    names = [c.name for c in ctx.cast.characters]
    jane, kitty = names.index("Jane"), names.index("Kitty")
    assert ctx.habits["papa"] == {jane: 3} and ctx.habits["father"] == {kitty: 3}
    _cands, vecs = features(
        ctx, next(t for t, turn in enumerate(ctx.turns) if turn.paragraph == 12), []
    )
    by = dict(zip(_cands, vecs, strict=True))
    assert by[jane][INDEX["habit"]] == 1.0 and by[kitty][INDEX["habit_never"]] == 1.0
    # A tagged turn's own form is left out: Jane's other two "papa"s are too few to tell.
    own = dict(zip(*features(ctx, 0, []), strict=True))[jane]
    assert INDEX["habit"] not in own and INDEX["habit_never"] not in own
    found = {a.paragraph: a.speaker for a in attribute(PARLOUR)}
    assert found[12] == "Jane"
    # The second pass also counts the turns the first is sure of.
    first, _second = load_weights()
    relink(ctx, decode_pass(ctx, first))
    t = next(t for t, turn in enumerate(ctx.turns) if turn.paragraph == 12)
    cands, vecs = features(ctx, t, [(turn.paragraph, None) for turn in ctx.turns[:t]])
    linked = {names[c]: f.get(INDEX["habit_linked"]) for c, f in zip(cands, vecs, strict=True)}
    assert linked["Jane"] == 1.0 and linked["Kitty"] is None
