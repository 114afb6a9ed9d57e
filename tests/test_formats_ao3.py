"""AO3 HTML downloads (current and older label styles) and AO3's calibre-made EPUB."""

from __future__ import annotations

from pathlib import Path

import pytest
from epubkit import AO3_EPUB, ao3_epub

from tuific.formats import load_story, reader_for

FIXTURES = Path(__file__).parent / "fixtures"
CURRENT = FIXTURES / "ao3_current.html"
OLDER = FIXTURES / "ao3_older.html"

CURRENT_RECORD = {
    "title": "The Tide Clock",
    "authors": ["wrenfeather", "saltmarsh_ink"],
    "recipients": ["juniper_lantern"],
    "fandoms": ["Harbour Lights (TV 2019)", "The Almanac of Small Weathers"],
    "relationships": ["Ines Marrow/Tobiah Finch"],
    "characters": ["Ines Marrow", "Tobiah Finch", "The Harbourmaster"],
    "rating": "Teen And Up Audiences",
    "rating_original": "Teen And Up Audiences",
    "warnings": ["Creator Chose Not To Use Archive Warnings", "Major Character Death"],
    "categories": ["F/M", "Gen"],
    "tags": ["Slow Burn", "Clockmaking", "Found Family", "Weather as a Metaphor"],
    "summary": "Ines mends clocks for a town that has stopped trusting them. Tobiah brings "
               "her one that runs backwards.\n\nA story about tides, and the people who "
               "wait for them.",
    "notes": "Written for the exchange. Thank you to my co-writer for the patience.",
    "words": 185,
    "words_declared": 1247,
    "chapters": 3,
    "chapters_total": 4,
    "status": "in-progress",
    "series": "Instruments of the Coast",
    "series_index": 2,
    "published": "2022-11-03",
    "updated": "2023-01-15",
    "language": "English",
    "extra": {
        "Collections": "Small Weathers Exchange 2022, Coastal Fic Archive",
        "Source": "http://archiveofourown.org/works/40000001",
        "End Notes": "Chapter four is drafted. Thank you for reading!",
    },
}

OLDER_RECORD = {
    "title": "Paper Boats",
    "authors": ["quillon"],
    "recipients": [],
    "fandoms": ["The Almanac of Small Weathers"],
    "relationships": [],
    "characters": ["Petra Quill"],
    "rating": "General Audiences",
    "rating_original": "General Audiences",
    "warnings": ["Choose Not To Use Archive Warnings"],
    "categories": ["Gen"],
    "tags": ["Rain", "Childhood"],
    "summary": "For three rainy days, Petra sends boats down the gutter.",
    "notes": None,
    "words": 116,
    "words_declared": 212,
    "chapters": 1,
    "chapters_total": 1,
    "status": "complete",
    "series": None,
    "series_index": None,
    "published": "2012-04-09",
    "updated": None,
    "language": "English",
    "extra": {"Source": "http://archiveofourown.org/works/1234567"},
}

CHAPTERS = ["Chapter 1: The Clock That Ran Backwards", "Chapter 2: Low Water", "Chapter 3"]


def check_record(record: dict, expected: dict, path: Path, fmt: str) -> None:
    assert record["path"] == str(path)
    assert record["format"] == fmt
    for key, value in expected.items():
        assert record[key] == value, key
    assert set(record) == set(expected) | {"path", "format"}


@pytest.mark.parametrize("metadata_only", [False, True])
def test_ao3_html_current(metadata_only):
    story = load_story(CURRENT, metadata_only=metadata_only)
    check_record(story.record(), CURRENT_RECORD, CURRENT, "ao3-html")
    assert [c.title for c in story.chapters] == CHAPTERS
    assert (story.paragraphs is None) == metadata_only


@pytest.mark.parametrize("metadata_only", [False, True])
def test_ao3_html_older_labels(metadata_only):
    story = load_story(OLDER, metadata_only=metadata_only)
    check_record(story.record(), OLDER_RECORD, OLDER, "ao3-html")


def test_ao3_html_text_chapters_and_emphasis():
    story = load_story(CURRENT)
    paragraphs = story.paragraphs
    for chapter in story.chapters:
        assert paragraphs[chapter.paragraph].kind == "heading"
        assert paragraphs[chapter.paragraph].text == chapter.title
    texts = [p.text for p in paragraphs]
    # The preface is metadata, not text; the kudos message is dropped.
    assert "Summary" not in texts and not any("drop by the Archive" in t for t in texts)
    usually = next(p for p in paragraphs if "usually" in p.text)
    assert usually.emphasis == ((13, 20, "italic"),)
    assert [p.kind for p in paragraphs].count("scene_break") == 2  # centred * * * and <hr>
    assert "\n" in next(p.text for p in paragraphs if p.text.startswith("By evening"))
    assert texts[-1] == "Chapter four is drafted. Thank you for reading!"
    # Chapter notes are shown under their heading, but not counted as story words.
    assert "A stranger, a parcel, a noise like rain." in texts


