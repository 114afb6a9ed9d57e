"""How long the dialogue finder takes over a 1,000,000-word story.

Run: /work/venv/bin/python benchmarks/bench_dialogue.py

Builds a synthetic, dialogue-heavy story of invented words (~50,000 paragraphs, ~6 MB:
speech split by narration, apostrophes, multi-paragraph speeches, a few stray marks) in
both the double and the single (British) style, then prints the time of
`dominant_convention` + `open_states` over the whole story (budget: well under 0.5 s)
and of `dialogue_spans` per paragraph (budget: tens of microseconds). CPU time is
printed beside wall time because the machine is often shared with other work.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuific.dialogue import dialogue_spans, dominant_convention, open_states  # noqa: E402

SYLLABLES = "ka lo mi ren tha vol dre an is ur bel cor fen gil hal ost wyn ma ti sel".split()
WORDS = 1_000_000
RUNS = 5


def word(rng: random.Random) -> str:
    w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
    roll = rng.random()
    if roll < 0.03:
        return w + "’t"  # contraction
    if roll < 0.04:
        return w + "s’"  # plural possessive
    return w


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [word(rng) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + rng.choice(".,!?")


def story(rng: random.Random, opening: str, closing: str) -> list[str]:
    paragraphs: list[str] = []
    words = 0
    while words < WORDS:
        roll = rng.random()
        if roll < 0.45:  # speech split by narration
            text = (
                f"{opening}{sentence(rng, 4, 14)}{closing} {word(rng).title()} said, "
                f"{opening}{sentence(rng, 3, 12)}{closing}"
            )
        elif roll < 0.50:  # a speech over three paragraphs
            paragraphs.append(f"{opening}{sentence(rng, 10, 25)}")
            paragraphs.append(f"{opening}{sentence(rng, 10, 25)}")
            text = f"{opening}{sentence(rng, 5, 15)}{closing}"
        elif roll < 0.51:  # a stray opening mark
            text = f"{sentence(rng, 5, 15)} {opening}{sentence(rng, 5, 15)}"
        else:  # narration with a short speech
            text = f"{sentence(rng, 10, 30)} {opening}{sentence(rng, 2, 8)}{closing}"
        paragraphs.append(text)
        words += len(text.split())
    return paragraphs


def bench(label: str, paragraphs: list[str]) -> None:
    size = sum(len(p) for p in paragraphs)
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        convention = dominant_convention(paragraphs)
        states = open_states(paragraphs, convention)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    sample = paragraphs[:5000]
    per = []
    for _ in range(RUNS):
        began = time.process_time()
        for text, state in zip(sample, states, strict=False):
            dialogue_spans(text, convention, state)
        per.append((time.process_time() - began) / len(sample))
    print(
        f"{label}: {len(paragraphs):,} paragraphs, {size / 1e6:.1f} MB, {convention} style; "
        f"convention + open_states {min(walls) * 1000:.0f} ms wall (best), "
        f"{statistics.median(cpus) * 1000:.0f} ms CPU (median); "
        f"dialogue_spans {statistics.median(per) * 1e6:.1f} µs CPU per paragraph "
        f"({sum(states):,} paragraphs open at start)"
    )


def main() -> None:
    bench("double “…”", story(random.Random(1), "“", "”"))
    bench('straight "…"', story(random.Random(2), '"', '"'))
    bench("single ‘…’", story(random.Random(3), "‘", "’"))
    bench("single '…'", story(random.Random(4), "'", "'"))
    # Guillemets take the slow path in open_states (the full scan of every paragraph).
    bench("guillemets «…»", story(random.Random(5), "« ", " »"))


if __name__ == "__main__":
    main()
