"""Action beats: a sentence about a character right after their speech, in its
paragraph, instead of a speech tag ("“It’s resting.” Ravi holds a spring up to the
lamp."). Modern fiction, fan fiction above all, attributes speech this way; older
prose has the listener react there as often ("“…how glad I am!” Mr. Beebe bowed.",
and between two speeches of one paragraph: "“…” Catherine accepted this kindness
with gratitude… “…”", Isabella's), so only a beat in the present tense counts
("“Is it bad?” Mr. Okonkwo leans in.", "“Now we level it.” I turn the clock"),
which those novels never are, and only in a story whose tags are in the present tense
too ("she says" more than "she said"; `tells_present`). (On the 14 PDNC novels,
past-tense beats between two speeches as tags cost 0.3 points.) A "he" or "she" beat
counts only in fan fiction, as a pronoun tag ("“…” He propped his chin on his hand.",
"He looked at her. “…”"): in the twenty-fourth session, counted everywhere, it named
a newcomer's speech wrong in the demo stories. A negated verb ("I don't answer"), a
start ("Draco freezes in the doorway") or a perception ("He felt sick.") is a
reaction, not the speaker's beat. A character's voice, next to
the speech, is theirs in any tense (`voice_tag`). In fan fiction (a header that names
a fandom) a beat right after speech, or right before a paragraph's first, is the
speaker's in the past tense too (`past_beat`): there the speaker acts and speaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuific.speakers.cast import Cast
from tuific.speakers.learn import NAME_RE
from tuific.speakers.tags import owner_of
from tuific.speakers.turn import Tag

# A place or a time opening the beat: "Behind him Donna squeezes out of the doorway.",
# "At the head of the table, Enjolras did not look up."
NEAR_SOMEONE = (
    r"(?:Behind|Beside|Beyond|Below|Above|Outside|Next to|Opposite)\s+(?:him|her|them|me|us)"
)
_PLACE_OPENER = (
    rf"(?:{NEAR_SOMEONE}|"
    r"(?:At|In|On|From|Across|Behind|Beside|By|Near|Under|Over|Outside|Inside|After|Before|"
    r"For|With|Through|Around|Against)\s[^,.!?“”\"]{1,40},)"
)
# (An adverb before the verb is skipped: "I never saw" is past.)
_BEAT = re.compile(
    rf"[\s,;:—–\-]*(?:{_PLACE_OPENER}\s+)?(?P<who>{NAME_RE}|I|[Yy]ou)(?:['’]s\s|\s+(?:(?:[a-z]+ly|never|just|"
    r"still|also|then|only|even|ever|almost|already|soon|now|once|again|too|often|always|"
    r"sometimes)\s+)?(?P<verb>[a-z][a-z-]+)\b(?P<negated>['’]t)?(?P<to_me>\s+(?:me|us|my|our)\b)?)"
)
# Common verbs whose past tense is not in -ed (what "I" or "you" did, not do), and
# the modals a story in the past tense uses.
_PAST = frozenset(
    "was were had did sat stood took gave made shook held knew saw went came put thought "
    "felt got let set left kept ran threw caught brought bought found told said heard "
    "meant met paid sent spent stuck struck swung tore wore woke wrote rose fell lay "
    "led lost began drew drove flew forgot grew hid hung hit hurt lit read rode rang "
    "sang sank slid slept spoke spun stole stung sprang strode swore swept taught understood "
    "became broke chose froze bit blew bent dug fed fought fled flung knelt leapt burst "
    "cut cast cost could would should might shut spat wept sought ate drank crept won "
    "swam slunk stank strove".split()
)
# A start, not a speech's beat: the listener's reaction.
_REACTIONS = frozenset(
    "freezes stiffens flinches blinks stares gapes pales winces startles jerks recoils "
    "tenses falters".split()
)
_PAST_REACTIONS = frozenset(
    "froze stiffened flinched blinked stared gaped paled winced startled jerked recoiled "
    "tensed faltered choked gasped went dropped".split()
)
# After "I", words that make no action: a narrator in the past tense comments in the
# present ("I know Poirot's gestures", "I must have made some murmur").
_NOT_ACTIONS = frozenset(
    "am have do don must can cannot shall will may know think suppose believe fear hope "
    "wish remember mean confess admit "
    # ...nor seeing: "You notice that she is trying not to look interested. “And?”" is
    # hers to say.
    "notice see hear realise realize wonder".split()
)
# ...and in the past tense, what the narrator perceives of someone else (past_beat).
# ("I felt my face go hot. “Shut up.”" and "I watched him go. “Bye.”" are the narrator's.)
_PAST_PERCEIVING = frozenset("heard noticed realised realized wondered".split())
# ...of them, a state or a modal, not an action ("Ron was tired", "Ron could see it").
_BEING = frozenset("was were had could would should might".split())
# A state, not an action ("Ron has a point, though."; "Mr. Okonkwo is quiet").
_STATES = frozenset(("is", "has", "does"))
# After a name, a word in -s that is no verb ("Emma thus", "Catherine perhaps").
_NOT_VERBS = frozenset(
    "as thus perhaps towards afterwards always sometimes besides across unless yes this "
    "us less was its his hers nevertheless whereas sideways upwards downwards".split()
)


# "“…” He propped his chin on his hand.": a beat of "he" or "she" after speech is a
# pronoun tag, resolved as "he said" is.
_BEAT_PRONOUNS = {"He": "M", "She": "F"}
# ...but not what the listener feels or perceives: "“I'm pregnant.” He felt sick.",
# "He swallowed hard."
_NOT_PRONOUN_BEATS = frozenset(
    "feel feels felt hear hears heard notice notices noticed realise realises realised "
    "realize realizes realized wonder wonders wondered swallow swallows swallowed "
    "know knows knew think thinks thought".split()
)


# ...nor, before speech, one that hands something over or touches the other: "He
# pressed a small box into her hands. “What is it?”" is her question.
_TO_THE_OTHER = frozenset(
    "hand hands handed give gives gave pass passes passed press presses pressed show shows "
    "showed offer offers offered slide slides slid toss tosses tossed throw throws threw "
    "kiss kisses kissed hug hugs hugged push pushes pushed hold holds held place places "
    "placed put puts".split()
)


def _pronoun_beat(who: str, verb: str, before: bool = False) -> Tag | None:
    """The pronoun tag a "He"/"She" beat next to speech makes, unless it is what one
    feels or perceives: the listener's after speech, and before it what another says;
    or, `before` speech, what one does to the other."""
    if verb in _NOT_PRONOUN_BEATS or (before and verb in _TO_THE_OTHER):
        return None
    return Tag(None, _BEAT_PRONOUNS[who], pronoun=True)


def beat_tag(
    cast: Cast, segment: str, at: int = 0, pronouns: bool = False, before: bool = False
) -> Tag | None:
    """The tag an action beat in the present tense at `at` in `segment` (the
    narration right after a stretch of speech) makes, if there is one; `pronouns`: a
    "he" or "she" beat makes a pronoun tag (fan fiction)."""
    match = _BEAT.match(segment, at)
    if match is None:
        return None
    who = match.group("who")
    verb = match.group("verb")
    if verb is None or match.group("negated") or verb in _REACTIONS:
        return None  # "Tamsin's hands": whose, not who
    if match.group("to_me"):
        return None  # "Ron elbows me in the ribs. “Ow!”": the narrator's answer
    if who in ("I", "you", "You"):
        if verb.endswith("ed") or verb in _PAST or verb in _NOT_ACTIONS:
            return None
        return Tag.person(who)
    if not verb.endswith("s") or verb in _NOT_VERBS or verb in _STATES:
        return None
    if who in _BEAT_PRONOUNS:
        return _pronoun_beat(who, verb, before) if pronouns else None
    index = cast.lookup(who)
    return Tag(index, explicit=True) if index is not None else None


def past_beat(cast: Cast, segment: str, at: int = 0, after: bool = True) -> Tag | None:
    """The tag a beat in the past tense at `at` in `segment` makes, in fan fiction:
    right after a stretch of speech (`after`: "“It's resting.” Ravi held a spring up
    to the lamp.") or as the last sentence before a paragraph's first ("Enjolras did
    not look up from the pamphlet. “Is there anything in it?”"); a name acting, not
    being ("Ron was tired", "Ron could see it"). After speech, a start or a refusal is
    the listener's ("“I'm pregnant.” Ron froze.", "Ron did not answer"); before it, the
    speaker's ("Harry froze. “What did you say?”", "He looked at her. “Advice?”": on
    the looked-at fan fiction +6 right, +9 coloured right, with the present tense's).
    The narrator's too, in a story told in the first person ("I cleared my throat.
    “Um. Hi.”")."""
    match = _BEAT.match(segment, at)
    if match is None or match.group("who") in ("you", "You"):
        return None
    if match.group("to_me") and match.group("who") != "I":
        return None  # ("I cleared my throat." is the narrator's own act.)
    verb = match.group("verb")
    if verb is None or verb in _BEING or not (verb.endswith("ed") or verb in _PAST):
        return None
    if after and (
        verb in _PAST_REACTIONS
        or verb == "did"
        or match.group("negated")
        or " never " in match.group()
    ):
        return None
    if match.group("who") == "I":
        # ("I heard a voice behind me. “Hey.”": what the narrator perceives speaks.)
        return None if verb in _PAST_PERCEIVING else Tag.person("I")
    if match.group("who") in _BEAT_PRONOUNS:
        return _pronoun_beat(match.group("who"), verb, before=not after)
    index = cast.lookup(match.group("who"))
    return Tag(index, explicit=True) if index is not None else None


# Before speech, a part of someone that moves is theirs to speak: "Rey's head came up.
# “I'm here, General.”", "Harry's eyes narrow. “What?”" (after speech it is as often the
# listener's: "“…” Ron's face fell."). Only parts of the body: any noun took "Harry's
# question surprised Hermione. “Every day.”" and "Dean's old car sits…" for theirs.
_PART_MOVES = re.compile(
    rf"[\s,;:—–\-]*(?P<who>{NAME_RE})['’]s\s+(?:head|eyes|face|mouth|jaw|lips|brows?|"
    r"eyebrows|chin|gaze|expression|hands?|shoulders|ears|nose|fingers|arms|throat|"
    r"cheeks|mandibles)\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)\b(?!['’]t)"
)


def part_moves_before(cast: Cast, segment: str, at: int, present: bool) -> Tag | None:
    """The tag "Rey's head came up." makes as the last sentence (at `at`) before a
    paragraph's first speech, in the story's tense (`present`)."""
    match = _PART_MOVES.match(segment, at)
    if match is None:
        return None
    verb = match.group("verb")
    if present:  # ("her eyes narrow": a plural part's verb has no -s)
        moved = not (
            verb.endswith("ed") or verb in _PAST or verb in _STATES or verb in _NOT_VERBS
        ) and verb not in ("are", "have", "do")
    else:
        moved = (verb.endswith("ed") or verb in _PAST) and verb not in _BEING
    index = cast.lookup(match.group("who")) if moved else None
    return Tag(index, explicit=True) if index is not None else None


def past_beat_before(cast: Cast, segment: str) -> Tag | None:
    """`past_beat` as the last sentence of the narration before the first speech."""
    at = last_sentence(segment)
    if at is None:
        return None
    return past_beat(cast, segment, at, after=False) or part_moves_before(cast, segment, at, False)


def beat_lead(
    cast: Cast, text: str, present: bool, tags: Sequence[Tag | None] = ()
) -> Tag | None:
    """In fan fiction, what a narration paragraph that ends on a beat says of an
    untagged speech in the next ("Ukai stubbed out the cigarette and flipped the sign.
    / “Right, go home, all of you.”"): its character, likely the speaker but no tag
    (`present`: the story's tense). Where the speech has `tags`, only if they are all
    "he"/"she" and the beat's character may be that pronoun (not one of the other
    gender, nor the narrator, whom the story calls "I")."""
    tagged = [tag for tag in tags if tag is not None]
    if any(not tag.pronoun for tag in tagged):
        return None  # a tag of its own names the speaker
    lead = (beat_before if present else past_beat_before)(cast, text)
    if lead is None:
        return None
    lead.explicit, lead.beat = False, True
    gender = cast.characters[lead.who].gender if lead.who is not None else lead.gender
    return lead if all(gender in ("", tag.gender) for tag in tagged) else None


# The last sentence of the narration before a paragraph's first speech, if short.
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.!?…]\s))[^.!?…“”\"]{1,250}[.!?…:,—–]?\s*$")


