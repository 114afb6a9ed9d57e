"""Speeches that name their own speaker: a self-introduction ("I'm Bram", "Lacey.
Harriet Lacey."), and who says it is on the telephone or radio ("This is Dustin.
Over.") (scenes written for these tests)."""

from __future__ import annotations

import pytest
from speakerhelpers import first_tag

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.self_named import introduced_names, self_named


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


def test_a_name_alone_answering_what_is_your_name_names_its_speaker() -> None:
    dugout = [
        "Captain Hale sat at the table. Corporal Pym stood by the stove, and Jory "
        "waited at the steps.",
        "“Message for the Captain, sir!”",
        "Hale looked up at him. “What’s your name, boy?”",
        "“Jory, sir.”",  # 3: the answer is its speaker
        "Pym turned from the stove. “And who are you, then?”",
        "“Hale.”",  # 5: the answer to "who are you"
        "“What’s your name?”",
        "Hale said nothing. Then: “Pym.”",  # 7: asked, but not opening its paragraph
        "“Who’s that?”",
        "“Jory.”",  # 9: someone else's name: "who's that" asks of a third
        "“Who are you looking at?”",
        "“Pym.”",  # 11: nor "who are you" and more
    ]
    ctx = analyse(dugout, find_dialogue(dugout), None)
    names = [c.name for c in ctx.cast.characters]
    tags = {turn.paragraph: turn.tags[0] for turn in ctx.turns}
    for p, name in ((3, "Jory"), (5, "Captain Hale")):
        tag = tags[p]
        assert tag is not None and tag.explicit and names[tag.who] == name, p
    for p in (7, 9, 11):
        assert tags[p] is None or not tags[p].explicit, p
    # A name that says more is no answer: "Jory's over there." names nobody.
    cast = build_cast(["Jory came. Jory sat. Mrs. Pym rang."], [])
    text = "“Jory’s over there.”"
    assert self_named(cast, text, 0, len(text), previous="“What’s your name?”") is None


def test_who_is_this_on_the_telephone_is_answered_by_the_caller() -> None:
    cast = build_cast(["Jory came. Jory sat. Mrs. Pym rang. Hal waved."], [])
    text = "“This is Mrs. Pym, darling. Jory’s mother.”"
    tag = self_named(cast, text, 0, len(text), previous="Her phone buzzed. “Hello? Who’s this?”")
    assert tag is not None and tag.who == cast.lookup("Mrs. Pym")
    for asked in ("“Who is speaking?”", "The radio hissed. “Who’s calling?”"):
        tag = self_named(cast, "“Hal.”", 0, 6, previous=asked + " She held the phone.")
        assert tag is None, asked  # (the question must end the paragraph)
        tag = self_named(cast, "“Hal.”", 0, 6, previous="She held the phone. " + asked)
        assert tag is not None and tag.who == cast.lookup("Hal"), asked
    # Of a photograph, "This is" and "It's" introduce someone else.
    for answer in ("“It’s Hal, isn’t it?”", "“This is Hal, Mum.”"):
        tag = self_named(cast, answer, 0, len(answer), previous="“Who’s this?”")
        assert tag is None, answer


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
    # In fan fiction too, where "She sat" after it is a pronoun tag, and Mrs. Hudson,
    # who showed her up, is the last woman named.
    story[0] = "Holmes was at the window. Mrs. Hudson showed up a young woman."
    fic = Metadata(characters=meta.characters, fandoms=["Sherlock Holmes - Arthur Conan Doyle"])
    ctx = analyse(story, find_dialogue(story), fic)
    tag = ctx.turns[1].tags[0]
    assert tag is not None and tag.explicit
    assert ctx.cast.characters[tag.who].name == "Miss Lacey"
    # The same name twice is no introduction, nor a name and a different one.
    from tuific.speakers.self_named import self_named

    cast = analyse(story, find_dialogue(story), meta).cast
    text = "“Lacey. Harriet Lacey.”"
    tag = self_named(cast, text, 0, len(text))
    assert tag is not None and tag.explicit and cast.characters[tag.who].name == "Miss Lacey"
    for text in ("“Lacey. Lacey.”", "“Lacey. Harriet Vane.”"):
        assert self_named(cast, text, 0, len(text)) is None, text
    # A polite word after the first: "Lacey, sir. Harriet Lacey." (and the cast learns
    # the full name from it as from "Lacey. Harriet Lacey.").
    text = "“Lacey, sir. Harriet Lacey.”"
    tag = self_named(cast, text, 0, len(text))
    assert tag is not None and cast.characters[tag.who].name == "Miss Lacey"
    from tuific.speakers.self_named import named_twice

    assert named_twice([text, "“Penhallow. Arthur Penhallow.”"]) == [
        ("Lacey", "Harriet Lacey"),
        ("Penhallow", "Arthur Penhallow"),
    ]


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


