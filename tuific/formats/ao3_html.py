"""AO3's HTML download (DESIGN.md §4): preface tags, chapters and afterword."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.etree as etree

from tuific.formats import StoryError
from tuific.formats.ao3common import ChapterStream, end_notes, read_preface
from tuific.formats.htmltext import text_of
from tuific.formats.markup import local_name, parse_html
from tuific.metadata import title_from_filename
from tuific.model import Metadata, Story

NAME = "ao3-html"
EXTENSIONS = (".html", ".htm", ".xhtml")

_PREFACE = re.compile(rb"""id\s*=\s*["']?preface""", re.IGNORECASE)
_AO3 = re.compile(rb"archiveofourown|archive of our own", re.IGNORECASE)


def sniff(path: Path, head: bytes) -> bool:
    return bool(_PREFACE.search(head) and _AO3.search(head))


_BY_ID = etree.XPath("//*[@id=$ident]")


def _by_id(root: Any, ident: str) -> Any | None:
    found = _BY_ID(root, ident=ident)
    return found[0] if found else None


def _read(path: Path, data: bytes, load: bool) -> Story:
    root = parse_html(data)
    meta = Metadata()
    preface = _by_id(root, "preface")
    if not read_preface(preface if preface is not None else root, meta):
        raise StoryError("AO3 download without its preface")
    if not meta.title:
        title = root.find(".//title")
        if title is not None:
            meta.title = text_of(title).split(" - ")[0].strip()
    meta.title = meta.title or title_from_filename(path.stem)
    stream = ChapterStream(load=load)
    chapters = _by_id(root, "chapters")
    if chapters is not None:
        stream.container(chapters)
    afterword = _by_id(root, "afterword")
    if afterword is not None:
        notes = end_notes(afterword)
        if notes:
            meta.extra["End Notes"] = notes
            if load:
                _append_end_notes(stream, afterword)
    return Story(
        str(path), NAME, meta, stream.words, stream.chapters, stream.paragraphs if load else None
    )


def _append_end_notes(stream: ChapterStream, afterword: Any) -> None:
    """The afterword's End Notes belong in the text; its kudos message does not."""
    from tuific.formats.htmltext import paragraphs_from

    for block in afterword:
        if local_name(block) != "div" or block.get("id") == "series":
            continue
        stream.paragraphs.extend(paragraphs_from(block, headings=False))


def load(path: Path, data: bytes) -> Story:
    return _read(path, data, load=True)


def read_metadata(path: Path, data: bytes) -> Story:
    return _read(path, data, load=False)
