import fcntl
import multiprocessing
import os
import re
import tempfile
import threading
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statehelpers import fresh, raw

from tuific.state import (
    Bookmark,
    Position,
    StateStore,
    fingerprint,
    fingerprint_file,
    story_key,
)
from tuific.state import files as files_module
from tuific.state import store as state_module
from tuific.state.shards import shard_of


def shard_file(path: Path, key: str) -> Path:
    return path.parent / "stories" / f"{shard_of(key)}.toml"


def leftovers(path: Path) -> list[str]:
    folders = (path.parent, path.parent / "stories")
    return sorted(p.name for folder in folders for p in folder.glob(".*.tmp"))


# ------------------------------------------------------------------ round trip


def test_round_trip(state_path):
    store = StateStore(state_path)
    store.load()  # no file yet: fine
    store.story("/fic/a.txt", "fp-a")
    store.mark_opened("/fic/a.txt", words=12000, paragraphs=300)
    store.set_position("/fic/a.txt", 41, 17)
    store.toggle_favourite("/fic/a.txt")
    mark = store.add_bookmark("/fic/a.txt", 10, 3, "the lake")
    store.set_finished("/fic/b.txt")
    for wpm in (200, 300):
        store.record_pace(wpm)
    store.set_pref("line_width", 80)
    store.set_pref("justify", True)
    assert store.save()

    again = fresh(state_path)
    a = again.story("/fic/a.txt")
    assert a.position == Position(41, 17)
    assert a.favourite and not a.finished
    assert a.words == 12000 and a.paragraphs == 300
    assert a.fingerprint == "fp-a"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a.last_opened)
    assert a.bookmarks == [mark]
    assert mark.name == "the lake" and (mark.paragraph, mark.offset) == (10, 3)
    assert again.story("/fic/b.txt").finished
    assert again.last_story == "/fic/a.txt"
    assert again.reading_pace.samples == 2
    assert again.reading_pace.words_per_minute == pytest.approx(250)
    assert again.prefs == {"line_width": 80, "justify": True}
    assert not again.dirty
    assert again.notices == []


def test_file_layout_is_readable_toml(state_path):
    store = StateStore(state_path)
    store.set_position("/fic/a.txt", 3, 9)
    store.save()
    entry = raw(state_path)["stories"]["/fic/a.txt"]
    assert entry["paragraph"] == 3 and entry["offset"] == 9
    assert "finished" not in entry  # false flags are left out
    assert entry["updated"].endswith("Z")


def test_save_is_a_no_op_when_nothing_changed(state_path):
    store = StateStore(state_path)
    assert store.save()
    assert not state_path.parent.exists()
    store.set_position("/fic/a.txt", 1, 0)
    store.save()
    shard = shard_file(state_path, "/fic/a.txt")
    before = shard.stat().st_mtime_ns, shard.stat().st_ino
    store.set_position("/fic/a.txt", 1, 0)  # same place: no change
    assert store.save()
    assert (shard.stat().st_mtime_ns, shard.stat().st_ino) == before


def test_asking_about_a_story_does_not_store_it(state_path):
    store = StateStore(state_path)
    store.story("/fic/a.txt", "fp")
    assert store.read_status("/fic/a.txt") == "unread"
    store.set_position("/fic/b.txt", 1, 0)
    store.save()
    assert list(raw(state_path)["stories"]) == ["/fic/b.txt"]


def test_fingerprint_given_before_the_first_change_is_kept(state_path):
    store = StateStore(state_path)
    view = store.story("/fic/a.txt", "fp-a")
    store.set_position("/fic/a.txt", 2, 0)
    assert store.story("/fic/a.txt") is view
    store.save()
    assert raw(state_path)["stories"]["/fic/a.txt"]["fingerprint"] == "fp-a"