def test_a_speech_on_the_telephone_or_radio_that_says_who_speaks_is_tagged() -> None:
    cast = build_cast(
        ["Mike came.", "Dustin came.", "Jock came."], ["Mike Wheeler", "Dustin Henderson", "Jock"]
    )
    for story, name in (
        ("“This is Jock speaking. I've just seen Brenda.”", "Jock"),
        ("“Mike. Mike, do you copy? This is Dustin. Over.”", "Dustin"),
        ("“Dustin here. Over.”", "Dustin"),
        # A call's opening: a name called or a greeting, then "it's" the caller.
        ("“Mike, it's Dustin. You up?”", "Dustin"),
        ("“Hi! It’s Dustin.”", "Dustin"),
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
        # "It's Dustin" alone may say who is at the door; "it's Dustin's" is his thing.
        "“It's Dustin. Let him in.”",
        "“Mike, it's Dustin's. Give it back.”",
        "“Mike, it's over. Dustin won.”",
        # ...nor after an exclamation, or where the next sentence tells of the one named.
        "“Oh, it's Dustin!”",
        "“Why, it's Dustin!”",
        "“Mike, it's Dustin! He's hurt.”",
    ):
        tag = first_tag(cast, story)
        assert tag is None, story


def test_a_hail_on_a_comm_badge_names_its_speaker() -> None:
    # "Sisko to Odo." after a comm badge chirps opens a call: Sisko speaks, wherever he
    # is; Odo answers.
    story = [
        "Odo and Quark stood over the crate. Sisko was in Ops, far above.",
        "“Open it,” said Odo.",
        "His comm badge chirped.",
        "“Sisko to Odo.”",
        "“Odo here.”",
        "“Constable, I need you in Ops.”",
    ]
    names = ["Benjamin Sisko", "Odo", "Quark"]
    found = [a.speaker for a in attribute(story, meta=Metadata(characters=names))]
    assert found[1:3] == ["Benjamin Sisko", "Odo"]
    cast = build_cast(["Odo and Quark and Sisko."], names)
    hail = "“Sisko to Odo.”"
    assert self_named(cast, hail, 0, len(hail)) is None  # no device: an order, a move
    tag = self_named(cast, hail, 0, len(hail), previous="His comm badge chirped.")
    assert tag is not None and tag.who == cast.by_alias["Sisko"]
    # ...the device in the paragraph itself will do; never a hail inside a sentence,
    # one that runs on with a comma, nor "to the rescue".
    text = "He tapped his comm badge. “Sisko to Odo.”"
    assert self_named(cast, text, text.index("“"), len(text)) is not None
    for text in (
        "“Well. Quark to Odo.”",
        "“Quark to Odo, Odo back to Quark, and the crate stays shut.”",
        "“Odo to the rescue!”",
    ):
        assert self_named(cast, text, 0, len(text), previous="The comm chirped.") is None, text
    # A commentator's "Johnson to Bell" is his own, not Johnson's.
    match = [
        "Lee Jordan sat beside Professor McGonagall in the commentator's box.",
        "“Johnson to Bell, Bell back to Johnson — and she SCORES!”",
        "“Jordan,” said Professor McGonagall.",
    ]
    names = ["Lee Jordan", "Minerva McGonagall", "Angelina Johnson", "Katie Bell"]
    found = [a.speaker for a in attribute(match, meta=Metadata(characters=names))]
    assert found[0] == "Lee Jordan"


def test_answering_for_a_business_names_who_answers() -> None:
    # "Spirits and Such, Reigen speaking, how may I help you?": Reigen, on the phone.
    cast = build_cast(["Reigen and Mob."], ["Reigen Arataka", "Kageyama Shigeo | Mob"])
    text = "“Spirits and Such Consultation Office, Reigen speaking, how may I help you?”"
    tag = self_named(cast, text, 0, len(text))
    assert tag is not None and cast.characters[tag.who].name == "Reigen Arataka"
    # ...not someone spoken of after a sentence, nor "Mob here, it seems".
    for text in (
        "“I called. Later, Reigen speaking, he said no.”",
        "“Mob here, it seems, thinks so.”",
    ):
        assert self_named(cast, text, 0, len(text)) is None


