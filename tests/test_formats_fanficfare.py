"""FanFicFare TXT, HTML and EPUB, read from genuine FanFicFare output.

The fixtures in tests/fixtures/fanficfare/ were written by FanFicFare itself from
its offline test site (make_fixtures.sh regenerates them); the prose in them is
FanFicFare's own test text. Synthetic cases below are original writing.
"""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuific.formats import fff_epub, fff_html, fff_txt, load_story, plaintext, reader_for
from tuific.formats.htmltext import paragraphs_from
from tuific.formats.markup import parse_xhtml
from tuific.model import Paragraph, Story

FIXTURES = Path(__file__).parent / "fixtures" / "fanficfare"
FORMATS = {"txt": "fanficfare-txt", "html": "fanficfare-html", "epub": "fanficfare-epub"}

CHAPTER_TITLES = [
    "Prologue tests:[bare amp(&) qt(') amp(&) gt(>) lt(<) ATnT(AT&T) L(£) Onna(女)]",
    "Chapter 1, Xenos on Cinnabar",
    "Chapter 2, Sinmay on Kintikin",
    'Chapter 3, "Over" Cinnabar',
    "Chapter 4 & 4.5",
    "Chapter 5 < 5.4",
    "Chapter A & B < C > D",
    "Chapter 7",
    "Chapter 8",
]
SUMMARY = (
    "Description tests:[bare amp(&) qt(') amp(&) gt(>) lt(<) ATnT(AT&T) L(£) Onna(女)] Done"
    '\n\nSome more longer description. "I suck at summaries!" "Better than it sounds!" '
    'A span! "My first fic"'
)
# What every format says about test1.com?sid=2 (complete, in a series).
SID2: dict[str, Any] = {
    "title": "Test Story Title 2",
    "authors": ["Test Author aa"],
    "recipients": [],
    "fandoms": ["Furbie", "Harry Potter", "Magical Girl Lyrical Nanoha",
                "Once Upon a Time (TV)", "Puella Magi Madoka Magica/魔法少女まどか★マギカ"],
    "relationships": ["Harry Potter & Hermione Granger", "Harry Potter/Ginny Weasley",
                      "Harry Potter/Ginny Weasley/Albus Dumbledore"],
    "characters": ["Bob Smith", "Fred Smythe", "George Johnson"],
    "rating": "Not Rated",
    "rating_original": "Tweenie",
    "warnings": ["Swearing", "Violence"],
    "categories": [],
    "tags": ["Comedy", "Fantasy", "Noir", "Sci-Fi"],
    "summary": SUMMARY,
    "notes": None,
    "words_declared": 123456,
    "chapters": 9,
    "chapters_total": 9,
    "status": "complete",
    "series": "The Great Test",
    "series_index": 2,
    "published": "1975-03-15",
    "updated": "1975-04-15",
    "language": None,
}
SID2_EXTRA = {
    "Publisher": "test1.com",
    "Story URL": "http://test1.com?sid=2",
    "Author URL": "http://author/url",
    "Series URL": "http://test1.com/seriesid=1",
}


def fixture(name: str) -> Path:
    return FIXTURES / name


def check_record(story: Story, expected: dict[str, Any], extra: dict[str, str]) -> None:
    record = story.record()
    for key, value in expected.items():
        assert record[key] == value, key
    packaged = record["extra"].pop("Packaged")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", packaged)
    assert record["extra"] == extra


def chapter(story: Story, number: int) -> list[Paragraph]:
    assert story.paragraphs is not None
    start = story.chapters[number].paragraph
    stop = (story.chapters[number + 1].paragraph if number + 1 < len(story.chapters)
            else len(story.paragraphs))
    return story.paragraphs[start:stop]


# ------------------------------------------------------------ genuine output


@pytest.mark.parametrize("ext", ["txt", "html", "epub"])
def test_complete_story_record_in_every_format(ext: str) -> None:
    story = load_story(fixture(f"test1-sid2.{ext}"))
    assert story.format == FORMATS[ext]
    check_record(story, SID2, SID2_EXTRA)
    assert [c.title for c in story.chapters] == CHAPTER_TITLES


