"""A filter keystroke's pass over a big listing, in slices (pure: no Textual).

The list shows the matches of the first slice of the shown order at once, and the
rest follow a slice at a time between frames and keystrokes (tuific.ui.list_filter).
When the rest is most of the listing, it is tested in the listing's own order, a
slice of indices at a time, which reads the entries where they lie in memory (twice
as fast as in a sort order at 100,000 stories), and picked in the shown order at the
end; a smaller rest is tested in the shown order, slice by slice.
"""

from __future__ import annotations

from collections import deque
from itertools import compress, repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuific.listing import Listing
    from tuific.query import Query


class FilterPass:
    """`found`: the matches so far, in `base`'s order (a prefix of them all until
    `done`); `step` matches one more slice."""

    def __init__(
        self, listing: Listing, query: Query, base: list[int], first: int, size: int
    ) -> None:
        from tuific.query.terms import WHOLE_PASS_ABOVE

        self.query, self.base = query, base
        self._listing, self._first, self._size = listing, first, size
        self.found = listing.filter(query, base[:first])
        count = len(listing)
        rest = len(base) - first
        # Which stories of the listing match, by index (the listing's order).
        self._marks = bytearray(count) if rest > 0 and rest * WHOLE_PASS_ABOVE >= count else None
        self._at = 0 if self._marks is not None else first
        self.done = rest <= 0

    def rest(self) -> list[int]:
        """The stories of `base` whose matches are not in `found` yet, in order."""
        return self.base[self._first if self._marks is not None else self._at :]

    def candidates(self) -> list[int]:
        """What a keystroke typed meanwhile that narrows this query looks at, in
        order: the matches so far (the list may show fewer), and the rest."""
        return self.found + self.rest()

    def step(self) -> bool:
        """Match one more slice; True while there is more to match."""
        if self.done:
            return False
        end = self._at + self._size
        if self._marks is None:
            self.found = self.found + self._listing.filter(self.query, self.base[self._at : end])
            self.done = end >= len(self.base)
        else:
            marks = self._marks
            hits = self._listing.filter(self.query, range(self._at, min(end, len(marks))))
            deque(map(marks.__setitem__, hits, repeat(1)), maxlen=0)  # each set at C speed
            if end >= len(marks):
                rest = self.base[self._first :]
                self.found = self.found + list(compress(rest, map(marks.__getitem__, rest)))
                self.done = True
        self._at = end
        return not self.done
