"""Reading a regular file's bytes whole, never blocking on a FIFO or a device.

The one place files are read from disk for stories (formats.read_file_bytes) and
the metadata cache (readahead). Light on purpose (os and stat only): start-up reads
the cache with it on another thread before Textual is imported.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """Why a file could not be read, in words for the user."""


def read_whole(path: Path, limit: int, head: int | None = None) -> bytes:
    """A regular file's bytes (or only its first `head`), at most `limit` of them;
    UnreadableFile otherwise. One read of the whole size where the system allows:
    reading in chunks and joining them costs twice as much."""
    # O_NONBLOCK: opening a FIFO waits for a writer otherwise.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise UnreadableFile(f"cannot open: {error.strerror or error}") from error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        if info.st_size == 0:
            raise UnreadableFile("empty file")
        if info.st_size > limit:
            raise UnreadableFile(f"too large ({info.st_size // (1024 * 1024)} MiB)")
        chunks = []
        remaining = info.st_size if head is None else min(head, info.st_size)
        while remaining > 0:
            chunk = os.read(fd, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from error
    finally:
        os.close(fd)
