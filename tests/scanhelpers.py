"""Work functions for tests of tuific.scan_pool, importable by its spawned workers
(the tests folder is on the workers' sys.path, as on the test run's)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tuific.scan_pool import Parsed, parse_batch


def die(paths: list[str]) -> list[Parsed]:
    """A worker that is killed mid-batch (a crash or the out-of-memory killer)."""
    os._exit(1)


def slow(paths: list[str]) -> list[Parsed]:
    """A batch that takes far longer than any test waits (a hostile file's parse)."""
    time.sleep(60)
    return parse_batch(paths)


def die_segment(root: str, files: list[tuple[str, int, int]]) -> object:
    """tuific.scan_segments' worker, killed mid-batch."""
    os._exit(1)


def slow_segment(root: str, files: list[tuple[str, int, int]]) -> object:
    """tuific.scan_segments' worker, on a batch that takes a minute."""
    time.sleep(60)
    return None


def odd_segment(root: str, files: list[tuple[str, int, int]]) -> object:
    """tuific.scan_segments' worker, where the first story of the batch holds a
    number the cache cannot hold (odd input): it comes back loose, listed but not
    cached. (Every file must be a story.)"""
    from tuific.cache.segments import encode_segment
    from tuific.library import read_listing
    from tuific.scan_segments import Segment

    rows = []
    for n, (path, size, mtime) in enumerate(files):
        if size < 0:  # the walk left the stat to the worker
            info = os.stat(path)
            size, mtime = info.st_size, info.st_mtime_ns
        story = read_listing(Path(path))
        if n == 0:
            story.meta.words_declared = 2**63
        rows.append((os.path.relpath(path, root), size, mtime, story))
    data, loose = encode_segment(Path(root), rows, [])
    return Segment(data, [], loose)
