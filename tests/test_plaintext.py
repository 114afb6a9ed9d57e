from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tuific.formats import plaintext
from tuific.formats.plaintext import parse
from tuific.metadata import normalise_rating, title_from_filename

HEADER = """Title: The Lantern Keeper
author:Wren Ashdown
For:marigold
Fandom: Original Work, Lighthouse Tales
Character/Pairing: Ada/Ned, past Ned/Ivo
Rating: PG/K+
Warning(s): None
Additional Tags: slow burn,
  found family
Word Count: 1,204
Date Written: 3 March 2021
Beta: Quill
Summary: A keeper, a storm,
and a letter.

“Is the lamp lit?” she asked.

It was.
"""


def story(text: str, name: str = "x.txt"):
    return parse(text, Path(name))


def test_header_labels_variants_and_continuations():
    s = story(HEADER)
    m = s.meta
    assert m.title == "The Lantern Keeper"
    assert m.authors == ["Wren Ashdown"]
    assert m.recipients == ["marigold"]
    assert m.fandoms == ["Original Work", "Lighthouse Tales"]
    assert m.relationships == ["Ada/Ned", "past Ned/Ivo"]
    assert m.rating == "General Audiences" and m.rating_original == "PG/K+"
    assert m.warnings == ["None"]
    assert m.tags == ["slow burn", "found family"]
    assert m.words_declared == 1204
    assert m.published == "3 March 2021"
    assert m.summary == "A keeper, a storm, and a letter."
    assert m.extra == {"Beta": "Quill"}
    assert [p.text for p in s.paragraphs] == ["“Is the lamp lit?” she asked.", "It was."]
    assert s.words == 8


def test_authors_split_on_commas_only():
    s = story("Title: T\nAuthor: fennel & rue, Oak\n\nBody.")
    assert s.meta.authors == ["fennel & rue", "Oak"]


def test_no_header_titles_from_file_name():
    s = story("It began with rain.\n\nThen sun.", "the-orchard-road.txt")
    assert s.meta.title == "The Orchard Road"
    assert len(s.paragraphs) == 2


def test_first_line_with_colon_that_is_not_a_label_is_body():
    s = story("She said: come home.\n\nAnd so.", "come-home.txt")
    assert s.meta.title == "Come Home"
    assert s.paragraphs[0].text == "She said: come home."


def test_crlf_and_cr_line_ends():
    s = story("Title: A\r\nAuthor: B\r\n\r\nOne.\r\n\r\nTwo.\rThree.")
    assert s.meta.title == "A" and s.meta.authors == ["B"]
    assert [p.text for p in s.paragraphs] == ["One.", "Two.\nThree."]


def test_hard_wrapped_paragraphs_are_rejoined():
    line = "word " * 14
    s = story(f"Title: A\n\n{line.strip()}\n{line.strip()}\nend.\n\nNext.\n")
    assert "\n" not in s.paragraphs[0].text
    assert s.paragraphs[0].text.endswith("word end.")


def test_one_paragraph_per_line_without_blank_lines():
    s = story("Title: A\n\nfirst line\nsecond line\nthird line")
    # The header ends at the first blank line; the body has no blank lines.
    assert [p.text for p in s.paragraphs] == ["first line", "second line", "third line"]


def test_chapters_and_scene_breaks_found():
    text = "Title: A\n\nChapter 1: Start\n\nOne.\n\n* * *\n\nTwo.\n\nChapter 2\n\nThree."
    s = story(text)
    assert [c.title for c in s.chapters] == ["Chapter 1: Start", "Chapter 2"]
    assert [p.kind for p in s.paragraphs] == [
        "heading",
        "text",
        "scene_break",
        "text",
        "heading",
        "text",
    ]


def test_title_markup_is_kept_literally():
    s = story("Title: [bold]x[/bold] [@click=app.quit]y[/]\n\nBody.")
    assert s.meta.title == "[bold]x[/bold] [@click=app.quit]y[/]"


def test_ratings_normalise_to_ao3_scale():
    cases = {
        "NC-17": "Explicit",
        "X": "Explicit",
        "MA": "Explicit",
        "E": "Explicit",
        "R": "Mature",
        "M": "Mature",
        "Mature": "Mature",
        "PG-13": "Teen And Up Audiences",
        "PG-15": "Teen And Up Audiences",
        "T": "Teen And Up Audiences",
        "Teen": "Teen And Up Audiences",
        "PG": "General Audiences",
        "G": "General Audiences",
        "K": "General Audiences",
        "K+": "General Audiences",
        "PG/K+": "General Audiences",
        "General": "General Audiences",
        "banana": "Not Rated",
        "": "Not Rated",
    }
    for original, expected in cases.items():
        assert normalise_rating(original) == expected, original


