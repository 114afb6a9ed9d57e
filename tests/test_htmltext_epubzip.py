"""The shared HTML-to-paragraphs and EPUB container modules."""

from __future__ import annotations

from epubkit import make_epub
from hypothesis import given, settings
from hypothesis import strategies as st

from tuific.formats.epubzip import open_epub, resolve_href, series_number
from tuific.formats.htmltext import block_text, paragraphs_from, text_of
from tuific.formats.markup import parse_html, parse_xhtml
from tuific.model import Paragraph
from tuific.text import clean_text


def paras(html: str, **kw) -> list[Paragraph]:
    return paragraphs_from(parse_html(html), **kw)


def test_blocks_become_paragraphs_and_whitespace_collapses():
    got = paras("<body><p>  One\n   two\t three </p><div>Four</div><blockquote>Five</blockquote>"
                "<ul><li>Six</li></ul></body>")
    assert [p.text for p in got] == ["One two three", "Four", "Five", "Six"]
    assert all(p.kind == "text" for p in got)


def test_emphasis_spans_on_cleaned_text():
    (p,) = paras("<p>He  said <em>no</em>, <strong>twice <i>over</i></strong>.</p>")
    assert p.text == "He said no, twice over."
    assert p.emphasis == ((8, 10, "italic"), (12, 22, "bold"), (18, 22, "italic"))
    assert p.text[8:10] == "no" and p.text[12:22] == "twice over"


def test_cite_b_and_inline_styles():
    (p,) = paras('<p><cite>Book</cite> <b>B</b> <span style="font-style: italic">s</span>'
                 ' <span style="font-weight:700">w</span></p>')
    assert p.text == "Book B s w"
    assert p.emphasis == ((0, 4, "italic"), (5, 6, "bold"), (7, 8, "italic"), (9, 10, "bold"))


def test_adjacent_emphasis_runs_merge():
    (p,) = paras("<p><em>one</em><em> two</em> three</p>")
    assert p.emphasis == ((0, 7, "italic"),)


def test_br_is_a_line_break_inside_the_paragraph():
    (p,) = paras("<p>Roses <br/>  are red<br>violets</p>")
    assert p.text == "Roses\nare red\nviolets"


def test_leading_space_trim_moves_emphasis():
    (p,) = paras("<p>&nbsp; <em>lead</em> in</p>")
    assert p.text == "lead in"
    assert p.emphasis == ((0, 4, "italic"),)


def test_scene_breaks_hr_and_centred_stars():
    got = paras('<p>a</p><hr/><p style="text-align:center">* * *</p><p>~~~</p><p>b</p>')
    assert [p.kind for p in got] == ["text", "scene_break", "scene_break", "scene_break", "text"]


def test_headings_and_headings_off():
    html = "<h1>Title</h1><h3>Chapter <em>Two</em></h3><p>Text</p>"
    got = paras(html)
    assert [(p.text, p.kind) for p in got] == [
        ("Title", "heading"), ("Chapter Two", "heading"), ("Text", "text")]
    assert [p.kind for p in paras(html, headings=False)] == ["text", "text", "text"]


def test_scripts_styles_head_dropped_images_placeholders():
    got = paras("<html><head><title>T</title><style>p{}</style></head><body>"
                "<script>alert(1)</script><noscript>no</noscript><p>Kept</p>"
                '<img src="a.png" alt="a drawing of a fox"/><img src="b.png"/>'
                "<svg><text>svg text</text></svg></body></html>")
    assert [p.text for p in got] == ["Kept", "[image: a drawing of a fox]", "[image]", "[image]"]


def test_text_around_nested_blocks_is_kept_in_order():
    got = paras("<div>before<p>inner</p>after <em>it</em></div>")
    assert [p.text for p in got] == ["before", "inner", "after it"]
    assert got[2].emphasis == ((6, 8, "italic"),)


def test_controls_and_bidi_removed():
    (p,) = paras("<p>a\x1b[2Jb\u202ec\x85d</p>")
    assert p.text == "a[2Jbcd"


def test_empty_and_nbsp_only_paragraphs_dropped():
    assert paras("<p>&nbsp;</p><p>  </p><div></div>") == []
    assert paras("") == []
    assert paras("   ") == []


def test_pre_keeps_line_breaks():
    (p,) = paras("<pre>line one\nline  two</pre>")
    assert p.text == "line one\nline two"


def test_text_of_and_block_text():
    root = parse_html("<div><p>Para <b>one</b>.</p><p>Para\ntwo.</p><script>x</script></div>")
    div = root.find(".//div")
    assert text_of(div) == "Para one. Para two."
    assert block_text(div) == "Para one.\n\nPara two."


def test_declared_charset_is_honoured():
    data = '<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251")
    assert [p.text for p in paras(data)] == ["Привет"]


def test_undeclared_bytes_fall_back_to_cp1252():
    assert paras(b"<p>caf\xe9 \x93quoted\x94</p>")[0].text == "café “quoted”"


