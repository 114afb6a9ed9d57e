"""Names learnt from the text that are no one (streets, speech broken off), names that
only look like them (Della Street, Square), and where a description in a tag ends
(scenes written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, attribute
from tuific.speakers.learn import learn_names

LANE = [
    "Summer Street was quiet. Windy Corner stood at its end, and Rosalind lived there.",
    "“I--well, I never,” said Rosalind. Summer Street was empty again.",
    "Windy Corner was dark. The old gate swung. Rosalind went in.",
    "“Who’s there?” said Tobias. The wind answered him.",
    "Rosalind was at the gate. Tobias was behind her, and Summer Street was behind him.",
]


def test_streets_and_broken_off_speech_are_no_names() -> None:
    learnt = set(learn_names(LANE, min_count=1))
    assert {"Rosalind", "Tobias"} <= learnt
    assert not learnt & {"Summer Street", "Windy Corner", "I--well"}


def test_a_speaker_named_like_a_street_or_a_word_of_one_is_still_a_name() -> None:
    office = [
        "Della Street came in with the mail. Square was at the window.",
        "“Two letters,” said Della Street. “Both for you.”",
        "“Burn them,” said Square.",
        "Della Street smiled and did not burn them. Square sighed.",
        "“Read them, then,” said Square.",
    ]
    assert {"Della Street", "Square"} <= set(learn_names(office, min_count=1))
    assert [a.speaker for a in attribute(office)] == [
        "Della Street", "Della Street", "Square", "Square"
    ]


def descriptions(scene: list[str]) -> set[str]:
    ctx = analyse(scene, find_dialogue(scene), None)
    return {c.name for c in ctx.cast.characters if c.name.startswith("The ")}


def test_a_description_stops_before_an_adverb_or_a_preposition() -> None:
    scene = [
        "Agatha stood at the counter of the station.",
        "“My bag is gone,” said Agatha.",
        "“Gone where?” asked the policeman very slowly.",
        "“Stolen,” said Agatha.",
        "“Stolen from here?” asked the policeman into his notebook.",
    ]
    assert descriptions(scene) == {"The Policeman"}


def test_a_description_keeps_its_very_and_its_hyphens() -> None:
    scene = [
        "Agatha walked in the garden at dusk.",
        "“Is that all?” asked the under-gardener.",
        "“It is,” said Agatha.",
        "“Then we are done,” said the very old porter.",
        "“Not quite,” said the after-dinner speaker.",
    ]
    assert descriptions(scene) == {
        "The Under-gardener", "The Very Old Porter", "The After-dinner Speaker"
    }


def test_sounds_are_no_names_but_a_speaker_with_no_vowel_is() -> None:
    hush = [
        "Ron and Harry crept down the corridor.",
        "“Shh, Ron.”",
        "“Psst, Harry!”",
        "“Brr, it’s cold,” said Ron.",
        "“Mmm, fine.”",
        "“Pfft, whatever.”",
        "Ng came round the corner.",
        "“Late again,” said Ng.",
    ]
    learnt = set(learn_names(hush, min_count=1))
    assert {"Ron", "Ng"} <= learnt
    assert not learnt & {"Shh", "Psst", "Brr", "Mmm", "Pfft"}


def test_a_description_may_hold_a_word_in_ly_that_is_no_adverb() -> None:
    scene = [
        "Agatha waited in the corridor of the hospital.",
        "“Is he awake?” asked Agatha.",
        "“Not yet,” said the orderly.",
        "“Then we wait,” said the family solicitor.",
        "“I shall not,” said the elderly porter, and left.",
        "“Nor I,” said the porter quietly.",
    ]
    assert descriptions(scene) == {
        "The Orderly", "The Family Solicitor", "The Elderly Porter", "The Porter"
    }


def test_names_with_a_capital_inside_are_learnt_whole() -> None:
    # "Mr. McBryde" was learnt as "Mr. Mc", and his speech went to someone else.
    yard = [
        "Mr. McBryde came across the yard; Siobhan O'Brien was at the gate.",
        "“The horses are in,” said Mr. McBryde.",
        "“All of them?” said Siobhan O'Brien. Mr. McBryde nodded to Siobhan O'Brien.",
        "Emma--Harriet was not there--came in last.",
    ]
    learnt = set(learn_names(yard, min_count=1))
    assert {"Mr. McBryde", "Siobhan O'Brien"} <= learnt
    assert not learnt & {"Mr. Mc", "Emma--Harriet"}
    assert [a.speaker for a in attribute(yard)] == ["Mr. McBryde", "Siobhan O'Brien"]


def test_one_hyphen_between_two_names_is_a_dash() -> None:
    scene = [
        "Harry and Ginny sat on the stairs.",
        "“Fine,” said Harry-Ginny rolled her eyes.",
        "“It is fine,” said Ginny. Harry laughed.",
    ]
    assert "Harry-Ginny" not in learn_names(scene, min_count=1)
    assert attribute(scene)[0].speaker == "Harry"


# A diner, told in the present tense: the waitress is never in a tag.
DINER = [
    "The diner is empty but for the two of them. Wendell reads the menu.",
    "“Coffee,” Wendell says. “Black.”",
    "Marisol comes back with the pot. She pours without asking.",
    "“You boys here for the wake?”",
    "“Sort of,” Bram says. The clock has Roman numerals and no second hand.",
    "Marisol shrugs. “Yeah, everybody is.”",
    "Instagram buzzes on the counter. Tokyo is far away. “Who is it?”",
]


def test_a_present_tense_story_learns_its_sentence_subjects() -> None:
    told_now = set(learn_names(DINER, present=True))
    assert {"Wendell", "Bram", "Marisol"} <= told_now
    # Plural nouns after a capital inside a sentence, and "Yeah," in speech: no one.
    assert not told_now & {"Roman", "Yeah"}
    # A verb in -s alone, once, makes no name: a phone buzzes, a city is far away.
    assert not told_now & {"Instagram", "Tokyo"}
    assert "Marisol" not in learn_names(DINER)  # (in the past tense, a verb in -s is none)


def test_numbers_adverbs_and_titled_streets_are_no_names() -> None:
    story = [
        "“Technically, it is a bookcase,” said Ambrose. The Nineteen-fifties were kinder.",
        "“Obviously,” said Crowther. They had walked down King Street and back.",
        "Ambrose laughed. King Street was dark. Mr Square came in. Eleven frowned.",
        "“Evening,” said Mr Square.",
    ]
    learnt = set(learn_names(story, min_count=1))
    assert {"Ambrose", "Crowther", "Mr Square", "Eleven"} <= learnt  # (a number alone may be)
    assert not learnt & {"Technically", "Obviously", "Nineteen-fifties", "King Street"}


def test_whoever_and_its_kind_are_no_names() -> None:
    story = [
        "“Whoever did this will know,” said Gaius.",
        "Whoever it was, Merlin thought, was clever. Whoever had done it was gone.",
        "Whoever laughed. Whoever said, “No.” Whatever happened next, Gaius said nothing.",
    ]
    learnt = learn_names(story)
    assert "Gaius" in learnt
    assert not {"Whoever", "Whatever"} & set(learnt)
