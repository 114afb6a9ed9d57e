"""Hostile files: bombs, traversal, entities, deep nesting, huge lines, FIFOs.

Each must be refused with a StoryError carrying a reason, or parsed safely,
quickly and in bounded memory; never crash, hang or touch the disk.
"""

from __future__ import annotations

import io
import os
import time
import tracemalloc
import zipfile
import zlib

import pytest
from epubkit import make_epub, make_zip

from tuific.formats import StoryError, epubzip, load_story
from tuific.formats.epubzip import open_epub, parse_xml
from tuific.formats.htmltext import paragraphs_from, text_of
from tuific.formats.markup import parse_html, parse_xhtml

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>Small Hours</dc:title><dc:identifier id="uid">x1</dc:identifier>
  </metadata>
  <manifest><item id="c1" href="one.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="c1"/></spine>
</package>
"""
XHTML = ("<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'>"
         "<head><title>one</title></head><body><p>The kettle sang.</p></body></html>")

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE package [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
"""


def good_epub(**replace: str) -> bytes:
    members = {"OEBPS/content.opf": OPF, "OEBPS/one.xhtml": XHTML}
    members.update(replace)
    return make_epub(list(members.items()), "OEBPS/content.opf")


@pytest.fixture
def quick():
    """Each hostile case must finish fast and in bounded Python memory."""
    tracemalloc.start()
    start = time.monotonic()
    yield
    elapsed = time.monotonic() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 20, f"took {elapsed:.1f}s"
    assert peak < 400 * 1024 * 1024, f"peak {peak // 2**20} MiB"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- the good baseline, so the hostile variants below are known to be the cause ----

def test_baseline_epub_opens():
    epub = open_epub(good_epub())
    assert epub.metadata.title == "Small Hours"
    assert epub.spine == ["OEBPS/one.xhtml"]


# -- zip bombs and broken zips ---------------------------------------------------------

