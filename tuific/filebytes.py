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
    UnreadableFile otherwise."""
    fd, size = open_regular(path, limit)
    try:
        return read_from(fd, size if head is None else min(head, size))
    finally:
        os.close(fd)


def open_regular(path: Path, limit: int) -> tuple[int, int]:
    """An open descriptor of a regular file of 1 to `limit` bytes, and its size;
    UnreadableFile otherwise. The caller closes it."""
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
    except OSError as error:
        os.close(fd)
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from error
    except UnreadableFile:
        os.close(fd)
        raise
    return fd, info.st_size


def read_from(fd: int, size: int, offset: int = 0) -> bytes:
    """Up to `size` bytes of an open file from `offset` (fewer if it is shorter now).
    One read of the whole size where the system allows: reading in chunks and
    joining them costs twice as much."""
    chunks = []
    try:
        while size > 0:
            chunk = _read_at(fd, size, offset)
            if not chunk:
                break
            chunks.append(chunk)
            size -= len(chunk)
            offset += len(chunk)
    except OSError as error:
        raise UnreadableFile(f"cannot read: {error.strerror or error}") from error
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _seek_and_read(fd: int, size: int, offset: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


# One system call where the system has pread, not a seek and a read (once per file
# of a first scan); the file's own position is then left where it was.
_read_at = getattr(os, "pread", _seek_and_read)
