"""A first scan in columns (tuific.scan_segments): each batch comes back from its
worker as a cache segment, the list reads the segments' columns, and the cache file
is joined from them. The same stories, skips and cache as `scan_library`; a dead
worker costs its batch's files (tried again next start); a long or stopped scan
keeps what it parsed."""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from pathlib import Path

import pytest
import scanhelpers
from test_scan_pool import as_rows, make_library

import tuific.scan_pool as scan_pool
import tuific.scan_segments as scan_segments
from tuific.cache import CachedStories, MetadataCache
from tuific.cache.segments import encode_segment, join_segments
from tuific.library import scan_library
from tuific.model import Metadata, Skipped, Stories, Story
from tuific.scan_pool import BROKEN
from tuific.scan_segments import first_scan
from tuific.story_chain import StoryChain

two_cores = pytest.mark.skipif(scan_pool.worker_count() < 2, reason="a pool needs two cores")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(scan_segments, "SEGMENT", 3)


@pytest.fixture
def pooled(monkeypatch, small_batches):
    monkeypatch.setattr(scan_pool, "POOL_AFTER", 0)


@pytest.fixture
def inline(monkeypatch, small_batches):
    monkeypatch.setattr(scan_pool, "POOL_AFTER", 10**9)


def items_of(parts) -> list[Story | Skipped]:
    """The parts' stories and skips, each part's skips after its stories."""
    items: list[Story | Skipped] = []
    for part in parts:
        items.extend(part.stories.stories())
        items.extend(part.skipped)
    return items


def by_path(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: row[0])


def listed_rows(root: Path, file: Path) -> tuple[list, list, list]:
    """A cache file's stories (by path), its title order (as paths) and failures."""
    listed = MetadataCache(root, file).listed()
    assert listed is not None
    stories, failures = listed
    paths = stories.values("path")
    records = sorted((story.record() for story in stories.stories()), key=lambda r: r["path"])
    return records, [paths[i] for i in stories.title_order()], sorted(failures)


@pytest.mark.parametrize("mode", ["inline", pytest.param("pooled", marks=two_cores)])
def test_a_first_scan_lists_and_caches_what_scan_library_does(tmp_path, request, mode):
    request.getfixturevalue(mode)
    root = make_library(tmp_path / "lib", count=11)
    seen: dict = {}
    parts = list(first_scan(root, tmp_path / "new.cache", seen))
    expected = list(scan_library(root, MetadataCache(root, tmp_path / "old.cache")))

    assert by_path(as_rows(items_of(parts))) == by_path(as_rows(expected))
    # The last part says all is listed (the cache is written after it).
    assert parts[-1].last and not len(parts[-1].stories) and not parts[-1].skipped
    assert not any(part.last for part in parts[:-1])
    # Every story comes as the workers' columns: none is built to be listed.
    assert all(isinstance(part.stories, CachedStories) for part in parts if len(part.stories))
    assert listed_rows(root, tmp_path / "new.cache") == listed_rows(root, tmp_path / "old.cache")
    # The very file a scan through MetadataCache writes (rows in path order).
    assert (tmp_path / "new.cache").read_bytes() == (tmp_path / "old.cache").read_bytes()
    old_seen: dict = {}
    list(scan_library(root, seen=old_seen))
    assert seen == old_seen


@two_cores
def test_the_scan_s_process_builds_no_story(tmp_path, pooled, monkeypatch):
    root = make_library(tmp_path / "lib", count=9)
    # Every story is parsed in a worker...
    monkeypatch.setattr(scan_pool, "parse_file", lambda path: pytest.fail("parsed here"))
    gc.collect()
    before = sum(isinstance(o, Story) for o in gc.get_objects())
    parts = list(first_scan(root, tmp_path / "c.cache", {}))
    # ...and comes back as columns: no Story made here until one is asked for.
    assert sum(isinstance(o, Story) for o in gc.get_objects()) == before
    assert sum(len(part.stories) for part in parts) == 9


