"""Reading the metadata cache ahead, on another thread, while start-up imports."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from uihelpers import make_app, wait_for_scan

from tuific.cache import MetadataCache, cache_file_for
from tuific.readahead import ReadAhead, read_regular_file


def test_a_read_ahead_gives_the_file_s_bytes(tmp_path):
    file = tmp_path / "cache.json"
    file.write_bytes(b"header\nbody")
    assert ReadAhead(file, 1024).result() == b"header\nbody"


def test_a_read_ahead_of_no_usable_file_gives_none(tmp_path):
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    assert ReadAhead(tmp_path / "missing", 1024).result() is None
    assert ReadAhead(tmp_path, 1024).result() is None  # a folder
    assert ReadAhead(big, 1024).result() is None  # larger than allowed
    assert read_regular_file(big, 4096) == b"x" * 2048


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_read_ahead_of_a_fifo_neither_blocks_nor_reads(tmp_path):
    fifo = tmp_path / "cache.json"
    os.mkfifo(fifo)
    assert ReadAhead(fifo, 1024).result() is None


def _cached_library(tmp_path):
    library = tmp_path / "lib"
    library.mkdir()
    for title in ("Alder", "Birch"):
        (library / f"{title}.txt").write_text(f"Title: {title}\nAuthor: B\n\nText.", "utf-8")
    cache = MetadataCache(library)
    from tuific.library import scan_library

    list(scan_library(library, cache))
    assert cache.save()
    return library


def test_the_cache_reads_its_file_from_the_read_ahead(tmp_path, monkeypatch):
    library = _cached_library(tmp_path)
    ahead = ReadAhead(cache_file_for(library), 1 << 20)
    monkeypatch.setattr(
        "tuific.cache.store.read_regular_file", lambda *a: pytest.fail("read again")
    )
    listed = MetadataCache(library, read_ahead=ahead).listed()
    assert listed is not None
    assert sorted(listed[0].values("title")) == ["Alder", "Birch"]


def test_a_read_ahead_of_another_file_is_not_used(tmp_path):
    library = _cached_library(tmp_path)
    elsewhere = tmp_path / "other.json"
    elsewhere.write_bytes(b"not a cache")
    listed = MetadataCache(library, read_ahead=ReadAhead(elsewhere, 1 << 20)).listed()
    assert listed is not None  # read from its own file


async def test_the_app_lists_the_library_from_the_read_ahead(tmp_path, monkeypatch):
    library = _cached_library(tmp_path)
    ahead = ReadAhead(cache_file_for(library), 1 << 20)
    monkeypatch.setattr(
        "tuific.cache.store.read_regular_file", lambda *a: pytest.fail("read again")
    )
    app = make_app(library)
    app._cache_ahead = ahead
    async with app.run_test() as pilot:
        await wait_for_scan(pilot, app)
        assert len(app.listing) == 2
        assert app._cache_ahead is None  # the bytes are not kept twice


def test_run_app_starts_reading_the_cache_before_importing_the_ui(tmp_path):
    library = _cached_library(tmp_path)
    child = f"""
import sys, threading
started = []
start = threading.Thread.start
threading.Thread.start = lambda self: started.append(self.name) or start(self)

class Finder:
    def find_spec(self, name, path, target=None):
        if name == "tuific.ui.app":
            print("read ahead first" if "tuific-read-ahead" in started else "ui first")
            raise SystemExit(0)

sys.meta_path.insert(0, Finder())
from tuific.cli import main
main([{str(library)!r}])
"""
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "read ahead first"
