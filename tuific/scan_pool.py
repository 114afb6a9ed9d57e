"""Parsing a big scan on every core: worker processes read and parse story files
and hand back their metadata records; the scan keeps its path order, its cache and
its budgets (each file is parsed by the same `read_listing`, within tuific.limits).
The app's first scan of a library hands back cache columns instead (see
tuific.scan_segments, which shares this module's pools).

Why processes: parsing is pure Python and holds the GIL, so a thread gains nothing;
and the parse's garbage (each file's decoded and cleaned text) stays in the workers,
so the app's memory after a cold scan is close to a warm start's.

- Only a big scan uses them: the first `POOL_AFTER` files to parse are parsed on the
  scan's own thread (a small library or a rescan never starts a process), and a
  machine with one core never does.
- "spawn", not fork: the app has threads running (a forked copy of a lock held by
  one of them would hang the child).
- A worker that dies (killed, out of memory, a crash in a parser) breaks the pool:
  the files of every unfinished batch are skipped with a reason and NOT remembered as
  failures, so the next start tries them again; the rest of the scan parses on the
  scan's thread.
- `stop_all()` ends every pool at once (the app calls it when it quits): queued
  batches are cancelled and the workers terminated, so quitting never waits for a
  parse, as with tuific.ui.threads.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tuific.formats import StoryError
from tuific.model import Skipped, Story

if TYPE_CHECKING:  # imported when a pool starts: most scans never need one
    from concurrent.futures import ProcessPoolExecutor

POOL_AFTER = 200  # files parsed on the scan's thread before a pool is worth starting
BATCH = 16  # files per task: few enough that a cancelled quit waits for little
MAX_WORKERS = 4
BROKEN = "not read: the parsing process stopped (it is tried again next start)"

# (reason, whether the file itself could not be read: not remembered as a failure)
Failure = tuple[str, bool]
Parsed = Story | Failure


# tuific.library.read_listing, imported on the first parse (library imports this
# module; and the worker imports only what it uses), then kept: an import statement
# in parse_file cost ~0.6 us a file of a first scan.
_read_listing: Callable[[Path], Story] | None = None


def parse_file(path: str) -> Parsed:
    """One file's metadata record, or why it has none (the scan's own parse)."""
    global _read_listing
    if _read_listing is None:
        from tuific.library import read_listing

        _read_listing = read_listing
    try:
        return _read_listing(Path(path))
    except StoryError as error:
        return (str(error), isinstance(error.__cause__, OSError))


def parse_batch(paths: list[str]) -> list[Parsed]:
    """In a worker: `parse_file` of each path, in order."""
    return [parse_file(path) for path in paths]


_pools: set[ProcessPoolExecutor] = set()
_pools_lock = threading.Lock()


def stop_all() -> None:
    """Cancel every queued batch and end every worker now (the app is quitting)."""
    with _pools_lock:
        pools = list(_pools)
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)
    # A running batch would otherwise finish first: interpreter exit waits for it.
    # Also when the scan closed its pool on its way out (then not in `_pools`). The
    # app starts no other child processes of multiprocessing's.
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None:
        for child in multiprocessing.active_children():
            child.terminate()


_stderr_lock = threading.Lock()


@contextmanager
def stderr_with_a_descriptor() -> Iterator[None]:
    """multiprocessing starts its resource tracker (at the pool's first lock) with
    `sys.stderr.fileno()`; inside the app sys.stderr is Textual's capture of prints,
    which has none. A null stream stands in for that moment."""
    with _stderr_lock, open(os.devnull, "w") as null:
        saved, sys.stderr = sys.stderr, null
        try:
            yield
        finally:
            sys.stderr = saved


def quiet_child() -> None:
    """In each worker, first: nothing it might print (a warning, a traceback) reaches
    the terminal the app draws on, and it never reads the app's keys."""
    null = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(null, descriptor)
    os.close(null)


def worker_count() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


def start_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of `workers` spawned processes, stopped by `stop_all`; None when this
    machine cannot start one (no semaphores or processes: a sandbox)."""
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with stderr_with_a_descriptor():
            pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=quiet_child,
            )
    except Exception:
        return None
    with _pools_lock:
        _pools.add(pool)
    return pool


def close_pool(pool: ProcessPoolExecutor, wait: bool) -> None:
    """No more batches: the workers end (at once unless `wait`, else once they have
    exited, so they hold no core or memory after the scan)."""
    with _pools_lock:
        _pools.discard(pool)
    pool.shutdown(wait=wait, cancel_futures=True)


@dataclass(slots=True)
class _Waiting:
    """A file parsed in a batch: its place in the scan's order."""

    path: str
    future: Future[list[Parsed]] | None = None
    index: int = 0


class ParsingQueue:
    """The scan's items in path order: ready ones, and files being parsed.

    `add` an item found without parsing (a cache hit, a skip), `parse` a file; `ready`
    yields, in order, every item whose turn has come and that is finished, and
    `finish` all of them. `on_parsed(path, parsed)` turns a result into the scan's
    item (storing it in the cache) on the scan's thread.
    """

    def __init__(
        self,
        on_parsed: Callable[[str, Parsed], Story | Skipped],
        pool_after: int | None = None,
        work: Callable[[list[str]], list[Parsed]] | None = None,
    ) -> None:
        self._on_parsed = on_parsed
        self._pool_after = POOL_AFTER if pool_after is None else pool_after
        self._work = work or parse_batch
        self._items: deque[Story | Skipped | _Waiting] = deque()
        self._batch: list[_Waiting] = []
        self._inline = 0
        self._pool: ProcessPoolExecutor | None = None
        self._workers = worker_count()
        self._usable = self._workers > 1  # False once the pool failed or broke
        self._in_flight = 0

    def add(self, item: Story | Skipped) -> None:
        self._items.append(item)

    def parse(self, path: str) -> None:
        if not self._usable or self._inline < self._pool_after or not self._start_pool():
            if self._batch:  # the pool broke while a batch was being filled: it goes first
                self._submit()
            self._inline += 1
            self._items.append(self._on_parsed(path, parse_file(path)))
            return
        waiting = _Waiting(path)
        self._items.append(waiting)
        self._batch.append(waiting)
        if len(self._batch) >= BATCH:
            self._submit()

    def ready(self) -> Iterator[Story | Skipped]:
        """The items whose turn has come and that are done; waits only while more
        batches are under way than the workers can take."""
        while self._items:
            head = self._items[0]
            if isinstance(head, _Waiting):
                if head.future is None:
                    return  # in the batch still being filled
                if not head.future.done() and self._in_flight <= 2 * self._workers:
                    return
            yield self._take()

    def finish(self) -> Iterator[Story | Skipped]:
        """Every item left, waiting for the batches still being parsed."""
        if self._batch:
            self._submit()
        while self._items:
            yield self._take()

    def close(self) -> None:
        """No more batches: the workers end (at once if the scan was stopped early,
        else once they have exited, so they hold no core or memory after the scan)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            close_pool(pool, wait=not self._items)

    def _take(self) -> Story | Skipped:
        head = self._items.popleft()
        if not isinstance(head, _Waiting):
            return head
        assert head.future is not None
        if head.index == 0:
            self._in_flight -= 1
        try:
            parsed = head.future.result()[head.index]
        except Exception:  # a worker died (BrokenProcessPool), or the pool was stopped
            self._usable = False  # the files still to come are parsed here
            return Skipped(head.path, BROKEN)
        return self._on_parsed(head.path, parsed)

    def _start_pool(self) -> bool:
        if self._pool is not None:
            return True
        self._pool = start_pool(self._workers)
        self._usable = self._pool is not None
        return self._usable

    def _submit(self) -> None:
        batch, self._batch = self._batch, []
        paths = [waiting.path for waiting in batch]
        future: Future[list[Parsed]] | None = None
        if self._usable and self._pool is not None:
            try:
                future = self._pool.submit(self._work, paths)
            except Exception:  # stopped (quitting) or broken
                self._usable = False
        if future is None:  # no pool to take them (any more): parsed here
            future = Future()
            future.set_result([parse_file(path) for path in paths])
        self._in_flight += 1
        for index, waiting in enumerate(batch):
            waiting.future, waiting.index = future, index