def test_read_status_and_progress(state_path):
    store = StateStore(state_path)
    assert store.read_status("/a") == "unread"
    assert store.progress("/a", 100) == 0.0
    store.mark_opened("/a")
    assert store.read_status("/a") == "reading"
    store.set_position("/a", 25, 4)
    assert store.progress("/a", 100) == 0.25
    store.set_position("/a", 500, 0)
    assert store.progress("/a", 100) == 1.0
    store.set_finished("/a")
    assert store.read_status("/a") == "finished"
    store.set_position("/a", 1, 0)
    assert store.progress("/a", 100) == 1.0
    store.set_finished("/a", False)
    assert store.read_status("/a") == "reading"
    # The list knows no paragraph count: the one saved at open is used.
    assert store.progress("/a") == 0.0
    store.mark_opened("/a", words=5000, paragraphs=40)
    store.set_position("/a", 10, 0)
    assert store.progress("/a") == 0.25
    assert store.progress("/a", 0) == 0.25
    assert store.progress("/a", 20) == 0.5
    # A position without an open (set by another tool) still counts as reading.
    store.set_position("/b", 0, 5)
    assert store.read_status("/b") == "reading"


def test_negative_positions_are_clamped(state_path):
    store = StateStore(state_path)
    store.set_position("/a", -3, -1)
    assert store.story("/a").position == Position(0, 0)


def test_toggle_favourite(state_path):
    store = StateStore(state_path)
    assert store.toggle_favourite("/a") is True
    assert store.story("/a").favourite
    assert store.toggle_favourite("/a") is False
    assert not store.story("/a").favourite


def test_bookmarks_sorted_by_place_and_removable(state_path):
    store = StateStore(state_path)
    late = store.add_bookmark("/a", 90, 0, "late")
    early = store.add_bookmark("/a", 5, 2)
    assert [b.id for b in store.story("/a").bookmarks] == [early.id, late.id]
    assert early.id != late.id
    assert store.remove_bookmark("/a", early.id)
    assert not store.remove_bookmark("/a", early.id)
    assert not store.remove_bookmark("/nothing", "x")
    store.save()
    assert [b.id for b in fresh(state_path).story("/a").bookmarks] == [late.id]


def test_bookmark_names_are_cleaned(state_path):
    store = StateStore(state_path)
    mark = store.add_bookmark("/a", 1, 0, "the \x1b]52;c;evil\x07 lake\n")
    assert mark.name == "the ]52;c;evil lake"


def test_hand_written_bookmark_without_id_merges_once(state_path):
    state_path.parent.mkdir(parents=True)
    state_path.write_text(
        '[stories."/a"]\nbookmarks = [{paragraph = 4, name = "mine"}]\n', encoding="utf-8"
    )
    one, two = fresh(state_path), fresh(state_path)
    assert one.story("/a").bookmarks[0].id == two.story("/a").bookmarks[0].id
    one.set_position("/a", 1, 0)
    two.set_finished("/a")
    one.save()
    two.save()
    assert [b.name for b in fresh(state_path).story("/a").bookmarks] == ["mine"]


def test_pace_uses_default_until_enough_samples(state_path):
    store = StateStore(state_path)
    assert store.words_per_minute(250) == 250
    for _ in range(state_module.PACE_MIN_SAMPLES - 1):
        store.record_pace(400)
    assert store.words_per_minute(250) == 250
    store.record_pace(400)
    assert store.words_per_minute(250) == pytest.approx(400)
    store.record_pace(0)  # impossible readings are ignored
    store.record_pace(1e6)
    assert store.reading_pace.samples == state_module.PACE_MIN_SAMPLES


def test_pace_follows_a_changing_reader(state_path):
    store = StateStore(state_path)
    for _ in range(200):
        store.record_pace(200)
    for _ in range(200):
        store.record_pace(400)
    # A moving average, not a lifetime mean (which would sit at 300).
    assert store.words_per_minute(250) > 390


def test_unknown_fields_from_a_newer_version_are_kept(state_path):
    state_path.parent.mkdir(parents=True)
    state_path.write_text(
        'format = 1\nfuture_thing = "x"\n'
        '[stories."/a"]\nparagraph = 2\noffset = 0\ncolour = "teal"\nupdated = ""\n'
        "[future_table]\nk = 1\n",
        encoding="utf-8",
    )
    store = fresh(state_path)
    store.set_position("/a", 3, 0)
    store.save()
    data = raw(state_path)
    assert data["future_thing"] == "x"
    assert data["future_table"] == {"k": 1}
    assert data["stories"]["/a"]["colour"] == "teal"
    assert data["stories"]["/a"]["paragraph"] == 3
    assert "unparsed" not in data
    assert store.notices == []


