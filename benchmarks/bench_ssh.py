"""Bytes on the wire (issue 14): what one PageDown and one line scroll cost, against `less`.

Run: python benchmarks/bench_ssh.py [--keys N] [--before] [--cpu]

Starts `tuific STORY` and `less STORY` on the same generated story in a
pseudo-terminal of the given size and TERM/COLORTERM, as a user over SSH would
meet them, answers the terminal queries a modern terminal answers (synchronised
output is supported), with an empty reading history for each run (so tuific,
as less, opens the story at its top), waits for the screen to settle, then presses each key N
times and counts every byte written until the program is quiet again. Prints
the mean bytes per key and the ratio to `less` (a page is space in both: tuific
binds space and PageDown to one action, and less echoes an escape sequence it
does not know from the terminfo it reads, which would count against it):

- 80x24, 256 colours (TERM=xterm-256color): PageDown, `j` (one-pane layout);
- 120x32, true colour (COLORTERM=truecolor): PageDown and `j` in the default
  three-pane layout, and `j` in the one-pane layout (list and panel hidden).

Goals: PageDown <= 1.2x less at 80x24 and <= 2x at 120x32; a one-pane line
scroll <= 4x less, and <= 1.5x one text line's bytes elsewhere (the last
column: tuific's bytes for `j` over what less sends for a line that shows text).
`--before` adds a column with Textual's own output
(TUIFIC_RAW_OUTPUT=1, the output layer off). `--cpu` instead records sessions
in-process (tests/output_sessions.py) at 80x24 and 160x50 and prints the
output layer's CPU per frame against the app's own CPU for the same session.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import write_story  # noqa: E402
from harness import child_env  # noqa: E402

PAGE = b" "
TEXTLESS = 16  # bytes less sends when the line it scrolls in is blank
# Replies a terminal gives to what Textual asks at start: synchronised output is supported.
ANSWERS = {b"\x1b[?2026$p": b"\x1b[?2026;2$y"}


class Terminal:
    """A program in a pseudo-terminal; counts the bytes it writes."""

    def __init__(self, argv: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        width, height = size
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the program asks
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd

    def read_until_quiet(self, quiet: float = 0.6, limit: float = 30.0) -> bytes:
        data = bytearray()
        start = last = time.monotonic()
        while time.monotonic() - last < quiet and time.monotonic() - start < limit:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            last = time.monotonic()
            for question, answer in ANSWERS.items():
                if question in chunk:
                    os.write(self.fd, answer)
        return bytes(data)

    def press(self, key: bytes, quiet: float = 0.6) -> int:
        os.write(self.fd, key)
        return len(self.read_until_quiet(quiet))

    def close(self, quit_key: bytes) -> None:
        try:
            os.write(self.fd, quit_key)
            self.read_until_quiet(0.3, 5.0)
        except OSError:
            pass
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def run_env(folder: Path, colour: dict[str, str], **extra: str) -> dict[str, str]:
    """The environment for one run: its own empty state, settings and cache folders.

    tuific reopens a story where the last run left it: with one state folder for
    all runs each case began where the one before stopped (deeper with `--before`,
    whose raw runs read on too), not at the place less shows, and its figures
    changed with the flags (one pane `j`: 83 B with `--before`, 101 B without).
    """
    env = child_env(Path(tempfile.mkdtemp(prefix="run-", dir=folder)))
    env.pop("LESS", None)
    env.pop("TEXTUAL_ANIMATIONS", None)
    env.update(TERM="xterm-256color", **colour, **extra)
    if "COLORTERM" not in colour:
        env.pop("COLORTERM", None)
    return env


def measure(argv, size, env, setup: list[bytes], keys: list[bytes], quit_key: bytes) -> list[int]:
    terminal = Terminal(argv, size, env)
    try:
        terminal.read_until_quiet(1.5, 60.0)
        for key in setup:
            terminal.press(key)
        return [terminal.press(key) for key in keys]
    finally:
        terminal.close(quit_key)


def cpu_report() -> None:
    """The output layer's CPU per frame, and as a share of the whole session's CPU."""
    import asyncio

    import textual.constants

    from tests.output_sessions import optimise, record
    from tests.uihelpers import make_app
    from tuific.resources import demo_dir

    async def keys(pilot) -> None:
        await pilot.pause(0.5)
        for key in ["enter", *["space", "j"] * 10, "h", "i", *["j", "space"] * 10]:
            await pilot.press(key)
            await pilot.pause(0.02)

    textual.constants.COLOR_SYSTEM = "truecolor"
    print(f"{'size':<10}{'frames':>8}{'layer ms/frame':>16}{'layer/app CPU':>15}")
    for size in ((80, 24), (160, 50)):
        start = time.process_time()
        writes = asyncio.run(record(make_app(demo_dir()), size, keys))
        app_cpu = time.process_time() - start
        start = time.process_time()
        optimise(writes)
        layer_cpu = time.process_time() - start
        frames = sum(1 for data, _ in writes if "\x1b[" in data)
        print(
            f"{size[0]}x{size[1]:<7}{frames:>8}{layer_cpu * 1000 / frames:>16.2f}"
            f"{layer_cpu / app_cpu:>14.1%}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=8, help="presses per key (mean)")
    parser.add_argument("--before", action="store_true", help="also without the output layer")
    parser.add_argument("--cpu", action="store_true", help="the output layer's CPU per frame")
    args = parser.parse_args()
    if args.cpu:
        cpu_report()
        return 0
    if shutil.which("less") is None:
        print("less is not installed", file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="tuific-bench-ssh-"))
    story = write_story(folder / "story" / "long-story.txt", 30_000)
    tuific = [sys.executable, "-m", "tuific", str(story)]
    less = ["less", str(story)]
    n = args.keys
    cases = [
        # name, size, colour env, setup keys for tuific, key
        ("80x24 256c page", (80, 24), {}, [], PAGE),
        ("80x24 256c j", (80, 24), {}, [], b"j"),
        ("120x32 24bit page", (120, 32), {"COLORTERM": "truecolor"}, [], PAGE),
        ("120x32 24bit j", (120, 32), {"COLORTERM": "truecolor"}, [], b"j"),
        ("120x32 24bit j one pane", (120, 32), {"COLORTERM": "truecolor"}, [b"h", b"i"], b"j"),
    ]
    before = f"{'before B':>10}" if args.before else ""
    print(f"{'case':<26}{before}{'tuific B':>10}{'less B':>9}{'ratio':>8}{'÷ text line':>13}")
    for name, size, colour, setup, key in cases:
        warm = [PAGE, PAGE]  # into the story's text, past its title
        raw = ""
        if args.before:
            raw_env = run_env(folder, colour, TUIFIC_RAW_OUTPUT="1")
            raw_bytes = measure(tuific, size, raw_env, setup + warm, [key] * n, b"q")
            raw = f"{statistics.mean(raw_bytes):>10,.0f}"
        case_env = run_env(folder, colour)
        ours = statistics.mean(measure(tuific, size, case_env, setup + warm, [key] * n, b"q"))
        per_key = measure(less, size, case_env, warm, [key] * n, b"q")
        theirs = statistics.mean(per_key)
        # One text line's bytes: what less sends for a line scroll that shows text
        # (a blank line costs it about ten).
        texts = [count for count in per_key if count > TEXTLESS]
        line = f"{ours / statistics.mean(texts):>12.2f}x" if key == b"j" and texts else ""
        print(f"{name:<26}{raw}{ours:>10,.0f}{theirs:>9,.0f}{ours / theirs:>7.2f}x{line}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
