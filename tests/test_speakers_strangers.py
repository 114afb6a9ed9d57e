"""Strangers in fan fiction: people the header does not list, whom the story brings
in as "an old man" or "a woman at the next table", tags as "the old man asked", and
may name later; a role that is a named character's title ("Sheriff Lorraine Dahl",
"the sheriff"); a character the header's tags say does not speak aloud; and a voice
the story writes in capitals."""

from __future__ import annotations

from speakerhelpers import speakers_by_paragraph

from tuific.model import Metadata
from tuific.speakers import paragraph as paragraph_module
from tuific.speakers.newcomers import introductions

FISHING = Metadata(
    title="Perch",
    fandoms=["Red Dead Redemption"],
    characters=["Arthur Morgan", "Jack Marston"],
)
LAKE = [
    "Jack sat on the jetty with the rod across his knees. Arthur sat beside him.",
    "There was an old man on the far bank, with a pipe and a crate to sit on.",
    "“You're holding it too tight, son,” the old man called across.",
    "“Am I?” Jack called back.",
    "“That your boy?” the old man asked.",
    "“No, sir,” said Arthur.",
    "“Could have fooled me.”",
    "Jack caught a perch no longer than his hand. The old man came along the shore.",
    "“Now that,” he said, “is a fish worth telling about.”",
    "“Thank you, sir,” said Jack.",
    "“Well, Jack, I'm Amos Tull, and I never caught one that pretty on my first go.”",
    "“We should be getting back,” said Arthur.",
]


def test_a_stranger_the_narration_brings_in_is_no_one_of_the_header() -> None:
    # "an old man", then "the old man asked": his own speaker, not the boy last named,
    # and once he says who he is, every line of his is by that name.
    found = speakers_by_paragraph(LAKE, FISHING)
    assert found[2] == found[4] == "Amos Tull"
    assert found[3] == "Jack Marston"
    assert found[5] == "Arthur Morgan"
    assert found[10] == "Amos Tull"
    # Without the name given, he is "the old man" throughout.
    unnamed = [*LAKE[:10], "“Good day to you,” said the old man."]
    found = speakers_by_paragraph(unnamed, FISHING)
    assert found[2] == found[4] == found[10] == "The Old Man"
    # A novel's "the old man replied" is most often someone it has named: only fan
    # fiction (a header with a fandom) makes strangers of descriptions.
    novel = Metadata(title="Perch", characters=FISHING.characters)
    assert "The Old Man" not in speakers_by_paragraph(unnamed, novel).values()


def test_only_a_description_a_tag_uses_after_its_introduction_is_a_stranger() -> None:
    spans = [[] for _ in range(4)]
    texts = [
        "A tall woman in a grey coat stood at the counter. A boy was sweeping up.",
        "“Next,” said the woman.",
        "The boy kept sweeping.",
        "A man in a hat came in.",
    ]
    found = introductions(texts, spans)
    # The tag's "the woman" finds her; the boy and the man never speak.
    assert found == [(0, ["the woman"], "A tall woman")]
    texts[2] = "“Me?” asked the tall woman."
    assert introductions(texts, spans) == [(0, ["the tall woman", "the woman"], "A tall woman")]
    # Said in speech, "a woman" introduces no one.
    texts = ["“There was a woman here,” said Jack.", "“Gone,” said the woman."]
    assert introductions(texts, [[(0, 28)], [(0, 6)]]) == []
    # The tag of the introduction itself: "says a woman at the next table".
    texts = ["“That's taken,” says a woman at the next table.", "“Sorry,” I say."]
    assert introductions(texts, [[(0, 15)], [(0, 8)]]) == [(0, ["the woman"], "a woman")]


def test_a_stranger_introduced_in_a_tag_keeps_their_lines() -> None:
    meta = Metadata(title="Quiz", fandoms=["Shadows"], characters=["Nadja", "Laszlo"])
    story = [
        "Nadja wrote their team name on the card. Laszlo read it over her shoulder.",
        "“That's taken,” says a woman at the next table. She is wearing a fleece vest.",
        "“By whom?” Laszlo asks.",
        "“By us,” says the woman. “Eleven weeks running.”",
        "“Then we shall take it from you,” says Nadja.",
    ]
    found = speakers_by_paragraph(story, meta)
    assert found[1] == found[3] == "The Woman"
    assert found[2] == "Laszlo"
    assert found[4] == "Nadja"


def test_a_role_that_is_a_named_characters_title_is_that_character() -> None:
    # "Sheriff Lorraine Dahl met them": "said the sheriff" is Lorraine Dahl.
    meta = Metadata(title="Bell", fandoms=["The X-Files"], characters=["Fox Mulder", "Dana Scully"])
    story = [
        "Sheriff Lorraine Dahl met them at the church at eight, the key around her neck.",
        "“It's kids,” said the sheriff. “It's always kids.”",
        "“Kids with a key?” Scully asked.",
        "“Well, I'll be damned,” said the sheriff.",
    ]
    found = speakers_by_paragraph(story, meta)
    assert found[1] == found[3] == "Lorraine Dahl"
    # Two sheriffs of that title: the role is neither's.
    two = ["Sheriff Lorraine Dahl and Sheriff Bo Nyman were both there.", *story[1:]]
    assert speakers_by_paragraph(two, meta)[1] == "The Sheriff"


