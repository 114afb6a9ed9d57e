"""The story list's data: what is listed, its sort order and its filter.

Pure (no Textual): the app feeds it scanned stories and changes, and shows
whatever index array `filter` returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuific.model import Story
from tuific.sorting import STATE_SORTS, SortInfo, sort_indices

if TYPE_CHECKING:
    from tuific.query import Entry, Query

NO_SORT_INFO = SortInfo()


@dataclass(slots=True, eq=False)
class ListItem:
    """A story as the list shows it, with its reading state."""

    story: Story
    progress: float = 0.0
    read: str = "unread"  # unread | reading | finished
    favourite: bool = False
    added: float = 0.0  # when the file arrived (its modification time)


class Listing:
    """Listed stories with their query entries, kept in step by path."""

    def __init__(self) -> None:
        self.items: list[ListItem] = []
        self.entries: list[Entry] = []
        self.order: list[int] = []  # every item index, in the current sort order
        self._index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def item(self, path: str) -> ListItem | None:
        index = self._index.get(path)
        return None if index is None else self.items[index]

    def entry(self, path: str) -> Entry | None:
        index = self._index.get(path)
        return None if index is None else self.entries[index]

    def add(self, item: ListItem, entry: Entry) -> bool:
        """List a story (unsorted until `sort`); False if its path is listed already."""
        path = item.story.path
        if path in self._index:
            return False
        self._index[path] = len(self.items)
        self.items.append(item)
        self.entries.append(entry)
        return True

    def remove(self, paths: set[str]) -> None:
        keep = [i for i, item in enumerate(self.items) if item.story.path not in paths]
        if len(keep) == len(self.items):
            return
        self.items = [self.items[i] for i in keep]
        self.entries = [self.entries[i] for i in keep]
        self._index = {item.story.path: i for i, item in enumerate(self.items)}
        self.order = list(range(len(self.items)))  # until the next sort

    def move(self, old_path: str, new_path: str) -> None:
        """A listed story's file was renamed or moved."""
        index = self._index.pop(old_path, None)
        if index is not None:
            self._index[new_path] = index
            self.items[index].story.path = new_path
            self.entries[index].path = new_path

    def append_unsorted(self) -> None:
        """Show stories added since the last sort at the end, without sorting."""
        self.order.extend(range(len(self.order), len(self.items)))

    def sort(self, name: str, reverse: bool, info: Callable[[ListItem], SortInfo]) -> None:
        """Order every story by sort `name`; `info` is asked only by sorts that use it."""
        stories = [item.story for item in self.items]
        if name in STATE_SORTS:
            infos = [info(item) for item in self.items]
        else:
            infos = [NO_SORT_INFO] * len(self.items)
        self.order = sort_indices(stories, infos, name, range(len(self.items)))
        if reverse:
            self.order.reverse()

    def filter(self, query: Query | None, within: Iterable[int] | None = None) -> list[int]:
        """Indices of matching stories in sort order; `within` narrows an earlier result.
        No query (nothing typed yet) matches every story."""
        if query is None:
            return list(self.order if within is None else within)
        # Imported here: the query language is not needed until something is typed.
        from tuific.query import filter_entries

        return filter_entries(query, self.entries, self.order if within is None else list(within))