def test_title_from_filename():
    assert title_from_filename("the-orchard-road") == "The Orchard Road"
    assert title_from_filename("a_b c") == "A B C"


@given(st.text(max_size=2000))
def test_parse_never_raises_and_cleans(text):
    s = story(text)
    assert s.meta.title
    for p in s.paragraphs:
        assert "\x1b" not in p.text and "\r" not in p.text


def test_list_commas_inside_brackets_do_not_split():
    s = story("Title: T\nWarnings: Major Character Death (implied, canonical), Angst\n\nBody.")
    assert s.meta.warnings == ["Major Character Death (implied, canonical)", "Angst"]


def test_declared_word_counts_in_many_spellings():
    from tuific.metadata import parse_int

    cases = {
        "1,214": 1214,
        "12 000": 12000,
        "1.214": 1214,
        "45k": 45000,
        "1.2k": 1200,
        "10K words": 10000,
        "none": None,
    }
    for text, expected in cases.items():
        assert parse_int(text) == expected, text


def test_story_prefix_is_the_start_of_the_whole_story(tmp_path):
    from tuific.formats import load_story, read_file_bytes, story_prefix

    body = "\n\n".join(
        (f"Chapter {i // 50 + 1}" if i % 50 == 0 else f"“Line {i},” she said, and went on. " * 5)
        for i in range(3000)
    )
    path = tmp_path / "long.txt"
    path.write_bytes(("Title: Long\nAuthor: A\n\n" + body).replace("\n", "\r\n").encode("cp1252"))
    data = read_file_bytes(path)
    prefix = story_prefix(path, data, size=64 * 1024)
    whole = load_story(path)
    assert prefix is not None and 10 < len(prefix.paragraphs) < len(whole.paragraphs)
    assert prefix.meta.title == "Long"
    for part, full in zip(prefix.paragraphs, whole.paragraphs, strict=False):
        assert (part.text, part.kind) == (full.text, full.kind)
    assert story_prefix(path, data, size=len(data) + 1) is None  # small: no prefix


# ------------------------------------------------------------------ metadata only

_PIECES = [
    "Chapter 1: The Lake", "CHAPTER TWO", "Prologue", "Part iv. Home", "* * *", "~~~", "#",
    "oOo", "xXx", "-", "word", "two words here", "  indented line", "\t", " ", "",
    "a line long enough to count as hard wrapped by the paragraph rejoining rule here",
    "Chapter " + "long " * 40, "é accented", "Title: Not a header here", "Epilogue",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from(["", "Title: T\n\n"]))
def test_metadata_only_read_counts_as_the_full_parse(lines, header):
    """The story list's path (no paragraphs made) gives the words and chapters of
    the reader's full parse, for any mix of headings, breaks and wrapped blocks."""
    data = (header + "\n".join(lines)).encode("utf-8")
    path = Path("/lib/story.txt")
    full = plaintext.load(path, data)
    quick = plaintext.read_metadata(path, data)
    assert quick.paragraphs is None
    assert (quick.words, quick.chapters, quick.meta) == (full.words, full.chapters, full.meta)
    assert quick.format == full.format


def test_the_outline_reads_an_unnormalised_body_as_the_load_reads_it():
    # The list's metadata (read_metadata) leaves the body as it is, not NFC-normalised:
    # the same words, headings and scene breaks as the reader's load all the same.
    import unicodedata

    from tuific.chapters import SPECIAL_FIRST
    from tuific.formats import plaintext

    found = {
        char
        for char in map(chr, range(0x80, 0x110000))
        if not 0xD800 <= ord(char) <= 0xDFFF
        and char not in SPECIAL_FIRST
        and unicodedata.normalize("NFC", char)[:1] in SPECIAL_FIRST
    }
    assert found == plaintext._SPECIAL_ONCE_NORMALISED
    body = "\n\n".join(
        [
            "Title: Décomposé\nAuthor: Zoë",
            "E\u0301pilogue",  # a heading, decomposed
            "Cap\u0131\u0301tulo 2",
            "Words e\u0301 here\u2000and\u2001there.",
            "\u0387 \u0387 \u0387",  # a scene break once normalised
            "\u212aapitel 3",
            "More words.",
        ]
    )
    path = Path("story.txt")
    loaded = plaintext.load(path, body.encode())
    listed = plaintext.read_metadata(path, body.encode())
    assert listed.words == loaded.words
    assert [(c.title, c.paragraph) for c in listed.chapters] == [
        (c.title, c.paragraph) for c in loaded.chapters
    ]
    assert listed.meta == loaded.meta and listed.meta.title == "Décomposé"