@two_cores
def test_a_dead_worker_skips_its_batch_and_the_rest_parse_here(tmp_path, pooled):
    root = make_library(tmp_path / "lib", count=40)
    file = tmp_path / "c.cache"
    items = items_of(first_scan(root, file, {}, work=scanhelpers.die_segment))
    broken = [item.path for item in items if isinstance(item, Skipped) and item.reason == BROKEN]
    # The batches sent before the pool broke; once it has, the rest parse here.
    assert broken
    stories = [item for item in items if not isinstance(item, Skipped)]
    assert stories
    assert len(items) == 42  # every file once (with broken.epub and empty.txt)
    # Not remembered as failures: they are parsed again next start.
    _records, _order, failures = listed_rows(root, file)
    assert not {path for path, *_rest in failures} & set(broken)


@two_cores
def test_a_story_the_cache_cannot_hold_is_listed_not_cached(tmp_path, pooled):
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(3):
        (root / f"{n}.txt").write_text(f"Title: Tale {n}\n\nWords of tale {n}.\n")
    file = tmp_path / "c.cache"
    parts = list(first_scan(root, file, {}, work=scanhelpers.odd_segment))
    titles = sorted(story.meta.title for story in items_of(parts))
    assert titles == ["Tale 0", "Tale 1", "Tale 2"]
    records, _order, _failures = listed_rows(root, file)
    assert [record["title"] for record in records] == ["Tale 1", "Tale 2"]


@two_cores
def test_stop_all_ends_a_first_scan_s_workers_at_once(tmp_path, pooled):
    root = make_library(tmp_path / "lib", count=5)
    found: list = []
    slow = scanhelpers.slow_segment
    scan = threading.Thread(
        target=lambda: found.extend(first_scan(root, tmp_path / "c", {}, work=slow))
    )
    scan.start()
    deadline = time.monotonic() + 30
    while not multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    scan_pool.stop_all()  # the app quits
    scan.join(10)
    assert not scan.is_alive()  # not the minute a batch would take
    assert time.monotonic() - started < 10
    assert {s.reason for part in found for s in part.skipped if s.path.endswith("tale-00.txt")} == {
        BROKEN
    }


def test_encode_segment_leaves_out_what_the_cache_cannot_hold(tmp_path):
    good = Story(str(tmp_path / "a.txt"), "text", Metadata(title="Fine"), 3)
    odd = Story(str(tmp_path / "b.txt"), "text", Metadata(title="Odd", words_declared=2**63), 3)
    data, loose = encode_segment(tmp_path, [("a.txt", 1, 1, good), ("b.txt", 1, 1, odd)], [])
    assert loose == [odd]
    assert data is not None
    stories, _skipped = MetadataCache(tmp_path, Path("/nonexistent"))._decode(data)
    assert [story.meta.title for story in stories.stories()] == ["Fine"]


def test_joining_segments_keeps_lists_masks_and_failures(tmp_path):
    def story(n: int, **meta) -> Story:
        return Story(str(tmp_path / f"{n}.txt"), "text", Metadata(title=f"T{9 - n}", **meta), n)

    segments = [
        encode_segment(tmp_path, [("0.txt", 1, 2, story(0, tags=[""], notes="x"))], []),
        encode_segment(tmp_path, [], [["bad.txt", 3, 4, "not a story"]]),
        encode_segment(
            tmp_path, [("1.txt", 5, 6, story(1)), ("2.txt", 7, 8, story(2, tags=["a", "b"]))], []
        ),
    ]
    data = join_segments(tmp_path, [segment for segment, _loose in segments if segment])
    assert data is not None
    file = tmp_path / "c.cache"
    file.write_bytes(data)
    cache = MetadataCache(tmp_path, file)
    stories, failures = cache.listed()
    assert [s.meta.tags for s in stories.stories()] == [[""], [], ["a", "b"]]
    assert [s.meta.notes for s in stories.stories()] == ["x", None, None]
    assert stories.values("title") == ["T9", "T8", "T7"]
    assert stories.title_order() == [2, 1, 0]
    assert failures == [(str(tmp_path / "bad.txt"), 3, 4, "not a story")]
    assert stories.stamps()[str(tmp_path / "2.txt")] == (7, 8)


