"""Fit the confidence model (tuific/speakers/confidence.py) on the PDNC development novels.

Run: /work/venv/bin/python benchmarks/train_confidence.py [--cv] [--write]

The held-out novels (`pdnc.HELD_OUT`) are never read. Each development novel is
decoded bare and with a header by the shipped scorer weights; every turn whose speech
overlaps an annotated quotation is one example: what the decoder saw
(`confidence.describe`) and whether its pick is the annotated speaker. A logistic
model is fitted to those by AdaGrad with a little L2, and the share of turns shown
and their precision at each threshold is printed, with a header and without (the
goal is read with one). `--cv` also fits it once per development novel without that
novel and prints the same curve for the novels each fit never saw (leave one novel
out): the honest guide to a threshold, as the fit on all of them has seen its own
turns. `--write` adds the weights to tuific/speakers/weights.json under "confidence"
(the scorer's weights stay as they are).
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
from train_speakers import WEIGHTS, dev_corpus, prepare  # noqa: E402

from tuific.speakers import load_weights  # noqa: E402
from tuific.speakers.confidence import CONF_FEATURES, calibrated, describe  # noqa: E402
from tuific.speakers.decode import decide, reset  # noqa: E402

EPOCHS = 30
L2 = 1e-3
RATE = 0.2
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.82, 0.84, 0.85, 0.86, 0.87, 0.88, 0.9, 0.95)

# (features, right, novel, with a header) of one decided turn
Example = tuple[list[float], bool, str, bool]


def examples(corpus, prepared) -> list[Example]:
    """One for every decided turn that overlaps an annotated quotation."""
    weights = load_weights()
    data = []
    for (novel, _spans, meta), (ctx, gold, judge, names) in zip(corpus, prepared, strict=True):
        reset(ctx)
        choices, dists = decide(ctx, weights)
        roles = frozenset(ctx.cast.described.values())
        for t, (who, prob) in enumerate(choices):
            if gold[t] is None or who is None:
                continue
            right = judge.same(names[who], gold[t])
            features = describe(ctx, t, who, prob, dists[t], roles)
            data.append((features, right, novel.name, meta is not None))
    return data


def fit(data: list[Example]) -> list[float]:
    """Logistic regression by AdaGrad."""
    w = [0.0] * len(CONF_FEATURES)
    g2 = [1e-8] * len(w)
    rng = random.Random(7)
    data = list(data)
    for _epoch in range(EPOCHS):
        rng.shuffle(data)
        loss = 0.0
        for x, right, _novel, _header in data:
            p = calibrated(w, x)
            loss -= math.log(p if right else 1.0 - p)
            err = p - (1.0 if right else 0.0)
            for i, v in enumerate(x):
                gi = err * v + L2 * w[i]
                g2[i] += gi * gi
                w[i] -= RATE * gi / math.sqrt(g2[i])
    print(f"loss {loss / len(data):.4f} over {len(data)} turns")
    return w


def curve(scored: list[tuple[float, bool, bool]]) -> None:
    """Precision and coverage from each threshold, with a header and without, of
    (confidence, right, with a header) triples."""
    for header in (True, False):
        part = [(p, right) for p, right, h in scored if h == header]
        cells = []
        for at in THRESHOLDS:
            shown = [right for p, right in part if p >= at]
            cells.append(
                f"{at}: {100 * sum(shown) / max(1, len(shown)):4.1f}/"
                f"{100 * len(shown) / max(1, len(part)):4.1f}"
            )
        print(f"  {'header' if header else 'bare':<6} " + "  ".join(cells))


def cross_validated(data: list[Example]) -> list[tuple[float, bool, bool]]:
    """Each turn scored by a model fitted without its novel."""
    out = []
    for name in sorted({novel for _x, _r, novel, _h in data}):
        weights = fit([e for e in data if e[2] != name])
        out += [(calibrated(weights, x), r, h) for x, r, novel, h in data if novel == name]
    return out


def main() -> None:
    corpus = dev_corpus()
    if not corpus:
        print(f"train_confidence: no PDNC corpus at {pdnc.PDNC}; nothing to do")
        return
    data = examples(corpus, prepare(corpus))
    weights = fit(data)
    print("precision/coverage of turns from each confidence, fitted on all (in sample):")
    curve([(calibrated(weights, x), r, h) for x, r, _novel, h in data])
    if "--cv" in sys.argv:
        print("...and each novel by a fit without it (leave one novel out):")
        curve(cross_validated(data))
    result = {name: round(v, 3) for name, v in zip(CONF_FEATURES, weights, strict=True)}
    print(json.dumps(result))
    if "--write" in sys.argv:
        stored = json.loads(WEIGHTS.read_text("utf-8"))
        stored["confidence"] = result
        WEIGHTS.write_text(json.dumps(stored, indent=1) + "\n")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
