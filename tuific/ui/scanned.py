"""What a scan hands the library pane: `Scanned` batches, a first scan's parts
joined into one, and the stamps of a cached listing."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from tuific.listing import ListItem
from tuific.model import Skipped, StoryColumns

if TYPE_CHECKING:
    from tuific.cache import CachedStories
    from tuific.query import Entries
    from tuific.scan_segments import Part


def cache_stamps(stories: CachedStories, failures: list[tuple[str, int, int, str]]) -> dict:
    """The (size, mtime_ns) of every file a cache listed, as a scan records them."""
    stamps = stories.stamps()
    stamps.update((path, (size, mtime)) for path, size, mtime, _reason in failures)
    return stamps


class Scanned(NamedTuple):
    """What the scan worker hands the UI: stories (with their list items and query
    entries made off the UI thread, for a rescan; a first scan's cache columns come
    without: made when drawn or filtered), and the files it skipped."""

    stories: StoryColumns
    items: list[ListItem] | None  # None: made when drawn
    entries: Entries | None
    skipped: list[Skipped]


def scanned_of(parts: list[Part]) -> Scanned:
    """A first scan's parts as one batch for the list (its items and entries are
    made when drawn or filtered)."""
    from tuific.story_chain import StoryChain

    stories = [part.stories for part in parts if len(part.stories)]
    skipped = [skip for part in parts for skip in part.skipped]
    return Scanned(stories[0] if len(stories) == 1 else StoryChain(stories), None, None, skipped)
