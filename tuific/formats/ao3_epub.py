"""AO3's calibre-made EPUB (DESIGN.md §4).

The preface (same structure as the HTML download, classes renamed) sits in the
first spine document (`*_split_000.xhtml`); chapters follow in spine order, one
split per chapter, the afterword in the last. Without a preface, the OPF's
untyped `dc:subject` list is typed by AO3's fixed vocabularies.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree as etree

from tuific.formats import StoryError
from tuific.formats.ao3common import (
    ChapterStream,
    classify_subjects,
    end_notes,
    read_preface,
)
from tuific.formats.epub import cut_paragraph, is_zip, opf_metadata, spine_bodies
from tuific.formats.epubzip import Epub, open_epub
from tuific.formats.htmltext import paragraphs_from
from tuific.formats.markup import local_name
from tuific.model import Metadata, Story

NAME = "ao3-epub"
_AO3 = re.compile(r"archiveofourown\.org|archive of our own", re.IGNORECASE)
_PREFACE = re.compile(rb"""id\s*=\s*["']preface["']""")
_AFTERWORD = etree.XPath(".//*[@id='afterword']")
_NOT_CHAPTERS = {"preface", "afterword"}


def sniff(path: Path, head: bytes) -> bool:
    return False  # an AO3 EPUB shows only inside the zip: see sniff_data


def is_ao3(epub: Epub) -> bool:
    m = epub.metadata
    fields = [m.publisher or "", *m.identifiers, *m.sources]
    if any(_AO3.search(value) for value in fields):
        return True
    if epub.spine:
        first = epub.read(epub.spine[0])
        return bool(_PREFACE.search(first) and re.search(rb"archiveofourown", first))
    return False


def sniff_data(path: Path, data: bytes) -> bool:
    if not is_zip(data):
        return False
    try:
        return is_ao3(open_epub(data))
    except StoryError:
        return False  # hostile or broken: the generic reader reports why


def _read(path: Path, data: bytes, load: bool) -> Story:
    epub = open_epub(data)
    meta = Metadata()
    bodies = list(spine_bodies(epub))
    preface_member = None
    for member, body in bodies[:2]:
        if read_preface(body, meta):
            preface_member = member
            break
    if preface_member is None:
        classify_subjects(epub.metadata.subjects, meta)
    opf_metadata(epub, meta, path, subjects_as_tags=False)
    if _AO3.search(meta.extra.get("Publisher", "")):
        del meta.extra["Publisher"]  # every AO3 EPUB says so; it is not news
    toc = epub.toc
    stream = ChapterStream(load=load)
    afterword = None
    for member, body in bodies:
        if member == preface_member:
            continue
        found = _AFTERWORD(body)
        if found:
            afterword = found[0]
        title = toc.get(member)
        if title and title.strip().lower() in _NOT_CHAPTERS:
            title = None
        stream.container(body, title=title)
    if afterword is not None:
        notes = end_notes(afterword)
        if notes:
            meta.extra["End Notes"] = notes
            if load:
                for block in afterword:
                    if local_name(block) == "div" and block.get("id") != "series":
                        stream.paragraphs.extend(paragraphs_from(block, headings=False))
    if load:
        stream.paragraphs.extend(cut_paragraph(epub))
    return Story(
        str(path), NAME, meta, stream.words, stream.chapters, stream.paragraphs if load else None
    )


def load(path: Path, data: bytes) -> Story:
    return _read(path, data, load=True)


def read_metadata(path: Path, data: bytes) -> Story:
    return _read(path, data, load=False)
