"""A header that names characters by a first name alone, and a text that gives their
full names (header.header_full_names)."""

from __future__ import annotations

from tuific.speakers.cast_build import build_cast
from tuific.speakers.header import header_full_names

# Over 300 paragraphs: a long story, where learn.py takes full names only from tags.
PADDING = [f"The rain went on against the high windows, hour {i}." for i in range(300)]
TEXT = [
    *PADDING,
    "Everyone in the library knew that Draco Malfoy would be late, and he was.",
    "“You’re in my seat,” said Malfoy.",
    "Harry did not look up. “It isn’t yours.”",
    "Malfoy sat down across from him anyway, and Harry sighed.",
    "“A word,” said the librarian.",
]


def test_a_first_name_header_takes_the_surname_the_text_gives_it() -> None:
    assert header_full_names(TEXT, ["Draco", "Harry"]) == ["Draco Malfoy"]
    cast = build_cast(TEXT, ["Draco", "Harry"])
    draco = cast.by_alias["Draco"]
    assert cast.by_alias["Malfoy"] == draco
    assert cast.characters[draco].name == "Draco"  # the header's name is the one shown
    assert cast.by_alias["Harry"] != draco


def test_only_a_surname_the_text_uses_again_and_mostly_after_that_name() -> None:
    # "Harry Then" is no name; "Harry Potter" once, and Potter nowhere else: not sure.
    assert header_full_names(["Harry Then left.", "Harry Potter waved."], ["Harry"]) == []
    # Three different words after Harry: none of them is his surname.
    mixed = ["Harry Black sat.", "Harry Brown ran.", "Harry Green hid.", "Black. Brown. Green."]
    assert header_full_names(mixed, ["Harry"]) == []
    # A full header name, or a title, needs nothing from the text.
    assert header_full_names(TEXT, ["Draco Malfoy", "Mr. Potter"]) == []


def test_a_family_name_stays_the_texts_and_a_name_never_runs_into_the_next_line() -> None:
    family = [
        "Fred Weasley grinned.", "George Weasley did not.", "Ron Weasley sighed.",
        "The Weasleys were late, as Weasleys are.", "Weasley, said Snape.",
    ]
    assert header_full_names(family, ["Fred", "George", "Ron"]) == []
    # A point-of-view heading ("Harry") above a paragraph is no "Harry Snape".
    heading = ["Harry", "Snape was waiting.", "Harry", "Snape said nothing.", "Snape left."]
    assert header_full_names(heading, ["Harry"]) == []
    # Names with marks a pattern would read as its own: taken literally.
    odd = ["Zoë Quill waved.", "Quill again.", "J.J. Okafor sat.", "Okafor stood."]
    assert sorted(header_full_names(odd, ["Zoë", "J.J.", "(Ann"])) == ["J.J. Okafor", "Zoë Quill"]


def test_a_character_is_shown_by_the_fullest_of_its_names() -> None:
    # A plain title counts for less than a first name ("Henry Crawford", not "Mr.
    # Crawford"); a title of rank does not ("Lady Bertram" keeps hers where the text
    # uses it most); a title still beats a bare surname ("Mr. Woodhouse").
    story = [
        "Mr. Crawford bowed. Mr. Crawford smiled. Henry Crawford was charming.",
        "“Indeed,” said Mr. Crawford.",
        "Lady Bertram sat on the sofa. Lady Bertram dozed. Lady Bertram woke.",
        "Maria Bertram was her name before; Maria Bertram it stayed.",
        "Mr. Woodhouse was cold. Woodhouse shivered. Mr. Woodhouse sighed.",
    ]
    names = {c.name for c in build_cast(story, []).characters}
    assert "Henry Crawford" in names and "Mr. Crawford" not in names
    assert "Mr. Woodhouse" in names and "Woodhouse" not in names
    assert "Lady Bertram" in names
