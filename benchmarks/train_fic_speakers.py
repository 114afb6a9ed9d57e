"""Fit fan fiction's corrections to the speaker scorer's weights, on the fic sets that
may be looked at.

Run: /work/venv/bin/python benchmarks/train_fic_speakers.py [--cv] [--write]

The scorer's weights (train_speakers.py) are fitted on the PDNC development novels,
whose habits are not fan fiction's: there a name opening the narration after a
speech is most often the listener's; in a fic it is as often a newcomer's who has
just spoken. For a story whose header names a fandom, `load_weights(fandom=True)`
adds to each pass's weights the corrections this script fits: the same conditional
logit (train_speakers.fit), started from the novels' weights and pulled back to them
by an L2 penalty, on the turns of the looked-at fic sets (benchmarks/fic: set5's
first three stories, set7 to set10, set12 to set14, set16, set18, set19, set21, set23,
set25, set27, set28 and set30; never set5's other three, set6, set11, set15, set17, set20,
set22, set24, set26, set29 or set31, which are held out) and of the demo stories. `--cv` fits
once per set (the demo stories are one) without it and scores that set with and
without the corrections (leave one set out); `--write` stores the corrections fitted
on all of them in tuific/speakers/weights.json under "fandom".
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_demo_speakers import DEMO, GOLD, read, same, score, story_of  # noqa: E402
from train_speakers import WEIGHTS, examples, fit  # noqa: E402

from tuific.dialogue import find_dialogue  # noqa: E402
from tuific.formats import load_story  # noqa: E402
from tuific.speakers import PASSES, analyse, attribute, load_weights  # noqa: E402
from tuific.speakers.feature_names import FEATURES, SEQUENTIAL  # noqa: E402

FIC = Path(__file__).resolve().parent / "fic"
# The sets (and of set5, the stories) that may be looked at and trained on.
LOOKED_AT = {
    "set5": ("hq_nikuman", "sherlock_kettle", "spn_pie"),
    "set7": None,
    "set8": None,
    "set9": None,
    "set10": None,
    "set12": None,
    "set13": None,
    "set14": None,
    "set16": None,
    "set18": None,
    "set19": None,
    "set21": None,
    "set23": None,
    "set25": None,
    "set27": None,
    "set28": None,
    "set30": None,
}
ROUNDS = 2
CURVE = (0.85, 0.87, 0.9, 0.92)  # confidences from which the curve of --cv shows
PULL = 0.05  # L2 toward the novels' weights: by --cv, the most right at 95% shown from 0.85


class Judge:
    """train_speakers.examples asks a judge whether a name means the gold speaker."""

    same = staticmethod(same)


def stories() -> list[tuple[str, Path, list[dict]]]:
    """(set, story, reading) of every story that may be looked at: the fic sets', and
    the demo stories' (their readings are kept apart, in the tests' fixtures)."""
    out = []
    places = [(group, FIC / group, FIC / group, only) for group, only in LOOKED_AT.items()]
    places.append(("demo", DEMO, GOLD, None))
    for group, folder, readings, only in places:
        for gold in sorted(readings.glob("*.jsonl")):
            if only is None or gold.stem in only:
                out.append((group, story_of(gold, folder), read(gold)))
    return out


def prepare(chosen):
    """Analyse each story once: (context, gold per turn, judge, names) as
    train_speakers.examples reads them."""
    out = []
    for _group, path, reading in chosen:
        story = load_story(path)
        texts = [p.text for p in story.paragraphs]
        kinds = [p.kind for p in story.paragraphs]
        ctx = analyse(texts, find_dialogue(texts), story.meta, kinds)
        by_start = {(r["paragraph"], r["start"]): r["speaker"] for r in reading}
        gold = [by_start.get((t.paragraph, t.spans[0][0])) for t in ctx.turns]
        out.append((ctx, gold, Judge(), [c.name for c in ctx.cast.characters]))
    return out


def corrections(chosen, base) -> list[list[float]]:
    """Each pass's weights fitted on `chosen` stories, starting from and pulled toward
    `base` (the novels' weights), the passes before decoding with theirs."""
    prepared = prepare(chosen)
    weights = [list(w) for w in base]
    first_frozen = frozenset(FEATURES.index(n) for n in SEQUENTIAL)
    for round_ in range(ROUNDS):
        for k, key in enumerate(PASSES):
            data = examples(prepared, weights, k)
            print(f"round {round_ + 1}, {key} pass: {len(data)} turns")
            frozen = first_frozen if k == 0 else frozenset()
            weights[k] = fit(data, weights[k], frozen, anchor=list(base[k]), l2=PULL)
    return weights


def counts(chosen, weights) -> Counter:
    """right / shown / shown_right over `chosen` stories, attributed with `weights`."""
    total: Counter = Counter()
    for _group, path, reading in chosen:
        story = load_story(path)
        paragraphs = story.paragraphs or []
        found = attribute(
            [p.text for p in paragraphs],
            meta=story.meta,
            kinds=[p.kind for p in paragraphs],
            weights=weights,
        )
        total.update(score(found, reading)[0])
        for a, r in zip(found, reading, strict=True):
            for at in CURVE:
                if a.speaker is not None and a.confidence >= at:
                    total[f"shown {at}"] += 1
                    total[f"right {at}"] += same(a.speaker, r["speaker"])
    return total


def line(label: str, c: Counter) -> str:
    return (
        f"{label:24s} right {c['right']:4d} of {c['n']:4d}  "
        f"shown {c['shown']:4d}, right {c['shown_right']:4d}"
    )


def main() -> None:
    base = load_weights()
    chosen = stories()
    if "--cv" in sys.argv:
        before: Counter = Counter()
        after: Counter = Counter()
        for group in (*LOOKED_AT, "demo"):
            rest = [s for s in chosen if s[0] != group]
            held = [s for s in chosen if s[0] == group]
            fitted = corrections(rest, base)
            b, a = counts(held, base), counts(held, fitted)
            print(line(f"{group} novels' weights", b))
            print(line(f"{group} fic corrections", a))
            print("    " + "  ".join(
                f"{at}: {a[f'right {at}'] / max(1, a[f'shown {at}']):.1%}" for at in CURVE))
            before.update(b)
            after.update(a)
        for label, c in (("all, novels' weights", before), ("all, fic corrections", after)):
            print(line(label, c))
            print(
                "    shown from "
                + "  ".join(
                    f"{at}: {c[f'right {at}'] / max(1, c[f'shown {at}']):.1%} right"
                    f" on {c[f'shown {at}'] / c['n']:.1%}"
                    for at in CURVE
                )
            )
        return
    fitted = corrections(chosen, base)
    result = {
        key: {
            name: round(v - b, 3)
            for name, v, b in zip(FEATURES, w, base_w, strict=True)
            if round(v - b, 3)
        }
        for key, w, base_w in zip(PASSES, fitted, base, strict=True)
    }
    print(json.dumps(result))
    if "--write" in sys.argv:
        stored = json.loads(WEIGHTS.read_text("utf-8"))
        stored["fandom"] = {
            **result,
            "note": "added to each pass's weights for fan fiction; fitted by "
            "benchmarks/train_fic_speakers.py on the looked-at fic sets",
        }
        WEIGHTS.write_text(json.dumps(stored, indent=1) + "\n")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
