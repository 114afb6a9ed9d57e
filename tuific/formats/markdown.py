"""Markdown stories, with YAML (`---`) or TOML (`+++`) front matter.

The body is parsed with markdown-it-py: it is already installed with Textual,
follows CommonMark's emphasis rules (so `snake_case_names` and `2 * 3` stay
text), decodes entities and escapes, and caps nesting (`maxNesting`), so 200,000
`>` in a row cost a fraction of a second instead of a RecursionError. Two
CommonMark rules are switched off because fiction breaks them: indented code
blocks (prose is often indented four spaces) and `~~~` fences (a common scene
break, which as a fence would swallow the rest of the story).

Front matter (untrusted too) is read by `front_matter`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tuific.chapters import classify, is_heading, is_scene_break
from tuific.formats import plaintext
from tuific.formats.front_matter import apply_front_matter, load_block, split_front_matter
from tuific.limits import MAX_PARAGRAPHS
from tuific.metadata import apply_field, parse_int, title_from_filename
from tuific.model import Chapter, Metadata, Paragraph, ParagraphKind, Story, cut_notice
from tuific.text import clean_text, count_words, cut_blocks, decode_bytes

NAME = "markdown"
EXTENSIONS = (".md", ".markdown")

SCENE_BREAK_TEXT = "* * *"  # what an <hr> shows as, the same as in HTML stories
# Body parsing limits (see markdown_paragraphs): no real paragraph is 64 KiB.
MAX_BLOCK_CHARS = 64 * 1024
CHUNK_CHARS = 64 * 1024
PARSE_BUDGET_SECONDS = 8.0

_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_HTML_TAG = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
_HTML_ITALIC = frozenset({"em", "i", "cite"})
_HTML_BOLD = frozenset({"strong", "b"})


def sniff(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in EXTENSIONS


# ----------------------------------------------------------------------- body


def _parser(html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "maxNesting": 20, "typographer": False})
    md.disable(["code", "fence"])
    md.enable("strikethrough")  # ~~gone~~ shows as plain text, markers removed
    return md


_PARSERS = {True: _parser(True), False: _parser(False)}


class _Builder:
    """Collects styled runs of one block and turns them into a Paragraph."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.levels: dict[int, int] = {}  # heading paragraph index -> level
        self.pieces: list[str] = []
        self.spans: list[tuple[int, int, str]] = []
        self.length = 0
        self.italic = 0
        self.bold = 0
        self.prefix = ""

    def add(self, text: str) -> None:
        if text == "\n":
            while self.pieces and self.pieces[-1].endswith(" "):
                self.pieces[-1] = self.pieces[-1][:-1]
                self.length -= 1
            self.pieces.append("\n")
            self.length += 1
            return
        text = _SPACES.sub(" ", clean_text(text).replace("\n", " "))
        if (not self.pieces or self.pieces[-1].endswith((" ", "\n"))) and text.startswith(" "):
            text = text[1:]
        if not text:
            return
        start = self.length
        self.pieces.append(text)
        self.length += len(text)
        if self.italic:
            self.spans.append((start, self.length, "italic"))
        if self.bold:
            self.spans.append((start, self.length, "bold"))

    def flush(self, kind: ParagraphKind = "text", level: int = 0) -> None:
        pieces, spans = self.pieces, self.spans
        self.pieces, self.spans, self.length = [], [], 0
        self.italic = self.bold = 0  # an unclosed <i> ends with its block
        if not "".join(pieces).strip():
            self.prefix = ""
            return
        joined = self.prefix + "".join(pieces)
        shift = len(self.prefix)
        self.prefix = ""
        text = joined.lstrip()
        offset = len(joined) - len(text) - shift
        text = text.rstrip()
        if not text:
            return
        if kind == "text" and is_scene_break(text):
            self.paragraphs.append(Paragraph(text, "scene_break"))
            return
        if kind == "heading":
            text = " ".join(text.split())  # a heading is one line
            spans = []
        emphasis = _merge(spans, offset, len(text))
        if kind == "heading":
            self.levels[len(self.paragraphs)] = level
        self.paragraphs.append(Paragraph(text, kind, emphasis))

    def emit(self, paragraph: Paragraph) -> None:
        self.flush()
        self.paragraphs.append(paragraph)


def _merge(
    spans: list[tuple[int, int, str]], offset: int, end: int
) -> tuple[tuple[int, int, str], ...]:
    """Shift spans by `offset`, clip them to the text, and join touching runs."""
    merged: list[tuple[int, int, str]] = []
    for style in ("italic", "bold"):
        current: list[int] | None = None
        for start, stop, kind in spans:
            if kind != style:
                continue
            s, e = max(0, start - offset), min(end, stop - offset)
            if e <= s:
                continue
            if current and s <= current[1]:
                current[1] = max(current[1], e)
                continue
            if current:
                merged.append((current[0], current[1], style))
            current = [s, e]
        if current:
            merged.append((current[0], current[1], style))
    return tuple(sorted(merged))


