"""Action beats as speech tags: "“…” Ravi held up the spring." names its speaker in a
story told in the present tense, and in fan fiction in the past tense too; a reaction
or a refusal after speech is the listener's, and a paragraph ending on a beat leads
into the speech after it."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.paragraph import read_turn


def test_an_action_beat_in_the_present_tense_is_a_tag() -> None:
    cast = build_cast(["Ravi and Tamsin were there."], ["Ravi Menon", "Tamsin Achterberg"])
    ravi = cast.by_alias["Ravi Menon"]

    def tag_of(text: str):  # the first stretch's tag, in a story told in the present
        return read_turn(cast, 0, text, find_dialogue([text])[0], beats=True).tags[0]

    found = tag_of("“It’s resting.” Ravi holds a spring up to the lamp. “There’s a difference.”")
    assert found is not None and found.who == ravi and found.explicit
    found = tag_of("“Now we level it.” I turn the clock a fraction.")
    assert found is not None and found.gender == "I"
    # Older prose: the one named after the speech reacts to it, and may not speak.
    assert tag_of("“How glad I am.” Ravi bowed.") is None
    assert tag_of("“How glad I am!” Ravi s self-possession deserted him.") is None
    assert tag_of("“How glad I am!” Tamsin’s hands shook.") is None
    assert tag_of("“How glad I am!” I never saw him again.") is None
    assert tag_of("“How glad I am!” I know his ways.") is None
    assert tag_of("“How glad I am!” Ravi perhaps agreed.") is None


def test_a_present_tense_beat_right_before_the_speech_is_a_tag() -> None:
    cast = build_cast(["Ron and Marcus were there."], ["Ron Weasley", "Marcus"])

    def tag_of(text: str, beats: bool = True):
        return read_turn(cast, 0, text, find_dialogue([text])[0], beats=beats).tags[0]

    found = tag_of("The door bangs open. Ron sticks his head in. “Harry! Mate!”")
    assert found is not None and found.who == cast.by_alias["Ron Weasley"]
    found = tag_of("I hold up one of the clippings. “Guys. Focus.”")
    assert found is not None and found.gender == "I"
    assert tag_of("Ron sticks his head in. “Harry! Mate!”", beats=False) is None  # past tense
    assert tag_of("I don't look at him. “Fine.”") is None  # no action: a reaction
    # A place may open the beat: "Behind him Ron squeezes out of the doorway."
    found = tag_of("Behind him Ron squeezes out of the doorway, tugging his coat. “What?”")
    assert found is not None and found.who == cast.by_alias["Ron Weasley"]
    story = ["Ron and Marcus were there.", "Behind him Ron squeezed out of the door."]
    ctx = analyse(story, find_dialogue(story), Metadata(characters=["Ron Weasley", "Marcus"]))
    assert ctx.subjects[1] == [0]  # Ron, the sentence's subject


def test_in_fan_fiction_a_past_beat_before_the_speech_is_a_tag() -> None:
    story = [
        "Six of them sat in the back room: Enjolras, Joly and Courfeyrac among them.",
        "“He has sent a letter,” said Courfeyrac.",
        "“Perhaps he is ill,” said Joly.",
        "At the head of the table, Enjolras did not look up from the pamphlet. “Is there "
        "anything in it about the meeting?”",
        "Joly was tired. “No.”",
    ]
    names = ["Enjolras", "Joly", "Courfeyrac"]
    fic = Metadata(characters=names, fandoms=["Les Misérables"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=fic)}
    ctx = analyse(story, find_dialogue(story), fic)
    cast = [c.name for c in ctx.cast.characters]
    tags = {t.paragraph: t.tags[0] for t in ctx.turns}
    assert tags[3] is not None and tags[3].who == cast.index("Enjolras")
    assert found[3] == "Enjolras"
    assert tags[4] is None  # a state, not an action
    # ...and one right after the speech.
    after = [*story[:3], "“Then open it.” Enjolras turned a page."]
    ctx = analyse(after, find_dialogue(after), fic)
    tag = ctx.turns[-1].tags[0]
    assert tag is not None and tag.who == cast.index("Enjolras")
    # A novel (no fandom): the listener may act there, so no tag.
    ctx = analyse(story, find_dialogue(story), Metadata(characters=names))
    assert {t.paragraph: t.tags[0] for t in ctx.turns}[3] is None


def test_in_fan_fiction_a_part_of_someone_moving_before_speech_is_their_tag() -> None:
    names = ["Poe Dameron", "Rey", "Finn"]
    fic = Metadata(characters=names, fandoms=["Star Wars"])
    opening = "Poe and Finn sat on the crate. Rey was under the ship."
    for beat, tense in (
        ("Rey's head came up. “I'm here, General.”", "past"),
        ("Rey's eyes narrow. “I'm here, General.”", "present"),
        ("Rey's jaw tightened. “I'm here, General.”", "past"),
    ):
        story = [opening, "“Anyone seen Rey?” Finn says." if tense == "present" else
                 "“Anyone seen Rey?” said Finn.", beat]
        ctx = analyse(story, find_dialogue(story), fic)
        cast = [c.name for c in ctx.cast.characters]
        tag = ctx.turns[-1].tags[0]
        assert tag is not None and tag.who == cast.index("Rey"), beat
    # Not a part that does not move, nor a thing of theirs, nor without a fandom.
    for beat, meta in (
        ("Rey's hands were oily. “I'm here.”", fic),
        ("Rey's question surprised Finn. “I'm here.”", fic),
        ("Rey's old speeder sits by the door. “I'm here.”", fic),
        ("Rey's head came up. “I'm here.”", Metadata(characters=names)),
    ):
        story = [opening, "“Anyone seen Rey?” said Finn.", beat]
        ctx = analyse(story, find_dialogue(story), meta)
        assert ctx.turns[-1].tags[0] is None, beat


def test_in_fan_fiction_a_paragraph_ending_on_a_beat_leads_into_untagged_speech() -> None:
    story = [
        "Ukai and Daichi stood by the door of the shop.",
        "“We should go,” said Daichi.",
        "Ukai stubbed out the cigarette and flipped the sign on the door.",
        "“Right, go home, all of you.”",
    ]
    names = ["Ukai Keishin", "Sawamura Daichi"]
    fic = Metadata(characters=names, fandoms=["Haikyuu!!"])
    ctx = analyse(story, find_dialogue(story), fic)
    lead = ctx.turns[-1].lead
    cast = [c.name for c in ctx.cast.characters]
    assert lead is not None and lead.who == cast.index("Ukai Keishin")
    assert not lead.explicit  # likely the speaker, no tag
    ctx = analyse(story, find_dialogue(story), Metadata(characters=names))
    assert ctx.turns[-1].lead is None


def test_a_long_beat_leads_into_speech_with_a_pronoun_tag() -> None:
    # A paragraph that ends on a long beat ("Gale comes back … that you have learned to
    # fear.") leads into the next speech, tagged by a "he" or not; a tag with a name
    # is the speech's own.
    beat = (
        "Gale comes back from the edge of camp with his arms full of scrolls and the "
        "particular expression, half apology and half delight, that you have learned "
        "to fear, and sits down across the fire from the others."
    )
    story = [
        "Astarion and Gale sit by the fire.",
        "“I found it,” says Astarion.",
        beat,
        "“Ah. Good. Everyone's here.” He sits. “I was going to read.”",
    ]
    names = ["Astarion", "Gale"]
    fic = Metadata(characters=names, fandoms=["Baldur's Gate"])
    ctx = analyse(story, find_dialogue(story), fic)
    cast = [c.name for c in ctx.cast.characters]
    lead = ctx.turns[-1].lead
    assert len(beat) > 200 and lead is not None and lead.who == cast.index("Gale")
    named = [*story[:3], "“Ah. Good,” says Astarion. “Everyone's here.”"]
    assert analyse(named, find_dialogue(named), fic).turns[-1].lead is None
    # ...nor one that the speech's own "she" cannot be: a man's beat (Thomas is a
    # man's name), or the narrator's ("I"), whom the story never calls "she"; one
    # whose gender the text has not said yet may be hers.
    meta = Metadata(characters=["Astarion", "Thomas", "Shadowheart"], fandoms=["BG3"])
    for lead, kept in (
        ("Thomas sits down by the fire and pokes at it.", False),
        ("I sit down by the fire and poke at it.", False),
        ("Shadowheart sits down by the fire and pokes at it.", True),
    ):
        hers = ["Shadowheart, Thomas and I sit by the fire.", "“I found it,” says Astarion."]
        hers += [lead, "“Ah,” she says. “Good.”"]
        found = analyse(hers, find_dialogue(hers), meta).turns[-1].lead
        assert (found is not None) == kept, lead


def test_a_storys_tense_is_read_from_its_tags_not_from_the_past_its_speech_tells() -> None:
    from tuific.speakers.beats import tells_present

    story = [
        "“I was invited to dine,” Gale says. “He said no, and I said yes, and she said "
        "nothing, and he asked why.”",
        "“And then?” Karlach asks.",
        "“He said, ‘Wrong.’”",
    ]
    assert tells_present(story, find_dialogue(story))
    told = ["“Yes,” she said. “He says so.”", "“No,” he said."]
    assert not tells_present(told, find_dialogue(told))


def test_a_start_a_refusal_or_a_beat_by_the_one_called_after_speech_is_no_tag() -> None:
    names = ["Harry Potter", "Hermione Granger", "Ron Weasley"]
    fic = Metadata(characters=names, fandoms=["Harry Potter"])
    opening = ["“I have news,” Hermione said.", "“Go on, then,” said Ron."]
    for beat in (
        "“I'm pregnant.” Ron froze.",
        "“I'm pregnant.” Ron did not answer.",
        "“I'm pregnant.” Ron never answered.",
        "“Ron, I'm pregnant.” Ron turned to the window.",
    ):
        story = [*opening, beat]
        ctx = analyse(story, find_dialogue(story), fic)
        assert ctx.turns[-1].tags == [None], beat
    # Before the speech, a start is the speaker's own.
    story = [*opening, "Ron froze. “What did you say?”"]
    ctx = analyse(story, find_dialogue(story), fic)
    tag = ctx.turns[-1].tags[0]
    assert tag is not None and tag.who == [c.name for c in ctx.cast.characters].index("Ron Weasley")


def test_in_fan_fiction_a_he_or_she_beat_after_speech_is_a_pronoun_tag() -> None:
    # A long untagged exchange of a man and a woman: the "He" beat inside one of his
    # speeches says it is his, and the turn-taking follows from it both ways.
    story = [
        "Sophie climbed the stairs and opened Howl’s door. Howl was lying on the bed.",
        "‘There’s a letter for you.’",
        "‘I know.’",
        "‘How do you know?’",
        "‘I always know.’ He lifted his arm and looked at her from under it. ‘Take it away.’",
        "‘I can’t take it away.’",
        "‘Then tell them I’m dead.’",
    ]
    meta = Metadata(
        characters=["Sophie Hatter", "Howl Pendragon"], fandoms=["Howl's Moving Castle"]
    )
    ctx = analyse(story, find_dialogue(story), meta)
    beat = ctx.turns[3].tags[0]
    assert beat is not None and beat.pronoun and beat.gender == "M"
    found = [a.speaker for a in attribute(story, meta=meta)]
    sophie, howl = meta.characters
    assert found == [sophie, howl, sophie, howl, howl, sophie, howl]
    # Not in a novel (no fandom): there the listener as often acts after speech.
    plain = analyse(story, find_dialogue(story), Metadata(characters=meta.characters))
    assert plain.turns[3].tags[0] is None
    # Nor what the listener feels or perceives.
    cast = build_cast(story, meta.characters)
    for reaction in ("He felt sick.", "He swallowed hard.", "She heard it."):
        turn = read_turn(cast, 0, f"“I’m leaving.” {reaction}", [(0, 14)], fandom=True)
        assert turn.tags[0] is None, reaction
    # A beat right before the speech is the speaker's, in either tense (but not in a
    # novel); what one hears before speaking is another's to say.
    for text, present in (("He sits down. “What?”", True), ("He sat down. “What?”", False)):
        at = text.index("“")
        turn = read_turn(cast, 0, text, [(at, len(text))], beats=present, fandom=True)
        tag = turn.tags[0]
        assert tag is not None and tag.pronoun and tag.gender == "M", text
        turn = read_turn(cast, 0, text, [(at, len(text))], beats=present)
        assert turn.tags[0] is None or not turn.tags[0].pronoun
    text = "She heard a voice behind her. “Hey.”"
    turn = read_turn(cast, 0, text, [(text.index("“"), len(text))], fandom=True)
    assert turn.tags[0] is None or not turn.tags[0].pronoun
    # In a present-tense novel, a newcomer's speech is not the last man's by "He".
    turn = read_turn(cast, 0, "“Tickets, please.” He holds out a hand.", [(0, 18)], beats=True)
    assert turn.tags[0] is None


def test_before_speech_a_beat_that_hands_over_or_touches_is_the_other_s_cue() -> None:
    meta = Metadata(characters=["Harry Potter", "Ginny Weasley"], fandoms=["Harry Potter"])
    story = [
        "“I've got something for you,” Harry said.",
        "“Oh?” said Ginny.",
        "“Close your eyes.”",
        "He pressed a small box into her hands. “What is it?”",
        "“Open it and see.”",
    ]
    cast = build_cast(story, meta.characters)
    for beat in ("He pressed a box into her hands.", "He kissed her.", "He hands her a map."):
        text = f"{beat} “What's this?”"
        present = "hands" in beat
        turn = read_turn(cast, 0, text, [(text.index("“"), len(text))], present, fandom=True)
        assert turn.tags[0] is None or not turn.tags[0].pronoun, beat
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found[3:] == ["Ginny Weasley", "Harry Potter"]