@pytest.mark.parametrize("ext", ["txt", "html", "epub"])
def test_in_progress_story_has_no_known_total(ext: str) -> None:
    story = load_story(fixture(f"test1-sid1.{ext}"))
    expected = dict(SID2, title="Test Story Title 1", status="in-progress",
                    chapters_total=None, series_index=1)
    check_record(story, expected, dict(SID2_EXTRA, **{"Story URL": "http://test1.com?sid=1"}))


@pytest.mark.parametrize("ext", ["txt", "html", "epub"])
def test_one_chapter_story_without_table_of_contents(ext: str) -> None:
    story = load_story(fixture(f"test1-sid1001.{ext}"))
    expected = {
        "title": "Test Story Title 1001", "authors": ["Test Author aa"], "fandoms": [],
        "relationships": [], "characters": [], "tags": [], "warnings": [],
        "rating": "Not Rated", "rating_original": None, "summary": None,
        "language": "English", "status": "in-progress", "series": None,
        "series_index": None, "chapters": 1, "chapters_total": None,
        "words_declared": 123456, "published": "1975-03-15", "updated": "1975-04-15",
    }
    check_record(story, expected, {
        "Publisher": "test1.com", "Story URL": "http://test1.com?sid=1001",
        "Author URL": "http://test1.com?authid=1",
    })
    assert [c.title for c in story.chapters] == ["Prologue"]
    assert story.paragraphs is not None
    assert story.paragraphs[0] == Paragraph("Prologue", "heading")
    texts = [p.text for p in story.paragraphs]
    assert "Hard coded ids:" in texts
    assert texts[-1] == ("Odd sid's will be In-Progress, evens complete. sid<10 will be "
                         "assigned one of four languages and included in a series.")


@pytest.mark.parametrize("ext", ["txt", "html", "epub"])
def test_chapter_text_emphasis_and_scene_breaks(ext: str) -> None:
    story = load_story(fixture(f"test1-sid2.{ext}"))
    prologue = chapter(story, 0)
    assert prologue[0] == Paragraph(CHAPTER_TITLES[0], "heading")
    assert prologue[1] == Paragraph("Prologue", "heading")  # the site's own <h3>
    assert prologue[2].text == ("This is a fake adapter for testing purposes. Different "
                                "sid's will give different errors:")
    first = chapter(story, 1)
    assert first[0] == Paragraph("Chapter 1, Xenos on Cinnabar", "heading")
    assert first[2].text == "chapter URL:http://test1.com?sid=2&chapter=2"
    lorem = first[4]
    assert lorem.text.startswith("Lorem tests:[bare amp(&) qt(') amp(&) gt(>) lt(<)")
    assert lorem.text.endswith("sunt in culpa qui officia deserunt mollit anim id est laborum.")
    styled = [(lorem.text[s:e], style) for s, e, style in lorem.emphasis]
    assert styled == [("italics", "italic"), ("bold", "bold")]
    # html2text wrote "_italics_ , **bold** ,": the TXT keeps its spaces.
    spans = {"txt": ((75, 82, "italic"), (85, 89, "bold"))}
    assert lorem.emphasis == spans.get(ext, ((75, 82, "italic"), (84, 88, "bold")))
    kinds = [p.kind for p in first]
    assert kinds.count("scene_break") == 2
    rule = kinds.index("scene_break")
    assert first[rule + 1].text == "horizontal rules"
    assert first[rule + 2].kind == "scene_break"
    assert not any("~~" in p.text or "**" in p.text or "_italics_" in p.text for p in first)


