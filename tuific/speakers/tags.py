"""Speech tags: the narration next to a stretch of speech that says who speaks it.

A speech tag stands in the narration next to a stretch of speech: after it ("…," said
Emma / Emma said / she replied / the old man answered) or before it (Emma said, "…").
A tag names a character, or gives a pronoun or a description to resolve later.
`tuific.speakers.paragraph` reads a whole paragraph with them.
"""

from __future__ import annotations

import re

from tuific.speakers.cast import Cast
from tuific.speakers.learn import NAME_RE
from tuific.speakers.names import (
    BASE_SPEECH_VERBS,
    DEVICE_WORDS,
    NOT_AFTER_TITLE,
    NOUN_GENDER,
    PRONOUN_GENDER,
    SPEECH_VERB_WORDS,
    SPEECH_VERBS,
    TITLE_DOT,
    title_key,
)
from tuific.speakers.roles import ROLE_NOUNS
from tuific.speakers.turn import Tag
from tuific.speakers.wordsre import word_tree

_DET = r"(?i:the|his|her|my|their|our|your|a|an|this|that)"
# A word of a description: not a joining word, a preposition, an article or an adverb
# ("the old woman quietly", "the policeman into his notebook"; a word in -ly is an
# adverb unless it is one of _NOT_ADVERBS); "very" and the like only
# before another word ("the very old man", not "the policeman very slowly"). A word
# with a hyphen is one word: "the under-gardener", "the after-dinner speaker"; and a
# possessive before "voice" is one: "a man's voice saying,".
_MODIFIER = r"(?:very|quite|just)"
# Words in -ly that are no adverbs: "the elderly woman", "said the orderly".
_NOT_ADVERBS = (
    r"(?:elderly|family|holy|lovely|lonely|ugly|silly|jolly|burly|surly|stately|portly|"
    r"lively|orderly|friendly|homely|sickly|curly|motherly|fatherly|manly|worldly|bully)"
)
_DWORD = (
    r"(?!(?:and|as|with|to|in|at|who|that|which|from|for|of|but|on|again|afterwards|soon|"
    r"too|then|now|still|once|presently|instantly|into|onto|over|under|outside|inside|"
    r"across|without|through|behind|beside|after|before|by|about|the|a|an|his|her|its|"
    rf"their|my|our|your|this|that|{_MODIFIER})(?![\w-]))"
    rf"(?!(?!{_NOT_ADVERBS}(?![\w-]))[a-z]+ly(?![\w-]))[a-z\-]+(?:['’]s(?=\s+voice\b))?"
)
_DESC = rf"{_DET}\s+(?:(?:{_MODIFIER}|{_DWORD})\s+){{0,2}}{_DWORD}"
# "the good-hearted Mrs. Knightley" is Mrs. Knightley, "the Major" is Major (when the
# cast knows him), "the voice of Mr. Haq" Mr. Haq's; "the old man" is a description,
# and so is "the general to Eleanor" (Eleanor is spoken to).
# (A name is no tag's subject when it owns what follows: "Daisy's mamma", and "Daisy s
# mamma" where a text lost its apostrophes; but "Thorpe s saying" is Thorpe's speech.)
# (Prepositions but "of", which end such a description: "the general to Eleanor".)
_NOT_OF = r"(?:to|at|with|for|from|by|and|in|on|towards?|upon|into|onto|after|before|behind)"
_WHO = (
    rf"(?:[Tt]he\s+(?:(?!{_NOT_OF}\s)[a-z\-]+\s+){{0,3}}(?=[A-Z]))?"
    # ("A-Yuan": a diminutive; "EDI", "L", "Q": a name in capitals, a tag only where
    # the cast has it, see _resolve_who.)
    rf"(?P<who>A-[A-Z][a-z]+|[A-Z][A-Z\d]*(?:-[A-Z\d]+)?\b(?!/)|{_DESC}"
    rf"|{NAME_RE}(?!\s+s\s+(?![a-z]+ing\b))|[Hh]e|[Ss]he|I|[Yy]ou|[Yy]/[Nn]|[Ss]ome(?:body|one))"
)
_LY = r"(?:\s+[a-z]+ly)?"
_LEAD = r"^[\s,;:—–\-]*"
# Right after speech, any verb in -ed makes a tag: "…," chattered Ronny.
_VERB = rf"(?:{SPEECH_VERBS}|[a-z]+ed)"
_VERB_FIRST = re.compile(rf"{_LEAD}{_VERB}{_LY}\s+{_WHO}(?![\w'’])")
_WHO_FIRST = re.compile(rf"{_LEAD}{_WHO}{_LY}\s+{_VERB}\b")
# "…," answered Daisy's mamma: a description of someone else than Daisy (its noun's
# gender, if it has one); but "said Linda's voice", "said the Captain's voice" is
# Linda, the Captain.
_VERB_OWNER = re.compile(
    rf"{_LEAD}{_VERB}{_LY}\s+(?:(?P<the>the)\s+)?(?P<owner>{NAME_RE})(?:['’]s|\s+s)\s+"
    r"(?P<noun>(?![a-z]+ing\b)[a-z]+)\b"
)
# After speech that ends on a full stop ("…again." Catherine turned away), a name
# and any verb in -ed is what the speaker or someone else does next, not a tag.
_WHO_FIRST_SAID = re.compile(rf"{_LEAD}{_WHO}{_LY}\s+(?:{SPEECH_VERBS})\b")
# Words a speech is called by: "was his answer", "came the Captain's reply".
_SPOKEN = r"(?:answer|reply|response|rejoinder|retort|remark|comment|exclamation|question|cry)"
# "…," was Emma's reply ("was all Lady Bertram's reply"; "was Henry s answer" where a
# text lost its apostrophes).
_POSSESSIVE = re.compile(
    rf"{_LEAD}(?:was|were|came)\s+(?:all\s+)?"
    rf"(?P<who>{NAME_RE})(?:['’]s\s+(?P<noun>[a-z]+)|\s+s\s+(?![a-z]+ing\b)[a-z]+)"
)
# ...but people of theirs are not them: "came Barbossa's men", "was Emma's father".
_THEIR_PEOPLE = frozenset(
    "men crew guards people friends children servants soldiers sailors followers boys "
    "girls women family".split()
)
# ...and "came the Captain's voice", "was the Captain's reply": the one Captain's (a
# voice or words only: "came the Captain's men" are his men).
_POSSESSIVE_TITLED = re.compile(
    rf"{_LEAD}(?:was|were|came)\s+(?:all\s+)?the\s+(?P<who>{NAME_RE})['’]s\s+"
    rf"(?:[a-z]+\s+)?(?:voice|{_SPOKEN}|shout|order|call)\b"
)
# "…," was a tender apostrophe of Fanny's (not "the reply of Fanny's brother").
_POSSESSIVE_OF = re.compile(
    rf"{_LEAD}(?:was|were|came)\s+(?:an?|the)\s+(?:[a-z]+\s+)?[a-z]+\s+of\s+"
    rf"(?P<who>{NAME_RE})['’]s(?=\s*(?:[,.;:!?—–]|$))"
)
# "…," came a second voice: a voice the text has not named, as "said a second voice"
# is. (Not "the voice of Professor McGonagall", hers; nor "the stern voice", a role.)
_CAME_VOICE = re.compile(
    rf"{_LEAD}came{_LY}\s+(?P<who>(?:an?|another)\s+(?:[a-z\-]+\s+){{0,2}}voice)\b(?!\s+of\b)"
)
# "…," was his answer / came her quick reply: a pronoun tag.
_POSSESSIVE_PRONOUN = re.compile(
    rf"{_LEAD}(?:was|were|came)\s+(?P<who>[Hh]is|[Hh]er)\s+(?:[a-z\-]+\s+){{0,2}}?"
    rf"{_SPOKEN}\b"
)
# "…," said nanny: a name the story also writes with a capital ("Nanny").
_VERB_LOWER = re.compile(rf"{_LEAD}(?:{SPEECH_VERBS}){_LY}\s+(?P<who>[a-z]+)\b(?!['’-])")
# Before speech: "Emma said," / "She turned to him and said:" at the segment's end,
# its subject at the segment's start or after white space. (One pattern that also
# opened with "^" could not skip in C to the white space; ". Emma" is found from
# the space, so a full stop before it needs no pattern of its own.)
# Before speech, a verb in -ing leads into it too: "he stopped her by saying,".
_SPACE = r"\s+"
# A verb's plain form is a tag only after "I" or "you" ("“…,” I mutter.", "You lean in
# and whisper,"): "he heard her murmur:" is hers, "I watch Ron lean in and whisper" is
# Ron's, and in "I hear you call:" "you" is no subject (see _plain_before).
_PLAIN_AFTER = re.compile(rf"{_LEAD}(?P<who>I|[Yy]ou){_LY}\s+(?:{BASE_SPEECH_VERBS})\b")
_BEFORE_VERB_WORDS = (
    *SPEECH_VERB_WORDS,
    *"saying replying answering adding exclaiming whispering asking crying observing remarking "
    "continuing interrupting inquiring enquiring declaring protesting murmuring muttering "
    "shouting".split(),
)
_BEFORE_VERBS = word_tree(_BEFORE_VERB_WORDS, None, space=_SPACE)
# A verb in -ing after a preposition that ends a sentence is no lead-in: "…that Reigen
# started to feel bad for asking. “About most things.”" (Mob's; "Freddy was saying." is
# Freddy's).
_ING_ENDS = re.compile(
    r"\s(?:for|about|of|without|from)\s+"
    rf"(?:{word_tree([w for w in _BEFORE_VERB_WORDS if w.endswith('ing')], None, space=_SPACE)})"
    r"(?:\s+[a-z]+ly)?\s*\.\s*$"
)
# What may follow the verb up to the segment's end: "said to her", "called after
# him", "said with a change of voice", "saying very abruptly", "began again".
_AFTER_VERB = (
    r"(?:(?:\s+(?:very|quite|rather|most))?\s+[a-z]+ly)?"
    r"(?:\s+(?:again|once more|at last|at length))?"
    r"(?:\s+(?:to|at|with|after|in|into|from|across|over|towards?|through|under|upon|"
    rf"without)(?:\s+(?:{TITLE_DOT}|[\w'’\-]+)){{1,4}}?)?(?:\s+[a-z]+ly)?"
    r"(?:\s*,\s*[a-z][^,.!?\"“”]{0,60})?\s*[,:.—–\-]*\s*$"
)
_PLAIN_BEFORE = re.compile(
    rf"(?<![\w'’])(?P<who>I|[Yy]ou)(?:\s+[a-z]+ly)?(?:(?:\s+[a-z]+){{1,3}}?\s+and)?"
    rf"\s+(?:{BASE_SPEECH_VERBS}){_AFTER_VERB}"
)
_YOU_AFTER = frozenset(("and", "then", "so", "but"))  # lower-case words "you" follows as a subject
_BEFORE_TAIL = rf"{_WHO}(?:\s+[\w,'’]+){{0,9}}?\s+(?:{_BEFORE_VERBS}){_AFTER_VERB}"
_BEFORE_AT_START = re.compile(_BEFORE_TAIL)
_BEFORE = re.compile(rf"\s{_BEFORE_TAIL}")
# Any "Emma said," ends in a speech verb after white space and what may follow it: a
# cheap test that skips most narration, and where it fails neither pattern above can
# match. (Starting on the white space, the search skips in C to the next one; a tree
# of the verbs opening on their letters was tried at nearly every letter, and a test
# for a verb anywhere let through a third of the paragraphs, to a costly _BEFORE.)
_ANY_VERB = re.compile(rf"\s(?:{_BEFORE_VERBS}){_AFTER_VERB}")
# A name that the last words before speech make the speaker, whatever subject came
# before it: right before the verb ("When Tony had left them, Ben said,"), before a
# relative clause or a clause in -ing ("to Jock, who said,"; "Edmund, to whom this
# was addressed, replied,"; "Emma, smiling at Harriet, said,"), or as a possessive
# with a verb in -ing ("stopped by Sir Thomas's saying with authority,"); not when a
# pronoun after the name opens a clause of its own ("…, who nodded, so she began,").
# A word that opens a clause of its own, whose subject is someone else: "Ginny looked
# at Harry, shaking her head as she said," is Ginny's. (An "and" right before the verb
# joins it to a relative clause's: "onto Kaminari, who sat bolt upright and shouted,";
# after a comma it closes the clause: "Ben turned to Tony, who was smiling, and said,";
# after a participle it is the subject's: "Harry turned to Ron, grinning and said,".)
_NEW_CLAUSE = r"(?:and|but|then|so|as|while|when|before|until|because|though|if|he|she|I|they|we)\b"
_SOMEONE_ELSE = re.compile(r"\b(?:he|she|I|they|we)\b")
_CLAUSE_WORDS = rf"(?:\s+(?!{_NEW_CLAUSE})[\w'’\-]+,?){{0,9}}?"  # up to the verb
_NAME_LAST = re.compile(
    rf"(?<![\w'’])(?P<who>{NAME_RE})(?<!['’]s)(?:{_LY}|,\s+(?:who|to whom|with whom),?"
    rf"{_CLAUSE_WORDS}(?:(?<!,)\s+and)?|,\s+[a-z]+ing\b,?{_CLAUSE_WORDS}"
    rf"|['’]s(?=\s+[a-z]+ing\b))\s+(?:{_BEFORE_VERBS}){_AFTER_VERB}"
)
_TAIL = 160  # how much narration before speech the tag search looks at
# " to Harriet" / " quietly to Harriet" right after a tag's verb or subject.
_TO = re.compile(r"(?:\s+[a-z]+ly)?\s+(?:to|at)\s+(?:(?:his|her|the)\s+)?(?=[A-Z])")
_TO_ANY = re.compile(r"\s(?:to|at)\s")
# Where a clause of its own opens: after a semicolon, ", and", a comma before a name
# ("While he talked to her, however, Emma found time for saying,"), or a comma or an
# "and" before a pronoun ("Ada did not hear him and he asked again, adding,"; "when
# Fanny was present, she calmly observed to her,": not Fanny's).
_CLAUSE = re.compile(
    r"(?:;|, and|, but|, then|,(?=\s+[A-Z])|(?:,|\s(?:and|but))(?=\s+(?:he|she|I)\b))\s+"
)
# Nouns of kin: "said her mother" is someone of her family, most often of her name.
KIN = frozenset(
    "father mother brother sister son daughter husband wife uncle aunt nephew niece "
    "grandfather grandmother cousin mamma mama papa mum mom dad".split()
)
# ...of the elder generation, and of the younger: "said his mother" is more likely the
# Weasley the text calls "Mrs. Weasley" than the one it calls Ginny (see Cast.kin).
_ELDER = frozenset(
    "father mother uncle aunt grandfather grandmother mamma mama papa mum mom dad".split()
)
_YOUNGER = frozenset("son daughter nephew niece".split())
_STYLED = {"ladyship": "Lady", "lordship": "Lord"}  # how a title is spoken of
_DETERMINERS = frozenset("the his her my their our your a an this that".split())
# Who the text does not know yet: "said a voice behind us", "somebody said".
_UNKNOWN = frozenset("voice somebody someone".split())
# Words after "the" that name no role: "the other said", "the latter replied".
_NOT_ROLES = frozenset("other others latter former first second last one two three".split())
# Things someone speaks through: "said the phone" is the caller, whom the tag does not
# name, not a character called "The Phone". (Not "speaker": "the after-dinner speaker".)
_DEVICES = frozenset(DEVICE_WORDS)


