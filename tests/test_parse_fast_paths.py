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


@pytest.mark.parametrize(
    "value",
    ["300", "0", "007", "1" * 18, "1" * 19, "1" * 40, "", " 300", "300 ", "1,214", "45k",
     "\u0663\u0660\u0660", "³", "12\u00a0000", "none", "-5"],
)
def test_declared_numbers_read_as_the_general_path_reads_them(value):
    assert metadata.parse_int(value) == metadata._parse_int_general(value)


@pytest.mark.parametrize(
    "value",
    ["1/1", "3/10", "4/?", "10/2", "0/0", "1/", "/1", "1/1/2", "1/1 chapters", " 1/1",
     "1 / 1", "1" * 40 + "/1", "2/" + "9" * 40, "\u0661/\u0661", "5", "?/?", ""],
)
def test_chapter_counts_read_as_the_general_path_reads_them(value):
    assert metadata.parse_chapters(value) == metadata._parse_chapters_general(value)


@pytest.mark.parametrize(
    "header",
    [
        "Title: T\nAuthor: A\nWords: 300\nChapters: 1/1\n",
        "Title : T\n  Author:A\nAuthor(s): B\n",  # spaces, a bracketed label
        "Title: T\nTítulo: sin\n",  # a non-ASCII label
        "Title: T\nBeta: someone\n",  # an unknown label
        "Title: T\nAuthor:\nFandom: \n",  # empty values
        "Title: T\nAuthor: A\n  and more\n",  # a continuation line
        "Title: caf\u00e9 \u201cq\u201d\nSummary: \u00e9t\u00e9\n",
        "Title: T\nAUTHOR: A\nauthor: B\n",
        "Title: " + "x" * 5000 + "\nAuthor: A\n",  # over the value budget
    ],
)
def test_the_usual_header_fast_path_gives_the_general_path_s_pairs(header, monkeypatch):
    lines = header.split("\n")
    fast = plaintext.split_header(lines)
    monkeypatch.setattr(plaintext, "_known_pairs", lambda lines, start, end: None)
    assert fast == plaintext.split_header(lines)
    assert plaintext.split_header(lines) == fast  # the labels remembered change nothing


def test_plain_labels_are_remembered_within_a_bound(monkeypatch):
    monkeypatch.setattr(plaintext, "_PLAIN_LABELS", {})
    monkeypatch.setattr(plaintext, "_MAX_PLAIN_LABELS", 2)
    lines = ["Title: T", "Author: A", "Fandom: F", "Bogus: x"]
    assert plaintext.split_header(lines)[0] == [
        ("Title", "T"), ("Author", "A"), ("Fandom", "F"), ("Bogus", "x")
    ]
    assert plaintext._PLAIN_LABELS == {"Title": "Title", "Author": "Author"}


def _bound_one_by_one(meta: metadata.Metadata) -> None:
    """What bound_metadata does, field by field (its general path)."""
    from tuific import limits

    line, items = limits.MAX_HEADER_VALUE_CHARS, limits.MAX_LIST_ITEMS
    notes = limits.MAX_NOTES_CHARS
    for name in metadata._ONE_LINE_FIELDS:
        value = getattr(meta, name)
        if value is not None and len(value) > line:
            setattr(meta, name, metadata._cut(value, line))
    for name in metadata.LIST_FIELDS:
        values = getattr(meta, name)
        if values and (len(values) > items or max(map(len, values)) > line):
            setattr(meta, name, [metadata._cut(v, line) for v in values[:items]])
    meta.summary = metadata._cut(meta.summary, notes)
    meta.notes = metadata._cut(meta.notes, notes)
    extra = meta.extra
    if len(extra) > items or any(len(k) > line or len(v) > notes for k, v in extra.items()):
        meta.extra = {
            metadata._cut(k, line): metadata._cut(v, notes)  # type: ignore[misc]
            for k, v in list(extra.items())[:items]
        }
    for name in ("words_declared", "chapters_total", "series_index"):
        value = getattr(meta, name)
        if value is not None and not 0 <= value < 10**limits.MAX_NUMBER_DIGITS:
            setattr(meta, name, None)


@pytest.mark.parametrize("size", [0, 1, 10, 600, 5000, 300_000])
@pytest.mark.parametrize("field", ["title", "series", "tags", "warnings", "summary", "extra", "n"])
def test_bounding_metadata_cuts_as_field_by_field(size, field):
    import copy

    meta = metadata.Metadata(title="T", authors=["a", "b"], summary="s", words_declared=300)
    long = "é" * size
    if field == "title":
        meta.title = long
    elif field == "series":
        meta.series = long
    elif field == "tags":
        meta.tags = [long, "x", ""]
    elif field == "warnings":
        meta.warnings = ["w"] * size
    elif field == "summary":
        meta.summary = long or None
    elif field == "extra":
        meta.extra = {f"k{i}": long for i in range(min(size, 3000))}
    else:
        meta.words_declared, meta.series_index = 10**size, -size
    expected = copy.deepcopy(meta)
    _bound_one_by_one(expected)
    metadata.bound_metadata(meta)
    assert meta == expected
