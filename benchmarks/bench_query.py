"""How long the filter line takes over a 10,000-story library.

Run: /work/venv/bin/python benchmarks/bench_query.py

Builds 10,000 synthetic stories (invented words, realistic field sizes), folds
them with `make_entry`, then prints the median milliseconds of parse + filter for
typical queries, from scratch and narrowed with `within` as a keystroke would.
The budget is one frame (16 ms) for filter and list update together.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuific.model import RATINGS, Chapter, Metadata, Story  # noqa: E402
from tuific.query import filter_entries, make_entry, narrows, parse_query  # noqa: E402

SYLLABLES = "ka lo mi ren tha vol dre an is ur bel cor fen gil hal ost wyn ma ti sel".split()
STORIES = 10_000
RUNS = 25


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def phrase(rng: random.Random, low: int, high: int) -> str:
    return " ".join(word(rng) for _ in range(rng.randint(low, high)))


def synthetic_story(rng: random.Random, index: int) -> Story:
    fandoms = [phrase(rng, 1, 3).title() for _ in range(40)]
    names = [word(rng).title() for _ in range(200)]
    characters = rng.sample(names, rng.randint(1, 8))
    meta = Metadata(
        title=phrase(rng, 1, 6).title(),
        authors=[word(rng) + str(rng.randint(1, 99))],
        fandoms=rng.sample(fandoms, rng.randint(1, 2)),
        relationships=[f"{a}/{b}" for a, b in zip(characters[::2], characters[1::2], strict=False)],
        characters=characters,
        rating=rng.choice(RATINGS),
        warnings=rng.sample(["No Archive Warnings Apply", "Graphic Depictions Of Violence",
                             "Major Character Death"], rng.randint(0, 2)),
        categories=rng.sample(["F/M", "M/M", "F/F", "Gen", "Multi"], rng.randint(0, 2)),
        tags=[phrase(rng, 1, 3) for _ in range(rng.randint(0, 25))],
        summary=phrase(rng, 20, 120) if rng.random() < 0.9 else None,
        status=rng.choice(["complete", "in-progress", None]),
        series=phrase(rng, 1, 4) if rng.random() < 0.2 else None,
    )
    words = int(rng.lognormvariate(9, 1.3))
    chapters = [Chapter(f"Chapter {n}", n * 10) for n in range(rng.randint(1, 40))]
    return Story(f"/library/story-{index}.txt", "plaintext", meta, words, chapters)


def median_ms(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    rng = random.Random(5)
    stories = [synthetic_story(rng, i) for i in range(STORIES)]
    start = time.perf_counter()
    entries = [make_entry(story, rng.choice(["unread", "reading", "finished"]),
                          rng.random() < 0.1) for story in stories]
    print(f"make_entry x {STORIES}: {(time.perf_counter() - start) * 1000:.0f} ms")

    queries = {
        "one word": "ren",
        "two words": "ren tha",
        "phrase": '"ka lo"',
        "field": "fandom:mi",
        "negation": "-tag:ren",
        "numeric": "words:>10k",
        "rating": "rating:<=t",
        "mixed": "ren -tag:vol words:1k..50k rating:<=m status:complete",
    }
    print(f"\n{'query':<11} {'text':<55} {'matches':>7} {'ms':>6}")
    for label, text in queries.items():
        query = parse_query(text)
        count = len(filter_entries(query, entries))
        ms = median_ms(lambda text=text: filter_entries(parse_query(text), entries))
        print(f"{label:<11} {text:<55} {count:>7} {ms:>6.2f}")

    # Typing "rental" one key at a time: each keystroke narrows the last result.
    print("\ntyping 'rental' (parse + narrows + filter within the previous result):")
    typed = "rental"

    def type_it() -> None:
        old = parse_query("")
        result = list(range(len(entries)))
        for n in range(1, len(typed) + 1):
            new = parse_query(typed[:n])
            result = filter_entries(new, entries, result if narrows(old, new) else None)
            old = new

    total = median_ms(type_it)
    print(f"  {total:.2f} ms for {len(typed)} keystrokes, {total / len(typed):.2f} ms each")


if __name__ == "__main__":
    main()
