"""Speech tags that used to be missed: a dash before a name, "the Major", a prepositional
phrase after the verb, a capital word before the subject, "was his answer" (scenes
written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers.cast import Cast
from tuific.speakers.cast_build import build_cast
from tuific.speakers.paragraph import read_turn
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


def first_tag(cast: Cast, text: str) -> Tag | None:
    """The tag of the first speech found in one paragraph of `text`."""
    return read_turn(cast, 0, text, list(find_dialogue([text])[0])).tags[0]


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


def test_a_description_gives_the_gender_of_its_noun_and_her_ladyship_is_the_lady() -> None:
    cast = build_cast(["Lady Gage came in. Lady Gage sat. Lady Gage rang. Lady Mottram waved."], [])
    for text, gender in (
        ("“Come here,” cried his aunt soon afterwards.", "F"),
        ("“So it is,” said the tall old gentleman.", "M"),
        ("“Come here,” cried the aunt soon afterwards.", "F"),  # no new "The Aunt Soon…"
        ("“So it is,” said the old man again.", "M"),
    ):
        turn = read_turn(cast, 0, text, [(0, text.index("”") + 1)])
        tag = turn.tags[0]
        assert tag is not None and tag.pronoun and tag.gender == gender, text
    assert [c.name for c in cast.characters] == ["Lady Gage", "Lady Mottram"]
    text = "“So it is,” said the solicitor again."
    tag = read_turn(cast, 0, text, [(0, text.index("”") + 1)]).tags[0]
    assert tag is not None and cast.characters[tag.who or 0].name == "The Solicitor"
    # Of two Ladies, the one named far more often so far is "her ladyship".
    story = [
        "Lady Gage came in. Lady Gage sat down, and Lady Mottram waved to her.",
        "Lady Gage rang for tea.",
        "“I was not asleep,” said her ladyship.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    tag = ctx.turns[0].tags[0]
    assert (
        tag is not None and tag.explicit and ctx.cast.characters[tag.who or 0].name == "Lady Gage"
    )
    # Named as often, neither is.
    story[1] = "Lady Mottram rang for tea. Lady Mottram yawned."
    ctx = analyse(story, find_dialogue(story), None)
    assert ctx.turns[0].tags[0] is not None and ctx.turns[0].tags[0].who is None


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


def test_the_cat_of_a_tag_is_the_headers_cat() -> None:
    from tuific.model import Metadata

    fable = [
        "The dog and the cat sat by the fire.",
        "“A letter,” said the cat.",
        "“For whom?” asked the dog.",
        "“For the old cat of the mill,” said a Catherine nobody had seen come in.",
    ]
    found = attribute(fable, meta=Metadata(characters=["Dog", "Cat"]))
    assert [a.speaker for a in found[:2]] == ["Cat", "Dog"]
    # A person whose name is the word is not "the cat": only the header's, whole.
    cast = build_cast(fable, ["Cat Smith", "Dog"])
    assert cast.called_by_noun("cat") is None
    assert cast.called_by_noun("dog") == cast.by_alias["Dog"]


def test_a_speech_that_gives_its_speakers_name_names_its_speaker() -> None:
    jetty = [
        "Ottilie walked down to the jetty, where Bram sat with Ned, mending a net.",
        "“Who are you?” asked Ottilie.",
        "“I’m Bram. I row the mail boat.”",  # 2: no tag at all
        "“Then you are late.”",
        "Ned looked up. “Yes, I am Bram the Late,” he said.",  # 4: not Ned, the last "he"
        "“I am Ottilie’s friend,” she said.",  # 5: a possessive names nobody
        "“Bram here. My name is Bram.”",  # 6
    ]
    ctx = analyse(jetty, find_dialogue(jetty), None)
    names = [c.name for c in ctx.cast.characters]
    tags = {turn.paragraph: turn.tags[0] for turn in ctx.turns}
    for p in (2, 4, 6):
        tag = tags[p]
        assert tag is not None and tag.explicit and names[tag.who] == "Bram", p
    assert tags[5] is not None and tags[5].pronoun and tags[5].who is None
    assert {a.paragraph: a.speaker for a in attribute(jetty)}[4] == "Bram"


def test_a_self_introduction_opening_a_span_counts_wherever_the_span_starts() -> None:
    from tuific.speakers.self_named import self_named

    story = ["Bram sat on the jetty.", "“Who are you?” asked Ottilie.", "“I’m Bram.”"]
    cast = analyse(story, find_dialogue(story), None).cast
    text = "Ottilie waited. I’m Bram, he called."  # a span without a mark, inside
    tag = self_named(cast, text, text.index("I’m"), text.index(","))
    assert tag is not None and cast.characters[tag.who].name == "Bram"
    tag = self_named(cast, text, 0, text.index(","))  # after a sentence's end
    assert tag is not None and cast.characters[tag.who].name == "Bram"
    # ...but not after a word: "and I'm Bram" is someone telling of him.
    text = "and I’m Bram,"
    assert self_named(cast, text, 0, len(text)) is None


def test_a_surname_then_the_full_name_introduces_the_speaker() -> None:
    story = [
        "Holmes was at the window. A young woman stood in the doorway.",
        "“I am Holmes. Pray sit down, Miss —?” said Holmes.",
        "“Lacey. Harriet Lacey.” She sat, and laid the umbrella across her knees.",
        "“You have come about the umbrella, Miss Lacey.”",
    ]
    meta = Metadata(characters=["Sherlock Holmes", "Miss Lacey"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[2] == "Miss Lacey"
    # The same name twice is no introduction, nor a name and a different one.
    from tuific.speakers.self_named import self_named

    cast = analyse(story, find_dialogue(story), meta).cast
    text = "“Lacey. Harriet Lacey.”"
    tag = self_named(cast, text, 0, len(text))
    assert tag is not None and tag.explicit and cast.characters[tag.who].name == "Miss Lacey"
    for text in ("“Lacey. Lacey.”", "“Lacey. Harriet Vane.”"):
        assert self_named(cast, text, 0, len(text)) is None, text


def test_a_self_introduction_is_not_someone_elses_words_nor_a_possessive() -> None:
    scenes = {
        # Reported inside the speech: Draco telling of Harry.
        "reported": [
            "Draco sat with Pansy in the common room. Harry was not there.",
            "“What did he say?” asked Pansy.",
            "“Then he held out his hand and said, ‘I’m Harry,’ as if I didn’t know.”",
        ],
        # Two words and a possessive: Mycroft, not Sherlock.
        "possessive": [
            "Mycroft stood at the door. Sherlock Holmes looked up from his chair.",
            "“Who is it?” asked Sherlock Holmes.",
            "“I am Sherlock Holmes’s brother. May I come in?”",
        ],
        # A man's "he said" against a woman's name: irony, not an introduction.
        "irony": [
            "Hermione and Ron came in. Harry waved.",
            "“Is that Ron?” asked Hermione.",
            "“If that’s Ron, I’m Hermione,” he said.",
        ],
    }
    wrong = {"reported": "Harry", "possessive": "Sherlock Holmes", "irony": "Hermione"}
    for label, scene in scenes.items():
        ctx = analyse(scene, find_dialogue(scene), None)
        names = [c.name for c in ctx.cast.characters]
        tag = ctx.turns[-1].tags[0]
        assert tag is None or tag.who is None or names[tag.who] != wrong[label], label


def test_a_self_introduction_after_a_plain_quote_or_a_bar() -> None:
    for mark in ("'", "―"):
        close = "'" if mark == "'" else ""
        scene = [
            "Bram and Ned sat on the jetty. Ottilie came down the path.",
            f"{mark}Who are you?{close} asked Ottilie.",
            f"{mark}I'm Bram. I row the mail boat.{close}",
            f"{mark}Then you are late.{close}",
        ]
        found = {a.paragraph: a.speaker for a in attribute(scene)}
        assert found[2] == "Bram", mark


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


def test_a_mans_voice_is_a_description_of_a_man() -> None:
    cast = build_cast(["Dot came in.", "Dot sat down."], [])
    story = "Dot heard the door, and a man’s voice saying ‘Sorry, sorry,’ as it banged."
    tag = first_tag(cast, story)
    assert tag is not None and tag.described and tag.gender == "M"
    # Another possession is no speaker: "he" is.
    story = "With a shake of his son’s hand, and an eager voice, he began, “Welcome.”"
    tag = first_tag(cast, story)
    assert tag is not None and not tag.described and tag.gender == "M"


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


def test_a_name_that_owns_the_tags_subject_is_not_the_speaker() -> None:
    # "answered Daisy's mamma" describes a woman who is not Daisy; a text that lost
    # its apostrophes ("Daisy s mamma", as PDNC's) reads the same.
    cast = build_cast(["Daisy came in with Winterbourne. Daisy sat down."], ["Daisy"])
    for text in (
        "“Oh, no; with this gentleman!” answered Daisy’s mamma.",
        "“Oh, no; with this gentleman!” answered Daisy s mamma.",
    ):
        tag = first_tag(cast, text)
        assert tag is not None and tag.who is None and not tag.explicit, text
        assert tag.described and tag.gender == "F", text
    tag = first_tag(cast, "Then Daisy s mamma said, “No.”")
    assert tag is None or not tag.explicit
    # ...but a possessive with a verb in -ing is the owner speaking.
    tag = first_tag(cast, "The matter was ended by Daisy s saying, “Not yet.”")
    assert tag is not None and tag.explicit and cast.characters[tag.who].name == "Daisy"


def test_a_description_by_kin_says_whose_kin_it_is() -> None:
    cast = build_cast(["Daisy Miller came in with Winterbourne. Daisy sat down."], ["Daisy Miller"])
    tag = first_tag(cast, "“Oh, no; with this gentleman!” answered Daisy’s mamma.")
    assert tag is not None and tag.kin and tag.owner == cast.lookup("Daisy")
    tag = first_tag(cast, "“Not today,” said his wife.")
    assert tag is not None and tag.kin and tag.owner is None and tag.owner_gender == "M"
    # A partner, a voice, a friend: no kin of anyone's name.
    tag = first_tag(cast, "“Not today,” said her partner.")
    assert tag is not None and not tag.kin


# Two brothers of one surname and a friend of another: "said his brother", after
# Sam, is Dean (written for this test).
BROTHERS = [
    "Dean Winchester parked the car behind the motel, and Sam Winchester got out "
    "first. Castiel was already waiting by the door with Jody Mills.",
    "“You took your time,” said Castiel.",
    "“Traffic,” said Sam. He looked at the sky, then at the angel, and rubbed his neck.",
    "“Traffic,” repeated his brother, with a grin. “He means I stopped for pie.”",
    "Jody laughed and held the door open for them.",
]


def test_said_his_brother_is_one_of_his_surname_not_the_last_man_named() -> None:
    ctx = analyse(BROTHERS, find_dialogue(BROTHERS), None)
    assert ctx.cast.kin(ctx.cast.lookup("Sam"), "M") == (ctx.cast.lookup("Dean"),)
    assert ctx.cast.kin(ctx.cast.lookup("Castiel"), "M") == ()  # a first name alone
    found = attribute(BROTHERS, find_dialogue(BROTHERS), None)
    assert [a.speaker for a in found if a.paragraph == 3] == ["Dean Winchester"] * 2


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


def test_the_old_lady_is_a_description_not_the_one_lady_of_the_cast() -> None:
    cast = build_cast(["Lady Ashdown and Perpetua came in. Lady Ashdown sat."], ["Perpetua"])
    tag = first_tag(cast, "“Sit down,” said the old lady sharply.")
    assert tag is not None and not tag.explicit and tag.described and tag.gender == "F"
    # ...but "the Lady" with a capital is her title, as "the Major" is his.
    tag = first_tag(cast, "“Sit down,” said the Lady sharply.")
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Lady Ashdown")


def test_said_nanny_in_lower_case_is_the_nanny_the_story_names_with_a_capital() -> None:
    cast = build_cast(["Nanny took Perpetua upstairs. Nanny sang to her."], ["Perpetua"])
    tag = first_tag(cast, "“Eat up your supper,” said nanny.")
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Nanny")
    # A word that names nobody is no tag: "said softly" is not Softly.
    assert first_tag(cast, "“Eat up your supper,” said softly.") is None


def test_the_one_a_described_speaker_speaks_to_is_not_the_speaker() -> None:
    cast = build_cast(["Perpetua and Bartholomew came in. Perpetua sat."], ["Perpetua"])
    tag = first_tag(cast, "“It is late,” observed the general to Perpetua.")
    assert tag is not None and tag.who != cast.lookup("Perpetua")
    # ...but "the voice of Bartholomew" is his.
    tag = first_tag(cast, "“It is late,” sounded the voice of Bartholomew.")
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Bartholomew")


def test_a_reply_said_to_be_someones_names_them_however_it_is_put() -> None:
    cast = build_cast(["Perpetua and Bartholomew came in. Perpetua sat."], ["Perpetua"])
    for text in (
        "“Very well,” was all Perpetua’s reply.",
        "“Very well,” was Perpetua s answer.",  # a text that lost its apostrophes
        "“Very well,” was a tender apostrophe of Perpetua’s.",
    ):
        tag = first_tag(cast, text)
        assert tag is not None and tag.explicit and tag.who == cast.lookup("Perpetua"), text
    # "Thorpe, who, coming to them, said," is Thorpe's, the comma after "who" or not.
    tag = first_tag(cast, "At last Bartholomew, who, coming in with a lamp, said, “Well.”")
    assert tag is not None and tag.explicit and tag.who == cast.lookup("Bartholomew")


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


def test_a_reply_of_someones_brother_is_not_theirs() -> None:
    cast = build_cast(["Perpetua and Bartholomew came in. Perpetua sat."], ["Perpetua"])
    for text in (
        "“Very well,” was the reply of Perpetua’s brother.",
        "“Very well,” came the answer of Perpetua’s maid.",
    ):
        tag = first_tag(cast, text)
        assert tag is None or tag.who != cast.lookup("Perpetua"), text


def test_a_speech_s_own_tag_with_no_full_stop_leads_into_nothing() -> None:
    story = [
        "Ann and Tom stood at the gate.",
        "“You are going, then,” said Ann.",
        "“Then I shall stay,” he said",
        "“Stay, then.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    assert ctx.turns[2].lead is None


def test_a_kin_description_reads_a_few_of_the_surname_not_thousands() -> None:
    firsts = "Ada Bea Cal Dot Eli Fay Gus Hal Ivy Jem Kit Lou".split()
    names = [f"{first} Smith" for first in firsts]
    cast = build_cast([f"{n} came in. {n} sat down." for n in names], names)
    kin = cast.kin(cast.lookup("Ada Smith"))
    assert len(kin) == 8 and cast.lookup("Ada Smith") not in kin  # a Weasley-sized family


def test_every_short_title_s_full_stop_ends_no_phrase() -> None:
    cast = build_cast(
        ["Harry and Prof. Quill came in. Harry sat. Prof. Quill sat."], ["Harry", "Prof. Quill"]
    )
    for title in ("Prof.", "Sgt.", "Mme."):
        text = f"Harry whispered to {title} Quill, “Fine.”"
        tag = first_tag(cast, text)
        assert tag is not None and tag.explicit and tag.who == cast.lookup("Harry"), text


def test_a_surname_then_the_full_name_of_someone_known_is_no_introduction() -> None:
    story = [
        "Harry Potter came into the dungeon. Draco Malfoy was already there.",
        "“Potter. Harry Potter,” he sneered.",
        "“Malfoy.”",
    ]
    meta = Metadata(characters=["Harry Potter", "Draco Malfoy"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[1] != "Harry Potter"


def test_a_self_introduction_counts_though_the_text_learns_the_full_name_from_it() -> None:
    story = [
        "Professor Vell looked up from the register. A girl stood at the door.",
        "“Name?” said Professor Vell.",
        "“Lacey. Harriet Lacey.”",
        "“Welcome, Miss Lacey. Take a seat.”",
        "Harriet Lacey sat down at the back.",
    ]
    from tuific.speakers.self_named import self_named

    meta = Metadata(characters=["Professor Vell", "Miss Lacey"])
    cast = analyse(story, find_dialogue(story), meta).cast
    assert "Harriet Lacey" in cast.by_alias  # learnt from the narration
    tag = self_named(cast, story[2], 0, len(story[2]))
    assert tag is not None and "Lacey" in cast.characters[tag.who].name


def test_a_speaker_introducing_himself_does_not_call_himself() -> None:
    story = [
        "Ottoline sat at the counter. Mr. Vasquez came in out of the rain.",
        "“I’m a patient man.” He took off his cap. “Vasquez. Emilio Vasquez.”",
        "“Ottoline,” she said.",
    ]
    ctx = analyse(story, find_dialogue(story), Metadata(characters=["Ottoline", "Mr. Vasquez"]))
    names = [c.name for c in ctx.cast.characters]
    turn = ctx.turns[0]
    assert [names[t.who] for t in turn.tags if t is not None] == ["Mr. Vasquez"]
    assert turn.vocatives == [] and turn.in_speech == []


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


def test_a_voice_or_somebody_the_text_does_not_name_is_never_shown() -> None:
    story = [
        "Perpetua and Lucan stood by the cabin door.",
        "“We could burn it,” said Lucan.",
        "“Which is why we need help,” said a voice behind them, “before you burn it.”",
        "Somebody said, “Over here.”",
        "“Who’s that?” said Perpetua.",
    ]
    found = attribute(story)
    unknown = [a for a in found if a.paragraph in (2, 3)]
    assert len(unknown) == 3 and not any(a.shown for a in unknown)
    assert all(a.confidence <= 0.5 for a in unknown)
    # A voice the text has made someone ("the voice") is not unknown.
    cast = build_cast(story, ["Perpetua", "Lucan"])
    tag = first_tag(cast, "“No,” said the voice.")
    assert tag is None or not tag.unknown


def test_a_characters_voice_next_to_the_speech_is_its_tag() -> None:
    # In the past tense, where an action beat is no tag: the voice is the speaker's.
    story = [
        "John Watson put the phone on the table between them. Greg Lestrade was on "
        "speaker.",
        "'Sherlock, it's Greg.' Lestrade's voice came out thin and crackly. 'Where are you?'",
        "John looked at the ceiling. Then came Sherlock's voice: 'Streatham. Obviously.'",
        "Lestrade's voice crackled down the line: 'Stay there.'",
        # A voice that sounds leads into its speech without a colon.
        "Sherlock's voice cut through the static. 'Lestrade. Listen.'",
    ]
    meta = Metadata(characters=["Sherlock Holmes", "John Watson", "Greg Lestrade"])
    assert _tag_names(story, meta) == [
        ["Greg Lestrade", None],
        ["Sherlock Holmes"],
        ["Greg Lestrade"],
        ["Sherlock Holmes"],
    ]


def test_a_voice_is_no_tag_where_it_leads_elsewhere_or_is_called() -> None:
    meta = Metadata(characters=["Sherlock Holmes", "John Watson", "Greg Lestrade"])
    opening = "John Watson sat by the phone. Greg Lestrade was on speaker."
    shapes = [
        # Before speech, a voice that does not lead into it is what the speaker hears.
        "He heard Lestrade's voice in the hall. 'Hello?'",
        "Lestrade's voice was the last thing John expected at three. 'What's happened?'",
        # After speech, a voice that leads into the next speech is that one's.
        "'Where are you?' Lestrade's voice crackled back down the line: 'Streatham.'",
        # A voice the speech calls by name is someone else's answer to it.
        "Lestrade's voice trailed off in the middle of a word: 'Lestrade?'",
        "Lestrade's voice trailed off. 'Greg?'",
        "Lestrade's voice cut out. 'Greg?'",
        "Lestrade's voice drifted off. 'Greg?'",
        # A voice-mail is no voice.
        "'It's John. Call me back.' Lestrade's voice-mail clicked off.",
    ]
    for shape in shapes:
        assert _tag_names([opening, shape], meta)[0] == [None] * len(
            find_dialogue([shape])[0]
        ), shape


def _tag_names(story: list[str], meta: Metadata) -> list[list[str | None]]:
    """The names each turn's tags give, span by span."""
    ctx = analyse(story, find_dialogue(story), meta)
    names = [c.name for c in ctx.cast.characters]
    return [
        [names[t.who] if t and t.who is not None else None for t in turn.tags]
        for turn in ctx.turns
    ]


def test_a_speech_on_the_telephone_or_radio_that_says_who_speaks_is_tagged() -> None:
    cast = build_cast(
        ["Mike came.", "Dustin came.", "Jock came."], ["Mike Wheeler", "Dustin Henderson", "Jock"]
    )
    for story, name in (
        ("“This is Jock speaking. I've just seen Brenda.”", "Jock"),
        ("“Mike. Mike, do you copy? This is Dustin. Over.”", "Dustin"),
        ("“Dustin here. Over.”", "Dustin"),
    ):
        tag = first_tag(cast, story)
        assert tag is not None and tag.explicit and tag.who == cast.lookup(name), story
    # Without a radio's "Over." "this is Dustin" introduces him; "Look here," names no
    # one; "Dustin here, it seems," is someone speaking of him.
    for story in (
        "“Mum, this is Dustin. He's in my class.”",
        "“Mum, this is Dustin. The war is over.”",
        "“Mike, this is Dustin. Dustin, come over!”",
        "“Look here, you can't stay.”",
        "“Dustin here, it seems, thinks he's above the rules.”",
        "“Look, Mike here, he started it.”",
    ):
        tag = first_tag(cast, story)
        assert tag is None, story


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
