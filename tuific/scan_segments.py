"""A library's first scan in columns: the files are parsed in batches (in worker
processes once there are many, see tuific.scan_pool), and each batch comes back as
a segment, a cache file of its stories (`cache.segments.encode_segment`). The scan
thread reads each segment as a warm start reads the cache (`CachedStories`: checked
whole, values split out of the columns when asked), so the list fills from the
workers' columns and the app's process builds no Story, Metadata or list item per
file; at the end the segments are joined into the cache file, in a worker too.

Why: a first scan that built a Story per file in the app's process (pickled across,
stored in the cache, listed, then re-encoded for the cache) spent more time there
than the workers spent parsing, and its objects, made amid Textual's, kept most of
the memory they had used after they had gone (README, "Large libraries").

Only for a first scan, when there is no cache to list (a rescan, a partial cache
and the command line keep `library.scan_library`). Same stories, skips, budgets
and order as `scan_library` with an empty cache; a worker that dies costs its
batch's files (skipped, NOT remembered, tried again next start), as in scan_pool.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuific import scan_pool
from tuific.library import (
    CHECKPOINT_SAVE_RATIO,
    CHECKPOINT_SECONDS,
    NOT_READ,
    Stamp,
    _reason,
    _walk,
    skip_reason,
)
from tuific.model import Skipped, Stories, StoryColumns

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from tuific.cache import MetadataCache

# Files per batch. Each segment costs the scan's thread a read and check of its own
# (a header, the list's first screen): ~11 us a file in segments of 256, ~5.5 in 512.
SEGMENT = 512
# A first scan's first checkpoint: joining the segments rebuilds every story in a
# worker (~6 s of one core at 100,000 stories), which a scan of that size (~15 s)
# would pay for nothing. Later ones follow library's rule.
FIRST_CHECKPOINT_SECONDS = 20.0
# Batches under way per worker before the walk waits: enough that the workers never
# run dry while the scan's thread waits for the GIL (the UI thread sorting a big
# list holds it for ~0.1 s at 100,000 stories).
AHEAD = 4

# A file to parse: (path, size, mtime_ns), NOT_READ's -1s when the worker stats it
File = tuple[str, int, int]


@dataclass(slots=True)
class Segment:
    """A parsed batch: `data`, a cache file of its stories and remembered failures;
    `failures`, (index in the batch, reason, unreadable) for each file not parsed;
    `loose`, stories the cache cannot hold (listed, never cached)."""

    data: bytes | None
    failures: list[tuple[int, str, bool]]
    loose: list[Any]  # Story
    # Each file's (size, mtime_ns) as the worker found it, NOT_READ if it could not
    # (None: the stamps the batch came with).
    stamps: list[Stamp] | None = None


def parse_segment(root: str, files: list[File]) -> Segment:
    """In a worker (or on the scan's thread): parse each file as the scan does and
    encode the batch as a cache file. The cyclic collector is paused meanwhile: the
    parse makes no cycles, and its collections were ~4% of a worker's time."""
    from tuific.startup_tricks import with_gc_paused

    return with_gc_paused(_parse_segment, root, files)


def _parse_segment(root: str, files: list[File]) -> Segment:
    from tuific.cache.segments import encode_segment
    from tuific.cache.store import MetadataCache

    paths = MetadataCache(root, Path(os.devnull))
    rows, skipped, failures = [], [], []
    stamps: list[Stamp] = []
    for index, (path, size, mtime) in enumerate(files):
        if size < 0:  # the walk left the stat to the reader (library._walk)
            (size, mtime), why = _stamp(path)
            stamps.append((size, mtime))
            if why is not None:  # skipped as the walk skips it: not remembered
                failures.append((index, why, True))
                continue
        else:
            stamps.append((size, mtime))
        parsed = scan_pool.parse_file(path)
        rel = paths.relative(path)
        if isinstance(parsed, tuple):
            reason, unreadable = parsed
            failures.append((index, reason, unreadable))
            # A file that could not be read may be fine next time; one that failed
            # to parse will fail again (as library._parsed remembers them).
            if not unreadable:
                skipped.append([rel, size, mtime, reason])
        else:
            rows.append((rel, size, mtime, parsed))
    data, loose = encode_segment(Path(root), rows, skipped, with_head=False)
    return Segment(data, failures, loose, stamps)


def _stamp(path: str) -> tuple[Stamp, str | None]:
    """A file's (size, mtime_ns), or NOT_READ and why the walk would have skipped it."""
    try:
        info = os.stat(path)
    except OSError as error:
        return NOT_READ, _reason(error)
    reason = skip_reason(info)
    if reason is not None:
        return NOT_READ, reason
    return (info.st_size, info.st_mtime_ns), None


@dataclass(slots=True)
class Part:
    """What the scan yields, in path order: stories (cache columns, or Story objects
    for the few the cache cannot hold) and files skipped."""

    stories: StoryColumns
    skipped: list[Skipped] = field(default_factory=list)
    # The last part, with nothing in it: every file is listed, and the scan now
    # writes the cache (the list need not wait for that).
    last: bool = False


@dataclass(slots=True)
class _Batch:
    files: list[File]
    future: Future[Segment]


class SegmentScan:
    """The batches of one first scan, in order, and the pool that parses them."""

    def __init__(
        self,
        root: Path,
        cache: MetadataCache,
        work: Callable[[str, list[File]], Segment],
        seen: dict[str, Stamp],
    ) -> None:
        self.root = root
        self._seen = seen  # the stamps of files the walk did not stat come back here
        self._work = work
        self._root_text = str(root)
        self._cache = cache  # only its prefix and checks: it reads no file here
        self._queue: deque[_Batch | Skipped] = deque()
        self._files: list[File] = []
        self.segments: list[bytes] = []  # every segment's data so far, in order
        self._pool: ProcessPoolExecutor | None = None
        self._workers = scan_pool.worker_count()
        self._usable = self._workers > 1
        self._parsed = 0
        self._in_flight = 0

    def skip(self, item: Skipped) -> None:
        self._queue.append(item)

    def parse(self, file: File) -> bool:
        """Queue a file; True when that filled a batch, sent off to be parsed."""
        self._files.append(file)
        if len(self._files) < SEGMENT:
            return False
        self._submit()
        return True

    def ready(self) -> Iterator[Part]:
        """The parts whose turn has come and that are done; waits only while more
        batches are under way than the workers can take."""
        while self._queue:
            head = self._queue[0]
            if isinstance(head, _Batch):
                if not head.future.done() and self._in_flight <= AHEAD * self._workers:
                    return
            yield self._take()

    def finish(self) -> Iterator[Part]:
        if self._files:
            self._submit()
        while self._queue:
            yield self._take()

    def save(self, file: Path, wait: bool) -> Future[bool]:
        """Write the segments so far as the cache, in a worker if there is one (not
        `wait`: the result may come later)."""
        from tuific.cache.segments import save_segments

        segments = list(self.segments)
        if self._pool is not None and self._usable:
            try:
                return self._pool.submit(save_segments, self.root, file, segments)
            except Exception:  # stopped (quitting) or broken
                self._usable = False
        done: Future[bool] = Future()
        done.set_result(save_segments(self.root, file, segments))
        return done

    def close(self, wait: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            scan_pool.close_pool(pool, wait)

    def _take(self) -> Part:
        head = self._queue.popleft()
        if isinstance(head, Skipped):
            return Part(Stories(), [head])
        self._in_flight -= 1
        try:
            segment = head.future.result()
        except Exception:  # a worker died (BrokenProcessPool), or the pool was stopped
            self._usable = False  # the files still to come are parsed here
            for path, size, _mtime in head.files:
                if size < 0:
                    self._seen[path] = NOT_READ
            return Part(Stories(), [Skipped(path, scan_pool.BROKEN) for path, *_s in head.files])
        if segment.stamps is not None:
            for (path, size, _mtime), stamp in zip(head.files, segment.stamps, strict=True):
                if size < 0:
                    self._seen[path] = stamp
        skipped = [Skipped(head.files[index][0], reason) for index, reason, _u in segment.failures]
        if segment.data is None:  # pragma: no cover - see encode_segment
            return Part(Stories(segment.loose), skipped)
        from tuific.cache.segments import read_segment

        stories = read_segment(self._cache, segment.data)
        if stories is None:  # pragma: no cover - see read_segment: tried again next start
            return Part(Stories(), [Skipped(path, scan_pool.BROKEN) for path, *_s in head.files])
        self.segments.append(segment.data)
        if segment.loose:
            from tuific.story_chain import StoryChain

            return Part(StoryChain([stories, Stories(segment.loose)]), skipped)
        return Part(stories, skipped)

    def _submit(self) -> None:
        files, self._files = self._files, []
        future: Future[Segment] | None = None
        if self._usable and self._parsed >= scan_pool.POOL_AFTER:
            if self._pool is None:
                self._pool = scan_pool.start_pool(self._workers)
                self._usable = self._pool is not None
            if self._pool is not None and self._usable:
                try:
                    future = self._pool.submit(self._work, self._root_text, files)
                except Exception:  # stopped (quitting) or broken
                    self._usable = False
        if future is None:  # parsed here: a small library, or no pool (any more)
            future = Future()
            future.set_result(parse_segment(self._root_text, files))
        self._parsed += len(files)
        self._in_flight += 1
        self._queue.append(_Batch(files, future))


def first_scan(
    root: Path,
    file: Path,
    seen: dict[str, Stamp],
    recursive: bool = True,
    work: Callable[[str, list[File]], Segment] = parse_segment,
) -> Generator[Part, None, None]:
    """Every story under `root` and every file skipped, in path order, as parts (the
    last one marked, empty: the cache is written after it); the cache written to
    `file` at the end (and now and then during a long scan, and
    when the caller stops early, so a half-finished first scan is not lost). Fills
    `seen` with each path's (size, mtime_ns), to hand to `rescan` later. `work`: what
    a worker runs on each batch (tests)."""
    from tuific.cache import MetadataCache

    scan = SegmentScan(root, MetadataCache(root, file), work, seen)
    complete = False
    next_save = time.monotonic() + FIRST_CHECKPOINT_SECONDS
    saving: Future[bool] | None = None
    saved_at = 0.0
    try:
        for key, info, reason in _walk(root, recursive, stat_files=False):
            if info is not None:
                stamp = seen[key] = (info.st_size, info.st_mtime_ns)
                found: File = (key, *stamp)
            elif reason is None:  # a plain file: the worker reading it stats it too
                found = (key, *NOT_READ)
            else:
                seen[key] = NOT_READ
                scan.skip(Skipped(key, reason))
                continue
            if not scan.parse(found):
                continue  # the rest only once a batch: a hundred thousand files go fast
            yield from scan.ready()
            now = time.monotonic()
            if saving is not None and saving.done():
                # No sooner than a multiple of what the last save took after it.
                next_save = now + max(CHECKPOINT_SECONDS, CHECKPOINT_SAVE_RATIO * (now - saved_at))
                saving = None
            if saving is None and now > next_save and scan.segments:
                saving, saved_at, next_save = scan.save(file, wait=False), now, float("inf")
        yield from scan.finish()
        complete = True
        yield Part(Stories(), last=True)
    finally:
        if complete:
            if saving is not None:  # the checkpoint first: the whole scan's file last
                with contextlib.suppress(Exception):
                    saving.exception()
            try:
                scan.save(file, wait=True).result()
            except Exception:  # the worker died meanwhile: written here
                scan.close(wait=False)
                scan.save(file, wait=True)
            scan.close(wait=True)
        else:  # stopped early: the workers end now, and what is parsed is kept
            scan.close(wait=False)
            if scan.segments:
                scan.save(file, wait=True)  # here: the pool is closed
