"""Giving memory back to the system after a big parse."""

from __future__ import annotations

import sys
from functools import cache


@cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at the top: a few ms of every start-up
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def release_free_memory() -> bool:
    """Return freed heap pages to the OS (glibc's malloc_trim).

    Parsing a million-word story peaks at several times the story's final size;
    glibc keeps those freed pages, so without this the reader's resident memory
    stays at the parse's peak for as long as it runs.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
