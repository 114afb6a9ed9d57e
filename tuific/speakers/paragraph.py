"""What one paragraph says about who speaks in it: its speech tags (tags.py), the names in
its narration, and the names its speech calls out to. A name set off by commas inside
speech ("…, Lizzy, …") is a vocative: it names the addressee.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence

from tuific.speakers.beats import (
    beat_before,
    beat_tag,
    past_beat,
    past_beat_before,
    voice_before,
    voice_tag,
)
from tuific.speakers.called import CALLED, CALLED_BACKWARDS, CALLED_GENDER, ENDEARMENT, MY
from tuific.speakers.cast import Cast
from tuific.speakers.names import DEVICE_WORDS
from tuific.speakers.nested import inside, nested_quotes
from tuific.speakers.self_named import self_named
from tuific.speakers.tags import tag_after, tag_before
from tuific.speakers.turn import Tag, Turn

# Speech that ends this way calls out to a name: "…, Lizzy." / "Lizzy, come here".
_VOC_BEFORE = re.compile(r"(?:[,!?;.—–\-(\"“‘']\s*|\b(?:dear|my|oh|Oh|O|dearest)\s+)$")
_CLOSING = frozenset("\"”’'» ")  # what may close a speech after its last mark
# A voice the story writes in capitals: a speech of three words or more with no small
# letter of any script ("I, THE GREAT PAPYRUS"), a habit as a form of address is (see
# habits and keep_capitals). (No small letter a to z first: the search that rules
# out nearly every speech.)
_LOWER = re.compile(r"[a-z]")
# ...not a shout: a verb of shouting in the tag after it.
_SHOUTED = re.compile(r"\b(?:yell|shout|scream|roar|bellow|holler|shriek)(?:s|ed|ing)?\b")
_TAG_LOOK = 40  # characters after a speech read for its tag's verb
CAPITALS = "(capitals)"  # (no form of address: see called)
_SPEAKS_IN_CAPITALS = 3  # a speaker's tagged speeches in capitals, at least, for a habit


def _in_capitals(said: str) -> bool:
    """Whether a speech is three words or more, every letter of them a capital."""
    return said.isupper() and len(said.split(None, 3)) > 2


def keep_capitals(turns: Sequence[Turn], anchors: Sequence[int | None]) -> None:
    """Keep speech in capitals as a habit only where someone speaks that way: of the
    turns a tag names them in, three or more, and half or more, are in capitals
    (Papyrus); else it is a shout (Finn's "EVERYBODY GET DOWN!") and tells no one."""
    spoke: Counter[int] = Counter()
    shouted: Counter[int] = Counter()
    for turn, who in zip(turns, anchors, strict=True):
        if who is not None:
            spoke[who] += 1
            shouted[who] += CAPITALS in turn.forms
    if not any(n >= _SPEAKS_IN_CAPITALS and 2 * n >= spoke[w] for w, n in shouted.items()):
        for turn in turns:
            if CAPITALS in turn.forms:
                turn.forms = [form for form in turn.forms if form != CAPITALS]


# Words in quotes that are written, not said: "a brass plate on the handle that read
# “PROPERTY OF…”", "The sign on the door says “BACK IN 5 MIN”": a thing, a few words of
# narration (not a name, nor "until Hermione said"), and its verb.
_THING = (
    r"sign|note|plate|label|card|screen|message|caption|banner|headline|inscription|"
    r"engraving|sticker|poster|notice|placard|board|tag|cup|mug|plaque|receipt|footnote"
)
_NOT_BETWEEN = (
    r"and|then|until|when|while|as|before|after|because|so|once|if|who|we|it|he|she|they|you"
)
_WRITTEN = re.compile(
    # "its sign, painted by someone with more enthusiasm than skill, read “…”": an
    # aside between commas may stand between the thing and its verb.
    rf"\b(?:{_THING})(?:,[^,.!?“”\"‘’]{{1,80}},)?(?:\s+(?!(?:{_NOT_BETWEEN})\b)[a-z’'-]+){{0,6}}?"
    r"(?:,?\s+(?:that|which))?\s+(?:read|reads|said|says)(?:\s+(?:only|simply|just))?[\s,:]*$"
    # "…a card stuck in the window. It read: “…”", "a banner…. It was made of paper
    # letters strung on a ribbon, and it said “…”": the thing earlier in the words read.
    rf"|\b(?:{_THING})\b[^“”\"]{{0,110}}?\b(?:[Ii]t|[Tt]his)\s+(?:read|reads|said|says)[\s,:]*$"
)
# Where no tag names the speaker, words put on a thing by hand or machine ("a board
# lettered in white paint: “…”"; not "carved the turkey and announced: “…”")...
_LETTERED = re.compile(
    r"\b(?:lettered|painted|printed|scrawled|chalked|carved|stencil+ed|engraved|inscribed|"
    r"embroidered)\s+(?:in|on|onto|into|across|with|over|along|under|above|below)\b"
    r"(?:(?!\band\b)[^.!?“”\"]){0,60}:\s*$"
)
# ...words quoted as words ("under the words “…”", "liked the sound of “almondine.”";
# not "she heard the words, “…”", "whispers the words", "at the sound of “Dean!”")...
_AS_WORDS = re.compile(r"\bthe\s+(?:words?|(?P<sound>sound\s+of))[\s,:]*$")
_LIKED = re.compile(r"\b(?:like|likes|liked|love|loves|loved|hate|hates|hated)\s*$")
_HEARD = re.compile(
    r"\b(?:hear|hears|heard|hearing|catch|catches|caught|say|says|said|saying|speak|speaks|"
    r"spoke|utter|utters|uttered|murmur|murmurs|murmured|whisper|whispers|whispered|shout|"
    r"shouts|shouted|cry|cries|cried|repeat|repeats|repeated|mouth|mouths|mouthed|breathe|"
    r"breathes|breathed)\b(?:\s+[\w'’]+){0,2}\s*$"
)
# Words in quotes written in letters, with no verb of speech between, where no tag
# follows the speech: "in smaller letters that Stan had added with a marker, “NO
# CRYING.”" (not "in big letters, and Dean said, “…”", nor "Emma laid down her letters,
# “Poor Harriet!” cried Emma.").
_SPEECH_BETWEEN = (
    r"say|says|said|ask|asks|asked|replied|replies|answered|shouted|yelled|called|cried|"
    r"whispered|muttered|murmured|told|tells|spoke|speaks|exclaimed|added(?=\s*[,:])|began|laughed|"
    r"continued|went\s+on"
)
_LETTERING = re.compile(
    r"\bin\s+(?:[a-z’'-]+\s+){0,2}(?:letters|lettering|capitals|handwriting|scrawl)\b"
    rf"(?:(?!\b(?:{_SPEECH_BETWEEN})\b)[^.!?“”\"‘’]){{0,80}}$"
)
# A radio that sounds right before speech ("The radio crackles again. “Peralta.”", "The
# walkie hisses."): the voice is someone's elsewhere, not the last named one's. (A phone
# that rings or buzzes is answered by someone in the room: "His phone rings. “Peralta.”")
_DEVICE = "|".join((*DEVICE_WORDS, "speaker"))  # ("The speaker crackled")
_DEVICE_SOUNDS = re.compile(
    rf"(?:^\s*|[.!?…]\s+)(?:The|A|His|Her|My|Your|Their|Our)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:{_DEVICE})\s+(?:[a-z]+ly\s+)?(?:crackle[sd]?|hiss(?:es|ed)|squawk(?:s|ed)|"
    r"pop(?:s|ped)|spits?|spat|(?:comes?|came|bursts?) (?:alive|to life|on))"
    r"(?:\s+(?:again|once|twice|briefly|loudly|softly|sharply|suddenly|faintly|to life|into life))?"
    r"[.!?…:]\s*$"
)
# ...and words read out from a letter or a screen: "“…,” she read.", "…and read it
# aloud: “…”" (not "“…” He reads it again."). They are the writer's, whom the reading
# seldom names: no one's here.
_READ_OUT = re.compile(
    r"\bread(?:s|ing)?\s+(?:it\s+|them\s+|this\s+)?(?:aloud|out)\b[^.!?“”\"]{0,80}[.:,]?\s*$"
)
_READ_OUT_AFTER = re.compile(
    r"\s*(?:,\s*)?(?:he|she|I|they|[A-Z][\w'’-]+)\s+(?:read|reads)(?:\s+(?:aloud|out))?\s*[,.:;—–]"
)
_LOOK_BACK = 120  # characters before a quotation that the patterns above read
_VOC_AFTER = re.compile(r"^(?:\s*[,!?.;—–\-)]|\s*$)")
# As r"\b[Hh]e\b" and r"\b[Ss]he\b", but opening on their first letter (see called.CALLED): a
# pattern that opens with \b is tried at every place.
_SUBJECT_PRONOUNS = (
    ("M", re.compile(r"[Hh](?<!\w.)e\b")),
    ("F", re.compile(r"[Ss](?<!\w.)he\b")),
)


def read_turn(
    cast: Cast,
    index: int,
    text: str,
    spans: list[tuple[int, int]],
    beats: bool = False,
    fandom: bool = False,
    previous: str = "",
) -> Turn:
    """Tags, narration names and vocatives of one paragraph with speech; `beats`: the
    story is told in the present tense, where an action beat after speech is a tag;
    `fandom`: it is fan fiction (its header names a fandom), where a beat next to the
    speech is one in the past tense too; `previous`: the paragraph before, where a device
    a hail comes through may be named ("His comm badge chirped.")."""
    turn = Turn(index, spans)
    regex = cast.regex
    by_alias = cast.by_alias
    edge = 0
    for n, (start, end) in enumerate(spans):
        before = text[edge:start]
        after_end = spans[n + 1][0] if n + 1 < len(spans) else len(text)
        after = text[end:after_end]
        for m in regex.finditer(text, edge, start):
            who = by_alias[m.group()]
            turn.mentions.append((m.start(), who))
            turn.named.append(who)
            if n == 0 and turn.first is None:
                turn.first = who
        ended = text[end - 2 : end - 1] == "." if end > 1 else False
        tag = tag_after(cast, after, ended) if after.strip() else None
        back = max(0, len(before) - _LOOK_BACK)
        if (
            _WRITTEN.search(before, back)
            or ((tag is None or not tag.explicit) and _written_or_read(before, back, after))
            or (
                tag is None
                and (_DEVICE_SOUNDS.search(before, back) or _LETTERING.search(before, back))
            )
        ):
            tag = Tag.unnamed(start)
        elif tag is not None:
            tag.pos = end
        elif before.strip():
            tag = tag_before(cast, before)
            if tag is not None:
                tag.pos = start
        if tag is None:
            first_before = before if n == 0 else ""
            tag = _beat_or_voice(cast, text, start, end, first_before, after, beats, fandom)
        if tag is None or tag.pronoun:
            # "“I’m Ginny,” she said.": the speech names its speaker surer than "she".
            tag = self_named(cast, text, start, end, tag.gender if tag else "", previous) or tag
        turn.tags.append(tag)
        if tag is not None and tag.to is not None and tag.to != tag.who:
            turn.vocatives.append(tag.to)  # spoken to, as if called by name
        if not turn.listener and CALLED_BACKWARDS.search(text[start:end][::-1]):
            called = CALLED.search(text, start, end)
            if called:
                turn.called = called.group(1).lower().replace("’", "'")
                turn.listener = CALLED_GENDER[turn.called]
                turn.forms.append(turn.called)
        if _LOWER.search(text, start, end) is None and _in_capitals(text[start:end]):
            if not _SHOUTED.search(text, end, end + _TAG_LOOK):  # ("“DOWN!” Finn yelled.")
                turn.forms.append(CAPITALS)
        if MY.search(text, start, end):
            for m in ENDEARMENT.finditer(text, start, end):
                turn.forms.append(" ".join(m.group(1).lower().split()))
        nested = nested_quotes(text, start, end)
        starts = [a for a, _b in nested]
        # (No one calls out their own name: "“Okonkwo. Emmanuel Okonkwo.”" introduces him.)
        own = tag.who if tag is not None and tag.explicit else None
        for m in regex.finditer(text, start, end):
            if nested and inside(nested, starts, m.start()):
                continue
            who = by_alias[m.group()]
            if who == own:
                continue
            if _calls(text, start, end, m):
                turn.vocatives.append(who)
                turn.forms.append(m.group())
            else:
                turn.in_speech.append(who)
        edge = end
    if spans:
        # Its last speech's last mark before the closing quote (no copy of the speech).
        start, at = spans[-1][0], min(spans[-1][1], len(text)) - 1
        while at > start and text[at] in _CLOSING:
            at -= 1
        turn.asks = at >= start and text[at] == "?"
    for m in regex.finditer(text, edge):
        who = by_alias[m.group()]
        turn.mentions.append((m.start(), who))
        turn.named.append(who)
    if turn.mentions:
        _tag_objects(turn, text)
    # The first "he" and the first "she" of the narration: a search for each that
    # stops there (reading every pronoun of the paragraph cost more).
    narration = []
    edge = 0
    for start, end in [*spans, (len(text), len(text))]:
        narration.append((edge, start))
        edge = end
    for gender, pronoun in _SUBJECT_PRONOUNS:
        for edge, start in narration:
            found = pronoun.search(text, edge, start)
            if found:
                turn.first_pronoun[gender] = found.start()
                break
    return turn


_SENTENCE_END = re.compile(r"[.!?;“\"‘]")


def _tag_objects(turn: Turn, text: str) -> None:
    """Names in the sentence of a pronoun tag after speech ("…," he added, desiring
    to help Rodney): someone else than the speaker, nearly always."""
    positions: list[int] = []  # of the mentions (in order: read left to right)
    found: dict[int, None] = {}  # each once, in order (a dict: thousands of them)
    for (_start, end), tag in zip(turn.spans, turn.tags, strict=True):
        if tag is None or not tag.pronoun or tag.described or tag.pos != end:
            continue
        positions = positions or [pos for pos, _who in turn.mentions]
        stop = _SENTENCE_END.search(text, end + 1)
        limit = stop.start() if stop else len(text)
        first, last = bisect_right(positions, end), bisect_left(positions, limit)
        found.update((who, None) for _pos, who in turn.mentions[first:last])
    turn.objects = list(found)


def narration_mentions(cast: Cast, text: str) -> list[tuple[int, int]]:
    """(position, character) of each name in a paragraph without speech, in order."""
    by_alias = cast.by_alias
    return [(m.start(), by_alias[m.group()]) for m in cast.regex.finditer(text)]


def _written_or_read(before: str, back: int, after: str) -> bool:
    """Whether the narration around a stretch of speech (`before` it, from `back`, and
    `after` it) says its words are lettered on a thing, quoted as words, or read out."""
    if _LETTERED.search(before, back) or _READ_OUT.search(before, back):
        return True
    if _READ_OUT_AFTER.match(after):
        return True
    found = _AS_WORDS.search(before, back)
    if found is None:
        return False
    prior = before[max(0, found.start() - _PRIOR) : found.start()]
    if found.group("sound"):
        return _LIKED.search(prior) is not None
    return _HEARD.search(prior) is None


_PRIOR = 40  # characters before "the words" read for the verb that hears them


def _beat_or_voice(
    cast: Cast,
    text: str,
    start: int,
    end: int,
    before: str,
    after: str,
    beats: bool,
    fandom: bool,
) -> Tag | None:
    """The tag the narration next to the stretch of speech from `start` to `end`
    gives where no speech tag does, tried in this order: an action beat in the
    present tense (`beats`) after it, then before it; in fan fiction (`fandom`) told
    in the past, one in the past tense; a character's voice. `before`: the narration
    before a paragraph's first stretch ("" for the others)."""
    past = fandom and not beats
    after = after if after.strip() else ""
    before = before if before.strip() else ""
    if beats and after and (tag := beat_tag(cast, after, pronouns=fandom)):
        return _placed(tag, end)
    if beats and before and (tag := beat_before(cast, before, fandom)):
        return _placed(tag, start)
    if past and after and (tag := _unless_called(past_beat(cast, after), cast, text, start, end)):
        return _placed(tag, end)
    if (
        past
        and before
        and (tag := _unless_called(past_beat_before(cast, before), cast, text, start, end))
    ):
        return _placed(tag, start)
    if after and (tag := _unless_called(voice_tag(cast, after), cast, text, start, end)):
        return _placed(tag, end)
    if before and (tag := _unless_called(voice_before(cast, before), cast, text, start, end)):
        return _placed(tag, start)
    return None


def _placed(tag: Tag, pos: int) -> Tag:
    tag.pos = pos
    return tag


def _calls(text: str, start: int, end: int, name: re.Match[str]) -> bool:
    """Whether the speech from `start` to `end` calls out the `name` in it ("Wait,
    Lizzy!"), not speaks of it ("it's Greg")."""
    return bool(
        _VOC_BEFORE.search(text, max(start, name.start() - 12), name.start())
        and _VOC_AFTER.match(text[name.end() : min(end, name.end() + 3)])
    )


def _unless_called(tag: Tag | None, cast: Cast, text: str, start: int, end: int) -> Tag | None:
    """A voice's or a beat's tag, unless the speech calls that character by name
    ("Sherlock's voice trailed off. “Sherlock?”", "“Ron, I'm pregnant.” Ron dropped
    his fork.": whoever answers him, or speaks to him)."""
    if tag is None:
        return None
    for m in cast.regex.finditer(text, start, end):
        if cast.by_alias[m.group()] == tag.who and _calls(text, start, end, m):
            return None
    return tag
