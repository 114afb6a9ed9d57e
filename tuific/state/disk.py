"""File operations of the state file that know nothing of its contents: an atomic,
durable replace, clearing temp files left by a save that was killed, and the lock
file that orders two instances' saves."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tuific.lazy_regex import lazy_compile

try:  # flock is POSIX-only; elsewhere two writers can race, but writes stay atomic.
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms we test
    fcntl = None  # type: ignore[assignment]

# A younger temp file of a live process may be another instance's save under way.
STALE_TEMP_SECONDS = 600
# ".state.toml.<pid>-<random>.tmp": the writer's pid, to tell a killed save's file.
_WRITER_PID = lazy_compile(r"\.(\d+)-[a-z0-9_]+\.tmp$")


def write_atomic(path: Path, data: bytes, durable: bool = True) -> os.stat_result:
    """Write `data` to `path` through a temp file in the same folder and `os.replace`,
    so a crash at any moment leaves the old file or the new one, never half. Returns
    the new file's stat. `durable=False` leaves out the fsyncs, for a caller that
    writes many files and then syncs them all at once (`os.sync`)."""
    # The writer's pid in the name: a temp file of a process that is gone is stale at
    # once (a save killed mid-write), whatever its age.
    fd, temp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    stat = os.stat(path)
    if not durable:
        return stat
    # Make the rename itself durable; not every file system allows this.
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return stat


def remove_stale_temp_files(path: Path) -> None:
    """Temp files left by a save that was killed: those of a process that is gone, and
    any old enough (young ones of a live process may be another writer's). `path` may
    be `folder/*`: every file's temp files in that folder."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if not _writer_alive(temp.name) or temp.stat().st_mtime < cutoff:
                temp.unlink()


def _writer_alive(name: str) -> bool:
    """Is the process that wrote temp file `name` still running? Names without a pid
    (an older tuific's) count as alive: their age decides."""
    match = _WRITER_PID.search(name)
    if match is None:
        return True
    pid = int(match.group(1))
    if pid == os.getpid():
        return False  # ours: a caller sweeps where no save of its own is under way
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, timeout: float) -> Iterator[bool]:
    """Hold an flock on `lock_path` for the block. Yields False when another process
    held it past `timeout` (a stopped one, say): the block runs anyway, as it does
    where no lock can be had at all (no flock, a read-only folder)."""
    if fcntl is None:
        yield True
        return
    fd: int | None = None
    held = True
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    held = False
                    break
                time.sleep(0.02)
    except OSError:
        pass  # no lock possible here (read-only folder, odd file system): go on
    try:
        yield held
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the flock
