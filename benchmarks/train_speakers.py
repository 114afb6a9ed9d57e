"""Train the speaker scorer's weights on the PDNC development novels.

Run: /work/venv/bin/python benchmarks/train_speakers.py [--write]

The held-out novels (`pdnc.HELD_OUT`) are never read. Each development novel is
analysed bare and with a header; every turn whose speech overlaps an annotated
quotation gets its annotated speaker as the label (or "someone else" when no
candidate is that speaker). The model is a conditional logit over the candidates of
a turn (with "someone else" fixed at score 0), fitted by AdaGrad with a little L2.
Because turn-taking features read the speakers decided before, training alternates:
decode with the current weights, refit on what that decode saw, a few rounds.
`--write` saves the result to tuific/speakers/weights.json.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdnc  # noqa: E402
from bench_speakers import header_meta  # noqa: E402

from tuific.dialogue import find_dialogue  # noqa: E402
from tuific.speakers import analyse, load_weights  # noqa: E402
from tuific.speakers.decode import decode_pass, relink, reset  # noqa: E402
from tuific.speakers.feature_names import FEATURES, SEQUENTIAL  # noqa: E402

WEIGHTS = Path(__file__).resolve().parent.parent / "tuific" / "speakers" / "weights.json"
ROUNDS = 3
PASSES = ("first", "second", "third")  # each after the one before (decode.decide)
EPOCHS = 5
L2 = 1e-4
RATE = 0.3


def gold_of_turns(novel: pdnc.Novel, ctx) -> list[str | None]:
    """The annotated speaker of each turn: of the first quotation its spans overlap."""
    by_par: dict[int, list[tuple[int, int, str]]] = {}
    for quote in novel.quotes:
        for p, s, e in quote.parts:
            by_par.setdefault(p, []).append((s, e, quote.speaker))
    out = []
    for turn in ctx.turns:
        found = None
        for start, end in turn.spans:
            for s, e, who in by_par.get(turn.paragraph, ()):
                if start < e and s < end:
                    found = who
                    break
            if found:
                break
        out.append(found)
    return out


def prepare(corpus):
    """Analyse every novel once: (context, gold per turn, judge, names)."""
    out = []
    for novel, spans, meta in corpus:
        ctx = analyse(novel.texts, spans, meta)
        names = [c.name for c in ctx.cast.characters]
        out.append((ctx, gold_of_turns(novel, ctx), pdnc.Judge(novel), names))
    return out


def examples(prepared, weights, upto: int) -> list[tuple[list[dict[int, float]], int]]:
    """Training pairs from a decode of pass `upto` (0 for the first), after the
    passes before it with their weights."""
    data = []
    for ctx, gold, judge, names in prepared:
        reset(ctx)
        for k in range(upto):
            relink(ctx, decode_pass(ctx, weights[k]))
        trace: list = []
        decode_pass(ctx, weights[upto], trace)
        for t, cands, vecs in trace:
            if gold[t] is None or not cands:
                continue
            label = next(
                (k for k, c in enumerate(cands) if judge.same(names[c], gold[t])), len(cands)
            )
            data.append((vecs, label))
    return data


def fit(
    data,
    weights: list[float],
    frozen: frozenset[int] = frozenset(),
    anchor: list[float] | None = None,
    l2: float = L2,
) -> list[float]:
    """Weights that maximise the chosen candidates' probability; `frozen` ones stay 0
    (or at `anchor`, the weights the L2 penalty pulls toward: 0 when None)."""
    pull = anchor or [0.0] * len(weights)
    w = [pull[i] if i in frozen else v for i, v in enumerate(weights)]
    g2 = [1e-8] * len(w)
    rng = random.Random(7)
    for _epoch in range(EPOCHS):
        rng.shuffle(data)
        loss = 0.0
        for vecs, label in data:
            scores = [sum(w[k] * v for k, v in f.items()) for f in vecs]
            top = max(0.0, *scores)
            exps = [math.exp(s - top) for s in scores]
            null = math.exp(-top)
            total = sum(exps) + null
            loss -= math.log((exps[label] if label < len(exps) else null) / total)
            grad: dict[int, float] = {}
            for k, f in enumerate(vecs):
                p = exps[k] / total - (1.0 if k == label else 0.0)
                for i, v in f.items():
                    grad[i] = grad.get(i, 0.0) + p * v
            for i, gi in grad.items():
                if i in frozen:
                    continue
                gi += l2 * (w[i] - pull[i])
                g2[i] += gi * gi
                w[i] -= RATE * gi / math.sqrt(g2[i])
        print(f"  epoch loss {loss / len(data):.4f}")
    return w


def dev_corpus() -> list:
    """(novel, speech spans, metadata) of every development novel, bare and with a
    header; empty when the corpus is absent."""
    corpus = []
    for name in pdnc.novels():
        if name in pdnc.HELD_OUT:
            continue
        novel = pdnc.load(name)
        spans = find_dialogue(novel.texts)
        corpus.append((novel, spans, None))
        corpus.append((novel, spans, header_meta(novel)))
    return corpus


def main() -> None:
    corpus = dev_corpus()
    if not corpus:
        print(f"train_speakers: no PDNC corpus at {pdnc.PDNC}; nothing to do")
        return
    prepared = prepare(corpus)
    weights = [list(w) for w in load_weights()]
    while len(weights) < len(PASSES):
        weights.append(list(weights[-1]))  # a new pass starts from the one before
    for round_ in range(ROUNDS):
        for k, key in enumerate(PASSES):
            data = examples(prepared, weights, k)
            print(f"round {round_ + 1}, {key} pass: {len(data)} turns")
            frozen = frozenset(FEATURES.index(n) for n in SEQUENTIAL) if k == 0 else frozenset()
            weights[k] = fit(data, weights[k], frozen)
    result = {
        key: {name: round(v, 3) for name, v in zip(FEATURES, w, strict=True)}
        for key, w in zip(PASSES, weights, strict=True)
    }
    print(json.dumps(result))
    if "--write" in sys.argv:
        result["note"] = "trained by benchmarks/train_speakers.py on the PDNC development novels"
        # Keep the confidence model (benchmarks/train_confidence.py: refit it after this)
        # and fan fiction's corrections, which are differences from these weights
        # (benchmarks/train_fic_speakers.py --write: refit them after this too).
        stored = json.loads(WEIGHTS.read_text("utf-8"))
        WEIGHTS.write_text(json.dumps({**stored, **result}, indent=1) + "\n")
        print(f"wrote {WEIGHTS}; now refit the confidence and fan fiction's corrections")


if __name__ == "__main__":
    main()