def test_keys_that_are_not_utf8_round_trip(state_path):
    key = os.fsdecode(b"/fic/caf\xe9.txt")  # a Windows-1252 file name on Linux
    store = StateStore(state_path)
    store.set_position(key, 7, 1)
    store.mark_opened(key)
    store.save()
    state_path.read_bytes().decode("utf-8")  # the file stays valid UTF-8
    again = fresh(state_path)
    assert again.story(key).position == Position(7, 1)
    assert again.last_story == key


def test_odd_characters_in_keys_and_names(state_path):
    key = '/fic/a "quoted" \\ [x] \n\x1b.txt'
    store = StateStore(state_path)
    store.add_bookmark(key, 1, 2, 'name with "quotes" and ]]')
    store.save()
    assert fresh(state_path).story(key).bookmarks[0].name == 'name with "quotes" and ]]'


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


# ------------------------------------------------------------------ damaged files


@pytest.mark.parametrize(
    "damage",
    [b"this is [not toml\n", b'stories = "\xff\xfe"\n', b"\x00\x01\x02binary"],
)
def test_corrupt_file_is_set_aside_with_a_notice(state_path, damage):
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(damage)
    store = fresh(state_path)
    asides = list(state_path.parent.glob("state.toml.corrupt-*"))
    assert len(asides) == 1
    assert re.fullmatch(r"state\.toml\.corrupt-\d{8}-\d{6}", asides[0].name)
    assert asides[0].read_bytes() == damage
    assert len(store.notices) == 1 and asides[0].name in store.notices[0]
    assert store.keys() == []
    # The app goes on: the next save writes a good file in its place.
    store.set_position("/a", 4, 0)
    assert store.save()
    assert fresh(state_path).story("/a").position.paragraph == 4
    assert asides[0].read_bytes() == damage


def test_two_corruptions_in_the_same_second_both_kept(state_path, monkeypatch):
    monkeypatch.setattr(files_module.time, "strftime", lambda fmt: "20240102-030405")
    state_path.parent.mkdir(parents=True)
    for damage in (b"[[[", b"]]]"):
        state_path.write_bytes(damage)
        fresh(state_path)
    kept = sorted(p.read_bytes() for p in state_path.parent.glob("state.toml.corrupt-*"))
    assert kept == [b"[[[", b"]]]"]


def test_file_damaged_while_running_is_set_aside_on_save(state_path):
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    store.set_pref("justify", True)
    store.save()
    shard = shard_file(state_path, "/a")
    for damaged in (state_path, shard):
        damaged.write_text("hand-edited = = oops")
    store.set_position("/a", 2, 0)
    store.set_pref("justify", False)
    assert store.save()
    for damaged in (state_path, shard):  # each damaged piece kept aside on its own
        assert [p.read_text() for p in damaged.parent.glob(f"{damaged.name}.corrupt-*")] == [
            "hand-edited = = oops"
        ]
    assert store.notices
    assert fresh(state_path).story("/a").position.paragraph == 2
    assert fresh(state_path).pref("justify") is False


def test_unreadable_file_is_never_overwritten(state_path, monkeypatch):
    store = StateStore(state_path)
    store.set_position("/a", 1, 0)
    store.save()
    shard = shard_file(state_path, "/a")
    before = shard.read_bytes()
    store.set_position("/a", 2, 0)
    real_read = Path.read_bytes

    def denied(self):
        if self == shard:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    store._piece(shard_of("/a")).signature = None  # pretend another instance wrote
    assert store.save() is False
    assert store.dirty
    assert any("Permission denied" in n for n in store.notices)
    monkeypatch.undo()
    assert shard.read_bytes() == before


