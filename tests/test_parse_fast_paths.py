"""The plain-text header's fast paths (a first scan reads tens of thousands of
headers): each gives exactly what the general path gives."""

from __future__ import annotations

import pytest

from tuific import metadata
from tuific.formats import plaintext
from tuific.metadata import field_for, split_list
from tuific.text import clean_line, clean_text


def _with_bracket(value: str) -> list[str]:
    # A bracket pair in a last item of its own takes the general path, and is dropped.
    items = split_list(value + ", ()")
    assert items[-1] == "()"
    return items[:-1]


@pytest.mark.parametrize(
    "value",
    ["a, b,c", " fennel & rue , ", "x,,y", "one", "", "tag\x1bm, red", "caf\u00e9, na\u0303o"],
)
def test_a_list_without_brackets_splits_as_with_them(value):
    assert split_list(value) == _with_bracket(value)


@pytest.mark.parametrize(
    "text", ["Plain words", "  two  spaces ", "tab\there", "esc\x1b[2J", "del\x7f", "line\nbreak"]
)
def test_clean_text_and_line_on_ascii_clean_as_before(text):
    assert "\x1b" not in clean_text(text) and "\x7f" not in clean_text(text)
    assert clean_line(text) == " ".join(clean_text(text).replace("\t", " ").split())
    assert clean_text("Plain words") == "Plain words"


def test_field_for_remembers_labels_within_a_bound(monkeypatch):
    monkeypatch.setattr(metadata, "_FIELDS_SEEN", {})
    monkeypatch.setattr(metadata, "_MAX_SEEN", 3)
    assert field_for("Title") == field_for(" TITLE ") == field_for("title") == "title"
    assert field_for("Nonsense label") is None
    assert len(metadata._FIELDS_SEEN) == 3  # no more than the bound


def test_the_header_lines_stop_at_the_header_s_end():
    text = "\n\nTitle: T\nAuthor: A\n\nBody one.\nBody two.\n"
    assert plaintext._first_lines(text, 400) == ["", "", "Title: T", "Author: A", ""]
    assert plaintext._first_lines("no blank\nat all", 400) == ["no blank", "at all"]
    meta, body = plaintext._header(text, plaintext.Path("x.txt"))
    assert (meta.title, meta.authors, body) == ("T", ["A"], "\nBody one.\nBody two.\n")


def _lines_one_by_one(text: str, count: int) -> list[str]:
    """What _first_lines gives, line by line (its general path)."""
    lines: list[str] = []
    filled = False
    for line in text.split("\n"):
        if len(lines) >= count:
            break
        lines.append(line)
        if line.strip():
            filled = True
        elif filled:
            break
    return lines


@pytest.mark.parametrize(
    "text",
    [
        "Title: T\nAuthor: A\n\nBody\n\nMore",
        "Title: T\n  \nAuthor: A\n\nBody",  # a blank line of spaces ends it first
        "\n\nTitle: T\n\nBody",  # leading empty lines
        "  \nTitle: T\n\nBody",
        "Title: T\nAuthor: A",  # no blank line at all
        "\n".join(f"Line {n}" for n in range(500)) + "\n\nBody",  # longer than `count`
        "Title: T\u3000\n\u3000\nBody",  # Unicode white space
    ],
)
def test_the_header_lines_fast_path_gives_the_general_path_s_lines(text):
    assert plaintext._first_lines(text, 400) == _lines_one_by_one(text, 400)


def test_ratings_are_remembered_within_a_bound(monkeypatch):
    monkeypatch.setattr(metadata, "_RATINGS_SEEN", {})
    monkeypatch.setattr(metadata, "_MAX_SEEN", 2)
    ratings = ["PG-13", "Rated M", "nc-17", "PG-13", "whatever"]
    assert list(map(metadata.normalise_rating, ratings)) == [
        "Teen And Up Audiences", "Mature", "Explicit", "Teen And Up Audiences", "Not Rated"
    ]
    assert len(metadata._RATINGS_SEEN) == 2


@pytest.mark.parametrize(
    "name",
    ["a.txt", "A.TXT", "a.b.epub", "noext", "a.", "a..txt", "x.tar.gz", ".hidden.txt", "a.md"],
)
def test_story_file_names_are_told_as_splitext_tells_them(name):
    import os

    from tuific.formats import STORY_EXTENSIONS
    from tuific.library import _is_candidate

    expected = not name.startswith(".") and os.path.splitext(name)[1].lower() in STORY_EXTENSIONS
    assert _is_candidate(name) == expected
