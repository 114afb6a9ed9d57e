"""Quotations inside speech: "You said to him, ‹If Enjolras asks, I go›."

Whoever such a quotation names or calls was named or called by someone else, another
time: not by the speech that quotes it (tags.read_turn leaves those names out).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

# Marks with no other use: the quotation runs to its closing mark or the speech's end
# (a single search each, so no mark is searched from twice).
_RUN_ON = (("‹", re.compile(r"‹[^›]*")), ("“", re.compile(r"“[^”]*")))
# Single marks are apostrophes too ("'Cause I said so, Harry", "Get 'em, Harry!",
# "‘round the back"): such a quotation counts only where a closing mark (one with no
# letter after it) comes within _REACH of its opening, so an elision with no partner
# hides nothing.
_REACH = 400
_SINGLE = (
    ("‘", re.compile(r"(?<!\w)‘(?=\w)"), re.compile(r"’(?!\w)")),
    ("'", re.compile(r"(?<![\w'])'(?=\w)"), re.compile(r"'(?!\w)")),
)


def nested_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each quotation inside the speech at text[start:end], in order
    and apart (where two overlap, they are joined)."""
    found: list[tuple[int, int]] = []
    outer = text[start : start + 1]
    lo, hi = start + 1, end - 1
    for mark, pattern in _RUN_ON:
        if mark != outer and text.find(mark, lo, hi) >= 0:
            found += [m.span() for m in pattern.finditer(text, lo, hi)]
    for mark, opening, closing in _SINGLE:
        if mark != outer and text.find(mark, lo, hi) >= 0:
            found += _paired(text, lo, hi, opening, closing)
    if len(found) < 2:
        return found
    found.sort()
    joined = [found[0]]
    for a, b in found[1:]:
        if a < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
        else:
            joined.append((a, b))
    return joined


def _paired(
    text: str, lo: int, hi: int, opening: re.Pattern[str], closing: re.Pattern[str]
) -> list[tuple[int, int]]:
    """Each opening mark with the first closing mark after it, when that is near; the
    marks found in one pass each (a hostile speech of nothing but marks costs no
    more than its length)."""
    closes = [m.start() for m in closing.finditer(text, lo, hi)]
    out: list[tuple[int, int]] = []
    edge = lo
    for m in opening.finditer(text, lo, hi):
        at = m.start()
        if at < edge:
            continue  # inside the quotation before
        k = bisect_right(closes, at)
        if k == len(closes):
            break
        if closes[k] - at <= _REACH:
            edge = closes[k] + 1
            out.append((at, edge))
    return out


def inside(quotes: Sequence[Sequence[int]], starts: list[int], pos: int) -> bool:
    """Whether `pos` lies in one of `quotes` (from nested_quotes; `starts`: their
    starts): a binary search, as a hostile speech may hold thousands of each."""
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < quotes[k][1]
