"""Any EPUB: Dublin Core metadata, spine reading order, nav/NCX chapter titles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tuific.formats.ao3common import body_words
from tuific.formats.epubzip import Epub, open_epub, series_number
from tuific.formats.htmltext import DROPPED, HEADINGS, paragraphs_from, text_of
from tuific.formats.markup import local_name, parse_html, parse_xhtml
from tuific.metadata import append_once, apply_field, title_from_filename
from tuific.model import Chapter, Metadata, Paragraph, Story, cut_notice
from tuific.text import clean_text

NAME = "epub"
ZIP_MAGIC = b"PK\x03\x04"
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?$")


def sniff(path: Path, head: bytes) -> bool:
    # A .epub that is not a zip is still ours, so its reason reads "not a valid EPUB".
    return path.suffix.lower() == ".epub" or (
        head.startswith(ZIP_MAGIC) and b"application/epub+zip" in head[:200]
    )


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def short_date(value: str | None) -> str | None:
    """calibre's '2022-11-03T00:00:00+00:00' -> '2022-11-03'; anything else as is."""
    if not value:
        return None
    match = _ISO_DATETIME.match(value)
    return match.group(1) if match else value


def description_text(description: str | None) -> str | None:
    """dc:description is usually escaped HTML: keep its paragraphs, drop its tags."""
    if not description:
        return None
    if "<" in description:
        text = "\n\n".join(p.text for p in paragraphs_from(parse_html(description), headings=False))
    else:
        text = clean_text(description).strip()
    return text or None


def opf_metadata(epub: Epub, meta: Metadata, path: Path, *, subjects_as_tags: bool = True) -> None:
    """Fill the fields `meta` lacks from the OPF's Dublin Core and calibre metadata."""
    m = epub.metadata
    if not meta.title:
        meta.title = m.title or title_from_filename(path.stem)
    if not meta.authors:
        meta.authors.extend(m.creators)
    if subjects_as_tags:
        held = set(meta.tags)
        for subject in m.subjects:
            append_once(meta.tags, held, subject)
    if meta.summary is None:
        meta.summary = description_text(m.description)
    meta.language = meta.language or m.language
    meta.published = meta.published or short_date(m.date)
    if meta.series is None and m.series:
        meta.series = m.series
        meta.series_index = series_number(m.series_index)
    if m.publisher and "Publisher" not in meta.extra:
        apply_field(meta, "Publisher", m.publisher)
    for source in [*m.sources, *m.identifiers]:
        if source.lower().startswith(("http://", "https://")):
            meta.extra.setdefault("Source", source)
            break


def body_of(root: Any) -> Any:
    for element in root.iter():
        if local_name(element) == "body":
            return element
    return root


def spine_bodies(epub: Epub):
    """(member, body element) for each spine document, in reading order, until the
    EPUB's budgets are spent (`epub.cut` then says why: see `cut_paragraph`)."""
    for member in epub.spine:
        data = epub.read_document(member)
        if data is None:
            return
        yield member, body_of(parse_xhtml(data, f"EPUB document {member!r}"))


def cut_paragraph(epub: Epub) -> list[Paragraph]:
    """The note that ends a story whose EPUB was only partly read, if it was."""
    return [cut_notice(epub.cut)] if epub.cut else []


def _is_placeholder_only(paragraphs: list[Paragraph]) -> bool:
    return all(p.text.startswith("[image") for p in paragraphs)


def opening_heading(body: Any) -> Any | None:
    """The h1–h6 holding the document's first text, if it opens with one (cheap)."""
    for element in body.iter():
        name = local_name(element)
        if name in DROPPED:
            continue
        text = element.text if name else None
        if text and text.strip():
            if name in HEADINGS:
                return element
            for up in element.iterancestors():
                if local_name(up) in HEADINGS:
                    return up
                if up is body:
                    break
            return None
    return None


def read(path: Path, data: bytes, load: bool, fmt: str = NAME) -> Story:
    epub = open_epub(data)
    meta = Metadata()
    opf_metadata(epub, meta, path)
    toc = epub.toc
    paragraphs: list[Paragraph] = []
    chapters: list[Chapter] = []
    words = 0
    for member, body in spine_bodies(epub):
        title = toc.get(member)
        count = body_words(body)
        heading = opening_heading(body)
        if load:
            found = paragraphs_from(body)
            if not found or _is_placeholder_only(found):
                continue  # a cover or blank page: nothing to read
            if heading is not None and found[0].kind == "heading":
                chapters.append(Chapter(title or found[0].text, len(paragraphs)))
            elif title:
                chapters.append(Chapter(title, len(paragraphs)))
                paragraphs.append(Paragraph(title, "heading"))
            paragraphs.extend(found)
        else:
            if count == 0:
                continue
            if heading is not None or title:
                chapters.append(Chapter(title or text_of(heading), 0))
        words += count
    paragraphs.extend(cut_paragraph(epub))
    return Story(str(path), fmt, meta, words, chapters, paragraphs if load else None)


def load(path: Path, data: bytes) -> Story:
    return read(path, data, load=True)


def read_metadata(path: Path, data: bytes) -> Story:
    return read(path, data, load=False)
