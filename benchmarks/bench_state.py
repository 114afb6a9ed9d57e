"""A long reading history (issue 13): what 1k, 10k and 50k state entries cost.

Run: python benchmarks/bench_state.py [--runs N] [--sizes 1000,10000,50000]
                                      [--source CHECKOUT] [--keep DIR]

A history of N entries (synthetic keys, some finished, favourite or bookmarked,
written once in the single-file layout every tuific before issue 13 wrote, and
kept in --keep, default ~/.cache/tuific-bench) is prepared for the code under test
by one load and save in a child (the sharded layout's migration: not measured).
Then, in fresh interpreters, interleaved with the same start on a history holding
only the opened story's own entry ("empty"), and reported as ratios of that:

- first page: `tuific STORY` (a 20,000-word story, its entry in the history as the
  last story read) from spawn until a frame shows story text; goal <= 1.1x;
- quit: from the q key's action until `main` returns (the state saved, the app
  torn down); goal <= 1.1x;
- one save after a page turn: CPU ms of `StateStore.save()` after one change of
  place, in a child that has loaded the history (median of 5); goal <= 10 ms.

--source points the children at another checkout (say, an older commit unpacked
with `git archive`), so before and after are measured with the same harness.
"""

from __future__ import annotations

import argparse
import random
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

GOAL_START = 1.1
GOAL_SAVE_MS = 10.0
GOAL_QUIT = 1.1
DEFAULT_SIZES = (1_000, 10_000, 50_000)
DEFAULT_KEEP = Path.home() / ".cache" / "tuific-bench"
STAMP = "2024-05-01T10:00:00.{:06d}Z"


def history_file(keep: Path, count: int) -> Path:
    """A single-file state.toml of `count` entries, written once and reused."""
    path = keep / f"history-{count}" / "state.toml"
    if path.exists():
        return path
    import tomli_w

    progress(f"writing a history of {count:,} entries…")
    rng = random.Random(count)
    stories = {}
    for n in range(count):
        entry: dict[str, object] = {
            "paragraph": rng.randint(0, 3000),
            "offset": rng.randint(0, 80),
            "last_opened": "2024-05-01T09:58:02Z",
            "fingerprint": f"{rng.getrandbits(128):032x}",
            "words": rng.randint(1000, 200_000),
            "paragraphs": rng.randint(50, 5000),
            "updated": STAMP.format(n % 1_000_000),
        }
        if n % 4 == 0:
            entry["finished"] = True
            entry["flags_updated"] = STAMP.format(n % 1_000_000)
        if n % 9 == 0:
            entry["favourite"] = True
        if n % 20 == 0:
            entry["bookmarks_updated"] = STAMP.format(n % 1_000_000)
            entry["bookmarks"] = [{"id": f"{n:012x}", "paragraph": 10, "offset": 0,
                                   "name": "a place", "created": "2024-05-01T09:58:02Z"}]
        fandom = generate.FANDOMS[n % len(generate.FANDOMS)]
        stories[f"/home/reader/fic/{fandom}/story-{n:06d}.txt"] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".part")
    temp.write_text(tomli_w.dumps({"format": 1, "stories": stories}), encoding="utf-8")
    temp.replace(path)
    return path