def _inline(builder: _Builder, children: Iterable[Token]) -> None:
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline", "text_special"):
            builder.add(child.content)
        elif kind == "softbreak":
            builder.add(" ")
        elif kind == "hardbreak":
            builder.add("\n")
        elif kind == "em_open":
            builder.italic += 1
        elif kind == "em_close":
            builder.italic = max(0, builder.italic - 1)
        elif kind == "strong_open":
            builder.bold += 1
        elif kind == "strong_close":
            builder.bold = max(0, builder.bold - 1)
        elif kind == "image":
            alt = " ".join("".join(c.content for c in child.children or ()).split())
            builder.add(f"[image: {alt[:80]}]" if alt else "[image]")
        elif kind == "html_inline":
            _html_inline(builder, child.content)
        # link_open/close, s_open/close: the text between them is what shows


def _html_inline(builder: _Builder, tag: str) -> None:
    """<i>, <em>, <b>, <strong> and <br> inside Markdown; other tags vanish."""
    match = _HTML_TAG.match(tag)
    if not match:
        return
    closing, name = match.group(1) == "/", match.group(2).lower()
    step = -1 if closing else 1
    if name in _HTML_ITALIC:
        builder.italic = max(0, builder.italic + step)
    elif name in _HTML_BOLD:
        builder.bold = max(0, builder.bold + step)
    elif name == "br" and not closing:
        builder.add("\n")


def _html_block(builder: _Builder, content: str) -> None:
    from tuific.formats.htmltext import paragraphs_from
    from tuific.formats.markup import parse_html

    for paragraph in paragraphs_from(parse_html(content)):
        builder.emit(paragraph)


def markdown_paragraphs(text: str, *, html: bool = True) -> tuple[list[Paragraph], dict[int, int]]:
    """Paragraphs of a Markdown body, and the level of each heading paragraph.

    `html=False` leaves inline tags as the literal text they were (FanFicFare's
    TXT bodies are html2text output, where a `<` was the story's own).

    markdown-it-py is pure Python and some hostile inputs (`![` repeated) cost
    tens of microseconds a character, so the body is parsed in groups of blocks
    split at blank lines: a block longer than any real paragraph, and whatever
    is left once the time budget is spent, is read as plain text instead.
    """
    builder = _Builder()
    deadline = time.monotonic() + PARSE_BUDGET_SECONDS
    text, cut = cut_blocks(text, MAX_PARAGRAPHS)
    for plain, chunk in _chunks(text):
        if plain or time.monotonic() > deadline:
            for paragraph in plaintext.body_paragraphs(chunk.split("\n")):
                builder.emit(paragraph)
        else:
            _parse_chunk(builder, chunk, html)
    builder.flush()
    if cut:
        builder.paragraphs.append(cut_notice(f"more than {MAX_PARAGRAPHS:,} paragraphs"))
    return builder.paragraphs, builder.levels


def _chunks(text: str) -> Iterator[tuple[bool, str]]:
    """(plain?, text) pieces of a body, cut only at blank lines."""
    group: list[str] = []
    size = 0
    for block in _BLANK_LINES.split(text):
        if len(block) > MAX_BLOCK_CHARS:
            if group:
                yield False, "\n\n".join(group)
                group, size = [], 0
            yield True, block
            continue
        group.append(block)
        size += len(block)
        if size >= CHUNK_CHARS:
            yield False, "\n\n".join(group)
            group, size = [], 0
    if group:
        yield False, "\n\n".join(group)


def _parse_chunk(builder: _Builder, text: str, html: bool) -> None:
    lists: list[list[int]] = []  # per open list: [ordered?, next number]
    heading_level = 0
    for token in _PARSERS[html].parse(text):
        kind = token.type
        if kind == "inline":
            _inline(builder, token.children or ())
        elif kind == "heading_open":
            builder.flush()
            heading_level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            if not "".join(builder.pieces).strip():
                # A lone "#" line is an empty heading to CommonMark; in a story
                # it is a scene break.
                builder.emit(Paragraph("#", "scene_break"))
            else:
                builder.flush("heading", heading_level)
        elif kind == "paragraph_close":
            builder.flush()
        elif kind == "hr":
            builder.emit(Paragraph(SCENE_BREAK_TEXT, "scene_break"))
        elif kind == "html_block":
            builder.flush()
            _html_block(builder, token.content)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            builder.flush()
            start = parse_int(str(token.attrGet("start") or "1")) or 1
            lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            builder.flush()
            if lists:
                lists.pop()
        elif kind == "list_item_open" and lists:
            builder.flush()
            ordered, number = lists[-1]
            builder.prefix = f"{number}. " if ordered else "• "
            lists[-1][1] = number + 1
    builder.flush()


