"""No silent loss and no process left behind (issue 12): a final save that fails is
said on the terminal, exits non-zero and keeps the place in a fallback file the next
start merges; a killed save's temp files go at the next start; a hang-up whose
shutdown blocks still ends the process, with the place saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tuific.state import StateStore
from tuific.state.fallback import fallback_paths

ROOT = Path(__file__).resolve().parent.parent


def fresh(path: Path) -> StateStore:
    store = StateStore(path)
    store.load()
    return store


@pytest.fixture
def state_path(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    path = tmp_path / "state" / "state.toml"
    path.parent.mkdir()
    return path


def fail_writes(store: StateStore, monkeypatch) -> None:
    def full_disk(name: str, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_write_atomic", full_disk)


def test_failed_final_save_keeps_the_place_for_the_next_start(state_path, monkeypatch):
    store = fresh(state_path)
    store.set_position("/fic/a.txt", 42, 7)
    fail_writes(store, monkeypatch)
    message = store.save_or_keep()
    assert message and "No space left" in message
    kept = [p for p in fallback_paths(state_path) if p.exists()]
    assert len(kept) == 1 and str(kept[0]) in message
    # The next start merges it back, and the save after that removes it.
    again = fresh(state_path)
    assert again.story("/fic/a.txt").position.paragraph == 42
    assert again.dirty
    assert again.save()
    assert not any(p.exists() for p in fallback_paths(state_path))
    assert fresh(state_path).story("/fic/a.txt").position.paragraph == 42


def test_fallback_goes_to_the_runtime_folder_when_the_state_folder_is_read_only(
    state_path, monkeypatch
):
    store = fresh(state_path)
    store.set_position("/fic/a.txt", 5, 0)
    fail_writes(store, monkeypatch)
    beside, runtime = fallback_paths(state_path)
    beside.mkdir()  # cannot be written as a file, as in a read-only folder
    message = store.save_or_keep()
    assert runtime.exists() and str(runtime) in message
    assert oct(runtime.stat().st_mode & 0o777) == "0o600"
    beside.rmdir()
    assert fresh(state_path).story("/fic/a.txt").position.paragraph == 5


def test_save_or_keep_says_nothing_when_the_save_works(state_path):
    store = fresh(state_path)
    store.set_position("/fic/a.txt", 1, 0)
    assert store.save_or_keep() is None
    assert not any(p.exists() for p in fallback_paths(state_path))


def test_temp_files_of_a_killed_save_are_removed_at_the_next_start(state_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    killed = state_path.parent / f".state.toml.{dead.pid}-x1y2.tmp"
    killed.write_bytes(b"half a sa")
    alive = state_path.parent / f".state.toml.{os.getppid()}-x1y2.tmp"
    alive.write_bytes(b"another instance's save under way")
    state_path.write_text("format = 1\n")
    fresh(state_path)
    assert not killed.exists()  # young, but its writer is gone
    assert alive.exists()


def test_failed_final_save_exits_non_zero_with_a_message(tmp_path, monkeypatch, capsys):
    import tuific.cli as cli
    from tuific.config import Config

    class FakeApp:
        def __init__(self, library, *, state, **_kwargs):
            self.state = state

        def run(self):
            self.state.set_position("/fic/a.txt", 3, 0)
            fail_writes(self.state, monkeypatch)

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    monkeypatch.setattr("tuific.ui.app.TuificApp", FakeApp)
    (tmp_path / "lib").mkdir()
    assert cli.run_app(str(tmp_path / "lib"), Config()) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "kept in" in err


HANGUP_SCRIPT = r"""
import signal, sys, threading, time
from pathlib import Path
from textual.drivers.headless_driver import HeadlessDriver
# A shutdown that blocks for ever, as Textual's does writing to a terminal that is gone.
HeadlessDriver.stop_application_mode = lambda self: threading.Event().wait()
from tuific.state import StateStore
from tuific.ui.app import TuificApp
state = StateStore(Path(sys.argv[2]))
state.load()
app = TuificApp(Path(sys.argv[1]), state=state)
def ready():
    while signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # the app's handler is in
        time.sleep(0.05)
    state.set_position("/fic/hangup.txt", 77, 0)
    print("ready", flush=True)
threading.Thread(target=ready, daemon=True).start()
app.run(headless=True, size=(80, 24))
"""


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_hangup_ends_the_process_even_when_shutdown_blocks(tmp_path, signum):
    library = tmp_path / "lib"
    library.mkdir()
    (library / "a.txt").write_text("Title: A\n\nText.\n")
    state_path = tmp_path / "state.toml"
    env = {**os.environ, "TUIFIC_CACHE_DIR": str(tmp_path / "cache")}
    child = subprocess.Popen(
        [sys.executable, "-c", HANGUP_SCRIPT, str(library), str(state_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stdout.readline() == b"ready\n"
        child.send_signal(signum)
        start = time.monotonic()
        code = child.wait(timeout=10)
        waited = time.monotonic() - start
    finally:
        if child.poll() is None:
            child.kill()
    assert code == 128 + signum
    assert waited < 5
    assert fresh(state_path).story("/fic/hangup.txt").position.paragraph == 77
