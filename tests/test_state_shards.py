"""The sharded state layout: migration from the single file, a downgrade's leftovers,
lazy shards, a save that writes only what changed, and renames across shards."""

import os
import tempfile
import tomllib
from pathlib import Path
from types import SimpleNamespace

from statehelpers import fresh

from tuific.state import Bookmark, Position, StateStore, StoryState, fingerprint, story_key
from tuific.state.records import _Doc
from tuific.state.schema import _dump, _encode
from tuific.state.shards import SHARDS, scan_fingerprints, shard_of


def shards(path: Path) -> list[Path]:
    return sorted((path.parent / "stories").glob("*.toml"))


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def loaded(store: StateStore) -> int:
    return sum(1 for name, piece in store._pieces.items() if name and piece.loaded)


def old_layout(path: Path, count: int) -> _Doc:
    """A state file as tuific wrote it before shards: everything in state.toml."""
    doc = _Doc()
    for n in range(count):
        entry = StoryState(
            position=Position(n, n % 7),
            fingerprint=f"{n:032x}",
            words=1000 + n,
            finished=n % 5 == 0,
            favourite=n % 11 == 0,
            updated=f"2024-01-01T00:00:00.{n:06d}Z",
        )
        if n % 97 == 0:
            entry.bookmarks = [Bookmark(f"b{n}", 1, 2, f"mark {n}", "2024-01-01T00:00:00Z")]
            entry.deleted_bookmarks = {"gone"}
        doc.stories[f"/lib/story-{n}.txt"] = entry
    doc.removed["/lib/old-name.txt"] = "2024-01-01T00:00:00Z"
    doc.last_story, doc.last_story_updated = "/lib/story-7.txt", "2024-01-01T00:00:00Z"
    doc.prefs, doc.prefs_updated = {"line_width": 72}, {"line_width": "2024-01-01T00:00:00Z"}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_encode(_dump(doc)))
    return doc


def test_old_single_file_migrates_without_losing_an_entry(state_path):
    old_layout(state_path, 3000)
    before = read(state_path)
    store = fresh(state_path)
    assert store.dirty  # the first save moves the entries into their shards
    assert store.save()

    main = read(state_path)
    assert "stories" not in main and "removed" not in main
    assert main["prefs"] == {"line_width": 72}
    assert main["last_story"]["key"] == "/lib/story-7.txt"
    assert 200 < len(shards(state_path)) <= SHARDS
    read_entries, removed = {}, {}
    for shard in shards(state_path):
        data = read(shard)
        for key in data.get("stories", {}):
            assert shard.stem == shard_of(key)  # each entry in the shard of its key
        read_entries.update(data.get("stories", {}))
        removed.update(data.get("removed", {}))
    assert read_entries == before["stories"]  # every field of every entry, unchanged
    assert removed == before["removed"]

    again = fresh(state_path)
    assert len(again.keys()) == 3000
    assert again.story("/lib/story-97.txt").bookmarks[0].name == "mark 97"
    assert again.story("/lib/story-10.txt").finished
    assert not again.dirty


def test_migration_interrupted_before_the_main_file_is_rewritten_loses_nothing(
    state_path, monkeypatch
):
    old_layout(state_path, 300)
    store = fresh(state_path)
    real = store._write_atomic

    def no_space_for_the_main_file(name, data):
        if name == "":
            raise OSError(28, "No space left on device")
        real(name, data)

    monkeypatch.setattr(store, "_write_atomic", no_space_for_the_main_file)
    assert store.save() is False
    assert "stories" in read(state_path)  # still the old file, entries and all
    again = fresh(state_path)  # entries in both places merge into one
    assert len(again.keys()) == 300
    assert again.save()
    assert "stories" not in read(state_path)
    assert len(fresh(state_path).keys()) == 300


def test_entries_a_downgraded_tuific_left_in_the_main_file_are_merged_in(state_path):
    store = fresh(state_path)
    store.set_position("/a", 5, 0)
    store.save()
    # An older tuific reads state.toml (no entries: they are in shards), and saves
    # what it learnt in the old layout.
    old = read(state_path) if state_path.exists() else {}
    old["stories"] = {
        "/b": {"paragraph": 9, "offset": 0, "updated": "2030-01-01T00:00:00.000000Z"},
        "/a": {"paragraph": 1, "offset": 0, "updated": "2000-01-01T00:00:00.000000Z"},
    }
    import tomli_w

    state_path.write_text(tomli_w.dumps(old), encoding="utf-8")
    again = fresh(state_path)
    assert again.story("/b").position.paragraph == 9
    assert again.story("/a").position.paragraph == 5  # the newer change still wins
    again.save()
    assert "stories" not in read(state_path)
    assert fresh(state_path).story("/b").position.paragraph == 9