@pytest.mark.parametrize("ext", ["txt", "html", "epub"])
def test_title_page_and_table_of_contents_are_not_story_text(ext: str) -> None:
    story = load_story(fixture(f"test1-sid2.{ext}"))
    assert story.paragraphs is not None
    assert story.paragraphs[0] == Paragraph(CHAPTER_TITLES[0], "heading")
    texts = [p.text for p in story.paragraphs]
    assert not any(t.upper() == "TABLE OF CONTENTS" for t in texts)
    assert not any(t.startswith(("Category:", "Summary:", "End file.")) for t in texts)
    assert texts[-1].endswith("mollit anim id est laborum.")
    headings = [i for i, p in enumerate(story.paragraphs) if p.kind == "heading"]
    assert [c.paragraph for c in story.chapters] == [
        i for i in headings if story.paragraphs[i].text in CHAPTER_TITLES]


def test_txt_in_another_language_and_without_series() -> None:
    story = load_story(fixture("test1-sid23.txt"))
    expected = dict(SID2, title="Test Story Title 23", language="German", series=None,
                    series_index=None, status="in-progress", chapters_total=None)
    extra = {k: v for k, v in SID2_EXTRA.items() if k != "Series URL"}
    check_record(story, expected, dict(extra, **{"Story URL": "http://test1.com?sid=23"}))


def test_txt_wrapped_byline_and_values() -> None:
    story = load_story(fixture("test1-sid673.txt"))
    suffixes = list("1234567890qwertyuio")
    assert story.meta.authors == ["Test Author aa"] + [f"Author From List {s}" for s in suffixes]
    assert story.meta.fandoms == [
        "Furbie", "Harry Potter", "Magical Girl Lyrical Nanoha", "Once Upon a Time (TV)",
        "Power Rangers", "Puella Magi Madoka Magica/魔法少女まどか★マギカ", "SG-1"]
    assert story.meta.tags == ["Comedy", "Drama", "Fantasy", "Noir", "Porn", "Sci-Fi"]
    urls = story.meta.extra["Author URL"].split(", ")
    assert urls == ["http://author/url"] + [f"http://author/url-{s}" for s in suffixes[:-1]] + [
        "http://author/url-o"]
    assert story.meta.summary == SUMMARY


def test_txt_without_table_of_contents_finds_chapters_by_layout() -> None:
    story = load_story(fixture("test1-sid6-notoc.txt"))
    assert story.format == "fanficfare-txt"
    assert [c.title for c in story.chapters] == CHAPTER_TITLES
    assert (story.meta.series, story.meta.series_index) == ("The Great Test", 6)


def test_epub_title_page_as_a_table() -> None:
    story = load_story(fixture("test1-sid4-table.epub"))
    expected = dict(SID2, title="Test Story Title 4", series_index=4)
    check_record(story, expected, dict(SID2_EXTRA, **{"Story URL": "http://test1.com?sid=4"}))
    assert [c.title for c in story.chapters] == CHAPTER_TITLES


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()
                                        if p.suffix in (".txt", ".html", ".epub")))
def test_metadata_pass_agrees_with_full_load(name: str) -> None:
    full = load_story(fixture(name))
    quick = load_story(fixture(name), metadata_only=True)
    assert quick.paragraphs is None
    assert quick.format == full.format
    assert quick.record() == full.record()
    assert [c.title for c in quick.chapters] == [c.title for c in full.chapters]


@pytest.mark.parametrize("ext", ["txt", "html", "epub"])
def test_formats_count_the_same_words(ext: str) -> None:
    words = {e: load_story(fixture(f"test1-sid1001.{e}")).words for e in ("txt", "html", "epub")}
    assert words[ext] == 143
    # html2text writes "_italics_ ," — a comma standing alone — so the TXT of a
    # chapter with emphasis counts a couple more words than the HTML.
    full = {e: load_story(fixture(f"test1-sid2.{e}")).words for e in ("txt", "html", "epub")}
    assert full["html"] == full["epub"] == 2591
    assert full["txt"] - full["html"] == 2 * 8


# ------------------------------------------------------------------- sniffing


def head(name: str) -> bytes:
    return fixture(name).read_bytes()[:8192]


