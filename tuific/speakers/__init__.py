"""Who is speaking: every stretch of speech the reader highlights, with its speaker.

`attribute(texts, spans, meta, kinds=...)` takes a story's paragraphs as the reader
shows them, the speech spans of `tuific.dialogue.find_dialogue`, the story's metadata
and its paragraphs' kinds (where headings and scene breaks are), and returns one
`Attribution` per span, in reading order. Pure Python, no Textual; the
weights of the scorer ship in `weights.json` beside this file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from tuific.chapters import classify
from tuific.model import Metadata
from tuific.speakers.address import kin_vocatives
from tuific.speakers.beats import NEAR_SOMEONE, beat_lead, tells_present
from tuific.speakers.called import CALLED_GENDER
from tuific.speakers.cast import Cast
from tuific.speakers.cast_build import build_cast
from tuific.speakers.confidence import CONF_FEATURES, confidences
from tuific.speakers.decode import Context, decide, explicit
from tuific.speakers.departures import gone_by_paragraph
from tuific.speakers.feature_names import FEATURES
from tuific.speakers.gender import (
    fic_first_names,
    firm_gender,
    learn_pronouns,
    one_gender,
    pronoun_after,
)
from tuific.speakers.habits import signature_words
from tuific.speakers.header import (
    header_names,
    header_reader,
    paired_genders,
    signing_characters,
    silent_characters,
    tag_genders,
)
from tuific.speakers.leads import lead_vocative, read_lead
from tuific.speakers.narrator import (
    POV_LINE,
    find_narrator,
    header_point_of_view,
    point_of_view,
    settle_person,
    unnamed_narrator,
)
from tuific.speakers.nearby import scene_starts
from tuific.speakers.newcomers import Newcomers
from tuific.speakers.paragraph import keep_capitals, narration_mentions, read_turn
from tuific.speakers.places import PlaceCounter
from tuific.speakers.roles import add_narrated_roles
from tuific.speakers.self_named import late_names, named_next
from tuific.speakers.turn import Turn
from tuific.speakers.within import span_speakers
from tuific.startup_tricks import with_gc_paused

__all__ = [
    "Attribution",
    "attribute",
    "analyse",
    "load_confidence",
    "load_weights",
    "speech_counts",
    "SHOW_AT",
]

ROLE_MENTIONS = 16  # roles a fic's narration may name (see Cast.role_mentions), at most
SHOW_AT = 0.85  # confidence from which the reader colours a speech as its speaker: the lowest
# at which 95% are right on the PDNC development novels with a header (95.1% of the
# quotations shown; 95.2% of turns when each novel is scored by a model fitted
# without it), with the calibrated confidence of confidence.py; see
# benchmarks/bench_speakers.py and benchmarks/train_confidence.py --cv


class Attribution(NamedTuple):
    """One stretch of speech: where it is, what it says, who says it."""

    paragraph: int
    start: int
    end: int
    text: str
    speaker: str | None  # the character's fullest name, None when nobody fits
    confidence: float  # 0..1
    shown: bool  # confident enough for the reader to colour it as `speaker`


def speech_counts(found: Sequence[Attribution]) -> Counter[str]:
    """How many stretches of speech the pass gives each speaker, shown or not."""
    return Counter(a.speaker for a in found if a.speaker)


@cache
def load_confidence() -> tuple[float, ...] | None:
    """The confidence model's weights (see confidence.py), None when the file has none."""
    data = json.loads((Path(__file__).parent / "weights.json").read_text("utf-8"))
    if "confidence" not in data:
        return None
    return tuple(float(data["confidence"].get(name, 0.0)) for name in CONF_FEATURES)


PASSES = ("first", "second", "third")


def is_fan_fiction(meta: Metadata | None) -> bool:
    """Whether a story is read as fan fiction: its header names a fandom (AO3's and
    FanFicFare's always do; the PDNC novels, and a classic opened as plain text, do
    not)."""
    return meta is not None and bool(meta.fandoms)


@cache
def load_weights(fandom: bool = False) -> tuple[tuple[float, ...], ...]:
    """The scorer's weights for each pass in turn (one per decode.FEATURES name; a
    name missing from the file counts 0): the first, the second, the third. For fan
    fiction (`fandom`), with the corrections the file's "fandom" part adds to each
    (benchmarks/train_fic_speakers.py: fitted on the fic sets that may be looked at)."""
    data = json.loads((Path(__file__).parent / "weights.json").read_text("utf-8"))
    fic = data.get("fandom", {}) if fandom else {}
    passes = []
    for key in (key for key in PASSES if key in data):
        base, added = data[key], fic.get(key, {})
        passes.append(
            tuple(float(base.get(name, 0.0)) + float(added.get(name, 0.0)) for name in FEATURES)
        )
    return tuple(passes)


