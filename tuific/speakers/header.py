"""Character names from a story's header: its `Characters:` and `Relationships:`
lines as fan fiction sites write them, and the full names the text gives a header's
first names."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from tuific.speakers.names import (
    ELDER_TITLES,
    FEMALE_NAMES,
    MALE_NAMES,
    NOT_NAMES,
    NOUN_GENDER,
    PETS,
    name_words,
    pronoun_gender,
    title_key,
)

if TYPE_CHECKING:
    from tuific.speakers.cast import Cast

_NOT_CHARACTERS = re.compile(
    r"original (?:female |male |non-binary )?characters?|\breader\b|^you$|^ensemble|"
    r"^other(?: characters?|s)?$|^everyone|^various|^(?:minor|background|side|multiple) "
    r"characters?|^cameos?$|^o[fm]?cs?$|'s? (?:parents|family|friends|siblings|children)$|"
    r"^\w+ family$|^y/n$|^no (?:romantic )?(?:relationships?|pairings?|ships?)$",
    re.I,
)

# A reader-insert's placeholders: Y/N (your name), L/N and F/N (last and first name),
# E/C and H/C (eye and hair colour).
_READER = re.compile(r"\(?\b(?:[YyLlFfMm]/[Nn]|[EeHh]/[Cc])\b\)?")
_SURNAME_SHARE = 0.6  # of the capitalised words after a first name, the surname's least


def header_names(characters: Iterable[str], relationships: Iterable[str]) -> list[str]:
    """Character names from a header's Characters and Relationships lines, in order:
    "Harry Potter (Harry Potter)" loses its fandom, "A/B" and "A & B" are split, and
    "past Angel/Buffy" is Angel (a name's own words are capitalised; "past",
    "implied", "one-sided" are not). AO3's "Lan Zhan | Lan Wangji" (one character's
    two names) stays whole for build_cast."""
    out: list[str] = []
    for value in [*characters, *relationships]:
        # "Draco Malfoy/Y/N": the reader's placeholders are no pairing of Y and N.
        value = _READER.sub("", value)
        for part in re.split(r"\s*(?:/|&| x |\+|,)\s*", value):
            part = re.sub(r"\s*\([^)]*\)", "", part).strip(" ,;").lstrip(". ")
            part = part if DOTTED.match(part) else part.rstrip(" .")  # (F.R.I.D.A.Y.'s stays)
            if _NOT_CHARACTERS.search(part):
                continue  # (before "no pairing" loses its "no" as "past Angel" does)
            part = re.sub(r"^(?:[a-z][\w-]*\s+)+(?=\w)", "", part)
            if part and not _NOT_CHARACTERS.search(part) and part not in out:
                out.append(part)
    return out


# AO3's tags for a reader-insert's "you": "Reader", "Female Reader", "Reader-Insert",
# "Bucky Barnes/Reader"; "You" and "Y/N" alone (the tags header_names leaves out).
_READER_WORD = re.compile(r"(?i)\breader\b")
_YOU_PART = re.compile(r"(?i)^\s*you\s*(?:\([^)]*\))?\s*$")
_Y_N = re.compile(r"(?i)\by/n\b")


def header_reader(characters: Iterable[str], relationships: Iterable[str] = ()) -> str:
    """The name to show a reader-insert's "you" by where the header tags one ("Reader",
    or "You" for "You" and "Y/N"), or "" when it tags none."""
    for value in [*characters, *relationships]:
        if _READER_WORD.search(value):
            return "Reader"
        if _Y_N.search(value) or any(_YOU_PART.match(part) for part in re.split(r"[/&|,]", value)):
            return "You"
    return ""


# A name of capitals and dots, "F.R.I.D.A.Y.": the prose writes it without them too.
DOTTED = re.compile(r"(?:[A-Z]\.){2,}[A-Z]?\.?$")


def header_full_names(texts: Sequence[str], header: Sequence[str]) -> list[str]:
    """The full names the text gives characters the header names by a first name
    alone: "Characters: Draco, Harry" and "Draco Malfoy" once in the text make
    "Malfoy" Draco's (cast.add files the full name under Draco).
    A surname must follow the first name in most of the places anything capitalised
    does (on the same line), the text must use it elsewhere too, and no other
    first name of the header may take it (Fred, George and Ron Weasley leave
    "Weasley" to the text). Two passes over the text, however many names."""
    firsts = sorted(
        {
            name
            for name in header
            if len(name.split()) == 1 and title_key(name) is None and name[:1].isupper()
        }
    )
    if not firsts:
        return []
    text = "\n".join(texts)
    alternatives = "|".join(map(re.escape, firsts))
    after: dict[str, Counter[str]] = {}
    for first, word in re.findall(
        rf"\b({alternatives})[ \t]+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b", text
    ):
        after.setdefault(first, Counter())[word] += 1
    lowered = {f.lower() for f in firsts}
    chosen: dict[str, tuple[str, int]] = {}
    for first, words in after.items():
        surname, n = words.most_common(1)[0]
        low = surname.lower()
        if not (
            n < _SURNAME_SHARE * sum(words.values())
            or low in NOT_NAMES
            or low in lowered
            or title_key(surname) is not None
        ):
            chosen[first] = (surname, n)
    taken = Counter(surname for surname, _n in chosen.values())
    chosen = {first: found for first, found in chosen.items() if taken[found[0]] == 1}
    if not chosen:
        return []
    uses = Counter(
        re.findall(rf"\b({'|'.join(re.escape(s) for s, _n in chosen.values())})\b", text)
    )
    return [f"{first} {surname}" for first, (surname, n) in chosen.items() if uses[surname] > n]


_CLIP_MIN = 3  # letters a short form shares with the start of the name, at least
_CLIP_END = 2  # letters of its own a short form may end on ("Tsukki" for Tsukishima)
_CLIP_TAIL = 4  # letters of a short form taken from a name's end, at least ("Noya")
_CLIP_CROWD = 24  # header names sharing those letters, at most, for a short form to clip
_GIVEN_CLIP = 3  # letters a name must have beyond a given name that clips it ("Sam")
_GIVEN = FEMALE_NAMES | MALE_NAMES | frozenset(PETS)


def clipped(short: str, word: str) -> bool:
    """Whether `short` is a fandom's clipped form of the name `word`: "Cas" of Castiel,
    "Suga" of Sugawara, "Tsukki" of Tsukishima, "Buck" of Bucky, "Noya" of Nishinoya
    (its end, of four letters or more); a given name only as the start of a name
    three letters longer ("Sam" of Samwise; "Jane" is no clipped Janet)."""
    low, full = short.lower(), word.lower()
    if low in NOT_NAMES or len(full) <= len(low):
        return False
    if low in _GIVEN and (len(full) < len(low) + _GIVEN_CLIP or not full.startswith(low)):
        return False  # "Sam" of Samwise, not "Jane" of Janet nor "Noya" of a Tanoya
    if len(low) >= _CLIP_TAIL and full.endswith(low):
        return len(full) >= len(low) + _CLIP_END
    shared = 0
    for a, b in zip(low, full, strict=False):
        if a != b:
            break
        shared += 1
    if shared == len(low) >= _CLIP_MIN:
        return True  # all of it ("Buck" of Bucky)
    # ...or its start, then letters of its own: the name is longer ("Bath" is no Bates).
    return shared >= max(_CLIP_MIN, len(low) - _CLIP_END) and len(full) >= len(low) + _CLIP_END


def clipped_owners(
    header_words: Sequence[tuple[int, frozenset[str]]],
) -> Callable[[str], int | None]:
    """A lookup of the one header character (of `header_words`: index, words) whose
    name a short form clips, if one. Only the names that share its first three letters
    or last four are tried: a header of thousands of names is not read for each."""
    starts: dict[str, list[tuple[int, str]]] = {}
    ends: dict[str, list[tuple[int, str]]] = {}
    for index, words in header_words:
        for word in words:
            low = word.lower()
            starts.setdefault(low[:_CLIP_MIN], []).append((index, word))
            ends.setdefault(low[-_CLIP_TAIL:], []).append((index, word))

    def owner(short: str) -> int | None:
        low = short.lower()
        near = starts.get(low[:_CLIP_MIN], []) + ends.get(low[-_CLIP_TAIL:], [])
        if len(near) > _CLIP_CROWD:
            return None  # dozens of names share its letters: no telling which it clips
        owners = {index for index, word in near if clipped(short, word)}
        return owners.pop() if len(owners) == 1 else None

    return owner


# AO3's categories of a work's relationships: one alone says the gender of everyone in
# its romantic ("/") pairings.
_ONE_CATEGORY = {"m/m": "M", "f/f": "F"}


def paired_genders(categories: Iterable[str], relationships: Iterable[str]) -> dict[str, str]:
    """The gender of each name in a "/" relationship where the header's categories are
    M/M (or F/F) and Gen alone: "Category: M/M" and "Castiel/Dean Winchester" make
    Castiel a man, though the story's pronouns after his name are too few to say.
    (Authors tick one category over a past pairing too: the caller lets a title, a
    first name or three pronouns overrule it.)"""
    found = {c.strip().lower() for c in categories} - {"gen", ""}
    if len(found) != 1 or (gender := _ONE_CATEGORY.get(found.pop(), "")) == "":
        return {}
    # Only the "/" of a relationship: in "Sherlock Holmes/John Watson & Mary
    # Morstan" Mary is a friend.
    pairings = [
        part
        for value in relationships
        for part in re.split(r"\s*&\s*", value)
        if "/" in _READER.sub("", part)
    ]
    return {name: gender for name in header_names([], pairings)}


def join_clipped(cast: Cast, learnt: dict[str, int]) -> None:
    """A one-word name the text uses that clips one header character's name ("Cas"
    for Castiel, "Suga" for Sugawara Koushi) is that character's, not a newcomer's,
    unless the two talk with each other (Marc answering Marcus: two people)."""
    header_words = [(i, c.words) for i, c in enumerate(cast.characters) if c.from_header]
    if not header_words:
        return
    owner_of = clipped_owners(header_words)
    # (A header name's own word clips no other: "Herc" is Herc Hansen's, not Hermann's.)
    whole = {word.lower() for _index, words in header_words for word in words}
    for name in learnt:
        words = name_words(name)  # ("Noya-senpai": Noya)
        if " " not in name and name not in cast.by_alias and len(words) == 1:
            if words[0].lower() in whole:
                continue
            owner = owner_of(words[0])
            if owner is None:
                continue
            own = cast.characters[owner].words
            talks_with: Counter[str] = cast.talking.get(name, Counter())
            if not any({w.lower() for w in name_words(other)} <= own for other in talks_with):
                cast.also_named(owner, name)


# Tags that say a character never speaks: "Silent Link", "Morn Never Says A Word", "Link
# Doesn't Talk", of a name the header gives whole; "Silent Protagonist" is the header's
# most named character's. (Not "Mute", "Selectively Mute" nor "Nonverbal": such
# characters often sign in quotes, see signing_characters; nor "Silent Hill" of a
# header's Maria Hill.)
_SILENT_BEFORE = re.compile(r"(?i)^silent\s+(?P<name>.+)$")
_SILENT_AFTER = re.compile(
    r"(?i)^(?P<name>.+?)\s+(?:is\s+silent|never\s+(?:says\s+a\s+word|speaks|talks)|"
    r"(?:doesn['’]?t|does\s+not|can['’]?t|cannot)\s+(?:talk|speak))$"
)
_SILENT_PROTAGONIST = re.compile(r"(?i)^silent\s+(?:protagonist|main\s+character)$")
_TAGS_READ = 75  # of a header's tags, the first read (AO3 allows 75)
_TAG_MAX = 150  # characters of a tag, at most, that can name one who never speaks


_GROUP = re.compile(
    r"\b(?:team|club|gang|pirates|family|circle|class|squad|crew|party|thieves|senshi|council|"
    r"society|guild|army|brigade|unit|band|members|friends|kids|boys|girls)"
    r"(?:\s+of\s+(?:the\s+)?[\w-]+)?(?:\s*\([^)]*\))?$|^(?:team|class)\s"
)


def _header_whole(cast: Cast, header: Sequence[str]) -> dict[str, int]:
    """Each header name, and each of "A | B", as written (in lower case): its character."""
    whole: dict[str, int] = {}
    for name in header:
        for part in name.split("|"):
            who = cast.by_alias.get(part.strip())
            if who is not None:
                whole.setdefault(part.strip().lower(), who)
    return whole


def _tag_names(tags: Sequence[str], patterns: Sequence[re.Pattern[str]]) -> Iterator[str]:
    """The name (in lower case, without a fandom's brackets) each tag of the header
    gives where one of `patterns` matches it whole."""
    for tag in tags[:_TAGS_READ]:
        if len(tag) > _TAG_MAX:
            continue
        tag = " ".join(tag.split())
        match = next((m for p in patterns if (m := p.match(tag)) is not None), None)
        if match is not None:
            yield re.sub(r"\s*\([^)]*\)", "", match.group("name")).strip().lower()


def silent_characters(
    cast: Cast, tags: Sequence[str], header: Sequence[str], mentions: Sequence[int]
) -> set[int]:
    """The characters the header's tags say never speak, and the groups it lists
    (`header`: its character names, as header_names gives them; `mentions`: how often
    the text names each character)."""
    whole = _header_whole(cast, header)
    # A group the header lists ("Ouran High School Host Club", "Team 7"): no one voice.
    found: set[int] = {who for name, who in whole.items() if _GROUP.search(name)}
    if whole and any(_SILENT_PROTAGONIST.match(" ".join(t.split())) for t in tags[:_TAGS_READ]):
        found.add(max(sorted(set(whole.values())), key=lambda i: mentions[i]))
    found.update(whole[n] for n in _tag_names(tags, (_SILENT_BEFORE, _SILENT_AFTER)) if n in whole)
    return found


# "Nonverbal Frisk", "Mute Jaskier", "Dusa Is Mute": what is in quotes is never theirs
# but where a tag says so ("“Thanks,” Frisk signs").
# ("Selectively Mute Frisk" speaks at times: no such tag.)
_NONVERBAL_BEFORE = re.compile(r"(?i)^(?:non-?verbal|mute)\s+(?P<name>.+)$")
_NONVERBAL_AFTER = re.compile(
    r"(?i)^(?P<name>.+?)\s+(?:is\s+(?:non-?verbal|mute)|uses\s+sign\s+language)$"
)


def signing_characters(cast: Cast, tags: Sequence[str], header: Sequence[str]) -> set[int]:
    """The characters the header's tags say do not speak aloud ("Nonverbal Frisk")."""
    whole = _header_whole(cast, header)
    names = _tag_names(tags, (_NONVERBAL_BEFORE, _NONVERBAL_AFTER))
    return {whole[n] for n in names if n in whole}


# "Ravi Calls Pip Sarge", "Carmilla Calls Laura Cupcake": whom a tag says one character
# calls what (the nickname capitalised and short, as a name is).
_CALLS = re.compile(r"^(?P<caller>\S.*?)\s+[Cc]alls\s+(?P<rest>\S.*)$")
_NICKNAME = re.compile(r"^[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?$")


# "Uncle Iroh Is a Good Uncle": a tag that opens with a word of kin and a character's
# name, what the prose calls that character ("Uncle was right.").
_KIN_WORDS = "|".join(w.capitalize() for w in ("uncle", "aunt", *ELDER_TITLES))
_KIN_NAMED = re.compile(rf"^(?P<kin>{_KIN_WORDS})\s+(?P<name>[A-Z][\w'’-]*)\b")


def tag_nicknames(cast: Cast, tags: Sequence[str]) -> None:
    """File the nicknames the header's tags give ("Ravi Calls Pip Sarge", "Uncle
    Iroh") under the character they name, before the text's names are learnt: the
    prose's "Sarge" is Pip, not a newcomer."""
    kin_of: dict[str, set[int]] = {}  # each word of kin, whom the tags give it to
    for tag in tags[:_TAGS_READ]:
        kin = _KIN_NAMED.match(tag)
        if kin is not None and (who := _known(cast, kin.group("name"))) is not None:
            kin_of.setdefault(kin.group("kin"), set()).add(who)
        found = _CALLS.match(" ".join(tag.split())) if len(tag) <= _TAG_MAX else None
        if found is None or _known(cast, found.group("caller")) is None:
            continue
        words = found.group("rest").split()
        for cut in range(len(words) - 1, 0, -1):
            who = _known(cast, " ".join(words[:cut]))
            nickname = " ".join(words[cut:])
            if who is not None:
                # (Not "Ravi Calls Pip Out" nor "… At Midnight": a word that is no name.)
                if _NICKNAME.match(nickname) and not {
                    w.lower() for w in nickname.split()
                } & NOT_NAMES:
                    cast.also_called(who, nickname)
                break
    for word, owners in kin_of.items():
        # (Not where two tags disagree, "Uncle Sirius", "Uncle Remus", nor where the
        # header has an Uncle of its own: "Uncle Arthur" is what Jack calls Arthur.)
        if len(owners) == 1 and not any(c.name.split(" (")[0] == word for c in cast.characters):
            cast.also_called(owners.pop(), word)


# "Dusa Is Trying Her Best", "Sojiro Knows More Than He Lets On", "Link and His Own
# Sword": a tag that opens with a name and says "he" or "she" of them, in the shapes that
# can only mean them ("his" or "her" elsewhere is often someone else's: "Draco Is Her
# Brother", "Hermione Steals His Jumper"; so is "he" after a verb: "Ginny Thinks He Is
# Cute").
_TAG_PRONOUN = re.compile(
    r"\s(?:(?:Trying|Tries|Try|Does|Doing|Did)\s+(?P<best>His|Her)\s+Best"
    r"|(?P<own>His|Her)\s+Own"
    r"|(?:But|And|Than|As|Because|When|Until|Before|If|Though|While|Unless)\s+(?P<he>He|She))\b"
)


def tag_genders(cast: Cast, tags: Sequence[str]) -> dict[int, str]:
    """The gender the header's tags give the character each opens with, where they
    agree: the last word on a character whose pronouns the text seldom shows."""
    found: dict[int, set[str]] = {}
    for tag in tags[:_TAGS_READ]:
        if len(tag) > _TAG_MAX:
            continue
        pronoun = _TAG_PRONOUN.search(tag)
        if pronoun is None:
            continue
        said = pronoun.group("best") or pronoun.group("own") or pronoun.group("he")
        words = tag[: pronoun.start()].split()
        for cut in range(min(3, len(words)), 0, -1):
            who = _known(cast, " ".join(words[:cut]))
            if who is not None:
                # (None of the cast between: "Ron Gives Harry His Jumper".)
                if not any(_known(cast, w) is not None for w in words[cut:] if w[:1].isupper()):
                    found.setdefault(who, set()).add(pronoun_gender(said))
                break
    return {who: genders.pop() for who, genders in found.items() if len(genders) == 1}


def _known(cast: Cast, name: str) -> int | None:
    """The character `name` is, as the cast knows it or as it fits one only ("Pip")."""
    who = cast.by_alias.get(name)
    return who if who is not None else cast.only_fit(name)


# AO3's tag for someone known by whose kin they are: "Hino Rei's Grandfather",
# "Midoriya Izuku's Mother". The owner's words are not this character's names: "Rei"
# is Rei.
_KIN_TAG = re.compile(r"^(?P<owner>\S.*?)['’]s\s+(?P<kin>[A-Za-z][\w-]*)$")
_KIN_GENDER = {**NOUN_GENDER, **ELDER_TITLES}  # ("Grandfather", "Grandpa")


def kin_tag(name: str) -> tuple[str, str, str] | None:
    """(owner, kin, gender) of a header name of someone's kin ("Hino Rei's Grandfather":
    ("Hino Rei", "Grandfather", "M")), or None."""
    found = _KIN_TAG.match(name)
    if found is None:
        return None
    kin = found.group("kin")
    return found.group("owner"), kin, _KIN_GENDER.get(kin.lower(), "")


def kin_forms(owner: str, kin: str) -> list[str]:
    """How a story names someone's kin: "Rei's grandfather", "Hino Rei’s Grandfather"."""
    owners = {owner, owner.split()[-1]}
    return [f"{o}{mark} {k}" for o in owners for mark in ("'s", "’s") for k in {kin, kin.lower()}]