def test_a_stranger_who_gives_a_full_name_in_speech_joins_the_cast() -> None:
    # Named nowhere in the narration: "I'm Amos Tull" is his tag, not Jack's, though
    # it calls Jack by name. (Not "Then I am Jane Eyre" mid-sentence, nor "I'm Not
    # Sure".)
    story = [
        "Jack sat on the dock. An old man came along the shore, leaning on a stick.",
        "“Now that,” he said, “is a fish. What's your name, young feller?”",
        "“Jack.”",
        "“Well, Jack, I'm Amos Tull, and I've fished this lake forty years.”",
    ]
    meta = Metadata(characters=["Arthur Morgan", "Jack Marston"], fandoms=["Red Dead"])
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found[-1] == "Amos Tull"
    texts = ["Then I am Jane Eyre, she thought.", "“I'm Not Sure,” he said.", "HI am Bo Bee"]
    assert introduced_names(texts) == []
    # Nor a post or a title: a word the story writes in lower case too, or a title's.
    texts = ["He shook his head. The boy ran.", "“I'm Head Boy.”", "“I'm Detective Lestrade.”"]
    assert introduced_names(texts) == []
    assert introduced_names(["“Well, Jack — I'm Amos Tull.”"]) == ["Amos Tull"]
    assert introduced_names(["I am Harriet Curry-Pennington of the Society."]) == [
        "Harriet Curry-Pennington"
    ]


def test_a_nameless_speaker_who_gives_a_name_is_shown_by_it_in_every_line() -> None:
    story = [
        "Peter crouched by the hedge with the saucer of liver.",
        "“Evening, sir,” said the fox.",
        "“Evening,” said Peter. “Who are you, then?”",
        "“Can't say, sir,” said the fox. “But for future reference, you may call me Bramble.”",
    ]
    fic = Metadata(characters=["Peter Grant"], fandoms=["Rivers of London"])
    found = attribute(story, meta=fic)
    fox, peter = "Bramble", "Peter Grant"
    assert [a.speaker for a in found] == [fox, peter, peter, fox, fox]
    # A novel's roles keep their names.
    assert "Bramble" not in found_names(story, Metadata(characters=["Peter Grant"]))


@pytest.mark.parametrize(
    "line",
    [
        "“Call me Grumpy,” said the fox, and it was grumpy.",  # a word written in lower case
        "“Call me Major,” said the fox.",  # a title
        "“Call me Ranger,” said the fox.",  # a role
        "“His name's Toby,” said the fox.",  # someone else's name
        "“Your name's Peter, isn't it?” said the fox.",  # the header's Peter Grant
        "“I'm Peter Grant's friend, sir,” said the fox.",  # a possessive
        "“I'm Irish, sir,” said the fox.",  # "I'm" and one word no one is named by
        "“Don't call me Foxy,” said the fox.",
        "“The old lady said, ‘Call me Molly,’ and shut the door,” said the fox.",
    ],
)
def test_what_a_nameless_speaker_says_is_not_always_its_name(line: str) -> None:
    story = ["Peter crouched by the hedge.", "“Evening, sir,” said the fox.", line]
    fic = Metadata(characters=["Peter Grant"], fandoms=["Rivers of London"])
    names = found_names(story, fic)
    assert "The Fox" in names and names <= {"The Fox", "Peter Grant"}


def found_names(story: list[str], meta: Metadata) -> set[str | None]:
    return {a.speaker for a in attribute(story, meta=meta)}


def test_a_name_then_the_full_name_that_holds_it_is_the_speakers_full_name() -> None:
    # "Crane. Hollis Crane.": the man the narration calls Mr. Crane is Hollis Crane,
    # every line of his; a header's "Mr. Okonkwo" keeps the header's name, and his
    # "Okonkwo. Emmanuel Okonkwo." is his.
    story = [
        "Evelyn was shelving atlases when Mr. Crane came in with his hat on.",
        "“I'm looking for a map,” said Mr. Crane.",
        "“And you are?”",
        "“Crane. Hollis Crane.”",
        "“Well, Mr. Crane, we are closed,” said Evelyn.",
    ]
    meta = Metadata(title="Stacks", fandoms=["The Mummy"], characters=["Evelyn Carnahan"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[1] == found[3] == "Hollis Crane"
    assert found[4] == "Evelyn Carnahan"
    header = Metadata(
        title="Stacks", fandoms=["The Mummy"], characters=["Evelyn Carnahan", "Mr. Crane"]
    )
    found = {a.paragraph: a.speaker for a in attribute(story, meta=header)}
    assert found[1] == found[3] == "Mr. Crane"
