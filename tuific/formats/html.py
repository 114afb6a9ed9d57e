"""Any HTML page holding a story: title, author/description meta, paragraphs, headings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tuific.chapters import is_heading
from tuific.formats.ao3common import body_words
from tuific.formats.htmltext import DROPPED, HEADINGS, paragraphs_from, text_of
from tuific.formats.markup import local_name, parse_html
from tuific.metadata import apply_field, title_from_filename
from tuific.model import Chapter, Metadata, Paragraph, Story
from tuific.text import clean_line

NAME = "html"
EXTENSIONS = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)


def sniff(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in EXTENSIONS or bool(_HTML_START.match(head[:2048]))


def _meta(root: Any, meta: Metadata) -> None:
    for element in root.iter("{*}meta"):  # tag-filtered in C: cheap on huge pages
        name = (element.get("name") or element.get("property") or "").lower()
        content = element.get("content") or ""
        if not content.strip():
            continue
        if name in ("author", "dc.creator", "article:author") and not meta.authors:
            meta.authors.append(clean_line(content))
        elif name in ("description", "og:description", "dc.description") and not meta.summary:
            apply_field(meta, "Summary", content)
        elif name == "keywords" and not meta.tags:
            apply_field(meta, "Tags", content)


def _title(root: Any) -> str:
    for tag in ("{*}title", "{*}h1"):
        for element in root.iter(tag):
            return text_of(element)
    return ""


def _body(root: Any) -> Any:
    for element in root.iter("{*}body"):
        return element
    return root


_HEADING_TAGS = tuple(f"{{*}}{name}" for name in sorted(HEADINGS))
_HEADING_WORDS = (
    "chapter",
    "part",
    "book",
    "act",
    "volume",
    "prologue",
    "epilogue",
    "interlude",
    "afterword",
    "foreword",
)


def _heading_paragraphs(body: Any) -> list[str]:
    """Bold-paragraph chapter titles, without text_of on every <p> of a long story."""
    found = []
    for element in body.iter("{*}p"):  # tag-filtered in C
        raw = "".join(element.itertext())
        if len(raw) <= 200 and raw.lstrip()[:10].lower().startswith(_HEADING_WORDS):
            text = text_of(element)
            if is_heading(text):
                found.append(text)
    return found


def _heading_texts(body: Any) -> list[str]:
    """Headings' texts, cheaply, without walking paragraphs (the metadata path)."""
    found = []
    for element in body.iter(*_HEADING_TAGS):
        if not any(local_name(up) in DROPPED for up in element.iterancestors()):
            text = text_of(element)
            if text:
                found.append(text)
    return found


def _chapter_titles(headings: list[str], title: str) -> list[str]:
    """A first heading that repeats the title is the title, not a chapter."""
    if len(headings) > 1 and headings[0].casefold() == title.casefold():
        return headings[1:]
    return headings


def _read(path: Path, data: bytes, load: bool) -> Story:
    root = parse_html(data)
    meta = Metadata()
    meta.title = _title(root) or title_from_filename(path.stem)
    _meta(root, meta)
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    meta.language = clean_line(lang) or None if lang else None
    body = _body(root)
    words = body_words(body)
    if not load:
        headings = _heading_texts(body) or _heading_paragraphs(body)
        titles = _chapter_titles(headings, meta.title)
        return Story(str(path), NAME, meta, words, [Chapter(t, 0) for t in titles], None)
    paragraphs = paragraphs_from(body)
    if not any(p.kind == "heading" for p in paragraphs):
        # Pages saved from forums mark chapters as bold paragraphs, not h-tags.
        paragraphs = [
            Paragraph(p.text, "heading") if p.kind == "text" and is_heading(p.text) else p
            for p in paragraphs
        ]
    found = [(i, p.text) for i, p in enumerate(paragraphs) if p.kind == "heading"]
    titles = _chapter_titles([text for _i, text in found], meta.title)
    chapters = [Chapter(text, i) for i, text in found[len(found) - len(titles) :]]
    return Story(str(path), NAME, meta, words, chapters, paragraphs)


def load(path: Path, data: bytes) -> Story:
    return _read(path, data, load=True)


def read_metadata(path: Path, data: bytes) -> Story:
    return _read(path, data, load=False)
