"""A character's gender from the pronouns that follow its names in the text."""

from __future__ import annotations

import re
from collections.abc import Sequence


def by_pronouns(he: int, she: int, enough: int) -> str:
    """ "M" or "F" when `enough` pronouns were seen and one gender has twice the
    other's, else ""."""
    if he + she >= enough:
        if he >= 2 * she:
            return "M"
        if she >= 2 * he:
            return "F"
    return ""


# A pronoun that may point back to a name before it ("Reggie came in. He …").
_NEAR_PRONOUN = re.compile(r"\b(?:([Hh]e|[Hh]is|[Hh]imself)|[Ss]he|[Hh]erself)\b")
_PRONOUN_REACH = 100  # characters after a name in which its pronoun is looked for
_MAX_READS = 32  # first names whose gender the text is read for, at most


class TextGender:
    """The gender the pronouns after a word give it in the text, worked out on first
    asking (a scan of the text for that word) and kept."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self.known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        found = self.known.get(word)
        if found is None:
            # Each reading scans the text: a story full of titled names (a hostile
            # one) gets a few, not one per name.
            found = self._read(word) if len(self.known) < _MAX_READS else ""
            self.known[word] = found
        return found

    def _read(self, word: str) -> str:
        he = she = 0
        # (Names' words are kept in lower case; the text's have capitals.)
        name = re.compile(rf"\b{re.escape(word)}\b", re.I)
        rest = word[1:]
        search = _NEAR_PRONOUN.search
        for text in self.texts:
            if rest not in text:
                continue
            for at in name.finditer(text):
                pronoun = search(text, at.end(), at.end() + _PRONOUN_REACH)
                if pronoun is not None:
                    if pronoun.group(1):
                        he += 1
                    else:
                        she += 1
        return by_pronouns(he, she, 2)
