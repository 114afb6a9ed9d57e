"""Kill tuific's terminal at random moments; count the processes still alive 3 s later.

    python benchmarks/hangup_soak.py [LIBRARY] [--tries 100]

Each try starts `python -m tuific LIBRARY` in a fresh tmux session, waits a random
0.05-1.5 s (start-up, loading, the first scan, a save), kills the session (SIGHUP),
and looks for the process 3 s later. Issue 12's goal: none left, in 100 tries. Needs
tmux; uses throwaway state and cache folders.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _state(pid: int) -> str | None:
    """The process's state ('S (sleeping)', 'Z (zombie)'...), or None when gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    if "tuific" not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
        return None  # the pid was reused by another program
    return next(line.split(":", 1)[1].strip() for line in status.splitlines()
                if line.startswith("State:"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", nargs="?", default=str(ROOT / "demo_stories"))
    parser.add_argument("--tries", type=int, default=100)
    args = parser.parse_args()
    env = {
        **os.environ,
        "TUIFIC_STATE_DIR": tempfile.mkdtemp(),
        "TUIFIC_CACHE_DIR": tempfile.mkdtemp(),
    }
    command = f"cd {ROOT} && exec {sys.executable} -m tuific {args.library}"
    stuck = 0
    for attempt in range(args.tries):
        session = f"tuific-soak-{os.getpid()}-{attempt}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
            env=env,
            check=True,
        )
        pid = int(
            subprocess.run(
                ["tmux", "list-panes", "-t", session, "-F", "#{pane_pid}"],
                capture_output=True, text=True, check=True,
            ).stdout.split()[0]
        )
        time.sleep(random.uniform(0.05, 1.5))
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
        time.sleep(3)
        state = _state(pid)
        if state is not None and not state.startswith("Z"):
            stuck += 1
            print(f"try {attempt + 1}: process {pid} still alive ({state}); killing it")
            os.kill(pid, 9)
    print(f"{stuck} of {args.tries} tries left a process behind after 3 s")
    return 1 if stuck else 0


if __name__ == "__main__":
    raise SystemExit(main())
