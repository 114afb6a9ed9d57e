"""FanFicFare's EPUB output (DESIGN.md §4).

`OEBPS/title_page.xhtml` holds `<h3><a>Title</a> by <a class='authorlink'>…</a></h3>`
and `<b>Label:</b> value<br />` entries (a `<table class="full">` when the user
set titlepage_use_table); each chapter is `OEBPS/fileNNNN.xhtml` with an
`<h3 class="fff_chapter_title">`. Reading order is the OPF spine. The OPF's own
metadata (Dublin Core) fills in only what the title page does not say.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tuific.formats import StoryError
from tuific.formats.epub import cut_paragraph
from tuific.formats.epubzip import Epub, open_epub, series_number
from tuific.formats.fff_meta import (
    NOTES_CLASS,
    FffMetadata,
    estimate_words,
    series_url,
    title_and_authors,
    titlepage_entries,
)
from tuific.formats.htmltext import paragraphs_from, text_of
from tuific.formats.markup import local_name, parse_xhtml
from tuific.metadata import parse_status, title_from_filename
from tuific.model import Chapter, Metadata, Paragraph, Story
from tuific.text import clean_line, clean_text, count_words

NAME = "fanficfare-epub"

_CHAPTER_FILE = re.compile(r"(?:^|/)file\d+\.x?html?$", re.IGNORECASE)
_FRONT_PAGES = re.compile(r"(?:^|/)(?:title_page|toc_page|log_page|cover)\.x?html?$", re.IGNORECASE)
# dc:subject entries FanFicFare adds that are not tags.
_BOOKKEEPING_SUBJECT = re.compile(
    r"^(?:fanfiction|last update\b.*|completed|in-progress)$", re.IGNORECASE
)


def sniff(path: Path, head: bytes) -> bool:
    """FanFicFare names its title page and chapters; a zip lists names in its
    local headers, which come first."""
    if not head.startswith(b"PK"):
        return False
    return b"OEBPS/title_page.xhtml" in head or (
        b"OEBPS/file0001.xhtml" in head and b"OEBPS/stylesheet.css" in head
    )


def is_fanficfare(epub: Epub) -> bool:
    """Does this package come from FanFicFare? Its OPF identifier says so, and
    its title page has a fixed name."""
    return epub.mentions("fanficfare-uid") or _title_page(epub) is not None


def sniff_data(path: Path, data: bytes) -> bool:
    """Sniff by the OPF inside the zip (a cover image can push the title page's
    name out of the first bytes)."""
    if not data.startswith(b"PK"):
        return False
    try:
        return is_fanficfare(open_epub(data))
    except StoryError:
        return False  # hostile or broken: the generic reader reports why


def _title_page(epub: Epub) -> str | None:
    return next((name for name in epub.spine if name.lower().endswith("title_page.xhtml")), None)


def _chapter_members(epub: Epub) -> list[str]:
    chapters = [name for name in epub.spine if _CHAPTER_FILE.search(name)]
    return chapters or [name for name in epub.spine if not _FRONT_PAGES.search(name)]


def _body(root: Any) -> Any:
    return next((el for el in root.iter() if local_name(el) == "body"), root)


def _metadata(epub: Epub, path: Path) -> Metadata:
    opf = epub.metadata
    collector = FffMetadata()
    heading_title: str = ""
    heading_authors: list[str] = []
    urls: dict[str, str] = {}
    page = _title_page(epub)
    if page is not None:
        body = _body(parse_xhtml(epub.read(page), "FanFicFare title page"))
        heading = next((el for el in body.iter() if local_name(el) in ("h1", "h2", "h3")), None)
        if heading is not None:
            heading_title, heading_authors, urls = title_and_authors(heading)
            _remove_keeping_tail(heading)
        for label, value in titlepage_entries(body):
            collector.add(label, value)
        link = series_url(body)
        if link:
            urls["Series URL"] = link
    else:
        _from_opf_only(collector, epub)
    meta = collector.finish()
    meta.title = meta.title or opf.title or heading_title or title_from_filename(path.stem)
    meta.authors = meta.authors or list(opf.creators) or heading_authors
    for key, value in urls.items():
        meta.extra.setdefault(key, value)
    if meta.series is None and opf.series:
        meta.series = opf.series
        meta.series_index = series_number(opf.series_index)
    return meta


def _from_opf_only(collector: FffMetadata, epub: Epub) -> None:
    """No title page (include_titlepage off): what the OPF says, untyped."""
    opf = epub.metadata
    meta = collector.meta
    if opf.description:
        # FanFicFare writes it as plain text (a "<" in it is just a "<") with blank
        # lines between paragraphs.
        parts = re.split(r"\n\s*\n", clean_text(opf.description))
        meta.summary = "\n\n".join(" ".join(p.split()) for p in parts if p.strip()) or None
    for subject in opf.subjects:
        status = parse_status(subject) if subject.lower() in ("completed", "in-progress") else None
        if status:
            meta.status = status  # type: ignore[assignment]
        elif not _BOOKKEEPING_SUBJECT.match(subject):
            meta.tags.append(subject)
    for event, value in opf.dates:
        if event in ("publication", "") and meta.published is None:
            meta.published = clean_line(value)
        elif event == "modification" and meta.updated is None:
            meta.updated = clean_line(value)
    meta.language = opf.language
    if opf.publisher:
        meta.extra["Publisher"] = opf.publisher


def _split_chapter(epub: Epub, member: str) -> tuple[str, Any] | None:
    """The chapter's title and its body with the title heading taken out; None once
    the EPUB's budgets are spent."""
    data = epub.read_document(member)
    if data is None:
        return None
    body = _body(parse_xhtml(data, f"chapter {member}"))
    heading = next(
        (
            el
            for el in body.iter()
            if local_name(el) in ("h1", "h2", "h3")
            and "fff_chapter_title" in (el.get("class") or "").split()
        ),
        None,
    )
    title = ""
    if heading is not None:
        title = text_of(heading)
        _remove_keeping_tail(heading)
    return title or epub.toc.get(member, ""), body


def _remove_keeping_tail(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _read(path: Path, data: bytes, with_text: bool) -> Story:
    epub = open_epub(data)
    meta = _metadata(epub, path)
    paragraphs: list[Paragraph] = []
    chapters: list[Chapter] = []
    words = 0
    for member in _chapter_members(epub):
        split = _split_chapter(epub, member)
        if split is None:
            break
        title, body = split
        title = clean_line(title)
        if with_text:
            if title:
                chapters.append(Chapter(title, len(paragraphs)))
                paragraphs.append(Paragraph(title, "heading"))
            paragraphs.extend(paragraphs_from(body, notes_class=NOTES_CLASS))
        else:
            if title:
                chapters.append(Chapter(title, 0))
            words += estimate_words(body)
    if with_text:
        words = sum(count_words(p.text) for p in paragraphs if p.kind == "text")
        paragraphs.extend(cut_paragraph(epub))
    return Story(str(path), NAME, meta, words, chapters, paragraphs if with_text else None)


def load(path: Path, data: bytes) -> Story:
    return _read(path, data, with_text=True)


def read_metadata(path: Path, data: bytes) -> Story:
    """Title page, OPF and chapter titles; chapter text is counted, not built.
    Chapters point at paragraph 0 until the story is loaded."""
    return _read(path, data, with_text=False)
