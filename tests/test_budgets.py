"""The budgets of tuific.limits, checked before the work, and the decoding fixes of
issue 12: each test here failed before them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from epubkit import make_epub
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tuific import limits
from tuific.formats import epubzip, load_story, plaintext
from tuific.formats.markup import decode_markup
from tuific.library import collect
from tuific.metadata import title_from_filename
from tuific.text import decode_bytes, display_path

CUT = "[tuific stopped reading this story here"
OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>Many Rooms</dc:title><dc:identifier id="uid">x1</dc:identifier>
  </metadata>
  <manifest>{items}</manifest>
  <spine>{refs}</spine>
</package>
"""


def many_member_epub(members: int, member_bytes: int, extra: str = "") -> bytes:
    """Members each under the compression-ratio check's floor, compressing ~1000:1."""
    items = "".join(
        f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(members)
    )
    refs = "".join(f'<itemref idref="c{i}"/>' for i in range(members))
    page = "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>{i}</p><p>"
    docs = [
        (f"c{i}.xhtml", page.format(i=i) + "z" * member_bytes + "</p>" + extra + "</body></html>")
        for i in range(members)
    ]
    return make_epub([("content.opf", OPF.format(items=items, refs=refs)), *docs])


def test_epub_of_many_small_members_stops_at_the_total_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(epubzip, "MAX_TOTAL_BYTES", 100_000)
    read: list[str] = []
    real = epubzip.Epub.read

    def counting(self, member, limit=epubzip.MAX_MEMBER_BYTES):
        read.append(member)
        return real(self, member, limit)

    monkeypatch.setattr(epubzip.Epub, "read", counting)
    path = tmp_path / "rooms.epub"
    path.write_bytes(many_member_epub(20, 15_000))
    story = load_story(path)
    assert story.paragraphs[0].text == "0"
    assert story.paragraphs[-1].text.startswith(CUT)
    # Checked before reading: members past the budget are never unpacked.
    assert len([m for m in read if m.endswith(".xhtml")]) < 10


