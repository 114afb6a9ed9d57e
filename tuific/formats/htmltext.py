"""HTML and XHTML trees to cleaned story paragraphs, shared by every HTML-based reader.

The trees come from `markup` (parse_html, parse_xhtml), which owns decoding,
the tag budget and the safe parsers.

Trees are walked with `lxml.etree.iterwalk`, never by Python recursion, so
libxml2's own depth limit (2048 with `huge_tree`) is the only one that matters.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import lxml.etree as etree

from tuific.chapters import is_scene_break
from tuific.formats.markup import local_name
from tuific.limits import MAX_PARAGRAPHS
from tuific.model import Paragraph, ParagraphKind, cut_notice
from tuific.text import clean_text

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
_STYLE_ITALIC = re.compile(r"font-style\s*:\s*(italic|oblique)", re.IGNORECASE)
_STYLE_BOLD = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.IGNORECASE)


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
