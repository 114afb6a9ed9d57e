"""Two checkouts' warm start of a big library, head to head in one run.

Run: python benchmarks/compare_start.py --base CHECKOUT [--source CHECKOUT] [--runs N]
                                        [--count N] [--keep DIR]

bench_library.py measures one checkout at a time (--source); two of its runs minutes
apart on a shared 2-core machine differ by more than a change to the start-up does.
This starts the blank Textual app and each checkout's `tuific LIBRARY` (warm metadata
cache: each checkout's own, written once by a first start) in turn, the two checkouts'
order alternating each round, and prints the medians until the list is usable: the
wall clock and the UI thread's CPU time (steadier: other processes' turns on the CPU
do not count), each ÷ the blank app's.
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
    args = parser.parse_args(argv)
    trees = {"base": args.base.resolve(), "this": args.source.resolve()}
    scratch = Path(tempfile.mkdtemp(prefix="tuific-compare-start-"))
    try:
        library, _word = ensure_library(args.keep or scratch, args.count)
        # A warm cache of each checkout's own: their cache formats may differ.
        caches = {kind: scratch / f"warm-cache-{kind}" for kind in trees}
        for kind, tree in trees.items():
            progress(f"first start of {kind} (not counted): writing its metadata cache…")
            first = spawn(["library", str(library)],
                          child_env(scratch / f"first-{kind}", caches[kind], tree), timeout=900)
            first.require("list")
        times: dict[str, list[tuple[float, float]]] = {"blank": [], "base": [], "this": []}
        for index in range(args.runs):
            progress(f"round {index + 1}/{args.runs}")
            order = ["base", "this"] if index % 2 == 0 else ["this", "base"]
            for kind in ["blank", *order]:
                folder = scratch / "runs" / f"{index:03d}-{kind}"
                if kind == "blank":
                    run = spawn(["blank"], child_env(folder))
                    milestone = "paint"
                else:
                    env = child_env(folder, caches[kind], trees[kind])
                    run = spawn(["library", str(library)], env)
                    milestone = "list"
                run.require(milestone)
                cpu = float(run.data[milestone]["thread_cpu_s"])
                times[kind].append((run.seconds[milestone], cpu))
        print(report(times, trees, args.count, args.runs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(times: dict[str, list[tuple[float, float]]], trees: dict[str, Path],
           count: int, runs: int) -> str:
    wall = {kind: statistics.median(w for w, _c in rows) for kind, rows in times.items()}
    cpu = {kind: statistics.median(c for _w, c in rows) for kind, rows in times.items()}
    rows = [["start", "until", "wall", "÷ blank", "UI-thread CPU", "÷ blank"]]
    for kind in ("blank", "base", "this"):
        label = "blank app" if kind == "blank" else f"{kind} ({trees[kind]})"
        rows.append([
            label,
            "first frame" if kind == "blank" else "list usable (warm)",
            f"{wall[kind]:.3f} s",
            f"{wall[kind] / wall['blank']:.2f}×",
            f"{cpu[kind]:.3f} s",
            f"{cpu[kind] / cpu['blank']:.2f}×",
        ])
    heading = f"warm start, {count:,} stories, {runs} interleaved rounds (median)"
    return heading + "\n\n" + table(rows, right=(2, 3, 4, 5))


if __name__ == "__main__":
    raise SystemExit(main())