@pytest.mark.parametrize("name", ["test1-sid2.txt", "test1-sid1001.txt", "test1-sid673.txt",
                                  "test1-sid6-notoc.txt"])
def test_txt_sniffs_fanficfare_heads(name: str) -> None:
    assert fff_txt.sniff(Path(name), head(name))


@pytest.mark.parametrize("text", [
    "Title: The Orchard Road\nAuthor: fennel\nRating: T\n\nThe orchard was quiet.\n",
    "\n\n\nThe Orchard Road\n\nby fennel\n\nThe orchard was quiet. Nobody came.\n",
    "\n\nThe Orchard Road\n\nby fennel\n\nStatus: the orchard was quiet.\n",
    "Category: gen\nGenre: quiet\nStatus: done\n\nText.\n",
    "",
    "\n\n\n",
])
def test_txt_leaves_ordinary_text_files_alone(text: str, tmp_path: Path) -> None:
    data = text.encode()
    assert not fff_txt.sniff(Path("story.txt"), data)
    if data.strip():
        path = tmp_path / "story.txt"
        path.write_bytes(data)
        assert load_story(path).format == "text"


def test_txt_needs_a_text_extension() -> None:
    assert not fff_txt.sniff(Path("story.md"), head("test1-sid2.txt"))
    assert reader_for(Path("story.txt"), head("test1-sid2.txt")) is fff_txt


def test_html_sniff() -> None:
    assert fff_html.sniff(Path("a.html"), head("test1-sid2.html"))
    assert fff_html.sniff(Path("a.htm"), head("test1-sid1001.html"))
    assert not fff_html.sniff(Path("a.txt"), head("test1-sid2.html"))
    generic = b"<html><body><h1>A</h1><table class='full'><tr><td>x</td></tr></table></body>"
    assert not fff_html.sniff(Path("a.html"), generic)


def test_epub_sniff_by_name_and_by_opf() -> None:
    data = fixture("test1-sid2.epub").read_bytes()
    assert fff_epub.sniff(Path("a.epub"), data[:8192])
    assert fff_epub.sniff_data(Path("a.epub"), data)
    assert not fff_epub.sniff(Path("a.epub"), b"PK\x03\x04 something else")
    assert not fff_epub.sniff_data(Path("a.epub"), b"PK\x03\x04 not really a zip")
    assert not fff_epub.sniff_data(Path("a.txt"), b"plain text")


