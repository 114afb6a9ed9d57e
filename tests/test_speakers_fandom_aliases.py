"""The names a fandom calls its characters by (fandom_aliases.txt): Strider for the
header's Aragorn, "the Handler" for its Sylvia Sherwood."""

from __future__ import annotations

import pytest
from speakerhelpers import speakers_by_paragraph

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse
from tuific.speakers import fandom_aliases as fa

LOTR = frozenset(("lord", "rings"))
TABLE = {
    "aragorn": ((LOTR, ("Strider", "Estel")),),
    "sylvia sherwood": ((frozenset(("family",)), ("Handler",)),),
    "frodo baggins": ((LOTR, ("Ring-bearer",)),),
    "samwise gamgee": ((LOTR, ("Ring-bearer",)),),
    "gabriel": ((frozenset(("omens",)), ("Jim",)), (frozenset(("supernatural",)), ("Trickster",))),
    "harry potter": ((frozenset(("potter",)), ("Boy Who Lived",)),),
    "leia organa": ((frozenset(("wars",)), ("General",)),),
    "irene adler": ((frozenset(("sherlock",)), ("Woman",)),),
}


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fa, "aliases_by_name", lambda: TABLE)


@pytest.mark.usefixtures("table")
def test_a_fandoms_name_for_a_header_character_is_that_character() -> None:
    meta = Metadata(title="Bree", fandoms=["Lord of the Rings"], characters=["Aragorn", "Pippin"])
    story = [
        "Pippin was eating the last mushroom when the ranger sat down.",
        "“Good morning,” said Strider.",
        "“Is it?” said Pippin.",
        "Strider smiled. “It is, Master Took.”",
    ]
    found = speakers_by_paragraph(story, meta)
    assert found[1] == found[3] == "Aragorn"
    # Not a fic (no fandom): the table is not read, and Strider is a man of his own.
    novel = Metadata(title="Bree", characters=["Aragorn", "Pippin"])
    assert speakers_by_paragraph(story, novel)[1] == "Strider"


@pytest.mark.usefixtures("table")
def test_an_epithet_is_its_character_only_as_a_tags_subject() -> None:
    # "Handler" is also a word ("every handler"): "said the Handler" is Sylvia, a
    # "Handler" in the narration no mention of her.
    meta = Metadata(
        title="Duck", fandoms=["Spy x Family"], characters=["Loid Forger", "Sylvia Sherwood"]
    )
    story = [
        "Loid touched his earpiece. Every handler in Berlint would be listening.",
        "“Eight minutes,” said the Handler.",
        "“Understood,” Loid said.",
        "In his ear, the Handler said, “Go and eat your duck, Twilight.”",
    ]
    found = speakers_by_paragraph(story, meta)
    assert found[1] == found[3] == "Sylvia Sherwood"
    assert found[2] == "Loid Forger"


@pytest.mark.usefixtures("table")
def test_an_alias_two_header_characters_claim_is_neithers() -> None:
    meta = Metadata(
        title="Mordor",
        fandoms=["Lord of the Rings"],
        characters=["Frodo Baggins", "Samwise Gamgee"],
    )
    story = ["“I can't carry it,” said the Ring-bearer.", "“Then I'll carry you,” said Sam."]
    cast = analyse(story, find_dialogue(story), meta).cast
    assert "Ring-bearer" not in cast.by_alias and "Ring-bearer" not in cast.epithets


def test_the_shipped_table_reads() -> None:
    table = fa.aliases_by_name()
    assert len(table) >= 1200
    for name, entries in table.items():
        assert name and name == name.lower(), name
        for fandom, aliases in entries:
            assert fandom, name  # (every line under a fandom's heading)
            assert aliases and all(a.isprintable() and a.strip() == a for a in aliases), name
    # A name two fandoms have keeps both, each under its own.
    assert len(table["gabriel"]) == 2


@pytest.mark.usefixtures("table")
def test_a_title_alias_is_its_character_only_as_a_tags_subject() -> None:
    # "General" is Leia's in the table: "said the General" is hers; but "General Hux"
    # in the narration is no mention of her, and the speech after it is his.
    meta = Metadata(
        title="Base",
        fandoms=["Star Wars"],
        characters=["Leia Organa", "Armitage Hux", "Poe Dameron"],
    )
    story = ["Poe waited by the comm.", "“Report,” said the General.", "“All quiet,” Poe said."]
    assert speakers_by_paragraph(story, meta)[1] == "Leia Organa"
    story = [
        "Poe waited by the comm. Leia was asleep.",
        "“All quiet,” Poe said.",
        "*",
        "On the other ship, General Hux turned from the window.",
        "“Fire when ready.”",
    ]
    assert speakers_by_paragraph(story, meta)[4] == "Armitage Hux"


@pytest.mark.usefixtures("table")
def test_a_names_aliases_are_its_fandoms_and_whole() -> None:
    # Gabriel is Good Omens' "Jim" and Supernatural's "Trickster": a Supernatural fic's
    # Pastor Jim is no Gabriel. "The Boy Who Lived" gives Harry no "Boy", "Lived".
    meta = Metadata(
        title="Diner", fandoms=["Supernatural"], characters=["Dean Winchester", "Gabriel"]
    )
    cast = analyse(["Jim poured the coffee."], [[]], meta).cast
    assert cast.by_alias.get("Jim") != cast.by_alias["Gabriel"]
    assert cast.by_alias.get("Trickster") == cast.by_alias["Gabriel"]
    meta = Metadata(
        title="Hall", fandoms=["Harry Potter"], characters=["Harry Potter", "Ron Weasley"]
    )
    cast = analyse(["The Boy Who Lived sat down. Time was short."], [[]], meta).cast
    harry = cast.by_alias["Harry Potter"]
    assert cast.by_alias["Boy Who Lived"] == harry
    assert cast.by_alias.get("Boy") != harry and cast.by_alias.get("Lived") != harry


@pytest.mark.usefixtures("table")
def test_a_noun_anyone_may_be_is_no_alias() -> None:
    # "the Woman" is Irene Adler's, but "said the woman" in a Sherlock fic is anyone's.
    meta = Metadata(
        title="Baker Street",
        fandoms=["Sherlock (TV)"],
        characters=["Sherlock Holmes", "Irene Adler"],
    )
    cast = analyse(["Sherlock waited."], [[]], meta).cast
    assert "Woman" not in cast.epithets and cast.by_alias.get("Woman") is None
