"""Giving memory back to the system after a big parse."""

from __future__ import annotations

import sys
from functools import cache


@cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at the top: a few ms of every start-up

    try:
        # The process's own symbols, libc's among them. Not ctypes.util.find_library:
        # importing ctypes.util alone costs ~20 ms (subprocess, shutil and the
        # compression modules), and finding the library runs ldconfig.
        return ctypes.CDLL(None).malloc_trim
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