def _resolve_who(cast: Cast, who: str, roles: bool = False) -> Tag | None:
    """The tag that a tag's subject makes. `roles`: "the solicitor" may be taken as
    a minor character of that name (after the verb: "said the solicitor"); a role of
    roles.ROLE_NOUNS may be anywhere ("The waiter said,")."""
    low = who.lower()
    if low in ("he", "she"):
        return Tag(None, PRONOUN_GENDER[low], pronoun=True)
    if who == "I" or low == "you":
        return Tag.person(who)  # ("you": the narrator of a second-person story)
    if low in _UNKNOWN:  # "somebody said": who, the text does not say
        return Tag.unnamed()
    if who.isupper() and who not in ("I", "Y/N"):
        # "said EDI", "JARVIS said": a name in capitals only where the cast has it (an
        # AI's, a droid's), not a shout.
        index = cast.by_alias.get(who)
        return Tag(index, explicit=True) if index is not None else None
    if low == "y/n":  # a reader-insert's name for the reader
        return Tag(cast.reader, explicit=True) if cast.reader is not None else None
    words = low.split()
    if who[:1].islower() or words[0] in _DETERMINERS:
        if (index := cast.newcomers.get(low)) is not None:
            return Tag(index, explicit=True)  # "the old man" of "an old man" (see newcomers)
        noun = words[-1]
        # "cried his aunt soon afterwards": the description's gendered noun, if any.
        # ("a man's voice": the man's. Only a voice makes a possessive part of a
        # description: in "his son's hand, and an eager voice, he began" the hand is
        # no description, and "he" is the tag.)
        nouns = [w.removesuffix("'s").removesuffix("’s") for w in reversed(words[1:])]
        gender = next((NOUN_GENDER[w] for w in nouns if w in NOUN_GENDER), "")
        # ("the old lady" is a description, not the one Lady of the cast: a noun with a
        # gender of its own names a title only with a capital, "the Master".)
        common = noun in NOUN_GENDER and who.split()[-1].islower()
        titled = cast.titled(noun) if words[0] == "the" and not common else None
        if titled is None and words[0] == "the":
            titled = cast.called_by_noun(noun)  # "said the cat": the header's Cat
        if noun in _STYLED and len(words) == 2:
            titled = cast.titled(_STYLED[noun], styled=True)  # "said her ladyship"
        if titled is not None:
            return Tag(titled, explicit=True)  # "said the Major": Major Callendar
        if words[0] == "the" and noun in _DEVICES:
            return Tag.unnamed()
        if (
            (roles or noun in ROLE_NOUNS)
            and words[0] == "the"
            and not gender
            and noun not in _NOT_ROLES
        ):
            # "the courier": Eugenio, if the text says so
            owner = cast.roles.get(noun, cast.lookup)
            return Tag(cast.describe(low) if owner is None else owner, explicit=True)
        tag = Tag(None, gender, pronoun=True, described=True, kin=noun in KIN)
        tag.generation = _generation(noun)
        tag.unknown = noun == "voice" and words[0] not in ("the", "his", "her")
        if tag.kin and words[0] in ("his", "her"):
            tag.owner_gender = PRONOUN_GENDER[words[0]]  # "said his wife": his
        elif tag.kin and words[0] == "their":
            tag.owner_gender = "*"  # "said their mother": whoever was named last
        return tag
    index = cast.lookup(who)
    if index is None and " " not in who:
        index = cast.titled(who)  # "said the Major": the one Major of the cast
        if index is None:
            index = cast.epithets.get(who)  # "said the Handler" (see fandom_aliases)
    return Tag(index, explicit=True) if index is not None else None


