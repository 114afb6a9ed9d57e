"""Who speaks each stretch of speech within one paragraph (speakers/within.py), on
scenes written for these tests."""

from __future__ import annotations

from speakerhelpers import first_tag

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import SHOW_AT, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.turn import Tag, Turn
from tuific.speakers.within import span_speakers


def stretches(story: list[str], paragraph: int) -> list[tuple[str, str | None, bool]]:
    return [(a.text, a.speaker, a.shown) for a in attribute(story) if a.paragraph == paragraph]


def test_a_he_after_a_man_made_the_subject_is_his_not_the_tagged_speaker_s() -> None:
    story = [
        "Oswin and Bertrand waited on the platform while the train drew in.",
        "“Run!” cried Oswin. Bertrand leapt for the footboard and caught the rail. "
        "“We are monkeys, don’t worry,” he called.",
    ]
    assert [(text, who) for text, who, _shown in stretches(story, 1)] == [
        ("“Run!”", "Oswin"),
        ("“We are monkeys, don’t worry,”", "Bertrand"),
    ]


def test_a_he_with_no_other_man_named_stays_with_the_tagged_speaker() -> None:
    story = [
        "Oswin and Bertrand waited on the platform while the train drew in.",
        "“Run!” cried Oswin. The whistle blew twice. “Faster,” he called.",
    ]
    assert [who for _text, who, _shown in stretches(story, 1)] == ["Oswin", "Oswin"]


def test_a_she_that_contradicts_the_tagged_man_is_not_shown_as_his() -> None:
    # "“Late again,” said Oswin. The rain came on harder. “Not my fault,” she said."
    # with the paragraph given to Oswin (0, a man) at 0.95; Hester (1) is no subject.
    oswin_tag = Tag(0, explicit=True, pos=13)
    she = Tag(None, "F", pronoun=True, pos=66)
    turn = Turn(3, [(0, 13), (51, 66)], [oswin_tag, she], subjects=[(18, 0)])
    (first, sure), (second, unsure) = span_speakers(turn, 0, 0.95, ["M", "F"])
    assert first == second == 0
    assert sure >= SHOW_AT > unsure
    # ...but a woman made the subject before "she" is the one who says it.
    turn.subjects.append((30, 1))
    assert span_speakers(turn, 0, 0.95, ["M", "F"])[1][0] == 1


def test_a_he_after_a_subject_keeps_the_speaker_when_nothing_says_there_are_two() -> None:
    # No explicit tag in the paragraph and no contradiction: the decoder's speaker
    # stands ("Bertrand looked up. “…,” he said." is most often Bertrand's, but the
    # turn-taking may know better).
    he = Tag(None, "M", pronoun=True, pos=40)
    turn = Turn(3, [(25, 40)], [he], subjects=[(0, 1)])
    assert span_speakers(turn, 0, 0.95, ["M", "M"]) == [(0, 0.95)]


def test_only_a_subject_since_the_speech_before_takes_a_he() -> None:
    # “…,” said Oswin (0). “…,” he said. — Bertrand (1) was a subject before the
    # first speech only: the second stretch stays Oswin's.
    oswin = Tag(0, explicit=True, pos=30)
    he = Tag(None, "M", pronoun=True, pos=60)
    turn = Turn(3, [(20, 30), (45, 60)], [oswin, he], subjects=[(0, 1)])
    assert [who for who, _sure in span_speakers(turn, 0, 0.95, ["M", "M"])] == [0, 0]
    turn.subjects.append((35, 1))  # ...and once after it: his
    assert [who for who, _sure in span_speakers(turn, 0, 0.95, ["M", "M"])] == [0, 1]


