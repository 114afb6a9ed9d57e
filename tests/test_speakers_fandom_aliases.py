"""The names a fandom calls its characters by (fandom_aliases.txt): Strider for the
header's Aragorn, "the Handler" for its Sylvia Sherwood."""

from __future__ import annotations

import pytest

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute
from tuific.speakers import fandom_aliases as fa

TABLE = {
    "aragorn": ("Strider", "Estel"),
    "sylvia sherwood": ("Handler",),
    "frodo baggins": ("Ring-bearer",),
    "samwise gamgee": ("Ring-bearer",),
}


def _speakers(story: list[str], meta: Metadata) -> dict[int, str | None]:
    return {a.paragraph: a.speaker for a in attribute(story, meta=meta)}


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
    found = _speakers(story, meta)
    assert found[1] == found[3] == "Aragorn"
    # Not a fic (no fandom): the table is not read, and Strider is a man of his own.
    novel = Metadata(title="Bree", characters=["Aragorn", "Pippin"])
    assert _speakers(story, novel)[1] == "Strider"


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
    found = _speakers(story, meta)
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
    assert len(table) >= 300
    for name, aliases in table.items():
        assert name and name == name.lower(), name
        assert aliases and all(a.isprintable() and a.strip() == a for a in aliases), name
