"""A speaker's label in the reader's margin: the word the story calls them by, within
the cells the margin has, the same on every line (`short_labels`, `called_names`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

if TYPE_CHECKING:
    from tuific.speakers import Attribution


_NICKNAME = re.compile(r"[\"“]([^\"“”\s]+)[\"”]")


def _name_words(name: str) -> list[str]:
    """The words of a speaker's name a label may be: a nickname in quotes first ("Bucky"
    of James "Bucky" Barnes), then its words but titles and articles ("Mrs Hudson":
    Hudson)."""
    from tuific.speakers.names import title_key  # (loaded by the worker by now)

    return [*_NICKNAME.findall(name)] + [
        w
        for w in name.split()
        if w[:1].isalpha() and title_key(w) is None and w.lower() not in _ARTICLES
    ]


_ARTICLES = frozenset(("the", "a", "an"))  # no label ("The Waiter", "Vash the Stampede")


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalpha())


def short_labels(
    names: Sequence[str], width: int, called: dict[str, str] | None = None
) -> dict[str, str]:
    """Each speaker's label within `width` cells, the same on every line: the word the
    story calls them by (`called`: "Daichi" for Sawamura Daichi, "Sam" for Sam
    Winchester), else the whole name where it fits, else a word of it no other
    speaker's name holds (a nickname in quotes first, "Bucky" for AO3's James "Bucky"
    Barnes; then the given name, "Eleanor" for Eleanor Vance; "Mr." and the like are
    not words of it), else its initials. A margin of "Maren" beside "EV" read as two
    kinds of label."""
    called = called or {}
    words = {name: _name_words(name) for name in names}
    for name, word in called.items():
        if name in words and word not in words[name]:
            words[name].append(word)  # the fandom's name for them, or one cut short
    holders = Counter(word for name in names for word in set(words[name]))
    labels = {}
    for name in names:
        own = [w for w in words[name] if holders[w] == 1 and cell_len(w) <= width]
        if called.get(name) in own:
            labels[name] = called[name]
        elif cell_len(name) <= width:
            labels[name] = name
        elif own:
            labels[name] = own[0]
        else:
            text = _initials(name) or name
            labels[name] = set_cell_size(text, min(width, cell_len(text)))
    return labels


_CALLED_READ = 40  # a speaker's speeches read for the word the story calls them by
_CALLED_REACH = 200  # characters of narration read on each side of a speech
_CALLED_MOST = 200  # speakers so read, at most (a hostile story names thousands)
_CALLED_ANYONE = 400  # speeches read with their narration for whom their own never name
_CALLED_SPEECH = 800  # characters of each of those speeches read
_CALLED_FALLBACK = 8  # ...and such speakers, at most (a story has one narrator or two)


def called_names(
    shown: Sequence[tuple[str, Attribution]],
    texts: Sequence[str],
    fandoms: Sequence[str] = (),
) -> dict[str, str]:
    """The word the story uses most for each speaker beside their shown speech (its
    tags: "said Daichi"), where it uses one: a word of their name, a name their fandom
    has for them ("said Strider" for the header's Aragorn), or the word cut short in a
    tag ("said Sam" for Samwise). Whom the narration never names beside their speech (a
    first-person narrator: "I said") is called what the story calls them in and
    beside the first few hundred speeches ("Come in, Pippin").
    A few dozen speeches each, and the narration next to them: bounded whatever the
    story's length."""
    from tuific.speakers.fandom_aliases import one_word_aliases, story_fandom_words
    from tuific.speakers.names import NOT_NAMES  # (both loaded by the worker by now)

    fandom_words = story_fandom_words(fandoms) if fandoms else None
    beside: dict[str, list[str]] = {}
    near_any_speech: list[str] = []  # the first speeches, with what is beside them
    for name, a in shown:
        if len(near_any_speech) < _CALLED_ANYONE and a.paragraph < len(texts):
            start = max(0, a.start - _CALLED_REACH)
            stop = min(a.end, start + _CALLED_SPEECH) + _CALLED_REACH
            near_any_speech.append(texts[a.paragraph][start:stop])
        found = beside.get(name)
        if found is None:
            if len(beside) == _CALLED_MOST:
                continue
            found = beside[name] = []
        if len(found) < 2 * _CALLED_READ and a.paragraph < len(texts):
            text = texts[a.paragraph]
            found.append(text[max(0, a.start - _CALLED_REACH) : a.start])
            found.append(text[a.end : a.end + _CALLED_REACH])
    called = {}
    read_near_any = 0  # speakers looked for in near_any_speech
    for name, pieces in beside.items():
        words = _name_words(name)
        words += [a for a in one_word_aliases(name, fandom_words) if a not in words]
        if not words:
            continue  # ("Admiral": a title alone)
        pattern = re.compile(r"\b(" + "|".join(map(_or_cut_short, words)) + r")\b")
        uses = _uses(pattern, pieces, words)
        if not uses and read_near_any < _CALLED_FALLBACK:
            read_near_any += 1
            uses = _uses(pattern, near_any_speech, words)
        for cut in [m for m in uses if m not in words and m.lower() in NOT_NAMES]:
            del uses[cut]  # "She" is no Shellstrop
        if uses:
            # (a tie: the first word of the name)
            best = max([*words, *uses], key=lambda w: uses[w])
            if best not in words or len(words) > 1:  # (one word: no choice)
                called[name] = best
    return called


def _uses(pattern: re.Pattern[str], pieces: Sequence[str], words: Sequence[str]) -> Counter[str]:
    """How often `pattern` finds each word in `pieces`: a word of the name anywhere, a
    word cut short only as a tag's subject ("said Sam", "Sam asked": not "Long minutes
    passed" for Longbottom, nor the "Don" of "Don't")."""
    verb_before, verb_after = _speech_verbs()
    uses: Counter[str] = Counter()
    for piece in pieces:
        for match in pattern.finditer(piece):
            word = match.group(1)
            if word in words or (
                verb_before.search(piece, max(0, match.start() - 16), match.start())
                or verb_after.match(piece, match.end())
            ):
                uses[word] += 1
    return uses


@cache
def _speech_verbs() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A verb of speech right before a name, and right after it (compiled in the
    worker: the speakers' names module is not loaded before the first page)."""
    from tuific.speakers.names import SPEECH_VERBS

    return re.compile(rf"\b(?:{SPEECH_VERBS})\s+$"), re.compile(rf"\s+(?:{SPEECH_VERBS})\b")


def _or_cut_short(word: str) -> str:
    """A pattern of `word` or its first three letters or more ("Sam", "Samw"... of
    "Samwise"), as stories cut a name short."""
    if not 3 < len(word) <= 20 or not word.isalpha():  # (a hostile name nests no deeper)
        return re.escape(word)
    nested = ""
    for letter in reversed(word[3:]):
        nested = f"(?:{re.escape(letter)}{nested})?"
    return re.escape(word[:3]) + nested
