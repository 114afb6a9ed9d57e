"""Damaged state files: set aside with a notice, never overwritten, and entries of
the wrong type salvaged and kept verbatim."""

import re
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statehelpers import fresh, raw, shard_file

from tuific.state import Position, StateStore
from tuific.state import files as files_module
from tuific.state.shards import shard_of

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
