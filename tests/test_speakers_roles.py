"""Roles: people a story calls by what they do ("the waiter", "the merchant"), before
the verb as after it, and a role the text gives a name (scenes written for these tests)."""

from __future__ import annotations

import pytest

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import ROLE_MENTIONS, analyse, attribute
from tuific.speakers.cast_build import build_cast
from tuific.speakers.paragraph import read_turn
from tuific.speakers.roles import ROLE_NOUNS, RoleOwners

SUPPER = [
    "Tony and Milly came into the restaurant late and took the table by the window.",
    "“Well, let's sit down,” said Tony.",
    "The waiter said, “Will you buy a ticket in the raffle?”",
    "“No,” said Milly.",
    "“Soup for two?” the waiter said.",
    "“Just the soup,” Tony told him.",
]


def test_a_role_before_its_verb_is_someone_of_its_own() -> None:
    found = attribute(SUPPER, meta=Metadata(characters=["Tony Last", "Milly"]))
    assert [a.speaker for a in found] == [
        "Tony Last",
        "The Waiter",
        "Milly",
        "The Waiter",
        "Tony Last",
    ]


def test_only_a_role_noun_makes_someone_before_the_verb() -> None:
    # "The silence said" / "the ledger shouted": no nouns of people, no new characters.
    story = [
        "Tony and Milly sat in the empty kitchen.",
        "The silence said, “You are late.”",
        "“Sorry,” said Milly.",
    ]
    cast = build_cast(story, ["Tony Last", "Milly"])
    assert [c.name for c in cast.characters] == ["Tony Last", "Milly"]
    found = attribute(story, meta=Metadata(characters=["Tony Last", "Milly"]))
    assert found[0].speaker != "The Silence"


def test_a_role_the_text_gives_a_name_is_that_character() -> None:
    story = [
        "Daisy waved at the man by the carriage. “Eugenio's our courier,” she said.",
        "Eugenio bowed to Winterbourne, and Eugenio went to see to the trunks.",
        "“The train leaves at four, mademoiselle,” said the courier.",
        "“Then we shall take it,” said Daisy.",
    ]
    found = attribute(story, meta=Metadata(characters=["Daisy Miller", "Winterbourne"]))
    assert found[1].speaker == "Eugenio"
    # Tied to two people, a role is no one's: "the only visitor" was each of them.
    cast = build_cast(["Sam met Frodo."], ["Sam Gamgee", "Frodo Baggins", "Mr. Clacton"])
    sam, clacton = cast.by_alias["Sam"], cast.by_alias["Mr. Clacton"]
    owners = RoleOwners(["Sam was the guide.", "Frodo was the guide."])
    assert owners.get("guide", cast.lookup) is None
    owners = RoleOwners(["Sam was the guide.", "Frodo Baggins came in."])
    assert owners.get("guide", cast.lookup) == sam
    assert owners.get("table", cast.lookup) is None  # (no role noun)
    for text, noun, who in (
        ("“That's Mr. Clacton, our secretary, at the desk.”", "secretary", clacton),
        ("It is Mr. Clacton, the English chaplain at Florence.", "chaplain", clacton),
        ("We are lucky in our secretary, Mr. Clacton, you know.", "secretary", clacton),
        # ...but a name that is some verb's object, a list, or "a" role describe no one
        ("Looking at Sam, the guard frowned.", "guard", None),
        ("She waved to Sam, the old guard nodding.", "guard", None),
        ("Sam, the guard and Frodo went down.", "guard", None),
        ("Sam was a child then.", "child", None),
        ("We saw the guard, Sam was sure of it.", "guard", None),
    ):
        assert RoleOwners([text]).get(noun, cast.lookup) == who, text
    # Once the paragraphs are read it lets go of the text.
    owners = RoleOwners(["Sam was the guide."])
    owners.release()
    assert owners.get("guide", cast.lookup) is None


def test_a_fics_narration_names_a_role_once_a_tag_has_made_it() -> None:
    story = [
        "Juniper and Abigail reached the cart just after nine.",
        "“Good morning, farmer,” said the merchant. “Many fine things today.”",
        "“Just looking,” said Juniper.",
        "The merchant spread her hands over the counter. “Then look. Looking is free.”",
        "“Is the pig hat for sale?” asked Abigail.",
    ]
    fic = Metadata(characters=["Abigail", "Juniper"], fandoms=["Stardew Valley"])
    found = {a.paragraph: a for a in attribute(story, meta=fic)}
    assert found[3].speaker == "The Merchant" and found[3].shown
    ctx = analyse(story, find_dialogue(story), fic)
    merchant = ctx.cast.described["The Merchant"]
    assert [who for _pos, who in ctx.turns[2].mentions] == [merchant]
    # A novel's roles are as often someone it names: there the beat names nobody
    # (and only the turn-taking, less sure, gives the merchant the speech).
    ctx = analyse(story, find_dialogue(story), Metadata(characters=["Abigail", "Juniper"]))
    assert ctx.turns[2].mentions == []


