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

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tuific.speakers.common import lower_case_words
from tuific.speakers.names import NOT_NAMES, title_key

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast

_TABLE = Path(__file__).parent / "fandom_aliases.txt"


@cache
def aliases_by_name() -> dict[str, tuple[str, ...]]:
    """Each character name of the table, in lower case: its aliases. Read on first
    use (in the worker); a name two lines give keeps the aliases of both."""
    found: dict[str, tuple[str, ...]] = {}
    for line in _TABLE.read_text("utf-8").splitlines():
        name, bar, rest = line.partition("|")
        if not bar or line.startswith("#"):
            continue
        aliases = tuple(a.strip() for a in rest.split(";") if a.strip())
        key = " ".join(name.split()).lower()
        found[key] = found.get(key, ()) + aliases
    return found


def add_fandom_aliases(cast: Cast, texts: Sequence[str]) -> None:
    """Give the header's characters the aliases the table gives their names, where
    no other character of the cast has the alias and no two header characters claim
    it."""
    table = aliases_by_name()
    claims: dict[str, set[int]] = {}
    for index, char in enumerate(cast.characters):
        if not char.from_header:
            continue
        for name in list(char.aliases):
            for alias in table.get(name.lower(), ()):
                claims.setdefault(alias, set()).add(index)
    if not claims:
        return
    single = [a for a in claims if " " not in a]
    lower = lower_case_words(texts, [a.lower() for a in single])
    for alias, owners in claims.items():
        if len(owners) > 1 or len(alias) < 2 or alias in cast.by_alias:
            continue  # (and not "R" for Grantaire: a letter is no name in prose)
        (index,) = owners
        if " " not in alias and (alias.lower() in lower or title_key(alias) is not None):
            cast.epithets[alias] = index  # "said the Handler"
        elif alias.lower() not in NOT_NAMES:
            cast.also_called(index, alias)  # "said Strider", "the Boy Who Lived"
