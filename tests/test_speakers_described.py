"""Speakers a tag describes or makes someone's instead of naming: a voice ("a man's
voice", "Lestrade's voice"), kin ("his brother", "Daisy's mamma"), a noun ("the old
lady", "the cat", "nanny") (scenes written for these tests)."""

from __future__ import annotations

from speakerhelpers import first_tag

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.paragraph import read_turn


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


def test_a_mans_voice_is_a_description_of_a_man() -> None:
    cast = build_cast(["Dot came in.", "Dot sat down."], [])
    story = "Dot heard the door, and a man’s voice saying ‘Sorry, sorry,’ as it banged."
    tag = first_tag(cast, story)
    assert tag is not None and tag.described and tag.gender == "M"
    # Another possession is no speaker: "he" is.
    story = "With a shake of his son’s hand, and an eager voice, he began, “Welcome.”"
    tag = first_tag(cast, story)
    assert tag is not None and not tag.described and tag.gender == "M"


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


# "Her father" after a speech that calls her: the family of the one called, not of
# the last woman the narration named (written for this test).
CALLED_BY_FAMILY = [
    "Ada Marsh and her friend Mrs. Holt sat by the fire; Mr. Marsh read in the next "
    "room, and Mr. Holt had gone to fetch the carriage.",
    "“Ada, my dear!” called her father from the next room. “Do shut the door.”",
]


def test_her_father_after_a_speech_that_calls_her_is_of_her_family() -> None:
    found = attribute(CALLED_BY_FAMILY, find_dialogue(CALLED_BY_FAMILY), None)
    assert {a.speaker for a in found if a.paragraph == 1} == {"Mr. Marsh"}
    # A father calls a guest by her title, his child not: the guest's family is not his.
    story = [
        "Mr. Holt and Mrs. Holt had come to dine. Mr. Marsh sat by the fire, and Ada "
        "Marsh poured the tea.",
        "“Mrs. Holt, my dear, do sit nearer the fire,” said her father.",
    ]
    found = attribute(story, find_dialogue(story), None)
    assert {a.speaker for a in found if a.paragraph == 1} == {"Mr. Marsh"}
    # ...and "his" father is no woman's, though the speech calls one.
    story = [CALLED_BY_FAMILY[0], "“Ada, my dear!” called his father from the next room."]
    found = attribute(story, find_dialogue(story), None)
    assert {a.speaker for a in found if a.paragraph == 1} != {"Mr. Marsh"}


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


def test_a_reply_of_someones_brother_is_not_theirs() -> None:
    cast = build_cast(["Perpetua and Bartholomew came in. Perpetua sat."], ["Perpetua"])
    for text in (
        "“Very well,” was the reply of Perpetua’s brother.",
        "“Very well,” came the answer of Perpetua’s maid.",
    ):
        tag = first_tag(cast, text)
        assert tag is None or tag.who != cast.lookup("Perpetua"), text


def test_a_kin_description_reads_a_few_of_the_surname_not_thousands() -> None:
    firsts = "Ada Bea Cal Dot Eli Fay Gus Hal Ivy Jem Kit Lou".split()
    names = [f"{first} Smith" for first in firsts]
    cast = build_cast([f"{n} came in. {n} sat down." for n in names], names)
    kin = cast.kin(cast.lookup("Ada Smith"))
    assert len(kin) == 8 and cast.lookup("Ada Smith") not in kin  # a Weasley-sized family


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


def test_said_a_characters_voice_is_that_character_and_the_captains_the_one_captain() -> None:
    # "said Linda's voice" is Linda, not someone of hers ("said Linda's mother"); "the
    # Captain's voice" the one Captain's, as "said the Captain" is.
    story = [
        "Captain Sisko was on the comm. Odo stood by the crate with Jadzia Dax.",
        "“Odo,” said the Captain's voice, more slowly, “there's a discrepancy.”",
        "“Constable,” said Sisko's voice, “I'd like your eyes on it.”",
        "“Odo,” came the Captain's voice, “are you there?”",
        "“Yes,” the Captain's voice said. “Personally.”",
        "“Odo,” said Sisko's mother, “he means it.”",
    ]
    meta = Metadata(characters=["Benjamin Sisko", "Odo", "Jadzia Dax"])
    assert [tags[0] for tags in _tag_names(story, meta)[:4]] == ["Benjamin Sisko"] * 4
    mother = first_tag(analyse(story, find_dialogue(story), meta).cast, story[-1])
    assert mother is not None and mother.who is None and mother.described
    # The voice as a lead-in; and a header's "The Joker", whose "The" is his name's.
    lead_in = [story[0], "The Captain's voice crackled: “Odo, come to Ops.”"]
    assert _tag_names(lead_in, meta) == [["Benjamin Sisko"]]
    joker = [
        "Batman waited.",
        "“Hello.” The Joker's voice was thin.",
        "“Go,” said The Joker's voice.",
    ]
    assert _tag_names(joker, Metadata(characters=["Batman", "The Joker"])) == [
        ["The Joker"],
        ["The Joker"],
    ]


def test_the_captains_men_or_one_of_two_captains_are_no_tag() -> None:
    story = [
        "Captain Hector Barbossa and Captain Jack Sparrow stood by the wheel.",
        "“Fire!” came the Captain's men, all at once.",
        "“Fire!” said the Captain's voice.",
        "“Aye!” came the Captain's voice.",
    ]
    meta = Metadata(characters=["Hector Barbossa", "Jack Sparrow"])
    assert _tag_names(story, meta) == [[None], [None], [None]]
    one = ["Captain Hector Barbossa stood by the wheel.", story[1]]
    assert _tag_names(one, Metadata(characters=["Hector Barbossa", "Jack Sparrow"])) == [[None]]
    # ...nor are a named man's people him; his voice and his answer are.
    named = [
        one[0],
        "“Fire!” came Barbossa's men, all at once.",
        "“Aye!” was Barbossa's father's cry.",
        "“Fire!” came Barbossa's voice.",
        "“No,” was Barbossa's answer.",
    ]
    assert _tag_names(named, Metadata(characters=["Hector Barbossa", "Jack Sparrow"])) == [
        [None],
        [None],
        ["Hector Barbossa"],
        ["Hector Barbossa"],
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
