"""Speech tags that used to be missed: a dash before a name, "the Major", a prepositional
phrase after the verb, a capital word before the subject, "was his answer" (scenes
written for these tests)."""

from __future__ import annotations

from speakerhelpers import first_tag

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.paragraph import read_turn
from tuific.speakers.tags import tag_before
from tuific.speakers.turn import Tag

# Two women and two men on a terrace; the tags are the kinds once missed.
TERRACE = [
    "Honoria Vale and Major Ashdown sat on the terrace; Clemency and Bartholomew came "
    "out rather later.",
    "“The wind is rising,” said Honoria.",  # 1
    "“It always rises at four,” said Major Ashdown.",  # 2
    "“Then we should go in,” replied the Major.",  # 3 the Major
    "Clemency looked at the sky.--Honoria took the chance of whispering,",  # 4 lead-in
    "“He is afraid of the rain.”",  # 5 Honoria, after the dash
    "Rather surprised, she answered: “I am not.”",  # 6 a capital word, then "she"
    "“Nor I,” was his answer.",  # 7 his: a man
    "Bartholomew called after her, “Wait for me!”",  # 8 called after her
]


def tags_of(paragraphs: list[str]) -> dict[int, tuple[Tag | None, ...]]:
    ctx = analyse(paragraphs, find_dialogue(paragraphs), None)
    return {turn.paragraph: (*turn.tags, turn.lead) for turn in ctx.turns}


def test_the_and_a_titles_word_is_the_titled_character() -> None:
    ctx = analyse(TERRACE, find_dialogue(TERRACE), None)
    names = [c.name for c in ctx.cast.characters]
    turn = next(t for t in ctx.turns if t.paragraph == 3)
    tag = turn.tags[0]
    assert tag is not None and tag.explicit and tag.who is not None
    assert names[tag.who] == "Major Ashdown"


def test_a_name_right_after_a_double_hyphen_dash_is_found() -> None:
    ctx = analyse(TERRACE, find_dialogue(TERRACE), None)
    names = [c.name for c in ctx.cast.characters]
    turn = next(t for t in ctx.turns if t.paragraph == 5)
    assert turn.lead is not None and turn.lead.who is not None
    assert names[turn.lead.who] == "Honoria Vale"
    # A hyphenated name stays one word: "Ashdown-Smythe" is not Ashdown.
    cast = build_cast(["Ashdown came in.", "Ashdown sat down."], [])
    assert cast.regex.search("Mrs. Ashdown-Smythe waved.") is None
    assert cast.regex.search("waved.--Ashdown nodded") is not None
    assert cast.regex.search("Ashdown--who else?") is not None


def test_a_tag_after_a_capital_word_that_is_no_name() -> None:
    tag = tags_of(TERRACE)[6][0]
    assert tag is not None and tag.pronoun and tag.gender == "F"


def test_was_his_answer_is_a_pronoun_tag() -> None:
    tag = tags_of(TERRACE)[7][0]
    assert tag is not None and tag.pronoun and tag.gender == "M"
    cast = build_cast(["Ada came."], [])
    story = "“Never,” came her quick reply."
    tag = first_tag(cast, story)
    assert tag is not None and tag.gender == "F"


def test_a_verb_with_a_phrase_after_it_is_still_a_tag() -> None:
    tag = tags_of(TERRACE)[8][0]
    assert tag is not None and tag.explicit
    said = "She saw his face, and she said with a change of voice, “Go home.”"
    cast = build_cast(["Ada came."], [])
    tag = first_tag(cast, said)
    assert tag is not None and tag.gender == "F"


def test_the_terrace_speakers() -> None:
    found = {a.paragraph: a.speaker for a in attribute(TERRACE)}
    assert found[1] == "Honoria Vale"
    assert found[3] == "Major Ashdown"
    assert found[5] == "Honoria Vale"
    assert found[8] == "Bartholomew"