def test_xhtml_parsed_as_xml_so_self_closing_means_empty():
    data = (b"<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'>"
            b"<head><title/></head><body><p><a id='x'/>One</p><div/><p>Two</p></body></html>")
    got = paragraphs_from(parse_xhtml(data))
    assert [p.text for p in got] == ["One", "Two"]


def test_xhtml_with_html_entities_falls_back_to_html():
    data = b"<html xmlns='http://www.w3.org/1999/xhtml'><body><p>a&nbsp;b&mdash;c</p></body></html>"
    (p,) = paragraphs_from(parse_xhtml(data))
    assert p.text == "a\u00a0b\u2014c"


_html_piece = st.sampled_from([
    "<p>", "</p>", "<em>", "</em>", "<b>", "</b>", "<br>", "<hr>", "<div>", "</div>",
    "<h2>", "</h2>", " ", "\n", "&nbsp;", "word", "Ünï", "\x1b", "\u202e", "* * *",
    "<script>", "</script>", "<img alt='x'>", "<!-- c -->", "&amp;", "<", ">", "e\u0301",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_html_piece, max_size=60))
def test_paragraph_invariants(pieces):
    for p in paras("".join(pieces)):
        assert p.text and p.text == p.text.strip()
        assert clean_text(p.text) == p.text
        assert p.kind in ("text", "heading", "scene_break")
        for start, end, style in p.emphasis:
            assert 0 <= start < end <= len(p.text)
            assert style in ("italic", "bold")


# -- epubzip ---------------------------------------------------------------------------

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>The Lantern Year</dc:title>
    <dc:creator opf:role="aut">Wren Alder</dc:creator>
    <dc:creator id="c2">Tamsin Hale</dc:creator>
    <dc:creator opf:role="edt">An Editor</dc:creator>
    <dc:subject>Winter</dc:subject><dc:subject>Found Family</dc:subject>
    <dc:description>&lt;p&gt;A year of &lt;em&gt;lanterns&lt;/em&gt;.&lt;/p&gt;</dc:description>
    <dc:language>en</dc:language>
    <dc:date opf:event="modification">2021-01-01</dc:date>
    <dc:date opf:event="publication">2020-03-04</dc:date>
    <dc:publisher>Small Press</dc:publisher>
    <dc:identifier id="uid">urn:uuid:1234</dc:identifier>
    <meta name="calibre:series" content="Lamps"/>
    <meta name="calibre:series_index" content="3.0"/>
    <meta property="dcterms:modified">2021-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="b" href="Text/b%20two.xhtml" media-type="application/xhtml+xml"/>
    <item id="a" href="Text/a.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
    <item id="gone" href="Text/missing.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine><itemref idref="a"/><itemref idref="gone"/><itemref idref="b"/><itemref idref="a"/>
  </spine>
</package>
"""
NAV = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<body><nav epub:type="landmarks"><ol><li><a href="Text/a.xhtml">Start</a></li></ol></nav>
<nav epub:type="toc"><ol><li><a href="Text/a.xhtml">One: <em>Frost</em></a></li>
<li><a href="Text/b%20two.xhtml#s1">Two</a></li><li><a href="Text/b%20two.xhtml#s2">Two b</a></li>
</ol></nav></body></html>"""
PAGE = "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>{}</p></body></html>"


def test_epub_metadata_spine_and_nav():
    data = make_epub([
        ("OPS/Text/b two.xhtml", PAGE.format("second")),
        ("OPS/nav.xhtml", NAV),
        ("OPS/Text/a.xhtml", PAGE.format("first")),
        ("OPS/content.opf", OPF),
        ("OPS/style.css", "p {}"),
    ], "OPS/content.opf")
    epub = open_epub(data)
    m = epub.metadata
    assert m.title == "The Lantern Year"
    assert m.creators == ["Wren Alder", "Tamsin Hale"]
    assert m.subjects == ["Winter", "Found Family"]
    assert m.description == "<p>A year of <em>lanterns</em>.</p>"
    assert (m.language, m.date, m.publisher) == ("en", "2020-03-04", "Small Press")
    assert m.identifiers == ["urn:uuid:1234"]
    assert (m.series, series_number(m.series_index)) == ("Lamps", 3)
    # Spine order, duplicates and missing members dropped; not zip order.
    assert epub.spine == ["OPS/Text/a.xhtml", "OPS/Text/b two.xhtml"]
    assert epub.toc == {"OPS/Text/a.xhtml": "One: Frost", "OPS/Text/b two.xhtml": "Two"}
    assert epub.read("OPS/Text/a.xhtml").startswith(b"<html")


def test_resolve_href():
    assert resolve_href("OPS/content.opf", "Text/a%20b.xhtml#x") == "OPS/Text/a b.xhtml"
    assert resolve_href("OPS/Text/nav.xhtml", "../img/c.png") == "OPS/img/c.png"
    assert resolve_href("content.opf", "../../etc/passwd") is None
    assert resolve_href("content.opf", "/etc/passwd") is None
    assert resolve_href("content.opf", "https://example.org/x") is None
    assert resolve_href("content.opf", "#only") is None


def test_series_number():
    assert series_number("2.0") == 2
    assert series_number("nan") is None
    assert series_number("x") is None
    assert series_number(None) is None