def test_a_character_the_tags_say_does_not_speak_aloud_speaks_only_where_tagged() -> None:
    # "Nonverbal Frisk": untagged speech is someone else's, whoever is named beside
    # it; "“…,” Frisk signs" is Frisk's.
    story = [
        "Papyrus set the colander down. Frisk watched him from the stool.",
        "“It is a signature dish.”",
        "Frisk tilted their head.",
        "“A signature dish is what you are known for.”",
        "“Is it spaghetti again?” Frisk signed.",
        "Frisk looked hopefully at the pot.",
        "“It is always spaghetti.”",
    ]
    for tag in ("Nonverbal Frisk", "Mute Frisk", "Frisk Is Nonverbal", "Frisk Uses Sign Language"):
        meta = Metadata(
            title="Pot", fandoms=["Undertale"], characters=["Papyrus", "Frisk"], tags=[tag]
        )
        found = speakers_by_paragraph(story, meta)
        assert found[1] == found[3] == found[6] == "Papyrus", tag
        assert found[4] == "Frisk", tag
    meta = Metadata(title="Pot", fandoms=["Undertale"], characters=["Papyrus", "Frisk"])
    assert "Frisk" in {s for p, s in speakers_by_paragraph(story, meta).items() if p != 4}


def test_a_voice_written_in_capitals_is_the_speaker_who_speaks_in_them() -> None:
    # Papyrus speaks in capitals, Sans does not: an untagged exchange of the two keeps
    # each to their own, though the narration before it makes Papyrus its subject.
    meta = Metadata(title="Pot", fandoms=["Undertale"], characters=["Papyrus", "Sans"])
    story = [
        "“NYEH HEH HEH! THE SAUCE IS READY!” said Papyrus.",
        "“cool,” said Sans. “smells great.”",
        "“IT IS A SIGNATURE DISH, SANS!” Papyrus said.",
        "“sure is, bro,” Sans said.",
        "“I MADE IT MYSELF!” said Papyrus.",
        "Papyrus stirred the pot with great care, and Sans leaned on the counter beside him.",
        "“what's in it?”",
        "“NOODLES! AND THE FINEST TOMATOES IN THE UNDERGROUND!”",
        "“heh. nice.”",
        "“DO NOT SAY HEH AT MY SAUCE.”",
        "“wouldn't dream of it.”",
        "“GOOD! NOW HAND ME THE SALT!”",
    ]
    found = speakers_by_paragraph(story, meta)
    assert [found[p] for p in range(6, 12)] == ["Sans", "Papyrus"] * 3


def test_a_description_of_someone_known_is_no_stranger() -> None:
    # "Arthur was a quiet man": the man who then asks is Arthur, no newcomer; and a
    # tag before a stranger is brought in is not the stranger's.
    story = [
        "Arthur Morgan was a quiet man, and Dutch was not.",
        "“Coffee?” the man asked.",
        "“We need money,” said Dutch.",
        "*",
        "There was an old man on the far bank.",
        "“Too tight, son,” the old man called.",
    ]
    found = speakers_by_paragraph(story, FISHING)
    assert found[1] != "The Man"
    assert found[5] == "The Old Man"
    story[1] = "“We need money,” the old man said."
    found = speakers_by_paragraph(story, FISHING)
    assert found[1] != "The Old Man" and found[5] == "The Old Man"


def test_a_stranger_takes_no_name_given_after_another_comes_in() -> None:
    story = [
        *LAKE[:8],
        "The old man walked away up the hill.",
        "A young man rode up on a grey horse.",
        "“Howdy. I'm Billy Cole, I run the ferry.”",
    ]
    found = speakers_by_paragraph(story, FISHING)
    assert found[2] == "The Old Man"
    assert found[10] == "Billy Cole"


def test_a_shout_in_capitals_is_no_habit_and_small_letters_of_any_script_count() -> None:
    # Finn shouts three tagged lines; Rey and Poe's untagged talk, one line in
    # capitals, stays theirs.
    meta = Metadata(title="Ridge", fandoms=["Star Wars"], characters=["Finn", "Rey", "Poe Dameron"])
    story = [
        "“EVERYBODY GET DOWN NOW!” Finn yelled.",
        "“I SAID DOWN!” Finn yelled.",
        "“STAY DOWN, ALL OF YOU!” Finn yelled.",
        "*",
        "Rey and Poe walked the ridge alone. Rey spoke first.",
        "“Do you see them?”",
        "“No.”",
        "“THEN WE KEEP WALKING.”",
        "“Fine.”",
    ]
    found = speakers_by_paragraph(story, meta)
    assert "Finn" not in {found[p] for p in range(5, 9)}
    assert paragraph_module._in_capitals("I, THE GREAT PAPYRUS!")
    assert not paragraph_module._in_capitals("Привет, как твои дела?")
    assert paragraph_module._in_capitals("ПРИВЕТ, КАК ТВОИ ДЕЛА?")
    assert not paragraph_module._in_capitals("NO WAY")


def test_words_of_address_are_names_a_header_may_give() -> None:
    meta = Metadata(title="Elf", fandoms=["Elf (2003)"], characters=["Buddy (Elf)", "Jovie (Elf)"])
    story = ["“Hi!” said Buddy.", "“Hello,” said Jovie.", "“I like smiling!” said Buddy."]
    assert speakers_by_paragraph(story, meta) == {0: "Buddy", 1: "Jovie", 2: "Buddy"}


def test_a_full_name_after_a_surname_is_a_relatives_where_the_header_has_a_first_name() -> None:
    # "Potter. James Potter." is no name of the header's Harry Potter.
    meta = Metadata(title="Pensieve", fandoms=["Harry Potter"], characters=["Harry Potter"])
    story = [
        "Harry leaned into the memory.",
        "“Potter. James Potter.”",
        "“Chin up,” James said in the memory.",
    ]
    found = speakers_by_paragraph(story, meta)
    assert found[1] == found[2] == "James Potter"
