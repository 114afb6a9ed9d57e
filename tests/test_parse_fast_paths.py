"""The plain-text header's fast paths (a first scan reads tens of thousands of
headers): each gives exactly what the general path gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        "Title: T\n   \nAuthor: A\n",  # a line of spaces ends it
        "Title: T\nAuthor: A",  # no blank line at the end
        "Title: T\n : x\nAuthor: A\n",  # no label before a colon
        "Title: T\n:\n\nBody",
        "\n\n  \nTitle: T\nAuthor: A\n\nBody",  # blank lines first
    ],
)
def test_the_usual_header_fast_path_gives_the_general_path_s_pairs(header, monkeypatch):
    lines = header.split("\n")
    fast = plaintext.split_header(lines)
    monkeypatch.setattr(plaintext, "_known_pairs", lambda lines, start: None)
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


def test_bounding_empty_metadata_changes_nothing():
    meta = metadata.Metadata(title="")
    metadata.bound_metadata(meta)
    assert meta == metadata.Metadata(title="")


def _decoded_and_cleaned(data: bytes) -> str:
    """What decode_clean gives, the usual way (its general path)."""
    from tuific.text import decode_bytes

    return clean_text(decode_bytes(data), normalise=False)


_ODD_TEXTS = [
    "Title: T\nAuthor: A\n\nBody \u201cquoted\u201d, caf\u00e9 \u2014 na\u0303o\u2026",
    "Title: T\r\nAuthor: A\r\n\r\nBody\r\n",  # CRLF
    "Title: T\rAuthor: A\r\rBody",  # CR alone
    "Title:\nAuthor: \n\n\tBody",  # empty header values, a tab
    "\u00a0\u00ab\u00ae\u00ad \u00ea\u00eb\u00ec\u00ed\u00ee \u2066 \u2069 \u202a\u202e",
    "nfd: e\u0301, \u1100\u1161, \u0387, \u212a",  # not NFC: left so, as clean_text leaves it
    "",
]


@pytest.mark.parametrize("text", _ODD_TEXTS)
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_decoding_clean_utf8_gives_the_usual_clean_text(text, bom):
    from tuific.text import decode_clean

    data = bom + text.encode("utf-8")
    assert decode_clean(data) == _decoded_and_cleaned(data)


@pytest.mark.parametrize(
    "code", [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
def test_no_control_character_passes_as_clean(code):
    from tuific import text as text_module

    data = f"a{chr(code)}b \u201cq\u201d".encode()
    if code != 0x0A:
        assert text_module._clean_utf8(data) is None  # each takes the usual path
    assert text_module.decode_clean(data) == _decoded_and_cleaned(data)


@pytest.mark.parametrize(
    "data",
    [
        "Title: T\n\nBody".encode("utf-16"),  # a UTF-16 BOM
        "Title: T\n\n\u0436\u0443\u0440\u043d\u0430\u043b".encode("cp1251"),
        "caf\u00e9 \u201cq\u201d".encode("cp1252"),
        b"\xef\xbb\xbfTitle: T\n\ncut short \xe2\x80",  # truncated UTF-8 after a BOM
        b"cut short \xe2\x80",
        b"\xef\xbb\xbf",
    ],
)
def test_other_encodings_decode_and_clean_as_usual(data):
    from tuific.text import decode_clean

    assert decode_clean(data) == _decoded_and_cleaned(data)


def test_a_text_over_a_chunk_is_cleaned_in_pieces_as_usual():
    from tuific import text as text_module

    line = "a \u201cclean\u201d text\n"
    data = ("Title: T\n\n" + line * 70_000).encode()
    assert len(data) > text_module._CHUNK
    assert text_module._clean_utf8(data) is None
    assert text_module._clean_utf8(("Title: T\n\n" + line * 50_000).encode()) is not None
    assert text_module.decode_clean(data) == _decoded_and_cleaned(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.booleans())
def test_any_utf8_text_decodes_and_cleans_as_usual(text, bom):
    from tuific.text import decode_clean

    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass")
    assert decode_clean(data) == _decoded_and_cleaned(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_and_clean_as_usual(data):
    from tuific.text import decode_clean

    assert decode_clean(data) == _decoded_and_cleaned(data)


@pytest.mark.parametrize(
    "body",
    [
        "One two.\n\nThree\nfour five.\n\n\n  \nSix.\n",
        "  \n\n  Leading white space.\n\nChapter 2\n\nEnd.  \n\n",
        "Line one\nline two\nline three",  # no blank line: each line a block
        "\u3000Ideographic\u3000space\u00a0and\u2028more\n\n* * *\n\nText",
        "",
        " \n\t\n ",
        "\n\n".join(f"Block {n} has\nfour words" for n in range(50)),  # cut before the limit
    ],
)
def test_the_outline_counts_the_words_its_blocks_hold(body, monkeypatch):
    monkeypatch.setattr(plaintext, "MAX_PARAGRAPHS", 20)
    paragraphs = plaintext.paragraphs_of(body)
    words, chapters = plaintext.outline_of(body)
    assert words == sum(len(p.text.split()) for p in paragraphs if p.kind == "text")
    assert chapters == plaintext.chapters_of(paragraphs)