def beat_before(cast: Cast, segment: str, pronouns: bool = False) -> Tag | None:
    """The tag an action beat in the present tense makes as the last sentence before a
    paragraph's first speech ("Ron sticks his head in. “Harry! Mate…”", "I hold up one
    of the clippings. “Guys. Focus.”"): the sentence right before speech is the
    speaker's, as the one right after is."""
    at = last_sentence(segment)
    if at is None:
        return None
    return beat_tag(cast, segment, at, pronouns, before=True) or part_moves_before(
        cast, segment, at, True
    )


def last_sentence(segment: str) -> int | None:
    """Where the last sentence of narration before a speech starts, if it is short."""
    last = _LAST_SENTENCE.search(segment, max(0, len(segment) - 260))
    return last.start() if last is not None else None


# "“Sherlock, it's Greg.” Lestrade's voice came out thin and crackly": whose voice it
# is says who speaks, in any tense. ("voice-mail" is no voice.)
# (Whose: a name, or "the Captain", the one of that title: tags.owner_of.)
_OWNED_VOICE = rf"(?:(?P<the>[Tt]he)\s+)?(?P<owner>{NAME_RE})['’]s\s+voice\b(?!-)"
_VOICE = re.compile(rf"[\s,;:—–\-]*{_OWNED_VOICE}")
# ...and before speech only as a lead-in: "Then came Cecil's voice: “…”", "Lestrade's
# voice crackled down the line: “…”" ("Sherlock's voice trailed off. “Sherlock?”" is
# someone else's answer).
_VOICE_BEFORE = re.compile(rf"(?:(?:[Tt]hen\s+|[Aa]nd\s+)?came\s+)?{_OWNED_VOICE}")
# A voice that sounds ("Bobby's voice crackled over the speakerphone. “…”") leads into
# its own speech; one that stops ("trailed off", "cut out", "drifted off") hands over to
# another, and one described ("was the last thing John expected") may be what the
# speaker hears.
_VOICE_SOUNDS = re.compile(
    r"\s+(?:crackled|rang|boomed|called|floated|echoed|carried|sounded|rose|softened|"
    r"hardened|cracked|wavered|shook|filtered|blared|buzzed|croaked|rasped|snapped|"
    r"whispered|cut(?!\s+(?:out|off)))\b"
)