def owner_of(cast: Cast, match: re.Match[str]) -> int | None:
    """The character a possessive names: "Linda's", or "the Captain's" (the one
    Captain of the cast, as "said the Captain" is)."""
    name = match.group("owner")
    if match.group("the") and " " not in name and title_key(name) is not None:
        return cast.titled(name)
    return cast.lookup(name)  # (and "The Joker's", the header's The Joker)


def _theirs(noun: str | None) -> bool:
    """Whether a possessive's noun is someone else of the owner's ("men", "father")."""
    return noun is not None and (noun in _THEIR_PEOPLE or noun in KIN or noun in NOUN_GENDER)


def _generation(noun: str) -> int:
    """1 for a noun of kin of the elder generation ("mother"), -1 of the younger
    ("son"), 0 for any other."""
    return 1 if noun in _ELDER else -1 if noun in _YOUNGER else 0


def _addressee(cast: Cast, text: str, pos: int) -> int | None:
    """The character a tag says it speaks to, right at `pos`: " to Harriet"."""
    to = _TO.match(text, pos)
    if to is None:
        return None
    name = cast.regex.match(text, to.end())
    return cast.by_alias[name.group()] if name else None


# "“…” He said nothing." is the listener's silence, not a tag.
# ("He said no more.", "nothing more": the speaker stopping, his own tag.)
_SAID_NOTHING = re.compile(
    r"\s+(?:nothing(?!\s+(?:more|else|further))|not\s+(?:a|another|one)(?:\s+single)?\s+word)\b"
)