def with_story(history: Path | None, story_key: str, folder: Path) -> None:
    """`folder`/state.toml: the history plus the opened story's entry, the last read."""
    import tomllib

    import tomli_w

    data = tomllib.loads(history.read_text(encoding="utf-8")) if history else {"format": 1}
    data.setdefault("stories", {})[story_key] = {
        "paragraph": 40, "offset": 0, "last_opened": "2024-05-01T09:58:02Z",
        "updated": STAMP.format(999_999),
    }
    data["last_story"] = {"key": story_key, "updated": STAMP.format(999_999)}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "state.toml").write_text(tomli_w.dumps(data), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS,
                        help=f"rounds of paired starts (default {DEFAULT_RUNS})")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="history sizes, comma-separated (default 1000,10000,50000)")
    parser.add_argument("--source", type=Path, default=None,
                        help="the checkout to measure (default: this one)")
    parser.add_argument("--keep", type=Path, default=DEFAULT_KEEP,
                        help=f"folder for the generated histories (default {DEFAULT_KEEP})")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    source = args.source.resolve() if args.source else None
    scratch = Path(tempfile.mkdtemp(prefix="tuific-bench-state-"))
    try:
        print(run_benchmark(scratch, sizes, source, args))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def run_benchmark(scratch: Path, sizes: list[int], source: Path | None,
                  args: argparse.Namespace) -> str:
    story = generate.write_story(scratch / "lib" / "story.txt", 20_000).resolve()
    key = str(story)
    counter = iter(range(10**6))

    def child(args_: list[str], state: Path) -> Run:
        folder = scratch / "runs" / f"{next(counter):03d}"
        env = child_env(folder, source=source)
        env["TUIFIC_STATE_DIR"] = str(state)
        return spawn(args_, env)

    # Each history as the code under test keeps it after its first start.
    prepared: dict[int, Path] = {}
    for count in [0, *sizes]:
        folder = scratch / "prepared" / str(count)
        with_story(history_file(args.keep, count) if count else None, key, folder)
        progress(f"preparing the {count:,}-entry history (first load and save)…")
        child(["save-cpu", key, "1"], folder).require("saves")
        prepared[count] = folder

    def start(count: int) -> Run:
        state = scratch / "runs" / f"state-{next(counter):03d}"
        shutil.copytree(prepared[count], state)
        run = child(["reader", str(story), "--quit"], state)
        run.require("text", "quitting", "exit")
        shutil.rmtree(state, ignore_errors=True)
        return run

    progress("warm-up (not counted)…")
    start(0)
    pairs: dict[int, list[tuple[Run, Run]]] = {count: [] for count in sizes}
    for round_index in range(args.runs):
        for count in sizes:
            progress(f"round {round_index + 1}/{args.runs}: {count:,} entries")
            pair = {}
            for kind in rotated([0, count], round_index):
                pair[kind] = start(kind)
            pairs[count].append((pair[0], pair[count]))

    saves: dict[int, list[float]] = {}
    for count in [0, *sizes]:
        state = scratch / "runs" / f"save-{count}"
        shutil.copytree(prepared[count], state)
        run = child(["save-cpu", key, "5"], state)
        run.require("saves")
        saves[count] = run.data["saves"]["cpu_ms"]
    return report(pairs, saves, args)


def quit_seconds(run: Run) -> float:
    return run.seconds["exit"] - run.seconds["quitting"]


def report(pairs: dict[int, list[tuple[Run, Run]]], saves: dict[int, list[float]],
           args: argparse.Namespace) -> str:
    empty_runs = [e for runs in pairs.values() for e, _ in runs]
    rows = [
        ["history", "first page", "×empty", "save after a page turn (CPU)", "quit", "×empty"],
        ["empty (its own entry)", seconds(median(r.seconds["text"] for r in empty_runs)),
         "1.00×", f"{ms(median(saves[0]))} ms",
         seconds(median(map(quit_seconds, empty_runs))), "1.00×"],
    ]
    goals = [["goal", "measured", "target", "result"]]
    for count, runs in pairs.items():
        start_ratio = median(n.seconds["text"] / e.seconds["text"] for e, n in runs)
        quit_ratio = median(quit_seconds(n) / quit_seconds(e) for e, n in runs)
        save = median(saves[count])
        rows.append([
            f"{count:,} entries", seconds(median(n.seconds["text"] for _, n in runs)),
            ratio(start_ratio), f"{ms(save)} ms",
            seconds(median(quit_seconds(n) for _, n in runs)), ratio(quit_ratio),
        ])
        if count == max(pairs):
            goals += [
                [f"first page, {count:,} entries ÷ empty", ratio(start_ratio),
                 f"≤ {GOAL_START:g}×", verdict(start_ratio, GOAL_START)],
                [f"save after a page turn, {count:,} entries", f"{ms(save)} ms",
                 f"≤ {GOAL_SAVE_MS:g} ms", verdict(save, GOAL_SAVE_MS)],
                [f"quit, {count:,} entries ÷ empty", ratio(quit_ratio),
                 f"≤ {GOAL_QUIT:g}×", verdict(quit_ratio, GOAL_QUIT)],
            ]
    where = f" · source {args.source}" if args.source else ""
    return "\n".join([
        "tuific reading-history benchmark · " + environment_line(args.runs) + where,
        "",
        table(rows, right=(1, 2, 3, 4, 5)),
        "",
        table(goals, right=(1, 2)),
    ])


if __name__ == "__main__":
    sys.exit(main())
