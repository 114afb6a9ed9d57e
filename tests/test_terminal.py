"""tuific in a real pseudo-terminal: a killed terminal (SIGHUP) keeps the reading place."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from tuific.state import StateStore, story_key

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def read_until(fd: int, needle: bytes, seconds: float) -> bytes:
    """Read the terminal's output until `needle` shows up (or time runs out)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return seen
    return seen


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_killed_terminal_keeps_the_reading_place(tmp_path: Path, signum):
    story = tmp_path / "long.txt"
    body = "\n\n".join(
        f"Paragraph {i}: the lamp turned, and turned, and turned." for i in range(600)
    )
    story.write_text("Title: Kept Place\nAuthor: Test\n\n" + body, encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: tuific in the terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "tuific", str(story)], env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        shown = read_until(fd, b"Paragraph 0", 30)
        assert b"Paragraph 0" in shown, shown[-500:]
        for _ in range(3):
            os.write(fd, b" ")
            read_until(fd, b"\x00never", 0.4)
        # Well inside the save delay: only the signal handler can save this place.
        os.kill(pid, signum)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            read_until(fd, b"\x00never", 0.1)
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("tuific did not exit after the signal")
    finally:
        os.close(fd)
    state = StateStore()
    state.load()
    entry = state.get(story_key(story))
    assert entry is not None and entry.position.paragraph > 20