def rebuild_epub(source: Path, change: Any) -> bytes:
    """Copy an EPUB member by member; `change(name, data, out)` may rewrite or drop."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            change(info.filename, old.read(info), new)
    return out.getvalue()


def test_epub_with_a_big_cover_first_is_found_by_its_opf(tmp_path: Path) -> None:
    def change(name: str, data: bytes, new: zipfile.ZipFile) -> None:
        if name == "META-INF/container.xml":
            new.writestr("OEBPS/images/cover.jpg", bytes(range(256)) * 64,
                         compress_type=zipfile.ZIP_STORED)
        new.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)

    data = rebuild_epub(fixture("test1-sid2.epub"), change)
    assert not fff_epub.sniff(Path("a.epub"), data[:8192])  # the name is past the head
    path = tmp_path / "covered.epub"
    path.write_bytes(data)
    story = load_story(path)
    assert story.format == "fanficfare-epub"
    assert story.meta.fandoms == SID2["fandoms"]


def test_epub_without_title_page_falls_back_to_the_opf(tmp_path: Path) -> None:
    def change(name: str, data: bytes, new: zipfile.ZipFile) -> None:
        if name.endswith("title_page.xhtml"):
            return
        if name == "content.opf":
            data = re.sub(rb"<item id=\"title_page\"[^>]*/>|<itemref idref=\"title_page\"[^>]*/>",
                          b"", data)
        new.writestr(name, data)

    path = tmp_path / "bare.epub"
    path.write_bytes(rebuild_epub(fixture("test1-sid2.epub"), change))
    story = load_story(path)
    assert story.format == "fanficfare-epub"  # the OPF identifier still says FanFicFare
    meta = story.meta
    assert meta.title == "Test Story Title 2"
    assert meta.authors == ["Test Author aa"]
    assert meta.status == "complete"
    assert meta.published == "1975-03-15" and meta.updated == "1975-04-15"
    assert meta.language == "en"
    assert meta.summary == SUMMARY
    assert "Comedy" in meta.tags and "Harry Potter" in meta.tags
    assert not any(t in ("FanFiction", "Completed") or t.startswith("Last Update")
                   for t in meta.tags)
    assert meta.extra == {"Publisher": "test1.com"}
    assert [c.title for c in story.chapters] == CHAPTER_TITLES


# --------------------------------------------------- synthetic FanFicFare TXT


def fff_text(title: str, author: str, entries: list[tuple[str, str]],
             chapters: list[tuple[str, str]], toc: bool = True) -> bytes:
    """A TXT laid out as FanFicFare's txt writer does it (textwrap at 78, CRLF)."""
    def wrap(text: str) -> str:
        return "\n".join("\n".join(textwrap.wrap(p, 78)) if p else "" for p in text.split("\n"))

    out = [wrap(f"\n\n\n{title}\n\nby {author}\n\n\n")]
    out.append(wrap("\n" + "".join(f"{label}: {value}\n" for label, value in entries) + "\n\n\n"))
    if toc and len(chapters) > 1:
        out.append(wrap("\n\nTABLE OF CONTENTS\n\n" + "".join(f"\n{t}\n" for t, _ in chapters)
                        + "\n"))
    for chapter_title, body in chapters:
        out.append(wrap(f"\n\n\t{chapter_title}\n\n") + "\n" + body + "\n")
    out.append("\n\nEnd file.\n")
    return "".join(out).replace("\n", "\r\n").encode("utf-8")


def load_text(data: bytes, name: str = "story.txt") -> Story:
    path = Path(name)
    assert fff_txt.sniff(path, data[:8192])
    return fff_txt.load(path, data)


def test_wrapped_values_holding_colons_stay_in_their_entry() -> None:
    fandoms = ("Lighthouse Keepers: The Long Watch (Radio Play), Tidewater Chronicles: "
               "Second Season, Original Work")
    data = fff_text(
        "The Keeper's Ledger", "Marisol Quay",
        [("Category", fandoms), ("Genre", "Drama, Hurt/Comfort, Slice-of-Life"),
         ("Status", "Completed"), ("Chapters", "2"), ("Words", "2,048"),
         ("Summary", "Every night the lamp is lit. Note: not every night goes to plan, "
                     "and the ledger knows it.")],
        [("One: Oil", "The lamp wanted *oil* again.\n"),
         ("Two: Wick", "She trimmed the wick.\n")],
    )
    story = load_text(data)
    assert story.meta.fandoms == ["Lighthouse Keepers: The Long Watch (Radio Play)",
                                  "Tidewater Chronicles: Second Season", "Original Work"]
    assert story.meta.tags == ["Drama", "Hurt/Comfort", "Slice-of-Life"]
    assert story.meta.summary == ("Every night the lamp is lit. Note: not every night goes to "
                                  "plan, and the ledger knows it.")
    assert story.meta.chapters_total == 2
    assert [c.title for c in story.chapters] == ["One: Oil", "Two: Wick"]
    assert chapter(story, 0)[1] == Paragraph("The lamp wanted oil again.", "text",
                                             ((16, 19, "italic"),))


def test_prose_after_a_short_title_page_is_not_swallowed_by_an_entry() -> None:
    data = (b"\n\nThe Orchard Road\n\nby fennel\n\nRating: T\nCategory: Gen\n"
            b"Status: Completed\n\nThe orchard was quiet.\n\nNobody came.\n")
    story = load_text(data)
    assert story.meta.fandoms == ["Gen"]
    assert story.meta.rating == "Teen And Up Audiences"
    assert [p.text for p in story.paragraphs or []] == ["The orchard was quiet.", "Nobody came."]


