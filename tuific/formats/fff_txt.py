"""FanFicFare's TXT output (DESIGN.md §4).

The file is FanFicFare's txt writer verbatim: three blank lines, the title,
`by Author`, `Label: value` entries, `TABLE OF CONTENTS` (only when there is
more than one chapter), then per chapter a blank-line-fenced, tab-indented title
and the chapter as html2text Markdown, and finally `End file.`; CRLF line ends.
Everything above the chapters goes through Python's `textwrap` at 78 columns,
which expands the tab to eight spaces and breaks long values (and long chapter
titles) onto unlabelled continuation lines. Chapter bodies are Markdown, so they
go through the Markdown reader's body parser for italics, bold and scene breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tuific.formats.fff_meta import SIGNATURE_LABELS, FffMetadata, is_known
from tuific.lazy_regex import lazy_compile
from tuific.limits import MAX_PARAGRAPHS
from tuific.metadata import split_list, title_from_filename
from tuific.model import Chapter, Metadata, Paragraph, Story
from tuific.text import clean_line, clean_text, count_words, cut_lines, decode_bytes

MAX_TEXT_LINES = 4 * MAX_PARAGRAPHS

NAME = "fanficfare-txt"

_ENTRY = lazy_compile(r"^([A-Z][A-Za-z0-9 ()/'’.&-]{0,40}):(?: (.*)|)$")
_CHAPTER_START = lazy_compile(r"^(?:\t| {8})(?=\S)")
_TOC = "TABLE OF CONTENTS"
_END = "End file."
_MARKERS = "*_#>~`\\|="
_WRAP = 78  # FanFicFare's default wrap_width for txt
# A chapter's notes block as html2text writes FanFicFare's `div.fff_chapter_notes`:
# its bold label alone on a line ("Author's Note:", "Notes for the Chapter:",
# "Summary for the Chapter:", its notelabel_* settings), then the quoted notes.
_NOTES_LABEL = lazy_compile(r"^\*\*[^*]{0,40}\b(?:notes?|summary)\b[^*]{0,30}:\*\*$", re.IGNORECASE)
# Lines the sniffer looks at: the head holds the title page well within this.
_SNIFF_LINES = 120


def sniff(path: Path, head: bytes) -> bool:
    """FanFicFare's head shape: blank lines, a title, `by …`, then its labels.

    A hand-typed header starts with a `Label:` line, not a title and a byline,
    so it is left to the plain-text reader.
    """
    # FanFicFare starts with blank lines: a file starting with a visible ASCII
    # character (after a UTF-8 BOM) is not its, known without decoding the head
    # (asked first: cheaper than the suffix, and true of most files of a scan).
    first = head[3:4] if head.startswith(b"\xef\xbb\xbf") else head[:1]
    if first and 0x21 <= first[0] <= 0x7E:
        return False
    if path.suffix.lower() not in (".txt", ".text", ""):
        return False
    lines = clean_text(decode_bytes(head)).split("\n")[:_SNIFF_LINES]
    header = _read_head(lines)
    if header is None:
        return False
    if header.toc_line is not None:
        return True
    labels = {" ".join(label.lower().split()) for label, _ in header.entries}
    return len(labels) >= 2 and bool(labels & SIGNATURE_LABELS)


@dataclass
class _Head:
    title: str
    byline: str
    entries: list[tuple[str, str]] = field(default_factory=list)
    end: int = 0  # first line after the title page (the TOC or first chapter)
    toc_line: int | None = None


def _join(lines: list[str]) -> str:
    """Undo textwrap: rejoin wrapped lines with a space, except after a word-
    hyphen (textwrap breaks `Sci-Fi` as `Sci-` / `Fi`)."""
    text = ""
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if not text:
            text = line
        elif re.search(r"\w-$", text) and line[:1].isalnum():
            text += line
        else:
            text += " " + line
    return text


def _blocks(lines: list[str], start: int, stop: int) -> list[tuple[int, list[str]]]:
    """Blank-line-separated blocks of lines[start:stop], with their first index."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = start
    for index in range(start, stop):
        if lines[index].strip():
            if not current:
                first = index
            current.append(lines[index])
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _read_head(lines: list[str]) -> _Head | None:
    """Title, byline and title-page entries; None when the shape is not FanFicFare's."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == 0 or index >= len(lines):
        return None  # FanFicFare always starts with blank lines
    title_lines = []
    while index < len(lines) and lines[index].strip():
        title_lines.append(lines[index])
        index += 1
    if len(title_lines) > 6:
        return None
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not lines[index].startswith("by "):
        return None
    by_lines = []
    while index < len(lines) and lines[index].strip():
        by_lines.append(lines[index])
        index += 1
    head = _Head(_join(title_lines), _join(by_lines)[3:].strip())
    in_summary = False
    blanks = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            blanks += 1
            index += 1
            continue
        if stripped == _TOC:
            head.toc_line = index
            break
        # The title page ends with blank lines; FanFicFare puts at most one
        # between a summary's paragraphs.
        if (blanks >= 2 and head.entries) or (blanks and _CHAPTER_START.match(line)):
            break
        match = _ENTRY.match(stripped)
        if match and _starts_entry(match.group(1), stripped, lines[index - 1], in_summary):
            head.entries.append((match.group(1), match.group(2) or ""))
            in_summary = match.group(1).lower() == "summary"
        elif head.entries and (not blanks or in_summary):
            label, value = head.entries[-1]
            separator = "\n\n" if blanks else "\n"
            head.entries[-1] = (label, f"{value}{separator}{stripped}" if value else stripped)
        elif head.entries:
            break  # prose after a blank line: the story starts here
        else:
            return None  # text before any label: not a title page
        blanks = 0
        index += 1
    head.end = index
    return head


def _starts_entry(label: str, line: str, previous: str, in_summary: bool) -> bool:
    """Is this `Word: …` line a new entry, or a wrapped value that held a colon?

    Labels FanFicFare knows always start an entry. An unknown one does only
    when the line above was complete: textwrap moves a word down only when it
    did not fit in 78 columns. Inside the summary (FanFicFare writes it last)
    only known labels count, since a summary may well say "Note: …".
    """
    if is_known(label):
        return True
    if in_summary or not previous.strip():
        return not in_summary
    first_word = line.split(maxsplit=1)[0]
    return len(previous.rstrip()) + 1 + len(first_word) <= _WRAP


def _unwrap(value: str) -> str:
    """A wrapped entry value: lines rejoined, paragraph breaks kept."""
    return "\n\n".join(_join(part.split("\n")) for part in value.split("\n\n"))


def _metadata(head: _Head) -> Metadata:
    collector = FffMetadata()
    for label, value in head.entries:
        collector.add(label, _unwrap(value))
    meta = collector.finish()
    title = clean_line(head.title)
    if title:
        meta.title = title
    if not meta.authors:
        meta.authors = split_list(head.byline)
    return meta


def _toc(lines: list[str], head: _Head) -> tuple[list[str], int]:
    """Chapter titles listed after TABLE OF CONTENTS, and the line after the list."""
    if head.toc_line is None:
        return [], head.end
    titles: list[str] = []
    index = head.toc_line + 1
    for first, block in _blocks(lines, index, len(lines)):
        if _CHAPTER_START.match(block[0]):
            return titles, first
        titles.append(_join(block))
    return titles, len(lines)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _chapter_starts(lines: list[str], start: int, toc: list[str]) -> list[tuple[int, int, str]]:
    """(first line, line after the title, title) of each chapter heading.

    With a table of contents, headings are matched to it in order (compared
    without spaces, since the two are wrapped differently). Without one, a
    heading is an indented line after at least two blank lines.
    """
    starts: list[tuple[int, int, str]] = []
    blanks = 2  # the title page's own blank lines precede the first heading
    index = start
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            blanks += 1
            index += 1
            continue
        if _CHAPTER_START.match(line) and blanks >= (1 if toc else 2):
            stop = index + 1
            while stop < len(lines) and lines[stop].strip():
                stop += 1
            title = _join(lines[index:stop])
            expected = toc[len(starts)] if len(starts) < len(toc) else None
            if not toc or (expected is not None and _squash(expected) == _squash(title)):
                starts.append((index, stop, title))
                index = stop
                blanks = 0
                continue
        blanks = 0
        index += 1
    return starts


def _body_end(lines: list[str]) -> int:
    """Index of the closing `End file.` line (or the end)."""
    index = len(lines) - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    return index if index >= 0 and lines[index].strip() == _END else len(lines)


def _split(text: str, path: Path) -> tuple[Metadata, list[str], list[tuple[int, int, str]], int]:
    # Lines are bounded before the split: a list of a hundred million empty lines
    # alone would take a gigabyte. (Markdown cuts the paragraphs of what is left.)
    text, _cut = cut_lines(clean_text(text), MAX_TEXT_LINES)
    lines = text.split("\n")
    head = _read_head(lines)
    if head is None:
        meta = Metadata(title=title_from_filename(path.stem))
        return meta, lines, [(0, 0, "")], len(lines)
    meta = _metadata(head)
    toc, after_toc = _toc(lines, head)
    end = _body_end(lines)
    starts = _chapter_starts(lines[:end], after_toc, toc)
    if toc and len(starts) < len(toc):
        # The TOC and the headings disagree (a custom chapter format): fall
        # back to the layout alone.
        starts = _chapter_starts(lines[:end], after_toc, [])
    if not starts:
        starts = [(after_toc, after_toc, "")]
    if not meta.title:
        meta.title = title_from_filename(path.stem)
    return meta, lines, starts, end


def _segments(lines: list[str], start: int, stop: int) -> list[tuple[int, int, bool]]:
    """lines[start:stop] as (start, stop, is_notes) runs: a notes label with the
    quote (`>` lines) right after it is a notes run. A label with no quote after
    it tells nothing of where the notes end, so it stays text."""
    segments: list[tuple[int, int, bool]] = []
    text_from = index = start
    while index < stop:
        if not _NOTES_LABEL.match(lines[index].strip()):
            index += 1
            continue
        end = quote = index + 1
        while quote < stop and (not lines[quote].strip() or lines[quote].startswith(">")):
            if lines[quote].startswith(">"):
                end = quote + 1
            quote += 1
        if end == index + 1:  # no quote
            index += 1
            continue
        if text_from < index:
            segments.append((text_from, index, False))
        segments.append((index, end, True))
        text_from = index = end
    if text_from < stop:
        segments.append((text_from, stop, False))
    return segments


def _count(line: str) -> int:
    """Words of a raw Markdown line, less markers standing alone (`* * *`, `>`)."""
    return sum(1 for token in line.split() if token.strip(_MARKERS))


def parse(text: str, path: Path) -> Story:
    meta, lines, starts, end = _split(text, path)
    paragraphs: list[Paragraph] = []
    chapters: list[Chapter] = []
    for number, (_first, after_title, title) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else end
        if title:
            chapters.append(Chapter(clean_line(title), len(paragraphs)))
            paragraphs.append(Paragraph(clean_line(title), "heading"))
        from tuific.formats.markdown import markdown_paragraphs  # markdown-it only when needed

        for first, last, notes in _segments(lines, after_title, stop):
            body, _levels = markdown_paragraphs("\n".join(lines[first:last]), html=False)
            if notes:  # folded by the reader; not counted
                for paragraph in body:
                    if paragraph.kind == "text":
                        paragraph.kind = "note"
            paragraphs.extend(body)
    words = sum(count_words(p.text) for p in paragraphs if p.kind == "text")
    return Story(str(path), NAME, meta, words, chapters, paragraphs)


def load(path: Path, data: bytes) -> Story:
    return parse(decode_bytes(data), path)


def read_metadata(path: Path, data: bytes) -> Story:
    """Title page, chapter titles and a word count without parsing chapter text.

    Chapters point at paragraph 0 here: positions only mean something once the
    story is loaded.
    """
    meta, lines, starts, end = _split(decode_bytes(data), path)
    words = 0
    for number, (_first, after_title, _title) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else end
        for first, last, notes in _segments(lines, after_title, stop):
            if not notes:  # neither notes nor headings are counted
                words += sum(
                    _count(line) for line in lines[first:last] if not line.lstrip().startswith("#")
                )
    chapters = [Chapter(clean_line(title), 0) for _f, _a, title in starts if title]
    return Story(str(path), NAME, meta, words, chapters, None)
