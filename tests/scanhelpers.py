"""Work functions for tests of tuific.scan_pool, importable by its spawned workers
(the tests folder is on the workers' sys.path, as on the test run's)."""

from __future__ import annotations

import os
import time

from tuific.scan_pool import Parsed, parse_batch


def die(paths: list[str]) -> list[Parsed]:
    """A worker that is killed mid-batch (a crash or the out-of-memory killer)."""
    os._exit(1)


def slow(paths: list[str]) -> list[Parsed]:
    """A batch that takes far longer than any test waits (a hostile file's parse)."""
    time.sleep(60)
    return parse_batch(paths)