def analyse(
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    meta: Metadata | None,
    kinds: Sequence[str] | None = None,
) -> Context:
    """The cast and every turn, read from the text: the pass's input. `kinds`: each
    paragraph's kind, where the story's format marks headings and scene breaks."""
    header = header_names(meta.characters, meta.relationships) if meta else []
    speech = [bool(found) for found in spans]
    # Where headings and scene breaks are: as the format marks them, else by their
    # shapes, as the plain-text loader reads them (read once: the scenes need them too).
    kinds = kinds if kinds is not None else [classify(text) for text in texts]
    beats = tells_present(texts, spans)
    # Fan fiction writes the speaker's action next to their speech ("Enjolras looked
    # up. “…”", "“…” Ravi held up the spring."); the older novels as often the
    # listener's (on the PDNC development novels, the beat before speech read as a
    # tag lost 41 quotations; on the three fan fiction sets the two won 41, and 115
    # more of what the reader colours at 96.8% right).
    fandom = is_fan_fiction(meta)
    reader = header_reader(meta.characters, meta.relationships) if meta else ""
    tags = (meta.tags or ()) if meta else ()
    cast = build_cast(
        texts,
        header,
        speech,
        present=beats,
        reader=reader,
        tags=tags,
        fandoms=meta.fandoms if meta else (),
    )
    places = PlaceCounter(cast)
    cast.role_mentions = ROLE_MENTIONS if fandom else 0
    cast.roles.titles = fandom
    if fandom:
        add_narrated_roles(cast, texts, spans)
    newcomers = Newcomers(cast, texts, spans) if fandom else None
    turns: list[Turn] = []
    narrated: list[list[int]] = []
    placed: list[list[tuple[int, int]]] = []
    subjects: list[list[int]] = []  # per paragraph: names that are a sentence's subject
    subject_places: list[list[tuple[int, int]]] = []  # ...with where they stand
    opened_by: list[str] = []  # per narration paragraph: see gender.pronoun_after
    previous_open = False
    seen_by: int | None = None  # whose point of view a marker says this section is
    povs: list[int | None] = []  # ...for each turn
    for index, (text, found) in enumerate(zip(texts, spans, strict=True)):
        if newcomers is not None:
            newcomers.arrive(index)
        if not found:
            if len(text) <= POV_LINE:
                # A marker says whose point of view follows; a chapter's heading
                # ends the last one's.
                marker, pov = point_of_view(cast, text)
                seen_by = pov if marker else None if kinds[index] == "heading" else seen_by
            mentions = narration_mentions(cast, text) if cast.by_alias else []
            places.count(text, mentions)
            narrated.append([who for _pos, who in mentions])
            placed.append(mentions)
            found_subjects = _subjects(cast, text, mentions)
            subjects.append([who for _pos, who in found_subjects])
            subject_places.append(found_subjects)
            opened_by.append(pronoun_after(text, mentions))
            previous_open = False
            learn_pronouns(cast, text, mentions, (), found_subjects)
            continue
        pairs = [(a, b) for a, b in found]  # (spans given as lists, JSON's, too)
        previous = texts[index - 1] if index else ""
        turn = read_turn(cast, index, text, pairs, beats, fandom, previous)
        places.count(text, turn.mentions)
        turn.lead = read_lead(cast, texts, spans, index, turns, narrated)
        if fandom and turn.lead is None and index and not spans[index - 1]:
            turn.lead = beat_lead(cast, texts[index - 1], beats, turn.tags)
        if (to := lead_vocative(turn.lead)) is not None:
            turn.vocatives.append(to)  # spoken to, as if called by name
        lead = len(text) - len(text.lstrip())
        turn.continues = previous_open and found[0][0] == lead
        # Speech runs on when it reaches the paragraph's end with no closing mark.
        last = text[found[-1][1] - 1] if found[-1][1] else ""
        previous_open = found[-1][1] == len(text) and last not in "\"”’'»"
        turns.append(turn)
        povs.append(seen_by)
        narrated.append([who for pos, who in turn.mentions])
        placed.append(turn.mentions)
        turn.subjects = _subjects(cast, text, turn.mentions)
        subjects.append([who for _pos, who in turn.subjects])
        subject_places.append(turn.subjects)
        opened_by.append("")
        learn_pronouns(cast, text, turn.mentions, pairs, turn.subjects)
    cast.roles.release()  # (every tag is read)
    anchors = [explicit(turn) for turn in turns]
    keep_capitals(turns, anchors)
    kin_vocatives(turns, anchors, [c.gender for c in cast.characters], CALLED_GENDER)
    person, told = settle_person(turns, cast.reader, povs)
    narrator = find_narrator(turns, narrated, anchors, [c.from_header for c in cast.characters])
    if narrator is None and person == "I" and meta is not None:
        narrator = header_point_of_view(cast, meta.tags or ())  # "Feyre Archeron POV"
    if narrator is None and (unnamed := unnamed_narrator(person, told)) is not None:
        narrator = cast.reader if person == "Y" else None
        if narrator is None:
            narrator = cast.add_nameless(unnamed)
    if fandom and narrator is not None and person == "I":
        # A fic's "I", "me" and "my" in the narration name its narrator as "Evelyn" would:
        # "Rick took the handle off me." before an untagged exchange is Rick and the
        # narrator's (not the novels': development 11,000 -> 10,971 right).
        for index, text in enumerate(texts):
            at = _narrator_named(text, spans[index]) if kinds[index] != "heading" else None
            if at is not None:  # (not "Chapter I")
                narrated[index] = [who for _pos, who in sorted([*placed[index], (at, narrator)])]
    # "I said" in a first-person story names its speaker as surely as "said Emma": the
    # section's point of view where a marker says, else the story's narrator.
    for turn, seen in zip(turns, povs, strict=True):
        who = seen if seen is not None else narrator
        if who is None:
            continue
        for tag in (*turn.tags, turn.lead):
            if tag is not None and tag.gender == "I":
                # (A beat's lead stays a lead: "I set the kettle down." / "“Tea?”")
                tag.who, tag.explicit, tag.pronoun = who, not tag.beat, False
    words = signature_words(texts, turns)
    ctx = Context(cast, turns, narrated, words, scene_starts(texts, kinds, spans))
    ctx.narrator = narrator
    if fandom:
        fic_first_names(cast.characters)
    ctx.genders = one_gender(cast.characters, narrator, texts)
    if meta is not None:
        # The author's word outweighs a pronoun or two (a "she" after Castiel's name
        # was the waitress's), not a title, a first name or three pronouns.
        for name, gender in paired_genders(meta.categories, meta.relationships).items():
            who = cast.lookup(name)
            if who is not None and firm_gender(cast.characters[who]) in ("", gender):
                ctx.genders[who] = gender
        for who, gender in tag_genders(cast, tags).items():
            if not ctx.genders[who]:
                ctx.genders[who] = gender  # ("Dusa Is Trying Her Best")
    # Places, and who the header's tags say never speaks ("Silent Protagonist", "Morn
    # Never Says A Word"; the most named, their actions beside others' speech).
    silent = silent_characters(cast, tags, header, ctx.mentions) if meta is not None else set()
    ctx.set_never_speak(places.places(ctx.anchors) | silent)
    gone = gone_by_paragraph(
        texts, spans, cast.regex, subject_places, narrated, ctx.genders, ctx.talk_start
    )
    ctx.gone = [gone[turn.paragraph] for turn in turns]
    if meta is not None and (signing := signing_characters(cast, tags, header)):
        # ("Nonverbal Frisk": a candidate only where a tag names them, as one gone is.)
        ctx.gone = [left | signing for left in ctx.gone]
    ctx.subjects = subjects
    ctx.pronoun_after = opened_by
    return ctx