def test_wrong_typed_entries_are_salvaged_and_kept_verbatim(state_path):
    state_path.parent.mkdir(parents=True)
    state_path.write_text(
        """
format = 1
pace = "fast"

[last_story]
key = "/fic/a.txt"

[stories."/fic/a.txt"]
paragraph = "twelve"
offset = 5
favourite = true
finished = "yes"
bookmarks = [
  {id = "b1", paragraph = 3, offset = 0, name = "ok"},
  {id = "b2", paragraph = "x"},
  "not a table",
]

[stories."/fic/b.txt"]
paragraph = 8
offset = 1

[stories]
"/fic/c.txt" = "just a string"
""",
        encoding="utf-8",
    )
    store = fresh(state_path)
    assert len(store.notices) == 1 and "[unparsed]" in store.notices[0]
    a = store.story("/fic/a.txt")
    assert a.position == Position(0, 5)  # the readable offset survives
    assert a.favourite and not a.finished
    assert [b.id for b in a.bookmarks] == ["b1"]
    assert store.story("/fic/b.txt").position == Position(8, 1)
    assert store.last_story == "/fic/a.txt"
    assert store.dirty  # the salvage is written back at the next save

    store.save()
    data = raw(state_path)
    unparsed = data["unparsed"]
    assert unparsed["stories"]["/fic/a.txt"]["paragraph"] == "twelve"
    assert unparsed["stories"]["/fic/a.txt"]["bookmarks"][2] == "not a table"
    assert unparsed["stories"]["/fic/c.txt"] == "just a string"
    assert unparsed["top"]["pace"] == "fast"
    assert data["stories"]["/fic/a.txt"]["offset"] == 5
    assert "/fic/b.txt" in data["stories"]

    # Later loads are clean and keep the originals exactly once.
    again = fresh(state_path)
    assert again.notices == []
    again.set_position("/fic/b.txt", 9, 0)
    again.save()
    assert raw(state_path)["unparsed"] == unparsed


def test_whole_sections_of_the_wrong_type(state_path):
    state_path.parent.mkdir(parents=True)
    state_path.write_text(
        'stories = 5\nremoved = "x"\nlast_story = 3\nprefs = []\nunparsed = 7\n',
        encoding="utf-8",
    )
    store = fresh(state_path)
    assert store.notices
    store.set_position("/a", 1, 0)
    store.save()
    data = raw(state_path)
    assert data["unparsed"]["top"] == {
        "stories": 5, "removed": "x", "last_story": 3, "prefs": [],
    }
    assert data["unparsed"]["earlier"] == 7
    assert data["stories"]["/a"]["paragraph"] == 1


toml_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.text(max_size=8),
    st.floats(allow_nan=False),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6,
)
entry_fields = st.sampled_from(
    ["paragraph", "offset", "last_opened", "finished", "favourite", "fingerprint",
     "words", "paragraphs", "updated", "flags_updated", "bookmarks_updated", "bookmarks",
     "deleted_bookmarks", "chapters", "shelf", "work", "notes_open"]
)


# No deadline: each example saves (fsyncs) a few files, slow on a busy machine.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entry=st.dictionaries(entry_fields, toml_values, max_size=5))
def test_no_entry_is_ever_lost(tmp_path, entry):
    """Whatever a story entry holds, it loads, saves and is kept verbatim somewhere."""
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "state.toml"
    path.write_text(tomli_w.dumps({"stories": {"/a": entry}}), encoding="utf-8")
    store = fresh(path)
    store.story("/a")
    store.set_position("/other", 1, 0)
    assert store.save()
    data = raw(path)
    assert "/a" in data["stories"]
    saved = data["stories"]["/a"]
    kept_verbatim = data.get("unparsed", {}).get("stories", {}).get("/a")
    def same(name, value):
        if name == "deleted_bookmarks":  # a set: written sorted, without repeats
            return sorted(set(value)) == saved.get(name, [])
        if value is False and name in ("finished", "favourite", "notes_open"):  # left out
            return saved.get(name, False) is False
        if value == "" and name in ("flags_updated", "bookmarks_updated"):  # "" is never
            return saved.get(name, "") == ""
        return name == "bookmarks" or saved.get(name) == value

    assert kept_verbatim == entry or all(same(k, v) for k, v in entry.items())
    fresh(path)  # and what we wrote reads back


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


