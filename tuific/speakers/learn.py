"""The names a story's text uses for people, with how often: what the cast is built from.

Subjects of speech tags count most; titled names (Mr. Darcy, Miss Bates) and
capitalised words that recur as sentence subjects count too, less the ordinary words
that are capitalised only where sentences start (common.py). Also noted: which
names talk with which in back-to-back speech (see learn_names), so that a mother
called by title is not taken for her daughter of the same surname.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from tuific.speakers.common import common_words
from tuific.speakers.names import (
    NOT_NAMES,
    SOCIAL_TITLES,
    SPEECH_VERBS,
    TITLE_RE,
    TITLE_WORDS,
    name_words,
    title_key,
)
from tuific.speakers.wordsre import word_tree

# The letters of a name after its first: lower case, apostrophes and hyphens, and at
# most one capital inside, after Mc, Mac, or a first O' or D' ("McBryde", "MacLeod",
# "O'Brien", "D'Arcy"). One, not any number: "McMcMc…" as one name would make every
# capital in a hostile paragraph start a match that runs to its end. Not after a
# hyphen: "said Harry-Ginny rolled her eyes" is a dash between two names, and a
# header's "Jean-Luc" is found as written (the cast's own regex).
_LOWER = r"[a-zà-öø-ÿ'’\-]"
_INNER_CAPITAL = r"(?:(?<=Mc)|(?<=Mac)|(?<=\b[OD]['’]))[A-Z]"
_INNER = rf"{_LOWER}*(?:{_INNER_CAPITAL}{_LOWER}*)?"
_CAP = rf"[A-Z]{_INNER}[a-zà-öø-ÿ]"
NAME_RE = rf"(?:{TITLE_RE}\s+)?{_CAP}(?:\s+{_CAP}){{0,2}}"
# Each pattern that scans whole paragraphs starts by consuming a character (a capital,
# or a title's first letter from a tree of titles), with any check on what stands
# before it after that: the regex engine then skips to the next such character instead
# of trying every position (a pattern that opens with a lookaround tries them all).
_TITLE_TREE = word_tree(TITLE_WORDS, r"\w")  # a title, as a tree (see wordsre)
_TITLED = re.compile(rf"{_TITLE_TREE}\s+{_CAP}(?:\s+{_CAP})?")
# Right after a closing mark ("…," said Emma): starting on the mark lets the regex
# engine skip ahead to the next quote mark instead of trying every position.
_TAG_AFTER = re.compile(rf"[”\"’'»]\s*(?:{SPEECH_VERBS})\s+({NAME_RE})")
# (A name, title or not, opens on a capital: looking for one first fails fast after
# most commas, before the titles are tried one by one.)
_TAG_BEFORE = re.compile(rf"[,!?]\W?\s+(?=[A-Z])({NAME_RE})\s+(?:{SPEECH_VERBS})\b")
_SUBJECT_VERBS = (
    r"was|had|would|could|did|looked|turned|felt|saw|went|came|thought|knew|smiled|laughed|"
    r"sat|stood|took|gave|made|seemed|said|replied|answered|asked|cried"
)
# A capital at the paragraph's start or after "[a-z,;.!?] " (checked once it is read).
_CAP_SUBJECT = rf"[A-Z](?:(?<=[a-z,;.!?] .)|(?<=^.)){_INNER}[a-zà-öø-ÿ]"
# Where white space must follow a name, the name is the whole run of its letters: read
# possessively, with its last letter checked after, it is not given back letter by
# letter each time the verb after it fails (the same matches, found faster).
_LAST = rf"{_LOWER}*+(?:{_INNER_CAPITAL}{_LOWER}*+)?+(?<=[a-zà-öø-ÿ])"
_SUBJECT = re.compile(
    rf"([A-Z](?:(?<=[a-z,;.!?] .)|(?<=^.)){_LAST}(?:\s+[A-Z]{_LAST})?)()\s+(?:{_SUBJECT_VERBS})\b"
)
# In a short story a name may occur once or twice: any verb in -ed, and "A and B".
_WIDE_VERBS = rf"{_SUBJECT_VERBS}|met|ran|began|found|held|kept|left|told|[a-z]+ed"
_SUBJECT_WIDE = re.compile(
    rf"({_CAP_SUBJECT}(?:\s+{_CAP})?)(?:\s+and\s+({_CAP}))?\s+(?:{_WIDE_VERBS})\b"
)
# ...and in a story told in the present tense, any verb in -s after a name that opens
# a sentence ("Marlene shrugs"; not "a face with Roman numerals").
_SENTENCE_SUBJECT = rf"[A-Z](?:(?<=[.!?] .)|(?<=[.!?][\"”’] .)|(?<=^.)){_INNER}[a-zà-öø-ÿ]"
_SUBJECT_PRESENT = re.compile(
    rf"({_SENTENCE_SUBJECT}(?:\s+{_CAP})?)(?:\s+and\s+({_CAP}))?\s+(?!was\b)[a-z]+s\b"
)
# A paragraph that opens on a name and its verb ("Ginny looked up. “Mum, …”"): in
# speech most often its speaker; in narration after speech, often who answers.
_OPENING_NAME = re.compile(rf"({NAME_RE})\s+[a-z]")
_QUOTED = re.compile(r"[\"“‘]|(?:^|\s)'\w")  # a quote mark, not an apostrophe
_PAIR = re.compile(rf"([A-Z](?<!\w.){_INNER}[a-zà-öø-ÿ])\s+({_CAP})\b")
# How many of a paragraph's tags are paired with each other (its tags after speech,
# then those before): a few people talk in a paragraph (at most 6 tags in any of the
# PDNC novels), and a hostile paragraph of thousands of tags made the pairs take minutes.
_TALKERS = 8
_SHORT = 300  # paragraphs: a story shorter than this may name a character only once
_PRESENT_TWICE = 2  # times a name must open a sentence before a verb in -s, alone
# A name called out in speech: "…, Casimir." / "Casimir, come here."
_VOCATIVE = re.compile(rf"(?:,\s+({_CAP})[.!?,]?[”\"’']|[“\"‘]({_CAP}),\s)")


def learn_names(
    texts: Sequence[str],
    min_count: int | None = None,
    talking: dict[str, Counter[str]] | None = None,
    speech: Sequence[bool] | None = None,
    present: bool = False,
) -> Counter[str]:
    """Names the text uses for people, with how often: tag subjects count most.

    A long story names its people again and again in tags, and wider patterns only
    add places and noise there (on the PDNC novels they cost six points). A short
    one may name a character once or twice: it counts each name once, and also
    learns names from any verb in -ed, "A and B", speech calling out to a name, and
    full names whose first name it knows. Either drops the ordinary words that these
    patterns catch where a sentence starts ("Rain ran…"; see common.py).

    `talking`, when given, counts the names that speak next to each other: each name ->
    how often a name is the speaker of a speech paragraph back to back with its own
    (the speakers as its tags name them, or, with no tag, the name that opens it; see
    Cast.add). `speech` says which paragraphs hold speech (the dialogue finder's); a
    quote mark decides without it; `present`: the story is told in the present tense."""
    short = len(texts) < _SHORT
    if min_count is None:
        min_count = 1 if short else 2
    subject = _SUBJECT_WIDE if short else _SUBJECT
    present = present and short
    counts: Counter[str] = Counter()
    said: set[str] = set()  # names after "said": where only a name is capitalised
    speakers: set[str] = set()  # names a tag gives as speaking ("said X", "X said")
    pairs: Counter[tuple[str, str]] = Counter()
    by_present: Counter[str] = Counter()  # of counts, how many by a verb in -s alone
    # The last paragraph's speakers (its tags, the name opening it), and whether speech.
    speaking: tuple[list[str], bool] = ([], False)
    for index, text in enumerate(texts):
        tagged: list[str] = []
        if '"' not in text and "“" not in text and "‘" not in text and "'" not in text:
            subjects = subject.findall(text) if text[:1].isupper() else ()
        else:
            for match in _TAG_AFTER.finditer(text):
                name = _trim(match.group(1))
                counts[name] += 3
                said.add(name)
                tagged.append(name)
            for match in _TAG_BEFORE.finditer(text):
                name = _trim(match.group(1))
                counts[name] += 3
                tagged.append(name)
            speakers.update(tagged)
            if short:
                for called in _VOCATIVE.findall(text):
                    counts[called[0] or called[1]] += 1
            subjects = subject.findall(text)
        if talking is not None:
            # (An apostrophe alone is no speech: "Molly didn't wait.")
            spoken = bool(tagged) or (
                speech[index] if speech is not None else bool(_QUOTED.search(text))
            )
            speaking = _talking(talking, speaking, tagged, text, spoken)
        if present:
            for name, other in _SUBJECT_PRESENT.findall(text):
                for found in (_trim(name), other):
                    if found:
                        by_present[found] += 1
                        counts[found] += 1
        for name, other in subjects:
            counts[_trim(name)] += 1
            if other:
                counts[other] += 1
        for name in _TITLED.findall(text):
            counts[_trim(name)] += 1
        if short:
            pairs.update(_PAIR.findall(text))
    for (first, last), count in pairs.items():
        last = _trim(last)
        if counts.get(first) and last.lower() not in NOT_NAMES:
            counts[f"{first} {last}"] += count
    # A verb in -s says less than one in -ed ("Tokyo is loud", "Instagram buzzes"): a
    # name it alone gives needs it twice.
    kept = {
        n: c
        for n, c in counts.items()
        if c >= min_count
        and _plausible(n, n in speakers)
        and not (by_present[n] == c and c < _PRESENT_TWICE)
    }
    families = _families(kept)
    kept = {n: c for n, c in kept.items() if n not in families}
    unsure = [n for n in kept if n not in said and title_key(n.split()[0]) is None]
    unsure.sort(key=lambda n: -kept[n])  # the commonest first (common_words' budget)
    common = common_words(texts, unsure)
    return Counter({n: c for n, c in kept.items() if n not in common})


def _families(names: dict[str, int]) -> set[str]:
    """The names that are a family's, the plural of a name beside them: the Westons,
    Miss Bertrams, Mr. Knightleys (brothers), who speak as no one person."""
    lasts = {n.split()[-1] for n in names}
    out = set()
    for name in names:
        last = name.split()[-1]
        if len(last) > 3 and last.endswith("s"):
            if last[:-1] in lasts or (last.endswith("es") and last[:-2] in lasts):
                out.add(name)
    return out


def _talking(
    talking: dict[str, Counter[str]],
    before: tuple[list[str], bool],
    tagged: list[str],
    text: str,
    spoken: bool,
) -> tuple[list[str], bool]:
    """Count in `talking` who talks with whom, where speech is on either side: the
    speakers of a speech paragraph (its `tagged` names and the name that opens it)
    with each other and with the names of the paragraph `before` (its speakers, or the
    name opening it, and whether it was speech), and the name opening a narration
    paragraph with the speakers just before it ("“…,” said Mrs. Hilbery. / Katharine
    looked up."). On the PDNC development novels a titled name and a first name of one
    person were never so paired: of such pairs 30 in one paragraph, 394 in speech
    paragraphs back to back, and 83 and 50 with a narration paragraph after or before
    the speech were two people. Returns (this paragraph's names, whether speech)."""
    opening = _OPENING_NAME.match(text)
    names = tagged[:_TALKERS] if spoken else []
    if opening is not None and not opening.group(1).endswith(("'s", "’s")):
        names.append(opening.group(1))
    others, before_spoken = before
    if not (spoken or before_spoken):
        others = []
    for i, name in enumerate(names):
        for other in (*others, *(names[i + 1 :] if spoken else ())):
            if other != name:
                talking.setdefault(name, Counter())[other] += 1
                talking.setdefault(other, Counter())[name] += 1
    return names, spoken


@lru_cache(maxsize=4096)  # a story names the same people again and again
def _trim(name: str) -> str:
    """A learnt name without its possessive or a leading adverb ("Presently Tony")."""
    words = name.replace("’s", "").replace("'s", "").split()
    while len(words) > 1 and (words[0].lower() in NOT_NAMES or words[0].endswith("ly")):
        if title_key(words[0]) is not None:
            break
        words.pop(0)
    return " ".join(words)


# The last word of most streets' and houses' names ("Summer Street", "Windy Corner",
# "the Avenue"): a name that ends in one is a place, unless a tag gives it as speaking
# (Della Street, Mr Square).
_PLACE_ENDS = frozenset("street avenue road square terrace crescent corner boulevard".split())
_VOWEL = re.compile(r"[aeiouyà-öø-ÿ]", re.IGNORECASE)
# Capitalised words that are no one, unless a tag gives them as speaking: numbers of
# two words and decades ("Nineteen-fifties", "Twenty-three"; Eleven of Stranger Things
# is a name), and adverbs that open a speech as a name would ("“Technically, …”",
# "Obviously"; the endings are long enough that no name ends so: Sally, Emily, Bently).
_NOT_A_NAME = re.compile(
    r"(?i:(?:\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-\w+"
    r"|\w+(?:ically|iously|ously|fully|lessly|ingly)$)"
)


def _plausible(name: str, speaks: bool = False) -> bool:
    """Whether a learnt name may be a person's; `speaks`: a tag gives it as speaking."""
    words = name_words(name)
    if len(words) > 1 and (title := title_key(words[0])) is not None:
        # Mrs Last, Miss Price, Mr Square: a title makes any word a name; but King
        # Street and Prince Square are streets.
        return speaks or title in SOCIAL_TITLES or words[-1].lower() not in _PLACE_ENDS
    if not speaks and _NOT_A_NAME.match(name):
        return False
    return (
        bool(words)
        and words[-1] not in NOT_NAMES
        and words[0] not in NOT_NAMES
        and (speaks or words[-1] not in _PLACE_ENDS)
        # "Shh", "Psst", "Brr": a sound, unless a tag gives it as speaking ("said Ng").
        and (speaks or _VOWEL.search(name) is not None)
        and "--" not in name  # speech broken off: "I--well, I never"
    )
