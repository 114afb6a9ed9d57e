"""HTML and XHTML to cleaned story paragraphs, shared by every HTML-based reader.

Parsing is lxml (libxml2): a C parser that is fast on multi-megabyte chapters,
never fetches anything (`no_network`), and whose HTML parser does not expand
entities declared in a document's internal subset. XHTML from EPUBs is tried
with a strict, entity-refusing XML parser first (so `<title/>` and `<a id="x"/>`
mean what they say) and falls back to the forgiving HTML parser.

Trees are walked with `lxml.etree.iterwalk`, never by Python recursion, so
libxml2's own depth limit (2048 with `huge_tree`) is the only one that matters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Any

import lxml.etree as etree

from tuific.chapters import is_scene_break
from tuific.limits import MAX_MARKUP_TAGS, MAX_PARAGRAPHS
from tuific.model import Paragraph, ParagraphKind, cut_notice
from tuific.text import clean_text, decode_bytes

# Elements whose content is never story text.
DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "head",
        "template",
        "title",
        "meta",
        "link",
        "iframe",
        "object",
        "embed",
        "select",
        "button",
        "textarea",
        "input",
        "form",
        "nav",
    }
)
# Elements that start and end a paragraph.
BLOCKS = frozenset(
    {
        "p",
        "div",
        "blockquote",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "main",
        "body",
        "html",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "pre",
        "center",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "hgroup",
        "fieldset",
        "legend",
        "dialog",
    }
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
ITALIC = frozenset({"em", "i", "cite", "var", "dfn"})
BOLD = frozenset({"strong", "b"})
IMAGES = frozenset({"img", "svg", "image", "picture"})

SCENE_BREAK_TEXT = "* * *"
_MAX_ALT_CHARS = 80

# Runs of HTML whitespace other than a lone space (which needs no replacing: fast).
_HTML_SPACE = re.compile(r"[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+")
_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")
_STYLE_ITALIC = re.compile(r"font-style\s*:\s*(italic|oblique)", re.IGNORECASE)
_STYLE_BOLD = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.IGNORECASE)


def _html_parser() -> etree.HTMLParser:
    # huge_tree lifts libxml2's 10 MB text-node and 256-level depth limits, which
    # otherwise silently drop a long single-paragraph story. The HTML parser never
    # expands internal-subset entities, so huge_tree opens no entity bomb.
    # Plain etree elements, not lxml.html's HtmlElement: its per-element Python
    # class lookup costs about a third of a paragraph walk, and we use none of it.
    return etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,
        default_doctype=False,
    )


def safe_xml_parser(*, recover: bool = False) -> etree.XMLParser:
    """An XML parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        dtd_validation=False,
    )


_HTML_PARSER = _html_parser()
_XML_PARSER = safe_xml_parser()