# ------------------------------------------------------------------ fingerprints and renames


def test_fingerprint_is_stable_and_sensitive():
    text = b"Title: Orchard\n\n" + b"The pears were late that year. " * 4000
    assert fingerprint(text) == fingerprint(bytes(text))
    assert fingerprint(text[:65536], size=len(text)) == fingerprint(text)
    assert fingerprint(text + b"more") != fingerprint(text)  # size changed
    assert fingerprint(b"X" + text[1:]) != fingerprint(text)  # head changed
    # Past the first 64 KiB only the size counts.
    tail_edit = text[:-1] + b"!"
    assert fingerprint(tail_edit) == fingerprint(text)
    assert re.fullmatch(r"[0-9a-f]{32}", fingerprint(b""))


def test_fingerprint_file_matches_fingerprint(tmp_path):
    path = tmp_path / "s.txt"
    data = os.urandom(100_000)
    path.write_bytes(data)
    assert fingerprint_file(path) == fingerprint(data)


def test_story_key_is_absolute_and_normalised_without_system_calls(tmp_path, monkeypatch):
    # Keys are absolute and normalised but not resolve()d (callers resolve the
    # library folder once); so they cost no system calls for 10,000 stories.
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    expected = str(tmp_path / "lib" / "a.txt")
    assert story_key("lib/a.txt") == expected
    assert story_key(Path("lib") / "." / "a.txt") == expected
    assert story_key("lib/../lib/a.txt") == expected


def _orchard(tmp_path, state_path):
    """lib/orchard.txt, its fingerprint, and a store with an entry for it."""
    old_path = tmp_path / "lib" / "orchard.txt"
    old_path.parent.mkdir()
    old_path.write_bytes(b"Title: Orchard\n\nSome words.\n")
    fp = fingerprint_file(old_path)
    store = fresh(state_path)
    store.story(story_key(old_path), fp)
    return old_path, fp, store


def test_renamed_story_keeps_its_place(tmp_path, state_path):
    old_path, fp, store = _orchard(tmp_path, state_path)
    old_key = story_key(old_path)
    store.mark_opened(old_key)
    store.set_position(old_key, 12, 3)
    mark = store.add_bookmark(old_key, 4, 0, "b")
    store.toggle_favourite(old_key)
    store.save()
    stale = fresh(state_path)  # another session that still knows the old key

    new_path = tmp_path / "lib" / "sub" / "The Orchard.txt"
    new_path.parent.mkdir()
    old_path.rename(new_path)
    new_key = story_key(new_path)
    store = fresh(state_path)
    entry = store.story(new_key, fingerprint_file(new_path))
    assert entry.position == Position(12, 3)
    assert entry.favourite
    assert [b.id for b in entry.bookmarks] == [mark.id]
    assert store.read_status(new_key) == "reading"
    assert store.last_story == new_key
    assert store.get(old_key) is None
    store.save()

    stale.set_pref("line_width", 60)
    stale.save()  # must not bring the old key back
    final = fresh(state_path)
    assert final.keys() == [new_key]
    assert final.story(new_key).position == Position(12, 3)


def test_copy_of_a_story_does_not_steal_the_entry(tmp_path, state_path):
    first = tmp_path / "a.txt"
    first.write_bytes(b"same words")
    copy = tmp_path / "b.txt"
    copy.write_bytes(b"same words")
    store = fresh(state_path)
    store.story(story_key(first), fingerprint_file(first))
    store.set_position(story_key(first), 5, 0)
    entry = store.story(story_key(copy), fingerprint_file(copy))
    assert entry.position == Position(0, 0)
    assert store.story(story_key(first)).position == Position(5, 0)


def test_story_edited_in_place_gets_its_new_fingerprint(state_path):
    store = fresh(state_path)
    store.story("/a", "v1")
    store.set_position("/a", 5, 0)
    store.save()
    store.story("/a", "v2")
    assert store.dirty
    store.save()
    assert fresh(state_path).story("/a").fingerprint == "v2"


