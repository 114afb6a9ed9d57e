"""`StoryChain`: several StoryColumns listed one after another as one, so a first
scan's list grows by whole batches of cache columns (tuific.scan_segments) without
building a Story per file to put them in one list."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, chain
from typing import Any

from tuific.model import Story, StoryColumns

STORY_SEP = "\x01"  # between stories in a joined column (as tuific.cache.layout)


class StoryChain:
    """The stories of `parts`, in turn (a StoryColumns). Not changed once made:
    `then` gives a longer chain, which keeps the whole columns made so far."""

    def __init__(self, parts: Sequence[StoryColumns]) -> None:
        self.parts: list[StoryColumns] = [part for part in parts if len(part)]
        self._ends = list(accumulate(map(len, self.parts)))
        self._values: dict[str, list[Any]] = {}

    @classmethod
    def of(cls, first: StoryColumns, then: StoryColumns) -> StoryChain:
        """`first`'s stories, then `then`'s."""
        chain = cls([*cls._parts_of(first), *cls._parts_of(then)])
        if isinstance(first, StoryChain):
            for attribute, made in first._values.items():
                chain._values[attribute] = made + then.values(attribute)
        return chain

    @staticmethod
    def _parts_of(stories: StoryColumns) -> list[StoryColumns]:
        return stories.parts if isinstance(stories, StoryChain) else [stories]

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def _find(self, index: int) -> tuple[StoryColumns, int]:
        if not 0 <= index < len(self):
            raise IndexError(index)
        part = bisect_right(self._ends, index)
        return self.parts[part], index - (self._ends[part - 1] if part else 0)

    def story(self, index: int) -> Story:
        part, index = self._find(index)
        return part.story(index)

    def stories(self) -> list[Story]:
        return [story for part in self.parts for story in part.stories()]

    def values(self, attribute: str) -> list[Any]:
        made = self._values.get(attribute)
        if made is None:
            made = self._values[attribute] = list(
                chain.from_iterable(part.values(attribute) for part in self.parts)
            )
        return made

    def title_order(self) -> list[int] | None:
        return self.parts[0].title_order() if len(self.parts) == 1 else None

    def value(self, attribute: str, index: int) -> Any:
        part, index = self._find(index)
        return part.value(attribute, index)

    @property
    def checked(self) -> bool:
        return all(part.checked for part in self.parts)

    def quick_index(self, path: str) -> int | None:
        return None  # the parts are segments, checked as they came (scan_segments)

    def joined(self, attribute: str) -> str | None:
        joined = [part.joined(attribute) for part in self.parts]
        if None in joined:
            return None
        return STORY_SEP.join(joined)  # type: ignore[arg-type]
