"""A plain-text story's *words* show in italics without their asterisks; asterisks
that are not emphasis (arithmetic, inside words, scene breaks, **) stay."""

from __future__ import annotations

import pytest

from tuific.formats.plaintext import paragraphs_of


@pytest.mark.parametrize(
    "text, plain, spans",
    [
        ("She was *very* sure.", "She was very sure.", ((8, 12, "italic"),)),
        ("*All of it*", "All of it", ((0, 9, "italic"),)),
        ("Two *bits* and *more words*.", "Two bits and more words.",
         ((4, 8, "italic"), (13, 23, "italic"))),
        ("2 * 3 * 4", "2 * 3 * 4", ()),
        ("a*b*c", "a*b*c", ()),
        ("**bold**", "**bold**", ()),
        ("* lone", "* lone", ()),
    ],
)
def test_asterisks_around_words_are_italics(text, plain, spans):
    (paragraph,) = paragraphs_of(text)
    assert (paragraph.text, paragraph.emphasis) == (plain, spans)


def test_a_scene_break_is_not_emphasis():
    assert [p.kind for p in paragraphs_of("One.\n\n* * *\n\nTwo.")] == [
        "text",
        "scene_break",
        "text",
    ]