def test_summary_paragraphs_end_at_the_title_page_gap() -> None:
    data = (b"\n\n\nPears\n\nby Quill\n\n\nStatus: Completed\nSummary: First part.\n\n"
            b"Second part.\n\n\n\nThe pears were ripe.\n\nEnd file.\n")
    story = load_text(data)
    assert story.meta.summary == "First part.\n\nSecond part."
    assert [p.text for p in story.paragraphs or []] == ["The pears were ripe."]


def test_long_chapter_titles_wrap_and_still_match_the_contents() -> None:
    long_title = ("Part the Third, In Which the Ferry Is Late, the Tide Is Early, and Nobody "
                  "Agrees About the Bell")
    data = fff_text("Ferry", "Odo", [("Status", "In-Progress"), ("Chapters", "2")],
                    [("Prelude", "Fog.\n"), (long_title, "The bell rang twice.\n")])
    story = load_text(data)
    assert [c.title for c in story.chapters] == ["Prelude", long_title]
    assert chapter(story, 1)[1].text == "The bell rang twice."
    assert story.meta.chapters_total is None  # in progress: the total is unknown


def test_markdown_escapes_and_breaks_in_chapter_bodies() -> None:
    body = ("1\\. Not a list, and \\*not\\* emphasis.\n\n"
            "Line one  \nline two\n\n* * *\n\n__Strong__ and _soft_ words.\n")
    data = fff_text("Marks", "Pell", [("Status", "Completed"), ("Chapters", "1")],
                    [("Only", body)])
    story = load_text(data)
    assert [(p.text, p.kind, p.emphasis) for p in chapter(story, 0)] == [
        ("Only", "heading", ()),
        ("1. Not a list, and *not* emphasis.", "text", ()),
        ("Line one\nline two", "text", ()),
        ("* * *", "scene_break", ()),
        ("Strong and soft words.", "text", ((0, 6, "bold"), (11, 15, "italic"))),
    ]


def test_terminal_escapes_in_a_fanficfare_txt_are_cleaned() -> None:
    data = fff_text("Bad\x1b[2J Title", "Eve\x9b", [("Status", "Completed"),
                                                ("Genre", "Tag\x1b]52;c;aGk=\x07")],
                    [("Ch\x1b[31m1", "Text \x1b[2J here.\n")])
    story = load_text(data)
    everything = repr(story.record()) + repr(story.paragraphs)
    assert "\x1b" not in everything and "\x9b" not in everything and "\x07" not in everything


def test_long_single_line_body_is_read() -> None:
    data = fff_text("Run-on", "Ula", [("Status", "Completed"), ("Chapters", "1")],
                    [("All of It", "word " * 300_000)])
    story = load_text(data)
    assert story.words == 300_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_body_after_a_fanficfare_head_is_survived(body: str) -> None:
    data = fixture("test1-sid1001.txt").read_bytes()
    cut = data.index(b"        Prologue")
    story = fff_txt.load(Path("x.txt"), data[:cut] + body.encode("utf-8", "replace"))
    assert story.meta.title == "Test Story Title 1001"
    assert story.paragraphs is not None
    for item in story.chapters:
        assert story.paragraphs[item.paragraph].kind == "heading"


# ------------------------------------------------- shared HTML text behaviour


def test_whitespace_between_line_breaks_is_not_an_extra_break() -> None:
    # FanFicFare's EPUB chapters write "<br/>\n<br/>": two breaks, not three.
    root = parse_xhtml(b'<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                       b"<div>a<br/>\n<br/>\nb</div></body></html>")
    assert [p.text for p in paragraphs_from(root)] == ["a\n\nb"]


def test_plaintext_still_reads_a_hand_typed_header() -> None:
    story = plaintext.parse("Title: Kept\nAuthor: Me\n\nBody.\n", Path("kept.txt"))
    assert story.meta.title == "Kept"