def test_a_page_turn_rewrites_one_shard(state_path):
    old_layout(state_path, 2000)
    fresh(state_path).save()
    store = fresh(state_path)
    before = {p: p.stat().st_mtime_ns for p in shards(state_path)}
    main_before = state_path.stat().st_mtime_ns
    store.set_position("/lib/story-42.txt", 500, 0)
    assert store.save()
    changed = [p for p in shards(state_path) if p.stat().st_mtime_ns != before[p]]
    assert [p.stem for p in changed] == [shard_of("/lib/story-42.txt")]
    assert state_path.stat().st_mtime_ns == main_before
    assert fresh(state_path).story("/lib/story-42.txt").position.paragraph == 500


def test_start_reads_the_main_file_and_the_last_story_only(state_path):
    old_layout(state_path, 2000)
    fresh(state_path).save()
    store = fresh(state_path)
    assert loaded(store) == 1  # the last story's shard
    assert store.get("/lib/story-7.txt").position.paragraph == 7
    assert store.get("/lib/story-8.txt").position.paragraph == 8
    assert loaded(store) == len({shard_of("/lib/story-7.txt"), shard_of("/lib/story-8.txt")})
    assert store.find("/lib/new.txt") is None  # no fingerprint: no rename to follow
    assert loaded(store) <= 3


def test_listing_lookup_does_not_wait_for_every_shard_and_hears_of_a_rename(
    tmp_path, state_path
):
    old_layout(state_path, 500)
    moved = tmp_path / "lib" / "moved.txt"
    moved.parent.mkdir()
    moved.write_bytes(b"words")
    fp = fingerprint(b"words")
    store = fresh(state_path)
    store.set_position("/lib/story-3.txt", 3, 0)  # give one entry the file's fingerprint
    store.find("/lib/story-3.txt", fp)
    store.save()

    store = fresh(state_path)
    key = story_key(moved)
    assert store.find(key, fp, wait=False) is None  # answered at once
    assert loaded(store) < SHARDS
    heard = []
    store.preload(on_done=lambda: heard.append(True)).join(30)
    assert heard == [True]
    entry = store.find(key, fp, wait=False)
    assert entry is not None and entry.position.paragraph == 3
    store.save()
    final = fresh(state_path)
    assert final.get("/lib/story-3.txt") is None
    assert final.story(key).position.paragraph == 3


def test_preload_says_nothing_when_no_lookup_missed_a_rename(state_path):
    old_layout(state_path, 50)
    store = fresh(state_path)
    heard = []
    store.find("/lib/unknown.txt", "fp-unknown", wait=False)
    store.preload(on_done=lambda: heard.append(True)).join(30)
    assert heard == []
    assert len(store.keys()) == 50


def test_a_damaged_shard_is_set_aside_and_the_others_kept(state_path):
    old_layout(state_path, 400)
    fresh(state_path).save()
    victim = state_path.parent / "stories" / f"{shard_of('/lib/story-1.txt')}.toml"
    victim.write_bytes(b"[[[ not toml")
    store = fresh(state_path)
    assert store.get("/lib/story-1.txt") is None
    asides = list(victim.parent.glob(f"{victim.name}.corrupt-*"))
    assert [p.read_bytes() for p in asides] == [b"[[[ not toml"]
    assert store.notices and asides[0].name in store.notices[0]
    lost = sum(1 for n in range(400) if shard_of(f"/lib/story-{n}.txt") == victim.stem)
    assert len(store.keys()) == 400 - lost
    store.set_position("/lib/story-1.txt", 2, 0)
    assert store.save()
    assert fresh(state_path).get("/lib/story-1.txt").position.paragraph == 2


def test_preload_clears_stale_temp_files_of_shards(state_path):
    store = fresh(state_path)
    store.set_position("/a", 1, 0)
    store.save()
    folder = state_path.parent / "stories"
    old, young = folder / ".ab.toml.x1.tmp", folder / ".cd.toml.x2.tmp"
    old.write_text("half")
    young.write_text("another instance's save under way")
    os.utime(old, (0, 0))
    fresh(state_path).preload().join(30)
    assert not old.exists() and young.exists()


