"""Building a story's cast: the header's names first (kept as written, with their
other names), then full names the text gives them, then the names the text uses
(learn.py), fuller ones first so that short forms find their character; a
reader-insert's "Y/N" last."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuific.speakers.cast import NAME_MAX, Cast
from tuific.speakers.character import split_name
from tuific.speakers.fandom_aliases import add_fandom_aliases
from tuific.speakers.gender import TextGender
from tuific.speakers.header import (
    DOTTED,
    header_full_names,
    join_clipped,
    kin_forms,
    kin_tag,
    tag_nicknames,
)
from tuific.speakers.learn import learn_names
from tuific.speakers.names import name_words, title_key
from tuific.speakers.narrator import UNNAMED
from tuific.speakers.nouns import noun_names
from tuific.speakers.roles import RoleOwners
from tuific.speakers.self_named import introduced_names, named_twice


def _fullest_first(item: tuple[str, int]) -> tuple[int, int]:
    return -len(split_name(item[0])[1]), -item[1]


def build_cast(
    texts: Sequence[str],
    header: Sequence[str] = (),
    speech: Sequence[bool] | None = None,
    present: bool = False,
    reader: str = "",
    tags: Sequence[str] = (),
    fandoms: Sequence[str] = (),
) -> Cast:
    """The cast from header names (kept as written) and the names the text uses
    (`speech`: which paragraphs hold speech, when known; `present`: the story is told
    in the present tense; `reader`: the header's name for a reader-insert's "you",
    "Reader", if it gives one; `tags`: the header's tags, for the nicknames they
    give; `fandoms`: the header's, whose titles are no one's name)."""
    cast = Cast()
    cast.text_gender = TextGender(texts)
    kin_of: list[tuple[int, str, str]] = []  # header characters known as someone's kin
    for name in header:
        # "Lan Zhan | Lan Wangji": the first name, and the others as its aliases (AO3
        # gives two or three; a tag of thousands is no one's).
        first, *others = (part.strip() for part in name.split("|"))
        kin_tagged = kin_tag(first) if len(first) <= NAME_MAX else None
        if kin_tagged is not None:
            # (Found in the text by the forms kin_forms gives, once the names are in.)
            owner, kin, gender = kin_tagged
            nameless = cast.add_nameless(first, from_header=True, gender=gender)
            kin_of.append((nameless, owner, kin))
            index: int | None = nameless
        else:
            index = cast.add(first, from_header=True)
        if index is not None:
            # ("Izuku's Mother | Midoriya Inko": a kin tag's other names are its too)
            for other in others[:_OTHER_NAMES]:
                cast.also_named(index, other)
            if DOTTED.match(first):
                cast.also_called(index, first.replace(".", ""))  # F.R.I.D.A.Y.: FRIDAY
    for title, owners in _titled_by_suffix(cast).items():
        if len(owners) == 1:
            cast.also_called(owners[0], title)  # Nyanko-sensei is the prose's "Sensei"
    for full in header_full_names(texts, header):
        cast.add(full)
    if fandoms:
        add_fandom_aliases(cast, texts, fandoms)  # (Strider: the header's Aragorn)
    tag_nicknames(cast, tags)
    learnt = learn_names(texts, talking=cast.talking, speech=speech, present=present)
    for name in introduced_names(texts):
        learnt.setdefault(name, 1)  # ("I'm Amos Tull": a newcomer the narration never names)
    for name, full in named_twice(texts):
        # "Okonkwo. Emmanuel Okonkwo.": the header's Mr. Okonkwo's full name, else a
        # newcomer's ("Crane. Hollis Crane.", where the text says "Mr. Crane").
        who = cast.only_fit(name)
        if who is not None and cast.characters[who].from_header:
            if cast.characters[who].words == {name.lower()}:
                cast.also_named(who, full)  # (not Harry Potter's "Potter. James Potter.")
        elif full not in cast.by_alias:
            learnt.setdefault(full, 1)
    join_clipped(cast, learnt)
    known = {word for char in cast.characters for word in char.words}
    for title in _titles(fandoms[:_MOST_FANDOMS]):
        # "the living room of the Owl House": the fandom's place, not a character
        # (unless the header names one by its words: Merlin, Naruto; and not a
        # name the prose never writes after "the": Hannibal, Harry Potter).
        if (
            title in learnt
            and " " in title
            and not split_name(title)[1] & known
            and any(f"the {title}" in text or f"The {title}" in text for text in texts)
        ):
            del learnt[title]
    if fandoms:
        _ranked_surnames(cast, learnt, texts)
    for name, count in learnt.items():
        words = name_words(name)
        if len(words) == 1:
            cast.usage[words[0]] = cast.usage.get(words[0], 0) + count
    # Fuller names first, so that short forms find the character they belong to.
    for name, count in sorted(learnt.items(), key=_fullest_first):
        cast.add(name, count=count)
    cast.finish()
    # (After finish: "the cat" and "Rei's grandfather" have no first name and surname
    # to take short forms of.)
    for nameless, owner, kin in kin_of:
        for form in kin_forms(owner, kin):
            cast.also_called(nameless, form)
    for name, forms in noun_names(texts, header).items():
        index = cast.by_alias.get(name)  # (a header's "God" or "Will" is no name: add refused it)
        if index is not None:
            for form in forms:
                cast.also_called(index, form)
    # A reader-insert's placeholder for the reader's name ("Y/N", "y/n"): the "you" of
    # the story, as the text writes it.
    written = {found.group() for text in texts if "/" in text for found in _READER.finditer(text)}
    if reader or written:
        cast.reader = cast.add_nameless(reader or UNNAMED["Y"])
        for form in sorted(written):
            cast.also_called(cast.reader, form)
    cast.roles = RoleOwners(texts)
    cast.text_gender = None  # (and let go of the text)
    return cast


# Honorifics a story also says alone, as a name: "Sensei", "Senpai".
_SUFFIX_TITLE = re.compile(r"-(sensei|senpai|sempai)$", re.IGNORECASE)


def _titled_by_suffix(cast: Cast) -> dict[str, list[int]]:
    """The header's characters whose name ends in an honorific said alone as a name,
    by that honorific: {"Sensei": [Nyanko-sensei]}."""
    found: dict[str, list[int]] = {}
    for index, char in enumerate(cast.characters):
        if char.from_header:
            for name in {char.name.split()[-1], *(a.split()[-1] for a in char.aliases)}:
                suffix = _SUFFIX_TITLE.search(name)
                if suffix is not None:
                    owners = found.setdefault(suffix.group(1).capitalize(), [])
                    if index not in owners:
                        owners.append(index)
    return found


# A word the prose writes after "the" with a capital: a rank or a title ("the Chief"),
# where a given name never stands ("the Arya").
_THE_CAPITAL = re.compile(r"\b[Tt]he\s+([A-Z][a-z]+)\b(?!['’-])")


def _ranked_surnames(cast: Cast, learnt: dict[str, int], texts: Sequence[str]) -> None:
    """File a fic's "Chief Vick", "Coach Beiste" under the one header character of that
    surname (Karen Vick): a word before a surname that the prose also writes after
    "the" ("asked the Chief"), that is no word of the header's names, is a rank or a
    post the fandom calls them by (the rank alone is theirs too)."""
    owners: dict[str, list[int]] = {}
    for index, char in enumerate(cast.characters):
        words = name_words(char.name)
        if char.from_header and len(words) > 1:
            owners.setdefault(words[-1], []).append(index)
    header_words = {w for char in cast.characters if char.from_header for w in char.words}
    ranks: set[str] | None = None  # (read from the text once, when first asked)
    for name in list(learnt):
        words = name_words(name)
        if len(words) != 2 or len(name.split()) != 2 or len(owners.get(words[1], ())) != 1:
            continue
        rank = name.split()[0]
        if words[0] in header_words or title_key(rank) is not None:
            continue
        if ranks is None:
            ranks = {m.group(1) for text in texts for m in _THE_CAPITAL.finditer(text)}
        if rank not in ranks:
            continue  # ("Arya Stark" beside the header's Sansa: a sister, no rank)
        who = owners[words[1]][0]
        cast.also_called(who, name)
        del learnt[name]
        if rank in learnt:
            cast.also_called(who, rank)
            del learnt[rank]


def _titles(fandoms: Sequence[str]) -> list[str]:
    """The names of the fandoms as a story's text may write them: "The Owl House
    (Cartoon)" is "Owl House"; "Batman - All Media Types" is "Batman"."""
    out = []
    for fandom in fandoms:
        title = re.split(r"\s[-(:|]|:", fandom, maxsplit=1)[0].strip()
        out.append(title.removeprefix("The ").removeprefix("the "))
    return out


_MOST_FANDOMS = 20  # a header's fandoms whose titles are looked for, at most (a crossover's few)
_OTHER_NAMES = 8  # a header character's names after the first ("A | B | C"), at most
# "Your Name", where a reader-insert puts the reader's: "Y/N", "y/n", "Y/N L/N".
_READER = re.compile(r"\b[Yy]/[Nn](?:\s+[Ll]/[Nn])?\b")
