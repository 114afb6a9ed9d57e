"""A 10,000-story library (issue 5): how long until the list is usable, and per keystroke.

Run: python benchmarks/bench_library.py [--runs N] [--cold-runs N] [--count N] [--keep DIR]
                                        [--words N] [--source CHECKOUT]

The 50k and 100k libraries of issue 13 (300-word stories, generated once and kept):
    python benchmarks/bench_library.py --count 100000 --words 300 \
        --keep ~/.cache/tuific-bench --runs 3 --cold-runs 1

Generates a library (benchmarks/generate.py: nested folders, varied fandoms, ratings,
tags and lengths, mostly 1-20k words) whose last-scanned story alone has the title
word "zephyrwick", then starts `tuific LIBRARY` in fresh interpreters, interleaved
with a blank Textual app (benchmarks/harness.py), and prints:

- first start (cold metadata cache: an empty TUIFIC_CACHE_DIR each time): spawn
  until the scan has finished and every story is in the list, ÷ the blank app's
  start in the same round;
- second start (warm cache: a cache folder left by a first start): spawn until the
  list is usable and then the filter "zephyrwick", put in the filter line, shows
  just that story, ÷ the blank app's start; goal <= 1.5x;
- one filter keystroke in-process, after the warm start: a character inserted into
  the filter line -> Input.Changed -> parse and match -> the list's rows swapped ->
  the frame rendered, in ms, median over every keystroke of typing a few words in
  every warm run; goal < 16 ms (one frame). Over more than 20,000 stories a key's
  frame shows the first slice's matches and the rest follow just after (see
  tuific.ui.list_filter): "whole result" is the time until they are all shown, the
  next key being typed only then;
- the warm start until the list is usable ÷ the blank app; goal <= 1.35x;
- the first filter keystroke while the cached list is checked against the disk
  (one more warm start per round types a word then); goal <= 1 frame (16.7 ms);
- scan throughput: a plain loop that reads every file and splits its words (a
  child, in-process time, in each cold round) ÷ the cold scan (first start until
  listed, less the blank app's start); goal >= 50%;
- resident memory once a cold start has settled ÷ a warm start's; goal <= 1.2x.

The files themselves stay in the OS page cache between runs (a "cold" start here
is a cold *metadata* cache, not a cold disk). Cold starts re-read every file, so
there are fewer of them by default (--cold-runs).
"""

from __future__ import annotations

import argparse
import json
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

GOAL_WARM = 1.5
GOAL_KEYSTROKE_MS = 16.0
GOAL_WARM_LIST = 1.35
GOAL_FRAME_MS = 1000 / 60
GOAL_SCAN = 0.5
GOAL_RSS = 1.2
DEFAULT_COLD_RUNS = 3
# Typed one character at a time after the warm start: a common word (long result
# lists), a field term (the parser sees `fandom`, `fandom:`, `fandom:h`, ...) and the
# one-story word.
TYPED = ["lantern", "fandom:harbour", generate.UNIQUE_WORD.lower()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS,
                        help=f"warm starts, each paired with a blank one (default {DEFAULT_RUNS})")
    parser.add_argument("--cold-runs", type=positive_int, default=DEFAULT_COLD_RUNS,
                        help=f"cold-cache starts (default {DEFAULT_COLD_RUNS})")
    parser.add_argument("--count", type=positive_int, default=10_000,
                        help="stories in the library (default 10000)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the generated library, kept and reused")
    parser.add_argument("--words", type=positive_int, default=None,
                        help="every story this long (default: mostly 1-20k words)")
    parser.add_argument("--source", type=Path, default=None,
                        help="the checkout to measure (default: this one)")
    args = parser.parse_args(argv)
    args.source = args.source.resolve() if args.source else None

    temporary = tempfile.mkdtemp(prefix="tuific-bench-library-")
    try:
        root = Path(args.keep) if args.keep else Path(temporary)
        return run_benchmark(root, Path(temporary), args)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def ensure_library(root: Path, count: int, words: int | None = None) -> tuple[Path, str]:
    """The library folder (generated once per --keep folder) and its one-story word."""
    folder = root / (f"library-{count}" + (f"-{words}w" if words else ""))
    stamp = folder / ".generated.json"  # a dot file: the scan ignores it
    if stamp.exists():
        return folder, json.loads(stamp.read_text(encoding="utf-8"))["word"]
    shutil.rmtree(folder, ignore_errors=True)
    progress(f"generating a library of {count:,} stories…")
    last, word = generate.write_library(folder, count, words=words)
    stamp.write_text(json.dumps({"last": str(last), "word": word}), encoding="utf-8")
    return folder, word


