"""A big scan parses in worker processes (tuific.scan_pool): the same stories, skips
and cache as parsing on the scan's thread, in path order; a dead worker costs only
its files (tried again next start); quitting ends the workers at once."""

from __future__ import annotations

import multiprocessing
import runpy
import time
from pathlib import Path

import pytest
import scanhelpers

import tuific.scan_pool as scan_pool
from tuific.cache import MetadataCache
from tuific.library import collect, scan_library
from tuific.model import Skipped
from tuific.scan_pool import BROKEN, ParsingQueue, parse_file

pytestmark = pytest.mark.skipif(scan_pool.worker_count() < 2, reason="a pool needs two cores")


def make_library(root: Path, count: int = 23) -> Path:
    for n in range(count):
        folder = root / f"shelf-{n % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(f"Line {i} of the {n}th tale, told slowly." for i in range(n + 2))
        (folder / f"tale-{n:02}.txt").write_text(
            f"Title: Tale {n}\nAuthor: Wren Adler\nFandom: Harbour\n\n{body}\n", encoding="utf-8"
        )
    (root / "shelf-1" / "broken.epub").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "shelf-2" / "empty.txt").write_bytes(b"")
    return root


def as_rows(items) -> list[tuple]:
    rows = []
    for item in items:
        if isinstance(item, Skipped):
            rows.append((item.path, "skipped", item.reason))
        else:
            rows.append(
                (
                    item.path,
                    item.meta.title,
                    item.words,
                    item.fingerprint,
                    [(c.title, c.paragraph) for c in item.chapters],
                    item.format,
                )
            )
    return rows


@pytest.fixture
def pooled(monkeypatch):
    """Every file to parse goes to the pool, in batches of three."""
    monkeypatch.setattr(scan_pool, "POOL_AFTER", 0)
    monkeypatch.setattr(scan_pool, "BATCH", 3)


@pytest.fixture
def inline(monkeypatch):
    monkeypatch.setattr(scan_pool, "POOL_AFTER", 10**9)


def test_a_pooled_scan_gives_what_an_inline_scan_gives(tmp_path, monkeypatch):
    root = make_library(tmp_path / "lib")
    monkeypatch.setattr(scan_pool, "POOL_AFTER", 10**9)
    expected = as_rows(scan_library(root))
    monkeypatch.setattr(scan_pool, "POOL_AFTER", 0)
    monkeypatch.setattr(scan_pool, "BATCH", 3)
    started = []
    real_start = ParsingQueue._start_pool
    monkeypatch.setattr(
        ParsingQueue, "_start_pool", lambda self: started.append(1) or real_start(self)
    )
    got = as_rows(scan_library(root))
    assert started, "the pool was never used"
    assert got == expected  # the same items, in the same (path) order
    assert {row[0].rsplit("/", 1)[1] for row in got if row[1] == "skipped"} == {
        "broken.epub",
        "empty.txt",
    }


def test_a_pooled_scan_fills_the_cache(tmp_path, pooled):
    root = make_library(tmp_path / "lib")
    cache_file = tmp_path / "cache.bin"
    first = collect(root, MetadataCache(root, cache_file))
    assert len(first.stories) == 23
    cache = MetadataCache(root, cache_file)
    cache.load()
    for story in first.stories:
        stat = Path(story.path).stat()
        hit = cache.lookup(story.path, stat.st_size, stat.st_mtime_ns)
        assert hit is not None and not isinstance(hit, str)
        assert hit.meta.title == story.meta.title and hit.words == story.words
    broken = str(root / "shelf-1" / "broken.epub")
    stat = Path(broken).stat()
    assert isinstance(cache.lookup(broken, stat.st_size, stat.st_mtime_ns), str)


def test_a_small_scan_starts_no_process(tmp_path, inline, monkeypatch):
    root = make_library(tmp_path / "lib", count=5)
    monkeypatch.setattr(ParsingQueue, "_start_pool", lambda self: pytest.fail("a pool was started"))
    assert len(collect(root).stories) == 5


def test_one_core_parses_on_the_scan_thread(tmp_path, pooled, monkeypatch):
    monkeypatch.setattr(scan_pool, "worker_count", lambda: 1)
    monkeypatch.setattr(ParsingQueue, "_start_pool", lambda self: pytest.fail("a pool was started"))
    assert len(collect(make_library(tmp_path / "lib", count=4)).stories) == 4


