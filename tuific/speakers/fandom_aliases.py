"""The names a fandom calls its characters by beyond their own: Strider for Aragorn,
Honey-senpai for Haninozuka Mitsukuni, the Handler for Sylvia Sherwood.

A fic's header lists "Aragorn"; its prose says "said Strider", and the reader made a
second man of him. fandom_aliases.txt (one line a character: the name as AO3 tags
it, then its aliases) gives each header character the aliases of its name: a name
("Strider") is found in the text as the header's own names are; a word the text also
writes in lower case or a title ("Handler", "General") only as a tag's subject ("said
the Handler"), as "the Major" is the one Major of the cast (a "General Hux" of the
same fic is no mention of Leia).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tuific.speakers.common import lower_case_words
from tuific.speakers.names import NOT_NAMES, NOUN_GENDER, title_key

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast

_TABLE = Path(__file__).parent / "fandom_aliases.txt"


# A fandom's words that tell it from another ("Supernatural", "Omens"), not these.
_NOT_FANDOM = frozenset(
    "the and of for with from series anime manga video game games book books film films "
    "movie movies comic comics cartoon animated original all media types universe".split()
)
Entry = tuple[frozenset[str], tuple[str, ...]]  # (its fandom's words, the aliases)


def _fandom_words(fandom: str) -> frozenset[str]:
    words = (w.strip("()[]|:-.,&'’") for w in fandom.lower().split())
    return frozenset(w for w in words if len(w) > 2 and w not in _NOT_FANDOM)


@cache
def aliases_by_name() -> Mapping[str, tuple[Entry, ...]]:
    """Each character name of the table, in lower case: its entries, one for each
    fandom that has it (Gabriel is Good Omens' and Supernatural's). Read on first use
    (in the worker)."""
    found: dict[str, tuple[Entry, ...]] = {}
    fandom: frozenset[str] = frozenset()
    for line in _TABLE.read_text("utf-8").splitlines():
        if line.startswith("#"):
            fandom = _fandom_words(line[1:])
            continue
        name, bar, rest = line.partition("|")
        aliases = tuple(a.strip() for a in rest.split(";") if a.strip())
        if bar and aliases:
            key = " ".join(name.split()).lower()
            found[key] = (*found.get(key, ()), (fandom, aliases))
    return MappingProxyType(found)


def _aliases(entries: tuple[Entry, ...], fandoms: frozenset[str]) -> tuple[str, ...]:
    """A name's aliases: its one entry's, else the one whose fandom is the story's."""
    if len(entries) > 1:
        entries = tuple(e for e in entries if e[0] & fandoms)
    return entries[0][1] if len(entries) == 1 else ()


def story_fandom_words(fandoms: Sequence[str]) -> frozenset[str]:
    """The words that tell a story's fandoms from others (see _fandom_words)."""
    return frozenset().union(*(_fandom_words(f) for f in fandoms))


def one_word_aliases(name: str, fandoms: frozenset[str] | None) -> tuple[str, ...]:
    """The table's aliases of one word for a character `name` of a story whose
    fandoms' words are `fandoms` (story_fandom_words; None: no fandom, no fic, and its
    Aragorn none of the table's): what the reader's margin may call them by
    ("Strider", "Estel"), not a title, a noun anyone may be or a common word
    ("Captain", "Mom")."""
    entries = aliases_by_name().get(name.lower()) if fandoms is not None else None
    if not entries:
        return ()
    return tuple(
        a
        for a in _aliases(entries, fandoms or frozenset())
        if " " not in a
        and len(a) > 1
        and title_key(a) is None
        and a.lower() not in NOUN_GENDER
        and a.lower() not in NOT_NAMES
    )


def add_fandom_aliases(cast: Cast, texts: Sequence[str], fandoms: Sequence[str]) -> None:
    """Give the header's characters the aliases the table gives their names (of the
    story's fandom, where the table has the name in two), where no character of the
    cast has the alias yet and no two header characters claim it."""
    table = aliases_by_name()
    words = story_fandom_words(fandoms)
    claims: dict[str, set[int]] = {}
    for index, char in enumerate(cast.characters):
        if not char.from_header:
            continue
        for name in list(char.aliases):
            for alias in _aliases(table.get(name.lower(), ()), words):
                claims.setdefault(alias, set()).add(index)
    if not claims:
        return
    single = [a for a in claims if " " not in a]
    lower = lower_case_words(texts, [a.lower() for a in single])
    for alias, owners in claims.items():
        if len(owners) > 1 or len(alias) < 2 or alias in cast.by_alias:
            continue  # (and not "R" for Grantaire: a letter is no name in prose)
        if alias.lower() in NOUN_GENDER:
            continue  # ("the Woman" of Irene Adler: "said the woman" is anyone's)
        (index,) = owners
        if " " not in alias and (alias.lower() in lower or title_key(alias) is not None):
            cast.epithets[alias] = index  # "said the Handler"
        elif alias.lower() not in NOT_NAMES:
            cast.also_called(index, alias)  # "said Strider", "the Boy Who Lived"
            cast.whole_only.add(alias)
