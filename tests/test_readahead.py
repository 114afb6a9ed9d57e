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
        "tuific.cache.store.ReadAhead", lambda *a: pytest.fail("read again")
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
        "tuific.cache.store.ReadAhead", lambda *a: pytest.fail("read again")
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


def test_a_read_ahead_gives_the_front_first_then_the_whole_file(tmp_path, monkeypatch):
    monkeypatch.setattr("tuific.readahead.FRONT_MIN", 4)
    file = tmp_path / "cache.json"
    file.write_bytes(b"0123456789" * 100)
    ahead = ReadAhead(file, 4096)
    front, size = ahead.front()
    assert size == 1000 and len(front) == 1000 // 32
    assert front == (b"0123456789" * 100)[: len(front)]
    assert ahead.result() == b"0123456789" * 100
    assert ReadAhead(tmp_path / "missing", 1024).front() == (None, 0)


class _Stalled:
    """A read-ahead whose whole file never comes: only its front may be used."""

    def __init__(self, file, front):
        self.file, self._front = file, front

    def front(self):
        return self._front, len(self._front)

    def result(self):
        pytest.fail("waited for the whole file before the first screen")

    def close(self):
        pass


def test_the_first_screen_is_listed_from_the_front_alone(tmp_path):
    library = _cached_library(tmp_path)
    file = cache_file_for(library)
    data = file.read_bytes()
    cache = MetadataCache(library, read_ahead=_Stalled(file, data))
    listed = cache.listed(verify=False)
    assert listed is not None
    stories = listed[0]
    assert len(stories) == 2 and not stories.verified
    assert sorted(stories.story(i).meta.title for i in range(2)) == ["Alder", "Birch"]


def _listed_with_whole(tmp_path, monkeypatch, whole):
    """The cache listed from its real front, `whole(data)` then read for the check."""
    library = _cached_library(tmp_path)
    file = cache_file_for(library)
    data = file.read_bytes()
    ahead = _Stalled(file, data)
    ahead.result = lambda: whole(data)
    listed = MetadataCache(library, read_ahead=ahead).listed(verify=False)
    assert listed is not None
    return listed[0]


@pytest.mark.parametrize(
    "whole",
    [
        lambda data: data.replace(b"Alder", b"Aldor"),  # rewritten since the front
        lambda data: data + b"x",  # a text section longer than the header says
        lambda data: None,  # gone
    ],
    ids=["changed", "longer", "gone"],
)
def test_a_whole_file_that_is_not_the_front_s_fails_the_check(tmp_path, monkeypatch, whole):
    stories = _listed_with_whole(tmp_path, monkeypatch, whole)
    assert not stories.verify() and stories.broken
    assert stories.values("title") == ["", ""]  # nothing of the other file is shown


def test_a_head_longer_than_the_front_waits_for_the_whole_file(tmp_path, monkeypatch):
    monkeypatch.setattr("tuific.readahead.FRONT_MIN", 16)
    monkeypatch.setattr("tuific.readahead.FRONT_SHARE", 1 << 20)
    library = _cached_library(tmp_path)
    ahead = ReadAhead(cache_file_for(library), 1 << 20)
    assert len(ahead.front()[0] or b"") == 16
    listed = MetadataCache(library, read_ahead=ahead).listed()
    assert listed is not None
    assert sorted(listed[0].values("title")) == ["Alder", "Birch"]


def test_the_rest_is_read_from_the_file_opened_for_the_front(tmp_path):
    file = tmp_path / "cache.json"
    file.write_bytes(b"old" * 1000)
    ahead = ReadAhead(file, 1 << 20)
    assert ahead.front() == (b"old" * 1000, 3000)
    replacement = tmp_path / "new.json"
    replacement.write_bytes(b"new" * 1000)
    os.replace(replacement, file)  # as another instance's save does
    assert ahead.result() == b"old" * 1000
    assert ahead.result() == b"old" * 1000  # read once, kept


class _RestWhenChecked(ReadAhead):
    """The rest read only when the check asks (not at once after the front)."""

    def _read(self):
        self._read_front()


def test_a_cache_rewritten_in_place_after_its_front_fails_the_check(tmp_path):
    library = _cached_library(tmp_path)
    file = cache_file_for(library)
    ahead = _RestWhenChecked(file, 1 << 20)
    listed = MetadataCache(library, read_ahead=ahead).listed(verify=False)
    assert listed is not None
    with open(file, "r+b") as same_file:  # same length, other bytes, after the front
        data = same_file.read()
        same_file.seek(0)
        same_file.write(data.replace(b"Alder", b"Aldor"))
    assert not listed[0].verify() and listed[0].broken


def test_a_rejected_front_lets_go_of_the_file(tmp_path):
    library = _cached_library(tmp_path)
    file = cache_file_for(library)
    file.write_bytes(b'{"signature": "another tuific"}\n{}\n' + b"x" * 100)
    ahead = ReadAhead(file, 1 << 20)
    assert MetadataCache(library, read_ahead=ahead).listed() is None
    ahead._thread.join(10)
    assert ahead._fd == -1


def test_the_rest_is_read_right_after_the_front_before_anyone_asks(tmp_path):
    library = _cached_library(tmp_path)
    file = cache_file_for(library)
    ahead = ReadAhead(file, 1 << 20)
    ahead._thread.join(10)
    assert ahead._fd == -1 and ahead._data == file.read_bytes()  # read whole, let go
    listed = MetadataCache(library, read_ahead=ahead).listed()
    assert listed is not None and len(listed[0]) == 2