def _chapters(
    paragraphs: list[Paragraph], levels: dict[int, int], skip: int | None
) -> list[Chapter]:
    """Chapters are the headings at the shallowest level used (below a title heading)."""
    used = [level for index, level in levels.items() if index != skip]
    if not used:
        return []
    top = min(used)
    return [
        Chapter(paragraphs[index].text, index)
        for index, level in sorted(levels.items())
        if level == top and index != skip
    ]


# ---------------------------------------------------------------------- story


def _metadata(text: str, path: Path) -> tuple[Metadata, str]:
    """Metadata from front matter or a plain header, and the body text after it."""
    meta = Metadata()
    fence, block, body = split_front_matter(text)
    data = load_block(fence, block) if fence else None
    if data is not None:
        apply_front_matter(meta, data)
        return meta, body
    lines = text.split("\n")
    pairs, start = plaintext.split_header(lines)
    if not pairs:
        return meta, text
    for label, value in pairs:
        apply_field(meta, label, value)
    return meta, "\n".join(lines[start:])


def parse(text: str, path: Path, fmt: str = NAME) -> Story:
    text = clean_text(text)
    meta, body = _metadata(text, path)
    paragraphs, levels = markdown_paragraphs(body)
    title_heading: int | None = None
    if levels.get(0) == 1 and sum(1 for level in levels.values() if level == 1) == 1:
        # A lone top `# Heading` names the document; chapters are the ones below it.
        title_heading = 0
        if not meta.title:
            meta.title = paragraphs[0].text
    if not levels:
        # No Markdown headings: recognise "Chapter 3" lines as plain text does.
        for paragraph in paragraphs:
            if paragraph.kind == "text" and classify(paragraph.text) == "heading":
                paragraph.kind = "heading"
                paragraph.emphasis = ()
        chapters = [Chapter(p.text, i) for i, p in enumerate(paragraphs) if p.kind == "heading"]
    else:
        chapters = _chapters(paragraphs, levels, title_heading)
    if not meta.title:
        meta.title = title_from_filename(path.stem)
    words = sum(count_words(p.text) for p in paragraphs if p.kind == "text")
    return Story(str(path), fmt, meta, words, chapters, paragraphs)


def load(path: Path, data: bytes) -> Story:
    return parse(decode_bytes(data), path)


# Metadata pass: front matter, plus estimates from the raw lines, never parsing
# the body (a library of long stories must list fast).
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_LOOSE_MARKERS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)")
_MARKERS = "*_#>~`\\|="


def _estimate_words(body: str, skip: set[str]) -> int:
    """Words less headings, scene breaks and tokens that are only Markdown markers."""
    words = 0
    for line in body.split("\n"):
        if _ATX.match(line) or is_scene_break(line) or line.strip() in skip:
            continue
        words += sum(1 for token in line.split() if token.strip(_MARKERS))
    return words


def read_metadata(path: Path, data: bytes) -> Story:
    """Front matter or header, a word estimate and ATX-heading chapters.
    Chapters point at paragraph 0 until the story is loaded."""
    text = clean_text(decode_bytes(data))
    meta, body = _metadata(text, path)
    headings = [
        (len(m.group(1)), _LOOSE_MARKERS.sub("", m.group(2)).strip()) for m in _ATX.finditer(body)
    ]
    headings = [(level, title) for level, title in headings if title]
    first = body.lstrip("\n").split("\n", 1)[0]
    title_heading = (
        bool(headings)
        and headings[0][0] == 1
        and bool(_ATX.match(first))
        and sum(1 for level, _ in headings if level == 1) == 1
    )
    if title_heading:
        meta.title = meta.title or " ".join(headings[0][1].split())
        headings = headings[1:]
    chapters: list[Chapter] = []
    if headings:
        top = min(level for level, _ in headings)
        chapters = [Chapter(" ".join(t.split()), 0) for level, t in headings if level == top]
    elif not title_heading:
        # As load() does without Markdown headings: "Chapter 3" paragraphs.
        chapters = [
            Chapter(block.strip(), 0)
            for block in _BLANK_LINES.split(body)
            if "\n" not in block.strip() and is_heading(block)
        ]
    if not meta.title:
        meta.title = title_from_filename(path.stem)
    skip = {c.title for c in chapters} if not headings else set()
    return Story(str(path), NAME, meta, _estimate_words(body, skip), chapters, None)
