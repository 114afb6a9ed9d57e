from hypothesis import given
from hypothesis import strategies as st

from tuific.layout import Layout, wrap_starts
from tuific.model import Paragraph


def lines(text, width):
    starts = wrap_starts(text, width)
    ends = starts[1:] + [len(text)]
    return [text[a:b].rstrip(" \n") for a, b in zip(starts, ends, strict=True)]


def test_wrap_at_spaces():
    assert lines("The quick brown fox jumps over the lazy dog", 15) == [
        "The quick brown",
        "fox jumps over",
        "the lazy dog",
    ]


def test_wrap_cuts_long_words():
    assert lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_wrap_keeps_explicit_newlines():
    assert lines("one\ntwo three", 20) == ["one", "two three"]


def test_wrap_wide_characters_by_cells():
    text = "「こんにちは」と言った"
    for line in lines(text, 8):
        assert sum(2 if ord(c) > 0x2000 else 1 for c in line) <= 8


@given(st.text(alphabet=st.sampled_from("ab c\n"), max_size=300), st.integers(1, 40))
def test_wrap_covers_text_and_fits(text, width):
    starts = wrap_starts(text, width)
    assert starts[0] == 0 and starts == sorted(starts)
    for line in lines(text, width):
        assert len(line) <= width


def story(n=200):
    return [Paragraph(f"Paragraph {i}. " + "word " * (i % 37 + 5)) for i in range(n)]


def test_position_survives_width_change():
    paragraphs = story()
    narrow, wide = Layout(paragraphs, 30), Layout(paragraphs, 90)
    # The row holding char 120 of paragraph 50 at width 30 maps back to the same place.
    line = narrow.line_of(31, 120)
    starts = narrow.line_starts(31)
    assert starts[line] <= 120 < starts[line + 1]
    # The same (paragraph, offset) finds its row at another width, and back.
    wide_line = wide.line_of(31, 120)
    assert wide.offset_of(31, wide_line) <= 120
    assert narrow.line_of(31, 120) == line


def test_advance_and_back_are_inverse():
    layout = Layout(story(), 40)
    top = (10, 0)
    down = layout.advance(*top, 57)
    assert layout.advance(*down, -57) == top


def test_last_page_shows_the_end():
    layout = Layout(story(), 40)
    top = layout.last_page(20)
    rows = layout.rows_from(*top, 20)
    assert len(rows) == 20
    assert rows[-1].paragraph == 199
    assert rows[-1].end == len(layout.paragraphs[199].text)


def test_clamp_top_never_leaves_a_short_last_screen():
    layout = Layout(story(), 40)
    assert layout.clamp_top(199, 0, 20) == layout.last_page(20)


def test_fraction_and_at_fraction_round_trip():
    layout = Layout(story(), 40)
    assert layout.fraction(0, 0) == 0.0
    index, offset = layout.at_fraction(0.5)
    assert abs(layout.fraction(index, offset) - 0.5) < 0.01


def test_cost_does_not_depend_on_length():
    big = Layout([Paragraph("word " * 40)] * 200_000, 60)
    top = big.last_page(30)
    assert top[0] > 199_000
    # Only the paragraphs around the end were wrapped.
    assert len(big._starts) < 100


def test_a_first_line_label_takes_its_own_width_from_the_wrap():
    text = (
        "“I am precisely on time, as I always am, and I will not be hurried by anyone"
        " in this house,” he said."
    )
    paragraphs = [Paragraph(text)]
    layout = Layout(paragraphs, 40, 1, labels=lambda index: 14)
    assert layout.indent_of(0) == 14
    starts = layout.line_starts(0)
    lines = [text[a:b].rstrip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert 14 + len(lines[0]) <= 40  # the label and the first line fit the width
    assert all(len(line) <= 40 for line in lines[1:])
    assert " ".join(lines).split() == text.split()  # no word lost
