"""The story list's data: what is listed, its sort order and its filter.

Pure (no Textual): the app feeds it scanned stories and changes, and shows
whatever index array `filter` returns.

A library listed from the metadata cache stays in the cache's columns
(`cache.CachedStories`): sorting and filtering read whole columns, and a story's
`ListItem` (and its Story) is made only when the list draws it or the app asks
for it. Ten thousand stories are listed without building ten thousand objects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from tuific.hiding import HideRule, hidden_by
from tuific.model import Stories, Story, StoryColumns, story_value
from tuific.sorting import SortInfo, sort_indices
from tuific.state import status
from tuific.state.records import StoryState
from tuific.story_chain import StoryChain

if TYPE_CHECKING:
    from tuific.query import Entries, Query


class ListItem:
    """A story as the list shows it, with its reading state.

    Made from listed columns (`of`), it reads the few fields a list row shows from
    them and builds its Story only when asked for it: the panel, opening it."""

    __slots__ = ("_story", "_stories", "_index", "progress", "read", "favourite", "grown")

    def __init__(
        self,
        story: Story,
        progress: float = 0.0,
        read: str = "unread",
        favourite: bool = False,
        grown: str = "",
    ) -> None:
        self._story: Story | None = story
        self._stories: StoryColumns | None = None
        self._index = 0
        self.progress = progress
        self.read = read  # one of tuific.state.READ_STATUSES
        self.favourite = favourite
        self.grown = grown  # "+2 ch" while read is "updated"

    @classmethod
    def of(cls, stories: StoryColumns, index: int, reading: Reading) -> ListItem:
        item = cls.__new__(cls)
        item._story, item._stories, item._index = None, stories, index
        item.progress, item.read, item.favourite, item.grown = reading
        return item

    def set_reading(self, reading: Reading) -> None:
        self.progress, self.read, self.favourite, self.grown = reading

    @property
    def story(self) -> Story:
        if self._story is None:
            assert self._stories is not None
            self._story = self._stories.story(self._index)
        return self._story

    @story.setter
    def story(self, story: Story) -> None:
        self._story = story

    def value(self, attribute: str) -> Any:
        """One field of the story (a Story or Metadata field, or "chapter_count")."""
        if self._story is None:
            assert self._stories is not None
            return self._stories.value(attribute, self._index)
        return story_value(self._story, attribute)


class Reading(NamedTuple):
    """A story's reading state, as the list shows it."""

    progress: float = 0.0
    read: str = "unread"
    favourite: bool = False
    grown: str = ""  # how much it grew since read ("+2 ch"), while "updated"


NOT_READ = Reading()


def reading_of(entry: StoryState | None, words: int | None, chapters: int | None) -> Reading:
    """The reading state of a story with this stored entry and this length now."""
    if entry is None:
        return NOT_READ
    read = status.read_status(entry, words, chapters)
    grown = status.growth(entry, words, chapters) if read == "updated" else None
    return Reading(
        status.progress(entry, None, words, chapters),
        read,
        entry.favourite,
        grown.label() if grown is not None else "",
    )


class StoryFacts:
    """What a story's reading state may ask beyond its path and fingerprint: its
    length now (to see it grew) and its source URL (to follow it renamed), read
    from the listed columns only if asked. Most stories have no stored state, and
    never are: drawing the list must not decode columns only they would need."""

    __slots__ = ("stories", "index")

    def __init__(self, stories: StoryColumns, index: int) -> None:
        self.stories, self.index = stories, index

    @classmethod
    def of(cls, story: Story) -> StoryFacts:
        return cls(Stories([story]), 0)

    def length(self) -> tuple[int, int]:
        """Words and shown chapter count."""
        value, index = self.stories.value, self.index
        return value("words", index), value("chapter_count", index)

    def work(self) -> str | None:
        return status.work_id(self.stories.value("extra", self.index))


# The reading state of the story at this path with this content fingerprint.
ReadingOf = Callable[[str, "str | None", StoryFacts], Reading]


class ListItems(Sequence[ListItem]):
    """The listing's items by index, each made when first asked for."""

    def __init__(self, listing: Listing) -> None:
        self._listing = listing

    def __len__(self) -> int:
        return len(self._listing)

    def __getitem__(self, index: int) -> ListItem:  # type: ignore[override]
        return self._listing.item_at(index)


