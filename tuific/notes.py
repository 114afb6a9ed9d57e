"""Author's notes: which paragraphs are notes, and how they fold.

Notes come two ways. AO3 and FanFicFare downloads mark them (the formats give
such paragraphs the kind "note"; their words were never counted). In plain text a
paragraph that starts "A/N:", "AN:" or "Author's note:" is a note when it opens a
chapter, or when it closes one (it and whatever follows it to the chapter's end);
`mark_plain_notes` marks those and keeps their words in `Story.note_words`, to be
left out of the time left.

Folded, each run of note paragraphs shows as one dim line (`note_label`); the
paragraph indices never change, so places, bookmarks and chapters stay valid.
"""

from __future__ import annotations

import re

from tuific.lazy_regex import lazy_compile
from tuific.model import Paragraph, Story
from tuific.text import count_words

_PLAIN_NOTE = lazy_compile(r"(?:a/n|an|author[’']?s?[’']? ?notes?)\s*[:.\-–—]", re.IGNORECASE)
# An end-of-chapter note starts among this many last paragraphs of its chapter.
END_NOTE_REACH = 3


def is_plain_note(text: str) -> bool:
    """Starts with a note's label and says something after it (a label alone, as
    FanFicFare writes above a notes block, tells nothing of where the note ends)."""
    text = text.strip()
    label = _PLAIN_NOTE.match(text)
    return label is not None and label.end() < len(text)


def mark_plain_notes(story: Story) -> None:
    """Mark the plain-text author's notes of a loaded story (see the module doc)."""
    paragraphs = story.paragraphs
    if not paragraphs:
        return
    starts = [chapter.paragraph for chapter in story.chapters] or [0]
    if starts[0] > 0:
        starts.insert(0, 0)  # text before the first heading is a chapter of its own
    ends = [*starts[1:], len(paragraphs)]
    for start, end in zip(starts, ends, strict=True):
        body = [i for i in range(start, end) if paragraphs[i].kind == "text"]
        if not body:
            continue
        first = body[0]
        if is_plain_note(paragraphs[first].text):
            _mark(story, paragraphs, [first])
        for k in range(max(1, len(body) - END_NOTE_REACH), len(body)):
            if is_plain_note(paragraphs[body[k]].text):
                _mark(story, paragraphs, body[k:])
                break


def _mark(story: Story, paragraphs: list[Paragraph], indices: list[int]) -> None:
    for index in indices:
        if paragraphs[index].kind == "text":
            paragraphs[index].kind = "note"
            story.note_words += count_words(paragraphs[index].text)


def note_runs(paragraphs: list[Paragraph]) -> dict[int, tuple[int, int]]:
    """First paragraph of each run of notes -> (the index after the run, its words)."""
    runs: dict[int, tuple[int, int]] = {}
    index, total = 0, len(paragraphs)
    while index < total:
        if paragraphs[index].kind != "note":
            index += 1
            continue
        start, words = index, 0
        while index < total and paragraphs[index].kind == "note":
            words += count_words(paragraphs[index].text)
            index += 1
        runs[start] = (index, words)
    return runs


def folded_rows(runs: dict[int, tuple[int, int]]) -> dict[int, int]:
    """Paragraph index -> rows it takes while notes are folded: one line for the
    first of each run, none for the rest."""
    rows: dict[int, int] = {}
    for start, (end, _words) in runs.items():
        rows[start] = 1
        rows.update(dict.fromkeys(range(start + 1, end), 0))
    return rows


def note_label(words: int) -> str:
    return f"▸ Author's note · {words:,} word{'s' if words != 1 else ''}"
