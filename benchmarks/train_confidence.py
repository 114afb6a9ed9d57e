"""Fit the confidence model (tuific/speakers/confidence.py) on the PDNC development novels.

Run: /work/venv/bin/python benchmarks/train_confidence.py [--write]

The held-out novels (`pdnc.HELD_OUT`) are never read. Each development novel is
decoded bare and with a header by the shipped scorer weights; every turn whose speech
overlaps an annotated quotation is one example: what the decoder saw
(`confidence.describe`) and whether its pick is the annotated speaker. A logistic
model is fitted to those by AdaGrad with a little L2, and the share of turns shown
and their precision at each threshold is printed. `--write` adds the weights to
tuific/speakers/weights.json under "confidence" (the scorer's weights stay as they
are).
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
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def examples(prepared) -> list[tuple[list[float], bool]]:
    """(features, right) for every decided turn that overlaps an annotated quotation."""
    weights = load_weights()
    data = []
    for ctx, gold, judge, names in prepared:
        reset(ctx)
        choices, dists = decide(ctx, weights)
        for t, (who, prob) in enumerate(choices):
            if gold[t] is None or who is None:
                continue
            right = judge.same(names[who], gold[t])
            data.append((describe(ctx, t, who, prob, dists[t]), right))
    return data


def fit(data: list[tuple[list[float], bool]]) -> list[float]:
    """Logistic regression by AdaGrad."""
    w = [0.0] * len(CONF_FEATURES)
    g2 = [1e-8] * len(w)
    rng = random.Random(7)
    for _epoch in range(EPOCHS):
        rng.shuffle(data)
        loss = 0.0
        for x, right in data:
            p = calibrated(w, x)
            loss -= math.log(p if right else 1.0 - p)
            err = p - (1.0 if right else 0.0)
            for i, v in enumerate(x):
                gi = err * v + L2 * w[i]
                g2[i] += gi * gi
                w[i] -= RATE * gi / math.sqrt(g2[i])
    print(f"loss {loss / len(data):.4f} over {len(data)} turns")
    return w


def curve(data, weights: list[float]) -> None:
    for at in THRESHOLDS:
        shown = [right for x, right in data if calibrated(weights, x) >= at]
        print(
            f"  from {at}: {100 * sum(shown) / max(1, len(shown)):5.1f}% right on "
            f"{100 * len(shown) / len(data):5.1f}% of turns"
        )


def main() -> None:
    corpus = dev_corpus()
    if not corpus:
        print(f"train_confidence: no PDNC corpus at {pdnc.PDNC}; nothing to do")
        return
    data = examples(prepare(corpus))
    weights = fit(data)
    curve(data, weights)
    result = {name: round(v, 3) for name, v in zip(CONF_FEATURES, weights, strict=True)}
    print(json.dumps(result))
    if "--write" in sys.argv:
        stored = json.loads(WEIGHTS.read_text("utf-8"))
        stored["confidence"] = result
        WEIGHTS.write_text(json.dumps(stored, indent=1) + "\n")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
