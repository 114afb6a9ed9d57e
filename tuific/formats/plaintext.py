"""Plain text with an optional `Label: value` header (DESIGN.md §4)."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

from tuific.chapters import SPECIAL_FIRST, chapters_of, classify
from tuific.lazy_regex import lazy_compile
from tuific.limits import MAX_HEADER_VALUE_CHARS, MAX_PARAGRAPHS
from tuific.metadata import apply_field, field_for, title_from_filename
from tuific.model import Chapter, Metadata, Paragraph, Story, cut_notice
from tuific.text import clean_text, count_words, cut_blocks, decode_bytes, decode_clean, nfc

NAME = "text"
EXTENSIONS = (".txt", ".text", "")

_LABEL_LINE = lazy_compile(r"^\s*([A-Za-z][\w '’()/&+.-]{0,40}?)\s*:\s?(.*)$")
# A hard-wrapped block: every line but the last is at least this long.
_WRAPPED_LINE_CHARS = 50


def sniff(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in EXTENSIONS


def split_header(lines: list[str]) -> tuple[list[tuple[str, str]], int]:
    """Header pairs and the index of the first body line.

    The header is the block up to the first blank line, when its first line is
    a `Label: value` with a known label. Unlabelled lines continue the value above.
    """
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines):
        return [], start
    first = _LABEL_LINE.match(lines[start])
    if not first or field_for(first.group(1)) is None:
        return [], start
    known = _known_pairs(lines, start)
    if known is not None:
        return known
    pairs: list[tuple[str, str]] = []
    index = start
    while index < len(lines) and lines[index].strip():
        # A value is cut to its budget before any work on it: a 40 MB title line,
        # or a million continuation lines joined one by one, would freeze the load.
        line = lines[index][: MAX_HEADER_VALUE_CHARS + 64]
        match = _LABEL_LINE.match(line)
        if match and (field_for(match.group(1)) or not pairs or _looks_like_label(match)):
            pairs.append((match.group(1), match.group(2).strip()))
        elif pairs:
            label, value = pairs[-1]
            if len(value) < MAX_HEADER_VALUE_CHARS:
                pairs[-1] = (label, f"{value} {line.strip()}".strip())
        index += 1
    return pairs, index


def _known_pairs(lines: list[str], start: int) -> tuple[list[tuple[str, str]], int] | None:
    """The usual header, every line a known `Label: value` whose label is plain
    letters, read without a regex: what split_header's loop gives for it at half
    the cost (once per file of a first scan). None for any other header."""
    pairs: list[tuple[str, str]] = []
    for end, line in enumerate(islice(lines, start, None), start):
        written, colon, value = line.partition(":")
        if not colon:  # the blank line that ends the header (it holds no colon)
            return None if line.strip() else (pairs, end)
        if len(line) > MAX_HEADER_VALUE_CHARS + 64:
            return None
        try:
            label = _PLAIN_LABELS[written]
        except KeyError:
            label = _plain_label(written)
            if len(_PLAIN_LABELS) < _MAX_PLAIN_LABELS:
                _PLAIN_LABELS[written] = label
        if label is None:
            return None
        pairs.append((label, value.strip()))
    return pairs, len(lines)


# A label as written before its colon -> _plain_label's answer: a first scan reads
# the same few dozen in every file (a bounded number, hostile files or not).
_PLAIN_LABELS: dict[str, str | None] = {}
_MAX_PLAIN_LABELS = 4096


def _plain_label(written: str) -> str | None:
    """The label, stripped, when it is a known one in plain ASCII letters (which
    matches _LABEL_LINE's label as it is); None otherwise."""
    label = written.strip()
    if label.isascii() and label.replace(" ", "").isalpha() and field_for(label):
        return label
    return None


def _looks_like_label(match: re.Match[str]) -> bool:
    """Unknown labels count when short and title-like ('Beta', 'Spoilers')."""
    label = match.group(1)
    return len(label.split()) <= 4 and label[:1].isupper()


_BLANK_LINES = lazy_compile(r"\n[ \t]*(?:\n[ \t]*)+")
# Headings and scene breaks are short; longer paragraphs skip their tests.
_MAX_SPECIAL_CHARS = 120


def body_paragraphs(lines: list[str]) -> list[Paragraph]:
    """`paragraphs_of` for a list of lines."""
    return paragraphs_of("\n".join(lines))


def paragraphs_of(body: str, blank_lines: bool | None = None) -> list[Paragraph]:
    """Blank-line-separated blocks; hard-wrapped blocks are rejoined, others keep
    their line breaks. With no blank lines at all, each line is a paragraph
    (`blank_lines` True: the text is known to be part of one that has them).
    At most MAX_PARAGRAPHS, the text cut before it is split, with a note.

    Works on the joined text with C-speed splits: a million-word story has tens of
    thousands of paragraphs and this runs before its first page is shown.
    """
    paragraphs: list[Paragraph] = []
    append = paragraphs.append
    blocks, cut = _blocks(body, blank_lines)
    for block in blocks:
        text = _block_text(block)
        if not text:
            continue
        kind = classify(text) if len(text) <= _MAX_SPECIAL_CHARS else "text"
        if kind == "text" and "*" in text:
            append(_emphasised(text))
        else:
            append(Paragraph(text, kind))
    if cut:
        append(cut_notice(f"more than {MAX_PARAGRAPHS:,} paragraphs"))
    return paragraphs


def _block_text(block: str) -> str:
    """A block's paragraph text: a hard-wrapped block rejoined with spaces, any other
    keeping its line breaks."""
    if "\n" in block:
        rows = [row.strip() for row in block.split("\n")]
        wrapped = all(len(row) >= _WRAPPED_LINE_CHARS for row in rows[:-1])
        return (" " if wrapped else "\n").join(row for row in rows if row)
    return block.strip()


_NOT_SPACE = lazy_compile(r"\S")
# The characters NFC turns into one of SPECIAL_FIRST (a Greek ano teleia into a middle
# dot, the Kelvin sign into a K): a block read_metadata has not normalised may start
# with one (tests/test_plaintext.py checks every code point).
_SPECIAL_ONCE_NORMALISED = frozenset("\u0387\u212a")


def outline_of(body: str) -> tuple[int, list[Chapter]]:
    """The words and chapters `paragraphs_of(body)` would give (words of text
    paragraphs only), without making the paragraphs: for the story list, which keeps
    no text. Only a block that may be a heading or a scene break is rejoined."""
    region, blank, _cut = _block_text_region(body)
    blocks = _split_blocks(region, blank)
    chapters = []
    index = 0
    not_text = 0  # words of the blocks that are not text paragraphs
    for block in blocks:
        first = block[:1]
        if not first or first.isspace():
            found = _NOT_SPACE.search(block)
            if found is None:
                continue  # no paragraph (paragraphs_of skips it too)
            first = found.group()
        if first in SPECIAL_FIRST or first in _SPECIAL_ONCE_NORMALISED:
            text = nfc(_block_text(block))  # read_metadata's body is not normalised
            if len(text) <= _MAX_SPECIAL_CHARS:
                kind = classify(text)
                if kind != "text":
                    not_text += len(block.split())  # rejoining rows changes no word
                    if kind == "heading":
                        chapters.append(Chapter(text.strip(), index))
        index += 1
    # Every block's words at once (blocks part at white space only), less the few
    # that are not text.
    return len(region.split()) - not_text, chapters


def _blocks(body: str, blank_lines: bool | None = None) -> tuple[list[str], bool]:
    """The blank-line-separated blocks of `body` (each line, with no blank line), at
    most MAX_PARAGRAPHS of them, and whether the body was cut to that."""
    text, blank, cut = _block_text_region(body, blank_lines)
    return _split_blocks(text, blank), cut


def _split_blocks(text: str, blank: bool) -> list[str]:
    if not text:
        return []
    return _BLANK_LINES.split(text) if blank else text.split("\n")


def _block_text_region(body: str, blank_lines: bool | None = None) -> tuple[str, bool, bool]:
    """What `_blocks` splits: `body` without its surrounding white space and cut
    before its MAX_PARAGRAPHS-th block; whether it has blank lines (then its blocks
    are blank-line separated, else lines), and whether it was cut."""
    # Bounds of the text without its surrounding white space, found without
    # copying the body as strip() would.
    first = 0
    if body[:1].isspace():  # most bodies start with their text: no copy to measure
        head = body[:4096]
        first = len(head) - len(head.lstrip())
        if first == len(head) < len(body):  # over 4 KiB of white space: rare, measure all
            first = len(body) - len(body.lstrip())
    last = len(body)
    while last > first and body[last - 1].isspace():
        last -= 1
    if last <= first:
        return "", False, False
    blank = bool(blank_lines or _BLANK_LINES.search(body, first, last))
    if first or last < len(body):
        body = body[first:last]
    body, cut = cut_blocks(body, MAX_PARAGRAPHS)
    return body, blank, cut


# *words* between asterisks, as plain-text fic marks italics: each asterisk against
# the words it wraps, and not inside a word, so "2 * 3 * 4", "a*b" and a scene
# break stay as they are.
_ASTERISKS = lazy_compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])")