def test_story_back_at_a_moved_from_path_gets_a_new_entry(tmp_path, state_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    store = fresh(state_path)
    store.story(story_key(path), fingerprint_file(path))
    store.set_position(story_key(path), 5, 0)
    moved = tmp_path / "b.txt"
    path.rename(moved)
    store.story(story_key(moved), fingerprint_file(moved))
    store.save()
    path.write_bytes(b"a different story under the old name")
    store.set_position(story_key(path), 1, 0)
    store.save()
    final = fresh(state_path)
    assert final.story(story_key(path)).position == Position(1, 0)
    assert final.story(story_key(moved)).position == Position(5, 0)


def test_bookmark_dataclass_shape():
    mark = Bookmark(id="x", paragraph=1, offset=2, name="n", created="c")
    assert (mark.id, mark.paragraph, mark.offset, mark.name, mark.created) == (
        "x", 1, 2, "n", "c"
    )


def test_find_follows_a_move_but_makes_no_entry(tmp_path, state_path):
    old_path, fp, store = _orchard(tmp_path, state_path)
    store.set_position(story_key(old_path), 7, 0)
    store.save()
    new_path = tmp_path / "lib" / "grove.txt"
    old_path.rename(new_path)
    store = fresh(state_path)
    assert store.find(story_key(tmp_path / "lib" / "never.txt"), "fp-none") is None
    assert store.find(story_key(tmp_path / "lib" / "never.txt")) is None
    assert not store._pending  # listing thousands of stories stores nothing for them
    entry = store.find(story_key(new_path), fp)
    assert entry is not None and entry.position == Position(7, 0)
    assert store.get(story_key(new_path)) is entry


def test_the_readers_own_measure_is_kept_with_the_place(state_path):
    # The reader measures progress by characters, the entry's count by paragraphs:
    # the list showed one figure before a restart and another after.
    store = StateStore(state_path)
    store.mark_opened("/a", words=5000, paragraphs=40)
    store.set_position("/a", 10, 0, 0.41234)
    assert store.progress("/a") == 0.412  # not 10 / 40
    assert store.progress("/a", 40) == 0.25  # a loaded story's own count still rules
    assert store.save()
    assert raw(state_path)["stories"]["/a"]["progress"] == 0.412
    assert fresh(state_path).progress("/a") == 0.412
    # A place set without the reader's measure (a grown story's first new chapter)
    # forgets the old one.
    store.set_position("/a", 12, 0)
    assert store.progress("/a") == 0.3
    # It travels with the place in a merge: the later place wins, measure and all.
    other = fresh(state_path)
    other.set_position("/a", 30, 0, 0.9)
    assert other.save()
    assert store.save()
    assert fresh(state_path).progress("/a") == 0.9


@pytest.mark.parametrize("bad", [1.5, -0.1, "half", True, float("nan")])
def test_a_bad_stored_measure_is_dropped_and_the_place_kept(state_path, bad):
    store = StateStore(state_path)
    store.mark_opened("/a", words=500, paragraphs=40)
    store.set_position("/a", 10, 0)
    assert store.save()
    shard = shard_file(state_path, "/a")
    data = tomllib.loads(shard.read_text(encoding="utf-8"))
    data["stories"]["/a"]["progress"] = bad
    shard.write_text(tomli_w.dumps(data), encoding="utf-8")
    again = fresh(state_path)
    assert again.get("/a").position == Position(10, 0)
    assert again.progress("/a") == 0.25


def test_a_source_url_noted_on_a_mark_survives_a_merge_with_a_later_place(state_path):
    one = fresh(state_path)
    one.set_finished("/a")  # marked from the list, never opened
    one.note_work("/a", "test1.com?sid=2")
    two = fresh(state_path)
    two.set_position("/a", 3, 0)  # another window reads it later
    assert two.save()
    assert one.save()  # merges their later place in
    again = fresh(state_path)
    assert (again.get("/a").work, again.get("/a").position) == ("test1.com?sid=2", Position(3, 0))