def parse_all(queue: ParsingQueue, paths: list[str]) -> list:
    items = []
    for path in paths:
        queue.parse(path)
        items.extend(queue.ready())
    items.extend(queue.finish())
    queue.close()
    return items


def dying_queue(tmp_path, count: int) -> tuple[list[str], ParsingQueue]:
    """`count` story files, and a queue whose workers die at their first batch."""
    root = make_library(tmp_path / "lib", count=count)
    paths = sorted(str(p) for p in root.rglob("tale-*.txt"))
    queue = ParsingQueue(
        lambda path, parsed: parsed if not isinstance(parsed, tuple) else Skipped(path, parsed[0]),
        work=scanhelpers.die,
    )
    return paths, queue


def test_a_dead_worker_skips_its_files_and_the_rest_parse_inline(tmp_path, pooled):
    paths, queue = dying_queue(tmp_path, 8)
    first = parse_all(queue, paths[:3])
    assert [(s.path, s.reason) for s in first] == [(p, BROKEN) for p in paths[:3]]
    # Not remembered as failures: the reason says the file is tried again.
    assert "tried again" in BROKEN
    # The queue no longer uses a pool: the next files parse on this thread.
    rest = parse_all(queue, paths[3:])
    assert [story.meta.title for story in rest] == [parse_file(p).meta.title for p in paths[3:]]


def slow_queue(tmp_path) -> tuple[list[str], ParsingQueue]:
    """Three story files in a batch that takes a minute, its worker started."""
    root = make_library(tmp_path / "lib", count=3)
    paths = sorted(str(p) for p in root.rglob("tale-*.txt"))
    queue = ParsingQueue(lambda path, parsed: parsed, work=scanhelpers.slow)
    for path in paths:
        queue.parse(path)
    deadline = time.monotonic() + 30
    while not multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    return paths, queue


def test_stop_all_ends_the_workers_at_once(tmp_path, pooled):
    paths, queue = slow_queue(tmp_path)
    assert list(queue.ready()) == []  # being parsed (for a minute)
    assert multiprocessing.active_children()
    started = time.monotonic()
    scan_pool.stop_all()
    items = list(queue.finish())
    assert [(s.path, s.reason) for s in items] == [(p, BROKEN) for p in paths]
    while multiprocessing.active_children() and time.monotonic() - started < 10:
        time.sleep(0.05)
    assert not multiprocessing.active_children()
    assert time.monotonic() - started < 10  # not the minute the batch would take


def test_the_main_module_starts_no_app_when_a_worker_imports_it():
    # A spawned worker imports the main module again under another name.
    runpy.run_module("tuific.__main__", run_name="__mp_main__")


def test_after_a_dead_worker_the_half_filled_batch_is_parsed_and_the_list_goes_on(tmp_path, pooled):
    paths, queue = dying_queue(tmp_path, 6)
    for path in paths[:5]:  # a batch of three goes to the pool; two wait for the next
        queue.parse(path)
    taken = list(queue.ready())
    deadline = time.monotonic() + 30
    while len(taken) < 3 and time.monotonic() < deadline:  # the first batch: broken
        time.sleep(0.05)
        taken.extend(queue.ready())
    assert [(s.path, s.reason) for s in taken] == [(p, BROKEN) for p in paths[:3]]
    queue.parse(paths[5])  # parsed here now, after the two that waited
    rest = list(queue.ready())  # all of them at once: the list is not held up
    assert [story.meta.title for story in rest] == [parse_file(p).meta.title for p in paths[3:]]
    assert list(queue.finish()) == []
    queue.close()


def test_stop_all_ends_workers_of_a_pool_the_scan_already_closed(tmp_path, pooled):
    paths, queue = slow_queue(tmp_path)
    queue.close()  # the scan's generator closed first (the app is quitting)...
    started = time.monotonic()
    scan_pool.stop_all()  # ...then the CLI ends what is left
    while multiprocessing.active_children() and time.monotonic() - started < 10:
        time.sleep(0.05)
    assert not multiprocessing.active_children()
