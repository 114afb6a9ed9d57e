"""Merging two copies of the state (memory and disk): per entry, newest change wins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .records import StoryState, _Doc, _when
from .schema import _live_bookmarks

# ---------------------------------------------------------------- merging


def _last_change(entry: StoryState) -> datetime:
    return max(_when(entry.updated), _when(entry.flags_updated), _when(entry.bookmarks_updated))


def _merge_story(ours: StoryState, theirs: StoryState) -> None:
    """Fold their copy of an entry into ours, in place (callers may hold `ours`).

    Each group of fields goes to the side that changed it last; ties stay ours.
    """
    if _when(theirs.updated) > _when(ours.updated):
        ours.position = theirs.position
        ours.last_opened = theirs.last_opened
        ours.words = theirs.words
        ours.paragraphs = theirs.paragraphs
        ours.chapters = theirs.chapters
        ours.progress = theirs.progress
        ours.fingerprint = theirs.fingerprint
        # A source URL names the work: never lost to a copy that did not know it
        # (note_work records it without a stamp, so as not to outvote their place).
        ours.work = theirs.work or ours.work
        ours.extra = theirs.extra
        ours.updated = theirs.updated
    if _when(theirs.flags_updated) > _when(ours.flags_updated):
        ours.finished = theirs.finished
        ours.favourite = theirs.favourite
        ours.shelf = theirs.shelf
        ours.notes_open = theirs.notes_open
        ours.flags_updated = theirs.flags_updated
    # Bookmarks are a set: one session's new bookmark is never lost to the other's
    # changes, and a deleted id stays deleted whichever side saw the deletion.
    ours.deleted_bookmarks |= theirs.deleted_bookmarks
    ours.bookmarks = _live_bookmarks(theirs.bookmarks + ours.bookmarks, ours.deleted_bookmarks)
    if _when(theirs.bookmarks_updated) > _when(ours.bookmarks_updated):
        ours.bookmarks_updated = theirs.bookmarks_updated


def _merge_tables(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Add what only `theirs` has, recursively; on a clash ours stays."""
    for key, value in theirs.items():
        if key not in ours:
            ours[key] = value
        elif isinstance(ours[key], dict) and isinstance(value, dict):
            _merge_tables(ours[key], value)


def _merge(ours: _Doc, theirs: _Doc) -> None:
    """Fold the file on disk (`theirs`) into memory (`ours`)."""
    for key, stamp in theirs.removed.items():
        if key not in ours.removed or _when(stamp) > _when(ours.removed[key]):
            ours.removed[key] = stamp
    for key, entry in theirs.stories.items():
        if key in ours.stories:
            _merge_story(ours.stories[key], entry)
        else:
            ours.stories[key] = entry
    # A tombstone beats an entry not changed since: the entry moved to another key.
    for key, stamp in ours.removed.items():
        kept = ours.stories.get(key)
        if kept is not None and _last_change(kept) <= _when(stamp):
            del ours.stories[key]
    # For the globals, anything beats nothing (a hand-written file may lack `updated`).
    if theirs.last_story is not None and (
        ours.last_story is None or _when(theirs.last_story_updated) > _when(ours.last_story_updated)
    ):
        ours.last_story, ours.last_story_updated = theirs.last_story, theirs.last_story_updated
    if theirs.pace.samples and (
        not ours.pace.samples or _when(theirs.pace.updated) > _when(ours.pace.updated)
    ):
        ours.pace = theirs.pace
    for name, value in theirs.prefs.items():
        stamp = theirs.prefs_updated.get(name, "")
        if name not in ours.prefs or _when(stamp) > _when(ours.prefs_updated.get(name, "")):
            ours.prefs[name] = value
            ours.prefs_updated[name] = stamp
    _merge_tables(ours.unparsed, theirs.unparsed)
    _merge_tables(ours.extra, theirs.extra)
