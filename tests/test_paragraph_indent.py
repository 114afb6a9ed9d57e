"""With paragraph spacing 0, a text paragraph after another starts with an indent, so
paragraphs do not run together."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_reader_features import open_tides
from uihelpers import make_app, write_library

from tuific.layout import INDENT, Layout, indented_starts, wrap_starts
from tuific.model import Paragraph


def test_indent_only_without_spacing_and_after_text():
    paragraphs = [Paragraph("Head", "heading"), Paragraph("One."), Paragraph("Two.")]
    assert [Layout(paragraphs, 40, 0).indent_of(i) for i in range(3)] == [0, 0, INDENT]
    assert [Layout(paragraphs, 40, 1).indent_of(i) for i in range(3)] == [0, 0, 0]


@given(st.text(alphabet="ab ", max_size=80), st.integers(3, 30))
def test_an_indented_first_line_is_shorter_and_the_rest_wrap_as_before(text, width):
    starts = indented_starts(text, width, INDENT)
    assert starts[0] == 0 and starts == sorted(set(starts))
    first_end = starts[1] if len(starts) > 1 else len(text)
    assert len(text[:first_end].rstrip()) <= max(width - INDENT, 1)
    if len(starts) > 1:  # after the first line, the text wraps as unindented text does
        rest = text[starts[1] :]
        assert [s - starts[1] for s in starts[1:]] == wrap_starts(rest, width)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_reader_indents_paragraphs_with_spacing_0(tmp_path, size):
    library = write_library(
        tmp_path,
        {"tides.txt": "Title: Tides\nAuthor: M\n\nFirst paragraph.\n\nSecond paragraph.\n"},
    )
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        reader.paragraph_spacing = 0
        await pilot.pause()
        lines = ["".join(s.text for s in reader.render_line(y)) for y in range(2)]
        first, second = lines[0].index("First"), lines[1].index("Second")
        assert second == first + INDENT