def tag_after(cast: Cast, segment: str, ended: bool = False) -> Tag | None:
    """The tag in the narration right after a stretch of speech; `ended`: the speech
    ends on a full stop."""
    owned = _VERB_OWNER.match(segment)
    if owned:
        noun = owned.group("noun")
        owner = owner_of(cast, owned)
        if noun == "voice":
            return Tag(owner, explicit=True) if owner is not None else None
        gender = NOUN_GENDER.get(noun, "")
        owned_tag = Tag(None, gender, pronoun=True, described=True, owner=owner, kin=noun in KIN)
        owned_tag.generation = _generation(noun)
        return owned_tag
    for regex in (
        _VERB_FIRST,
        _WHO_FIRST_SAID if ended else _WHO_FIRST,
        _POSSESSIVE,
        _POSSESSIVE_TITLED,
        _POSSESSIVE_OF,
        _CAME_VOICE,
    ):
        match = regex.match(segment)
        if match and regex is _POSSESSIVE and _theirs(match.group("noun")):
            continue
        if match and not _SAID_NOTHING.match(segment, match.end()):
            tag = _resolve_who(cast, match.group("who"), roles=regex in (_VERB_FIRST, _CAME_VOICE))
            if tag is not None:
                tag.to = _addressee(cast, segment, match.end())
                return tag
    match = _POSSESSIVE_PRONOUN.match(segment)
    if match:
        return Tag(None, "M" if match.group("who").lower() == "his" else "F", pronoun=True)
    match = _PLAIN_AFTER.match(segment)
    if match:
        return _resolve_who(cast, match.group("who"))
    match = _VERB_LOWER.match(segment)
    if match:
        who = cast.by_alias.get(match.group("who").capitalize())
        if who is not None:
            return Tag(who, explicit=True)
    return None