class Listing:
    """Listed stories with their list items and query entries, kept in step by index."""

    def __init__(self, reading: ReadingOf = lambda *story: NOT_READ) -> None:
        self.reading = reading
        self.stories: StoryColumns = Stories()
        self._entries: Entries | None = None  # see `entries`
        self._entries_lock = threading.Lock()
        self.order: list[int] = []  # every index, in the current sort order
        self.items = ListItems(self)
        self._items: list[ListItem | None] = []
        self._index: dict[str, int] | None = None  # path -> index, made when needed
        self.hide_rules: Sequence[HideRule] = ()  # config.toml's [hide], compiled
        self._hidden: dict[int, str] | None = None  # see `hidden`
        self.generation = 0  # counts changes to what is listed (indices may move)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def entries(self) -> Entries | None:
        """The query entries of the listed stories (None while there are none), made
        when a filter or the check worker first asks: the query language then loads
        after the first frame, not before it (~2.5 ms)."""
        if self._entries is None and self._items:
            with self._entries_lock:  # the check worker may ask as a filter does
                if self._entries is None:
                    self._entries = self._entries_for(self.stories)
        return self._entries

    # -- lookups ----------------------------------------------------------------

    def index(self, path: str) -> int | None:
        if self._index is None:
            # Before a cached list's check, a first-screen story is found without it.
            quick = self.stories.quick_index(path)
            if quick is not None:
                return quick
            paths = self.stories.values("path")
            self._index = dict(zip(paths, range(len(paths)), strict=True))
        return self._index.get(path)

    def findable_now(self, path: str) -> bool:
        """Whether `index(path)` answers without checking a cached list whole first,
        which past its first screen takes the asking thread ~150 ms at 100,000
        stories (cache.CachedStories.verify)."""
        if self._index is not None or self.stories.checked:
            return True
        return self.stories.quick_index(path) is not None

    def item(self, path: str) -> ListItem | None:
        index = self.index(path)
        return None if index is None else self.item_at(index)

    def item_at(self, index: int) -> ListItem:
        item = self._items[index]
        if item is None:
            stories = self.stories
            path, fingerprint = stories.value("path", index), stories.value("fingerprint", index)
            reading = self.reading(path, fingerprint, StoryFacts(stories, index))
            item = ListItem.of(stories, index, reading)
            self._items[index] = item
        return item

    def note_reading(self, item: ListItem) -> None:
        """The item's read state or favourite changed: the filter follows."""
        index = self.index(item.story.path)
        if index is not None and self._entries is not None:  # else made from the state
            self._entries.set(index, "read", item.read)
            self._entries.set(index, "favourite", item.favourite)
            self._hidden = None  # a rule may hide (or stop hiding) by reading state

    def hidden(self) -> dict[int, str]:
        """Index -> name of the hide rule that leaves that story out of the list."""
        if not self.hide_rules or self.entries is None:
            return {}
        if self._hidden is None:
            self._hidden = hidden_by(self.hide_rules, self.entries)
        return self._hidden

    def refresh_readings(self) -> None:
        """Ask the reading state of every story again (the whole history has been
        read, and it follows renamed stories a first look could not): items made so
        far change in place, and the filter's read and favourite columns follow."""
        stories = self.stories
        paths, fingerprints = stories.values("path"), stories.values("fingerprint")
        for index, (path, fingerprint) in enumerate(zip(paths, fingerprints, strict=True)):
            reading = self.reading(path, fingerprint, StoryFacts(stories, index))
            item = self._items[index]
            if item is not None:
                item.set_reading(reading)
            if self._entries is not None:
                self._entries.set(index, "read", reading.read)
                self._entries.set(index, "favourite", reading.favourite)

    # -- changes ------------------------------------------------------------------

    def add(
        self,
        stories: StoryColumns,
        entries: Entries | None = None,
        items: Sequence[ListItem | None] | None = None,
    ) -> None:
        """List more stories, unsorted until `sort`; a path listed already is skipped.

        entries: theirs, if made already (else made when first needed, reading state
        included); items: theirs, if made already (else made when first drawn or
        asked for; None for one not made)."""
        count = len(stories)
        made: list[ListItem | None] = list(items) if items is not None else [None] * count
        if not self._items:  # the first stories: taken as they are
            self.stories, self._entries, self._items = stories, entries, made
            self._index = None
            self._hidden = None
            self.generation += 1
            return
        listed = {path for path in stories.values("path") if self.index(path) is not None}
        if listed:
            keep, seen = [], set(listed)
            for i, path in enumerate(stories.values("path")):
                if path not in seen:
                    seen.add(path)
                    keep.append(i)
            stories = Stories(stories.story(i) for i in keep)
            entries = entries.take(keep) if entries is not None else None
            made = [made[i] for i in keep]
        # Extended in place, not copied: a long first scan adds a batch a few times a
        # second, and copying everything listed each time grew with the square of it.
        if self._entries is not None:  # else made from all the stories when needed
            # Before the stories change: a column made now reads them (see _entries_for).
            if entries is None:
                entries = self._entries_for(stories)
            self._entries.extend(entries)
        start = len(self._items)
        if isinstance(stories, Stories) and not isinstance(self.stories, StoryChain):
            built = self._built()
            built.extend(stories.stories())
            self.stories = built
        else:  # columns (a first scan's batches): chained, no Story built
            self.stories = StoryChain.of(self.stories, stories)
        self._items += made
        if self._index is not None:
            paths = stories.values("path")
            self._index.update(zip(paths, range(start, len(self._items)), strict=True))
        self._hidden = None
        self.generation += 1

    def relist(self, stories: StoryColumns, keep: Sequence[ListItem] = ()) -> None:
        """The same stories, from other columns (the cache's, after a first scan):
        items and entries are made again from them when asked for, but those in
        `keep` (the story being read) stay the objects they are."""
        self.stories = stories
        self._entries = None
        self._items = [None] * len(stories)
        self._index = None
        self._hidden = None
        self.generation += 1
        self.order = list(range(len(stories)))  # until the next sort
        for item in keep:
            index = self.index(item.story.path)
            if index is not None:
                item._stories = None  # it holds its own Story: not the old columns'
                self._items[index] = item

    def remove(self, paths: set[str]) -> None:
        listed = self.stories.values("path")
        keep = [i for i, path in enumerate(listed) if path not in paths]
        if len(keep) == len(listed):
            return
        if self._entries is not None:  # before the stories change (see _entries_for)
            self._entries = self._entries.take(keep)
        built = self._built()
        self.stories = Stories(built[i] for i in keep)
        self._items = [self._items[i] for i in keep]
        self._index = None
        self._hidden = None
        self.generation += 1
        self.order = list(range(len(keep)))  # until the next sort

    def move(self, old_path: str, new_path: str) -> None:
        """A listed story's file was renamed or moved."""
        index = self.index(old_path)
        if index is None:
            return
        self.stories = self._built()  # paths are read from the stories themselves
        self.item_at(index).story.path = new_path
        if self._entries is not None:
            self._entries.set(index, "path", new_path)
        self._index = None
        self._hidden = None
        self.generation += 1

    def _built(self) -> Stories:
        stories = self.stories
        return stories if isinstance(stories, Stories) else Stories(stories.stories())

    def _entries_for(self, stories: StoryColumns) -> Entries:
        from tuific.query import make_entries

        def readings() -> list[Reading]:
            # Looked up afresh for each of the two columns, when a query first needs
            # it: one kept from the first would be stale for the second by then (a
            # story finished or made a favourite in between; note_reading changes
            # only the columns made already). While these are the listing's own
            # entries, its stories are theirs index for index, and give a story
            # `move`d since at its new path (a cache's columns keep the old one).
            own = self._entries is entries and len(self.stories) == len(stories)
            source = self.stories if own else stories
            paths, fingerprints = source.values("path"), source.values("fingerprint")
            facts = [StoryFacts(source, index) for index in range(len(source))]
            return list(map(self.reading, paths, fingerprints, facts))

        entries = make_entries(
            stories,
            lambda: [reading.read for reading in readings()],
            lambda: [reading.favourite for reading in readings()],
        )
        return entries

    # -- order and filter ------------------------------------------------------

    def append_unsorted(self) -> None:
        """Show stories added since the last sort at the end, without sorting."""
        self.order.extend(range(len(self.order), len(self)))

    def sort(
        self, name: str, reverse: bool, info: Callable[[str, str | None], SortInfo]
    ) -> None:
        """Order every story by sort `name`; `info(path, fingerprint)` is asked only by
        sorts that use it."""
        stories = self.stories

        def infos() -> list[SortInfo]:
            return list(map(info, stories.values("path"), stories.values("fingerprint")))

        self.order = sort_indices(stories, infos, name, range(len(self)))
        if reverse:
            self.order.reverse()

    def filter(self, query: Query | None, within: Iterable[int] | None = None) -> list[int]:
        """Indices of matching stories in sort order; `within` narrows an earlier result.
        No query (nothing typed yet) matches every story not hidden (`hidden`)."""
        base = self.order if within is None else within
        hidden = self.hidden()
        if hidden:
            base = [index for index in base if index not in hidden]
        if query is None or self.entries is None:
            return list(base)
        # Imported here: the query language is not needed until something is typed.
        from tuific.query import filter_entries

        return filter_entries(query, self.entries, list(base))
