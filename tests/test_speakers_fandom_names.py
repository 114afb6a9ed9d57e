"""Names as fan fiction writes them: honorifics after a name (anime, K-drama and
danmei fics: "Yui-chan", "Sato-sensei", "Minho-ssi") name the same character as the
name alone; AO3's character tags give one character's names as "A | B" and tag
groups that are no character ("Minor Characters", "Cameos"); and fandoms clip names
("Cas" for Castiel, "Suga" for Sugawara)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.header import clipped, header_names, header_reader, silent_characters
from tuific.speakers.names import name_words
from tuific.speakers.paragraph import read_turn

SCENE = [
    "Aoki Haruto came into the clubroom late, as always. Mori Yui was already at the "
    "window, and Sato Kenji, their teacher, was marking papers at the desk.",
    "“Yui-chan!” he called. “Did I miss it?”",
    "“You missed all of it, Haruto-kun,” said Yui-chan.",
    "“Late again,” Sato-sensei said without looking up.",
    "“The train was late, sensei. Honestly.”",
    "Yui-chan laughed. “The train is always late when you are on it.”",
    "“That,” said Haruto, “is slander.”",
]
HEADER = Metadata(title="Clubroom", characters=["Aoki Haruto", "Mori Yui", "Sato Kenji"])


def test_a_name_with_an_honorific_is_the_same_character() -> None:
    cast = build_cast(SCENE, ["Aoki Haruto", "Mori Yui", "Sato Kenji"])
    yui = cast.by_alias["Mori Yui"]
    assert cast.add("Yui-chan") == yui
    assert cast.add("Sato-sensei") == cast.by_alias["Sato Kenji"]
    assert cast.add("Haruto-kun") == cast.by_alias["Aoki Haruto"]
    minho = cast.add("Minho-ssi")
    assert minho is not None and minho not in (yui, cast.by_alias["Aoki Haruto"])
    # A given name that ends like a vocative is a name of its own: Jung-ah is no Jung.
    assert name_words("Jung-ah") == ["jung-ah"]


def test_speech_tagged_with_an_honorific_goes_to_the_header_character() -> None:
    found = {a.paragraph: a.speaker for a in attribute(SCENE, meta=HEADER)}
    assert found[2] == "Mori Yui"  # said Yui-chan
    assert found[3] == "Sato Kenji"  # Sato-sensei said
    assert found[5] == "Mori Yui"  # Yui-chan laughed. "…"
    assert found[6] == "Aoki Haruto"
    speakers = {a.speaker for a in attribute(SCENE, meta=HEADER)}
    assert not any("-" in (s or "") for s in speakers)


def test_a_header_name_ending_in_sensei_is_the_proses_sensei() -> None:
    story = [
        "Sensei rolled over on the cushion and yawned.",
        "“Feed me,” said Sensei.",
        "“Later,” said Natsume.",
    ]
    header = ["Natsume Takashi", "Nyanko-sensei"]
    found = attribute(story, meta=Metadata(characters=header, fandoms=["Natsume Yuujinchou"]))
    assert [a.speaker for a in found] == ["Nyanko-sensei", "Natsume Takashi"]
    # Two of the header's names end in it: "Sensei" is neither's.
    cast = build_cast(story, [*header, "Kakashi-sensei"])
    assert "Sensei" not in cast.characters[cast.by_alias["Nyanko-sensei"]].aliases
    assert cast.by_alias.get("Sensei") != cast.by_alias["Kakashi-sensei"]


def test_only_an_honorific_comes_off_a_hyphenated_name() -> None:
    assert name_words("Yui-chan") == ["yui"]
    assert name_words("Kenji-nii-san") == ["kenji"]
    assert name_words("Jean-Luc Picard") == ["jean-luc", "picard"]
    assert name_words("Anne-Marie") == ["anne-marie"]
    assert name_words("Mrs. Smith-Sanders") == ["mrs", "smith-sanders"]


def test_ao3_tag_groups_are_no_characters() -> None:
    names = header_names(
        ["Shen Yao | Shen Qingyu (Made Up)", "Minor Characters", "Other(s)", "Cameos", "OFC"],
        [
            "Shen Yao | Shen Qingyu/Bai Lin | Bai Mingshu",
            "Ida Park's Parents",
            "No Romantic Relationship",
            "No Pairing",
            "no pairing",
            "Senku/Gen",
        ],
    )
    assert names == ["Shen Yao | Shen Qingyu", "Bai Lin | Bai Mingshu", "Senku", "Gen"]


def test_one_characters_two_names_in_a_tag_make_one_character() -> None:
    names = ["Shen Yao | Shen Qingyu", "Bai Lin | Bai Mingshu"]
    story = [
        "Shen Qingyu put down the brush. Bai Mingshu was still at the door.",
        "“You came,” said Shen Yao.",
        "“I said I would,” said Bai Mingshu.",
        "Qingyu smiled.",
    ]
    cast = build_cast(story, names)
    assert [c.name for c in cast.characters] == ["Shen Yao", "Bai Lin"]
    shen = cast.by_alias["Shen Yao"]
    assert cast.by_alias["Shen Qingyu"] == shen and cast.by_alias["Qingyu"] == shen
    assert cast.by_alias["Bai Mingshu"] == cast.by_alias["Bai Lin"] != shen
    meta = Metadata(characters=["Shen Yao | Shen Qingyu (Made Up)", "Bai Lin | Bai Mingshu"])
    found = attribute(story, meta=meta)
    assert [a.speaker for a in found] == ["Shen Yao", "Bai Lin"]


def test_a_name_is_found_before_an_honorific_but_not_inside_a_double_name() -> None:
    cast = build_cast(["Mori Yui waited by the gate with Ida Grant."], ["Mori Yui", "Ida Grant"])
    found = cast.regex.search("“Yui-chan!” he called.")
    assert found is not None and cast.by_alias[found.group()] == cast.by_alias["Mori Yui"]
    assert cast.regex.search("Yui-chanson waved.") is None
    assert cast.regex.search("Mrs. Grant-Menzies waved.") is None
    turn_text = "“Yui-chan, wait!” he called."
    turn = read_turn(cast, 0, turn_text, find_dialogue([turn_text])[0])
    assert turn.vocatives == [cast.by_alias["Mori Yui"]]


def test_a_clipped_name_is_the_header_character_s() -> None:
    assert clipped("Cas", "Castiel") and clipped("Suga", "Sugawara")
    assert clipped("Tsukki", "Tsukishima") and clipped("Kags", "Kageyama")
    assert clipped("Noya", "Nishinoya") and not clipped("Oya", "Nishinoya")  # its end
    # A given name of its own, too short a clip, or no clip at all: two people.
    assert not clipped("Jane", "Janet") and not clipped("Castiel", "Castiel")
    assert not clipped("Ca", "Castiel") and not clipped("Castor", "Castiel")
    assert not clipped("Hartfield", "Harriet")
    assert clipped("Buck", "Bucky") and not clipped("Bath", "Bates")  # all of it, or longer
    # A given name clips only the start of a name three letters longer or more.
    assert clipped("Sam", "Samwise") and clipped("Dan", "Daniel")
    assert not clipped("Ann", "Anne") and not clipped("Anna", "Marianna")  # not its end
    story = [
        "The diner was empty but for the three of them. Wren Halloway read the menu; "
        "Ignatius Brack did not.",
        "“Corv wants the pie,” said Wren.",
        "“Corv always wants the pie,” Ignatius said.",
        "“It is a food group,” said Corv.",
    ]
    meta = Metadata(title="Pie", characters=["Wren Halloway", "Ignatius Brack", "Corvina Pell"])
    cast = build_cast(story, header_names(meta.characters, []))
    assert cast.lookup("Corv") == cast.lookup("Corvina Pell")
    speakers = {a.paragraph: a.speaker for a in attribute(story, find_dialogue(story), meta)}
    assert speakers[3] == "Corvina Pell"
    # ...with an honorific after it, too.
    team = ["“Noya-senpai grabbed me!” said Kenji.", "“I did not,” said Noya-senpai."]
    cast = build_cast(team, ["Nishinoya Yuu", "Kenji Oda"])
    assert cast.lookup("Noya-senpai") == cast.lookup("Nishinoya Yuu")
    # Two people who answer each other are two, though one's name clips the other's.
    bar = ["Marcus and Marc sat at the bar.", "“Another?” said Marcus.", "“Always,” said Marc."]
    cast = build_cast(bar, ["Marcus Vell", "Ada Quill"])
    marc = cast.lookup("Marc")
    assert marc is not None and marc != cast.lookup("Marcus Vell")
    # Two header characters it could clip: neither.
    both = build_cast(story, ["Wren Halloway", "Corvina Pell", "Corvin Brack"])
    corv = both.lookup("Corv")
    assert corv is not None
    assert corv not in (both.lookup("Corvina Pell"), both.lookup("Corvin Brack"))


def test_a_tag_of_thousands_of_names_for_one_character_is_cut_short() -> None:
    tag = " | ".join(f"Name{i} Person" for i in range(5000))
    cast = build_cast(["Nothing happens."], [tag])
    assert sum(" Person" in alias for alias in cast.characters[0].aliases) <= 9


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    "“",
                    "”",
                    '"',
                    "Y/N",
                    "y/n",
                    "L/N",
                    "POV",
                    "'s",
                    "Back to",
                    "I",
                    "you",
                    "You",
                    "say",
                    "says",
                    "mutter",
                    "grins",
                    "Ada",
                    "Ada-chan",
                    "-san",
                    "|",
                    "Lan Zhan",
                    ".",
                    ",",
                    " ",
                    "Normal",
                    "Chapter 2",
                    "me",
                    "don't",
                    "Lacey.",
                ]
            ),
            max_size=14,
        ).map(" ".join),
        max_size=10,
    ),
    st.lists(
        st.sampled_from(["Ada | Bea", "Y/N", "Reader", "|", "Ada-chan", "A" * 200]), max_size=3
    ),
)
def test_fan_fiction_tokens_in_any_order_give_well_formed_records(paragraphs, characters):
    found = attribute(paragraphs, meta=Metadata(characters=characters))
    for a in found:
        assert 0.0 <= a.confidence <= 1.0
        assert not a.shown or a.speaker is not None
        assert a.speaker is None or len(a.speaker) <= 100


def test_an_m_m_category_makes_its_pairing_men() -> None:
    from tuific.speakers.header import paired_genders

    pair = ["Castiel/Dean Winchester (background)", "Sam Winchester & Dean Winchester"]
    assert paired_genders(["M/M"], pair) == {"Castiel": "M", "Dean Winchester": "M"}
    # Only the "/" of a relationship: Mary is a friend of the pair.
    mixed = ["Sherlock Holmes/John Watson & Mary Morstan"]
    assert paired_genders(["M/M"], mixed) == {"Sherlock Holmes": "M", "John Watson": "M"}
    assert paired_genders(["F/F", "Gen"], ["Yennefer/Triss"]) == {"Yennefer": "F", "Triss": "F"}
    # Two categories, or F/M, say nothing of who is which.
    assert paired_genders(["M/M", "F/M"], pair) == {}
    assert paired_genders(["F/M"], ["Geralt/Yennefer"]) == {}
    assert paired_genders([], pair) == {}


def test_a_pairing_of_the_category_gives_the_pronoun_tag_its_gender() -> None:
    # Castiel's name is followed by no pronoun of his, and by Marnie's "she": a
    # "she says" later could have been his. The category says he is a man.
    story = [
        "Marnie set a plate in front of Castiel as if she had known he was coming.",
        "“The pie is good,” Castiel says.",
        "Dean Winchester grins at him.",
        "“Bring the plates back,” she says.",
    ]
    meta = Metadata(
        characters=["Dean Winchester", "Castiel"],
        relationships=["Castiel/Dean Winchester"],
        categories=["M/M"],
    )
    found = attribute(story, meta=meta)
    assert found[-1].speaker != "Castiel"
    ctx = analyse(story, find_dialogue(story), meta)
    names = [c.name for c in ctx.cast.characters]
    assert ctx.genders[names.index("Castiel")] == "M"


def test_a_category_does_not_overrule_a_title_a_first_name_or_three_pronouns() -> None:
    # One category ticked over a past pairing: Mary and Mrs. Hudson stay women.
    story = [
        "Mary Morstan came in with the shopping. She put the bags down and looked at "
        "John Watson. Mrs. Hudson was behind her.",
        "“You're late,” she said.",
    ]
    meta = Metadata(
        characters=["John Watson", "Sherlock Holmes", "Mary Morstan", "Mrs. Hudson"],
        relationships=[
            "John Watson/Sherlock Holmes",
            "Mary Morstan/John Watson (past)",
            "Mrs. Hudson/Sherlock Holmes",
        ],
        categories=["M/M"],
    )
    ctx = analyse(story, find_dialogue(story), meta)
    genders = {c.name: ctx.genders[i] for i, c in enumerate(ctx.cast.characters)}
    assert genders["Mary Morstan"] == "F" and genders["Mrs. Hudson"] == "F"
    assert genders["Sherlock Holmes"] == "M"


def test_a_counted_first_name_does_not_overrule_the_category() -> None:
    # "Park" is a man's first name in the counts, and Park Chaeyoung's surname.
    story = ["Chaeyoung set one coffee down in front of Jisoo and kept the other."]
    meta = Metadata(
        characters=["Park Chaeyoung", "Kim Jisoo"],
        relationships=["Park Chaeyoung/Kim Jisoo"],
        categories=["F/F"],
    )
    ctx = analyse(story, find_dialogue(story), meta)
    genders = {c.name: ctx.genders[i] for i, c in enumerate(ctx.cast.characters)}
    assert genders == {"Park Chaeyoung": "F", "Kim Jisoo": "F"}


def test_a_header_name_that_is_also_a_word_is_its_characters_short_form() -> None:
    # Will Byers is "Will" all through his story, but "Will you…?" calls no one.
    story = [
        "Mike and Will rode down Maple Street. Will nearly went over his handlebars.",
        "“You have to say over,” Will says.",
        "“Will you stop?” Mike says. “Over.”",
        "“Over,” says Will.",
    ]
    meta = Metadata(title="Walkies", characters=["Mike Wheeler", "Will Byers"])
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found == ["Will Byers", "Mike Wheeler", "Mike Wheeler", "Will Byers"]
    cast = build_cast(story, ["Mike Wheeler", "Will Byers", "May Parker"])
    assert [m.group() for m in cast.regex.finditer(story[2])] == ["Mike"]
    for question in ("Will this ever end?", "Will everyone calm down?", "May the Force…"):
        assert not list(cast.regex.finditer(question)), question
    # A word that is no header name stays a word.
    assert "Will" not in build_cast(story, ["Mike Wheeler"]).by_alias


def test_a_parent_of_a_family_is_the_one_the_text_gives_a_title() -> None:
    # "his mother said" in a family of Weasleys: Mrs. Weasley, not his sister Ginny.
    story = [
        "Mrs. Weasley was at the stove. Ginny sat on the counter, swinging her feet.",
        "Ron came down last, hair on end. “Is there bacon?” he asked.",
        "“You look lovely in maroon, Ronald,” his mother said.",
        "“He looks like a beetroot,” said Ginny.",
        "“Ginny,” said Mrs. Weasley. “Off the counter.”",
    ]
    names = ["Ron Weasley", "Ginny Weasley", "Molly Weasley"]
    meta = Metadata(title="Jumpers", characters=names, fandoms=["Harry Potter"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[2] == "Molly Weasley"
    cast = build_cast(story, names)
    ron, ginny, molly = (cast.by_alias[n] for n in names)
    assert cast.kin(ron, "F", 1) == (molly,)
    assert cast.kin(molly, "F", -1) == (ginny,)
    assert set(cast.kin(ron, "F")) == {ginny, molly}


def test_their_mother_is_the_family_s_titled_elder_even_when_named_last() -> None:
    # "said their mother" right after "said Lady Bridgerton": the family's mother (the
    # one named last, herself), not the daughter the papers call "Miss Eloise".
    story = [
        "Lady Bridgerton sat in the window. Daphne and Eloise shared the sofa.",
        "“Miss Eloise Bridgerton was seen at Hatchard’s,” Daphne read.",
        "“Give it back,” said Eloise.",
        "“Nothing to worry about, dear,” said Lady Bridgerton.",
        "“It is a perfectly good bonnet.”",
        "“Children,” said their mother, setting down her embroidery.",
    ]
    names = ["Violet Bridgerton", "Daphne Bridgerton", "Eloise Bridgerton"]
    meta = Metadata(title="Tea", characters=names, fandoms=["Bridgerton (TV)"])
    found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
    assert found[5] == "Violet Bridgerton"
    cast = build_cast(story, names)
    violet, daphne, eloise = (cast.by_alias[n] for n in names)
    assert cast.kin(daphne, "F", 1) == (violet,)  # ("Miss" is the younger generation)
    assert cast.kin(violet, "F", 1, itself=True) == (violet,)
    assert violet not in cast.kin(violet, "F", 1)
    # "their": the owner is whoever was named last, of either gender.
    ctx = analyse(story, find_dialogue(story), meta)
    tag = ctx.turns[-1].tags[0]
    assert tag is not None and tag.kin and tag.owner_gender == "*"
    from tuific.speakers.features import Own

    assert Own(ctx, len(ctx.turns) - 1, []).desc_kin == (violet,)
    # A child named last is no mother of its own: "their" may be one person.
    story = [
        "Alex slid into the chair across from Maria Kowalski.",
        "“Dinner's cold,” said their mother, not looking up.",
    ]
    names = ["Alex Kowalski", "Maria Kowalski"]
    cast = build_cast(story, names)
    alex, maria = (cast.by_alias[n] for n in names)
    assert cast.kin(alex, "F", 1, itself=True) == (maria,)


def test_the_chinese_diminutive_before_a_given_name_is_its_character() -> None:
    story = [
        "Wei Wuxian carried the basket. A-Yuan rode on his hip.",
        "“My legs are tired,” said A-Yuan.",
        "“You have not walked a step,” said Wei Wuxian.",
        "A-Yuan considered this. “They are tired from watching.”",
    ]
    names = ["Wei Ying | Wei Wuxian", "Lan Yuan | Lan Sizhui"]
    meta = Metadata(title="Market", characters=names, fandoms=["魔道祖师 - 墨香铜臭"])
    found = [a.speaker for a in attribute(story, meta=meta)]
    assert found == ["Lan Yuan", "Wei Ying", "Lan Yuan"]
    cast = build_cast(story, names)
    assert cast.by_alias["A-Yuan"] == cast.by_alias["Lan Yuan"]


def test_a_name_in_capitals_the_cast_has_is_a_tag_and_a_shout_is_not() -> None:
    names = ["Female Shepard", "Garrus Vakarian", "EDI"]
    cast = build_cast(["Shepard came in. EDI watched."], names)
    for story in ("“Already sent,” said EDI.", "“Already sent,” EDI said."):
        tag = read_turn(cast, 0, story, list(find_dialogue([story])[0])).tags[0]
        assert tag is not None and tag.explicit and tag.who == cast.by_alias["EDI"], story
    story = "“Get down,” said NOBODY, ever."
    tag = read_turn(cast, 0, story, list(find_dialogue([story])[0])).tags[0]
    assert tag is None or tag.who is None
    assert "NOBODY" not in cast.by_alias
    # A name of one capital letter too: Death Note's "L says".
    cast = build_cast(["L sat on the chair. Light watched him."], ["L Lawliet", "Yagami Light"])
    for story in ("“Ten per cent,” L says.", "“Ten per cent,” said L."):
        tag = read_turn(cast, 0, story, list(find_dialogue([story])[0])).tags[0]
        assert tag is not None and tag.explicit and tag.who == cast.by_alias["L"], story


def test_a_headers_reader_is_the_you_of_a_reader_insert() -> None:
    # AO3 tags a reader-insert's "you" as the character "Reader": "you say" is hers,
    # and so is the "Y/N" the text writes, not a second, nameless "You".
    story = [
        "You push the saloon door open with your hip. Odile is at the bar.",
        "“Late again,” Odile says.",
        "“The bus,” you say.",
        "“Y/N, there is always a bus.”",
        "“There is. It is always late,” you say.",
        "Odile laughs and slides a glass across.",
    ]
    for tag, shown in (("Reader", "Reader"), ("Reader (Stardew Valley)", "Reader"), ("You", "You")):
        meta = Metadata(characters=[tag, "Odile (Stardew Valley)"])
        found = {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
        assert found == {1: "Odile", 2: shown, 3: "Odile", 4: shown}
    cast = build_cast(story, ["Odile"], reader="Reader")
    assert cast.reader == cast.by_alias["Y/N"] and cast.characters[cast.reader].name == "Reader"
    assert header_reader(["Odile", "reader (Stardew Valley)"]) == "Reader"
    assert header_reader(["Odile", "Readers Digest"]) == header_reader(["Odile"]) == ""
    # AO3's other reader tags, and a reader only in a pairing.
    for tags in (["Female Reader"], ["Reader-Insert"], ["Male!Reader"], ["You | Reader"]):
        assert header_reader(tags) == "Reader", tags
    assert header_reader(["Bucky Barnes"], ["Bucky Barnes/Reader"]) == "Reader"
    assert header_reader(["Draco Malfoy"], ["Draco Malfoy/Y/N"]) == "You"


def test_a_character_the_tags_say_never_speaks_is_never_given_speech() -> None:
    # "Silent Protagonist" (the header's first character), "Morn Never Says A Word",
    # "Silent Link": however often they are named, they are never the speaker.
    story = [
        "Link climbed the steps of the shop. Link set down his rupees. Navi hovered.",
        "“A shield, is it?”",
        "Link nodded.",
        "“Forty rupees.”",
        "Link pushed the coins across.",
    ]
    for tag in ("Silent Protagonist", "Silent Link", "Link Never Says A Word", "Link doesn't talk"):
        meta = Metadata(characters=["Link (Legend of Zelda)", "Navi"], tags=[tag])
        found = [a.speaker for a in attribute(story, meta=meta)]
        assert "Link" not in found, tag
    # "Mute Link" may sign in quotes ("Link nodded." leads in: see
    # test_speakers_strangers); tags of nothing of the kind say nothing.
    for tag in ("Mute Link", "Fluff", "Silent Night", "Silent Link " + "!" * 200):
        meta = Metadata(characters=["Link (Legend of Zelda)", "Navi"], tags=[tag])
        assert "Link" in [a.speaker for a in attribute(story, meta=meta)], tag
    # Only a name the header gives whole: "Silent Hill" is no silence of Maria Hill's,
    # nor "Silent Link Appreciation Week" of Link's; the silent protagonist is the
    # header's most named character, wherever it is listed.
    names = ["Maria Hill", "Link", "Navi", "Zelda"]
    cast = build_cast(story, names)
    mentions = [
        story_text.count(c.name) for c in cast.characters for story_text in [" ".join(story)]
    ]
    silent = silent_characters(
        cast, ["Silent Hill", "Silent Link Appreciation Week"], names, mentions
    )
    assert silent == set()
    assert silent_characters(cast, ["Silent Protagonist"], names, mentions) == {
        cast.by_alias["Link"]
    }
    assert (
        silent_characters(cast, ["Link Never Talks About His Feelings"], names, mentions) == set()
    )


def test_a_header_name_s_own_word_is_no_clip_of_another_s() -> None:
    # "Herc" is Herc Hansen's first name, not a clipped Hermann.
    header = ["Hermann Gottlieb", "Herc Hansen", "Chuck Hansen"]
    cast = build_cast(["Herc sat down. Hermann frowned.", "“Tea,” said Herc."], header)
    assert cast.characters[cast.by_alias["Herc"]].name == "Herc Hansen"
    assert cast.characters[cast.by_alias["Hermann"]].name == "Hermann Gottlieb"


def test_a_group_the_header_lists_never_speaks() -> None:
    # "Fujioka Haruhi & Ouran High School Host Club": the club is a group, not one
    # voice; a header character whose name only holds a group's word still speaks.
    story = [
        "Haruhi opened the door on the chain.",
        "“Haruhi!” Tamaki's face filled the gap. “We came as soon as we heard!”",
        "“Heard what?”",
        "“That a typhoon is coming and you are alone!”",
    ]
    names = ["Fujioka Haruhi", "Suou Tamaki", "Ouran High School Host Club", "Team 7"]
    cast = build_cast(story, names)
    mentions = [0] * len(cast.characters)
    silent = silent_characters(cast, [], names, mentions)
    assert silent == {cast.by_alias["Ouran High School Host Club"], cast.by_alias["Team 7"]}
    # A character whose name opens with such a word is one voice: "Gang Orca", "Party
    # Poison".
    names = ["Clara Oswald", "Gang Orca", "Party Poison"]
    cast = build_cast(story, names)
    assert silent_characters(cast, [], names, [0, 0, 0]) == set()


def test_the_fandoms_title_is_no_character() -> None:
    story = [
        "The living room of the Owl House was a mess, and the Owl House never tidied itself.",
        "“Again,” said Eda. “From the top.”",
    ]
    owl = Metadata(characters=["Eda Clawthorne", "Luz Noceda"], fandoms=["The Owl House (Cartoon)"])
    names = {c.name for c in analyse(story, find_dialogue(story), owl).cast.characters}
    assert names == {"Eda Clawthorne", "Luz Noceda"}
    # ...unless the header's characters have its words: Merlin is Merlin.
    camelot = ["Merlin ran in. “Arthur!”", "Merlin stopped. “Sorry.”"]
    tv = Metadata(characters=["Merlin", "Arthur Pendragon"], fandoms=["Merlin (TV)"])
    assert [a.speaker for a in attribute(camelot, meta=tv)] == ["Merlin", "Merlin"]


def test_a_rank_before_a_header_surname_is_that_character() -> None:
    story = [
        "Chief Vick came out of her office with a file.",
        "“Is that significant?” asked the Chief.",
        "“Hugely,” said Shawn.",
        "The Chief sighed and went back in.",
    ]
    header = ["Shawn Spencer", "Karen Vick"]
    fic = Metadata(characters=header, fandoms=["Psych"])
    assert [a.speaker for a in attribute(story, meta=fic)] == ["Karen Vick", "Shawn Spencer"]
    cast = build_cast(story, header, fandoms=["Psych"])
    assert cast.by_alias["Chief Vick"] == cast.by_alias["Chief"] == cast.by_alias["Karen Vick"]
    # Not a given name (a sister, Arya Stark; a brother, Charlie Weasley: the prose
    # writes no "the Arya"), nor where two share the surname.
    for text, names in (
        ("Arya Stark came in. “Hi,” said Arya.", ["Sansa Stark", "Sandor Clegane"]),
        ("Charlie Weasley came in. “Hi,” said Charlie.", ["Ron Weasley", "Hermione Granger"]),
        ("Chief Vick came out. The Chief sat.", ["Shawn Spencer", "Karen Vick", "Tom Vick"]),
    ):
        cast = build_cast([text], names, fandoms=["X"])
        first = cast.by_alias.get(text.split(" came")[0])
        assert first is None or not cast.characters[first].from_header, text


def test_the_fandoms_title_is_no_character_only_where_the_prose_says_the() -> None:
    story = ["“Well?” said Hannibal.", "“Nothing,” said Will.", "Hannibal smiled. “Good.”"]
    fic = Metadata(characters=["Will Graham", "Jack Crawford"], fandoms=["Hannibal (TV)"])
    found = [a.speaker for a in attribute(story, meta=fic)]
    assert found == ["Hannibal", "Will Graham", "Hannibal"]
    potter = ["Harry Potter walked in.", "“Potter,” said Draco.", "“Malfoy,” said Harry Potter."]
    fic = Metadata(characters=["Draco Malfoy"], fandoms=["Harry Potter - J. K. Rowling"])
    assert attribute(potter, meta=fic)[-1].speaker == "Harry Potter"
