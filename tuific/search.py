"""Find a phrase anywhere in a story's source text, case-insensitively; or a regular
expression, when the pattern asks for one (see `asks_for_regex`).

The search runs over the paragraphs joined by newlines, not over wrapped screen
lines, so a phrase the screen splits across two lines is still found, and a
space in the query matches any run of white space (a line break included).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from tuific.model import Paragraph


@dataclass(frozen=True, slots=True)
class Match:
    paragraph: int
    start: int
    end: int


class StorySearch:
    """Searches one story; build once per story, query many times."""

    MAX_MATCHES = 100_000

    def __init__(self, paragraphs: list[Paragraph], story: object = None) -> None:
        self.story = story  # what was searched, so a late answer can be recognised
        self._text = "\n".join(p.text for p in paragraphs)
        self._starts = [0, *accumulate(len(p.text) + 1 for p in paragraphs)]
        # lower() keeps offsets only when no character changes length when folded.
        folded = self._text.lower()
        self._folded = folded if len(folded) == len(self._text) else None

    def find(self, query: str) -> list[Match]:
        words = query.split()
        if not words:
            return []
        regex = as_regex(query)
        if regex is not None:
            found = regex.finditer(self._text)
        elif self._folded is not None:
            pattern = r"\s+".join(re.escape(word) for word in words)
            found = re.finditer(pattern.lower(), self._folded)
        else:
            pattern = r"\s+".join(re.escape(word) for word in words)
            found = re.finditer(pattern, self._text, re.IGNORECASE)
        matches = []
        starts = self._starts
        for hit in found:
            start, end = hit.span()
            if start == end:
                continue  # a pattern that matches nothing at all (`x*`) shows no match
            index = bisect_right(starts, start) - 1
            base = starts[index]
            matches.append(Match(index, start - base, end - base))
            if len(matches) >= self.MAX_MATCHES:
                break
        return matches


# Syntax that only a regular expression uses: escapes such as \b \d \w \s, a class
# [..], alternation, anchors, `.*` `.+` `.?`, a count {2} or {2,5}.
# Punctuation as prose uses it ("Really?", "1.5", "Mr. Darcy") stays literal.
_REGEX_SYNTAX = re.compile(
    r"\\[bBdDwWsS.\\()\[\]|*+?^$]|\[[^\]]+\]|\||^\^|\$$|\.[*+?]|\{\d+(,\d*)?\}"
)


def asks_for_regex(query: str) -> bool:
    """Whether a search pattern is meant as a regular expression."""
    return bool(_REGEX_SYNTAX.search(query.strip()))


def as_regex(query: str) -> re.Pattern[str] | None:
    """The pattern compiled (case-insensitive) if it asks for a regular expression and
    is one; None for a plain phrase or a pattern that does not compile."""
    if not asks_for_regex(query):
        return None
    try:
        return re.compile(query.strip(), re.IGNORECASE)
    except re.error:
        return None


def by_paragraph(matches: list[Match]) -> dict[int, list[int]]:
    """Match numbers grouped by paragraph, for drawing a row's highlights."""
    groups: dict[int, list[int]] = {}
    for number, match in enumerate(matches):
        groups.setdefault(match.paragraph, []).append(number)
    return groups


def next_match(matches: list[Match], paragraph: int, offset: int, forward: bool = True) -> int:
    """Index of the first match after (or, backwards, before) a place, wrapping."""
    if not matches:
        return -1
    places = [(m.paragraph, m.start) for m in matches]
    if forward:
        index = bisect_right(places, (paragraph, offset))
        return index % len(matches)
    index = bisect_right(places, (paragraph, offset - 1)) - 1
    return index % len(matches)
