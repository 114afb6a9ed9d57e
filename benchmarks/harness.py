"""Shared machinery for the start-up benchmarks: spawn, time, compare with a blank app.

Machines differ and a busy 2-core box is noisy, so absolute times mislead. Every
benchmark therefore also starts a blank Textual app (one `Static("hello")`) in the
same run, interleaved with the measured starts, and reports ratios (median of N).

Each measurement is a fresh interpreter (`benchmarks/child.py`), as when a user
types `tuific`: imports, config and state loading, compose, layout and the first
rendered frame all count. The parent takes the time from just before it spawns
the child to the moment it reads the child's milestone line ("@mark NAME {json}");
the child adds its resident memory (VmRSS) to each line.

Why `App.run(headless=True, size=(100, 30))` and not `run_test`: headless `run` is
the code path a user's start takes (`App.run` -> `run_async` -> `_process_messages`,
driver start, compose, mount, CSS, layout, and the compositor rendering every
widget's lines), with the headless driver standing in for the terminal; only the
final conversion of the frame to escape codes and its write are skipped, for the
blank app and tuific alike. `run_test` adds Pilot's start-up waits (it polls for
idle in 20 ms steps), which would blur a sub-second start.
"""

from __future__ import annotations

import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = HERE / "child.py"
DEFAULT_RUNS = 5


@dataclass
class Run:
    """One child process: when each milestone arrived, and what it reported."""

    args: list[str]
    seconds: dict[str, float] = field(default_factory=dict)
    data: dict[str, dict] = field(default_factory=dict)
    returncode: int | None = None
    stderr: str = ""

    def require(self, *names: str) -> None:
        missing = [name for name in names if name not in self.seconds]
        if missing:
            raise RuntimeError(
                f"child {' '.join(self.args)} exited {self.returncode} without "
                f"{', '.join(missing)}; stderr:\n{self.stderr[-3000:]}"
            )


def child_env(
    folder: Path, cache: Path | None = None, source: Path | None = None
) -> dict[str, str]:
    """Environment for a child: tuific's folders inside `folder`, never the user's;
    tuific imported from `source` (a checkout; default: this one), ahead of any
    installed copy, and compiled as an installed copy is."""
    write_bytecode((source or HERE.parent).resolve())
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(source or HERE.parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    for name, sub in (
        ("TUIFIC_STATE_DIR", "state"),
        ("TUIFIC_CONFIG_DIR", "config"),
        ("TUIFIC_DATA_DIR", "data"),
        ("TUIFIC_CACHE_DIR", "cache"),
    ):
        env[name] = str(folder / sub)
    if cache is not None:
        env["TUIFIC_CACHE_DIR"] = str(cache)
    env.pop("TEXTUAL", None)  # no devtools
    # A 256-colour terminal, as most are: under TERM=xterm (16 colours) tuific starts
    # in its `ansi` theme, which costs one more CSS pass (~50 ms) than a blank app
    # pays, and the ratios would measure the machine's TERM rather than the reader.
    env["TERM"] = "xterm-256color"
    env.pop("COLORTERM", None)
    env.pop("NO_COLOR", None)
    return env


def spawn(args: Sequence[str], env: dict[str, str], timeout: float = 300.0) -> Run:
    """Run `child.py ARGS` and time each milestone from the moment of spawning."""
    run = Run(list(args))
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
            cwd=HERE,
        )
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            assert process.stdout is not None
            for raw in process.stdout:
                now = time.perf_counter() - start
                line = raw.decode("utf-8", "replace").strip()
                if not line.startswith("@mark "):
                    continue
                _, name, payload = line.split(" ", 2)
                run.seconds.setdefault(name, now)
                run.data.setdefault(name, json.loads(payload))
            run.returncode = process.wait()
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
        errors.seek(0)
        run.stderr = errors.read()
    return run


@functools.cache
def write_bytecode(source: Path) -> None:
    """Compile a checkout's modules to .pyc, as `pip install` does at install time.

    Run from a checkout with PYTHONDONTWRITEBYTECODE set (as on these machines),
    every start would otherwise compile each module from source again: 30-55 ms that
    no installed copy pays, and more for a checkout of many small modules than for
    one of a few large ones whose compiled import costs the same. `child_env` calls
    it, once per checkout, so no benchmark can forget it (compare_start once did, and
    measured main 0.2x slower than d6ca4d3 instead of 0.06x).
    """
    import compileall

    compileall.compile_dir(str(source / "tuific"), quiet=1)


def median(values: Iterable[float]) -> float:
    values = [v for v in values if v == v]  # drop NaN
    return statistics.median(values) if values else float("nan")


def rotated(items: Sequence, round_index: int) -> list:
    """The measured kinds in a different order each round, so none always runs first
    (right after another child has warmed or dirtied the caches)."""
    shift = round_index % len(items)
    return list(items[shift:]) + list(items[:shift])


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def verdict(value: float, goal: float, strict: bool = False) -> str:
    if value != value:
        return "n/a"
    ok = value < goal if strict else value <= goal
    return "PASS" if ok else "FAIL"


def table(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> str:
    """A plain text table; the columns in `right` are right-aligned."""
    right = set(right)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def environment_line(runs: int) -> str:
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:  # pragma: no cover - only for the banner
        textual = "?"
    python = ".".join(map(str, sys.version_info[:3]))
    return (f"{runs} runs (median) · Textual {textual} · Python {python} · "
            f"{os.cpu_count()} CPUs · headless {100}x{30}")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ms(value: float) -> str:
    return "n/a" if value != value else f"{value:.1f}"


def ratio(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}×"


def seconds(value: float) -> str:
    return "n/a" if value != value else f"{value:.3f} s"


def mib(value: float) -> str:
    return "n/a" if value != value else f"{value:.1f} MiB"
