"""Saving the state safely: atomic writes, the lock, saves from threads and signal
handlers, and two instances saving at once without losing each other's changes."""

import fcntl
import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from statehelpers import fresh, shard_file

from tuific.state import Position, StateStore
from tuific.state import files as files_module


def leftovers(path: Path) -> list[str]:
    folders = (path.parent, path.parent / "stories")
    return sorted(p.name for folder in folders for p in folder.glob(".*.tmp"))


# ------------------------------------------------------------------ atomic writes


def test_no_temp_files_left_after_saving(state_path):
    store = StateStore(state_path)
    for n in range(3):
        store.set_position("/a", n, 0)
        store.save()
    assert leftovers(state_path) == []
    assert sorted(p.name for p in state_path.parent.iterdir()) == ["state.toml.lock", "stories"]
    assert [p.name for p in (state_path.parent / "stories").iterdir()] == [
        shard_file(state_path, "/a").name
    ]


def test_failed_replace_keeps_the_old_file_and_retries(state_path, monkeypatch):
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    store.save()
    shard = shard_file(state_path, "/a")
    before = shard.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    store.set_position("/a", 2, 0)
    monkeypatch.setattr(os, "replace", broken_replace)
    assert store.save() is False
    assert shard.read_bytes() == before
    assert leftovers(state_path) == []
    assert store.dirty
    assert any("No space left" in n for n in store.notices)
    # A retry after the disk frees up saves the change.
    monkeypatch.undo()
    assert store.save()
    assert fresh(state_path).story("/a").position.paragraph == 2


def test_crash_between_write_and_replace_leaves_old_file(state_path, monkeypatch):
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    store.save()
    shard = shard_file(state_path, "/a")
    before = shard.read_bytes()

    class Killed(BaseException):
        pass

    def killed(src, dst):
        # The new data is complete on disk in the temp file at this moment.
        assert Path(src).read_bytes() != before
        raise Killed

    store.set_position("/a", 2, 0)
    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(Killed):
        store.save()
    assert shard.read_bytes() == before
    assert leftovers(state_path) == []


def test_stale_temp_files_from_a_crash_are_cleaned_up(state_path):
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    store.save()
    old = state_path.parent / ".state.toml.abc.tmp"
    young = state_path.parent / ".state.toml.def.tmp"
    old.write_text("half")
    young.write_text("being written by another instance")
    os.utime(old, (0, 0))
    fresh(state_path)
    assert not old.exists()
    assert young.exists()


