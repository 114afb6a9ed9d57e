"""The story record every format produces, and the paragraphs the reader shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal, NamedTuple, Protocol

ParagraphKind = Literal["text", "heading", "scene_break", "note"]  # note: see tuific.notes
Status = Literal["complete", "in-progress"]

RATINGS = (
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
    "Not Rated",
)


@dataclass(slots=True)
class Paragraph:
    """One paragraph of story text, already cleaned.

    `emphasis` holds (start, end, style) spans with style "italic" or "bold".
    """

    text: str
    kind: ParagraphKind = "text"
    emphasis: tuple[tuple[int, int, str], ...] = ()


def cut_notice(reason: str) -> Paragraph:
    """The paragraph that ends a story cut short by one of tuific.limits' budgets."""
    return Paragraph(f"[tuific stopped reading this story here: {reason}]", "scene_break")


def split_paragraph(paragraph: Paragraph, limit: int) -> list[Paragraph]:
    """`paragraph` in pieces of at most `limit` characters, cut at a space where there
    is one, its emphasis spans cut with it. A paragraph of sixty megabytes would
    otherwise be wrapped and scanned whole on the UI thread to draw one screen."""
    text, pieces, start = paragraph.text, [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            space = text.rfind(" ", start + limit // 2, end)
            end = space + 1 if space > 0 else end
        piece = text[start:end].rstrip()
        spans = tuple(
            (max(s, start) - start, min(e - start, len(piece)), style)
            for s, e, style in paragraph.emphasis
            if s < start + len(piece) and e > start
        )
        pieces.append(Paragraph(piece, paragraph.kind, spans))
        start = end
    return pieces


class Chapter(NamedTuple):
    title: str
    paragraph: int  # index of the chapter's first paragraph


@dataclass(slots=True)
class Metadata:
    """What a story's header (or preface, or OPF) says about it."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    rating: str = "Not Rated"
    rating_original: str | None = None
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    notes: str | None = None
    words_declared: int | None = None
    chapters_total: int | None = None
    status: Status | None = None
    series: str | None = None
    series_index: int | None = None
    published: str | None = None
    updated: str | None = None
    language: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class Skipped(NamedTuple):
    """A file in the library that could not be read as a story, and why."""

    path: str
    reason: str


@dataclass(slots=True)
class Story:
    """One story file: its metadata, counted length, and (when loaded) its text."""

    path: str
    format: str
    meta: Metadata
    words: int = 0
    chapters: list[Chapter] = field(default_factory=list)
    paragraphs: list[Paragraph] | None = None  # None when only metadata was read
    # Content fingerprint (tuific.state.fingerprint_file), set by the library scan so a
    # renamed or moved story keeps its reading state; None when not computed.
    fingerprint: str | None = None
    # Words of plain-text author's notes counted in `words` (tuific.notes), left out
    # of the time left; set when the text is loaded.
    note_words: int = 0

    @property
    def title(self) -> str:
        return self.meta.title

    def record(self) -> dict[str, Any]:
        """The fields of `tuific list --json`, less progress and read status."""
        m = self.meta
        return {
            "path": self.path,
            "format": self.format,
            "title": m.title,
            "authors": list(m.authors),
            "recipients": list(m.recipients),
            "fandoms": list(m.fandoms),
            "relationships": list(m.relationships),
            "characters": list(m.characters),
            "rating": m.rating,
            "rating_original": m.rating_original,
            "warnings": list(m.warnings),
            "categories": list(m.categories),
            "tags": list(m.tags),
            "summary": m.summary,
            "notes": m.notes,
            "words": self.words,
            "words_declared": m.words_declared,
            "chapters": chapter_count(self),
            "chapters_total": m.chapters_total,
            "status": m.status,
            "series": m.series,
            "series_index": m.series_index,
            "published": m.published,
            "updated": m.updated,
            "language": m.language,
            "extra": dict(m.extra),
        }


# Story attributes a StoryColumns source gives by name; every other name is a
# Metadata field. "chapter_count" is the count the list and `tuific list` show.
STORY_ATTRIBUTES = frozenset({"path", "format", "words", "chapters", "fingerprint"})


class StoryColumns(Protocol):
    """Stories seen field by field: what the list's sort and the query's fold read.

    A library listed from the metadata cache answers these from the cache's columns
    without building 10,000 Story objects first; `story(i)` builds one when it is shown
    or opened.
    """

    def __len__(self) -> int: ...

    def story(self, index: int) -> Story: ...

    def stories(self) -> list[Story]:
        """Every story, built."""
        ...

    def values(self, attribute: str) -> list[Any]:
        """Every story's `attribute` (a Story or Metadata field name, or
        "chapter_count"), in order."""
        ...

    def title_order(self) -> list[int] | None:
        """Every index in the title sort's order, if the source holds it (the cache
        sorts when it saves); None otherwise."""
        ...

    def value(self, attribute: str, index: int) -> Any:
        """One story's `attribute` (as `values`), without building that story."""
        ...

    @property
    def checked(self) -> bool:
        """Every value can be read without waiting: False while a cache file's columns
        are still to be checked (see cache.CachedStories.verify)."""
        ...

    def quick_index(self, path: str) -> int | None:
        """The index of the story at `path` if found without reading a whole column
        (the cache's first screen, before the check); None when not."""
        ...

    def joined(self, attribute: str) -> str | None:
        """A text field of every story as one string, stories joined by "\\x01" and a
        list's items by "\\x00", None as "": when the source holds it so already
        (no value can then hold a separator). None otherwise. "haystack": the
        query's folded plain-word haystack (query.Entry.text), if held."""
        ...


def shown_chapters(headings: int, words: int) -> int:
    """The chapter count shown: a story with text but no headings is one chapter."""
    return headings or (1 if words else 0)


def chapter_count(story: Story) -> int:
    return shown_chapters(len(story.chapters), story.words)


def story_status(status: str | None, chapters: int, chapters_total: int | None) -> str | None:
    """A story's completion as the filter sees it: what its header says, and a one-shot
    (one chapter, no total above one) that says nothing is complete."""
    if status is None and chapters <= 1 and (chapters_total or 1) <= 1:
        return "complete"
    return status


def story_value(story: Story, attribute: str) -> Any:
    """A Story or Metadata field of one story, or "chapter_count" (see StoryColumns)."""
    if attribute == "chapter_count":
        return chapter_count(story)
    return getattr(story if attribute in STORY_ATTRIBUTES else story.meta, attribute)


class Stories(list[Story]):
    """Story objects in a list, as StoryColumns."""

    def story(self, index: int) -> Story:
        return self[index]

    def stories(self) -> list[Story]:
        return self

    def values(self, attribute: str) -> list[Any]:
        if attribute == "chapter_count":
            return list(map(chapter_count, self))
        if attribute in STORY_ATTRIBUTES:
            return list(map(attrgetter(attribute), self))
        return list(map(attrgetter(attribute), map(attrgetter("meta"), self)))

    def title_order(self) -> list[int] | None:
        return None

    def value(self, attribute: str, index: int) -> Any:
        return story_value(self[index], attribute)

    @property
    def checked(self) -> bool:
        return True

    def quick_index(self, path: str) -> int | None:
        return None

    def joined(self, attribute: str) -> str | None:
        return None