def test_a_long_scan_saves_as_it_goes_and_a_stopped_one_keeps_its_work(
    tmp_path, inline, monkeypatch
):
    monkeypatch.setattr(scan_segments, "FIRST_CHECKPOINT_SECONDS", 0.0)
    monkeypatch.setattr(scan_segments, "CHECKPOINT_SECONDS", 0.0)
    root = make_library(tmp_path / "lib", count=12)
    file = tmp_path / "c.cache"
    scan = first_scan(root, file, {})
    listed = 0
    while listed < 6:
        listed += len(next(scan).stories)
        time.sleep(0.01)
    assert file.exists()  # a checkpoint, the scan still running
    scan.close()  # the app quits half-way
    records, _order, _failures = listed_rows(root, file)
    assert len(records) >= listed


def test_a_chain_reads_as_its_parts_one_after_another():
    def stories(*titles: str) -> Stories:
        return Stories(Story(f"/lib/{t}.txt", "text", Metadata(title=t), len(t)) for t in titles)

    first, second = stories("b", "a"), stories("ccc")
    chain = StoryChain([first, Stories(), second])
    assert len(chain) == 3
    assert chain.values("title") == ["b", "a", "ccc"]
    assert [chain.value("words", i) for i in range(3)] == [1, 1, 3]
    assert chain.story(2) is second[0]
    assert chain.stories() == [*first, *second]
    assert chain.title_order() is None and chain.joined("title") is None
    with pytest.raises(IndexError):
        chain.story(3)
    longer = StoryChain.of(chain, stories("d"))
    assert longer.values("title") == ["b", "a", "ccc", "d"]
    assert chain.values("title") == ["b", "a", "ccc"]  # unchanged


def test_segments_join_column_by_column_as_the_cache_writes_them(tmp_path, monkeypatch):
    import tuific.cache.segment_join as segment_join
    from tuific.cache.segment_join import join_columns

    root = make_library(tmp_path / "lib", count=14)
    files = [
        (str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*.*"))
    ]
    segments = [
        scan_segments.parse_segment(str(root), files[n : n + 4]).data for n in range(0, 16, 4)
    ]
    fast = join_columns(root, segments)
    assert fast is not None  # the layout it knows: no story rebuilt
    monkeypatch.setattr(segment_join, "_HEADER_KEYS", ("another", "layout"))
    assert join_columns(root, segments) is None
    assert join_segments(root, segments) == fast  # rebuilt, the same bytes


def test_files_the_walk_leaves_the_reader_to_stat_are_skipped_and_stamped_as_before(tmp_path):
    # A first scan stats plain files in the worker that reads them, not in its walk:
    # an empty file, a pipe, a broken link and a link to a story come out as a
    # scan that stats them all gives them (skips, reasons, stamps, the cache file).
    import os

    from tuific.library import _walk

    root = make_library(tmp_path / "lib", count=5)
    (root / "empty-too.txt").write_bytes(b"")
    os.mkfifo(root / "pipe.txt")
    (root / "broken-link.txt").symlink_to(root / "nowhere.txt")
    (root / "linked.txt").symlink_to(next(root.glob("shelf-*/*.txt")))

    plain = [path for path, info, reason in _walk(root, stat_files=False) if info is reason is None]
    assert plain and not any(path.endswith(("pipe.txt", "linked.txt")) for path in plain)

    seen: dict = {}
    parts = list(first_scan(root, tmp_path / "new.cache", seen))
    expected = list(scan_library(root, MetadataCache(root, tmp_path / "old.cache")))
    assert by_path(as_rows(items_of(parts))) == by_path(as_rows(expected))
    skips = [item for item in items_of(parts) if isinstance(item, Skipped)]
    reasons = {Path(skip.path).name: skip.reason for skip in skips}
    assert reasons["empty-too.txt"] == "empty file"
    assert reasons["pipe.txt"] == "not a regular file"
    assert "broken-link.txt" in reasons
    assert (tmp_path / "new.cache").read_bytes() == (tmp_path / "old.cache").read_bytes()
    old_seen: dict = {}
    list(scan_library(root, seen=old_seen))
    assert seen == old_seen
