"""The words of the status lines under the list and the reader, as pure functions: what
they say is decided here (and tested without a terminal); the UI only styles and
draws them."""

from __future__ import annotations

from typing import NamedTuple

from tuific.describe import format_duration, percent


def library_status(
    shown: int,
    total: int,
    sort_label: str,
    reverse: bool,
    *,
    scanning: bool = False,
    checking: bool = False,
    hidden: int = 0,
    skipped: int = 0,
    library: str = "",
    matching: bool = False,
) -> str:
    """'3 of 12 stories · by title · 2 hidden (H) · 1 skipped (! to see why)'."""
    if not total and not scanning and not checking:
        # An empty list says why, and what would fill it; the files it could not read
        # before that advice, which a narrow pane cuts first.
        if skipped:
            return (
                f"no stories in {library} · {skipped} skipped (! to see why)"
                " · add .txt .md .html .epub"
            )
        return f"no stories in {library}: add .txt .md .html .epub"
    noun = "story" if total == 1 else "stories"
    if matching:  # a filter over a big library, its first rows shown: counting on
        parts = [f"{shown}… of {total} {noun}"]
    else:
        parts = [f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}"]
    parts.append(f"by {sort_label}{' ↑' if reverse else ''}")
    if scanning:
        parts.append(f"scanning… {total}")
    elif checking:
        parts.append("checking for changes…")
    if hidden:
        parts.append(f"{hidden} hidden (H)")
    if skipped:
        parts.append(f"{skipped} skipped (! to see why)")
    return " · ".join(parts)


class Chapter(NamedTuple):
    """Where the reader is among the chapters: the chapter (0-based) of how many, its
    title, and how far through it (0..1)."""

    position: int
    total: int
    title: str
    fraction: float


class ReaderStatus(NamedTuple):
    figures: str  # 'match 1 of 3 · story 40% · chapter 2/5 10% · 12 min left'
    chapter_title: str  # shown before the figures when there is room; "" for none


def reader_status(
    fraction: float,
    minutes_left: float,
    *,
    note: str = "",
    match: int = -1,
    matches: int = 0,
    capped: bool = False,
    chapter: Chapter | None = None,
    width: int = 0,
    next_part: bool = False,
    at_end: bool | None = None,
    finished: bool = True,
) -> ReaderStatus:
    """The reader's status line for a place `fraction` through the story. `width`: the
    line's cells, for cutting the chapter's title to the room the figures leave (a
    title given less than 8 cells is left out). `next_part`: at the end, say that P
    opens the series' next part. `at_end`: the last page is on screen (by default,
    when `fraction` is 1). `finished`: False for a story not counted finished, which
    at its end (End is a peek; paging on from there finishes it) says so."""
    at_end = fraction >= 1.0 if at_end is None else at_end
    # A story whose first page is its last: "story 0% · the end" would contradict itself.
    whole = at_end and fraction <= 0.0
    parts = [note] if note else []
    if matches:
        parts.append(f"match {match + 1:,} of {matches:,}{'+' if capped else ''}")
    if not whole:
        parts.append(f"story {percent(fraction)}")
    if chapter is not None:
        parts.append(f"chapter {chapter.position + 1}/{chapter.total} {percent(chapter.fraction)}")
    if not at_end:
        parts.append(f"{format_duration(minutes_left)} left")
    else:
        parts.append("all on this screen" if whole else "the end")
        if not finished:
            parts.append("Space: finished")
        if next_part:
            parts.append("P: next part")
    figures = " · ".join(parts)
    title = ""
    if chapter is not None:
        room = width - len(figures) - 2
        if room >= 8:
            title = chapter.title if len(chapter.title) <= room else chapter.title[: room - 1] + "…"
    return ReaderStatus(figures, title)
