"""The reader at scale (issue 3): does a million-word story cost what ten thousand do?

Run: python benchmarks/bench_reader.py [--runs N] [--keep DIR] [--source CHECKOUT]

Generates stories of 10k, 100k and 1M words (benchmarks/generate.py, each in its own
folder, since `tuific FILE` also lists the file's folder), then, interleaved with a
blank Textual app, starts `tuific FILE` N times per story in fresh interpreters
(benchmarks/harness.py, benchmarks/child.py) and prints:

- first text: spawn until the first frame with a line of story text, ÷ the blank
  app's spawn-to-first-frame in the same round (median of the per-round ratios);
  goal at 1M words: <= 1.25x;
- resident memory (VmRSS) once the story is open and background work has finished,
  ÷ the blank app's; goal at 1M: <= 2x;
- in-process, after the first text, in ms, each the action plus the handling of
  everything it caused plus the repaint: End (jump to the last page, from the top;
  the first End in the process, nothing cached), PageDown (median of 10 from the
  top) and a resize 100x30 -> 80x24 -> 100x30 (median of 6 legs); goal: the 1M
  value ÷ the 10k value <= 1.5x for each.

Each child gets its own state folder (the story opens at its start) and a metadata
cache folder per story, primed by a warm-up start: a story you open again.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import generate
from harness import (
    DEFAULT_RUNS,
    Run,
    child_env,
    environment_line,
    median,
    mib,
    ms,
    positive_int,
    progress,
    ratio,
    rotated,
    seconds,
    spawn,
    table,
    verdict,
)

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
GOAL_START = 1.25
GOAL_MEMORY = 2.0
GOAL_SCALING = 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS,
                        help=f"measured starts per kind (default {DEFAULT_RUNS})")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the generated stories, kept and reused")
    parser.add_argument("--source", type=Path, default=None,
                        help="the checkout to measure (default: this one)")
    args = parser.parse_args(argv)
    source = args.source.resolve() if args.source else None

    temporary = tempfile.mkdtemp(prefix="tuific-bench-reader-")
    try:
        root = Path(args.keep) if args.keep else Path(temporary)
        return run_benchmark(root, Path(temporary), args.runs, source)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def run_benchmark(root: Path, scratch: Path, runs: int, source: Path | None = None) -> int:
    stories: dict[str, Path] = {}
    for label, words in SIZES.items():
        path = root / "stories" / label / f"story-{label}.txt"
        if not path.exists():
            progress(f"generating {label} words…")
            generate.write_story(path, words)
        stories[label] = path
    kinds = ["blank", *SIZES]
    counter = iter(range(10**6))

    def measure(kind: str) -> Run:
        folder = scratch / "runs" / f"{next(counter):03d}-{kind}"
        env = child_env(folder, cache=scratch / "cache" / kind, source=source)
        if kind == "blank":
            run = spawn(["blank"], env)
            run.require("paint", "settled")
        else:
            run = spawn(["reader", str(stories[kind]), "--timings"], env)
            run.require("text", "settled", "timings")
        return run

    progress("warm-up (not counted)…")
    for kind in kinds:
        measure(kind)
    results: dict[str, list[Run]] = {kind: [] for kind in kinds}
    for round_index in range(runs):
        progress(f"round {round_index + 1}/{runs}")
        for kind in rotated(kinds, round_index):
            results[kind].append(measure(kind))

    print(report(results, runs))
    return 0


def report(results: dict[str, list[Run]], runs: int) -> str:
    blank = results["blank"]
    start_blank = [run.seconds["paint"] for run in blank]
    rss_blank = [run.data["settled"]["rss_mib"] for run in blank]
    rows = [["story", "words", "first text", "×blank", "RSS at text", "RSS settled", "×blank",
             "End ms", "End again", "PgDn ms", "Resize ms"]]
    rows.append(["blank app", "-", seconds(median(start_blank)), "1.00×",
                 mib(median(r.data["paint"]["rss_mib"] for r in blank)),
                 mib(median(rss_blank)), "1.00×", "-", "-", "-", "-"])
    summary: dict[str, dict[str, float]] = {}
    for label in SIZES:
        measured = results[label]
        start = [run.seconds["text"] for run in measured]
        rss = [run.data["settled"]["rss_mib"] for run in measured]
        timings = [run.data["timings"] for run in measured]
        figures = {
            "start_ratio": median(s / b for s, b in zip(start, start_blank, strict=True)),
            "rss_ratio": median(r / b for r, b in zip(rss, rss_blank, strict=True)),
            "end": median(t["end_first"] for t in timings),
            "end_again": median(t["end_again"] for t in timings),
            "pagedown": median(t["pagedown"] for t in timings),
            "resize": median(t["resize"] for t in timings),
        }
        summary[label] = figures
        rows.append([
            label,
            f"{measured[0].data['settled']['words']:,}",
            seconds(median(start)),
            ratio(figures["start_ratio"]),
            mib(median(run.data["text"]["rss_mib"] for run in measured)),
            mib(median(rss)),
            ratio(figures["rss_ratio"]),
            ms(figures["end"]),
            ms(figures["end_again"]),
            ms(figures["pagedown"]),
            ms(figures["resize"]),
        ])

    big, small = summary["1M"], summary["10k"]
    goals = [["goal", "measured", "target", "result"]]

    def goal(name: str, value: float, target: float) -> None:
        goals.append([name, ratio(value), f"≤ {target:g}×", verdict(value, target)])

    goal("first text, 1M story ÷ blank app start", big["start_ratio"], GOAL_START)
    goal("RSS with 1M story open ÷ blank app RSS", big["rss_ratio"], GOAL_MEMORY)
    goal("End (first), 1M ÷ 10k", big["end"] / small["end"], GOAL_SCALING)
    goal("PageDown, 1M ÷ 10k", big["pagedown"] / small["pagedown"], GOAL_SCALING)
    goal("Resize, 1M ÷ 10k", big["resize"] / small["resize"], GOAL_SCALING)

    return "\n".join([
        "tuific reader benchmark · " + environment_line(runs),
        "",
        table(rows, right=range(1, len(rows[0]))),
        "",
        "first text and RSS: ratios are medians of per-round ratios against the blank app;",
        "End/PgDn/Resize: action + handling + repaint, in-process, median over runs.",
        "",
        table(goals, right=(1, 2)),
    ])


if __name__ == "__main__":
    sys.exit(main())