def test_epub_tags_are_budgeted_across_all_documents(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_MARKUP_TAGS", 3000)
    path = tmp_path / "rooms.epub"
    items = "".join(f"<p>{n}</p>" for n in range(1000))
    path.write_bytes(many_member_epub(10, 1, items))
    story = load_story(path)
    assert story.paragraphs[-1].text.startswith(CUT)
    assert "tags" in story.paragraphs[-1].text


def test_huge_header_value_is_cut_and_the_story_kept(tmp_path):
    path = tmp_path / "long-title.txt"
    path.write_text("Title: " + "Tide " * 400_000 + "\nAuthor: fennel\n\nThe kettle sang.\n")
    story = load_story(path)
    assert len(story.title) <= limits.MAX_HEADER_VALUE_CHARS
    assert story.meta.authors == ["fennel"]
    assert story.paragraphs[0].text == "The kettle sang."


def test_header_of_many_continuation_lines_is_cut(tmp_path):
    lines = "\n".join("and more tags" for _ in range(200_000))
    path = tmp_path / "tags.txt"
    path.write_text(f"Title: T\nTags: first\n{lines}\n\nBody.\n")
    story = load_story(path, metadata_only=True)
    assert sum(len(tag) for tag in story.meta.tags) <= limits.MAX_HEADER_VALUE_CHARS + 100


def test_html_title_and_summary_are_cut(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(
        "<html><head><title>" + "x" * 100_000 + "</title></head><body><p>Hi.</p></body></html>"
    )
    assert len(load_story(path).title) <= limits.MAX_HEADER_VALUE_CHARS


def test_paragraphs_past_the_budget_are_cut_before_splitting(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"x\n\n" * (limits.MAX_PARAGRAPHS + 5000))
    story = load_story(path)
    assert len(story.paragraphs) == limits.MAX_PARAGRAPHS + 1
    assert story.paragraphs[-1].text.startswith(CUT)


def test_html_paragraphs_past_the_budget_are_cut(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"<html><body>" + b"<p>x</p>" * (limits.MAX_PARAGRAPHS + 5000))
    story = load_story(path)
    assert len(story.paragraphs) == limits.MAX_PARAGRAPHS + 1
    assert story.paragraphs[-1].text.startswith(CUT)


def test_html_past_the_tag_budget_keeps_its_start(tmp_path, monkeypatch):
    from tuific.formats import markup

    monkeypatch.setattr(markup, "MAX_MARKUP_TAGS", 1000)
    path = tmp_path / "dense.html"
    path.write_bytes(b"<html><body>" + b"<p>x</p>" * 5000)
    story = load_story(path)
    assert story.paragraphs[0].text == "x"
    assert story.paragraphs[-1].text.startswith(CUT)
    assert len(story.paragraphs) < 600


@pytest.mark.parametrize(
    ("header", "field", "value"),
    [
        ("Words: " + "9" * 400, "words_declared", None),
        ("Series: X [" + "9" * 5000 + "]", "series_index", None),
        ("Chapters: " + "9" * 500 + "/" + "9" * 500, "chapters_total", None),
        ("Words: 12,345", "words_declared", 12345),
        ("Series: X [3]", "series_index", 3),
    ],
)
def test_huge_numbers_do_not_skip_the_story(tmp_path, header, field, value):
    path = tmp_path / "n.txt"
    path.write_text(f"Title: N\n{header}\n\nBody.\n")
    story = load_story(path)
    assert getattr(story.meta, field) == value
    assert story.record()  # and the record can be written out


def test_ao3_series_with_a_huge_part_number(tmp_path):
    from tuific.formats.ao3common import read_series
    from tuific.model import Metadata

    meta = Metadata()
    read_series(meta, "Part " + "9" * 5000 + " of Tides")
    assert meta.series == "Tides" and meta.series_index is None


def test_tabs_never_reach_the_reader(tmp_path):
    path = tmp_path / "tab.txt"
    path.write_text("Title: Tab\n\nA\tB\nC\t\tD\n\nabcde\tf\n")
    story = load_story(path)
    assert [p.text for p in story.paragraphs] == ["A   B\nC       D", "abcde   f"]


def test_utf8_cut_mid_character_stays_utf8():
    data = "Café — naïve".encode()
    assert decode_bytes(data + "—".encode()[:2]) == "Café — naïve\ufffd"
    assert decode_bytes(data + "—".encode()[:1]) == "Café — naïve\ufffd"
    # Bad bytes in the middle are still taken as Windows-1252.
    assert decode_bytes(b"caf\xe9 ok") == "café ok"


@pytest.mark.parametrize("charset", ["hex", "zlib", "rot13", "base64", "nosuch", "uu"])
def test_non_text_charset_falls_back_to_detection(tmp_path, charset):
    html = f'<html><head><meta charset="{charset}"><title>H</title></head>'
    html += "<body><p>Café.</p></body></html>"
    assert "Café." in decode_markup(html.encode())
    path = tmp_path / "h.html"
    path.write_bytes(html.encode())
    assert load_story(path).paragraphs[0].text == "Café."


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list(":[]\n \tNotes#*-xA\r")), max_size=60),
    st.integers(min_value=1, max_value=60),
)
@example(":\n[\n\n:Notes", 5)
def test_load_prefix_paragraphs_match_the_full_load(text, size):
    data = text.encode()
    path = Path("story.txt")
    prefix = plaintext.load_prefix(path, data, size)
    if prefix is None:
        return
    full = plaintext.load(path, data)
    assert prefix.paragraphs == full.paragraphs[: len(prefix.paragraphs)]


def test_non_utf8_file_name_is_shown_with_a_replacement():
    name = os.fsdecode(b"bad\xffname.txt")
    shown = display_path(Path(name))
    assert "\ufffd" in shown and "\udcff" not in shown
    assert "\udcff" not in title_from_filename(Path(name).stem)
    shown.encode("utf-8")  # never a UnicodeEncodeError