def decode_markup(data: bytes) -> str:
    """Decode HTML/XML bytes: BOM, then a declared charset, then UTF-8/Windows-1252."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = data[:4096]
        match = _XML_ENCODING.match(head) or _CHARSET.search(head)
        if match:
            try:
                codec = codecs.lookup(match.group(1).decode("ascii"))
            except LookupError:
                codec = None
            # A declared UTF-8 that is not UTF-8 is common; decode_bytes copes.
            # 'hex', 'zlib', 'rot13'... are codecs but not text encodings: detect.
            if (
                codec is not None
                and getattr(codec, "_is_text_encoding", True)
                and codec.name not in ("utf-8", "utf-16", "utf-32")
            ):
                try:
                    return data.decode(codec.name, errors="replace")
                except (LookupError, TypeError, ValueError):
                    pass
    return decode_bytes(data)


def _as_utf8(data: bytes | str) -> bytes:
    text = data if isinstance(data, str) else decode_markup(data)
    # NUL makes libxml2 stop early; it is never story text.
    return text.replace("\x00", "").encode("utf-8", errors="replace")


def _empty_document() -> Any:
    return etree.fromstring(b"<html><body></body></html>", _HTML_PARSER)


def cut_to_tag_budget(data: bytes | str) -> tuple[bytes | str, bool]:
    """`data` cut before its (MAX_MARKUP_TAGS + 1)-th tag: (data, whether it was cut).

    Counted before parsing: a parsed element costs ~300 bytes, so eight bytes of
    `<p>x</p>` would otherwise become forty times their size in memory. The parser
    closes whatever the cut leaves open."""
    mark = b"<" if isinstance(data, bytes) else "<"
    if data.count(mark) <= MAX_MARKUP_TAGS:  # type: ignore[arg-type]
        return data, False
    end = -1
    for _ in range(MAX_MARKUP_TAGS + 1):
        end = data.find(mark, end + 1)  # type: ignore[arg-type]
    return data[:end], True


def _append_cut_notice(root: Any) -> None:
    body = next((el for el in root.iter() if local_name(el) == "body"), root)
    note = etree.SubElement(body, "p")
    note.text = cut_notice(f"more than {MAX_MARKUP_TAGS:,} tags").text


def parse_html(data: bytes | str) -> Any:
    """Parse untrusted HTML into its <html> element (a plain lxml.etree element);
    never fails on bad markup. Past the tag budget it holds the start, and a note."""
    data, cut = cut_to_tag_budget(data)
    raw = _as_utf8(data)
    if not raw.strip():
        return _empty_document()
    try:
        root = etree.fromstring(raw, _HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return _empty_document()
    if root is None:
        return _empty_document()
    if cut:
        _append_cut_notice(root)
    return root


def refuse_entities(root: Any, what: str = "document") -> None:
    """Raise StoryError when an XML document declares entities (a possible bomb)."""
    from tuific.formats import StoryError

    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise StoryError(f"{what} declares XML entities (refused: possible entity bomb)")


def parse_xhtml(data: bytes, what: str = "document") -> Any:
    """An EPUB content document: strict XML when it is well formed, else HTML.

    Entity declarations are refused outright (StoryError) rather than parsed.
    """
    if b"<!ENTITY" in data[:65536] or b"<!entity" in data[:65536]:
        from tuific.formats import StoryError

        raise StoryError(f"{what} declares XML entities (refused: possible entity bomb)")
    if data.count(b"<") > MAX_MARKUP_TAGS:
        return parse_html(data)  # cut to the budget, which breaks the XML
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return parse_html(data)
    refuse_entities(root, what)
    return root


_LOCAL_NAMES: dict[Any, str] = {}


def local_name(element: Any) -> str:
    """Lower-case tag without namespace; '' for comments, entities and PIs."""
    tag = element.tag
    name = _LOCAL_NAMES.get(tag)
    if name is not None:
        return name
    if not isinstance(tag, str):
        name = ""
    else:
        name = tag.rpartition("}")[2] if tag[:1] == "{" else tag
        name = name.rpartition(":")[2].lower()
    if len(_LOCAL_NAMES) < 4096:  # a hostile file may invent a million tag names
        _LOCAL_NAMES[tag] = name
    return name


class _Builder:
    """Collects runs of (text, italic, bold) and turns them into Paragraphs."""

    def __init__(self, headings: bool) -> None:
        self.headings = headings
        self.note = 0  # inside a notes block: its paragraphs are kind "note"
        self.paragraphs: list[Paragraph] = []
        self.runs: list[tuple[str, bool, bool]] = []
        self.italic = 0
        self.bold = 0
        self.pre = 0
        self.heading = 0

    def add(self, text: str | None) -> None:
        if text:
            if self.pre:
                # Inside <pre> line breaks are real; other spaces still collapse.
                parts = text.split("\n")
                for index, part in enumerate(parts):
                    if index:
                        self.runs.append(("\n", False, False))
                    if part:
                        self.runs.append((part, self.italic > 0, self.bold > 0))
            else:
                # A bare "\n" text node (between two <br/>) is only whitespace;
                # it must not read as the hard-break marker below.
                text = " " if text == "\n" else text
                self.runs.append((text, self.italic > 0, self.bold > 0))

    def newline(self) -> None:
        self.runs.append(("\n", False, False))

    def flush(self) -> None:
        runs, self.runs = self.runs, []
        if not runs or self.full:
            return
        kind: ParagraphKind = "heading" if self.heading and self.headings else "text"
        paragraph = _paragraph(runs, kind)
        if paragraph is not None:
            if self.note and paragraph.kind == "text":
                paragraph.kind = "note"
            self.paragraphs.append(paragraph)

    def emit(self, paragraph: Paragraph) -> None:
        self.flush()
        if not self.full:
            self.paragraphs.append(paragraph)

    @property
    def full(self) -> bool:
        return len(self.paragraphs) >= MAX_PARAGRAPHS


def _paragraph(runs: list[tuple[str, bool, bool]], kind: ParagraphKind) -> Paragraph | None:
    """Join runs with browser-like whitespace collapsing, keeping emphasis offsets."""
    if len(runs) == 1 and not runs[0][1] and not runs[0][2] and runs[0][0] != "\n":
        # The common case, one plain run: no offsets to keep.
        text = _HTML_SPACE.sub(" ", clean_text(runs[0][0])).strip()
        if not text:
            return None
        if kind == "text" and is_scene_break(text):
            return Paragraph(text, "scene_break")
        return Paragraph(text, kind)
    pieces: list[str] = []
    styles: list[tuple[int, int, bool, bool]] = []
    length = 0
    last_space = True  # at the start, leading spaces vanish
    for text, italic, bold in runs:
        if text == "\n":
            # A hard break swallows the spaces before it and after it.
            if pieces and pieces[-1].endswith(" "):
                pieces[-1] = pieces[-1][:-1]
                length -= 1
                if styles and styles[-1][1] > length:
                    start, _end, i, b = styles[-1]
                    styles[-1] = (start, length, i, b)
            pieces.append("\n")
            length += 1
            last_space = True
            continue
        text = _HTML_SPACE.sub(" ", clean_text(text))
        if last_space and text.startswith(" "):
            text = text[1:]
        if not text:
            continue
        start = length
        pieces.append(text)
        length += len(text)
        last_space = text.endswith(" ")
        if italic or bold:
            styles.append((start, length, italic, bold))
    joined = "".join(pieces)
    # Trim edges (including no-break spaces and hard breaks) and shift offsets.
    stripped = joined.lstrip()
    offset = len(joined) - len(stripped)
    text = stripped.rstrip()
    if not text:
        return None
    if not unicodedata.is_normalized("NFC", text):
        # A combining mark started a run: renormalise and keep spans in bounds.
        text = unicodedata.normalize("NFC", text)
    end = len(text)
    emphasis: list[tuple[int, int, str]] = []
    for style_index, style in ((2, "italic"), (3, "bold")):
        current: list[int] | None = None
        for span in styles:
            if not span[style_index]:
                continue
            s, e = max(0, span[0] - offset), min(end, span[1] - offset)
            if e <= s:
                continue
            if current and s <= current[1]:
                current[1] = max(current[1], e)
            else:
                if current:
                    emphasis.append((current[0], current[1], style))
                current = [s, e]
        if current:
            emphasis.append((current[0], current[1], style))
    emphasis.sort()
    if kind == "text" and is_scene_break(text):
        return Paragraph(text, "scene_break")
    return Paragraph(text, kind, tuple(emphasis))


def _image_placeholder(element: Any) -> Paragraph:
    alt = " ".join(clean_text(element.get("alt") or element.get("title") or "").split())
    if len(alt) > _MAX_ALT_CHARS:
        alt = alt[: _MAX_ALT_CHARS - 1] + "…"
    return Paragraph(f"[image: {alt}]" if alt else "[image]")


def _inline_style(element: Any) -> tuple[bool, bool]:
    style = element.get("style")
    if not style:
        return False, False
    return bool(_STYLE_ITALIC.search(style)), bool(_STYLE_BOLD.search(style))


def paragraphs_from(
    element: Any, *, headings: bool = True, notes_class: str | None = None
) -> list[Paragraph]:
    """Story paragraphs in `element`: blocks become paragraphs, <em>/<i> italic,
    <strong>/<b> bold, <br> a line break, <hr> a scene break, h1–h6 headings
    (plain text when `headings` is False), images a short placeholder. Text inside
    a <div> of class `notes_class` (an author's notes block) is of kind "note"."""
    builder = _Builder(headings)
    # Per open element: what its end event must undo.
    undo: list[tuple[bool, bool, bool, bool, bool, bool]] = []
    skipped = (False, False, False, False, False, False)
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        name = local_name(node)
        if event == "start":
            if builder.full:
                builder.paragraphs.append(cut_notice(f"more than {MAX_PARAGRAPHS:,} paragraphs"))
                return builder.paragraphs
            if not name:
                # Comment or unexpanded entity: skip it, keep the text after it.
                undo.append(skipped)
                continue
            if name in DROPPED and node is not element:
                walker.skip_subtree()
                undo.append(skipped)
                continue
            if name in IMAGES:
                builder.emit(_image_placeholder(node))
                walker.skip_subtree()
                undo.append(skipped)
                continue
            if name == "hr":
                builder.emit(Paragraph(SCENE_BREAK_TEXT, "scene_break"))
                undo.append(skipped)
                continue
            if name == "br":
                builder.newline()
                undo.append(skipped)
                continue
            block = name in BLOCKS
            if block:
                builder.flush()
            style_italic, style_bold = _inline_style(node)
            italic = name in ITALIC or style_italic
            bold = name in BOLD or style_bold
            heading = name in HEADINGS
            pre = name == "pre"
            # Only divs are looked at: a class lookup on every node costs.
            note = (
                notes_class is not None
                and name == "div"
                and notes_class in (node.get("class") or "").split()
            )
            builder.italic += italic
            builder.bold += bold
            builder.heading += heading
            builder.pre += pre
            builder.note += note
            undo.append((block, italic, bold, heading, pre, note))
            builder.add(node.text)
        else:
            block, italic, bold, heading, pre, note = undo.pop()
            if block:
                builder.flush()
            builder.italic -= italic
            builder.bold -= bold
            builder.heading -= heading
            builder.pre -= pre
            builder.note -= note
            if node is not element:
                builder.add(node.tail)
    builder.flush()
    return builder.paragraphs


def text_of(element: Any) -> str:
    """All the text in `element` on one line: cleaned, whitespace collapsed."""
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        name = local_name(node)
        if event == "start":
            if name in DROPPED and node is not element:
                walker.skip_subtree()
            elif name and node.text:
                parts.append(node.text)
            if name in BLOCKS or name == "br":
                parts.append(" ")
        else:
            if name in BLOCKS:
                parts.append(" ")
            if node is not element and node.tail:
                parts.append(node.tail)
    return " ".join(clean_text("".join(parts)).split())


def block_text(element: Any) -> str:
    """Multi-paragraph text (a summary, notes): paragraphs joined by blank lines."""
    return "\n\n".join(p.text for p in paragraphs_from(element, headings=False))