def _says_nothing(tag: Tag) -> bool:
    """A description with no gender and no character ("the voice of sentiment"), or a
    "you" that may be anyone's ("You could tell Ron was nervous when he said,")."""
    return tag.who is None and tag.gender in ("", "Y")


def _plain_before(tail: str) -> Tag | None:
    """"You lean in and whisper," before speech: the narrator's tag (see _PLAIN_AFTER)."""
    if "I " not in tail and "ou " not in tail:
        return None
    for match in _PLAIN_BEFORE.finditer(tail):
        who = match.group("who")
        before = tail[: match.start()].split()[-1:]
        if who != "I" and before and before[0].isalpha() and before[0].islower():
            if before[0] not in _YOU_AFTER:
                continue  # "I hear you call:": "you" is heard, not speaking
        return Tag.person(who)
    return None


def tag_before(cast: Cast, segment: str) -> Tag | None:
    tail = segment[-_TAIL:]
    if not _ANY_VERB.search(tail) or _ING_ENDS.search(tail):
        return _plain_before(tail)
    found = None
    match_at = match = _BEFORE_AT_START.match(tail)
    if match:
        found = _resolve_who(cast, match.group("who"))
    # Later subjects: the first that is someone's name when none was yet ("At sundown
    # Dr Messinger said,"), then one that opens a clause of its own ("She rattled it,
    # and Bartholomew called out,"; not "Emma, smiling at Harriet, said"). A
    # description that says nothing of anyone ("a very tender sigh, he added,") gives
    # way to a later subject that does.
    if found is None or _says_nothing(found):
        match = _BEFORE.search(tail, match.end("who") if found is not None and match else 0)
        while match:
            tag = None if _aside(tail, match) else _resolve_who(cast, match.group("who"))
            if tag is not None and (found is None or not _says_nothing(tag)):
                found, match_at = tag, match
                if not _says_nothing(tag):
                    break
            match = _BEFORE.search(tail, match.start() + 1)
    if found is not None and match_at is not None:
        for clause in _CLAUSE.finditer(tail, match_at.end("who")):
            match = _BEFORE_AT_START.match(tail, clause.end())
            if match:
                tag = _resolve_who(cast, match.group("who"))
                if tag is not None:
                    found, match_at = tag, match
    last = _last_named(tail)
    if (
        last is not None
        and not _aside(tail, last)
        and not _SOMEONE_ELSE.search(tail, last.end("who"))
    ):
        tag = _resolve_who(cast, last.group("who"))
        if tag is not None and tag.explicit:
            found, match_at = tag, last
    if found is not None and match_at is not None:
        # "Emma said to Harriet,": the words between the subject and the end.
        to = _TO_ANY.search(tail, match_at.end("who"))
        if to is not None:
            found.to = _addressee(cast, tail, to.start())
    if (found is None or _says_nothing(found)) and _BY_SAYING.search(tail):
        found = _sentence_subject(cast, segment) or found
    return found


