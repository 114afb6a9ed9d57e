"""The cast of a story: who may speak, by which names, and with which pronoun.

Names come first from the header (`Characters:`, `Relationships:`), then from the
text (learn.py: subjects of speech tags, titled names, capitalised words that recur
as sentence subjects). Names are clustered into characters (Darcy and
Mr. Darcy; Lizzy and Elizabeth; but Mr. Weston and Mrs. Weston stay two people), and
each character's pronoun is learnt from the pronouns that follow its names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from tuific.speakers.character import (
    Character,
    first_name_fits,
    fullness,
    name_fits,
    other_gender,
    split_name,
)
from tuific.speakers.names import (
    ADDRESS_WORDS,
    ELDER_TITLES,
    FANDOM_NICKNAMES,
    HONORIFICS,
    NOT_MODAL,
    NOT_NAMES,
    PET_WORDS,
    PETS,
    WORD_NAMES,
    name_words,
    title_key,
)
from tuific.speakers.roles import ROLE_GENDER, RoleOwners
from tuific.speakers.wordsre import word_tree


class Cast:
    """Characters and a regex that finds their names in text."""

    def __init__(self) -> None:
        self.characters: list[Character] = []
        self.by_alias: dict[str, int] = {}
        self.newcomers: dict[str, int] = {}  # "the old man": see newcomers
        self.epithets: dict[str, int] = {}  # "the Handler": see fandom_aliases
        self.whole_only: set[str] = set()  # aliases whose words are no names of their own
        self.described: dict[str, int] = {}
        # The character a role noun is, where the text gives it a name ("courier": 3).
        self.roles = RoleOwners(())
        # How many more roles ("said the merchant") the narration may name as
        # "the merchant": fan fiction's (analyse sets it); on the PDNC novels, whose
        # roles are more often someone named, it cost 10 quotations.
        self.role_mentions = 0
        self._surnames: dict[str, list[int]] | None = None  # see kin
        # The characters whose names hold each word: the only ones a name can fit
        # (a long story learns hundreds of names; trying each against every
        # character grew with the square of the cast).
        self._by_word: dict[str, set[int]] = {}
        self._regex: re.Pattern[str] | None = None
        self._titles: dict[str, set[int]] | None = None  # see titled
        # The gender the text's pronouns give a first name ("" when they do not
        # say): set by build_cast, asked only where a title meets a first name that
        # says no gender of its own (see add).
        self.text_gender: Callable[[str], str] | None = None
        # How often the text uses each word alone as a name (set by build_cast).
        self.usage: dict[str, int] = {}
        # How often each name talks with each other (learn_names; see add).
        self.talking: dict[str, Counter[str]] = {}
        self.reader: int | None = None  # the "You" a reader-insert writes "Y/N" for

    def add(self, name: str, from_header: bool = False, count: int = 0) -> int | None:
        """File a name under the character it fits, or make a new one; its index."""
        name = " ".join(name.split())
        if name in self.by_alias:
            return self.by_alias[name]
        if len(name) > NAME_MAX:
            return None  # no one's name (and the regex of names grows a level a letter)
        if " " not in name and not from_header and (titled_one := self.titled(name)) is not None:
            # "Mademoiselle" alone: the one character of that title (Mademoiselle Reisz).
            return self._file(titled_one, name, count)
        gender, words, social = split_name(name)
        titled = len(words) < len(name.split())
        if not words or (words <= NOT_NAMES and not titled):
            return None
        if not from_header and words <= ADDRESS_WORDS:
            return None  # ("Sempai": Meryl, as Milly calls her)
        chars = self.characters
        fits = [i for i in self._near(words) if name_fits(gender, words, chars[i], social)]
        if gender and (read := self.text_gender) is not None:
            # "Lady St Cloud" fits Reggie St Cloud by its words, but the text calls
            # Reggie "he": his mother, not him (a merge would make him "she").
            fits = [i for i in fits if not other_gender(read, chars[i], gender, words)]
        if titled and all(title_key(w) is not None for w in words):
            # "Madame General" is the General's wife, not the General of the header.
            fits = [i for i in fits if not all(title_key(w) for w in chars[i].words - {"the"})]
        if titled and len(words) == 1 and title_key(name.split()[0]) in ELDER_TITLES:
            # "Grunkle Stan" is the header's Stanley Pines, "Grandpa Pines" his elder
            # ("Aunt Norris" is Mrs. Norris, as of old: aunt and uncle are no elder titles).
            fits = [i for i in fits if first_name_fits(words, chars[i])]
        if titled and len(words) == 1 and name in self.talking:
            # "Mrs. Weasley" talks with Ginny: she is not Ginny Weasley (her mother).
            fits = [i for i in fits if not self._talks_with(name, chars[i], words)]
        if len(fits) > 1:
            # Tom is Tom Bertram before it is Sir Thomas (a pet form of Thomas).
            fits = [i for i in fits if words <= self.characters[i].words] or (
                # ...and "Yurio" is neither of two header Yuris: a fandom's nickname of
                # a first name two header characters share is a newcomer.
                []
                if words <= FANDOM_NICKNAMES and sum(chars[i].from_header for i in fits) > 1
                else fits
            )
        if len(fits) > 1:
            # Darcy fits Mr. Darcy and Mr. Fitzwilliam Darcy: the nearest fit wins.
            exact = [i for i in fits if self.characters[i].words == words]
            men = [i for i in fits if self.characters[i].gender == "M"]
            if len(men) > 1:
                # Tilney: Henry Tilney (of the header, or Mr. Tilney), not Captain or
                # General Tilney.
                men = (
                    [i for i in men if chars[i].from_header]
                    or [i for i in men if chars[i].social in ("", "mr")]
                    or men
                )
            if len(name.split()) == 1 and len(men) == 1:
                # A bare surname (Thorpe, Morland) is, in narration, the man's.
                fits = men
            else:
                fits = exact or sorted(fits, key=lambda i: self._rank(i, words))[:1]
        if not fits and len(words) > 1:
            # A fuller name takes in the character of its first name (Emma -> Emma
            # Woodhouse), not of its surname (Mr. Knightley is not John Knightley).
            first = frozenset(name_words(name)[len(name_words(name)) - len(words) :][:1])
            fits = [
                i
                for i in sorted(self._by_word.get(next(iter(first)), ()))
                if chars[i].words == first and name_fits(gender, first, chars[i], social)
            ][:1]
            for i in fits:
                chars[i].words = chars[i].words | words
                chars[i].name_gender = None  # (its words changed)
                self._index(i)
        if fits and not (from_header and self.characters[fits[0]].from_header):
            index = fits[0]
            char = self.characters[index]
            char.title_gender = char.title_gender or gender
            char.social = char.social or social
        else:
            index = len(self.characters)
            char = Character(name, words, gender, social, from_header)
            self.characters.append(char)
            self._index(index)
        return self._file(index, name, count)

    def also_called(self, index: int, form: str) -> None:
        """The text calls character `index` `form` too ("the cat"): find it there."""
        if form not in self.by_alias and len(form) <= NAME_MAX:
            self._file(index, form, 0)

    def add_nameless(self, name: str, from_header: bool = False, gender: str = "") -> int:
        """A character the text never names (a story's "I", a header's "Hino Rei's
        Grandfather"), shown as `name`: no alias finds it in the text until one is
        given (also_called); `gender`: a title's or a noun's."""
        self.characters.append(Character(name, frozenset(), gender, from_header=from_header))
        return len(self.characters) - 1

    def also_named(self, index: int, name: str) -> None:
        """Character `index` has another name too ("Lan Wangji" for Lan Zhan): it and
        its words find the character."""
        words = split_name(name)[1]
        if name in self.by_alias or not words or words <= NOT_NAMES or len(name) > NAME_MAX:
            return
        char = self.characters[index]
        for word in words - char.words:  # (only the new words: see _index)
            self._by_word.setdefault(word, set()).add(index)
        char.words = char.words | words
        char.name_gender = None  # (its words changed)
        self._surnames = None
        self._file(index, name, 0)

    def _file(self, index: int, name: str, count: int) -> int:
        """`name` (learnt `count` times) is an alias of character `index`."""
        char = self.characters[index]
        char.aliases.add(name)
        char.counts[name] = count
        self.by_alias[name] = index
        self._regex = self._titles = self._surnames = None
        return index

    def _talks_with(self, name: str, char: Character, words: frozenset[str]) -> bool:
        """Whether a titled name (`name`, its `words`) talks with a name of `char` that
        has no title and none of its words (Mrs. Weasley with Ginny; see learn._talking)."""
        for other in self.talking[name]:
            other_words = split_name(other)[1]
            if (
                other_words
                and len(other_words) == len(other.split())
                and other_words <= char.words
                and not other_words & words
            ):
                return True
        return False

    def _rank(self, index: int, words: frozenset[str]) -> tuple[int, int]:
        """Which of several characters a shorter name means: the one with the fewest
        words; then the one the text calls by its other names least. John Beaver is
        "Beaver" all through, so "John" is John Andrew."""
        char = self.characters[index]
        usage = self.usage
        return len(char.words), sum([usage.get(w, 0) for w in char.words - words])

    def kin(
        self, who: int, gender: str = "", generation: int = 0, itself: bool = False
    ) -> tuple[int, ...]:
        """The characters of `who`'s surname, of `gender` when it is known ("Mrs.
        Elton" of "Mr. Elton"). At most _KIN of them, the most named first (thousands
        of Smiths name none better). Of the elder `generation` (1: "his mother") the
        ones the text gives a title ("Mrs. Weasley", not Ginny) when there are any; of
        the younger (-1: "her son") the ones it gives none. `itself`: `who` too, if it
        has an elder's title ("said their mother" right after "said Lady Bridgerton")."""
        if self._surnames is None:
            # Every character under its surname, once, the most named first (a story of
            # thousands of "said his mother" asks each time).
            self._surnames = {}
            chars = self.characters
            for i in sorted(range(len(chars)), key=lambda i: -chars[i].mentions):
                surname = self._surname(i)
                if surname:
                    self._surnames.setdefault(surname, []).append(i)
        surname = self._surname(who)
        if not surname:
            return ()  # a first name alone: no surname to go by
        found: list[int] = []
        for i in self._surnames.get(surname, ())[:_KIN_READ]:
            char = self.characters[i]
            if (i != who or (itself and self.is_elder(i))) and not (
                gender and char.gender and char.gender != gender
            ):
                found.append(i)
                if len(found) == _KIN:
                    break
        if generation:
            found = [i for i in found if self.is_elder(i) == (generation > 0)] or found
        return tuple(found)

    def is_elder(self, index: int) -> bool:
        """Whether the text gives the character a title of the elder generation ("Mrs.
        Weasley", "Lady Bridgerton"; not "Miss Eloise" nor "Master Tom")."""
        social = self.characters[index].social
        return bool(social) and social not in _YOUNG_TITLES

    def _surname(self, index: int) -> str:
        """The last word of the character's name, when it has a title or two words
        ("Mrs. Elton", "Dean Winchester"); "" for a first name alone. (A header's
        "Emma" whom the text calls "Emma Woodhouse" too goes by "emma", her shown
        name's: filing her under "woodhouse", her fullest alias's, lost 6 quotations
        on the PDNC development novels, 12 after a refit.)"""
        char = self.characters[index]
        words = name_words(char.name)
        return words[-1] if words and (len(words) > 1 or len(char.words) > 1) else ""

    def titled(self, title: str, styled: bool = False) -> int | None:
        """The one character whose names carry this title ("the Major"), if one;
        `styled`: or of several, the one named far more often than the others."""
        key = title_key(title)
        if key is None:
            return None
        if self._titles is None:
            # Each title's characters, read from every alias once (until a name is
            # added): looking through the whole cast for each tag grew with its size.
            self._titles = {}
            for i, c in enumerate(self.characters):
                for a in c.aliases:
                    owner = title_key(a.split()[0])
                    if owner is not None:
                        self._titles.setdefault(owner, set()).add(i)
        found = self._titles.get(key, ())
        if len(found) == 1:
            return next(iter(found))
        if styled and found:
            # "her ladyship": the Lady the story has named most so far, by far.
            ranked = sorted(found, key=lambda i: -self.characters[i].mentions)
            first, second = (self.characters[i].mentions for i in ranked[:2])
            if first and first >= 2 * second:
                return ranked[0]
        return None

    def called_by_noun(self, noun: str) -> int | None:
        """The header's character whose whole name is this common noun ("Cat", "Dog":
        a fable's, a fic's animals), which the text calls "the cat"."""
        index = self.by_alias.get(noun.capitalize())
        if index is None:
            return None
        char = self.characters[index]
        return index if char.from_header and char.name.lower() == noun else None

    def describe(self, description: str) -> int:
        """A character known only by a description in tags ("the solicitor"): a name
        for it, and no alias to look for in the text but a fic's "the merchant" (see
        role_mentions)."""
        words = description.split()
        name = " ".join(w.capitalize() for w in words)
        index = self.described.get(name)
        if index is None:
            index = self.described[name] = len(self.characters)
            gender = ROLE_GENDER.get(words[-1], "")  # ("the waitress")
            self.characters.append(Character(name, frozenset(name_words(name)), gender))
            self._index(index)
            if self.role_mentions and len(words) == 2 and words[0] == "the":
                # "The merchant spread her hands. “…”": from here on the narration's
                # "the merchant" is this character (each new one rebuilds the names'
                # pattern, hence the limit: a story of thousands of roles).
                self.role_mentions -= 1
                form = " ".join(words)  # (as the text may write it, on one line)
                for alias in (form, form.capitalize()):
                    self.also_called(index, alias)
        return index

    def _index(self, index: int) -> None:
        self._surnames = None  # (see kin: a new character, or new words of one)
        for word in self.characters[index].words:
            self._by_word.setdefault(word, set()).add(index)

    def finish(self) -> None:
        """Add the short forms of every name (first name, surname, title + surname,
        pet forms) where they point to one character only."""
        short: dict[str, set[int]] = {}
        for index, char in enumerate(self.characters):
            for alias in list(char.aliases):
                if alias in self.whole_only:
                    continue  # ("the Boy Who Lived" gives Harry no "Boy")
                parts = [w for w in alias.split() if title_key(w) is None]
                forms: set[str] = set()
                if len(parts) > 1:
                    forms.update(
                        p
                        for p in parts
                        if p.lower() not in NOT_NAMES
                        or (char.from_header and p.lower() in WORD_NAMES)
                    )
                for p in parts[:1]:
                    for pet in PETS.get(p.lower(), ()):
                        if pet not in PET_WORDS:
                            forms.add(pet.capitalize())
                for form in forms:
                    if form not in self.by_alias:
                        short.setdefault(form, set()).add(index)
        for form, owners in short.items():
            if len(owners) == 1:
                index = owners.pop()
                self.by_alias[form] = index
                self.characters[index].aliases.add(form)
        for index, char in enumerate(self.characters):
            if char.from_header:
                # "A-Yuan" for Lan Yuan: the Chinese diminutive before a given name,
                # as danmei fics write it.
                for alias in list(char.aliases):
                    if " " not in alias and "-" not in alias:
                        self.by_alias.setdefault(f"A-{alias}", index)
        for char in self.characters:
            if not char.from_header:
                char.name = max(char.aliases, key=lambda a: fullness(a, char.counts))
                char.name_gender = None
        self._regex = self._titles = self._surnames = None

    @property
    def regex(self) -> re.Pattern[str]:
        """Every alias, whole words only; at one place the longest wins."""
        if self._regex is None:
            # A tree of the names (see wordsre): the engine skips to their first letters.
            # A hyphen joins a name to a word ("Grant-Menzies"), a double one is a
            # dash ("together.--Emma took"), which a name may stand against, and so
            # may an honorific ("Yui-chan": Yui).
            # (The check once after the tree, not after each of its names: a story of
            # thousands of names made a pattern fifteen times as long, and as slow to
            # compile.)
            names = word_tree(self.by_alias, r"(?:\w|(?<!-)-)", "")
            self._regex = re.compile(rf"(?:{names})(?!\w|-(?!-|{HONORIFICS}(?![\w-]))){NOT_MODAL}")
        return self._regex

    def only_fit(self, name: str) -> int | None:
        """The one character a name the text has not used fits ("Lacey" for Miss
        Lacey), without filing it; None when none or several do."""
        gender, words, social = split_name(name)
        chars = self.characters
        fits = [i for i in self._near(words) if name_fits(gender, words, chars[i], social)]
        return fits[0] if len(fits) == 1 else None

    def _near(self, words: frozenset[str]) -> list[int]:
        """The characters, in order, whose names hold one of `words`, or a formal name of
        a one-word name's pet form ("Pip": Pippa): the only ones a name can fit."""
        near: set[int] = set()
        for word in words:
            near.update(self._by_word.get(word, ()))
            if len(words) == 1:
                for pet in PETS.get(word, ()):
                    near.update(self._by_word.get(pet, ()))
        return sorted(near)

    def lookup(self, name: str) -> int | None:
        """The character a name found in a tag refers to, by the longest start of it the
        cast knows ("Emma Woodhouse's"), or None."""
        name = " ".join(name.split())
        found = self.by_alias.get(name)
        if found is not None:
            return found
        words = name.split()
        # "Emma Woodhouse's" or a tag name run into a following capitalised word.
        for cut in range(len(words) - 1, 0, -1):
            found = self.by_alias.get(" ".join(words[:cut]))
            if found is not None:
                return found
        return None


NAME_MAX = 100  # characters in a name, at most (AO3's limit for a tag)
_YOUNG_TITLES = frozenset(("miss", "master", "mademoiselle"))
_KIN = 8  # characters of one surname that a kin description makes candidates, at most
_KIN_READ = 50  # ...of the most named of that surname
