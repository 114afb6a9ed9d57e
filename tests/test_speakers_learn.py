"""Names learnt from the text that are no one: streets, speech broken off, words cut
short, and a description's trailing words (scenes written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse
from tuific.speakers.learn import learn_names

LANE = [
    "Summer Street was quiet. Windy Corner stood at its end, and Rosalind lived there.",
    "“I--well, I never,” said Rosalind. Summer Street was empty again.",
    "Windy Corner was dark. Th' old gate swung. Rosalind went in.",
    "“Who’s there?” said Tobias. Th' wind answered him.",
    "Rosalind was at the gate. Tobias was behind her, and Summer Street was behind him.",
]


def test_streets_broken_speech_and_cut_words_are_no_names() -> None:
    learnt = set(learn_names(LANE, min_count=1))
    assert {"Rosalind", "Tobias"} <= learnt
    assert not learnt & {"Summer Street", "Windy Corner", "I--well", "Th"}


def test_a_description_stops_before_an_adverb_or_a_preposition() -> None:
    scene = [
        "Agatha stood at the counter of the station.",
        "“My bag is gone,” said Agatha.",
        "“Gone where?” asked the policeman very slowly.",
        "“Stolen,” said Agatha.",
        "“Stolen from here?” asked the policeman into his notebook.",
    ]
    ctx = analyse(scene, find_dialogue(scene), None)
    names = {c.name for c in ctx.cast.characters}
    assert "The Policeman" in names
    assert not any(n.startswith("The Policeman ") for n in names)