def run_benchmark(root: Path, scratch: Path, args: argparse.Namespace) -> int:
    library, word = ensure_library(root, args.count, args.words)
    warm_cache = scratch / "warm-cache"
    counter = iter(range(10**6))

    def measure(kind: str, cache: Path | None = None) -> Run:
        folder = scratch / "runs" / f"{next(counter):03d}-{kind}"
        env = child_env(folder, cache=cache, source=args.source)
        if kind == "blank":
            run = spawn(["blank"], env)
            run.require("paint", "settled")
        elif kind == "cold":
            run = spawn(["library", str(library)], env, timeout=900)
            run.require("list", "settled")
        elif kind == "loop":
            run = spawn(["read-split", str(library)], env, timeout=900)
            run.require("done")
        elif kind == "check":
            run = spawn(["library", str(library), "--type-during-check", "lantern"], env)
            run.require("list", "check_keys", "settled")
        else:
            run = spawn(["library", str(library), "--filter", word, "--type", *TYPED], env)
            run.require("list", "filter", "settled", "timings")
        for name in ("list",):
            stories = run.data.get(name, {}).get("stories")
            if stories is not None and stories != args.count:
                progress(f"warning: the list showed {stories} stories, not {args.count}")
        return run

    progress("warm-up (not counted): blank app, and tuific on a 3-story library…")
    measure("blank")
    tiny = scratch / "tiny"
    if not tiny.exists():
        generate.write_library(tiny, 3)
    spawn(["library", str(tiny)], child_env(scratch / "runs" / "tiny", source=args.source))

    cold: list[tuple[Run, Run]] = []
    loops: list[Run] = []
    checks: list[Run] = []
    for round_index in range(args.cold_runs):
        progress(f"cold start {round_index + 1}/{args.cold_runs}")
        pair = {}
        for kind in rotated(["blank", "cold", "loop"], round_index):
            cache = scratch / "runs" / f"cold-cache-{round_index}" if kind == "cold" else None
            pair[kind] = measure(kind, cache)
            if kind == "cold" and not warm_cache.exists():
                # What a first start leaves behind is the second start's cache.
                if cache is not None and cache.exists():
                    shutil.copytree(cache, warm_cache)
                else:  # no cache written (yet): the second start is a first start again
                    warm_cache.mkdir(parents=True)
        cold.append((pair["blank"], pair["cold"]))
        loops.append(pair["loop"])

    warm: list[tuple[Run, Run]] = []
    for round_index in range(args.runs):
        progress(f"warm start {round_index + 1}/{args.runs}")
        pair = {}
        for kind in rotated(["blank", "warm", "check"], round_index):
            pair[kind] = measure(kind, None if kind == "blank" else warm_cache)
        warm.append((pair["blank"], pair["warm"]))
        checks.append(pair["check"])

    print(report(cold, warm, args, word))
    print()
    print(scale_report(cold, warm, loops, checks))
    return 0


