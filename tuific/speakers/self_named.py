"""A speech that gives its speaker's name ("I'm Anne", "My name is Harriet Lacey"):
as sure a tag as "said Anne"."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import islice

from tuific.speakers.cast import Cast
from tuific.speakers.common import lower_case_words
from tuific.speakers.learn import NAME_RE
from tuific.speakers.names import DEVICE_WORDS, NOT_NAMES, name_words, title_key
from tuific.speakers.newcomers import introduces_someone
from tuific.speakers.roles import ROLE_NOUNS
from tuific.speakers.turn import Tag

# A speech that gives its speaker's name: "I'm Anne", "Yes, I am Aziz", "My name is
# Harriet Lacey" (at the speech's start or after a mark; not "I am Emma's friend").
# (Opening on its words, not on a look back: the engine skips to the next "I" or "M".)
_SELF = re.compile(rf"(?:I\s+am|I['’]m|[Mm]y\s+name\s+is)\s+({NAME_RE})(?![\w'’-])")
# ...without "my name is", for speech without "name": the search then skips to an "I"
# alone, not also to every m.
_SELF_I = re.compile(rf"(?:I\s+am|I['’]m)\s+({NAME_RE})(?![\w'’-])")
# ...giving a full name, opening a speech or after a sentence's end (see introduced_names).
# (Opening on its words: the engine skips to the next "I" or "M"; what stands before
# is tested after.)
_SELF_FULL = re.compile(
    r"(?:I\s+am|I['’]m|My\s+name\s+is)\s+"
    r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w'’-])"
)
# ...or opening a speech as "Crane. Hollis Crane." or "Verna. Verna Thiel,": a name,
# then the full name that holds it.
# (A polite word may follow the first: "Penhallow, sir. Arthur Penhallow.")
_POLITE = r"(?:,\s+(?:sir|ma['’]am|madam|miss|my\s+lord|my\s+lady))?"
_BOND = re.compile(
    rf"[“\"‘'«]\s*([A-Z][a-z]+){_POLITE}[.!]\s+"
    r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?=[.,!])"
)
_MOST_INTRODUCED = 200  # names a story's speeches introduce, at most (a hostile one)
# What may stand before it, past the speech's opening: a sentence's or a clause's end,
# not a quote mark ("he said, ‘I’m Harry,’ as if…" reports someone else's words).
_SELF_AFTER = re.compile(r"[.!?,;:—–]\s*$")


# "Lacey. Harriet Lacey.": a name, then the full name that holds it, opening a speech
# (a self-introduction; "Bond. James Bond."), where no tag says otherwise and the full
# name is not the header's ("“Potter. Harry Potter,” he sneered" is Draco's).
_SURNAME_FIRST = re.compile(rf"\W*({NAME_RE}){_POLITE}[.!]\s+({NAME_RE})[.!]")


# On a telephone or a radio: "This is Jock speaking.", "Lestrade here.", and "This is
# Dustin." in a speech that signs off "Over." (elsewhere "this is Harry" introduces
# Harry); each at the speech's opening or after a sentence's end ("Potter here, it
# seems, thinks…" is someone speaking of Potter).
_ON_THE_LINE = re.compile(
    rf"(?:[Tt]his\s+is\s+({NAME_RE})\s+speaking|({NAME_RE})\s+(?:speaking|here))[.!]"
)
# ...answering for a business: "Spirits and Such Consultation Office, Reigen speaking,"
_ANSWERING = re.compile(rf",\s+({NAME_RE})\s+speaking[,.!]")
_THIS_IS = re.compile(rf"[Tt]his\s+is\s+({NAME_RE})[.!]")
# A call's opening, after someone of the cast called or a greeting: "Josh, it's
# Charlie.", "Hi, it's Sahra!" ("It's Forge." alone may say who is at the door, or on a
# screen; "Oh, it's Ron!", "Why, it's Mr. Wright!" who has come in; "Harry, it's Ron!
# He's hurt." who is told of).
_ITS_ME = re.compile(
    rf"(?:(?P<greeting>Hi|Hiya|Hello|Hey)|(?P<called>{NAME_RE}))[,!.]?\s+[Ii]t['’]s\s+"
    rf"(?P<caller>{NAME_RE})[.!]"
)
_TOLD_OF = re.compile(r"[\"”’']?\s*(?:He|She|They)\b")
_ITS_REACH = 40  # characters of a speech's opening "…, it's Sahra" is looked for in
# A hail on a comm badge or an intercom, the speech's whole first sentence: "Sisko to
# Odo.", "Kira to Ops:" (its speaker's name, then whom it calls), where the paragraph or
# the one before names a device (not "Johnson to Bell, Bell back to Johnson", a
# commentator's; nor "Potter to Madam Pomfrey. Now.", an order).
_HAIL = re.compile(rf"({NAME_RE})\s+to\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?[.:](?=[\s\"”’']|$)")
_DEVICE = re.compile(rf"(?i)\b(?:{'|'.join(DEVICE_WORDS)})\b")


@lru_cache(maxsize=4)
def _devices(text: str) -> tuple[int, ...]:
    """Where a paragraph names a device a voice may come through ("His comm badge
    chirped."): found once a paragraph, not once for each of its speeches (a paragraph
    of thousands of hails read it again for each)."""
    return tuple(m.start() for m in _DEVICE.finditer(text))


def names_a_device(text: str, start: int | None = None, end: int = 0) -> bool:
    """Whether a paragraph names a device a voice may come through; with `start` and
    `end`, outside its stretch of speech between them."""
    found = _devices(text)
    if start is None or not found:
        return bool(found)
    return found[0] < start or found[-1] >= end


_OVER = re.compile(r"[.!?]\s+[Oo]ver(?:\s+and\s+out)?[.!]")  # "Do you copy? Over."
_LETTER = re.compile(r"[^\W_]")
_HAIL_REACH = 60  # characters of a speech's opening a hail is looked for in
_ANSWER_REACH = 120  # ...and "Office, Reigen speaking,"
_SENTENCE_BEFORE = re.compile(r"[.!?][\"”’']?\s+$")


def _on_the_line(cast: Cast, text: str, start: int, end: int, previous: str) -> int | None:
    """The character a speech on a telephone or a radio says is speaking, if any
    (`previous`: the paragraph before, which may name the device of a hail)."""
    # (Plain searches first: the patterns try a name at every capital of the speech.)
    line = text.find(" speaking", start, end) >= 0 or text.find(" here", start, end) >= 0
    over = text.find("ver", start, end) >= 0 and _OVER.search(text, start, end) is not None
    hail = text.find(" to ", start, min(end, start + _HAIL_REACH)) >= 0
    reach = min(end, start + _ITS_REACH)
    its = text.find("t's ", start, reach) >= 0 or text.find("t’s ", start, reach) >= 0
    if not line and not over and not hail and not its:
        return None
    letter = _LETTER.search(text, start, end)
    opening = letter.start() if letter is not None else end
    if its and (found := _ITS_ME.match(text, opening, end)) is not None:
        who = cast.lookup(found.group("caller"))
        called = found.group("called")
        if (
            who is not None
            and (called is None or cast.lookup(called) not in (None, who))
            and not _TOLD_OF.match(text, found.end(), end)
        ):
            return who
    if hail and (found := _HAIL.match(text, opening, end)) is not None:
        who = cast.lookup(found.group(1))
        # (The device looked for only now: before every speech, it cost 11% of the time.)
        if who is not None and (names_a_device(previous) or names_a_device(text, start, end)):
            return who
    if line and (found := _ANSWERING.search(text, opening, min(end, opening + _ANSWER_REACH))):
        who = cast.lookup(found.group(1))
        if who is not None and "." not in text[opening : found.start()]:
            return who
    if not line and not over:
        return None
    for pattern in (_ON_THE_LINE, _THIS_IS) if over else (_ON_THE_LINE,):
        for found in pattern.finditer(text, start, end):
            at = found.start()
            if at > opening and not _SENTENCE_BEFORE.search(text, max(start, at - 4), at):
                continue
            named, plain = found.group(1), found.lastindex == 2 and found.group(2)
            # ("Look here.": a name alone before "here" only where the cast knows it.)
            who = cast.by_alias.get(plain) if plain else cast.lookup(named)
            if who is not None:
                return who
    return None


def introduced_names(texts: Sequence[str]) -> list[str]:
    """The full names speeches introduce their speakers by ("I'm Amos Tull", "My name
    is Harriet Lacey"), for the cast: a stranger may be named nowhere else. Not a post
    or a title ("I'm Head Boy", "I'm Detective Inspector Lestrade"): no word of a name
    is one the story also writes in lower case, and none is a title or a role."""
    found = list(islice(_introductions(texts), _MOST_INTRODUCED))
    if not found:
        return found
    # (Its words as the text would write them in lower case: "Head Boy" is "head boy".)
    lower = lower_case_words(texts, [w.lower() for name in found for w in name.split()])
    return [name for name in found if not any(w.lower() in lower for w in name.split())]


def named_twice(texts: Sequence[str]) -> list[tuple[str, str]]:
    """The speeches that open on a name and then the full name that holds it ("Crane.
    Hollis Crane.", "Verna. Verna Thiel,"): (the name, the full name), for the cast."""
    found = []
    for text in texts:
        if ". " in text or "! " in text:
            for match in _BOND.finditer(text):
                name, full = match.groups()
                if name in full.split() and not set(name_words(full)) & NOT_NAMES:
                    found.append((name, full))
                    if len(found) == _MOST_INTRODUCED:
                        return found
    return found


def _introductions(texts: Sequence[str]) -> Iterator[str]:
    """Each full name a speech gives as its speaker's, but a title's or a role's."""
    for text in texts:
        names = []
        if "I" in text:
            for match in _SELF_FULL.finditer(text):
                at = match.start()
                # (What may stand before it: as in self_named, a sentence's or a
                # clause's end, or the speech's opening.)
                opening = not any(c.isalnum() for c in text[max(0, at - 3) : at])
                if opening or _SELF_AFTER.search(text, max(0, at - 4), at):
                    names.append(match.group(1))
        for name in names:
            if not set(name_words(name)) & NOT_NAMES and not any(
                title_key(w) is not None or w.lower() in ROLE_NOUNS for w in name.split()
            ):
                yield name


def self_named(
    cast: Cast, text: str, start: int, end: int, gender: str = "", previous: str = ""
) -> Tag | None:
    """The character a speech says it is ("I'm Anne"), as an explicit tag; `gender`:
    the pronoun tag's, which the character's must not contradict ("“If that's Ron,
    I'm Hermione,” he said"); `previous`: the paragraph before, which may name the
    device a hail comes through ("His comm badge chirped." / "“Sisko to Odo.”")."""
    twice = _SURNAME_FIRST.match(text, start, end)
    first, full = twice.groups() if twice is not None else ("", "")
    known = cast.by_alias.get(full)
    if (
        full != first
        and full.split()[-1:] == [first]
        and not (
            known is not None
            and cast.characters[known].from_header
            and cast.characters[known].name == full  # (the header's, not named_twice's)
        )
    ):
        # The one character the surname fits, else the one of the full name (the text
        # may have learnt it apart: "Harriet Lacey sat down" beside the header's Miss
        # Lacey).
        who = cast.only_fit(first)
        who = who if who is not None else known
        if who is not None and _gender_fits(cast, who, gender):
            return Tag(who, explicit=True, pos=start)
    if not gender and (who := _on_the_line(cast, text, start, end, previous)) is not None:
        return Tag(who, explicit=True, pos=start)
    if previous and (who := _answered(cast, text, start, end, previous)) is not None:
        if _gender_fits(cast, who, gender):
            return Tag(who, explicit=True, pos=start)
    pattern = _SELF if text.find("name", start, end) >= 0 else _SELF_I
    for found in pattern.finditer(text, start, end):
        at, name = found.start(), found.group(1)
        opening = not any(c.isalnum() for c in text[start:at])  # '…, “…, — …, - …
        if not (opening or _SELF_AFTER.search(text, max(start, at - 4), at)):
            continue
        if name.endswith(("'s", "’s")):
            return None  # "I am Sherlock Holmes’s brother"
        who = cast.lookup(name)  # ("I'm Ada Penhallow" where the cast knows Ada)
        if who is None or not _gender_fits(cast, who, gender):
            return None
        return Tag(who, explicit=True, pos=start)
    return None


# "What's your name, boy?" / "Perkins, sir.": a name answers who its speaker is, where
# the paragraph before ends on the question (not "Who are you looking at?" / "Cho.",
# nor "Who's that?" / "Malfoy.": someone else's name).
_ASKED_NAME = re.compile(
    r"(?:[Ww]hat(?:['’]s|\s+is)\s+your\s+name|[Ww]ho\s+are\s+you|[Yy]our\s+name)"
    r"(?:,\s*[\w'’]+)?\?\W*$"
)
# ...and on a telephone or radio, "Who's this?" / "This is Morticia Addams, darling." (not
# "Who's this?" of a photograph: "It's Harry, isn't it?").
_ASKED_CALLER = re.compile(
    r"[Ww]ho(?:['’]s|\s+is)\s+(?:this|speaking|calling)(?:,\s*[\w'’]+)?\?\W*$"
)
_ASKED_LOOK = 80  # characters at the end of the paragraph before read for the question
# The name alone ("Perkins, sir.": not "Jory's over there.")...
_NAME_ANSWER = re.compile(rf"\W*({NAME_RE}){_POLITE}[.!]?\W*")
# ...or "This is" / "It's" and the name, and what the speaker goes on to say.
_THIS_IS_ANSWER = re.compile(
    rf"\W*(?:[Tt]his|[Ii]t)(?:\s+is|['’]s)\s+({NAME_RE})(?=\s*[.,!;—–]|\W*$)"
)
_ALL_SPACE = re.compile(r"\s*")


def _answered(cast: Cast, text: str, start: int, end: int, previous: str) -> int | None:
    """The character a speech that opens its paragraph with a name says it is, when
    the paragraph before asked for it ("What's your name, boy?" / "Perkins, sir."; on
    the telephone, "Who's this?" / "This is Morticia Addams.")."""
    if start and _ALL_SPACE.fullmatch(text, 0, start) is None:
        return None  # (not the paragraph's opening: "Hale said nothing. Then: “Pym.”")
    look = max(0, len(previous) - _ASKED_LOOK)
    if _ASKED_NAME.search(previous, look) is None:
        if _ASKED_CALLER.search(previous, look) is None:
            return None
        if not (names_a_device(previous) or names_a_device(text, start, end)):
            return None
    answer = _NAME_ANSWER.fullmatch(text, start, end) or _THIS_IS_ANSWER.match(text, start, end)
    return cast.lookup(answer.group(1)) if answer is not None else None


def _gender_fits(cast: Cast, who: int, gender: str) -> bool:
    """Whether a pronoun tag's `gender` ("M", "F", or none) may be character `who`'s."""
    return gender not in ("M", "F") or cast.characters[who].gender in ("", gender)


# A name a nameless speaker gives as theirs: "you may call me Bramble", "She called me
# Hisame", "Name's Terry", "My name is Vale", "I'm Darlene Pruitt" (see late_names).
# (The name's capitals taken whole: "I'm Peter Grant's friend" gives no "Peter".)
_CALL_ME = re.compile(r"\b[Cc]all(?:ed|s)?\s+me\s+((?>[A-Z][a-z]+(?:-[A-Z][a-z]+)?))(?![\w'’-])")
_NAME_IS = re.compile(
    r"(?:\b(?:[Mm]y|[Tt]he)\s+)?[Nn]ame(?:['’]s|\s+is)\s+((?>[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)?))"
    r"(?![\w'’-])"
)
_I_AM = re.compile(r"I(?:['’]m|\s+am)\s+((?>[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)?))(?![\w'’-])")
_NOT_BEFORE = re.compile(r"(?:n['’]t|\bnot|\bnever)\s+$")  # "Don't call me Foxy"
_QUOTE_MARKS = "\"'“”‘’«»"  # (before "Call me Molly": someone's words quoted)
_MOST_LATE = 50  # speeches read for a nameless speaker's name, at most
_NEXT_REACH = 16  # paragraphs from a nameless speaker's last speech to a name given


def late_names(
    texts: Sequence[str],
    speeches: Sequence[tuple[int, int, int, int | None, float]],
    nameless: frozenset[int],
    cast: Cast,
) -> dict[int, str]:
    """The name each nameless speaker ("The Fox", "The Umbrella": a role, of
    `nameless`) gives as their own in a speech of theirs, if one does: the story has
    named them, late, and the reader shows every line of theirs by that name.
    `speeches`: each stretch's paragraph, start, end, speaker and confidence, in
    reading order. Only as its speaker's own words: opening the speech or a clause of
    it ("My name is", "I'm"), "call me" not after a "not" nor a quote mark; "I'm" a
    full name or one the story names someone by. Not a name of the header's people
    ("Your name's Peter"), a word the story also writes in lower case, a title or a
    role."""
    found: dict[int, str] = {}
    read = 0
    for paragraph, start, end, who, _confidence in speeches:
        if who not in nameless or who in found:
            continue
        read += 1
        if read > _MOST_LATE:
            break
        name = _given_name(cast, texts[paragraph], start, end)
        if name is not None:
            found[who] = name
    if found:
        lower = lower_case_words(texts, [w.lower() for n in found.values() for w in n.split()])
        found = {
            who: name
            for who, name in found.items()
            if not any(w.lower() in lower or w.lower() in NOT_NAMES for w in name.split())
        }
    return found


def named_next(
    texts: Sequence[str],
    speeches: Sequence[tuple[int, int, int, int | None, float]],
    nameless: frozenset[int],
    cast: Cast,
) -> dict[int, int]:
    """The character each nameless speaker ("The Old Man") turns out to be: one not of
    the header whose first speech gives its name ("Well, Jack, I'm Amos Tull"), soon
    after the nameless one last spoke, and after which it speaks no more (the old man
    the story was calling "the old man" has said who he is)."""
    first: dict[int, int] = {}  # each speaker's first speech, and last
    last: dict[int, int] = {}
    for at, (_p, _s, _e, who, _c) in enumerate(speeches):
        if who is not None:
            first.setdefault(who, at)
            last[who] = at
    found: dict[int, int] = {}
    read = 0
    for who, at in first.items():
        char = cast.characters[who]
        if who in nameless or char.from_header:
            continue
        read += 1
        if read > _MOST_LATE:
            break  # (a hostile story of thousands of speakers)
        paragraph, start, end = speeches[at][:3]
        text = texts[paragraph]
        named = _SELF_I.search(text, start, end) or _SURNAME_FIRST.match(text, start, end)
        if named is None or cast.lookup(named.group(named.lastindex or 1)) != who:
            continue
        # The one nameless speaker who last spoke not long before, and not since, where
        # no other stranger came in between ("A young man rode up.").
        before = [x for x in nameless if x not in found and last.get(x, at) < at]
        before = [
            x
            for x in before
            if paragraph - speeches[last[x]][0] <= _NEXT_REACH
            and _gender_fits(cast, x, char.gender)
        ]
        if len(before) == 1:
            since = speeches[last[before[0]]][0] + 1
            if not introduces_someone(texts[since:paragraph]):
                found[before[0]] = who
    return found


def _given_name(cast: Cast, text: str, start: int, end: int) -> str | None:
    """The name a stretch of speech gives as its speaker's, if any (see late_names)."""
    for pattern in (_CALL_ME, _NAME_IS, _I_AM):
        for match in pattern.finditer(text, start, end):
            at, name = match.start(), match.group(1)
            before = text[max(start, at - 8) : at]
            if pattern is _CALL_ME:
                quoted = text[start + 1 : at].rstrip()[-1:]  # (past the speech's own mark)
                if _NOT_BEFORE.search(before) or (quoted and quoted in _QUOTE_MARKS):
                    continue
            elif any(c.isalnum() for c in text[start:at]) and not _SELF_AFTER.search(before):
                continue  # (not its speaker's words: "His name's Toby")
            known = cast.by_alias.get(name)
            if known is not None and cast.characters[known].from_header:
                continue
            if pattern is _I_AM and known is None and " " not in name:
                continue  # ("I'm Irish")
            if any(title_key(w) is not None or w.lower() in ROLE_NOUNS for w in name.split()):
                continue
            return name
    return None