def test_the_subject_after_a_capital_word_that_is_no_name() -> None:
    story = [
        "Dr Messinger and Tony waited by the river all day.",
        "The canoes lay empty. At sundown Dr Messinger said, “We had better make a fire.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    tag = ctx.turns[0].tags[0]
    assert tag is not None and tag.explicit and tag.who is not None
    assert names[tag.who] == "Dr Messinger"


def test_a_speech_paragraph_whose_narration_leads_into_the_next() -> None:
    story = [
        "Clemency and Bartholomew walked down to the gate.",
        "“It is shut,” said Clemency. She rattled it, and Bartholomew at once called out,",
        "“Is anybody there?”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    lead = ctx.turns[1].lead
    assert lead is not None and lead.who is not None
    assert names[lead.who] == "Bartholomew"
    assert {a.paragraph: a.speaker for a in attribute(story)}[2] == "Bartholomew"


def test_a_lead_in_ending_on_a_name_spoken_to_is_not_that_name_s() -> None:
    story = [
        "Clemency played on. Bartholomew took some music from a chair by the window, "
        "and turning to Clemency, said,",
        "“Here is something new. Do you know it?”",
        "“I do,” she said.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    lead = ctx.turns[0].lead
    # Clemency is turned to: she is the one spoken to, not the one speaking.
    assert lead is not None and lead.who is None
    assert [names[c] for c in ctx.turns[0].vocatives] == ["Clemency"]
    speakers = {a.paragraph: a.speaker for a in attribute(story)}
    assert speakers[1] == "Bartholomew" and speakers[2] == "Clemency"
    # ...but where the sentence says nothing of speaking, whoever is turned to speaks.
    turned = [
        "Clemency and Bartholomew sat down. Every head in the room turned to Clemency:",
        "“Well. I suppose you want to know.”",
    ]
    ctx = analyse(turned, find_dialogue(turned), None)
    lead = ctx.turns[0].lead
    assert lead is not None and lead.who == ctx.cast.lookup("Clemency")
    # "with these words to Mr. Woodhouse:" speaks, past the title's full stop.
    words = ["Clemency came in, concluding with these words to Mr. Ashdown:", "“Snow.”"]
    ctx = analyse(words, find_dialogue(words), None)
    lead = ctx.turns[0].lead
    assert lead is not None and lead.who is None and lead.to == ctx.cast.lookup("Mr. Ashdown")


def test_said_to_someone_names_the_listener() -> None:
    story = [
        "Honoria and Clemency sat by the fire. Bartholomew read, and Bartholomew did not look up.",
        "“You are quiet tonight,” said Honoria to Clemency.",
        "Honoria said quietly to Bartholomew, “And you are quieter.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    first, second = ctx.turns
    assert first.tags[0] is not None and first.tags[0].to is not None
    assert [names[c] for c in first.vocatives] == ["Clemency"]
    assert [names[c] for c in second.vocatives] == ["Bartholomew"]
    # The one spoken to answers next, untagged.
    answered = [*story[:2], "“I am thinking.”"]
    assert {a.paragraph: a.speaker for a in attribute(answered)}[2] == "Clemency"


def test_words_of_address_beyond_sir_and_madam() -> None:
    cast = build_cast(["Ada came."], [])
    for speech, gender in (
        ("“Come here, my boy.”", "M"),
        ("“Yes, monsieur.”", "M"),
        ("“Oh, mumsy, you are wonderful.”", "F"),
        ("“As you wish, my lady.”", "F"),
    ):
        turn = read_turn(cast, 0, speech, list(find_dialogue([speech])[0]))
        assert turn.listener == gender, speech


def test_a_first_name_two_header_characters_share_is_the_one_not_called_otherwise() -> None:
    from tuific.model import Metadata

    story = [
        "Beaver arrived at noon. Beaver always arrived at noon, and Beaver always "
        "stayed to lunch. John was in the stables with the horses.",
        "“Good morning,” said Beaver.",
        "“Good morning,” said John. “Have you come to see the horses?”",
        "John ran off. Beaver watched him go; Beaver did not care for horses.",
    ]
    meta = Metadata(characters=["John Beaver", "John Andrew"])
    ctx = analyse(story, find_dialogue(story), meta)
    names = [c.name for c in ctx.cast.characters]
    assert names[ctx.cast.by_alias["John"]] == "John Andrew"
    assert names[ctx.cast.by_alias["Beaver"]] == "John Beaver"
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[2] == "John Andrew"


def test_two_pet_forms_of_one_name_are_two_people() -> None:
    from tuific.model import Metadata

    story = [
        "Polly Cockpurse gave the party. Molly came late, and Molly left early.",
        "“You came,” said Polly.",
        "“Only for an hour,” said Molly.",
    ]
    meta = Metadata(characters=["Polly Cockpurse", "Elizabeth Bennet"])
    ctx = analyse(story, find_dialogue(story), meta)
    names = [c.name for c in ctx.cast.characters]
    assert names[ctx.cast.by_alias["Molly"]] != "Polly Cockpurse"
    # A pet form still finds its formal name: Lizzy is Elizabeth.
    assert names[ctx.cast.by_alias["Lizzy"]] == "Elizabeth Bennet"
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[1] == "Polly Cockpurse" and found[2] != "Polly Cockpurse"


def test_a_verb_in_ing_before_speech_is_a_tag() -> None:
    cast = build_cast(["Ada came."], [])
    story = "Clemency meant to apologise, but he stopped her by saying, “Nonsense.”"
    tag = first_tag(cast, story)
    assert tag is not None and tag.pronoun and tag.gender == "M"


def test_a_verb_after_and_far_from_its_subject_is_the_subjects_tag() -> None:
    # More than a few words between the subject and "and said": the sentence's subject
    # speaks, not a noun in the words between ("the orchid").
    cast = build_cast(["Gina came.", "Terry came."], ["Gina Linetti", "Terry Jeffords"])
    story = (
        "Gina came in last. She walked past all of them to the windowsill, tipped a little "
        "water from a bottle into the orchid's pot, and said without turning around, "
        "“For the record, I knew.”"
    )
    tag = first_tag(cast, story)
    assert tag is not None and tag.pronoun and tag.gender == "F"
    story = (
        "Terry looked at the timeline with amazement, then shrugged his shoulders, "
        "picked up the marker, and said, “Fine.”"
    )
    tag = first_tag(cast, story)
    assert tag is not None and tag.who == cast.lookup("Terry")


def test_a_speech_verb_with_its_particle_is_a_tag_in_either_tense() -> None:
    cast = build_cast(["Tam came."], ["Tam"])
    for story, gender in (
        ("Just before the door closes, she calls out, “Come back.”", "F"),
        ("He shouted back, “Wait!”", "M"),
        ("She spoke up, “Wait!”", "F"),
        ("“Wait,” he points out.", "M"),
    ):
        tag = first_tag(cast, story)
        assert tag is not None and tag.gender == gender, story
    tag = first_tag(cast, "“Wait!” Tam piped up.")
    assert tag is not None and tag.who == cast.lookup("Tam")


def test_the_titles_character_follows_the_cast_as_names_are_added() -> None:
    cast = build_cast([], ["Major Ashdown"])
    major = cast.titled("Major")
    assert major is not None and cast.characters[major].name == "Major Ashdown"
    assert cast.titled("Colonel") is None
    # Two majors now: "the Major" is neither (titled() reads the cast again).
    cast.add("Major Brent")
    assert cast.titled("Major") is None


def test_the_subject_nearest_the_verb_gives_the_tags_gender() -> None:
    """A description with no gender before the subject ("a long sigh, he added,") gives
    way to it; a description that opens the narration is read as one ("The old man
    said,", "Her father replied,"), not as a capital word that names nobody."""
    cast = build_cast(["Honoria Vale came in. Honoria sat."] * 2, ["Honoria Vale"])
    cases = {
        "Honoria only nodded.--After a pause, and a long sigh, he added,": "M",
        "His face fell; and his voice was the voice of regret as she answered.": "F",
        "The old man said,": "M",
        "Her father fondly replied,": "M",
        "The young woman whispered,": "F",
    }
    for narration, gender in cases.items():
        turn = read_turn(
            cast, 0, f"{narration} “Not yet.”", [(len(narration) + 1, len(narration) + 12)]
        )
        tag = turn.tags[0]
        assert tag is not None and tag.pronoun and tag.gender == gender, narration


def test_after_a_full_stop_a_name_and_a_verb_in_ed_is_no_tag() -> None:
    cast = build_cast(["Catherine came in. Catherine sat."] * 2, ["Catherine Morland"])
    beat = "“We may be rational again.” Catherine turned away her head."
    assert read_turn(cast, 0, beat, [(0, beat.index("”") + 1)]).tags == [None]
    for text in (
        "“We may be rational again,” Catherine chattered.",  # a comma: any -ed verb
        "“We may be rational again.” Catherine said it slowly.",  # a speech verb
    ):
        tag = read_turn(cast, 0, text, [(0, text.index("”") + 1)]).tags[0]
        assert tag is not None and tag.explicit, text


def test_a_pronoun_after_and_opens_its_own_clause_before_speech() -> None:
    # "Ada did not hear him and he asked again, adding," is his speech, not Ada's:
    # the clause that "and he" opens holds the subject of the verb.
    cast = build_cast(["Ada came in.", "Ada sat down."], [])
    story = "Ada did not hear him and he asked again, adding, “The boat is late.”"
    tag = first_tag(cast, story)
    assert tag is not None and tag.pronoun and tag.gender == "M"


def test_an_adverb_with_very_before_it_still_ends_a_tag() -> None:
    cast = build_cast(["Bram came in.", "Bram sat down."], [])
    story = "The silence was broken by Bram saying very abruptly, “Is he rich?”"
    tag = first_tag(cast, story)
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Bram")


def test_the_name_the_last_words_before_speech_make_the_speaker() -> None:
    cast = build_cast(
        [f"{name} came in. {name} sat down." for name in ("Jock", "Tony", "Ben", "Edmund")]
        + ["Sir Thomas came in.", "Sir Thomas went out."],
        [],
    )
    cases = {
        "He showed the letter to Jock, who said, “I’m sorry.”": "Jock",
        "When Tony had left them, Ben said, “Whatever for?”": "Ben",
        "Edmund, to whom this was chiefly addressed, replied, “I know.”": "Edmund",
        "Edmund, smiling at Tony, said, “Go.”": "Edmund",
        "She was stopped by Sir Thomas's saying with authority, “Not yet.”": "Sir Thomas",
    }
    for story, speaker in cases.items():
        tag = first_tag(cast, story)
        assert tag is not None and tag.explicit and tag.who == cast.lookup(speaker), story
    # Not after "and": "Ben turned to Tony, who was smiling, and said" is Ben's.
    story = "Ben turned to Tony, who was smiling, and said, “Go.”"
    tag = first_tag(cast, story)
    assert tag is not None and tag.who == cast.lookup("Ben")


def test_again_after_the_verb_still_ends_a_tag() -> None:
    cast = build_cast(["Bram came in.", "Bram sat down."], [])
    story = "There was a short silence. Bram began again. “You seemed to enjoy it.”"
    tag = first_tag(cast, story)
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Bram")


def test_a_name_before_a_clause_of_someone_elses_is_not_the_speaker() -> None:
    cast = build_cast(["Ginny came in.", "Ginny sat down.", "Harry came.", "Harry went."], [])
    for story in (
        "Ginny stared at Harry, shaking her head as she said, “No.”",
        "Ginny pointed at Harry, who was grinning, before she said, “No.”",
        "Ginny glanced at Harry, who nodded, so she began again, “No.”",
    ):
        tag = first_tag(cast, story)
        assert tag is not None and tag.who == cast.lookup("Ginny"), story


def test_a_pronoun_after_a_comma_opens_a_clause_whose_subject_speaks() -> None:
    # "…when Fanny was present, she calmly observed to her," is her aunt's speech.
    cast = build_cast(["Perpetua sat with her aunt. Perpetua sewed."], ["Perpetua"])
    tag = first_tag(cast, "The next time Perpetua came in, she calmly said to her, “Sit down.”")
    assert tag is not None and tag.pronoun and tag.gender == "F" and tag.who is None
    tag = first_tag(cast, "When the door had shut, I said to Perpetua, “Sit down.”")
    assert tag is not None and tag.gender == "I"
    # A name opening a clause of its own after a comma is its subject, not "he".
    tag = first_tag(cast, "While he read to her, however, Perpetua found time for saying, “No.”")
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Perpetua")
    # ...and a name right before the verb is still the speaker.
    tag = first_tag(cast, "When the door had shut, Perpetua said, “Sit down.”")
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Perpetua")


def test_by_saying_at_the_end_of_a_long_sentence_is_its_subjects_speech() -> None:
    cast = build_cast(["Perpetua and Bartholomew came in. Perpetua sat."], ["Perpetua"])
    text = (
        "Bartholomew took the thanks in good part, and eased his conscience for taking "
        "them at all, by saying with perfect sincerity, “I would do it again.”"
    )
    tag = first_tag(cast, text)
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Bartholomew")
    text = "The rain had stopped; but Perpetua, after waiting a moment, ended it by saying, “Go.”"
    tag = first_tag(cast, text)
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Perpetua")


def test_a_lead_in_to_a_titled_name_and_a_title_s_full_stop() -> None:
    cast = build_cast(
        ["Lady Ashdown and Mrs. Quill came in. Lady Ashdown sat."], ["Lady Ashdown", "Mrs. Quill"]
    )
    # "…by carelessly observing to Mrs. Norris": the title's full stop ends no phrase.
    tag = first_tag(cast, "Lady Ashdown settled it by carelessly observing to Mrs. Quill, “No.”")
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Lady Ashdown")
    assert tag.to == cast.lookup("Mrs. Quill")
    # ...nor a sentence: "than saying to Mrs. Quill" is not Quill's.
    text = "Before she had done more than saying to Mrs. Quill, “Good.”"
    tag = first_tag(cast, text)
    assert tag is None or tag.who != cast.lookup("Mrs. Quill")


def test_narration_after_speech_that_ends_on_no_mark_leads_into_the_next_speech() -> None:
    story = [
        "Perpetua and Bartholomew sat by the window.",
        "“It will rain,” said Perpetua. Bartholomew said nothing. Perpetua began again",
        "“It will rain all week, and the hay is out.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    lead = ctx.turns[1].lead
    assert lead is not None and lead.explicit and lead.who == ctx.cast.lookup("Perpetua")


def test_a_short_name_s_full_stop_ends_its_sentence_and_its_tag() -> None:
    cast = build_cast(
        ["Harry, Ron and Ginny sat down. Harry ate. Ginny read."], ["Harry", "Ron", "Ginny"]
    )
    # "to Ron." is no title's full stop: Harry's whisper is over when Ginny nods.
    tag = first_tag(cast, "Harry whispered to Ron. Ginny nodded. “Fine.”")
    assert tag is None or tag.who != cast.lookup("Harry")


def test_a_speech_s_own_tag_with_no_full_stop_leads_into_nothing() -> None:
    story = [
        "Ann and Tom stood at the gate.",
        "“You are going, then,” said Ann.",
        "“Then I shall stay,” he said",
        "“Stay, then.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    assert ctx.turns[2].lead is None


def test_every_short_title_s_full_stop_ends_no_phrase() -> None:
    cast = build_cast(
        ["Harry and Prof. Quill came in. Harry sat. Prof. Quill sat."], ["Harry", "Prof. Quill"]
    )
    for title in ("Prof.", "Sgt.", "Mme."):
        text = f"Harry whispered to {title} Quill, “Fine.”"
        tag = first_tag(cast, text)
        assert tag is not None and tag.explicit and tag.who == cast.lookup("Harry"), text


def test_a_gesture_in_a_relative_clause_is_no_tag_for_the_speech_after_it() -> None:
    cast = build_cast(["Perpetua and Lucan sat down."], ["Perpetua", "Lucan"])
    text = (
        "“Okay,” Perpetua said, and swallowed, and looked at Lucan, who nodded at her. "
        "“Okay. So we thought we would cook.”"
    )
    turn = read_turn(cast, 0, text, list(find_dialogue([text])[0]))
    assert {t.who for t in turn.tags if t is not None} == {cast.lookup("Perpetua")}
    # ...but a relative clause whose verb leads into the speech still names its speaker.
    tag = first_tag(cast, "Perpetua looked at Lucan, who said, “Go on.”")
    assert tag is not None and tag.who == cast.lookup("Lucan")


def test_a_relative_clause_of_two_verbs_before_speech_is_its_names_tag() -> None:
    cast = build_cast(["Uraraka came.", "Kaminari came."], ["Uraraka Ochako", "Kaminari Denki"])
    story = (
        "Then Uraraka put her hands together, and the pencils came down onto Kaminari, "
        "who sat bolt upright and shouted, “THE DERIVATIVE IS THE SLOPE!”"
    )
    tag = first_tag(cast, story)
    assert tag is not None and tag.who == cast.lookup("Kaminari")
    # ...but not where the "and" opens a clause of someone else's, nor after a
    # participle (the subject's: a comma left out, as fan fiction often does).
    for story in (
        "Uraraka looked at Kaminari, who nodded, and she shouted, “Again!”",
        "Uraraka turned to Kaminari, grinning and said, “Again!”",
    ):
        tag = first_tag(cast, story)
        assert tag is not None and tag.who != cast.lookup("Kaminari"), story


def test_a_verb_in_ing_after_a_preposition_ending_a_sentence_is_no_lead_in() -> None:
    # "…that Reigen started to feel bad for asking." tells of Reigen; the speech after
    # it is Mob's answer. "Freddy was saying." and "by saying," still lead in.
    cast = build_cast(
        ["Mob and Reigen and Freddy."], ["Kageyama Shigeo | Mob", "Reigen Arataka", "Freddy"]
    )
    assert tag_before(cast, "Mob thought so long that Reigen felt bad for asking. ") is None
    for lead, who in (
        ("Freddy was saying. ", "Freddy"),
        ("Reigen stopped him by saying, ", "Reigen"),
    ):
        tag = tag_before(cast, lead)
        assert tag is not None and cast.characters[tag.who].name.startswith(who), lead


def test_a_name_in_an_aside_between_commas_is_no_lead_into_the_next_speech() -> None:
    # "…, quickly and, Sophie thought, rather well. ‘…’": Michael goes on speaking;
    # "Sophie thought," as the last words before speech is still hers, and "At last,
    # Sophie said," too.
    cast = build_cast(["Sophie and Michael sat."], ["Sophie Hatter", "Michael Fisher"])
    sophie = cast.by_alias["Sophie"]
    assert tag_before(cast, ", said Michael, quickly and, Sophie thought, rather well. ") is None
    for lead in (
        " Sophie thought, ",
        " At last, Sophie said, ",
        " Sophie said, smiling. ",
        " Finally, Sophie spoke, her voice small. ",
    ):
        tag = tag_before(cast, lead)
        assert tag is not None and tag.who == sophie, lead


def test_said_nothing_after_speech_is_the_listener_s_silence_not_a_tag() -> None:
    story = [
        "Tom came in late. Anna looked up from her book.",
        "“Where were you?” Anna asked.",
        "“Out,” said Tom.",
        "“Out where?” He said nothing.",
        "“Tom.” He said not a word.",
        "“Just out.”",
    ]
    names = [c.name for c in analyse(story, find_dialogue(story), None).cast.characters]
    found = {a.paragraph: a for a in attribute(story, find_dialogue(story), None)}
    for silent in (3, 4):
        assert tags_of(story)[silent][0] is None
        assert found[silent].speaker == "Anna" or not found[silent].shown
    assert found[5].speaker == "Tom" and names.count("Tom") == 1
    # Speech a tag names stays that speaker's: "said nothing" is no part of it; and
    # "said no more" is the speaker stopping.
    assert tags_of(["Tom came.", "“Out,” he said, and nothing more."])[1][0] is not None
    for stop in ("He said no more.", "He said nothing more.", "He said nothing else."):
        tag = tags_of(["Tom came.", f"“I was at the Crown.” {stop}"])[1][0]
        assert tag is not None and tag.gender == "M", stop