def voice_tag(cast: Cast, segment: str) -> Tag | None:
    """The tag a character's voice makes as the sentence right after a stretch of
    speech (`segment`, the narration after it), unless it leads into the next one
    ("“Where are you?” Lestrade's voice crackled back: “Streatham.”")."""
    match = _VOICE.match(segment)
    if match is None or segment.rstrip().endswith(":"):
        return None
    return _voiced(cast, match)


def voice_before(cast: Cast, segment: str) -> Tag | None:
    """The tag a character's voice makes as the last sentence of the narration
    before a paragraph's first speech, when it leads into it ("Then came Cecil's
    voice:")."""
    at = last_sentence(segment)
    match = _VOICE_BEFORE.match(segment, at) if at is not None else None
    if match is None or not (
        segment.rstrip().endswith(":")
        or "came" in match.group()
        or _VOICE_SOUNDS.match(segment, match.end())
    ):
        return None
    return _voiced(cast, match)


def _voiced(cast: Cast, match: re.Match[str]) -> Tag | None:
    index = owner_of(cast, match)
    return Tag(index, explicit=True) if index is not None else None


_PRESENT_TAGS = re.compile(r"\b(?:says|asks)\b")
_PAST_TAGS = re.compile(r"\b(?:said|asked)\b")
_TENSE_SAMPLE = 400  # speech paragraphs read for the story's tense, at most


def tells_present(texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> bool:
    """Whether a story's tags are in the present tense: "says"/"asks" more often than
    "said"/"asked" in the narration of its first speech paragraphs (where tags are;
    not in the speech, whose "he said" may tell of the past in a story told in the
    present)."""
    present = past = read = 0
    for text, found in zip(texts, spans, strict=True):
        if found:
            edge = 0
            for start, end in (*found, (len(text), len(text))):
                present += len(_PRESENT_TAGS.findall(text, edge, start))
                past += len(_PAST_TAGS.findall(text, edge, start))
                edge = max(edge, end)
            read += 1
            if read == _TENSE_SAMPLE:
                break
    return present > past