def _emphasised(text: str) -> Paragraph:
    """A paragraph whose *words* show in italics, without their asterisks."""
    plain: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at = length = 0
    for match in _ASTERISKS.finditer(text):
        plain.append(text[at : match.start()])
        length += match.start() - at
        inner = match.group(1)
        spans.append((length, length + len(inner), "italic"))
        plain.append(inner)
        length += len(inner)
        at = match.end()
    if not spans:
        return Paragraph(text)
    plain.append(text[at:])
    return Paragraph("".join(plain), "text", tuple(spans))


_HEADER_LINES = 400  # more than any real header; the body is not split into lines


def _first_lines(text: str, count: int) -> list[str]:
    """The first lines of `text`, at most `count`, up to the first blank line after
    one that is not (where `split_header` stops: the rest is never looked at),
    without copying the rest of it."""
    # Most files: a header that ends at the first empty line, found in one search.
    end = text.find("\n\n")
    if 0 < end:
        lines = text[:end].split("\n")
        if len(lines) < count and lines[0].strip() and all(map(str.strip, lines)):
            lines.append("")
            return lines
    lines = []
    start = 0
    filled = False
    while len(lines) < count:
        end = text.find("\n", start)
        if end < 0:
            lines.append(text[start:])
            break
        line = text[start:end]
        lines.append(line)
        if line.strip():
            filled = True
        elif filled:
            break
        start = end + 1
    return lines


