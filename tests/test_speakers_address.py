"""Kin words of address learnt as names ("papa" is Mr. Quill), and the subject of the
narration just before a speech (scenes written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse
from tuific.speakers.decode import features
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


def test_a_subject_right_before_the_speech_is_marked_apart_from_one_further_back() -> None:
    far = "Maren watched Tobias for a moment. " + "The gulls wheeled and cried over the water. " * 4
    story = [
        "Maren and Tobias rowed out past the breakwater.",
        "“The tide is turning,” said Maren.",
        "Tobias shipped the oars. “Then we go back.”",  # a subject right before
        far + "“Not yet.”",  # Maren is the subject, 170 characters back
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    near, subject = INDEX["narr_subject_near"], INDEX["narr_subject"]
    for paragraph, who, close in ((2, "Tobias", True), (3, "Maren", False)):
        t = next(k for k, turn in enumerate(ctx.turns) if turn.paragraph == paragraph)
        by_cand = dict(zip(*features(ctx, t, []), strict=True))
        assert by_cand[names[who]].get(subject) == 1.0
        assert (by_cand[names[who]].get(near) == 1.0) == close
