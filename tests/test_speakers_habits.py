"""Habits of speech a story teaches about its speakers: how each calls the listener,
and the words only one of them says (scenes written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, attribute, load_weights
from tuific.speakers.decode import decode_pass, features, relink
from tuific.speakers.features import INDEX
from tuific.speakers.habits import count_habits, shares, signature_words
from tuific.speakers.turn import Turn


def _turn(ctx, paragraph: int):
    return next(turn for turn in ctx.turns if turn.paragraph == paragraph)


def _index(ctx, paragraph: int) -> int:
    return next(t for t, turn in enumerate(ctx.turns) if turn.paragraph == paragraph)


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
    assert ctx.habits["papa"] == (3, ((jane, 3),)) and ctx.habits["father"] == (3, ((kitty, 3),))
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
    first = load_weights()[0]
    relink(ctx, decode_pass(ctx, first))
    t = next(t for t, turn in enumerate(ctx.turns) if turn.paragraph == 12)
    cands, vecs = features(ctx, t, [(turn.paragraph, None) for turn in ctx.turns[:t]])
    linked = {names[c]: f.get(INDEX["habit_linked"]) for c, f in zip(cands, vecs, strict=True)}
    assert linked["Jane"] == 1.0 and linked["Kitty"] is None
    assert ctx.links[t] == jane and ctx.linked_habits["papa"] == (4, ((jane, 4),))


# Mr. Crane says "reckon" in each of his tagged speeches, and the sisters never do.
PLATFORM = [
    "Mr. Crane, Jane and Kitty waited at the station for the late train.",
    "“I reckon it’s held up at the junction,” said Mr. Crane.",
    "“It is always late on Fridays,” said Jane.",
    "“Then we should have stayed at home,” said Kitty.",
    "“I reckon the signals are down again,” said Mr. Crane.",
    "“The porter would know,” said Jane.",
    "“The waiting room has a fire,” said Kitty.",
    "“But no chairs,” said Jane.",
    "“There is a bench by the door,” said Kitty.",
    "“Which is wet through,” said Jane.",
    "“You are never pleased,” said Kitty.",
    "“I am pleased with tea,” said Jane.",
    "“Then find some,” said Kitty.",
    "Kitty went off along the platform to find the porter.",
    "“He says it left on time,” said Kitty.",
    "“Then I reckon it’ll be here directly,” said Mr. Crane.",
    "Jane looked down the line and shaded her eyes against the lamps.",
    "“I can see nothing yet.”",
    "“Give it ten minutes. I reckon we’ll hear it before we see it.”",  # 18
    "“Ten minutes more and I shall freeze.”",
]


def test_a_word_only_one_speaker_says_points_to_them() -> None:
    ctx = analyse(PLATFORM, find_dialogue(PLATFORM), None)
    names = [c.name for c in ctx.cast.characters]
    crane = names.index("Mr. Crane")
    t = _index(ctx, 18)
    assert "reckon" in ctx.words[t]
    cands, vecs = features(ctx, t, [])
    by = {names[c]: f.get(INDEX["signature"]) for c, f in zip(cands, vecs, strict=True)}
    assert by["Mr. Crane"] == 1.0 and by["Jane"] is None and by["Kitty"] is None
    # The weights make it count: without them Mr. Crane is less likely.
    first = load_weights()[0]
    _choices, dists = decode_pass(ctx, first)
    blind = list(first)
    blind[INDEX["signature"]] = 0.0
    ctx.own.clear()
    _choices, blind_dists = decode_pass(ctx, blind)
    assert dists[t][crane] > blind_dists[t][crane] + 0.05


def test_signature_words_leave_out_the_common_and_the_unique() -> None:
    texts = [f"“Well, the {word} is here, Sir,” she said." for word in "cat cat dog cat".split()]
    texts += ["“Well then.”"] * 16
    turns = [Turn(p, [(0, len(text) if p >= 4 else 31)]) for p, text in enumerate(texts)]
    words = signature_words(texts, turns)
    # "well" is in every turn; "dog" in one; "sir" is lower-cased like the rest.
    assert sorted(words[0]) == ["cat", "here", "is", "sir", "the"]
    assert "dog" not in words[2] and "well" not in words[2]


def test_shares_leave_the_turn_itself_out_and_keep_only_a_words_main_speakers() -> None:
    habits = count_habits([["papa"], ["papa"], ["papa"], ["papa"], ["papa"]], [1, 1, 1, 2, None])
    assert habits == {"papa": (4, ((1, 3), (2, 1)))}
    assert shares(habits, ["papa"], None) == ({1: 0.75, 2: 0.25}, True)
    assert shares(habits, ["papa"], 1) == ({1: 2 / 3, 2: 1 / 3}, True)
    assert shares(habits, ["papa"], 2) == ({1: 1.0}, True)
    # With a least share, the others go; and fewer than three known turns tell nothing.
    assert count_habits([["papa"]] * 4, [1, 1, 1, 2], least=0.3) == {"papa": (4, ((1, 3),))}
    assert count_habits([["papa"]] * 2, [1, 1], least=0.3) == {}
    assert shares(count_habits([["papa"]] * 3, [1, 1, 1]), ["papa"], 1) == ({}, False)


def test_a_single_quote_closing_speech_is_not_part_of_its_last_word() -> None:
    texts = ["‘Come here, papa’", "‘Do go, papa’", "‘Not now, papa’"]
    turns = [Turn(p, [(0, len(text))]) for p, text in enumerate(texts)]
    assert all(words == ["papa"] for words in signature_words(texts, turns))
