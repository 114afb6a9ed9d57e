"""Reading a file ahead, on another thread, while start-up does other work.

The metadata cache of a 10,000-story library is ~7 MB. Reading it is a system call
that lets go of the GIL, so started before the app imports Textual (work that holds
the GIL) it runs on another core instead of after the imports: ~4 ms off a warm
start, and more when the file is not in the page cache yet.
"""

from __future__ import annotations

import threading
from pathlib import Path

from tuific.filebytes import UnreadableFile, read_whole


def read_regular_file(file: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when it is not a readable regular file of at most
    `max_bytes` (filebytes.read_whole, the reason dropped: the cache is rebuilt)."""
    try:
        return read_whole(file, max_bytes)
    except UnreadableFile:
        return None


class ReadAhead:
    """`read_regular_file(file, max_bytes)`, started now on a daemon thread."""

    def __init__(self, file: Path, max_bytes: int) -> None:
        self.file = file
        self._max_bytes = max_bytes
        self._data: bytes | None = None
        self._thread = threading.Thread(target=self._read, name="tuific-read-ahead", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        self._data = read_regular_file(self.file, self._max_bytes)

    def result(self) -> bytes | None:
        """The bytes (None: no usable file), once the read has finished."""
        self._thread.join()
        return self._data