def report(cold: list[tuple[Run, Run]], warm: list[tuple[Run, Run]],
           args: argparse.Namespace, word: str) -> str:
    blanks = [b for b, _ in cold] + [b for b, _ in warm]
    blank_start = median(b.seconds["paint"] for b in blanks)
    cold_ratio = median(c.seconds["list"] / b.seconds["paint"] for b, c in cold)
    warm_list_ratio = median(w.seconds["list"] / b.seconds["paint"] for b, w in warm)
    warm_ratio = median(w.seconds["filter"] / b.seconds["paint"] for b, w in warm)
    keys = [k for _, w in warm for k in w.data["timings"]["keystrokes"]]
    keystroke = median(keys)
    # A checkout from before the sliced filter reports no "whole": its keys are whole.
    wholes = [k for _, w in warm for k in w.data["timings"].get("whole", [])] or keys
    rows = [
        ["start", "until", "time", "×blank", "RSS settled"],
        ["blank app", "first frame", seconds(blank_start), "1.00×",
         mib(median(b.data["settled"]["rss_mib"] for b in blanks))],
        ["first (cold cache)", "list usable", seconds(median(c.seconds["list"] for _, c in cold)),
         ratio(cold_ratio), mib(median(c.data["settled"]["rss_mib"] for _, c in cold))],
        ["second (warm cache)", "list usable", seconds(median(w.seconds["list"] for _, w in warm)),
         ratio(warm_list_ratio), mib(median(w.data["settled"]["rss_mib"] for _, w in warm))],
        ["second (warm cache)", f"+ filter '{word}' shows it",
         seconds(median(w.seconds["filter"] for _, w in warm)), ratio(warm_ratio), ""],
    ]
    goals = [
        ["goal", "measured", "target", "result"],
        ["second start + filter ÷ blank app start", ratio(warm_ratio), f"≤ {GOAL_WARM:g}×",
         verdict(warm_ratio, GOAL_WARM)],
        ["one filter keystroke, in-process (median)", f"{ms(keystroke)} ms",
         f"< {GOAL_KEYSTROKE_MS:g} ms", verdict(keystroke, GOAL_KEYSTROKE_MS, strict=True)],
    ]
    typed = " ".join(repr(t) for t in TYPED)
    return "\n".join([
        f"tuific library benchmark · {args.count:,} stories · "
        + environment_line(len(warm)) + f" · {len(cold)} cold",
        "",
        table(rows, right=(2, 3, 4)),
        "",
        f"filter keystrokes: {len(keys)} (typing {typed} in each warm run): "
        f"median {ms(keystroke)} ms, 90th percentile {ms(percentile(keys, 0.9))} ms, "
        f"max {ms(max(keys) if keys else float('nan'))} ms; "
        f"to the whole result: median {ms(median(wholes))} ms, "
        f"90th percentile {ms(percentile(wholes, 0.9))} ms, "
        f"max {ms(max(wholes) if wholes else float('nan'))} ms",
        "",
        table(goals, right=(1, 2)),
    ])


def scale_report(cold: list[tuple[Run, Run]], warm: list[tuple[Run, Run]],
                 loops: list[Run], checks: list[Run]) -> str:
    """Issue 13's ratios: warm list, a key during the check, scan throughput, memory."""
    warm_list = median(w.seconds["list"] / b.seconds["paint"] for b, w in warm)
    first_keys = [c.data["check_keys"]["keys"][0] for c in checks]
    first_wholes = [c.data["check_keys"].get("whole", c.data["check_keys"]["keys"])[0]
                    for c in checks]
    during = sum(all(c.data["check_keys"]["during"]) for c in checks)
    first_key = median(first_keys)
    scan = median(c.seconds["list"] - b.seconds["paint"] for b, c in cold)
    loop = median(run.data["done"]["seconds"] for run in loops)
    throughput = loop / scan if scan > 0 else float("nan")
    rss_cold = median(c.data["settled"]["rss_mib"] for _, c in cold)
    rss_warm = median(w.data["settled"]["rss_mib"] for _, w in warm)
    rss = rss_cold / rss_warm
    rows = [
        ["goal", "measured", "target", "result"],
        ["warm start, list usable ÷ blank app", ratio(warm_list), f"≤ {GOAL_WARM_LIST:g}×",
         verdict(warm_list, GOAL_WARM_LIST)],
        [f"first filter key during the check ({during}/{len(checks)} runs still checking)",
         f"{ms(first_key)} ms", f"≤ {GOAL_FRAME_MS:.1f} ms", verdict(first_key, GOAL_FRAME_MS)],
        ["  … until its whole result is shown", f"{ms(median(first_wholes))} ms", "", ""],
        [f"cold scan {seconds(scan)} vs read-and-split loop {seconds(loop)}",
         f"{throughput:.0%}", f"≥ {GOAL_SCAN:.0%}", verdict(-throughput, -GOAL_SCAN)],
        [f"RSS after the cold scan {mib(rss_cold)} ÷ warm {mib(rss_warm)}", ratio(rss),
         f"≤ {GOAL_RSS:g}×", verdict(rss, GOAL_RSS)],
    ]
    return table(rows, right=(1, 2))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


if __name__ == "__main__":
    sys.exit(main())
