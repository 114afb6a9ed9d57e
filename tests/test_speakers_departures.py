"""Who has left the room (departures.py), on scenes written for these tests."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute

GARDEN = [
    "Griselda and Inspector Slack found Miss Marple among the sweet peas.",
    "“You know about the letters, then,” said Slack.",
    "“Everybody knows,” said Griselda. “I must fly. Len will want his tea.”",
    "“I expect he shall, my dear,” said Miss Marple.",
    "Griselda went off down the path at a run, and the gate banged behind her. "
    "Slack lowered himself into the wicker chair she had left.",
    "“Three of them. Left on the trestle this morning.”",
    "“And nobody saw who put them there?”",
    "“Forty people in that tent, and not one of them saw a thing.”",
    "“I don't think that's typical at all.”",
]
META = Metadata(
    characters=["Jane Marple", "Griselda Clement", "Inspector Slack"], fandoms=["Miss Marple"]
)


def _gone(story: list[str], meta: Metadata | None = META) -> dict[int, set[str]]:
    ctx = analyse(story, find_dialogue(story), meta)
    names = [c.name for c in ctx.cast.characters]
    return {
        turn.paragraph: {names[who] for who in gone}
        for turn, gone in zip(ctx.turns, ctx.gone, strict=True)
    }


def test_one_who_goes_off_is_no_speaker_until_named_again() -> None:
    gone = _gone(GARDEN)
    assert gone[3] == set() and gone[5] == gone[8] == {"Griselda Clement"}
    found = [a.speaker for a in attribute(GARDEN, meta=META)]
    assert "Griselda Clement" not in found[5:]
    # Named again (she comes back), she may speak; a scene break ends it too.
    back = [*GARDEN, "Griselda came back for her basket.", "“Did I leave my gloves?”"]
    assert _gone(back)[10] == set()
    broken = [*GARDEN, "* * *", "“Tea?”"]
    assert _gone(broken)[10] == set()


def test_a_going_the_narration_follows_or_a_walk_to_somewhere_is_no_departure() -> None:
    # "Fanny left the room; …she met Edmund": the talk goes on where she goes.
    story = [
        "Fanny sat with her aunts. Edmund was out.",
        "“You will live with Mrs. Norris,” said Lady Bertram.",
        "Fanny left the room with a sorrowful heart; as soon as she met Edmund in the "
        "hall she told him her distress.",
        "“My aunt says I am to live with Mrs. Norris.”",
    ]
    assert _gone(story, None)[3] == set()
    for going in ("Griselda went out to the car.", "Griselda left her basket."):
        story = [*GARDEN[:4], going + " Slack sighed.", "“Well?”"]
        assert _gone(story)[5] == set(), going


def test_one_who_left_may_come_back_as_he_or_she() -> None:
    story = [
        "Harry and Hermione sat in the common room.",
        "“We need to talk about Ron,” said Hermione.",
        "“I know,” said Harry.",
        "Harry stormed off. Hermione sighed and opened her book.",
        "An hour later he came back and sat down heavily beside her.",
        "“Sorry,” he said.",
        "“It's fine,” she said.",
        "“No, it isn't.”",
    ]
    meta = Metadata(characters=["Harry Potter", "Hermione Granger"], fandoms=["Harry Potter"])
    assert _gone(story, meta)[5] == set()
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found[-3:] == ["Harry Potter", "Hermione Granger", "Harry Potter"]


def test_going_out_with_on_or_onto_someone_or_somewhere_is_no_departure() -> None:
    meta = Metadata(characters=["Harry Potter", "Ginny Weasley", "Ron Weasley"], fandoms=["HP"])
    for going in (
        "Harry went out with Cho for a month in fifth year. Ron never let him forget it.",
        "Harry went off on Ron about the broom for five minutes. Ron just stared.",
        "Harry slipped out onto the balcony. Ginny was sitting on the rail.",
        "Harry ran off the pitch. Ginny was waiting by the stands.",
        "Harry walked away from the window. Ginny watched him.",
    ):
        story = ["“Hi,” said Harry.", going, "“Well?”", "“Well what?”"]
        assert _gone(story, meta)[2] == set(), going
    story = ["“Fine,” said Harry.", "Harry stormed out of the room. Ginny sighed.", "“Well?”"]
    assert _gone(story, meta)[2] == {"Harry Potter"}