def _last_named(tail: str) -> re.Match[str] | None:
    """The name the last words before speech make its speaker (_NAME_LAST), but not a
    relative clause's that ends a sentence ("…and looked at Cassian, who nodded at
    him." is a gesture of Cassian's, not his speech)."""
    last = _NAME_LAST.search(tail)
    if (
        last is not None
        and tail.rstrip().endswith(".")
        and _WHO_CLAUSE.match(last.group(), last.end("who") - last.start())
    ):
        return None
    return last


# "…, quickly and, Sophie thought, rather well.": a name between commas, thinking, whose
# sentence goes on to a full stop is an aside, no lead into the speech after (not
# "Finally, Hermione spoke, her voice small.").
_ASIDE_BEFORE = re.compile(r",\s*$")
_ASIDE_AFTER = re.compile(
    r"\s+(?:thought|supposed|reflected|felt|decided|noted|realised|realized|knew|guessed|"
    r"suspected|imagined|believed|judged|considered|hoped|feared),\s*[a-z][^,.!?“”\"]*[.!?]\s*$"
)


def _aside(tail: str, match: re.Match[str]) -> bool:
    """Whether the subject `match` found is in an aside (see _ASIDE_BEFORE)."""
    start = match.start("who")
    return bool(
        _ASIDE_BEFORE.search(tail, max(0, start - 3), start)
        and _ASIDE_AFTER.match(tail, match.end("who"))
    )


