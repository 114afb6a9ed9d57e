"""What the metadata panel says about a story, as plain (label, value) rows."""

from __future__ import annotations

import math

from tuific.model import Story
from tuific.text import display_path


def format_duration(minutes: float) -> str:
    minutes = max(0, round(minutes))
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def percent(fraction: float) -> str:
    """A share read so far, rounded down: "100%" only at the very end, never beside
    "2 min left" (99.6% of a long story)."""
    return f"{min(100, max(0, math.floor(fraction * 100 + 1e-9)))}%"


def words_text(story: Story) -> str:
    counted = f"{story.words:,}"
    declared = story.meta.words_declared
    if declared is None:
        return f"{counted} (counted)"
    return f"{counted} counted · {declared:,} declared"


def describe(
    story: Story,
    *,
    progress: float = 0.0,
    read: str = "unread",
    words_per_minute: int = 250,
    grown: str = "",
    series: str = "",
) -> list[tuple[str, str]]:
    """Every header field of `story`, then length, reading time and progress."""
    m = story.meta
    rows: list[tuple[str, str]] = [("Title", m.title)]

    def add(label: str, value: object) -> None:
        if isinstance(value, list):
            value = ", ".join(value)
        if value not in (None, ""):
            rows.append((label, str(value)))

    add("Author", m.authors)
    add("For", m.recipients)
    add("Fandom", m.fandoms)
    add("Relationships", m.relationships)
    add("Characters", m.characters)
    rating = m.rating
    if m.rating_original and m.rating_original.lower() != m.rating.lower():
        rating = f"{m.rating} ({m.rating_original})"
    add("Rating", rating)
    add("Warnings", m.warnings)
    add("Category", m.categories)
    add("Tags", m.tags)
    if m.series:
        add("Series", f"{m.series}, part {m.series_index}" if m.series_index else m.series)
        add("Series in library", series)  # its parts here, read and left
    add("Status", {"complete": "Complete", "in-progress": "In progress"}.get(m.status or ""))
    add("Published", m.published)
    add("Updated", m.updated)
    add("Language", m.language)
    for label, value in m.extra.items():
        add(label, value)
    add("Words", words_text(story))
    chapters = len(story.chapters)
    if chapters or m.chapters_total:
        total = m.chapters_total or "?"
        add("Chapters", f"{chapters} found · {total} declared" if m.chapters_total else chapters)
    wpm = max(1, words_per_minute)
    add("Reading time", f"{format_duration(story.words / wpm)} at {wpm} wpm")
    if read == "finished":
        add("Progress", "finished")
    elif read in ("reading", "updated"):
        left = story.words * (1 - progress) / wpm
        since = f"updated ({grown}) · " if read == "updated" and grown else ""
        add("Progress", f"{since}{percent(progress)} · {format_duration(left)} left")
    elif read in ("later", "dropped"):
        add("Progress", f"{read}" + (f" · {percent(progress)}" if progress else ""))
    else:
        add("Progress", "unread")
    add("Summary", m.summary)
    add("Notes", m.notes)
    add("Format", story.format)
    add("File", display_path(story.path))
    return rows
