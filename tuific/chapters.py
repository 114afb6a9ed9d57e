"""Chapter headings and scene breaks in plain story text."""

from __future__ import annotations

import re

from tuific.lazy_regex import lazy_compile
from tuific.model import Chapter, Paragraph, ParagraphKind

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred"
)
# A Roman numeral in its proper form: "civil" and "mild" are made of numeral letters but
# are words ("Part civil servant, part spy." is a sentence).
_ROMAN = r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_NUMBER = rf"(?:\d+|{_ROMAN}|(?:{_NUMBER_WORDS})(?:[\s-]+(?:{_NUMBER_WORDS}))*)"
# Besides English, the words fic in other languages heads its chapters with (Russian,
# Ukrainian, Polish, Spanish, Portuguese, Italian, French, German), numbered in figures
# or capital Roman numerals ("Parte di lui" is a sentence, "Parte II" a heading).
_FOREIGN_CHAPTER_WORDS = (
    "глава|часть|розділ|частина|rozdział|część|capítulo|capitulo|capitolo|parte|"
    "chapitre|partie|kapitel|teil"
)
_FOREIGN_NUMBER = r"(?:\d+|(?-i:[IVXLCDM]+))"
_OPENING_WORDS = (
    "prologue|epilogue|interlude|afterword|foreword|пролог|эпилог|епілог|prolog|epilog|"
    "prólogo|epílogo|prologo|epilogo|épilogue"
)
_HEADING = lazy_compile(
    rf"^(?:(?:(?:chapter|part|book|act|volume)\s+{_NUMBER}"
    rf"|(?:{_FOREIGN_CHAPTER_WORDS})\s+{_FOREIGN_NUMBER})\b\.?(?:\s*[:.\-–—]\s*.*|\s+.*)?"
    rf"|(?:{_OPENING_WORDS})\b.*)$",
    re.IGNORECASE,
)
_SCENE_BREAK = lazy_compile(
    r"^(?:[*~\-=_#•·◇◆○●]\s*){3,}$|^#$|^(?:o\s*[O0]\s*o\s*)+$|^(?:x\s*X\s*x\s*)+$"
    r"|^[*~\-=#•·]{1,2}$",
)
_MAX_HEADING_CHARS = 120


def is_scene_break(line: str) -> bool:
    return bool(_SCENE_BREAK.match(line.strip()))


def is_heading(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= _MAX_HEADING_CHARS and "\n" not in text and bool(_HEADING.match(text))


# First characters a scene break or a heading can start with: most paragraphs
# (narration, dialogue) are ruled out without running a regex.
_SCENE_BREAK_FIRST = frozenset("*~-=_#•·◇◆○●oOxX")
_HEADING_FIRST = frozenset("cpbaveifrktCPBAVEIFRKTгчрпэеГЧРПЭЕéÉ")
# A paragraph starting with any other character is plain text (see `classify`).
SPECIAL_FIRST = _SCENE_BREAK_FIRST | _HEADING_FIRST


def classify(text: str) -> ParagraphKind:
    first = text.lstrip()[:1]
    if first in _SCENE_BREAK_FIRST and is_scene_break(text):
        return "scene_break"
    if first in _HEADING_FIRST and is_heading(text):
        return "heading"
    return "text"


def chapters_of(paragraphs: list[Paragraph]) -> list[Chapter]:
    """One Chapter per heading paragraph, in order."""
    return [
        Chapter(p.text.strip(), index) for index, p in enumerate(paragraphs) if p.kind == "heading"
    ]


def chapter_index_at(chapters: list[Chapter], paragraph: int) -> int:
    """Index of the chapter holding `paragraph`; -1 before the first heading."""
    low, high = 0, len(chapters)
    while low < high:
        middle = (low + high) // 2
        if chapters[middle].paragraph <= paragraph:
            low = middle + 1
        else:
            high = middle
    return low - 1
