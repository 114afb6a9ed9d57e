"""A story's reading status and progress, from its stored entry and its length now.

Pure functions over a `StoryState`: the store, the list and `tuific list` all ask
here, so "updated" (a work in progress that grew since it was last read) means the
same thing everywhere.
"""

from __future__ import annotations

from typing import NamedTuple

from .records import ReadStatus, StoryState

# The statuses a story can have, in the order the query language lists them.
READ_STATUSES = ("unread", "reading", "finished", "updated", "later", "dropped")
# Reading states the reader sets by hand (stored in `StoryState.shelf`).
SHELVES = ("later", "dropped")
# A story without new chapters counts as updated once this many more words are in
# it, and at least this share more: a re-download that only fixes a typo, or a
# format that counts a heading differently, must not look like a new chapter.
GROWTH_WORDS = 200
GROWTH_SHARE = 0.02


# Header fields that name a story's source page: FanFicFare's, AO3's download.
_SOURCE_FIELDS = ("Story URL", "Source")


def work_id(extra: dict[str, str] | None) -> str | None:
    """The story's source URL, normalised, or None: the same work after a re-download
    that both changed and renamed its file."""
    for name in _SOURCE_FIELDS:
        url = (extra or {}).get(name, "").strip().rstrip("/")
        if "://" in url:  # http and https, with www. or without, are one page
            return url.split("://", 1)[1].removeprefix("www.").casefold()
    return None


class Growth(NamedTuple):
    """How much a story grew since it was last read."""

    chapters: int  # new chapters (0 when only words were added)
    words: int  # new words

    def label(self) -> str:
        """Short, for a list column: "+2 ch" or "+3k w"."""
        if self.chapters > 0:
            return f"+{self.chapters} ch"
        words = self.words
        return f"+{words // 1000}k w" if words >= 1000 else f"+{words} w"

    def describe(self) -> str:
        """For the metadata panel: "2 new chapters" or "1,200 new words"."""
        if self.chapters > 0:
            return f"{self.chapters} new chapter{'s' if self.chapters != 1 else ''}"
        return f"{self.words:,} new words"


def growth(entry: StoryState | None, words: int | None, chapters: int | None) -> Growth | None:
    """How much the story grew since its length was stored, or None if it did not.

    `words` and `chapters` are its length now (the list's metadata columns, or a
    loaded story). An entry with no stored length (never opened) never grew.
    """
    if entry is None or entry.words is None or words is None:
        return None
    if not (entry.finished or entry.last_opened):
        return None
    added_words = words - entry.words
    added_chapters = 0
    if entry.chapters is not None and chapters is not None:
        added_chapters = max(0, chapters - entry.chapters)
    if added_chapters:
        return Growth(added_chapters, max(0, added_words))
    if added_words >= max(GROWTH_WORDS, entry.words * GROWTH_SHARE):
        return Growth(0, added_words)
    return None


def read_status(
    entry: StoryState | None, words: int | None = None, chapters: int | None = None
) -> ReadStatus:
    """One of READ_STATUSES. A story set aside by hand (later, dropped) shows that;
    then a story that grew since it was read is "updated"; finished is derived (the
    end reached, or marked)."""
    if entry is None:
        return "unread"
    if entry.shelf == "later":
        return "later"
    if entry.shelf == "dropped":
        return "dropped"
    if growth(entry, words, chapters) is not None:
        return "updated"
    if entry.finished:
        return "finished"
    if entry.last_opened or entry.position.paragraph or entry.position.offset:
        return "reading"
    return "unread"


def progress(
    entry: StoryState | None,
    paragraphs_total: int | None = None,
    words: int | None = None,
    chapters: int | None = None,
) -> float:
    """How far through the story, 0–1, by paragraphs; 1 once finished.

    Without a total (the story list has only metadata) the reader's own measure
    saved with the place is used, or else the paragraph count saved with the entry.
    A story that grew since is measured against its new length: the part read, in
    words, over the words it has now.
    """
    if entry is None:
        return 0.0
    stored = not paragraphs_total or paragraphs_total < 0
    if stored:
        paragraphs_total = entry.paragraphs
    if entry.finished:
        fraction = 1.0
    elif stored and entry.progress is not None:
        fraction = entry.progress
    elif not paragraphs_total:
        return 0.0
    else:
        fraction = min(1.0, entry.position.paragraph / paragraphs_total)
    grown = growth(entry, words, chapters) if stored else None
    if grown is not None and entry.words and words:
        fraction = min(fraction, fraction * entry.words / words)
    return fraction


def resume_paragraph(
    entry: StoryState | None, words: int, chapter_starts: list[int], paragraphs: int
) -> int | None:
    """Where to open a story that grew since it was finished: the first new chapter,
    or (no chapter headings) the old end. None: open at the saved place (it did not
    grow, or the reader had not finished it)."""
    if entry is None:
        return None
    shown = len(chapter_starts) or (1 if words else 0)
    if growth(entry, words, shown) is None:
        return None
    if not entry.finished:
        return None  # part-way through: the saved place is where the reader left off
    old_paragraphs = entry.paragraphs or 0
    if entry.chapters and len(chapter_starts) > entry.chapters:
        return chapter_starts[entry.chapters]
    if 0 < old_paragraphs < paragraphs:
        return old_paragraphs
    return None