def parse(
    text: str, path: Path, fmt: str = NAME, blank_lines: bool | None = None
) -> Story:
    meta, body = _header(text, path)
    paragraphs = paragraphs_of(body, blank_lines)
    words = sum(count_words(p.text) for p in paragraphs if p.kind == "text")
    return Story(str(path), fmt, meta, words, chapters_of(paragraphs), paragraphs)


def read_metadata(path: Path, data: bytes) -> Story:
    """What `load` gives, less the paragraphs (None), made without them. The body is
    not NFC-normalised (a pass over all of it, ~3% of a first scan): its words are
    the same, and the outline normalises the few blocks it reads (`outline_of`)."""
    meta, body = _header(decode_clean(data), path, normalise_body=False, cleaned=True)
    words, chapters = outline_of(body)
    return Story(str(path), NAME, meta, words, chapters, None)


def _header(
    text: str, path: Path, normalise_body: bool = True, cleaned: bool = False
) -> tuple[Metadata, str]:
    """The cleaned text's header, read into metadata, and the body after it
    (`cleaned`: `text` is clean_text's already, less the NFC)."""
    if not cleaned:
        text = clean_text(text, normalise=False)
    # Split off only the lines a header could use: a million-word body split into
    # lines and joined again would double the memory the parse peaks at.
    lines = _first_lines(text, _HEADER_LINES)
    pairs, body_start = split_header(list(map(nfc, lines)))
    if body_start >= len(lines) - 1 and len(lines) >= _HEADER_LINES:
        lines = text.split("\n")  # a header that never ends: fall back to all lines
        pairs, body_start = split_header(list(map(nfc, lines)))
    # Lengths before normalising: where the body starts in `text`.
    offset = sum(map(len, lines[:body_start])) + body_start
    body = text[offset:] if offset else text
    if normalise_body:
        body = nfc(body)
    del text
    meta = Metadata()
    for label, value in pairs:
        apply_field(meta, label, value)
    if not meta.title:
        meta.title = title_from_filename(path.stem)
    return meta, body


def load(path: Path, data: bytes) -> Story:
    return parse(decode_bytes(data), path)


def load_prefix(path: Path, data: bytes, size: int) -> Story | None:
    """The story's first `size` bytes or so, cut at a paragraph break, parsed.

    Its paragraphs are the first paragraphs of the whole story, with the same
    indices, so a reader can show the first page of a huge file while the rest
    is parsed. None when the file is small or its encoding cannot be cut safely.
    """
    if len(data) <= size or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 has no byte-level paragraph break to cut at
    cut = data.rfind(b"\n\n", 0, size)
    crlf = data.rfind(b"\r\n\r\n", 0, size)
    cut = max(cut, crlf)
    if cut <= 0:
        return None
    # The whole file has a blank line (at the cut), so its body is read as
    # blank-line blocks: the head must be too, even when it holds none of its own.
    story = parse(decode_bytes(data[:cut]), path, blank_lines=True)
    # The last paragraph may continue past the cut: leave it to the full parse.
    if story.paragraphs:
        story.paragraphs.pop()
    return story