# Where a name is a sentence's subject: at the paragraph's start, after a sentence's
# end, a joining word (one that opens the sentence too: "… But Mrs. Hilbery had") or
# an opening adverb ("At last Gran pointed"), and followed by a word in lower case
# (its verb), not a participle: "at Sam holding the door and Cas waiting by the car"
# are what she looks at ("Sam and Dean bring the pie", "Dean sing-songs" are verbs).
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.!?;:,][\"”’]?\s+|\b(?:[Aa]nd|[Bb]ut|[Tt]hen|[Ww]hen|[Ww]hile|[Aa]t last|[Aa]t length|"
    r"[Ff]inally|[Ss]uddenly|[Pp]resently|[Nn]ow|[Ss]o)\s+|"
    # ...or a place opening the sentence: "Behind him Donna squeezes out of the door"
    rf"(?:^|[.!?][\"”’]?\s+){NEAR_SOMEONE}\s+)$"
)
# The narrator of a first-person story, in its narration: "I", "me", "my", "myself".
_FIRST_PERSON = re.compile(r"(?<![\w'’])(?:I|[Mm]e|[Mm]y|[Mm]yself)(?!\w)")
_SUBJECT_LOOK = 24  # characters before a name that say it opens a clause
_VERB_AFTER = re.compile(
    r"\s+(?!(?:and|or|nor)\b|(?!(?:br|s|sw|r|spr|fl|cl|st|wr|str|sl)ing\b)[a-z]+ing\b(?!-))[a-z]"
)