def test_scan_never_follows_a_link_out_of_the_library(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.txt").write_text("Title: Elsewhere\n\nText.\n")
    lib = tmp_path / "lib"
    (lib / "shelf").mkdir(parents=True)
    (lib / "shelf" / "mine.txt").write_text("Title: Mine\n\nText.\n")
    os.symlink(outside, lib / "out")
    os.symlink("/", lib / "root")
    os.symlink(lib / "shelf", lib / "inner")  # inside the library: already seen
    result = collect(lib)
    assert [s.title for s in result.stories] == ["Mine"]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert "outside the library" in reasons["out"]
    assert "outside the library" in reasons["root"]



def test_a_huge_paragraph_is_cut_in_pieces_and_chapters_follow(tmp_path):
    words = "word " * 60_000  # 300,000 characters in one paragraph
    path = tmp_path / "long.txt"
    path.write_text(f"Title: L\n\nChapter 1\n\n{words}\n\nChapter 2\n\nThe end.\n")
    story = load_story(path)
    assert all(len(p.text) <= limits.MAX_PARAGRAPH_CHARS for p in story.paragraphs)
    pieces = story.paragraphs[1:-2]
    assert len(pieces) == 5
    assert " ".join(p.text for p in pieces) == words.strip()  # nothing lost
    assert [(c.title, story.paragraphs[c.paragraph].text) for c in story.chapters] == [
        ("Chapter 1", "Chapter 1"),
        ("Chapter 2", "Chapter 2"),
    ]


def test_split_paragraph_keeps_emphasis_within_each_piece():
    from tuific.model import Paragraph, split_paragraph

    paragraph = Paragraph("aaa bbb ccc ddd eee", "text", ((0, 7, "italic"), (8, 19, "bold")))
    assert split_paragraph(paragraph, 8) == [
        Paragraph("aaa bbb", "text", ((0, 7, "italic"),)),
        Paragraph("ccc ddd", "text", ((0, 7, "bold"),)),
        Paragraph("eee", "text", ((0, 3, "bold"),)),
    ]
    assert [p.text for p in split_paragraph(Paragraph("x" * 20), 8)] == ["x" * 8, "x" * 8, "x" * 4]


def test_story_prefix_numbers_long_paragraphs_as_the_full_load(tmp_path):
    from tuific.formats import story_from_bytes, story_prefix

    data = ("Title: P\n\n" + "\n\n".join(("w " * 40_000) for _ in range(8))).encode()
    path = tmp_path / "p.txt"
    prefix = story_prefix(path, data, 256 * 1024)
    full = story_from_bytes(path, data)
    assert prefix is not None and len(prefix.paragraphs) > 2
    assert prefix.paragraphs == full.paragraphs[: len(prefix.paragraphs)]


def test_count_words_in_pieces_counts_as_one_split():
    from tuific.text import _CHUNK, count_words

    for text in ["a " * _CHUNK, "ab" * _CHUNK + " x", " " * (_CHUNK - 1) + "ab c  ", "w " * 3]:
        assert count_words(text) == len(text.split())


@pytest.mark.parametrize("change", ["revision", "budget"])
def test_cached_results_are_dropped_when_readers_or_budgets_change(tmp_path, monkeypatch, change):
    """A file once skipped (say for a charset now read) is read again after an update."""
    import tuific.cache.layout as cache_layout
    from tuific.cache import MetadataCache

    story = tmp_path / "hex.html"
    story.write_text("<p>x</p>")
    cache = MetadataCache(tmp_path)
    cache.store_failure(str(story), 8, 1, "unreadable html file: LookupError")
    cache.save()
    again = MetadataCache(tmp_path)
    again.load()
    assert again.lookup(str(story), 8, 1) == "unreadable html file: LookupError"
    if change == "revision":
        monkeypatch.setattr(cache_layout, "READERS_REVISION", cache_layout.READERS_REVISION + 1)
    else:
        monkeypatch.setattr(limits, "MAX_PARAGRAPHS", limits.MAX_PARAGRAPHS + 1)
    fresh = MetadataCache(tmp_path)
    fresh.load()
    assert fresh.lookup(str(story), 8, 1) is None
