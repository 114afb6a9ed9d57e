"""The features of a candidate speaker for one turn, from the turn's own evidence and
from the turns around it.

`feature_names.FEATURES` names them (weights.json holds one weight per name). `Own`
reads a turn's own evidence once (its tags, the names in its narration and speech, who
was named recently) and gives each candidate's features from it, as a sparse vector
for training or straight as a weighted sum for the pass; `sequential.py` gives the
features that read other turns' speakers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuific.speakers.feature_names import INDEX
from tuific.speakers.habits import shares, signature_shares
from tuific.speakers.nearby import of_gender, pronoun_candidates, pronoun_tag, recency
from tuific.speakers.turn import Turn

if TYPE_CHECKING:
    from tuific.speakers.decode import Context

_RECENT_I, _SALIENCE_I = INDEX["recent"], INDEX["salience"]
SPEAKS_I = INDEX["speaks"]
ALT_I, PICK_I, SURE_I = INDEX["alternation"], INDEX["first_pick"], INDEX["first_sure"]
_TAG_I = INDEX["tag"]
_TAG_OTHER_I = INDEX["tag_other"]
_LEAD_TAG_I = INDEX["lead_tag"]
_LEAD_LAST_I = INDEX["lead_last"]
_I_NARRATOR_I = INDEX["i_narrator"]
_PRON_FIRST_I = INDEX["pron_first"]
_PRON_SECOND_I = INDEX["pron_second"]
_PRON_PARA_I = INDEX["pron_para"]
_PRON_UNKNOWN_I = INDEX["pron_unknown"]
_PRON_MATCH_I = INDEX["pron_match"]
_PRON_CLASH_I = INDEX["pron_clash"]
_NARR_FIRST_I = INDEX["narr_first"]
_NARR_ANY_I = INDEX["narr_any"]
_NARR_ONLY_I = INDEX["narr_only"]
_NARR_PREV_I = INDEX["narr_prev"]
_NARR_NEXT_I, _NARR_NEXT_FIRST_I = INDEX["narr_next"], INDEX["narr_next_first"]
_NARR_PLAIN_I, _NARR_ONLY_PREV_I = INDEX["narr_prev_plain"], INDEX["narr_prev_only"]
_IN_SPEECH_I = INDEX["in_speech"]
_VOCATIVE_I = INDEX["vocative"]
_ADDRESSED_I = INDEX["addressed"]
_LISTENER_MATCH_I = INDEX["listener_match"]
_LISTENER_CLASH_I = INDEX["listener_clash"]
_PRON_SUBJECT_I = INDEX["pron_subject"]
_IN_PREV_SPEECH_I, _IN_NEXT_SPEECH_I = INDEX["in_prev_speech"], INDEX["in_next_speech"]
_LNEXT_MATCH_I, _LNEXT_CLASH_I = INDEX["listener_next_match"], INDEX["listener_next_clash"]
_ADDRESSED_NEXT_I = INDEX["addressed_next"]
_LEAD1_I = INDEX["lead1"]
_LEAD2_I = INDEX["lead2"]
_RECENT0_I = INDEX["recent0"]
_HEADER_I = INDEX["header"]
_NARR_SUBJECT_I = INDEX["narr_subject"]
_NARR_SUBJECT_NEAR_I = INDEX["narr_subject_near"]
_HABIT_I, _HABIT_NEVER_I = INDEX["habit"], INDEX["habit_never"]
_SIGNATURE_I = INDEX["signature"]
_DESC_PREV_I, _SIR_RECENT_I = INDEX["desc_prev"], INDEX["sir_recent"]
_ADDRESSED_Q_I = INDEX["addressed_q"]
_DESC_KIN_I, _TAG_OBJECT_I = INDEX["desc_kin"], INDEX["tag_object"]
HABIT_LINKED_I, SIGNATURE_LINKED_I = INDEX["habit_linked"], INDEX["signature_linked"]


_NEAR_SUBJECT = 120  # characters from a subject to the speech it stands right before


def _quick(items: list[int]) -> list[int] | dict[int, None]:
    """`items` to ask "is it in there" of, for every candidate: as they are when few
    (most turns), else a dict (in order, once each). A hostile speech calling 5,000
    names, before a paragraph naming 20,000 candidates, made the list's search grow
    with the square of the story."""
    return items if len(items) <= 8 else dict.fromkeys(items)



class Own:
    """What a turn's own evidence says, the same in both passes: worked out once, with
    each candidate's features from it."""

    # One per turn, read for every candidate: slots make its fields quicker to read,
    # and the object quicker to make and to free, than a __dict__ per turn.
    __slots__ = (
        "addressed_next",
        "addressed_prev",
        "in_speech",
        "vocatives",
        "ahead",
        "desc_prev",
        "desc_kin",
        "sir_recent",
        "asked",
        "ahead_of",
        "habit",
        "habit_known",
        "signature",
        "head",
        "lead_explicit",
        "lead_who",
        "listener",
        "listener_next",
        "named_set",
        "narr_after",
        "narr_next",
        "narr_next_first",
        "narr_prev",
        "objects",
        "prev_only",
        "prev_plain",
        "pron_first",
        "pron_para",
        "pron_second",
        "pron_subject",
        "ptag",
        "rank_of",
        "recent",
        "spoken_of",
        "spoken_of_next",
        "subject_before",
        "subject_near",
        "t",
        "tail",
        "vecs",
    )

    def __init__(self, ctx: Context, t: int, prev: list[tuple[int, int | None]]):
        turn = ctx.turns[t]
        par = turn.paragraph
        lead = turn.lead
        self.lead_who = lead.who if lead is not None else None
        self.lead_explicit = lead is not None and lead.explicit
        self.ptag = ptag = pronoun_tag(turn)
        self.recent = recent = recency(ctx, par, turn)
        # (Which turns came just before depends on paragraphs only, not on speakers.)
        # Who the last speech called to, when no more than a paragraph lies between:
        # after a scene's narration, the call is over.
        adjacent = bool(t and prev) and par - prev[0][0] <= 2
        self.addressed_prev = _quick(ctx.turns[t - 1].vocatives) if adjacent else []
        # ...and whether it asked them something: a question called to someone is
        # most often answered by them.
        self.asked = adjacent and ctx.turns[t - 1].asks
        # Named in the last speech (not called to): talked about, so likely absent.
        self.spoken_of = set(ctx.turns[t - 1].in_speech) if t and prev else set()
        # "Yes, sir": the last speech called its listener a man, so a man answers.
        self.listener = ctx.turns[t - 1].listener if t and prev and par - prev[0][0] <= 2 else ""
        following = ctx.next_turn(t, within=2)
        self.addressed_next = _quick(following.vocatives) if following is not None else []
        # "Yes, sir" in the next speech: this one was a man's.
        self.listener_next = following.listener if following is not None else ""
        self.spoken_of_next = set(following.in_speech) if following is not None else set()
        self.narr_prev = set(ctx.narrated[par - 1]) if par else set()
        # ...and whether that paragraph is narration alone (not a speech's tag), and
        # names one character only: "Emma looked up." before the speech.
        self.prev_plain = bool(par) and not (t and ctx.turns[t - 1].paragraph == par - 1)
        self.prev_only = len(self.narr_prev) == 1 and self.prev_plain
        # The narration paragraph just after the speech, when there is one: who it
        # names (the listener reacting, or the speaker going on).
        after = ctx.narrated[par + 1] if par + 1 < len(ctx.narrated) else []
        if after and t + 1 < len(ctx.turns) and ctx.turns[t + 1].paragraph == par + 1:
            after = []
        self.narr_after = after
        self.narr_next = set(after)
        self.narr_next_first = after[0] if after else None
        self.named_set = set(turn.named)
        self.in_speech = _quick(turn.in_speech)
        self.vocatives = _quick(turn.vocatives)
        self.objects = _quick(turn.objects)
        # The last name that is a sentence's subject before the speech: "Emma looked
        # up. "…"" is most likely Emma's (narr_first is the first name, any role).
        self.subject_before = self.subject_near = None
        first_speech = turn.spans[0][0]
        for pos, who in turn.subjects:
            if pos >= first_speech:
                break
            self.subject_before = who
            # ...in the sentence or two right before it ("Granger appears between the
            # shelves. “…”"): on the development novels, the speaker nine times in ten.
            self.subject_near = who if first_speech - pos < _NEAR_SUBJECT else None
        if self.subject_before is None and len(turn.spans) > 1 and not any(turn.tags):
            # "“Neville.” Ron turned the board round. “Mate.”": speech opens the
            # paragraph, and the subject between its first two stretches goes on.
            second = turn.spans[1][0]
            for pos, who in turn.subjects:
                if pos >= second:
                    break
                if pos >= turn.spans[0][1]:
                    self.subject_before = who
                    # (Near the second, or opening the narration right after the
                    # first: "“All right.” Daichi stepped into the middle of the shop
                    # and held up both hands, and …. “We’re not doing a quiz.”")
                    near = second - pos < _NEAR_SUBJECT or pos - turn.spans[0][1] <= 2
                    self.subject_near = who if near else None
        self.pron_first, self.pron_second, self.pron_para, self.pron_subject = (
            pronoun_candidates(ctx, turn, recent, ptag, self.prev_plain)
        )
        self.rank_of = {who: rank for rank, who in enumerate(recent)}  # (each once in it)
        # "…," cried Mr. Weston. / "…," said the young man: a description is seldom the
        # one the speech before named in its tag.
        # (Not where the turn's own tag names its speaker: "“What?” said Ron. “Nothing,”
        # said the boy." says nothing against Ron for the turn.)
        self.desc_prev = (
            ctx.anchors[t - 1]
            if ptag is not None
            and ptag.described
            and ptag.gender
            and adjacent
            and ctx.anchors[t] is None
            else None
        )
        # "…," said his wife / cried her mother: someone of the family of the last man
        # (woman) named, most often of their surname (Mrs. Elton, of Mr. Elton).
        self.desc_kin: tuple[int, ...] = ()
        if ptag is not None and ptag.kin:
            owner, their = ptag.owner, ptag.owner_gender == "*"  # (whoever was named last)
            if owner is None and ptag.owner_gender in ("M", "F"):
                # "“Emma, my dear!” called her father": the one the speech calls, where
                # the cast knows their family; a parent's child, not one the text gives
                # an elder's title ("“Mrs. Weston, do sit down,” said her father").
                called = next(
                    (
                        c
                        for c in turn.vocatives
                        if ctx.genders[c] == ptag.owner_gender
                        and not (ptag.generation > 0 and ctx.cast.is_elder(c))
                    ),
                    None,
                )
                if called is not None:
                    self.desc_kin = ctx.cast.kin(called, ptag.gender, ptag.generation)
            if owner is None and ptag.owner_gender and not self.desc_kin:
                before = recency(ctx, par, turn, before=ptag.pos)
                of = iter(before) if their else of_gender(ctx, before, ptag.owner_gender)
                owner = next(of, None)
            if owner is not None:
                # (After "said Lady Bridgerton", "their mother" may be the one named last.)
                self.desc_kin = ctx.cast.kin(owner, ptag.gender, ptag.generation, their)
        # "I admired your resolution, sir": the speech calls a man; the man named last
        # is most likely that listener, not the speaker.
        self.sir_recent = None
        if turn.listener in ("M", "F"):
            self.sir_recent = next(
                (c for c in recent if ctx.genders[c] == turn.listener), None
            )
        # How it calls its listener, and its words, against the tagged turns' (habits.py).
        self.habit, self.habit_known = shares(ctx.habits, turn.forms, ctx.anchors[t])
        self.signature = signature_shares(ctx.signatures, ctx.words[t], ctx.anchors[t])
        self.t = t
        self.vecs: dict[int, dict[int, float]] = {}
        # The candidates that do not hang on other turns' speakers (set by the pass).
        self.head: tuple[int | None, ...] = ()
        self.tail: tuple[int | None, ...] = ()
        # The own scores under a later pass's weights, worked out with the first
        # pass's (see score_both), and the weights they are for (decode.Context.paired).
        self.ahead: dict[int, float] = {}
        self.ahead_of: object = None

    def vec(self, ctx: Context, c: int) -> dict[int, float]:
        """Candidate `c`'s features from this turn's own evidence (worked out once)."""
        f = self.vecs.get(c)
        if f is None:
            f = self.vecs[c] = self._features(ctx, c, ctx.anchors[self.t], ctx.turns[self.t])
        return f

    def score(self, ctx: Context, c: int, w: Sequence[float]) -> float:
        """The weighted sum of candidate `c`'s own features: `_features` with each
        feature's weight added where it sets the feature, in the same order, so the
        sum is the same to the last bit (a test checks the two agree). The pass
        calls this for every candidate; building the dict and then summing it was
        a fifth of the attribution's time."""
        turn = ctx.turns[self.t]
        anchor = ctx.anchors[self.t]
        s = 0.0
        ptag = self.ptag
        if anchor is not None:
            s += w[_TAG_I] if c == anchor else w[_TAG_OTHER_I]
        if c == self.lead_who:
            s += w[_LEAD_TAG_I] if self.lead_explicit else w[_LEAD_LAST_I]
        if ptag is not None:
            # The narrator of a first-person story is "I", never "he" or "she": a
            # gender that fits no third-person tag.
            g = ctx.genders[c] if c != ctx.narrator else "I"
            if ptag.gender == "I":
                if c == ctx.narrator:
                    s += w[_I_NARRATOR_I]
            elif ptag.gender:
                if c == self.pron_first:
                    s += w[_PRON_FIRST_I]
                elif c == self.pron_second:
                    s += w[_PRON_SECOND_I]
                if c == self.pron_para:
                    s += w[_PRON_PARA_I]
                if c == self.pron_subject:
                    s += w[_PRON_SUBJECT_I]
                if not g:
                    s += w[_PRON_UNKNOWN_I]
                elif g == ptag.gender:
                    s += w[_PRON_MATCH_I]
                else:
                    s += w[_PRON_CLASH_I]
        if c == turn.first:
            s += w[_NARR_FIRST_I]
        if c == self.subject_before:
            s += w[_NARR_SUBJECT_I]
            if c == self.subject_near:
                s += w[_NARR_SUBJECT_NEAR_I]
        if c in self.named_set:
            s += w[_NARR_ANY_I]
            if len(self.named_set) == 1:
                s += w[_NARR_ONLY_I]
        if c in self.narr_prev:
            s += w[_NARR_PREV_I]
            if self.prev_plain:
                s += w[_NARR_PLAIN_I]
                if self.prev_only:
                    s += w[_NARR_ONLY_PREV_I]
        if c in self.narr_next:
            s += w[_NARR_NEXT_I]
            if c == self.narr_next_first:
                s += w[_NARR_NEXT_FIRST_I]
        if c in self.in_speech:
            s += w[_IN_SPEECH_I]
        if c in self.vocatives:
            s += w[_VOCATIVE_I]
        if c in self.addressed_prev:
            s += w[_ADDRESSED_I]
            if self.asked:
                s += w[_ADDRESSED_Q_I]
        if c in self.spoken_of:
            s += w[_IN_PREV_SPEECH_I]
        if c in self.spoken_of_next:
            s += w[_IN_NEXT_SPEECH_I]
        listener = self.listener
        if listener and ctx.genders[c]:
            s += w[_LISTENER_MATCH_I if ctx.genders[c] == listener else _LISTENER_CLASH_I]
        listener = self.listener_next
        if listener and ctx.genders[c]:
            s += w[_LNEXT_MATCH_I if ctx.genders[c] == listener else _LNEXT_CLASH_I]
        if c in self.addressed_next:
            s += w[_ADDRESSED_NEXT_I]
        if c in ctx.leads:
            s += w[_LEAD1_I if c == ctx.leads[0] else _LEAD2_I]
        rank = self.rank_of.get(c)
        if rank is not None:
            s += w[_RECENT_I] * (1.0 / (1 + rank))
            if rank == 0:
                s += w[_RECENT0_I]
        s += w[_SALIENCE_I] * ctx.salience[c]
        if ctx.headers[c]:
            s += w[_HEADER_I]
        if self.habit_known:
            share = self.habit.get(c)
            if share is None:
                s += w[_HABIT_NEVER_I]
            else:
                s += w[_HABIT_I] * share
        share = self.signature.get(c)
        if share is not None:
            s += w[_SIGNATURE_I] * share
        if c == self.desc_prev:
            s += w[_DESC_PREV_I]
        if c in self.desc_kin:
            s += w[_DESC_KIN_I]
        if c in self.objects:
            s += w[_TAG_OBJECT_I]
        if c == self.sir_recent:
            s += w[_SIR_RECENT_I]
        return s

    def score_both(self, ctx: Context, c: int, both: Sequence[complex]) -> tuple[float, float]:
        """`score` under two sets of weights at once, reading the features once:
        `both` holds the first set as real parts and the second as imaginary ones.
        A complex sum adds each part as a float sum of that part would, so each
        score equals `score` with its set alone, to the last bit (a test checks)."""
        total = complex(self.score(ctx, c, both))  # type: ignore[arg-type]
        return total.real, total.imag

    def _features(self, ctx: Context, c: int, anchor: int | None, turn: Turn) -> dict[int, float]:
        f: dict[int, float] = {}
        ptag = self.ptag
        if anchor is not None:
            f[INDEX["tag" if c == anchor else "tag_other"]] = 1.0
        if c == self.lead_who:
            f[INDEX["lead_tag" if self.lead_explicit else "lead_last"]] = 1.0
        if ptag is not None:
            g = ctx.genders[c] if c != ctx.narrator else "I"  # (see score)
            if ptag.gender == "I":
                if c == ctx.narrator:
                    f[INDEX["i_narrator"]] = 1.0
            elif ptag.gender:
                if c == self.pron_first:
                    f[INDEX["pron_first"]] = 1.0
                elif c == self.pron_second:
                    f[INDEX["pron_second"]] = 1.0
                if c == self.pron_para:
                    f[INDEX["pron_para"]] = 1.0
                if c == self.pron_subject:
                    f[_PRON_SUBJECT_I] = 1.0
                if not g:
                    f[INDEX["pron_unknown"]] = 1.0
                f[INDEX["pron_match" if g == ptag.gender else "pron_clash"]] = 1.0 if g else 0.0
        if c == turn.first:
            f[INDEX["narr_first"]] = 1.0
        if c == self.subject_before:
            f[_NARR_SUBJECT_I] = 1.0
            if c == self.subject_near:
                f[_NARR_SUBJECT_NEAR_I] = 1.0
        if c in self.named_set:
            f[INDEX["narr_any"]] = 1.0
            if len(self.named_set) == 1:
                f[INDEX["narr_only"]] = 1.0
        if c in self.narr_prev:
            f[INDEX["narr_prev"]] = 1.0
            if self.prev_plain:
                f[_NARR_PLAIN_I] = 1.0
                if self.prev_only:
                    f[_NARR_ONLY_PREV_I] = 1.0
        if c in self.narr_next:
            f[_NARR_NEXT_I] = 1.0
            if c == self.narr_next_first:
                f[_NARR_NEXT_FIRST_I] = 1.0
        if c in self.in_speech:
            f[INDEX["in_speech"]] = 1.0
        if c in self.vocatives:
            f[INDEX["vocative"]] = 1.0
        if c in self.addressed_prev:
            f[INDEX["addressed"]] = 1.0
            if self.asked:
                f[_ADDRESSED_Q_I] = 1.0
        if c in self.spoken_of:
            f[_IN_PREV_SPEECH_I] = 1.0
        if c in self.spoken_of_next:
            f[_IN_NEXT_SPEECH_I] = 1.0
        listener = self.listener
        if listener and ctx.genders[c]:
            f[INDEX["listener_match" if ctx.genders[c] == listener else "listener_clash"]] = 1.0
        listener = self.listener_next
        if listener and ctx.genders[c]:
            f[_LNEXT_MATCH_I if ctx.genders[c] == listener else _LNEXT_CLASH_I] = 1.0
        if c in self.addressed_next:
            f[INDEX["addressed_next"]] = 1.0
        if c in ctx.leads:
            f[INDEX["lead1" if c == ctx.leads[0] else "lead2"]] = 1.0
        rank = self.rank_of.get(c)
        if rank is not None:
            f[_RECENT_I] = 1.0 / (1 + rank)
            if rank == 0:
                f[INDEX["recent0"]] = 1.0
        f[_SALIENCE_I] = ctx.salience[c]
        if ctx.headers[c]:
            f[INDEX["header"]] = 1.0
        if self.habit_known:
            share = self.habit.get(c)
            if share is None:
                f[_HABIT_NEVER_I] = 1.0
            else:
                f[_HABIT_I] = share
        share = self.signature.get(c)
        if share is not None:
            f[_SIGNATURE_I] = share
        if c == self.desc_prev:
            f[_DESC_PREV_I] = 1.0
        if c in self.desc_kin:
            f[_DESC_KIN_I] = 1.0
        if c in self.objects:
            f[_TAG_OBJECT_I] = 1.0
        if c == self.sir_recent:
            f[_SIR_RECENT_I] = 1.0
        return f