_WHO_CLAUSE = re.compile(r",\s+(?:who|to whom|with whom)\b")


# "…, and qualified his conscience for accepting it too, by saying with perfect
# sincerity,": a verb in -ing at the end, whose subject is the sentence's.
# "…by saying," and a verb whose subject the sentence gave long before ("She walked to the
# window, tipped water into the orchid's pot, and said,"): the sentence's subject speaks.
_BY_SAYING = re.compile(
    rf"\s(?:(?:by\s+)?(?:saying|adding|replying|answering)|and\s+(?:{_BEFORE_VERBS})){_AFTER_VERB}"
)
_SENTENCE_START = re.compile(
    rf"(?:^|{NOT_AFTER_TITLE}[.!?;:…]\s++)(?:(?:[Bb]ut|[Aa]nd|[Tt]hen|[Ss]o|[Yy]et)\s+)?(?=\S)"
)


def _sentence_subject(cast: Cast, segment: str) -> Tag | None:
    """The tag the subject at the start of `segment`'s last sentence makes, when the
    sentence opens on one ("James accepted…", "but Edmund, after…")."""
    starts = list(_SENTENCE_START.finditer(segment, max(0, len(segment) - 400)))
    if not starts:
        return None
    subject = _SUBJECT_AT.match(segment, starts[-1].end())
    return _resolve_who(cast, subject.group("who")) if subject else None


_SUBJECT_AT = re.compile(rf"(?P<who>{NAME_RE}|[Hh]e|[Ss]he|I)(?=[\s,])")