def test_words_a_thing_reads_are_not_shown_as_anyone_s() -> None:
    # A sign or an engraving in quotes is written, not said: no one is coloured for it,
    # while the speech that follows keeps its speaker.
    for written in (
        "The waffle iron had been a gift from Dick, and it had a little brass plate on the "
        "handle that read “PROPERTY OF THE WORLD'S GREATEST BROTHER.”",
        "Dick looked at the door. The sign on the motel office door says “BACK IN 5 MIN,” "
        "and it has for an hour.",
        # an aside between the thing and its verb; lettering, with no verb at all
        "The diner's sign, painted by someone with more hope than skill, read “EAT.”",
        "Under the menu, in smaller letters that Dick had added with a marker, “NO REFUNDS.”",
        # an aside after the verb; the thing a sentence before its "It read"
        "A board propped against the wheel read, in large chalk capitals: “NO HAGGLING.”",
        "A card was taped in the window with a piece of tape. It read: “CLOSED UNTIL 9.”",
        # a thing a sentence or more before "and it said"; words lettered by hand;
        # words as words; "which says" after an aside; "said only"
        "Dick had hung a banner. It was made of paper letters on a ribbon, and it said “HI.”",
        "Over the door somebody had hung a board lettered in white paint: “KEEP OUT.”",
        "The pamphlets had Dick's face on them under the words “GET THE SHOT.”",
        "Dick liked the sound of “almondine,” and ordered it.",
        "He stood under the card that hangs in the window, which says “BACK IN 10.”",
        "It had a footnote in red pen that said only “Don't die.”",
        # a letter or a text read out: its writer's words, not the reader's
        "Dick unfolded the letter. “Dearest everyone,” he read. “We are well.”",
        "Dick took out his phone and read it aloud: “Home by six.”",
    ):
        story = [
            "Dick and Jason came down to breakfast.",
            "“Morning,” said Dick.",
            written,
            "“Mine,” said Jason.",
        ]
        found = {a.paragraph: (a.speaker, a.shown) for a in attribute(story)}
        assert not found[2][1], written
        assert found[3] == ("Jason", True)
    # ...but a letter picked up and then spoken over is speech, and so is what someone
    # says while another looks at a screen.
    story = ["Dick came in.", "Dick picked up the letter and said, “It's from Jason.”"]
    assert [(a.speaker, a.shown) for a in attribute(story)] == [("Dick", True)]
    story = ["Dick came in.", "Dick wrote it in big letters, and then said, “It's from Jason.”"]
    assert [(a.speaker, a.shown) for a in attribute(story)] == [("Dick", True)]
    # Letters handed over, or words after letters with a tag of their own, are speech.
    for said in (
        "He handed her the letters, “These came for you,” said Jason.",
        "Jason signed it in his neat handwriting and added, “There.”",
        "Sorting the letters into piles, Jason laughed, “So many!”",
    ):
        story = ["Dick and Jason sat at the table.", said]
        assert [(a.speaker, a.shown) for a in attribute(story)] == [("Jason", True)], said
    # The aside before a sign's verb makes its words a thing's: an unknown tag; words
    # someone is heard to say are speech, and so is a speech its speaker then reads
    # something over after.
    cast = build_cast(["Dick came in."], ["Dick Grayson"])
    for text, written in (
        ("The diner's sign, painted by someone with more hope than skill, read “EAT.”", True),
        ("A board propped against the wheel read, in large chalk capitals: “NO HAGGLING.”", True),
        ("A card was taped in the window by Dick. It read: “CLOSED UNTIL 9.”", True),
        ("Dick heard the words: “A lady to see you.”", False),
        ("Dick caught the sound of “Help!”", False),
        ("“It's from Jason.” He read it again.", False),
        ("Dick whispers the words, “I do.”", False),
        ("Dick looked up at the sound of “Jason!” from the kitchen.", False),
        ("Dick printed out the map and turned to them: “Right.”", False),
        ("Dick carved the turkey and announced: “Dinner!” said Dick.", False),
    ):
        tag = first_tag(cast, text)
        assert (tag is not None and tag.unknown) == written, text
    story = [
        "Harry and Hermione sat at the desk.",
        "“Nothing yet,” said Harry.",
        "Harry stared at the screen until Hermione said, “Well?”",
    ]
    assert [(a.speaker, a.shown) for a in attribute(story) if a.paragraph == 2] == [
        ("Hermione", True)
    ]


def test_a_voice_a_device_sounds_with_is_not_shown_as_the_last_named() -> None:
    # "The radio crackles again. “Peralta.”": someone elsewhere speaks, not the one in
    # the car whom the text named last; the one who picks up the phone still does.
    story = [
        "Jake and Rosa sat in the car. Rosa had her feet on the dashboard.",
        "“Nothing's happening,” said Rosa.",
        "“Nothing ever happens,” said Jake.",
        "Rosa yawned. The radio crackles again. “Peralta. I'm told there was movement.”",
    ]
    found = {a.paragraph: (a.speaker, a.shown) for a in attribute(story)}
    assert not found[3][1]
    from tuific.speakers import analyse

    for answered in (
        "The phone rang and Jake picked it up. “Peralta.”",
        "His phone rings. “Peralta.”",  # (a phone that rings is answered in the room)
        "The radio crackles. “Peralta,” said Jake.",  # (its own tag names the speaker)
    ):
        story[3] = answered
        tag = analyse(story, find_dialogue(story), None).turns[-1].tags[0]
        assert tag is None or not tag.unknown, answered
    story[3] = "“Ugh.” The radio crackles. “Peralta. Movement at the residence.”"
    tags = analyse(story, find_dialogue(story), None).turns[-1].tags
    assert tags[1] is not None and tags[1].unknown  # (after speech in its paragraph too)


def test_came_a_second_voice_is_a_voice_the_text_does_not_name() -> None:
    # "…," came a second voice: someone not yet named, as "said a second voice" is:
    # never coloured as the one named last.
    story = [
        "Xie Lian wiped the table by the window.",
        "“Passing,” came a second voice, dry as old paper, “on the one road here?”",
        "“I was,” said Xie Lian.",
    ]
    found = [(a.speaker, a.shown) for a in attribute(story, meta=Metadata(characters=["Xie Lian"]))]
    assert not found[0][1]
    assert not found[1][1]
    assert found[2] == ("Xie Lian", True)
    # "came the voice of Professor McGonagall" is hers, never a role called "The Voice".
    story = [
        "Ron and Harry sat down. Ron yawned.",
        "“Sit,” came the voice of Professor McGonagall.",
    ]
    meta = Metadata(characters=["Ron Weasley", "Harry Potter", "Minerva McGonagall"])
    assert all(a.speaker != "The Voice" for a in attribute(story, meta=meta))