def test_preload_leaves_the_temp_file_of_its_own_sessions_save_under_way(
    state_path, monkeypatch
):
    # The preload's sweep took a temp file of this process for a killed save's: one
    # written by a save at that moment (quitting) went, and the save with it.
    from tuific.state import disk

    store = fresh(state_path)
    store.set_favourite("/a", True)
    preloads = []

    def mkstemp_then_preload(*args, **kwargs):
        made = tempfile.mkstemp(*args, **kwargs)
        if not preloads:  # the preload's sweep comes while this temp file is open
            preloads.append(store.preload())
            preloads[0].join(0.5)  # (it waits for the save: not all of it)
        return made

    monkeypatch.setattr(disk, "tempfile", SimpleNamespace(mkstemp=mkstemp_then_preload))
    assert store.save() and not store.take_notices()
    preloads[0].join(30)
    assert fresh(state_path).get("/a").favourite


def test_two_instances_on_the_sharded_layout_merge_per_shard(state_path):
    one, two = fresh(state_path), fresh(state_path)
    keys = [f"/s{n}" for n in range(40)]  # spread over many shards
    for n, key in enumerate(keys):
        (one if n % 2 else two).set_position(key, n, 0)
    one.set_position("/shared", 1, 0)
    two.set_position("/shared", 2, 0)  # later: wins
    one.save()
    two.save()
    final = fresh(state_path)
    assert [final.story(key).position.paragraph for key in keys] == list(range(40))
    assert final.story("/shared").position.paragraph == 2


def test_following_a_rename_reads_only_the_shards_it_needs(tmp_path, state_path):
    old_layout(state_path, 2000)
    fresh(state_path).save()
    store = fresh(state_path)
    # /lib/story-5.txt no longer exists; a file with its fingerprint turns up here.
    entry = store.story(story_key(tmp_path / "found.txt"), f"{5:032x}")
    assert entry.position == Position(5, 5)
    assert store.get("/lib/story-5.txt") is None
    assert loaded(store) <= 3  # the last story's, the new key's and the old key's


def test_fingerprint_scan_finds_entries_as_written_and_skips_the_rest():
    store_text = _encode(_dump(_Doc(
        stories={
            '/odd "quoted" \\ name.txt': StoryState(fingerprint="ab" * 16),
            "/plain.txt": StoryState(fingerprint="cd" * 16, bookmarks=[Bookmark("x", 1, 2)]),
            "/none.txt": StoryState(),
            "/bad\udcff.txt": StoryState(fingerprint="ef" * 16),  # not UTF-8: a hex key
        },
        unparsed={"stories": {"/kept.txt": {"fingerprint": "12" * 16}}},
    ))).decode()
    assert sorted(scan_fingerprints(store_text)) == sorted([
        ("ab" * 16, '/odd "quoted" \\ name.txt'),
        ("cd" * 16, "/plain.txt"),
        ("ef" * 16, "/bad\udcff.txt"),
    ])


def test_a_shard_written_from_kept_entry_text_matches_one_made_afresh(state_path):
    from tuific.state.shards import encode_piece

    keys = [k for k in (f"/s{n}" for n in range(2000)) if shard_of(k) == "000"][:4]
    one, two = fresh(state_path), fresh(state_path)
    for n, key in enumerate(keys):
        one.set_position(key, n, 0)
    one.save()
    two.load()
    two.add_bookmark(keys[0], 5, 0, "from two")  # merged into one's kept text below
    two.save()
    one.set_finished(keys[1])
    one.save()
    written = (state_path.parent / "stories" / "000.toml").read_bytes()
    again = fresh(state_path)
    again.keys()
    piece = again._piece("000")
    piece.chunks.clear()
    assert encode_piece(again._doc, piece, "000") == written
    assert [b.name for b in again.get(keys[0]).bookmarks] == ["from two"]


def test_preload_encodes_read_shards_ahead_so_a_first_save_writes_the_same(state_path):
    from tuific.state.shards import encode_piece

    old_layout(state_path, 2000)
    fresh(state_path).save()
    store = fresh(state_path)
    name = shard_of("/lib/story-7.txt")  # the last story's shard, read at load
    store.preload().join(30)
    piece = store._piece(name)
    assert set(piece.chunks) == {k for k in piece.members if k in store._doc.stories}
    store.set_position("/lib/story-7.txt", 70, 0)
    assert store.save()
    written = (state_path.parent / "stories" / f"{name}.toml").read_bytes()
    again = fresh(state_path)
    again.keys()
    piece = again._piece(name)
    piece.chunks.clear()
    assert encode_piece(again._doc, piece, name) == written
    assert again.get("/lib/story-7.txt").position.paragraph == 70


