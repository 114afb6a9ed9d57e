"""The story record every format produces, and the paragraphs the reader shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ParagraphKind = Literal["text", "heading", "scene_break"]
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


@dataclass(slots=True)
class Chapter:
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
            "chapters": len(self.chapters) or (1 if self.words else 0),
            "chapters_total": m.chapters_total,
            "status": m.status,
            "series": m.series,
            "series_index": m.series_index,
            "published": m.published,
            "updated": m.updated,
            "language": m.language,
            "extra": dict(m.extra),
        }
