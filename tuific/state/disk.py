"""File operations of the state file that know nothing of its contents: an atomic,
durable replace, and clearing temp files left by a save that was killed."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

# A younger temp file of a live process may be another instance's save under way.
STALE_TEMP_SECONDS = 600
# ".state.toml.<pid>-<random>.tmp": the writer's pid, to tell a killed save's file.
_WRITER_PID = re.compile(r"\.(\d+)-[a-z0-9_]+\.tmp$")


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
        return False  # ours, and this process is not saving while it loads
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True
