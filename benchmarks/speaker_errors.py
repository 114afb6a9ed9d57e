"""Error analysis of speaker attribution on one PDNC novel: what goes wrong, and why.

Run: /work/venv/bin/python benchmarks/bench_speakers.py --errors NOVEL [--bare]
        [--kind Explicit|Anaphoric|Implicit] [--limit N] [--summary]

Prints, to the terminal only (the corpus text never goes into the repository), every
wrongly attributed quotation of the novel (with the header's `Characters:` unless
`--bare`): its type, the annotated and the chosen speaker, the confidence, what the
turn's tags say, the first pass's pick and the turn-taking's, and the paragraphs
before it. Then a count of the errors by cause: the speech was not found, the
annotated speaker is not in the cast, is not among the turn's candidates, or is a
candidate but scored below the pick (by the kind of evidence the turn has).
Refuses held-out novels: looking at their errors would be tuning on them.
"""

from __future__ import annotations

import argparse
from collections import Counter

import pdnc
from bench_speakers import header_meta

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, load_weights
from tuific.speakers.decode import Context, decode_pass, relink
from tuific.speakers.feature_names import FEATURES
from tuific.speakers.turn import Tag, Turn

PASSES = ("first", "second", "third")

_CONTEXT = 3  # paragraphs shown before a wrong one
_CLIP = 220  # characters shown of each


def _clip(text: str, width: int = _CLIP) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _tag(tag: Tag | None, names: list[str]) -> str:
    if tag is None:
        return "-"
    who = names[tag.who] if tag.who is not None else "?"
    kind = "explicit" if tag.explicit else ("pronoun " + (tag.gender or "?"))
    return f"{kind}:{who}"


def _evidence(turn: Turn) -> str:
    """The kind of evidence a turn has, for the summary."""
    if any(t is not None and t.explicit for t in turn.tags):
        return "explicit tag"
    if any(t is not None and t.pronoun for t in turn.tags):
        return "pronoun tag"
    if turn.lead is not None:
        return "lead-in"
    if turn.named:
        return "named in narration"
    return "no tag"


def analyse_novel(name: str, bare: bool, kind: str | None, limit: int, summary: bool) -> None:
    if name in pdnc.HELD_OUT:
        raise SystemExit(f"{name} is held out: its errors are not for looking at")
    novel = pdnc.load(name)
    spans = find_dialogue(novel.texts)
    ctx: Context = analyse(novel.texts, spans, None if bare else header_meta(novel))
    traces = passes(ctx)
    choices = traces[-1][1]
    cands_of = {t: cands for t, cands, _vecs in traces[-1][0]}
    judge = pdnc.Judge(novel)
    names = [c.name for c in ctx.cast.characters]
    genders = ctx.genders
    turn_of = {(turn.paragraph): t for t, turn in enumerate(ctx.turns)}
    causes: Counter = Counter()
    shown = 0
    for quote in novel.quotes:
        p = quote.parts[0][0]
        t = turn_of.get(p)
        if t is None:
            causes["speech not found"] += 1
            continue
        who, prob = choices[t]
        if who is not None and judge.same(names[who], quote.speaker):
            continue
        turn = ctx.turns[t]
        in_cast = [i for i, n in enumerate(names) if judge.same(n, quote.speaker)]
        cands = cands_of.get(t, [])
        if not in_cast:
            cause = "speaker not in cast"
        elif not set(in_cast) & set(cands):
            cause = "not a candidate"
        else:
            cause = f"outscored ({_evidence(turn)})"
        causes[(quote.kind, cause)] += 1
        if summary or (kind and quote.kind != kind) or shown >= limit:
            continue
        shown += 1
        fwho, fprob = ctx.first[t] if ctx.first else (None, 0.0)
        alt = ctx.alternation[t] if ctx.alternation else {}
        alt_s = ", ".join(
            f"{names[c]} {v:.2f}" for c, v in sorted(alt.items(), key=lambda x: -x[1])[:3]
        )
        gold_g = "/".join(genders[i] or "?" for i in in_cast)
        got = f"{names[who]} ({genders[who]})" if who is not None else "nobody"
        print(
            f"=== par {p} [{quote.kind}] gold {quote.speaker} ({gold_g}) · "
            f"got {got} {prob:.2f} · {cause}"
        )
        print(
            f"    tags {[_tag(x, names) for x in turn.tags]} lead {_tag(turn.lead, names)} "
            f"named {[names[c] for c in turn.named]} voc {[names[c] for c in turn.vocatives]}"
        )
        print(f"    first {names[fwho] if fwho is not None else None} {fprob:.2f} · alt {alt_s}")
        print(f"    cands {[names[c] for c in cands[:8]]}")
        for q in range(max(0, p - _CONTEXT), p + 1):
            mark = ">" if q == p else " "
            print(f"  {mark}{q}: {_clip(novel.texts[q])}")
    print()
    total = sum(causes.values())
    print(f"{total} wrong of {len(novel.quotes)} quotations, by cause:")
    for key, n in causes.most_common():
        print(f"  {n:5}  {' / '.join(key) if isinstance(key, tuple) else key}")


def passes(ctx: Context) -> list[tuple[list, list]]:
    """Every pass as decode.decide runs them, one after another: each one's trace
    (turn, candidates, feature vectors) and choices."""
    out = []
    for k, weights in enumerate(load_weights()):
        if k:
            relink(ctx, (out[-1][1], out[-1][2]))
        trace: list = []
        choices, dists = decode_pass(ctx, weights, trace)
        out.append((trace, choices, dists))
    return [(trace, choices) for trace, choices, _dists in out]


def explain(name: str, bare: bool, paragraph: int) -> None:
    """Each candidate's features and score, in every pass, at one paragraph."""
    if name in pdnc.HELD_OUT:
        raise SystemExit(f"{name} is held out: its errors are not for looking at")
    novel = pdnc.load(name)
    spans = find_dialogue(novel.texts)
    ctx = analyse(novel.texts, spans, None if bare else header_meta(novel))
    names = [c.name for c in ctx.cast.characters]
    for label, (trace, _choices), w in zip(PASSES, passes(ctx), load_weights(), strict=False):
        for t, cands, vecs in trace:
            if ctx.turns[t].paragraph != paragraph:
                continue
            print(f"{label} pass, turn {t}:")
            for c, f in zip(cands, vecs, strict=True):
                total = sum(w[k] * v for k, v in f.items())
                parts = " ".join(
                    f"{FEATURES[k]}={v:.2f}({w[k] * v:+.2f})" for k, v in sorted(f.items()) if v
                )
                print(f"  {total:+6.2f} {names[c]} ({ctx.genders[c] or '?'}): {parts}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_speakers.py --errors")
    parser.add_argument("novel")
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--kind", choices=("Explicit", "Anaphoric", "Implicit"))
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--explain", type=int, metavar="PARAGRAPH")
    args = parser.parse_args(argv)
    if args.novel not in pdnc.novels():
        raise SystemExit(f"no novel {args.novel}; the corpus has: {', '.join(pdnc.novels())}")
    if args.explain is not None:
        explain(args.novel, args.bare, args.explain)
        return
    analyse_novel(args.novel, args.bare, args.kind, args.limit, args.summary)