def test_save_holds_the_lock_file(state_path, monkeypatch):
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    seen = []
    original = store._write_atomic

    def checking_write(name, data):
        fd = os.open(str(state_path) + ".lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append(True)
        finally:
            os.close(fd)
        original(name, data)

    monkeypatch.setattr(store, "_write_atomic", checking_write)
    assert store.save()
    assert seen == [True]


def test_a_stuck_lock_delays_but_does_not_stop_saving(state_path, monkeypatch):
    monkeypatch.setattr(files_module, "LOCK_TIMEOUT", 0.1)
    state_path.parent.mkdir(parents=True)
    fd = os.open(str(state_path) + ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a stopped process holding the lock
    try:
        store = StateStore(state_path)
        store.set_position("/a", 1, 0)
        assert store.save()
        assert any("lock" in n for n in store.notices)
    finally:
        os.close(fd)
    assert fresh(state_path).story("/a").position.paragraph == 1


def test_save_from_a_signal_handler_during_a_save(state_path, monkeypatch):
    """SIGHUP arrives while a debounced save is writing; both changes reach the file."""
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    original = store._write_atomic
    calls = []

    def interrupted_write(name, data):
        calls.append(1)
        if len(calls) == 1:  # the handler runs inside the first write
            store.set_position("/a", 99, 5)
            assert store.save()
        original(name, data)

    monkeypatch.setattr(store, "_write_atomic", interrupted_write)
    assert store.save()
    assert not store.dirty
    assert fresh(state_path).story("/a").position == Position(99, 5)


def test_changes_are_not_blocked_by_a_slow_save_in_a_worker(state_path, monkeypatch):
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    store.save()
    changed = threading.Event()
    waited = []
    original = store._read_piece

    def slow_read(name, force):
        # A big file being parsed: the UI thread must still be able to change state.
        waited.append(changed.wait(2))
        return original(name, force)

    monkeypatch.setattr(store, "_read_piece", slow_read)
    store.set_position("/a", 2, 0)
    worker = threading.Thread(target=store.save)
    worker.start()
    store.set_position("/a", 3, 0)
    changed.set()
    worker.join(10)
    assert waited == [True], "set_position blocked behind a save"
    monkeypatch.undo()
    store.save()
    assert fresh(state_path).story("/a").position.paragraph == 3


def test_saving_in_a_thread_while_changing_loses_nothing(state_path):
    store = StateStore(state_path)
    stop = threading.Event()

    def saver():
        while not stop.is_set():
            store.save()

    worker = threading.Thread(target=saver)
    worker.start()
    for n in range(300):
        store.set_position(f"/s{n % 30}", n, 0)
        store.add_bookmark("/b", n, 0)
    stop.set()
    worker.join(10)
    store.save()
    assert not store.dirty
    final = fresh(state_path)
    assert final.story("/s29").position.paragraph == 299
    assert len(final.story("/b").bookmarks) == 300


# ------------------------------------------------------------------ two instances


def test_two_instances_saving_different_stories_keep_both(state_path):
    one, two = fresh(state_path), fresh(state_path)
    one.set_position("/a", 1, 0)
    two.set_position("/b", 2, 0)
    one.save()
    two.save()
    one.set_finished("/c")
    one.save()
    final = fresh(state_path)
    assert final.story("/a").position.paragraph == 1
    assert final.story("/b").position.paragraph == 2
    assert final.story("/c").finished
    # Saving also shows each instance what the other did.
    assert one.story("/b").position.paragraph == 2


def test_same_story_in_two_instances_newer_change_wins(state_path):
    one, two = fresh(state_path), fresh(state_path)
    one.set_position("/a", 10, 0)
    two.set_position("/a", 20, 0)  # later
    two.save()
    one.save()  # saved last, but its change is older
    assert fresh(state_path).story("/a").position.paragraph == 20
    assert one.story("/a").position.paragraph == 20

    one.set_position("/a", 30, 0)  # now the newest
    one.save()
    two.set_pref("justify", True)
    two.save()
    assert fresh(state_path).story("/a").position.paragraph == 30


def test_favourite_in_one_session_survives_reading_in_the_other(state_path):
    reader, browser = fresh(state_path), fresh(state_path)
    reader.set_position("/a", 5, 0)
    browser.toggle_favourite("/a")
    browser.save()
    reader.set_position("/a", 6, 0)  # keeps reading: a newer change to the entry
    reader.save()
    final = fresh(state_path).story("/a")
    assert final.favourite
    assert final.position.paragraph == 6


def _hammer(path: str, worker: int) -> None:
    store = StateStore(Path(path))
    store.load()
    for n in range(15):
        store.set_position(f"/w{worker}/s{n}", n + 1, worker)
        store.save()


def test_processes_saving_at_once_lose_nothing(state_path):
    state_path.parent.mkdir(parents=True)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hammer, args=(str(state_path), w)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(30)
        assert process.exitcode == 0
    final = fresh(state_path)
    assert len(final.keys()) == 4 * 15
    assert final.story("/w3/s14").position == Position(15, 3)
    assert leftovers(state_path) == []


def test_preferences_merge_one_by_one(state_path):
    one, two = fresh(state_path), fresh(state_path)
    one.set_pref("line_width", 90)
    two.set_pref("justify", True)
    one.save()
    two.save()
    assert fresh(state_path).prefs == {"line_width": 90, "justify": True}


def test_last_story_and_pace_newer_wins(state_path):
    one, two = fresh(state_path), fresh(state_path)
    one.mark_opened("/a")
    one.record_pace(200)
    two.mark_opened("/b")
    two.record_pace(300)
    two.save()
    one.save()
    final = fresh(state_path)
    assert final.last_story == "/b"
    assert final.reading_pace.words_per_minute == pytest.approx(300)


def test_deleted_bookmark_is_not_resurrected_by_a_merge(state_path):
    one = fresh(state_path)
    doomed = one.add_bookmark("/a", 5, 0, "doomed")
    one.save()
    two = fresh(state_path)  # two has the bookmark
    assert [b.id for b in two.story("/a").bookmarks] == [doomed.id]

    one.remove_bookmark("/a", doomed.id)
    one.save()
    two.set_position("/a", 40, 0)  # a newer change to the same story in two
    kept = two.add_bookmark("/a", 30, 0, "kept")
    two.save()
    one.load()  # load() folds other sessions' changes into memory

    for store in (fresh(state_path), one, two):
        entry = store.story("/a")
        assert [b.id for b in entry.bookmarks] == [kept.id]
        assert entry.position.paragraph == 40


def test_deletion_saved_over_a_file_that_still_has_the_bookmark(state_path):
    one = fresh(state_path)
    doomed = one.add_bookmark("/a", 5, 0)
    one.save()
    two = fresh(state_path)
    two.set_finished("/a")  # two saves the story, bookmark and all
    two.save()
    one.remove_bookmark("/a", doomed.id)
    one.save()  # merging with two's file must not bring it back
    final = fresh(state_path).story("/a")
    assert final.bookmarks == []
    assert final.finished  # flags have their own stamp: the bookmark change keeps them
    assert one.story("/a").bookmarks == []


def test_bookmarks_added_in_both_instances_both_survive(state_path):
    one, two = fresh(state_path), fresh(state_path)
    a = one.add_bookmark("/a", 1, 0)
    b = two.add_bookmark("/a", 2, 0)
    one.save()
    two.save()
    assert {m.id for m in fresh(state_path).story("/a").bookmarks} == {a.id, b.id}


def test_entry_only_on_disk_survives_a_save_that_never_loaded_it(state_path):
    old = fresh(state_path)
    old.set_position("/a", 3, 0)
    old.save()
    late = StateStore(state_path)  # never called load()
    late.set_position("/b", 1, 0)
    late.save()
    assert fresh(state_path).story("/a").position.paragraph == 3