def test_ao3_html_sniffed_by_content_not_extension(tmp_path):
    copy = tmp_path / "download.txt"
    copy.write_bytes(CURRENT.read_bytes())
    assert load_story(copy).format == "ao3-html"
    assert reader_for(tmp_path / "x.html", b"<html><body><p>hi</p>").NAME == "html"


def test_ao3_html_multiple_series_and_anonymous_byline(tmp_path):
    html = OLDER.read_text(encoding="utf-8")
    html = html.replace(
        "<dt>Stats:</dt>",
        '<dt>Series:</dt><dd>Part 3 of <a href="x">Rain Cycle</a>, Part 1 of <a href="y">'
        "Boats</a></dd><dt>Stats:</dt>")
    html = html.replace(
        '<div class="byline">by <a rel="author" href="http://archiveofourown.org/users/quillon/'
        'pseuds/quillon">quillon</a></div>', '<div class="byline">by Anonymous</div>')
    path = tmp_path / "anon.html"
    path.write_text(html, encoding="utf-8")
    record = load_story(path).record()
    assert (record["series"], record["series_index"]) == ("Rain Cycle", 3)
    assert record["extra"]["Series"] == "Part 3 of Rain Cycle; Part 1 of Boats"
    assert record["authors"] == ["Anonymous"]


def test_ao3_html_unknown_rows_and_in_progress_without_total(tmp_path):
    html = OLDER.read_text(encoding="utf-8").replace(
        "<dd>Published: 2012-04-09 Words: 212 Chapters: 1/1</dd>",
        "<dd>Published: 2012-04-09 Updated: 2012-05-01 Words: 1,200 Chapters: 2/?</dd>"
        "<dt>Translation:</dt><dd>Into Deutsch</dd>")
    path = tmp_path / "wip.html"
    path.write_text(html, encoding="utf-8")
    record = load_story(path).record()
    assert (record["chapters_total"], record["status"]) == (None, "in-progress")
    assert record["updated"] == "2012-05-01"
    assert record["words_declared"] == 1200
    assert record["extra"]["Translation"] == "Into Deutsch"


def test_summary_line_starting_with_for_is_not_a_gift():
    assert load_story(OLDER).meta.recipients == []


# -- EPUB -----------------------------------------------------------------------------

def write_epub(tmp_path: Path, data: bytes, name: str = "The_Tide_Clock.epub") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("metadata_only", [False, True])
def test_ao3_epub_matches_the_html_download(tmp_path, metadata_only):
    path = write_epub(tmp_path, ao3_epub())
    story = load_story(path, metadata_only=metadata_only)
    expected = dict(CURRENT_RECORD)
    expected["extra"] = dict(CURRENT_RECORD["extra"],
                             Source="https://archiveofourown.org/works/40000001")
    check_record(story.record(), expected, path, "ao3-epub")
    assert [c.title for c in story.chapters] == CHAPTERS


def test_ao3_epub_text_in_spine_order_not_zip_order(tmp_path):
    story = load_story(write_epub(tmp_path, ao3_epub()))
    html = load_story(CURRENT)
    assert story.paragraphs == html.paragraphs
    assert [story.paragraphs[c.paragraph].text for c in story.chapters] == CHAPTERS


def test_ao3_epub_without_preface_types_subjects(tmp_path):
    opf = (AO3_EPUB / "content.opf").read_text(encoding="utf-8").replace(
        '<itemref idref="id4"/>', "")
    path = write_epub(tmp_path, ao3_epub({"content.opf": opf}))
    record = load_story(path).record()
    assert record["format"] == "ao3-epub"
    assert record["rating"] == "Teen And Up Audiences"
    assert record["warnings"] == ["Creator Chose Not To Use Archive Warnings",
                                  "Major Character Death"]
    assert record["categories"] == ["F/M", "Gen"]
    # Fandoms, characters and freeforms are indistinguishable in dc:subject: tags.
    assert record["tags"][:2] == ["Harbour Lights (TV 2019)", "The Almanac of Small Weathers"]
    assert "Slow Burn" in record["tags"] and "Gen" not in record["tags"]
    assert record["authors"] == ["wrenfeather", "saltmarsh_ink"]
    assert record["title"] == "The Tide Clock"
    assert record["summary"].startswith("Ines mends clocks")
    assert (record["series"], record["series_index"]) == ("Instruments of the Coast", 2)
    assert (record["language"], record["published"]) == ("en", "2022-11-03")
    assert record["chapters"] == 3


def test_ao3_epub_sniffed_by_opf_without_epub_extension(tmp_path):
    path = write_epub(tmp_path, ao3_epub(), name="download.zip")
    assert load_story(path).format == "ao3-epub"


def test_ao3_epub_sniffed_by_preface_when_opf_is_silent(tmp_path):
    opf = (AO3_EPUB / "content.opf").read_text(encoding="utf-8")
    opf = opf.replace("Archive of Our Own", "Someone").replace(
        "https://archiveofourown.org/works/40000001", "urn:x")
    assert load_story(write_epub(tmp_path, ao3_epub({"content.opf": opf}))).format == "ao3-epub"
