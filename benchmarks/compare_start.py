"""Two checkouts' warm start (of a big library, or of one story), head to head in one run.

Run: python benchmarks/compare_start.py --base CHECKOUT [--source CHECKOUT] [--runs N]
                                        [--count N] [--keep DIR] [--story FILE]

bench_library.py measures one checkout at a time (--source); two of its runs minutes
apart on a shared 2-core machine differ by more than a change to the start-up does.
This starts the blank Textual app and each checkout's `tuific LIBRARY` (warm metadata
cache: each checkout's own, written once by a first start) in turn, the two checkouts'
order alternating each round, and prints the medians until the list is usable: the
wall clock and the UI thread's CPU time (steadier: other processes' turns on the CPU
do not count), each ÷ the blank app's. With `--story FILE` it compares `tuific FILE`
instead, until the first frame with a line of the story's text (as bench_reader.py;
e.g. its million-word story, kept with `bench_reader.py --keep DIR`).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from bench_library import ensure_library
from harness import DEFAULT_RUNS, child_env, positive_int, progress, spawn, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout measured (default: this one)")
    parser.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS * 2,
                        help=f"rounds (default {DEFAULT_RUNS * 2})")
    parser.add_argument("--count", type=positive_int, default=10_000,
                        help="stories in the library (default 10000)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the generated library, kept and reused")
    parser.add_argument("--story", type=Path, default=None,
                        help="compare `tuific FILE` (first text) instead of a library's start")
    args = parser.parse_args(argv)
    trees = {"base": args.base.resolve(), "this": args.source.resolve()}
    scratch = Path(tempfile.mkdtemp(prefix="tuific-compare-start-"))
    try:
        if args.story is not None:
            command, milestone = ["reader", str(args.story.resolve())], "text"
        else:
            library, _word = ensure_library(args.keep or scratch, args.count)
            command, milestone = ["library", str(library)], "list"
        # A warm cache of each checkout's own: their cache formats may differ.
        caches = {kind: scratch / f"warm-cache-{kind}" for kind in trees}
        for kind, tree in trees.items():
            progress(f"first start of {kind} (not counted): writing its metadata cache…")
            first = spawn(command, child_env(scratch / f"first-{kind}", caches[kind], tree),
                          timeout=900)
            first.require(milestone)
        times: dict[str, list[tuple[float, float]]] = {"blank": [], "base": [], "this": []}
        for index in range(args.runs):
            progress(f"round {index + 1}/{args.runs}")
            order = ["base", "this"] if index % 2 == 0 else ["this", "base"]
            for kind in ["blank", *order]:
                folder = scratch / "runs" / f"{index:03d}-{kind}"
                if kind == "blank":
                    run, mark = spawn(["blank"], child_env(folder)), "paint"
                else:
                    run = spawn(command, child_env(folder, caches[kind], trees[kind]))
                    mark = milestone
                run.require(mark)
                cpu = float(run.data[mark]["thread_cpu_s"])
                times[kind].append((run.seconds[mark], cpu))
        what = (f"tuific {args.story.name}, first text" if args.story is not None
                else f"warm start, {args.count:,} stories, list usable")
        print(report(times, trees, what, args.runs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(times: dict[str, list[tuple[float, float]]], trees: dict[str, Path],
           what: str, runs: int) -> str:
    wall = {kind: statistics.median(w for w, _c in rows) for kind, rows in times.items()}
    cpu = {kind: statistics.median(c for _w, c in rows) for kind, rows in times.items()}
    rows = [["start", "until", "wall", "÷ blank", "UI-thread CPU", "÷ blank"]]
    for kind in ("blank", "base", "this"):
        label = "blank app" if kind == "blank" else f"{kind} ({trees[kind]})"
        rows.append([
            label,
            "first frame" if kind == "blank" else what.rsplit(", ", 1)[1],
            f"{wall[kind]:.3f} s",
            f"{wall[kind] / wall['blank']:.2f}×",
            f"{cpu[kind]:.3f} s",
            f"{cpu[kind] / cpu['blank']:.2f}×",
        ])
    heading = f"{what.rsplit(', ', 1)[0]}, {runs} interleaved rounds (median)"
    return heading + "\n\n" + table(rows, right=(2, 3, 4, 5))


if __name__ == "__main__":
    raise SystemExit(main())
