"""The state store: what it keeps and reads back, and how it finds a story again
by its fingerprint after a move or a rename."""

import os
import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from statehelpers import fresh, raw, shard_file

from tuific.state import (
    Bookmark,
    Position,
    StateStore,
    fingerprint,
    fingerprint_file,
    story_key,
)
from tuific.state import store as state_module

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
