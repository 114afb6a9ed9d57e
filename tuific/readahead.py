"""Reading a file ahead, on another thread, while start-up does other work.

The metadata cache of a 10,000-story library is ~7 MB. Reading it is a system call
that lets go of the GIL, so started before the app imports Textual (work that holds
the GIL) it runs on another core instead of after the imports: ~4 ms off a warm
start, and more when the file is not in the page cache yet.

The first screen needs only the file's front (its header and head, ~1.2 MB of 72 MB
at 100,000 stories): that is read first, and the list is drawn from it; the rest is
read next, for the check that runs after the first frame.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from tuific.filebytes import UnreadableFile, open_regular, read_from, read_whole

# The front read first: a 32nd of the file, at least 1 MiB (the header and head
# are ~1.7% of a large cache: a longer front is read with the rest, see
# MetadataCache._decode_front).
FRONT_SHARE, FRONT_MIN = 32, 1 << 20


def read_regular_file(file: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when it is not a readable regular file of at most
    `max_bytes` (filebytes.read_whole, the reason dropped: the cache is rebuilt)."""
    try:
        return read_whole(file, max_bytes)
    except UnreadableFile:
        return None


class ReadAhead:
    """`read_regular_file(file, max_bytes)` on a daemon thread started now, in two
    parts from one open file: its front (`front`), which the first screen needs, then
    at once the whole file (`result`), which the check after the first frame needs.
    The first frame never waits for the whole: 72 MB at 100,000 stories, much longer
    to read than the front when the file is not in the page cache."""

    def __init__(self, file: Path, max_bytes: int) -> None:
        self.file = file
        self._max_bytes = max_bytes
        self._fd = -1
        self._front: bytes | None = None
        self._size = 0
        self._data: bytes | None = None
        self._lock = threading.RLock()  # close() within result()
        self._front_read = threading.Event()
        self._thread = threading.Thread(target=self._read, name="tuific-read-ahead", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        self._read_front()
        # Then the rest, at once. Read only when the check asked for it (after the
        # first frame), it made the first filter key wait: at 50k, 20-21 ms for that
        # key in four runs against 11-18 ms read here; warm starts the same within
        # the machine's noise.
        self.result()

    def _read_front(self) -> None:
        try:
            fd, size = open_regular(self.file, self._max_bytes)
        except UnreadableFile:
            self._front_read.set()
            return
        try:
            self._front = read_from(fd, max(size // FRONT_SHARE, FRONT_MIN))
            self._size, self._fd = size, fd
        except UnreadableFile:
            os.close(fd)
        finally:
            self._front_read.set()

    def front(self) -> tuple[bytes | None, int]:
        """The file's first bytes (None: no usable file) and its size, once read.
        `result` starts with them, unless the file changed meanwhile."""
        self._front_read.wait()
        return self._front, self._size

    def result(self) -> bytes | None:
        """The whole file (None: no usable file), once read (the front again too: a
        32nd more than joining two reads, which would copy it all)."""
        self._front_read.wait()
        with self._lock:
            if self._fd >= 0:
                try:
                    self._data = read_from(self._fd, self._size)
                except UnreadableFile:
                    self._data = None
                self.close()
            return self._data

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # also at interpreter exit
            self.close()

    def close(self) -> None:
        """Let go of the open file, unless it is being read (the read then does)."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            if self._fd >= 0:
                fd, self._fd = self._fd, -1
                with contextlib.suppress(OSError):
                    os.close(fd)
        finally:
            self._lock.release()
