"""What each start-up trick in tuific/startup_tricks.py buys, measured directly.

Run: python benchmarks/bench_tricks.py [--runs N] [--count 10000] [--keep DIR]

The whole-start benchmarks (bench_reader, bench_library) measure a start to within
tens of milliseconds on a shared machine: too coarse for tricks worth a few. So this
times, in this process and headless at 100x30, the work each trick skips:

- gc: the time the cyclic collector spends (gc.callbacks) from creating the app to
  the warm 10k-story list on screen, with the collector running (trick off), each
  run in a fresh interpreter; Textual is imported before the count starts, so the
  collections its import would cause are not counted (the figure is a floor);
- restyle: one restyle of the whole main screen with a story open and the list
  listed (`update_node_styles`), what the first resume would have done;
- resize (a dropped trick, measured to show why): how many Resizes at the screen's
  own size arrive while starting times what one costs (`_screen_resized` at the same
  size), which filtering them out would buy;
- readahead: reading the 10k-story cache file, which the trick overlaps with the
  import of Textual (what it can buy at most);
- trim: resident memory once the 1M-word story is open and its work has finished
  (`child.py reader`, fresh interpreters), without the trick and with it; only runs
  whose story was parsed whole count (a settle during the quick start does not).

Medians of N runs. Each run gets fresh state folders; the library's cache is warm.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import generate
from harness import child_env, environment_line, positive_int, progress, spawn, table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's tuific, not an installed one


def fresh_dirs(scratch: Path, cache: Path) -> None:
    folder = Path(tempfile.mkdtemp(dir=scratch))
    for name in ("STATE", "CONFIG", "DATA"):
        os.environ[f"TUIFIC_{name}_DIR"] = str(folder / name.lower())
    os.environ["TUIFIC_CACHE_DIR"] = str(cache)


async def start(library: Path, story: Path | None, until) -> object:
    from tuific.state import StateStore
    from tuific.ui.app import TuificApp

    state = StateStore()
    state.load()
    app = TuificApp(library, state=state, open_path=story)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3000):
            await pilot.pause(0.005)
            if until(app):
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        return await until.measure(app, pilot) if hasattr(until, "measure") else None


def listed(count: int):
    def check(app) -> bool:
        pane = app.library_pane
        return not pane.scanning and not pane._rescanning and len(app.listing) == count

    return check


def gc_ms(library: Path, count: int) -> float:
    """Collector time from app creation to the listed library, collector on."""
    spent = [0.0]
    began = [0.0]

    def callback(phase: str, _info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - began[0]

    gc.enable()
    gc.unfreeze()
    gc.callbacks.append(callback)
    try:
        asyncio.run(start(library, None, listed(count)))
    finally:
        gc.callbacks.remove(callback)
    return spent[0] * 1000


class Restyle:
    def __init__(self, count: int) -> None:
        self.ready = listed(count)

    def __call__(self, app) -> bool:
        return self.ready(app)

    async def measure(self, app, pilot) -> float:
        began = time.perf_counter()
        app.screen.update_node_styles(animate=False)
        return (time.perf_counter() - began) * 1000


class Resize:
    """Counts same-size Resizes during the start (trick off), then times one."""

    def __init__(self, count: int) -> None:
        self.ready = listed(count)

    def __call__(self, app) -> bool:
        return self.ready(app)

    async def measure(self, app, pilot) -> tuple[int, float]:
        screen = app.screen
        began = time.perf_counter()
        screen._screen_resized(screen.size)
        return SAME_SIZE[0], (time.perf_counter() - began) * 1000


SAME_SIZE = [0]


def count_same_size_resizes() -> None:
    from textual.screen import Screen

    original = Screen._screen_resized

    def counting(self, size):
        if size == self._compositor.size:
            SAME_SIZE[0] += 1
        return original(self, size)

    Screen._screen_resized = counting


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive_int, default=5)
    parser.add_argument("--count", type=positive_int, default=10_000)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--gc-once", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.gc_once:  # one gc figure, in this fresh interpreter (see gc_in_fresh_process)
        import tuific.startup_tricks as tricks
        import tuific.ui.app  # noqa: F401  (Textual's import is not counted)

        tricks.OFF = frozenset({"gc"})
        fresh_dirs(Path(tempfile.mkdtemp()), Path(os.environ["TUIFIC_CACHE_DIR"]))
        print(gc_ms(args.gc_once, args.count))
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="tuific-bench-tricks-"))
    try:
        root = args.keep or scratch
        library = root / f"tricks-library-{args.count}"
        if not library.exists():
            progress(f"generating a library of {args.count:,} stories…")
            generate.write_library(library, args.count)
        story = root / "stories" / "1M" / "story-1M.txt"
        if not story.exists():
            progress("generating a 1M-word story…")
            generate.write_story(story, 1_000_000)
        cache = scratch / "cache"
        fresh_dirs(scratch, cache)
        asyncio.run(start(library, None, listed(args.count)))  # warms the cache
        from tuific.paths import cache_file_for
        from tuific.readahead import read_regular_file
        from tuific.startup_tricks import OFF

        assert not OFF, "run without TUIFIC_TRICKS_OFF: this script turns tricks off itself"
        results: dict[str, list[float]] = {"gc": [], "restyle": [], "resize": [], "read": []}
        counts: list[int] = []
        count_same_size_resizes()
        for run in range(args.runs):
            progress(f"run {run + 1}/{args.runs}")
            results["gc"].append(gc_in_fresh_process(library, args.count, cache))
            fresh_dirs(scratch, cache)
            results["restyle"].append(
                asyncio.run(start(library, story, Restyle(args.count)))  # type: ignore[arg-type]
            )
            SAME_SIZE[0] = 0
            fresh_dirs(scratch, cache)
            same, one = asyncio.run(start(library, None, Resize(args.count)))  # type: ignore
            counts.append(same)
            results["resize"].append(same * one)
            began = time.perf_counter()
            read_regular_file(cache_file_for(library), 1 << 30)
            results["read"].append((time.perf_counter() - began) * 1000)
        rows = [["trick", "buys (median)", "note"]]
        rows.append(["gc", f"{statistics.median(results['gc']):.1f} ms",
                     "collector time to the listed library (floor)"])
        rows.append(["restyle", f"{statistics.median(results['restyle']):.1f} ms",
                     "one restyle of the main screen"])
        rows.append(["resize", f"{statistics.median(results['resize']):.1f} ms",
                     f"{statistics.median(counts):.0f} same-size Resizes × one"])
        without, with_trim = trim_mib(story, scratch, args.runs)
        rows.append(["trim", f"{without - with_trim:.0f} MiB",
                     f"settled RSS with the 1M story: {with_trim:.0f} MiB, "
                     f"{without:.0f} without"])
        rows.append(["readahead", f"≤ {statistics.median(results['read']):.1f} ms",
                     "reading the cache file, hidden behind Textual's import"])
        print(environment_line(args.runs))
        print()
        print(table(rows))
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def trim_mib(story: Path, scratch: Path, runs: int) -> tuple[float, float]:
    """Median settled RSS with the 1M story open: trick off, then on."""
    figures = []
    for off in ("trim", ""):
        values = []
        for run in range(runs * 3):  # some settle before the whole story is parsed
            env = child_env(scratch / "rss" / f"{off or 'on'}-{run}")
            env["TUIFIC_TRICKS_OFF"] = off
            env["PYTHONPATH"] = str(ROOT)
            measured = spawn(["reader", str(story)], env)
            measured.require("settled")
            if measured.data["settled"].get("words", 0) >= 900_000:
                values.append(measured.data["settled"]["rss_mib"])
            if len(values) == runs:
                break
        figures.append(statistics.median(values))
    return figures[0], figures[1]


def gc_in_fresh_process(library: Path, count: int, cache: Path) -> float:
    env = dict(os.environ, TUIFIC_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, __file__, "--gc-once", str(library), "--count", str(count)],
        env=env, capture_output=True, text=True, check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])



if __name__ == "__main__":
    sys.exit(main())