def test_a_device_in_a_tag_is_the_caller_the_tag_does_not_name() -> None:
    # "said the phone" is whoever is on the line, not a character called "The Phone".
    story = [
        "Enid put her phone on the desk between them, on speaker.",
        "“Is she well?” said the phone.",
        "“She's fine,” said Enid.",
    ]
    cast = build_cast(story, ["Enid Sinclair", "Morticia Addams"])
    tag = read_turn(cast, 1, story[1], list(find_dialogue([story[1]])[0])).tags[0]
    assert tag is not None and tag.unknown and tag.who is None
    assert "The Phone" not in cast.described
    found = attribute(story, meta=Metadata(characters=["Enid Sinclair", "Morticia Addams"]))
    assert "The Phone" not in {a.speaker for a in found}


def test_a_fic_names_sixteen_roles_at_most_in_its_narration() -> None:
    # Each role named rebuilds the names' pattern: a story of thousands stops at 16.
    nouns = sorted(ROLE_NOUNS)[:20]
    story = ["Ann and Bob came in."] + [f"“Hello,” said the {noun}." for noun in nouns]
    ctx = analyse(story, find_dialogue(story), Metadata(characters=["Ann"], fandoms=["X"]))
    named = [n for n in nouns if f"the {n}" in ctx.cast.by_alias]
    assert named == nouns[:ROLE_MENTIONS]
    assert all(f"The {n.capitalize()}" in ctx.cast.described for n in nouns)


SHOP = [
    "Wendy and Dipper were minding the shop.",
    "The customer in the yellow raincoat was dripping on the floor. He looked cross.",
    "“Where is the restroom?” he asked.",
    "“Behind the totem pole,” said Wendy.",
]
GRAVITY = Metadata(characters=["Dipper Pines", "Wendy Corduroy"], fandoms=["Gravity Falls"])


def test_a_role_that_opens_a_fics_narration_is_someone_who_may_speak() -> None:
    found = attribute(SHOP, meta=GRAVITY)
    assert [a.speaker for a in found] == ["The Customer", "Wendy Corduroy"]
    ctx = analyse(SHOP, find_dialogue(SHOP), GRAVITY)
    customer = ctx.cast.described["The Customer"]
    assert ctx.genders[customer] == "M"  # (the "He" after it, before anyone else is named)
    assert ctx.narrated[1] == [customer]
    # The next paragraph's pronoun alone is someone else's as often: no gender from it.
    asked = [SHOP[0], "The customer in the yellow raincoat was dripping.", "“Hi!” she said."]
    ctx = analyse(asked, find_dialogue(asked), GRAVITY)
    assert ctx.genders[ctx.cast.described["The Customer"]] == ""
    # A novel's roles are as often someone it names: there the narration makes no one.
    novel = Metadata(characters=["Dipper Pines", "Wendy Corduroy"])
    assert "The Customer" not in analyse(SHOP, find_dialogue(SHOP), novel).cast.described


@pytest.mark.parametrize(
    ("story", "header"),
    [
        (["The captain in the doorway was frowning."], ["Captain Holt", "Jake Peralta"]),
        (["The customers were leaving.", "The customer's bag fell."], ["Jake Peralta"]),
        (["The guard dog growled at them.", "“Easy.”"], ["Jake Peralta"]),  # a compound
        (["The cook and the maid were busy."], ["Jake Peralta"]),
        (["Jake sat. “Sit down. The doctor will be with you.”"], ["Jake Peralta"]),  # speech
        # a role the story gives a name: Eugenio, not a new courier
        (
            ["“Eugenio's our courier,” said Jake.", "The courier was waiting."],
            ["Jake Peralta", "Eugenio Rossi"],
        ),
    ],
)
def test_no_role_of_a_fics_narration_where_none_is_new(story: list[str], header: list[str]) -> None:
    fic = Metadata(characters=header, fandoms=["Brooklyn Nine-Nine"])
    assert analyse(story, find_dialogue(story), fic).cast.described == {}


def test_a_fics_narrated_roles_leave_the_tags_their_own_roles() -> None:
    # Sixteen roles opening the narration, then a tag's: the tag's is still found there.
    nouns = sorted(ROLE_NOUNS - {"merchant"})[:16]
    story = [f"The {noun} was busy." for noun in nouns]
    story += ["“Silk?” said the merchant.", "The merchant spread her hands."]
    fic = Metadata(characters=["Ann Lee"], fandoms=["X"])
    ctx = analyse(story, find_dialogue(story), fic)
    merchant = ctx.cast.described["The Merchant"]
    assert ctx.narrated[-1] == [merchant]