def test_a_failing_preload_becomes_a_notice_not_a_traceback(state_path, monkeypatch, capsys):
    store = fresh(state_path)

    def broken() -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store, "_warm_chunks", broken)
    store.preload().join(30)
    assert any("Input/output error" in notice for notice in store.notices)
    assert capsys.readouterr().err == ""


def test_moving_an_old_file_into_shards_syncs_once_not_per_file(state_path, monkeypatch):
    old_layout(state_path, 400)
    store = fresh(state_path)
    synced, fsynced = [], []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "sync", lambda: synced.append(True))
    monkeypatch.setattr(os, "fsync", lambda fd: fsynced.append(fd) or real_fsync(fd))
    assert store.save()
    assert synced == [True]
    assert len(fsynced) <= 2  # the main file and its folder, written after the sync
    assert len(fresh(state_path).keys()) == 400
    store.set_position("/lib/story-1.txt", 9, 0)  # an ordinary save: fsynced, no sync
    assert store.save()
    assert synced == [True] and len(fsynced) > 2


def test_the_scan_indexes_source_urls_beside_fingerprints():
    text = _encode(_dump(_Doc(stories={
        "/a.txt": StoryState(fingerprint="ab" * 16, work="test1.com?sid=2"),
        "/b.txt": StoryState(work='odd "url"'),
    }))).decode()
    assert sorted(scan_fingerprints(text)) == sorted([
        ("ab" * 16, "/a.txt"),
        ("work:test1.com?sid=2", "/a.txt"),
        ('work:odd "url"', "/b.txt"),
    ])


def test_a_story_renamed_and_changed_is_found_by_its_source_after_a_restart(tmp_path, state_path):
    # Fingerprints differ (the file grew) and the old path is gone: only the source
    # URL, indexed from shards never parsed in this session, ties the two together.
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    store = fresh(state_path)
    store.mark_opened(str(old), words=100, chapters=2, work="test1.com?sid=2")
    store.set_position(str(old), 7, 0)
    store.set_finished(str(old))
    for filler in range(200):  # a history big enough to be read lazily
        store.set_position(f"/fic/{filler}.txt", 1, 0)
    assert store.save()
    new.write_text("grown")
    again = StateStore(state_path)
    again.load()
    assert again.find(str(new), "cd" * 16, wait=False, work=lambda: None) is None
    again.preload().join()
    entry = again.find(str(new), "cd" * 16, wait=False, work=lambda: "test1.com?sid=2")
    assert entry is not None and entry.finished and entry.position.paragraph == 7


def test_a_save_in_a_small_history_reads_only_the_shards_that_exist(state_path, monkeypatch):
    # A small history is read whole at start; a save then checks the shards it read
    # for other sessions' changes. A shard with no file then or now needs no stat:
    # a settled page turn must not stat a thousand missing files.
    store = fresh(state_path)
    store.set_position("/fic/a.txt", 3, 0)
    assert store.save()
    again = fresh(state_path)  # reads the whole (small) history
    reads = []
    original = again._read_piece

    def counting(name, force):
        reads.append(name)
        return original(name, force)

    monkeypatch.setattr(again, "_read_piece", counting)
    again.set_position("/fic/a.txt", 4, 0)
    assert again.save()
    assert len(reads) <= 3, reads
    assert fresh(state_path).get("/fic/a.txt").position.paragraph == 4


def test_a_small_history_makes_no_piece_for_shards_without_a_file(state_path):
    seed = fresh(state_path)
    seed.set_position("/lib/a.txt", 3, 0)
    assert seed.save()
    store = fresh(state_path)  # small: every shard read at load
    assert len(store._pieces) < 10  # the main file and the one shard, not all 1,024
    assert store.get("/lib/a.txt").position.paragraph == 3
    assert store.get("/lib/never-opened.txt") is None


def test_a_shard_another_session_makes_after_load_is_read_at_the_next_save(state_path):
    one = fresh(state_path)  # an empty history: every shard "read" at load
    two = fresh(state_path)
    two.set_position("/lib/new.txt", 9, 0)  # a shard file one has never seen
    assert two.save()
    one.set_position("/lib/mine.txt", 1, 0)
    assert one.save()  # a save also reads what other sessions saved meanwhile
    assert one.get("/lib/new.txt") is not None
    assert one.get("/lib/new.txt").position.paragraph == 9
