"""Generic EPUB (spine order, nav/NCX titles, Dublin Core) and generic HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from epubkit import FIXTURES, epub_from_folder

from tuific.formats import StoryError, load_story

GENERIC = FIXTURES / "generic_epub"
# Zip order deliberately not the spine's: chapter 2 first, then chapter 1.
ZIP_ORDER = [
    "META-INF/container.xml", "OEBPS/text/chapter2.xhtml", "OEBPS/toc.ncx",
    "OEBPS/text/chapter 1.xhtml", "OEBPS/package.opf", "OEBPS/nav.xhtml",
    "OEBPS/text/cover.xhtml", "OEBPS/images/cover.png",
]

EPUB_RECORD = {
    "format": "epub",
    "title": "The Cartographer's Apprentice",
    "authors": ["Maren Oakley", "Ivo Brandt"],  # the illustrator is not an author
    "recipients": [],
    "fandoms": [],
    "relationships": [],
    "characters": [],
    "rating": "Not Rated",
    "rating_original": None,
    "warnings": [],
    "categories": [],
    "tags": ["Fantasy", "Maps", "Coming of Age"],
    "summary": "An apprentice learns that some maps draw back.\n\nTwo short chapters.",
    "notes": None,
    "words": 87,
    "words_declared": None,
    "chapters": 2,
    "chapters_total": None,
    "status": None,
    "series": "The Inkwell Cycle",
    "series_index": 1,
    "published": "2019-06-21",
    "updated": None,
    "language": "en-GB",
    "extra": {"Publisher": "Quiet Lantern Books"},
}

HTML_RECORD = {
    "format": "html",
    "title": "Winter Orchard",
    "authors": ["Hollis Vane"],
    "recipients": [],
    "fandoms": [],
    "relationships": [],
    "characters": [],
    "rating": "Not Rated",
    "rating_original": None,
    "warnings": [],
    "categories": [],
    "tags": ["orchards", "winter", "sisters"],
    "summary": "Two sisters keep an orchard through a hard winter.",
    "notes": None,
    "words": 84,
    "words_declared": None,
    "chapters": 2,
    "chapters_total": None,
    "status": None,
    "series": None,
    "series_index": None,
    "published": None,
    "updated": None,
    "language": "en",
    "extra": {},
}


@pytest.fixture
def generic_epub(tmp_path) -> Path:
    path = tmp_path / "cartographer.epub"
    path.write_bytes(epub_from_folder(GENERIC, ZIP_ORDER))
    return path


def check(record: dict, expected: dict, path: Path) -> None:
    assert record["path"] == str(path)
    for key, value in expected.items():
        assert record[key] == value, key
    assert set(record) == set(expected) | {"path"}


@pytest.mark.parametrize("metadata_only", [False, True])
def test_generic_epub_record(generic_epub, metadata_only):
    story = load_story(generic_epub, metadata_only=metadata_only)
    check(story.record(), EPUB_RECORD, generic_epub)
    # Titles from the EPUB3 nav (preferred over the NCX), first entry per document.
    assert [c.title for c in story.chapters] == ["I. The Blank Sheet", "II. Contour Lines"]


def test_generic_epub_spine_order_and_text(generic_epub):
    story = load_story(generic_epub)
    texts = [p.text for p in story.paragraphs]
    assert texts[0] == "I. The Blank Sheet"  # the cover page (only an image) is skipped
    assert texts.index("By the third week the line had grown a hill.") > texts.index(
        "I. The Blank Sheet")
    # Chapter 2 has no heading of its own: one is inserted from the nav title.
    second = story.chapters[1]
    assert story.paragraphs[second.paragraph].kind == "heading"
    assert story.paragraphs[second.paragraph].text == "II. Contour Lines"
    assert story.paragraphs[story.chapters[0].paragraph].text == "I. The Blank Sheet"
    assert [p.kind for p in story.paragraphs].count("scene_break") == 1
    what = next(p for p in story.paragraphs if p.text.startswith('"Understood'))
    assert what.emphasis == ((12, 16, "italic"),)


def _generic_epub_with_opf(tmp_path, opf: str, name: str):
    """The generic EPUB fixture with its package document replaced by `opf`."""
    folder = tmp_path / "book"
    for member in ZIP_ORDER:
        target = folder / member
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((GENERIC / member).read_bytes())
    (folder / "OEBPS/package.opf").write_text(opf, encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(epub_from_folder(folder, ZIP_ORDER))
    return path


def test_generic_epub_falls_back_to_ncx(tmp_path):
    opf = (GENERIC / "OEBPS/package.opf").read_text(encoding="utf-8").replace(
        ' properties="nav"', "")
    path = _generic_epub_with_opf(tmp_path, opf, "ncx.epub")
    story = load_story(path)
    assert [c.title for c in story.chapters] == ["NCX one (nav wins)", "NCX two (nav wins)"]


def test_epub_without_toc_uses_opening_headings(tmp_path):
    opf = (GENERIC / "OEBPS/package.opf").read_text(encoding="utf-8")
    opf = opf.replace(' properties="nav"', "").replace(' toc="ncx"', "").replace(
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>', "")
    path = _generic_epub_with_opf(tmp_path, opf, "notoc.epub")
    for metadata_only in (False, True):
        story = load_story(path, metadata_only=metadata_only)
        assert [c.title for c in story.chapters] == ["I. The Blank Sheet"]


@pytest.mark.parametrize("metadata_only", [False, True])
def test_generic_html_record(metadata_only):
    path = FIXTURES / "generic_story.html"
    story = load_story(path, metadata_only=metadata_only)
    check(story.record(), HTML_RECORD, path)
    assert [c.title for c in story.chapters] == ["One", "Two"]


def test_generic_html_text():
    story = load_story(FIXTURES / "generic_story.html")
    texts = [p.text for p in story.paragraphs]
    assert "Home" not in texts  # navigation is not story text
    assert not any("trackReader" in t or "max-width" in t or "comment" in t for t in texts)
    assert "[image: A sketch of bare apple trees]" in texts
    assert "When the thaw came the trees were still standing.\nAll but one." in texts
    assert [p.kind for p in story.paragraphs].count("scene_break") == 1
    useless = next(p for p in story.paragraphs if "useless" in p.text)
    assert useless.emphasis == ((19, 26, "italic"),)
    for chapter in story.chapters:
        assert story.paragraphs[chapter.paragraph].kind == "heading"


def test_generic_html_bold_paragraph_chapters(tmp_path):
    path = tmp_path / "forum-post.htm"
    path.write_text("<html><body><p><b>Chapter 1</b></p><p>Rain.</p>"
                    "<p><b>Chapter 2: After</b></p><p>Sun.</p></body></html>")
    for metadata_only in (False, True):
        story = load_story(path, metadata_only=metadata_only)
        assert [c.title for c in story.chapters] == ["Chapter 1", "Chapter 2: After"]
    assert load_story(path).meta.title == "Forum Post"


def test_html_sniffed_by_content(tmp_path):
    path = tmp_path / "saved_page"
    path.write_bytes(b"<!DOCTYPE html>\n<html><head><title>Found</title></head>"
                     b"<body><p>Words here.</p></body></html>")
    assert load_story(path).format == "html"


def test_escapes_in_titles_and_text_are_cleaned(tmp_path):
    path = tmp_path / "bad.html"
    path.write_text("<html><head><title>T\x1b]52;c;aGk=\x07x</title></head>"
                    "<body><p>a\x1b[2Jb</p></body></html>")
    story = load_story(path)
    assert "\x1b" not in story.meta.title and "\x07" not in story.meta.title
    assert story.paragraphs[0].text == "a[2Jb"


def test_epub_missing_spine_document_is_skipped(tmp_path):
    order = [n for n in ZIP_ORDER if n != "OEBPS/text/chapter2.xhtml"]
    path = tmp_path / "partial.epub"
    path.write_bytes(epub_from_folder(GENERIC, order))
    story = load_story(path)
    assert [c.title for c in story.chapters] == ["I. The Blank Sheet"]


def test_epub_with_no_readable_opf_is_an_error(tmp_path):
    order = [n for n in ZIP_ORDER if n != "OEBPS/package.opf"]
    path = tmp_path / "noopf.epub"
    path.write_bytes(epub_from_folder(GENERIC, order))
    with pytest.raises(StoryError, match="no package"):
        load_story(path)


def test_an_opf_of_thousands_of_subjects_keeps_the_header_s_share_once_each(tmp_path):
    # A hostile OPF repeats and piles up subjects (16 MiB may hold 500,000): each is
    # kept once, in order, up to as many as a header list keeps; checking each against
    # the list itself took 10 s for 20,000 and hours for the most.
    from tuific import limits
    from tuific.formats.epubzip import open_epub

    extra = "".join(f"<dc:subject>Tag {n % 2500}</dc:subject>" for n in range(5000))
    opf = (GENERIC / "OEBPS/package.opf").read_text(encoding="utf-8")
    opf = opf.replace("</metadata>", extra + "</metadata>", 1)
    path = _generic_epub_with_opf(tmp_path, opf, "many.epub")
    # The OPF's reading stops keeping them once a header's share is held...
    assert len(open_epub(path.read_bytes()).metadata.subjects) == limits.MAX_LIST_ITEMS
    tags = load_story(path).meta.tags
    assert len(tags) == len(set(tags)) == limits.MAX_LIST_ITEMS
    ours = [tag for tag in tags if tag.startswith("Tag ")]
    assert ours == [f"Tag {n}" for n in range(len(ours))] and len(ours) > 900
