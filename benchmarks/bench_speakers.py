"""Speaker attribution on the PDNC novels: accuracy, what is shown, and its cost.

Run: /work/venv/bin/python benchmarks/bench_speakers.py [--dev] [NOVEL ...]
     /work/venv/bin/python benchmarks/bench_speakers.py --errors NOVEL [...]

`--dev` runs the development novels only (for tuning: held-out figures are for
after a change); `--errors` prints one development novel's wrong attributions
(see speaker_errors.py).

For each novel in `../shared/pdnc/` (skipped with a message when absent) attribution
runs twice: on the bare text, and with a fic header whose `Characters:` line names the
novel's major and intermediate characters. Each annotated quotation is matched to the
predicted speech spans that overlap it; its speaker is right when the first matched
span's speaker names the annotated character (a missing or null speaker is wrong).
Printed per novel and in total, development and held-out novels apart (held-out ones
are in `pdnc.HELD_OUT` and were never used for tuning): accuracy over all quotations
and by quotation type, precision and coverage of the spans the reader would colour
(`shown`), and the time of attribution per 100k words as a ratio to the dialogue
finder (`find_dialogue`) timed in the same run. With no novel named, it also times
both on one story of a million words: the novels one after another (so its cast is
several novels' casts together, more than one story's).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdnc  # noqa: E402

from tuific.dialogue import find_dialogue  # noqa: E402
from tuific.formats.plaintext import parse  # noqa: E402
from tuific.speakers import Attribution, attribute  # noqa: E402
from tuific.speakers.narrator import UNNAMED  # noqa: E402

KINDS = ("Explicit", "Anaphoric", "Implicit")
# Confidence thresholds for "shown": the precision/coverage curve printed at the end.
CURVE = (0.5, 0.6, 0.7, 0.75, 0.8, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.9, 0.95)


def header_meta(novel: pdnc.Novel):
    """Metadata as a fic header naming the major and intermediate characters gives it."""
    header = (
        f"Title: {novel.name}\nAuthor: Someone\n"
        f"Characters: {', '.join(novel.header_characters())}\n\nBody.\n"
    )
    return parse(header, Path(f"{novel.name}.txt")).meta


def score(novel: pdnc.Novel, found: list[Attribution]) -> Counter:
    """Counts: n, right, shown, shown_right, and n/right per quotation type."""
    by_par: dict[int, list[Attribution]] = {}
    for a in found:
        by_par.setdefault(a.paragraph, []).append(a)
    judge = pdnc.Judge(novel)
    c: Counter = Counter()
    for quote in novel.quotes:
        match = None
        for p, s, e in quote.parts:
            for a in by_par.get(p, ()):
                if a.start < e and s < a.end:
                    match = a
                    break
            if match:
                break
        right = match is not None and judge.same(match.speaker, quote.speaker)
        c["n"] += 1
        c["right"] += right
        # Right as the first-person narrator the story never names (see pdnc.Judge).
        c["right_as_narrator"] += right and match is not None and match.speaker == UNNAMED["I"]
        c[f"n_{quote.kind}"] += 1
        c[f"right_{quote.kind}"] += right
        if match is not None and match.shown:
            c["shown"] += 1
            c["shown_right"] += right
        for at in CURVE:
            if match is not None and match.speaker is not None and match.confidence >= at:
                c[f"at{at}"] += 1
                c[f"at{at}_right"] += right
    return c


def _pct(a: float, b: float) -> str:
    return f"{100 * a / b:5.1f}" if b else "    -"


def line(label: str, c: Counter) -> str:
    kinds = " ".join(_pct(c[f"right_{k}"], c[f"n_{k}"]) for k in KINDS)
    return (
        f"{label:<30} {c['n']:>6} {_pct(c['right'], c['n'])}  {kinds}  "
        f"{_pct(c['shown_right'], c['shown'])} {_pct(c['shown'], c['n'])}"
    )


def run(names: list[str]) -> None:
    head = (
        f"{'novel / header':<30} {'quotes':>6} {'acc':>5}  {'expl':>5} {'anaph':>5} {'impl':>5}  "
        f"{'shown%':>5} {'cover':>5}"
    )
    totals: dict[tuple[str, str], Counter] = {}
    times = Counter()
    print(head)
    for name in names:
        novel = pdnc.load(name)
        split = "held-out" if name in pdnc.HELD_OUT else "dev"
        began = time.process_time()
        spans = find_dialogue(novel.texts)
        times["dialogue"] += time.process_time() - began
        times["words"] += novel.words
        for mode, meta in (("bare", None), ("header", header_meta(novel))):
            began = time.process_time()
            found = attribute(novel.texts, spans, meta)
            times[mode] += time.process_time() - began
            c = score(novel, found)
            totals.setdefault((split, mode), Counter()).update(c)
            print(line(f"{name[:22]} {mode}", c))
    print()
    for (split, mode), c in sorted(totals.items()):
        print(line(f"TOTAL {split} {mode}", c))
    print()
    narrated = {key: c["right_as_narrator"] for key, c in sorted(totals.items())}
    print(
        "right as the unnamed first-person narrator (\"Narrator\", the speaker PDNC names):",
        ", ".join(f"{split} {mode} {n}" for (split, mode), n in narrated.items()),
    )
    print()
    print("precision / coverage if the reader showed speech from each confidence (with header):")
    for (split, mode), c in sorted(totals.items()):
        if mode == "header":
            cells = "  ".join(
                f"{at}: {_pct(c[f'at{at}_right'], c[f'at{at}'])}/{_pct(c[f'at{at}'], c['n'])}"
                for at in CURVE
            )
            print(f"{split:<9} {cells}")
    per = 100_000 / max(1, times["words"])
    dialogue = times["dialogue"] * per
    print()
    print(
        f"time per 100k words (CPU): dialogue pass {dialogue * 1000:.0f} ms; attribution "
        f"bare {times['bare'] * per * 1000:.0f} ms ({times['bare'] * per / dialogue:.1f}x), "
        f"with header {times['header'] * per * 1000:.0f} ms "
        f"({times['header'] * per / dialogue:.1f}x)"
    )


MILLION = 1_000_000


def million() -> None:
    """Attribution of a 1M-word story against the dialogue pass on it (CPU time)."""
    texts: list[str] = []
    words = 0
    for name in pdnc.novels():
        if words >= MILLION:
            break
        novel = pdnc.load(name)
        texts += novel.texts
        words += novel.words
    began = time.process_time()
    spans = find_dialogue(texts)
    dialogue = time.process_time() - began
    began = time.process_time()
    attribute(texts, spans, None)
    took = time.process_time() - began
    print(
        f"a story of {words / MILLION:.2f}M words (the novels one after another, bare): "
        f"dialogue pass {dialogue * 1000:.0f} ms; attribution {took * 1000:.0f} ms "
        f"({took / dialogue:.1f}x)"
    )


def main() -> None:
    names = pdnc.novels()
    if not names:
        print(f"bench_speakers: no PDNC corpus at {pdnc.PDNC}; skipped")
        return
    args = sys.argv[1:]
    if args[:1] == ["--errors"]:
        import speaker_errors

        speaker_errors.main(args[1:])
        return
    dev_only = "--dev" in args
    wanted = [a for a in args if a != "--dev"]
    if dev_only and not wanted:
        wanted = [n for n in names if n not in pdnc.HELD_OUT]
    unknown = [name for name in wanted if name not in names]
    if unknown:
        raise SystemExit(
            f"bench_speakers: no novel {', '.join(unknown)}; the corpus has: {', '.join(names)}"
        )
    run([n for n in names if not wanted or n in wanted])
    if not wanted and not dev_only:
        million()


if __name__ == "__main__":
    main()
