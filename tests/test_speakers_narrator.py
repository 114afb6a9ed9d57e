"""Stories told in the first or second person, often in the present tense as fan
fiction is ("I mutter", "you whisper"): the narrator is a speaker even when the story
never names them, and "you say" is the narrator's only in a story told to "you"."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.leads import lead_in
from tuific.speakers.narrator import header_point_of_view
from tuific.speakers.paragraph import read_turn

FIRST = [
    "I shoulder the door open, two cups of tea in my hands, and Odile looks up from the "
    "till.",
    "“You’re late,” Odile says.",
    "“The bus,” I mutter, and put one cup down in front of her.",
    "She takes it without a word.",
    "“Thanks,” she says at last.",
    "“Don’t mention it,” I whisper.",
    "“I won’t.”",
    "“Good,” I grin.",
]

SECOND = [line.replace("I ", "you ").replace("my hands", "your hands") for line in FIRST]
SECOND[0] = (
    "You shoulder the door open, two cups of tea in your hands, and Odile looks up from "
    "the till."
)


def test_a_narrator_the_story_never_names_speaks_as_the_narrator() -> None:
    found = {a.paragraph: a.speaker for a in attribute(FIRST, meta=Metadata(characters=["Odile"]))}
    assert found[1] == "Odile"
    assert found[2] == "Narrator"  # I mutter
    assert found[5] == "Narrator"  # I whisper
    assert found[7] == "Narrator"  # I grin
    assert found[4] == "Odile"


def test_a_story_told_to_you_makes_you_the_speaker_of_you_say() -> None:
    found = {a.paragraph: a.speaker for a in attribute(SECOND, meta=Metadata(characters=["Odile"]))}
    assert found[1] == "Odile"
    assert found[2] == "You"
    assert found[5] == "You"
    assert found[7] == "You"


def test_you_say_quoted_in_a_third_person_story_is_no_speaker() -> None:
    story = [
        "Marguerite put down her bag.",
        "“And you always say, ‘Why not stay the night,’ you say, ‘instead of the train?’”",
        "“I do say that,” said Anselm.",
        "“You do.”",
    ]
    speakers = {a.speaker for a in attribute(story)}
    assert "You" not in speakers and "Narrator" not in speakers


def test_a_plain_verb_is_a_tag_after_i_or_you_but_not_after_her() -> None:
    cast = build_cast(["Rodney and Katharine waited."])
    text = "“Late again,” I mutter."
    [tag] = read_turn(cast, 0, text, find_dialogue([text])[0]).tags
    assert tag is not None and tag.gender == "I"
    text = "“Late again,” you whisper."
    [tag] = read_turn(cast, 0, text, find_dialogue([text])[0]).tags
    assert tag is not None and tag.gender == "Y"
    # "He heard her murmur:" is no tag of his.
    lead = lead_in(cast, "For a moment she was silent. He then heard her murmur:", [])
    assert lead is None or lead.gender != "M"
    # Present tense after a name or "she" reads as a tag too.
    text = "“Fine,” she grins."
    [tag] = read_turn(cast, 0, text, find_dialogue([text])[0]).tags
    assert tag is not None and tag.gender == "F"


def test_a_reader_insert_writes_y_n_for_you() -> None:
    story = [
        "You push the door open with your hip. Odile is at the till.",
        "“Late again,” Odile says.",
        "“The bus,” you say.",
        "“Y/N, there is always a bus.”",
        "“There is. It is always late.”",
        "Y/N sighs and puts the cups down.",
    ]
    found = {a.paragraph: a.speaker for a in attribute(story, meta=Metadata(characters=["Odile"]))}
    assert found == {1: "Odile", 2: "You", 3: "Odile", 4: "You"}
    cast = build_cast(story, ["Odile"])
    assert cast.characters[cast.by_alias["Y/N"]].name == "You"


POV_STORY = [
    "Ada’s POV",
    "The library is empty except for Thorne, who is in my seat.",
    "“You’re in my seat,” I say.",
    "“I don’t see your name on it,” Thorne drawls.",
    "~ Thorne’s P.O.V. ~",
    "Ada is glaring at me as if I have insulted her grandmother.",
    "“Move,” she says.",
    "“Make me,” I tell her.",
    "POV: Ada",
    "“Fine,” I say.",
]


def test_a_point_of_view_marker_says_who_i_is_section_by_section() -> None:
    meta = Metadata(characters=["Ada Quill", "Thorne Vale"])
    found = {a.paragraph: a.speaker for a in attribute(POV_STORY, meta=meta)}
    ada, thorne = "Ada Quill", "Thorne Vale"
    assert found == {2: ada, 3: thorne, 6: ada, 7: thorne, 9: ada}


def test_a_point_of_view_marker_in_the_shapes_fan_fiction_writes() -> None:
    from tuific.speakers.narrator import point_of_view

    cast = build_cast([*POV_STORY, "Y/N waited."], ["Ada Quill", "Thorne Vale"])
    ada, thorne = cast.by_alias["Ada Quill"], cast.by_alias["Thorne Vale"]
    for line, who in [
        ("Ada’s POV", ada),
        ("-- POV: Thorne --", thorne),
        ("Back to Ada's POV", ada),
        ("Thorne POV (cont.)", thorne),
        ("THORNE'S P.O.V.", thorne),
        ("Ada’s point of view", ada),
        ("Y/N's POV", cast.reader),
        ("Normal POV", None),  # no one's: the last marker's ends
        ("Nobody’s POV", None),
    ]:
        assert point_of_view(cast, line) == (True, who), line
    long_line = "Ada’s POV was that the whole thing was a mistake, and she said so."
    assert point_of_view(cast, long_line) == (False, None)
    assert point_of_view(cast, "The POV of this story is odd, and he knew.") == (False, None)


def test_a_marker_for_no_one_or_a_chapter_ends_the_last_point_of_view() -> None:
    story = [*POV_STORY[:4], "Normal POV", "“Again,” I say.", "Chapter 2", "“Again,” I say."]
    meta = Metadata(characters=["Ada Quill", "Thorne Vale"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[2] == "Ada Quill"
    assert found[5] != "Ada Quill" and found[7] != "Ada Quill"


def test_plain_verbs_before_speech_are_a_tag_only_for_i_or_you_as_the_subject() -> None:
    cast = build_cast(["Ron and Marcus were there."], ["Ron Weasley", "Marcus"])

    def tag_of(text: str):
        return read_turn(cast, 0, text, find_dialogue([text])[0]).tags[0]

    found = tag_of("You lean in and whisper, “Now.”")
    assert found is not None and found.gender == "Y"
    found = tag_of("I sigh: “Fine.”")
    assert found is not None and found.gender == "I"
    assert tag_of("I hear you call: “Wait!”") is None  # "you" is heard
    found = tag_of("I watch Ron lean in and whisper, “She’s here.”")
    assert found is None or found.gender != "I"
    # A "you" that may be anyone's leaves the tag to the name after it.
    found = tag_of("You could tell Ron was nervous when he said, “Fine.”")
    assert found is not None and found.who == cast.by_alias["Ron Weasley"]


def test_you_say_is_the_narrators_only_where_it_outnumbers_i_said_three_to_one() -> None:
    from tuific.speakers.narrator import settle_person
    from tuific.speakers.turn import Tag, Turn

    def turns(genders: str) -> list[Turn]:
        return [Turn(i, [(0, 5)], [Tag(None, g, pronoun=True)]) for i, g in enumerate(genders)]

    letter = turns("YYYYIII")  # a letter to "you" that says "I said" too
    assert settle_person(letter) == ("I", 3)
    assert [t.tags[0] is not None for t in letter] == [False] * 4 + [True] * 3
    told = turns("YYYYYYYI")  # told to you: the stray "I said" is no one's
    assert settle_person(told) == ("Y", 7)
    assert [t.tags[0] is not None for t in told] == [True] * 7 + [False]
    assert all(t.tags[0].gender == "I" for t in told[:7])
    # One "you say" makes a reader-insert's story one told to you; elsewhere it is dropped.
    assert settle_person(turns("Y"), reader=0) == ("Y", 1)
    assert settle_person(turns("Y")) == ("", 0)


def test_a_reader_insert_writes_y_n_in_any_case_and_in_tags() -> None:
    story = [
        "(y/n) pushes the library door open. Draco is at the back table.",
        "“You’re late,” Draco says.",
        "“The stairs moved,” y/n says.",
        "“They always move, y/n.”",
        "“Not usually on me.”",
        "“Fine,” said Y/N.",
    ]
    meta = Metadata(characters=["Draco Malfoy", "Y/N"], relationships=["Draco Malfoy/Y/N"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found == {1: "Draco Malfoy", 2: "You", 3: "Draco Malfoy", 4: "You", 5: "You"}


def test_second_review_cases() -> None:
    from tuific.speakers.header import header_names
    from tuific.speakers.narrator import point_of_view

    cast = build_cast(["Ron and Marcus were there."], ["Ron Weasley", "Marcus"])
    # "Then you whisper," is the reader's: a capitalised word may open the sentence.
    text = "Then you whisper, “Is that his book?”"
    found = read_turn(cast, 0, text, find_dialogue([text])[0]).tags[0]
    assert found is not None and found.gender == "Y"
    # Narration about a point of view is no marker; a marker naming a stranger is.
    assert point_of_view(cast, "Depends on your point of view.") == (False, None)
    assert point_of_view(cast, "POV switch!") == (False, None)
    assert point_of_view(cast, "Marcus (age 17) POV") == (True, cast.by_alias["Marcus"])
    assert point_of_view(cast, "Luna's POV") == (True, None)
    # A beat that acts on the narrator, or a state, is not the speaker's.
    for text in ("Ron elbows me in the ribs. “Ow!”", "Ron has a point, though. “Fine.”"):
        found = read_turn(cast, 0, text, find_dialogue([text])[0], beats=True).tags[0]
        assert found is None or found.who != cast.by_alias["Ron Weasley"], text
    # A reader-insert's other placeholders are no characters.
    assert header_names(["Y/N L/N", "(F/N)", "Draco Malfoy"], ["Draco Malfoy/Y/N L/N"]) == [
        "Draco Malfoy"
    ]


def test_in_the_readers_own_point_of_view_you_say_is_hers_and_i_said_the_markers() -> None:
    story = [
        "Y/N's POV",
        "Y/N pushes the door open. Blaise is by the fire.",
        "“You should sleep,” you say.",
        "“Soon,” says Blaise.",
        "“Now,” you say.",
        "Blaise's POV",
        "“Fine,” I say.",
        "“Good,” Y/N says.",
        "“Goodnight,” I tell her.",
    ]
    meta = Metadata(characters=["Blaise Zabini", "Reader"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    # (The header tags the reader "Reader": that is the name "you" and Y/N are shown by.)
    assert found == {2: "Reader", 3: "Blaise Zabini", 4: "Reader", 6: "Blaise Zabini",
                     7: "Reader", 8: "Blaise Zabini"}


def test_a_header_tag_of_one_point_of_view_says_who_i_is() -> None:
    # Nobody calls the narrator by name next to "I say"; the header's tags say whose
    # point of view the story keeps.
    story = [
        "Rhys and Mor are arguing about the cake when I come in.",
        "“Honey cakes,” says Mor.",
        "“Quieter how?” I ask.",
        "“Like this,” says Rhys.",
        "“Fine,” I say. “Honey cakes.”",
        "“Told you,” says Mor.",
        "“You did,” I say.",
    ]
    names = ["Feyre Archeron", "Rhysand", "Mor"]

    def speakers(tags: list[str]) -> set[str | None]:
        meta = Metadata(characters=names, fandoms=["ACOTAR"], tags=tags)
        return {a.speaker for a in attribute(story, meta=meta) if a.paragraph in (2, 4, 6)}

    assert speakers(["Feyre Archeron POV", "First Person Present Tense", "Fluff"]) == {
        "Feyre Archeron"
    }
    assert speakers(["Fluff"]) == {"Narrator"}
    assert speakers(["Feyre POV", "Rhysand POV"]) == {"Narrator"}  # two: no telling
    assert speakers(["Feyre POV", "Multiple POVs"]) == {"Narrator"}
    assert speakers(["Dual POV", "Feyre POV"]) == {"Narrator"}
    # (A header whose tags are missing altogether is no error.)
    meta = Metadata(characters=names, fandoms=["ACOTAR"])
    meta.tags = None  # type: ignore[assignment]
    assert {a.speaker for a in attribute(story, meta=meta) if a.paragraph == 2} == {"Narrator"}
    # (Only the first 75 tags are read, as many as AO3 allows.)
    assert speakers([*[f"Tag {n}" for n in range(80)], "Feyre POV"]) == {"Narrator"}


def test_in_first_person_fan_fiction_the_narrators_past_beat_is_a_tag() -> None:
    # "I cleared my throat. “Um. Hi.”": the narrator acts and speaks, as a named
    # character's beat does in fan fiction told in the past.
    story = [
        "Grover and I stood under the oak.",
        "“It's just a tree,” I said.",
        "“It is not just a tree,” Grover said.",
        "I cleared my throat. “Um. Hi. Ma'am?”",
        "“Thanks, G-man.” I grinned at him.",
        "I was tired. “Fine.”",
        "I never answered. “Fine.”",
    ]
    names = ["Percy Jackson", "Grover Underwood"]
    fic = Metadata(characters=names, fandoms=["Percy Jackson and the Olympians"])
    tags = {t.paragraph: t.tags[0] for t in analyse(story, find_dialogue(story), fic).turns}
    for paragraph in (3, 4):
        assert tags[paragraph] is not None and tags[paragraph].gender == "I", paragraph
    assert tags[5] is None  # a state, not an action
    # What the narrator hears or notices is the other's to say.
    for heard in (
        "I heard a voice behind me. “Hey, you.”",
        "I noticed that Grover was trying not to laugh. “Oh, come on.”",
    ):
        told = [*story[:3], heard]
        tag = analyse(told, find_dialogue(told), fic).turns[-1].tags[0]
        assert tag is None or tag.gender != "I", heard
    # ...but what the narrator feels or watches goes with the narrator's own words.
    for own in ("I felt my face go hot. “Shut up.”", "I watched him go. “Bye, G-man.”"):
        told = [*story[:3], own]
        tag = analyse(told, find_dialogue(told), fic).turns[-1].tags[0]
        assert tag is not None and tag.gender == "I", own
    # A narration paragraph ending on the narrator's beat leads into the next speech
    # as a named character's does: likely theirs, no tag.
    led = [*story[:3], "I set the kettle down and turned to the window.", "“Tea?”"]
    pov = Metadata(characters=names, fandoms=["PJO"], tags=["Percy Jackson POV"])
    ctx = analyse(led, find_dialogue(led), pov)
    lead = ctx.turns[-1].lead
    assert ctx.narrator == 0 and lead is not None and lead.who == 0 and not lead.explicit
    # In a novel, with no fandom, the narrator's act before speech is no tag.
    novel = Metadata(characters=names)
    tags = {t.paragraph: t.tags[0] for t in analyse(story, find_dialogue(story), novel).turns}
    assert tags[3] is None


def test_noticing_is_no_beat_of_the_narrator() -> None:
    cast = build_cast(["Shadowheart was there."], ["Shadowheart"])
    text = "You notice that she is trying very hard not to look interested. “And?”"
    found = read_turn(cast, 0, text, find_dialogue([text])[0], beats=True).tags[0]
    assert found is None or found.gender != "Y"
    text = "You lean in. “And?”"
    found = read_turn(cast, 0, text, find_dialogue([text])[0], beats=True).tags[0]
    assert found is not None and found.gender == "Y"


def test_tags_that_name_the_narrator_without_pov_say_who_i_is() -> None:
    cast = build_cast(["Arthur cast the line. Jack watched."], ["Arthur Morgan", "Jack Marston"])
    arthur = cast.by_alias["Arthur Morgan"]
    for tag in (
        "First Person Arthur Morgan",
        "Arthur Narrates",
        "Arthur Morgan's Narration",
        "Narrated by Arthur",
    ):
        assert header_point_of_view(cast, ["Fishing", tag]) == arthur, tag
    for tag in ("First Person", "First Person Present Tense", "Dutch Narrates"):
        assert header_point_of_view(cast, [tag]) is None, tag
    story = ["Jack sat on the dock beside me.", "“Is it a big one?”", "“Biggest I ever saw.”"]
    meta = Metadata(
        characters=["Arthur Morgan", "Jack Marston"],
        fandoms=["Red Dead Redemption"],
        tags=["First Person Arthur Morgan"],
    )
    assert [a.speaker for a in attribute(story, meta=meta)][-1] == "Arthur Morgan"


# A first-person fic: Jonathan speaks last before a scene break, then the narrator and
# Rick talk untagged.
STACKS = Metadata(
    title="Stacks",
    fandoms=["The Mummy"],
    characters=["Evelyn Carnahan", "Rick O'Connell", "Jonathan Carnahan"],
    tags=["First Person Evelyn Carnahan"],
)
BEFORE_THE_BREAK = [
    "Jonathan came in with the post. “Bills, old girl,” said Jonathan.",
    "“Leave them on the desk,” I said.",
    "“Righto,” said Jonathan, and went out again.",
    "*",
]


def _untagged_after_the_break(story: list[str]) -> list[str | None]:
    found = {a.paragraph: a.speaker for a in attribute(story, meta=STACKS)}
    return [found[p] for p in range(5, len(story))]


def test_a_fics_me_in_the_narration_puts_its_narrator_in_the_exchange() -> None:
    # After a scene break, "Rick took the lamp from me" names the two who then talk
    # untagged: the narrator and Rick, not Jonathan, who spoke last before the break.
    story = [
        *BEFORE_THE_BREAK,
        "Rick took the lamp from me and set it on the shelf, very carefully.",
        "“You okay?”",
        "“I'm fine.”",
        "“You're shaking.”",
        "“I'm furious.”",
        "“Want me to go after him?”",
        "“And do what?”",
    ]
    assert _untagged_after_the_break(story) == ["Rick O'Connell", "Evelyn Carnahan"] * 3


def test_a_fics_i_in_the_narration_puts_its_narrator_in_the_exchange_too() -> None:
    story = [
        *BEFORE_THE_BREAK,
        "Rick set the lamp on the shelf, and I watched him do it.",
        "“You okay?”",
        "“Fine.”",
        "“You're shaking.”",
        "“I'm furious.”",
    ]
    assert _untagged_after_the_break(story) == ["Rick O'Connell", "Evelyn Carnahan"] * 2