def _deflated_zeros_zip(name: str, size: int) -> bytes:
    """A zip with one member of `size` zero bytes, compressed in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/container.xml",
                         '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                         '<rootfiles><rootfile full-path="content.opf" '
                         'media-type="application/oebps-package+xml"/></rootfiles></container>')
        archive.writestr("content.opf", OPF.replace("one.xhtml", name))
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = b"\0" * (1 << 20)
        with archive.open(info, "w", force_zip64=True) as handle:
            for _ in range(size // len(chunk)):
                handle.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_member_refused(quick):
    data = _deflated_zeros_zip("one.xhtml", 300 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(StoryError, match="too large|zip bomb"):
        open_epub(data)


def test_excessive_ratio_refused_even_under_size_caps(quick):
    data = _deflated_zeros_zip("one.xhtml", 8 * 1024 * 1024)
    with pytest.raises(StoryError, match="zip bomb"):
        open_epub(data)


def test_total_unpacked_size_capped(monkeypatch):
    monkeypatch.setattr(epubzip, "MAX_TOTAL_BYTES", 3000)
    body = "<p>" + "Rain on the slates. " * 200 + "</p>"
    epub = open_epub(good_epub(**{"OEBPS/one.xhtml": XHTML.replace("<p>", body + "<p>")}))
    with pytest.raises(StoryError, match="too large"):
        epub.read("OEBPS/one.xhtml")


def test_too_many_members(monkeypatch):
    monkeypatch.setattr(epubzip, "MAX_MEMBERS", 5)
    data = make_epub([("OEBPS/content.opf", OPF), *[(f"f{i}.txt", "x") for i in range(6)]],
                     "OEBPS/content.opf")
    with pytest.raises(StoryError, match="too many files"):
        open_epub(data)


def test_member_lying_about_its_size_is_not_inflated():
    # Patch the declared sizes of a member down to 10 bytes: reading must stop.
    data = bytearray(good_epub())
    real = len(XHTML.encode())
    small = (10).to_bytes(4, "little")
    # local header: uncompressed size at +22; central directory: at +24.
    name = b"OEBPS/one.xhtml"
    for marker, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(marker, start)) != -1:
            header_end = at + (30 if marker == b"PK\x03\x04" else 46)
            if data[header_end:header_end + len(name)] == name:
                assert int.from_bytes(data[at + offset:at + offset + 4], "little") == real
                data[at + offset:at + offset + 4] = small
            start = at + 4
    epub = open_epub(bytes(data))
    with pytest.raises(StoryError, match="damaged"):
        epub.read("OEBPS/one.xhtml")


def test_truncated_zip(tmp_path):
    data = good_epub()
    path = write(tmp_path, "cut.epub", data[: len(data) // 2])
    with pytest.raises(StoryError, match="zip|EPUB"):
        load_story(path)


def test_truncated_zip_direct():
    data = good_epub()
    with pytest.raises(StoryError, match="zip"):
        open_epub(data[: len(data) - 30])


def test_not_a_zip_epub(tmp_path):
    path = write(tmp_path, "plain.epub", b"This is just text pretending to be an ebook.\n" * 20)
    with pytest.raises(StoryError):
        load_story(path)


def test_corrupt_deflate_stream():
    data = bytearray(good_epub())
    at = data.find(b"OEBPS/one.xhtml") + len("OEBPS/one.xhtml")
    for i in range(at, at + 20):
        data[i] ^= 0x5A
    try:
        epub = open_epub(bytes(data))
    except StoryError:
        return
    with pytest.raises(StoryError):
        epub.read("OEBPS/one.xhtml")


def test_dotdot_and_absolute_members_ignored():
    data = make_epub([
        ("OEBPS/content.opf", OPF.replace('href="one.xhtml"', 'href="../../evil.xhtml"')),
        ("OEBPS/one.xhtml", XHTML),
        ("../../evil.xhtml", XHTML.replace("kettle", "evil")),
        ("/etc/evil.xhtml", XHTML),
    ], "OEBPS/content.opf")
    epub = open_epub(data)
    assert all(".." not in name and not name.startswith("/") for name in epub.names())
    assert epub.spine == []  # the only spine item climbed out of the container
    with pytest.raises(StoryError):
        epub.read("../../evil.xhtml")


def test_container_pointing_outside_is_ignored():
    data = make_epub([("content.opf", OPF), ("one.xhtml", XHTML)], "../content.opf")
    epub = open_epub(data)  # falls back to the .opf inside the container
    assert epub.opf_path == "content.opf"


def test_no_opf_at_all():
    with pytest.raises(StoryError, match="no package"):
        open_epub(make_zip([("one.xhtml", XHTML)]))


# -- XML entities -----------------------------------------------------------------------

def test_billion_laughs_in_opf(quick):
    opf = OPF.replace('<?xml version="1.0" encoding="utf-8"?>', LAUGHS).replace(
        "Small Hours", "&lol9;")
    with pytest.raises(StoryError, match="entit"):
        open_epub(good_epub(**{"OEBPS/content.opf": opf}))


def test_external_entity_in_opf():
    opf = OPF.replace('<?xml version="1.0" encoding="utf-8"?>', EXTERNAL).replace(
        "Small Hours", "&x;")
    with pytest.raises(StoryError, match="entit"):
        open_epub(good_epub(**{"OEBPS/content.opf": opf}))


def test_billion_laughs_in_xhtml(quick):
    xhtml = LAUGHS + "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>&lol9;</p></body></html>"
    with pytest.raises(StoryError, match="entit"):
        parse_xhtml(xhtml.encode())


def test_external_entity_in_xhtml_never_read():
    xhtml = EXTERNAL + "<html><body><p>&x;</p></body></html>"
    with pytest.raises(StoryError, match="entit"):
        parse_xhtml(xhtml.encode())


def test_parse_xml_refuses_entities_anywhere_in_head():
    with pytest.raises(StoryError):
        parse_xml((EXTERNAL + "<a>&x;</a>").encode())


@pytest.mark.parametrize("parse", [parse_xml, parse_xhtml])
@pytest.mark.parametrize("case", ["ENTITY", "Entity"])
def test_entities_are_refused_past_the_head_and_in_any_case(parse, case):
    # Past the first 64 KiB the bytes are not looked at; the parsed DTD still is.
    far = '<?xml version="1.0"?><!--' + "x" * 70_000 + '--><!DOCTYPE a [<!ENTITY x "y">]>'
    near = f'<?xml version="1.0"?><!DOCTYPE a [<!{case} x "y">]>'
    for head in (far, near):
        with pytest.raises(StoryError, match="declares XML entities"):
            parse((head + "<a>&x;</a>").encode())


def test_html_parser_never_expands_entities(quick):
    # The HTML parser ignores internal subsets: no expansion, no file read.
    html = (LAUGHS + EXTERNAL).replace('<?xml version="1.0"?>', "")
    html += "<html><body><p>&lol9; and &x;</p></body></html>"
    text = text_of(parse_html(html.encode()))
    assert "lollol" not in text
    assert "root:" not in text


def test_broken_xml_is_a_story_error():
    with pytest.raises(StoryError, match="not valid XML"):
        parse_xml(b"\xff\xfe\x00<<<")


# -- deep nesting and huge lines -------------------------------------------------------

def test_deep_nesting_html(quick):
    depth = 200_000
    data = (b"<html><body><p>Before.</p>" + b"<div>" * depth + b"deep" + b"</div>" * depth
            + b"<p>After.</p></body></html>")
    root = parse_html(data)
    paragraphs = paragraphs_from(root)
    assert paragraphs[0].text == "Before."
    assert isinstance(text_of(root), str)


def test_deep_nesting_inline_emphasis(quick):
    depth = 200_000
    data = b"<p>" + b"<i><b>" * depth + b"x" + b"</b></i>" * depth + b"</p>"
    paragraphs = paragraphs_from(parse_html(data))
    assert all(p.text for p in paragraphs)


def test_deep_nesting_xhtml(quick):
    def nested(depth: int) -> bytes:
        return (b"<html xmlns='http://www.w3.org/1999/xhtml'><body>" + b"<div>" * depth
                + b"x" + b"</div>" * depth + b"</body></html>")

    # Too deep for strict XML: read as HTML, whose parser keeps what is not past its
    # depth limit, quickly and without an error; text past the limit is dropped.
    assert [p.text for p in paragraphs_from(parse_xhtml(nested(1000)))] == ["x"]
    assert paragraphs_from(parse_xhtml(nested(200_000))) == []


def test_deep_nesting_opf(quick):
    depth = 200_000
    opf = OPF.replace("<dc:title>", "<x>" * depth + "</x>" * depth + "<dc:title>")
    try:
        epub = open_epub(good_epub(**{"OEBPS/content.opf": opf}))
    except StoryError as error:
        assert str(error)
    else:
        assert epub.metadata.title == "Small Hours"


def test_forty_megabyte_single_line_html(quick):
    sentence = b"She counted the lamps along the quay and lost count twice. "
    paragraph = b"<p>" + sentence * 60 + b"<em>Again.</em></p>"
    data = b"<html><body>" + paragraph * (40 * 1024 * 1024 // len(paragraph)) + b"</body></html>"
    assert b"\n" not in data and len(data) > 39 * 1024 * 1024
    paragraphs = paragraphs_from(parse_html(data))
    assert len(paragraphs) > 10_000
    assert paragraphs[-1].emphasis and paragraphs[-1].text.endswith("Again.")


def test_forty_megabyte_single_text_node(quick):
    data = b"<p>" + b"word " * (8 * 1024 * 1024) + b"</p>"
    paragraphs = paragraphs_from(parse_html(data))
    assert len(paragraphs) == 1
    assert paragraphs[0].text.count("word") == 8 * 1024 * 1024


# -- files that are not files -------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_epub_does_not_block(tmp_path):
    fifo = tmp_path / "x.epub"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(StoryError, match="not a regular file"):
        load_story(fifo)
    assert time.monotonic() - start < 5


def test_directory_named_epub(tmp_path):
    folder = tmp_path / "dir.epub"
    folder.mkdir()
    with pytest.raises(StoryError):
        load_story(folder)


def test_zlib_is_used_for_the_bomb():
    # Guard the bomb fixture itself: it really is highly compressible.
    assert len(zlib.compress(b"\0" * (1 << 20))) < 2048


# -- through load_story: every reader, as the library would call it ----------------------

def test_zip_bomb_through_load_story(tmp_path, quick):
    path = write(tmp_path, "bomb.epub", _deflated_zeros_zip("one.xhtml", 300 * 1024 * 1024))
    for metadata_only in (False, True):
        with pytest.raises(StoryError, match="zip bomb|too large"):
            load_story(path, metadata_only=metadata_only)


def test_bomb_named_like_ao3_is_still_refused(tmp_path, quick):
    data = _deflated_zeros_zip("Work_split_000.xhtml", 300 * 1024 * 1024)
    path = write(tmp_path, "Work.epub", data)
    with pytest.raises(StoryError):
        load_story(path)


def test_billion_laughs_in_spine_document(tmp_path, quick):
    xhtml = LAUGHS + ("<html xmlns='http://www.w3.org/1999/xhtml'><body><p>&lol9;</p>"
                      "</body></html>")
    path = write(tmp_path, "laughs.epub", good_epub(**{"OEBPS/one.xhtml": xhtml}))
    for metadata_only in (False, True):
        with pytest.raises(StoryError, match="entit"):
            load_story(path, metadata_only=metadata_only)


def test_external_entity_in_spine_document(tmp_path):
    xhtml = EXTERNAL + "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>&x;</p></body></html>"
    path = write(tmp_path, "xxe.epub", good_epub(**{"OEBPS/one.xhtml": xhtml}))
    with pytest.raises(StoryError, match="entit"):
        load_story(path)


def test_traversal_epub_loads_only_its_own_members(tmp_path):
    data = make_epub([
        ("OEBPS/content.opf", OPF),
        ("OEBPS/one.xhtml", XHTML),
        ("../../outside.xhtml", XHTML.replace("kettle", "intruder")),
    ], "OEBPS/content.opf")
    story = load_story(write(tmp_path, "dots.epub", data))
    assert [p.text for p in story.paragraphs] == ["The kettle sang."]
    assert not (tmp_path.parent / "outside.xhtml").exists()


def test_deep_html_file_through_load_story(tmp_path, quick):
    depth = 200_000
    data = b"<html><body><p>Top.</p>" + b"<div>" * depth + b"x" + b"</div>" * depth + b"</body>"
    path = write(tmp_path, "deep.html", data)
    story = load_story(path)
    assert story.paragraphs[0].text == "Top."
    load_story(path, metadata_only=True)


def test_deep_ao3_preface_through_load_story(tmp_path, quick):
    depth = 200_000
    data = (b'<html><body><div id="preface"><a href="https://archiveofourown.org/">AO3</a>'
            b'<dl class="tags"><dt>Rating:</dt><dd>' + b"<span>" * depth + b"Mature"
            + b"</span>" * depth + b"</dd></dl></div></body></html>")
    path = write(tmp_path, "deep-ao3.html", data)
    try:
        story = load_story(path)
    except StoryError as error:
        assert str(error)
    else:
        assert story.format == "ao3-html"


def test_forty_megabyte_html_through_load_story(tmp_path):
    # 645,000 tiny paragraphs: tracemalloc would dominate the run, so no `quick`.
    start = time.monotonic()
    line = b"<p>The tide went out and did not come back for a long while. </p>"
    path = write(tmp_path, "long.html", b"<html><body>" + line * (40 * 1024 * 1024 // len(line)))
    story = load_story(path, metadata_only=True)
    assert story.words > 3_000_000  # counted on the part within the tag budget
    paragraphs = load_story(path).paragraphs
    # Past the budgets (tuific.limits) the story is cut, with a note saying so.
    assert paragraphs[-2].text.startswith("The tide")
    assert paragraphs[-1].text.startswith("[tuific stopped reading this story here")
    assert time.monotonic() - start < 60


def test_deep_nesting_in_epub_spine(tmp_path, quick):
    depth = 200_000
    xhtml = ("<html xmlns='http://www.w3.org/1999/xhtml'><body><p>Start.</p>" + "<div>" * depth
             + "x" + "</div>" * depth + "</body></html>")
    path = write(tmp_path, "deep.epub", good_epub(**{"OEBPS/one.xhtml": xhtml}))
    try:
        story = load_story(path)
    except StoryError as error:
        # 200,000 identical tags compress over 100:1: refused as a likely bomb.
        assert "zip bomb" in str(error)
    else:
        assert story.paragraphs[0].text == "Start."
    # Without the zip, the same document parses (falling back past XML's depth limit).
    assert paragraphs_from(parse_xhtml(xhtml.encode()))[0].text == "Start."


def test_non_zip_and_truncated_epub_give_reasons(tmp_path):
    data = good_epub()
    for name, blob in (("text.epub", b"just text " * 100),
                       ("cut.epub", data[: len(data) // 2]),
                       ("empty-zip.epub", b"PK\x05\x06" + b"\0" * 18)):
        with pytest.raises(StoryError, match="EPUB|zip") as info:
            load_story(write(tmp_path, name, blob))
        assert str(info.value)


def test_bad_files_do_not_stop_good_ones(tmp_path, quick):
    """A folder of hostile files: each bad one fails alone with a reason."""
    good = write(tmp_path, "good.epub", good_epub())
    bad = [
        write(tmp_path, "bomb.epub", _deflated_zeros_zip("one.xhtml", 64 * 1024 * 1024)),
        write(tmp_path, "laughs.epub", good_epub(**{"OEBPS/content.opf": OPF.replace(
            '<?xml version="1.0" encoding="utf-8"?>', LAUGHS)})),
        write(tmp_path, "junk.epub", os.urandom(4096)),
    ]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.epub")
        bad.append(tmp_path / "pipe.epub")
    reasons = {}
    for path in sorted(tmp_path.iterdir()):
        try:
            load_story(path, metadata_only=True)
        except StoryError as error:
            reasons[path.name] = str(error)
    assert set(reasons) == {p.name for p in bad}
    assert all(reasons.values())
    assert load_story(good).meta.title == "Small Hours"
