"""Untrusted HTML, XHTML and XML bytes into lxml trees: decoding, budgets, safe parsers.

Parsing is lxml (libxml2): a C parser that is fast on multi-megabyte chapters,
never fetches anything (`no_network`), and whose HTML parser does not expand
entities declared in a document's internal subset. XHTML from EPUBs is tried
with a strict, entity-refusing XML parser first (so `<title/>` and `<a id="x"/>`
mean what they say) and falls back to the forgiving HTML parser.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import lxml.etree as etree

from tuific.limits import MAX_MARKUP_TAGS
from tuific.model import cut_notice
from tuific.text import decode_bytes

_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")


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


def refuse_entities(what: str, *, data: bytes | None = None, root: Any = None) -> None:
    """Raise StoryError when an XML document declares entities (a possible bomb).

    Called on the bytes before parsing (the first 64 KiB: libxml2 never reads a
    bomb's declarations) and on the parsed tree (its internal DTD: a declaration
    further on). Shared by EPUB content documents and the container's own XML.
    """
    from tuific.formats import StoryError

    declared = data is not None and _ENTITY_DECLARATION.search(data, 0, 65536) is not None
    if not declared and root is not None:
        dtd = root.getroottree().docinfo.internalDTD
        declared = dtd is not None and any(True for _ in dtd.iterentities())
    if declared:
        raise StoryError(f"{what} declares XML entities (refused: possible entity bomb)")


def parse_xhtml(data: bytes, what: str = "document") -> Any:
    """An EPUB content document: strict XML when it is well formed, else HTML.

    Entity declarations are refused outright (StoryError) rather than parsed.
    """
    refuse_entities(what, data=data)
    if data.count(b"<") > MAX_MARKUP_TAGS:
        return parse_html(data)  # cut to the budget, which breaks the XML
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return parse_html(data)
    refuse_entities(what, root=root)
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
