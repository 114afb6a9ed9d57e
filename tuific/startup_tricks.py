"""Every start-up optimisation that reaches into Textual's workings or into the process
(the garbage collector, the C allocator, a thread started before Textual is imported),
in one place, each with what it buys, measured.

Measured by `python benchmarks/bench_tricks.py --runs 3`, which times the work each
trick skips (a whole start is only measurable to tens of ms on a shared machine); the
whole-start benchmarks take `TUIFIC_TRICKS_OFF=name[,name...]` (read here once,
nothing else reads it) to compare a start without one. See TRICKS for the figures.
A trick that buys less than 2 ms is not kept; one that needs a private Textual name
must buy 10 ms and have a test that fails loudly when Textual changes (none does now).

Lazy imports are the one kind not switchable here: tuific's own heavier modules (the
query language, the scan, the cache, search, the dialogs) are imported where first
used, each with a comment saying so. `python -X importtime -m tuific --version` and
the benchmarks' blank-app ratio show what they would add to every start.

This module imports nothing from Textual (cli.py uses it before Textual is imported).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

# name -> what it buys (filled in from the measurements; see the module docstring).
TRICKS = {
    "gc": "26-83 ms (two runs): the collector's time from the app's creation to a warm "
    "10k-story list (a floor: collections during Textual's import not counted)",
    "restyle": "9-15 ms: one restyle of the main screen with a 1M-word story open and "
    "10k stories listed, which its first resume would do for nothing",
    "readahead": "up to 5-7 ms: reading a 10k-story cache file's front (what the first "
    "screen reads), overlapped with importing Textual",
    "trim": "memory, not time: the settled RSS with a 1M-word story open is 62 MiB with "
    "it, 111 MiB without (the blank app: 34 MiB)",
}
# Measured and dropped (python benchmarks/bench_tricks.py --runs 3, this checkout):
# "resize", a Screen._screen_resized override skipping Resizes at the screen's own
# size (three at start, 2.4-3.0 ms in all); it read Textual's private `_compositor`,
# which a trick worth under 10 ms may not do.

OFF = frozenset(filter(None, os.environ.get("TUIFIC_TRICKS_OFF", "").split(",")))


def on(name: str) -> bool:
    """Whether a trick is in use (all are, unless a benchmark turned one off)."""
    return name not in OFF


# -- gc: the cyclic garbage collector ---------------------------------------------


def pause_gc() -> None:
    """Start-up (importing Textual, composing, the first page, listing a library)
    makes hundreds of thousands of long-lived objects and few cycles; the collector
    would walk them over and over. Paused until `settle_gc`."""
    if on("gc"):
        gc.disable()


def settle_gc() -> None:
    """The library is listed: what start-up made is frozen out of the collector's
    walks (it lives as long as the app), and the collector runs again."""
    if on("gc"):
        gc.freeze()
        gc.enable()


def free_cycles() -> None:
    """Free now the cycles made while the collector was paused: `settle_gc` would
    freeze them for good. A first scan leaves many (seconds of frames drawn while
    the list filled), holding memory amid what the scan's objects leave free."""
    if on("gc"):
        gc.collect()


def with_gc_paused(function: Callable[..., T], *args: Any) -> T:
    """function(*args) with the collector paused: loading the metadata cache
    allocates hundreds of thousands of strings and no cycles, and collections
    triggered by them more than doubled its time."""
    if not on("gc"):
        return function(*args)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return function(*args)
    finally:
        if was_enabled:
            gc.enable()


# -- restyle: the main screen's first resume ----------------------------------------


def skip_first_restyle(screen: Any, event: Any) -> None:
    """Textual restyles every widget of a screen when it resumes (the theme may have
    changed under a dialog). The first resume comes just after the mount styled them
    all: that restyle changes nothing, and delayed the first frame. Call from the
    screen's ScreenResume handler, which runs before Screen's own reads the flag
    (`ScreenResume.refresh_styles`, a public attribute)."""
    if on("restyle") and not getattr(screen, "_tuific_resumed", False):
        screen._tuific_resumed = True
        event.refresh_styles = False


# -- readahead: the metadata cache file -----------------------------------------------


def read_ahead(file: Any, max_bytes: int) -> Any:
    """The cache file, being read on another thread while Textual is imported (a
    ReadAhead), or None when the trick is off (the cache then reads it itself)."""
    if not on("readahead"):
        return None
    from tuific.readahead import ReadAhead

    return ReadAhead(file, max_bytes)


# -- trim: memory given back ------------------------------------------------------------


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at the top: a few ms of every start-up

    try:
        # The process's own symbols, libc's among them. Not ctypes.util.find_library:
        # importing ctypes.util alone costs ~20 ms (subprocess, shutil and the
        # compression modules), and finding the library runs ldconfig.
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
        return trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def release_free_memory() -> bool:
    """Return freed heap pages to the OS (glibc's malloc_trim).

    Parsing a million-word story peaks at several times the story's final size;
    glibc keeps those freed pages, so without this the reader's resident memory
    stays at the parse's peak for as long as it runs.
    """
    trim = _malloc_trim() if on("trim") else None
    if trim is None:
        return False
    trim(0)
    return True


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
_MMAP_THRESHOLD = 128 * 1024  # its default, which glibc otherwise raises as it goes


@cache
def _mallopt() -> Callable[[int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        mallopt: Callable[[int, int], int] = ctypes.CDLL(None).mallopt
        return mallopt
    except (OSError, AttributeError):  # not glibc
        return None


def keep_big_blocks_mapped() -> bool:
    """Big blocks (128 KiB and more) each in a mapping of their own, given back to
    the system when freed, for the rest of the process. glibc raises that threshold
    whenever such a block is freed (up to 32 MiB), and a first scan frees thousands
    (each batch's cache segment): the cache's columns, read afterwards, then came
    from the heap amid the scan's freed blocks, which stayed resident. Measured
    after a cold start at 10,000 stories: 89-90 MiB, 76 MiB with it (a warm start:
    71-73 MiB). Part of the "trim" trick."""
    mallopt = _mallopt() if on("trim") else None
    return mallopt is not None and bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))
