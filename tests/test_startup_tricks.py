"""The start-up tricks' switches (benchmarks turn a trick off to measure it)."""

from __future__ import annotations

import gc

from tuific import startup_tricks


def test_the_gc_trick_pauses_the_collector_until_settled(monkeypatch, gc_restored):
    monkeypatch.setattr(startup_tricks, "OFF", frozenset())
    gc.enable()
    startup_tricks.pause_gc()
    assert not gc.isenabled()
    startup_tricks.settle_gc()
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_a_trick_turned_off_does_nothing(monkeypatch, gc_restored, tmp_path):
    monkeypatch.setattr(startup_tricks, "OFF", frozenset({"gc", "readahead", "restyle"}))
    gc.enable()
    startup_tricks.pause_gc()
    assert gc.isenabled()
    assert startup_tricks.read_ahead(tmp_path / "cache.json", 1024) is None

    class Event:
        refresh_styles = True

    event = Event()
    startup_tricks.skip_first_restyle(object.__new__(type("Screen", (), {})), event)
    assert event.refresh_styles


def test_every_trick_says_what_it_buys():
    assert set(startup_tricks.TRICKS) == {"gc", "restyle", "readahead", "trim"}
    assert all(" ms" in t or " MiB" in t for t in startup_tricks.TRICKS.values())


def test_the_trim_trick_turned_off_gives_nothing_back(monkeypatch):
    monkeypatch.setattr(startup_tricks, "OFF", frozenset({"trim"}))
    assert startup_tricks.release_free_memory() is False


def test_big_blocks_stay_mapped_at_glibc_s_default_threshold(monkeypatch):
    calls = []
    monkeypatch.setattr(startup_tricks, "_mallopt", lambda: lambda *a: calls.append(a) or 1)
    assert startup_tricks.keep_big_blocks_mapped() is True
    assert calls == [(-3, 128 * 1024)]  # M_MMAP_THRESHOLD: fixed, no longer raised
    monkeypatch.setattr(startup_tricks, "OFF", frozenset({"trim"}))
    assert startup_tricks.keep_big_blocks_mapped() is False
    assert len(calls) == 1


def test_mallopt_is_found_where_malloc_trim_is():
    assert (startup_tricks._mallopt() is None) == (startup_tricks._malloc_trim() is None)
