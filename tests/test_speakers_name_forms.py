"""Short forms and spellings of a header's names that are the same character: the
pet forms fans use (Al, Ben), and a name written with or without its accents."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.header import tag_genders
from tuific.speakers.names import name_words


def test_common_short_forms_find_their_header_character() -> None:
    # "Al" is Alphonse Elric and "Ben" Benedict Bridgerton, as fans write them: not
    # newcomers of their own.
    story = [
        "Al and Ed waited in the corridor. Ben sat by the window with Roy.",
        "“Brother,” said Al, “maybe we should knock.”",
        "“Maybe,” said Ben.",
    ]
    names = ["Edward Elric", "Alphonse Elric", "Benedict Bridgerton", "Roy Mustang"]
    meta = Metadata(characters=names, fandoms=["Fullmetal Alchemist"])
    ctx = analyse(story, find_dialogue(story), meta)
    cast = [c.name for c in ctx.cast.characters]
    assert cast[ctx.cast.by_alias["Al"]] == "Alphonse Elric"
    assert cast[ctx.cast.by_alias["Ben"]] == "Benedict Bridgerton"
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found == {1: "Alphonse Elric", 2: "Benedict Bridgerton"}


def test_a_header_name_with_accents_is_the_prose_name_without_them() -> None:
    # AO3 writes "Fíli" and "Zoë"; the prose writes Fili, and Zoe.
    story = [
        "Fili and Kili sat by the fire with Zoe.",
        "“Another song,” said Fili.",
        "“No more songs,” said Zoe.",
        "“One more,” said Kili.",
    ]
    names = ["Fíli (Tolkien)", "Kíli (Tolkien)", "Zoë Washburne"]
    meta = Metadata(characters=names, fandoms=["The Hobbit - J. R. R. Tolkien"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found == {1: "Fíli", 2: "Zoë Washburne", 3: "Kíli"}
    # ...and beyond Latin-1: "Bokuto Kōtarō" is the prose's Kotaro.
    assert name_words("Bokuto Kōtarō") == ["bokuto", "kotaro"]
    assert name_words("Łukasz") == ["łukasz"]


def test_a_name_of_capitals_and_dots_is_the_prose_s_name_without_them() -> None:
    # AO3 writes "F.R.I.D.A.Y."; the prose, FRIDAY.
    story = [
        "Peter and Tony were in the lab.",
        "“Boss,” FRIDAY said, “there's a call for Mr. Parker.”",
        "“Put it through,” said Tony.",
        "“Putting it through, boss,” said FRIDAY.",
    ]
    meta = Metadata(characters=["Peter Parker", "Tony Stark", "F.R.I.D.A.Y. (Marvel)"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found == {1: "F.R.I.D.A.Y.", 2: "Tony Stark", 3: "F.R.I.D.A.Y."}
    from tuific.speakers.header import header_names

    assert header_names([".Harry.", "Robert Downey Jr.", "J.A.R.V.I.S.", "Mr. T."], []) == [
        "Harry",
        "Robert Downey Jr",
        "J.A.R.V.I.S.",
        "Mr. T",
    ]


def test_a_kin_title_before_a_first_name_is_the_header_s_character() -> None:
    # "Grunkle Stan" (a great-uncle), "Grandpa Joe", "Auntie Ruth": the title of a
    # relative before a pet form is the header's Stanley, not a newcomer "Grunkle".
    story = [
        "Grunkle Stan leaned on the counter. Dipper was sorting the snow globes.",
        "“No refunds,” said Grunkle Stan.",
        "“You didn't even hear what he wanted,” said Dipper.",
        "“Don't need to,” said Grunkle Stan.",
        "Auntie Ruth waved from the door. “Lunch!” called Auntie Ruth.",
    ]
    names = ["Stanley Pines", "Dipper Pines", "Ruth Gale"]
    found = [a.speaker for a in attribute(story, meta=Metadata(characters=names))]
    assert found == ["Stanley Pines", "Dipper Pines", "Stanley Pines", "Ruth Gale"]
    cast = build_cast(["Stan, Ruth and Dipper."], ["Stanley Pines", "Ruth Gale"])
    for name, who in (("Grandpa Stan", 0), ("Grandad Stan", 0), ("Granny Ruth", 1)):
        assert cast.add(name) == who, name
    for name in ("Grandma Ruth", "Nana Ruth", "Aunty Ruth"):
        assert cast.add(name) == 1, name
    # ...but before a surname an elder of the family, not the header's Stanley.
    assert cast.add("Grandpa Pines") not in (0, 1)


def test_a_fandoms_nicknames_find_their_header_character() -> None:
    # Fics call Peregrin Took "Pippin" and Sirius Black "Padfoot": the header's
    # characters, not newcomers of their own.
    story = [
        "Pippin and Padfoot sat on the wall.",
        "“Second breakfast,” said Pippin.",
        "“Third,” said Padfoot.",
    ]
    names = ["Peregrin Took", "Sirius Black"]
    found = [a.speaker for a in attribute(story, meta=Metadata(characters=names))]
    assert found == ["Peregrin Took", "Sirius Black"]
    names = [
        "Meriadoc Brandybuck",
        "Remus Lupin",
        "James Potter",
        "Peter Pettigrew",
        "Yuri Plisetsky",
    ]
    cast = build_cast(["They all came."], names)
    for i, nick in enumerate(("Merry", "Moony", "Prongs", "Wormtail", "Yurio")):
        assert cast.add(nick) == i, nick
    # Where two of the header share the first name, the nickname is neither's.
    cast = build_cast(["They came."], ["Yuri Katsuki", "Yuri Plisetsky"])
    assert cast.add("Yurio") not in (0, 1)


def test_mr_and_master_before_two_of_his_names_are_one_man() -> None:
    # A servant's "Master Took" and a friend's "Mr. Pippin" are one hobbit; "Mrs." and
    # "Miss" still make two women of one name.
    cast = build_cast(
        ["“Master Took,” said the cook. Master Took bowed.", "Mr. Pippin sat down."],
        ["Peregrin Took"],
    )
    assert cast.by_alias["Mr. Pippin"] == cast.by_alias["Master Took"] == 0
    cast = build_cast(["Mrs. Bates came in. Miss Bates followed her."], [])
    assert cast.by_alias["Mrs. Bates"] != cast.by_alias["Miss Bates"]
    # ...and two names the text learnt are a father and his son.
    story = [
        "Mr. Squeers sat at the head of the table. Master Squeers sat beside his father.",
        "“Eat up,” said Mr. Squeers.",
        "“Shan't,” said Master Squeers.",
    ]
    assert [a.speaker for a in attribute(story)] == ["Mr. Squeers", "Master Squeers"]


def test_a_header_first_name_that_is_a_day_or_a_month_is_still_her_name() -> None:
    # Wednesday Addams is "Wednesday" all through her story: without it, every
    # "Wednesday said" went to whoever else was in the room.
    story = [
        "Enid held the letter up to the light. Wednesday did not look up from her typewriter.",
        "“It came on Monday,” said Enid. “You have to open it some time.”",
        "“I don't,” Wednesday said.",
        "“It smells like your mother.”",
        "“Then it can wait until Tuesday,” said Wednesday.",
    ]
    meta = Metadata(characters=["Wednesday Addams", "Enid Sinclair"], fandoms=["Wednesday"])
    ctx = analyse(story, find_dialogue(story), meta)
    wednesday = ctx.cast.by_alias.get("Wednesday")
    assert wednesday is not None and ctx.cast.characters[wednesday].name == "Wednesday Addams"
    # (Both of her lines are tagged with her name, not left to the turn-taking.)
    tagged = [ctx.anchors[t] for t, turn in enumerate(ctx.turns) if turn.paragraph in (2, 4)]
    assert tagged == [wednesday, wednesday]
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found[2:] == ["Wednesday Addams", "Enid Sinclair", "Wednesday Addams"]


def test_a_header_tag_of_someones_kin_is_not_named_by_its_owners_name() -> None:
    # AO3's "Hino Rei's Grandfather": "Rei" is Rei, and he is "Rei's grandfather".
    story = [
        "Rei and Usagi knelt at the low table with the maths books between them.",
        "‘Question four,’ said Rei.",
        "‘I hate question four,’ said Usagi.",
        "Rei’s grandfather put his head round the door. ‘Tea, girls?’",
        "‘Go away, Grandpa,’ said Rei.",
    ]
    names = ["Tsukino Usagi", "Hino Rei", "Hino Rei's Grandfather"]
    meta = Metadata(characters=names, fandoms=["Sailor Moon"])
    cast = build_cast(story, names)
    assert cast.characters[cast.by_alias["Rei"]].name == "Hino Rei"
    grandfather = cast.by_alias["Rei’s grandfather"]
    assert cast.characters[grandfather].name == "Hino Rei's Grandfather"
    assert cast.characters[grandfather].gender == "M"
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found == ["Hino Rei", "Tsukino Usagi", "Hino Rei's Grandfather", "Hino Rei"]
    # Her other names after "|" are hers too; a kin tag of a thousand characters is
    # no one's (its forms would be names past any tag's length).
    names = ["Midoriya Izuku", "Izuku's Mother | Midoriya Inko", "X" * 1000 + "'s Dad"]
    cast = build_cast(["Inko waved from the door."], names)
    mother = cast.by_alias["Inko"]
    assert cast.characters[mother].name == "Izuku's Mother"
    assert cast.by_alias["Izuku's mother"] == mother
    assert not any(len(alias) > 100 for alias in cast.by_alias)


def test_august_is_a_header_name_as_june_is() -> None:
    cast = build_cast(["August came in."], ["August Walker", "June Osborne"])
    assert cast.characters[cast.by_alias["August"]].name == "August Walker"
    assert cast.characters[cast.by_alias["June"]].name == "June Osborne"


def test_pip_is_pippa_and_a_tag_says_whose_pov() -> None:
    # A first-person story of a header's Pippa, whose friends call her Pip: "Pip POV"
    # in the tags says who "I" is, and her "I said" lines are hers, not a nameless
    # narrator's.
    story = [
        "The kettle clicked off as I came in.",
        "“You’re late, Pip,” said Cara.",
        "“I know,” I said. “The bus was late.”",
        "“It always is,” said Cara.",
        "“Not always,” I said.",
        "“Always, Pip.”",
        "“Fine,” I said.",
    ]
    meta = Metadata(
        characters=["Pippa Fitz-Amobi", "Cara Ward"],
        fandoms=["A Good Girl's Guide to Murder"],
        tags=["First Person", "Pip POV"],
    )
    cast = build_cast(story, meta.characters)
    assert cast.characters[cast.by_alias["Pip"]].name == "Pippa Fitz-Amobi"
    assert cast.only_fit("Pip") == cast.by_alias["Pippa"]
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found[1:3] == ["Pippa Fitz-Amobi", "Pippa Fitz-Amobi"]
    assert found[-1] == "Pippa Fitz-Amobi"


def test_a_tag_that_says_what_one_calls_another_names_them() -> None:
    # "Ravi Calls Pip Sarge": the prose's "Sarge" is Pip, not a newcomer; a tag whose
    # caller is no one of the cast ("Everyone Calls Pip Sarge"), or whose nickname is
    # no name ("Ravi Calls Pip Out", "… At Midnight"), gives none.
    story = ["Sarge sat down. Ravi grinned at her.", "“Morning, Sarge,” said Ravi."]
    names = ["Pippa Fitz-Amobi", "Ravi Singh"]
    cast = build_cast(story, names, tags=["Fluff", "Ravi Calls Pip Sarge"])
    assert cast.characters[cast.by_alias["Sarge"]].name == "Pippa Fitz-Amobi"
    for tag in ("Everyone Calls Pip Sarge", "Ravi Calls Pip At Midnight", "Phone Calls"):
        cast = build_cast(story, names, tags=[tag])
        assert cast.characters[cast.by_alias["Sarge"]].name == "Sarge"
    cast = build_cast(["Out of breath, Ravi sat."], names, tags=["Ravi Calls Pip Out"])
    assert "Out" not in cast.by_alias


def test_a_tag_that_opens_with_kin_and_a_name_gives_the_kin_word_as_a_name() -> None:
    # "Uncle Iroh Is a Good Uncle": the prose's "Uncle" is Iroh; "Uncle Someone" whom
    # the cast does not know gives nothing.
    story = ["Uncle was humming behind the counter. Zuko scowled.", "“Uncle,” said Zuko."]
    names = ["Zuko (Avatar)", "Iroh (Avatar)"]
    cast = build_cast(story, names, tags=["Tea", "Uncle Iroh Is a Good Uncle"])
    assert cast.characters[cast.by_alias["Uncle"]].name == "Iroh (Avatar)"
    cast = build_cast(story, names, tags=["Uncle Bumi Is Weird"])
    uncle = cast.by_alias.get("Uncle")
    assert uncle is None or cast.characters[uncle].name == "Uncle"
    # A header's own Uncle stays himself: "Uncle Arthur" is what Jack calls Arthur.
    # Two tags that give the word to two people give it to neither.
    names = ["Harry Potter", "Sirius Black", "Remus Lupin"]
    cast = build_cast(["Uncle came."], names, tags=["Uncle Sirius", "Uncle Remus"])
    uncle = cast.by_alias.get("Uncle")
    assert uncle is None or cast.characters[uncle].name == "Uncle"
    for uncle in ("Uncle", "Uncle (Red Dead Redemption)"):
        story = ["Uncle snored. Arthur sighed."]
        cast = build_cast(story, ["Arthur Morgan", uncle], tags=["Uncle Arthur"])
        assert cast.characters[cast.by_alias["Uncle"]].name == uncle


def test_a_tag_that_says_he_or_she_of_a_character_gives_their_gender() -> None:
    # "Dusa Is Trying Her Best": Dusa, whose name no pronoun follows in the text, is a
    # woman, and "He" after her speech is not hers. A tag's "his", "her" or "he" of
    # someone else gives nothing; nor do tags that disagree.
    names = ["Zagreus (Hades)", "Dusa (Hades)", "Harry Potter", "Ron Weasley"]
    cast = build_cast(["Dusa dusted. Zagreus sat.", "Harry and Ron came."], names)
    tags = [
        "Dusa Is Trying Her Best",
        "Harry Loves Her",
        "Ron Gives Harry His Own Jumper",
        "Harry Is Not Her Boyfriend",
        "Ron Is Her Brother",
        "Zagreus Thinks She Is Cute",
        "Zagreus Steals Her Scarf",
    ]
    genders = {cast.characters[who].name: g for who, g in tag_genders(cast, tags).items()}
    assert genders == {"Dusa (Hades)": "F"}
    ron = ["Ron Knows More Than He Lets On"]
    assert tag_genders(cast, ron) == {cast.by_alias["Ron"]: "M"}
    assert tag_genders(cast, ["Dusa Is Trying Her Best", "Dusa Does His Best"]) == {}
    story = [
        "Zagreus sat down. Dusa came zipping out of the rafters.",
        "“Prince Zagreus! You’re back!”",
        "“I’m fine, Dusa.”",
        "“Are you sure?”",
        "“I’m sure.” He propped his chin on his hand.",
    ]
    meta = Metadata(characters=names[:2], fandoms=["Hades"], tags=tags[:1])
    ctx = analyse(story, find_dialogue(story), meta)
    assert ctx.genders[ctx.cast.by_alias["Dusa"]] == "F"
    assert [a.speaker for a in attribute(story, meta=meta)][-1] == "Zagreus"


def test_capn_is_a_title_called_not_a_character() -> None:
    # "“Cap’n.”" answers a captain; the cast had learnt "Cap’n" as someone of its own,
    # who then took the captain's lines.
    story = [
        "Gibbs sat by the mainmast. Captain Jack Sparrow stood over him.",
        "“Cap’n.”",
        "“What’s our heading?”",
        "“Same as yesterday, Cap’n.”",
        "“Cap'n,” said Gibbs.",
        "“That’s no heading.”",
    ]
    meta = Metadata(characters=["Jack Sparrow", "Joshamee Gibbs"])
    ctx = analyse(story, find_dialogue(story), meta)
    assert not [c.name for c in ctx.cast.characters if "Cap" in c.name]


def test_words_of_address_are_no_ones_name() -> None:
    # "Sempai" for Meryl, "Dude" for Papyrus: what one calls another, no character of
    # its own to take the lines of whoever is so called.
    story = [
        "Milly leaned on the pump. Meryl was writing in her notebook.",
        "“Sempai, it's broken.”",
        "“I can see that, Milly.”",
        "“Sempai, are we going home?”",
        "Undyne came in. “Dude, you're apologizing to noodles.”",
        "“Babe, it's fine,” said Alphys.",
    ]
    meta = Metadata(characters=["Meryl Stryfe", "Milly Thompson", "Undyne", "Alphys"])
    ctx = analyse(story, find_dialogue(story), meta)
    names = {c.name for c in ctx.cast.characters}
    assert not names & {"Sempai", "Dude", "Babe"}, names