def _narrator_named(text: str, spans: Sequence[Sequence[int]]) -> int | None:
    """Where the narration (not the speech of `spans`) last says "I", "me" or "my"."""
    # (The stretches of narration from the last back, each searched alone: the
    # speech, most of a first-person fic's text, is not read.)
    ends = [0, *(b for _a, b in spans)]
    starts = [*(a for a, _b in spans), len(text)]
    for start, end in zip(reversed(ends), reversed(starts), strict=True):
        last = None
        for match in _FIRST_PERSON.finditer(text, start, end):
            last = match.start()
        if last is not None:
            return last
    return None


def _subjects(cast: Cast, text: str, mentions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(position, character) of the names in `mentions` that are subjects: the one a
    later "he" or "she" most likely means."""
    out = []
    match = cast.regex.match
    for pos, who in mentions:
        if _SUBJECT_BEFORE.search(text, max(0, pos - _SUBJECT_LOOK), pos):
            name = match(text, pos)
            if name is not None and _VERB_AFTER.match(text, name.end()):
                out.append((pos, who))
    return out


def attribute(
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    meta: Metadata | None = None,
    show_at: float = SHOW_AT,
    kinds: Sequence[str] | None = None,
    weights: Sequence[Sequence[float]] | None = None,
) -> list[Attribution]:
    """Every stretch of speech with its speaker, in reading order (see module doc);
    `kinds`: each paragraph's kind (model.Paragraph.kind), when the story has them;
    `weights`: the scorer's, when not the package's (training)."""
    # It allocates hundreds of thousands of small lists, dicts and tuples and makes
    # no reference cycles: collections triggered by them took 8% of its time on the
    # PDNC novels (more in the reader, whose heap each full collection walks).
    return with_gc_paused(_attribute, texts, spans, meta, show_at, kinds, weights)


def _attribute(
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]] | None,
    meta: Metadata | None,
    show_at: float,
    kinds: Sequence[str] | None,
    weights: Sequence[Sequence[float]] | None,
) -> list[Attribution]:
    if spans is None:
        from tuific.dialogue import find_dialogue

        spans = find_dialogue(texts)
    ctx = analyse(texts, spans, meta, kinds)
    if weights is None:
        weights = load_weights(fandom=is_fan_fiction(meta))
    choices, dists = decide(ctx, weights)
    sure = confidences(ctx, choices, dists, load_confidence())
    names = [c.name for c in ctx.cast.characters]
    genders = ctx.genders
    # (paragraph, start, end, speaker, confidence) of each stretch, in reading order
    speeches = [
        (turn.paragraph, start, end, speaker, conf)
        for turn, (who, _prob), confidence in zip(ctx.turns, choices, sure, strict=True)
        for (start, end), (speaker, conf) in zip(
            turn.spans, span_speakers(turn, who, confidence, genders), strict=True
        )
    ]
    if is_fan_fiction(meta):
        roles = frozenset(ctx.cast.described.values())
        given = late_names(texts, speeches, roles, ctx.cast)
        for who, named in named_next(texts, speeches, roles, ctx.cast).items():
            given.setdefault(who, names[named])  # ("The Old Man", until "I'm Amos Tull")
        for who, name in given.items():
            names[who] = name  # ("you may call me Bramble": the fox's lines are Bramble's)
    out: list[Attribution] = []
    for paragraph, start, end, speaker, conf in speeches:
        shown_as = names[speaker] if speaker is not None else None
        conf = round(conf, 3)
        shown = shown_as is not None and conf >= show_at
        text = texts[paragraph][start:end]
        out.append(Attribution(paragraph, start, end, text, shown_as, conf, shown))
    return out
