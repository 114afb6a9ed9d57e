"""Story readers, one module per format, chosen by content then extension.

Each format module has:
  NAME: str                                 the `format` field of a story record
  sniff(path, head: bytes) -> bool          does this reader take the file?
  sniff_data(path, data: bytes) -> bool     optional, used instead of sniff: for
                                            containers (EPUB) whose kind shows only
                                            inside (the OPF), not in the first bytes
  load(path, data: bytes) -> Story          metadata and paragraphs
  read_metadata(path, data) -> Story        optional: metadata only (paragraphs None)
Readers raise StoryError (or any exception, which is wrapped) on a bad file.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from types import ModuleType

from tuific.filebytes import UnreadableFile, read_whole
from tuific.lazy_regex import lazy_compile
from tuific.limits import MAX_FILE_BYTES, MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS
from tuific.metadata import bound_metadata
from tuific.model import Chapter, Paragraph, Story, cut_notice, split_paragraph
from tuific.notes import mark_plain_notes
from tuific.text import looks_binary

SNIFF_BYTES = 8192

STORY_EXTENSIONS = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"}


class StoryError(Exception):
    """A story file that cannot be read; the message says why, for the user."""


# Every reader, most specific first; plaintext last as the fallback for text.
READER_NAMES = (
    "ao3_epub",
    "fff_epub",
    "epub",
    "ao3_html",
    "fff_html",
    "html",
    "fff_txt",
    "markdown",
    "plaintext",
)
# Bumped when a reader reads the same file differently: cached metadata (and cached
# failures, such as a file once skipped for a charset now read) are then rebuilt.
# 3: FanFicFare notes blocks are notes, not counted in the words.
# 4: chapter headings in other languages (Глава 3, Capítulo 6…) are chapters.
READERS_REVISION = 4
# Readers are imported only when a file of their family turns up, so a start on
# a plain-text story does not pay for lxml, YAML and markdown-it.
_FAMILIES = {
    "epub": ("ao3_epub", "fff_epub", "epub"),
    "html": ("ao3_html", "fff_html", "html"),
    "markdown": ("markdown",),
    "text": ("fff_txt", "plaintext"),
}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_HTML_START = lazy_compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_loaded: dict[str, ModuleType] = {}


def reader_module(name: str) -> ModuleType:
    module = _loaded.get(name)
    if module is None:
        module = _loaded[name] = importlib.import_module(f"tuific.formats.{name}")
    return module


def _family(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix == ".epub":
        return "epub"
    if suffix in _HTML_EXTENSIONS or _HTML_START.match(head, 0, 2048):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def read_file_bytes(path: Path, limit: int = MAX_FILE_BYTES, head: int | None = None) -> bytes:
    """Read a regular file (or only its first `head` bytes) without ever blocking
    on a FIFO or device."""
    try:
        return read_whole(path, limit, head)
    except UnreadableFile as error:
        raise StoryError(str(error)) from error


# Each family's readers first, then every other (made once: asked once per file).
_SNIFF_ORDER = {
    family: (*likely, *(n for n in READER_NAMES if n not in likely))
    for family, likely in _FAMILIES.items()
}


def reader_for(path: Path, head: bytes, data: bytes | None = None) -> ModuleType:
    for name in _SNIFF_ORDER[_family(path, head)]:
        reader = _loaded.get(name) or reader_module(name)
        sniff_data = getattr(reader, "sniff_data", None)
        if sniff_data is not None and data is not None:
            if sniff_data(path, data):
                return reader
        elif reader.sniff(path, head):
            return reader
    raise StoryError("not a story format tuific reads")


def load_story(path: str | os.PathLike[str], *, metadata_only: bool = False) -> Story:
    """Read one story file; raise StoryError with a reason when it cannot be read."""
    path = Path(path)
    return story_from_bytes(path, read_file_bytes(path), metadata_only=metadata_only)


def story_prefix(path: Path, data: bytes, size: int = 256 * 1024) -> Story | None:
    """The first part of a large story, for showing its first page while the
    rest is parsed (formats that can cut cleanly only); None otherwise."""
    head = data[:SNIFF_BYTES]
    try:
        reader = reader_for(path, head, data)
        cut = getattr(reader, "load_prefix", None)
        if cut is None or _is_binary(head):
            return None
        prefix = cut(path, data, size)
        # Bounded as the full load is, so its paragraphs are numbered the same.
        return None if prefix is None else bounded(prefix)
    except Exception:  # the full parse will report whatever is wrong
        return None


def story_from_bytes(path: Path, data: bytes, *, metadata_only: bool = False) -> Story:
    """Parse a story file's bytes; raise StoryError with a reason when they cannot be."""
    head = data[:SNIFF_BYTES]
    reader = reader_for(path, head, data)
    if reader.NAME in ("text", "markdown") and _is_binary(head):
        raise StoryError("binary data, not text")
    try:
        if metadata_only and hasattr(reader, "read_metadata"):
            return bounded(reader.read_metadata(path, data))
        story = reader.load(path, data)
        mark_plain_notes(story)
        return bounded(story)
    except StoryError:
        raise
    except RecursionError as error:
        raise StoryError("nested too deeply to read") from error
    except MemoryError as error:
        raise StoryError("too large to read") from error
    except Exception as error:  # a hostile file must never take the app down
        raise StoryError(
            f"unreadable {reader.NAME} file: {type(error).__name__}: {error}"
        ) from error


def bounded(story: Story) -> Story:
    """The last line of defence for the budgets in tuific.limits, whatever the reader:
    metadata values cut to size, paragraphs past the limit dropped with a note.
    (The readers check the same budgets before the work; this catches the rest.)"""
    bound_metadata(story.meta)
    paragraphs = story.paragraphs
    if paragraphs is None:
        return story
    if any(len(p.text) > MAX_PARAGRAPH_CHARS for p in paragraphs):
        _split_long_paragraphs(story)
        paragraphs = story.paragraphs or []
    if len(paragraphs) > MAX_PARAGRAPHS:
        del paragraphs[MAX_PARAGRAPHS:]
        paragraphs.append(cut_notice(f"more than {MAX_PARAGRAPHS:,} paragraphs"))
        story.chapters = [c for c in story.chapters if c.paragraph < MAX_PARAGRAPHS]
    return story


def _split_long_paragraphs(story: Story) -> None:
    """Paragraphs over MAX_PARAGRAPH_CHARS in pieces; chapters follow their index."""
    new_index: list[int] = []
    paragraphs: list[Paragraph] = []
    for paragraph in story.paragraphs or []:
        new_index.append(len(paragraphs))
        if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
            paragraphs.extend(split_paragraph(paragraph, MAX_PARAGRAPH_CHARS))
        else:
            paragraphs.append(paragraph)
    new_index.append(len(paragraphs))
    story.paragraphs = paragraphs
    story.chapters = [
        Chapter(c.title, new_index[min(c.paragraph, len(new_index) - 1)]) for c in story.chapters
    ]


def _is_binary(head: bytes) -> bool:
    return looks_binary(head)
