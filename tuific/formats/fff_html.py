"""FanFicFare's HTML output (DESIGN.md §4).

One page: `<h1><a>Title</a> by <a class='authorlink'>Author</a></h1>`, a
`<table class="full">` of `<b>Label:</b>` rows, an optional table of contents
(`<a name="TOCTOP">`), then per chapter `<a name="section0001"><h2>Title</h2></a>`
followed by the chapter's elements up to the next such anchor.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tuific.formats.fff_meta import (
    NOTES_CLASS,
    FffMetadata,
    estimate_words,
    series_url,
    title_and_authors,
    titlepage_entries,
)
from tuific.formats.htmltext import paragraphs_from, text_of
from tuific.formats.markup import local_name, parse_html
from tuific.metadata import title_from_filename
from tuific.model import Chapter, Metadata, Paragraph, Story
from tuific.text import clean_text, count_words

NAME = "fanficfare-html"
EXTENSIONS = (".html", ".htm", ".xhtml")

_TITLE_TABLE = re.compile(rb"""<table\s+class=["']full["']""", re.IGNORECASE)
_LABEL_CELL = re.compile(rb"<tr>\s*<td>\s*<b>[^<]{1,40}:</b>\s*</td>", re.IGNORECASE)
_SECTION = re.compile(rb"""<a\s+name=["'](?:section\d{4}|TOCTOP)["']""", re.IGNORECASE)
_SECTION_NAME = re.compile(r"^section\d+$", re.IGNORECASE)


def sniff(path: Path, head: bytes) -> bool:
    """FanFicFare's title table with label rows, or its section anchors."""
    if path.suffix.lower() not in EXTENSIONS:
        return False
    has_table = bool(_TITLE_TABLE.search(head)) and bool(_LABEL_CELL.search(head))
    return has_table or (bool(_SECTION.search(head)) and b"authorlink" in head)


def _section_anchor(element: Any) -> bool:
    return local_name(element) == "a" and bool(_SECTION_NAME.match(element.get("name") or ""))


def _metadata(body: Any, path: Path) -> Metadata:
    collector = FffMetadata()
    heading = next((el for el in body.iter() if local_name(el) == "h1"), None)
    title: str = ""
    authors: list[str] = []
    urls: dict[str, str] = {}
    if heading is not None:
        title, authors, urls = title_and_authors(heading)
    table = next(
        (
            el
            for el in body.iter()
            if local_name(el) == "table" and "full" in (el.get("class") or "").split()
        ),
        None,
    )
    if table is not None:
        for label, value in titlepage_entries(table):
            collector.add(label, value)
        link = series_url(table)
        if link:
            urls["Series URL"] = link
    meta = collector.finish()
    meta.title = meta.title or title or title_from_filename(path.stem)
    meta.authors = meta.authors or authors
    for key, value in urls.items():
        meta.extra.setdefault(key, value)
    return meta


def _tail_paragraph(element: Any) -> list[Paragraph]:
    tail = " ".join(clean_text(element.tail or "").split())
    return [Paragraph(tail)] if tail else []


def _chapters(body: Any) -> tuple[list[Paragraph], list[Chapter]]:
    """Paragraphs from the first section anchor on, with a chapter per anchor."""
    paragraphs: list[Paragraph] = []
    chapters: list[Chapter] = []
    started = False
    for element in body:
        if _section_anchor(element):
            started = True
            title = text_of(element)
            if title:
                chapters.append(Chapter(title, len(paragraphs)))
                paragraphs.append(Paragraph(title, "heading"))
            paragraphs.extend(_tail_paragraph(element))
            continue
        if not started:
            continue
        paragraphs.extend(paragraphs_from(element, notes_class=NOTES_CLASS))
        paragraphs.extend(_tail_paragraph(element))
    if not started:
        # No chapter anchors (a hand-edited file): everything after the title table.
        for element in body:
            if local_name(element) in ("h1", "table") or element.get("name") == "TOCTOP":
                continue
            paragraphs.extend(paragraphs_from(element, notes_class=NOTES_CLASS))
    return paragraphs, chapters


def _body(data: bytes) -> Any:
    root = parse_html(data)
    body = next((el for el in root.iter() if local_name(el) == "body"), None)
    return body if body is not None else root


def load(path: Path, data: bytes) -> Story:
    body = _body(data)
    meta = _metadata(body, path)
    paragraphs, chapters = _chapters(body)
    words = sum(count_words(p.text) for p in paragraphs if p.kind == "text")
    return Story(str(path), NAME, meta, words, chapters, paragraphs)


def read_metadata(path: Path, data: bytes) -> Story:
    """Title table and chapter titles; chapter text is counted, not built.
    Chapters point at paragraph 0 until the story is loaded."""
    body = _body(data)
    meta = _metadata(body, path)
    chapters: list[Chapter] = []
    words = 0
    started = False
    for element in body:
        if _section_anchor(element):
            started = True
            title = text_of(element)
            if title:
                chapters.append(Chapter(title, 0))
        elif started and local_name(element) not in ("script", "style"):
            words += estimate_words(element)
        if started:
            words += count_words(element.tail or "")
    return Story(str(path), NAME, meta, words, chapters, None)
