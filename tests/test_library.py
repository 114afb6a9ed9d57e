"""The library scan: path order, skips, fingerprints, odd files, and the cheap rescan."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import tuific.library as library
from tuific.cache import MetadataCache
from tuific.library import (
    NOT_READ,
    Changes,
    Skipped,
    collect,
    has_stories,
    rescan,
    scan_library,
    walk_story_files,
)
from tuific.model import Story
from tuific.state import fingerprint_file


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def story_text(title: str, body: str = "A short walk by the canal.") -> str:
    return f"Title: {title}\nAuthor: Odile Marsh\n\n{body}\n"


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    write(root / "b-second.txt", story_text("Second"))
    write(root / "a-first.txt", story_text("First"))
    write(root / "shelf" / "c-third.md", "# Third\n\nThe tram was late again.\n")
    write(root / ".hidden.txt", story_text("Hidden"))
    write(root / "readme.pdf", "not a story extension")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x00\x00 data")
    return root



def run_bounded(function, seconds: float = 20.0):
    """Run `function` in a thread; fail (rather than hang the suite) if it blocks."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(function()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the scan blocked"
    return box[0]


# ------------------------------------------------------------------- scan


def test_scan_yields_stories_and_skips_in_path_order(lib):
    items = list(scan_library(lib))
    paths = [Path(item.path).relative_to(lib).as_posix() for item in items]
    assert paths == ["a-first.txt", "b-second.txt", "binary.txt", "empty.txt", "shelf/c-third.md"]
    kinds = {Path(i.path).name: type(i) for i in items}
    assert kinds["binary.txt"] is Skipped and kinds["empty.txt"] is Skipped
    assert kinds["a-first.txt"] is Story


def test_story_paths_match_walk_and_pathlib_spelling(lib, monkeypatch):
    walked = [str(path) for path, _i, _r in walk_story_files(lib)]
    assert [item.path for item in scan_library(lib)] == walked
    # A trailing slash or "." root must not change how paths are spelt.
    assert [i.path for i in scan_library(Path(str(lib) + "/"))] == walked
    monkeypatch.chdir(lib)
    here = [item.path for item in scan_library(Path("."))]
    assert here == [str(Path(p).relative_to(lib)) for p in walked]
    assert "shelf/c-third.md" in here


def test_scan_gives_each_story_its_fingerprint(lib):
    stories = [i for i in scan_library(lib) if isinstance(i, Story)]
    assert stories
    for story in stories:
        assert story.paragraphs is None
        assert story.fingerprint == fingerprint_file(story.path)


def test_a_story_changed_after_its_read_keeps_the_fingerprint_of_what_was_parsed(lib):
    # One read gives both: no window between the parse and the fingerprint in
    # which the file can change or vanish (it used to be read twice).
    path = lib / "a-first.txt"
    before = fingerprint_file(path)
    story = library.read_listing(path)
    path.write_text("Title: Changed\n\nOther words.", encoding="utf-8")
    assert story.fingerprint == before and story.title == "First"


def test_collect_and_has_stories_still_work(lib, tmp_path):
    result = collect(lib)
    assert sorted(s.title for s in result.stories) == ["First", "Second", "Third"]
    assert {Path(s.path).name for s in result.skipped} == {"binary.txt", "empty.txt"}
    assert has_stories(lib)
    assert not has_stories(tmp_path / "nowhere")


def test_missing_root_is_one_skip(tmp_path):
    (only,) = list(scan_library(tmp_path / "nowhere", MetadataCache(tmp_path / "nowhere")))
    assert isinstance(only, Skipped)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("cached", [False, True], ids=["plain", "cached"])
def test_fifo_and_symlink_loop_are_skipped_without_blocking(lib, cached):
    os.mkfifo(lib / "pipe.txt")
    os.symlink(lib, lib / "shelf" / "loop")
    os.symlink(lib / "self-link.txt", lib / "self-link.txt")  # ELOOP on stat
    cache = MetadataCache(lib) if cached else None
    items = run_bounded(lambda: list(scan_library(lib, cache)))
    reasons = {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}
    assert reasons["pipe.txt"] == "not a regular file"
    assert "symlink loop" in reasons["loop"]
    assert "symlink loop" in reasons["self-link.txt"]
    titles = sorted(i.title for i in items if isinstance(i, Story))
    assert titles == ["First", "Second", "Third"]  # each once, despite the loop
    # and the rescan copes the same way, reporting nothing new
    seen: dict = {}
    list(scan_library(lib, cache, seen))
    assert not run_bounded(lambda: rescan(lib, seen, cache))


# ----------------------------------------------------------------- rescan


def snapshot(root: Path, cache: MetadataCache | None = None) -> dict:
    seen: dict = {}
    list(scan_library(root, cache, seen))
    return seen


def bump_mtime(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_seen_holds_size_and_mtime_of_every_path(lib):
    seen = snapshot(lib)
    info = (lib / "a-first.txt").stat()
    assert seen[str(lib / "a-first.txt")] == (info.st_size, info.st_mtime_ns)
    assert seen[str(lib / "empty.txt")] == NOT_READ
    assert str(lib / ".hidden.txt") not in seen and str(lib / "readme.pdf") not in seen


def test_rescan_with_nothing_changed_reports_nothing_and_parses_nothing(lib, count_parses):
    seen = snapshot(lib)
    count_parses.clear()
    changes = rescan(lib, seen)
    assert not changes
    assert changes == Changes(seen=seen)
    assert count_parses == []


def test_checking_a_listed_cache_that_is_still_true_builds_nothing(lib):
    list(scan_library(lib, MetadataCache(lib)))
    cache = MetadataCache(lib)
    listed = cache.listed()
    assert listed is not None
    stories, failures = listed
    stamps = stories.stamps() | {path: (size, mtime) for path, size, mtime, _ in failures}
    changes = rescan(lib, stamps, cache)
    assert not changes.added and not changes.changed and not changes.removed
    assert not cache.loaded and stories._made.count(None) == len(stories)
    # A file the cache lists is removed: now the cache is read, and forgets it.
    os.unlink(next(path for path in stamps if path.endswith(".txt")))
    assert rescan(lib, stamps, cache).removed and cache.loaded


@pytest.mark.parametrize("cached", [False, True], ids=["plain", "cached"])
def test_rescan_reports_added_changed_removed_and_skipped(lib, count_parses, cached):
    cache = MetadataCache(lib) if cached else None
    seen = snapshot(lib, cache)
    write(lib / "shelf" / "d-new.txt", story_text("Newcomer"))
    write(lib / "a-first.txt", story_text("First, revised"))
    bump_mtime(lib / "b-second.txt")  # same bytes, new mtime: read again
    (lib / "shelf" / "c-third.md").unlink()
    write(lib / "binary.txt", story_text("Mended"))  # a skipped file that now reads
    (lib / "empty.txt").write_bytes(b"\x00 still not text")  # a different failure

    count_parses.clear()
    changes = rescan(lib, seen, cache)
    assert [s.title for s in changes.added] == ["Newcomer"]
    assert [s.title for s in changes.changed] == ["First, revised", "Second", "Mended"]
    assert changes.removed == [str(lib / "shelf" / "c-third.md")]
    assert [Path(s.path).name for s in changes.skipped] == ["empty.txt"]
    assert changes
    assert sorted(count_parses) == sorted(
        str(lib / name)
        for name in ("a-first.txt", "b-second.txt", "binary.txt", "empty.txt", "shelf/d-new.txt")
    )
    added = changes.added[0]
    assert added.fingerprint == fingerprint_file(added.path)

    # `seen` chains: the next rescan starts from this one and finds nothing.
    count_parses.clear()
    assert not rescan(lib, changes.seen, cache)
    assert count_parses == []
    assert changes.seen == snapshot(lib)


def test_rescan_reports_a_story_that_breaks_as_skipped(lib):
    seen = snapshot(lib)
    (lib / "a-first.txt").write_bytes(b"\x00\x01 broken now")
    changes = rescan(lib, seen)
    assert [s.path for s in changes.skipped] == [str(lib / "a-first.txt")]
    assert not changes.added and not changes.changed and not changes.removed


def test_rescan_keeps_the_cache_current(lib, count_parses):
    cache = MetadataCache(lib)
    seen = snapshot(lib, cache)
    write(lib / "z-late.txt", story_text("Late"))
    (lib / "b-second.txt").unlink()
    rescan(lib, seen, cache)
    # A fresh start parses nothing: the rescan stored the new story and forgot the old.
    count_parses.clear()
    titles = sorted(i.title for i in scan_library(lib, MetadataCache(lib)) if isinstance(i, Story))
    assert count_parses == []
    assert titles == ["First", "Late", "Third"]


def test_rescan_of_a_vanished_library_removes_everything(lib, tmp_path):
    seen = snapshot(lib)
    lib.rename(tmp_path / "elsewhere")
    changes = rescan(lib, seen)
    assert sorted(changes.removed) == sorted(p for p in seen)
    assert [s.path for s in changes.skipped] == [str(lib)]


def test_a_scanned_file_is_read_once_and_fingerprinted_from_those_bytes(tmp_path, monkeypatch):
    import builtins

    from tuific.library import read_listing
    from tuific.state import fingerprint

    path = tmp_path / "once.txt"
    data = b"Title: Once\n\n" + b"Read me once. " * 10_000
    path.write_bytes(data)
    opened: list[str] = []
    real_os_open, real_open = os.open, builtins.open

    def counting_os_open(name, *args, **kwargs):
        opened.append(os.fspath(name))
        return real_os_open(name, *args, **kwargs)

    def no_open(name, *args, **kwargs):
        assert os.fspath(name) != str(path), "the file was opened a second time"
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting_os_open)
    monkeypatch.setattr(builtins, "open", no_open)
    story = read_listing(path)
    assert opened.count(str(path)) == 1
    assert story.fingerprint == fingerprint(data)
    assert story.paragraphs is None and story.meta.title == "Once"


def test_fanficfare_sniff_rules_out_a_labelled_header_without_decoding(monkeypatch):
    from tuific.formats import fff_txt

    def no_decode(data):
        raise AssertionError("decoded the head")

    monkeypatch.setattr(fff_txt, "decode_bytes", no_decode)
    assert not fff_txt.sniff(Path("a.txt"), b"Title: Mine\nAuthor: Me\n\nText.")
    assert not fff_txt.sniff(Path("a.txt"), b"\xef\xbb\xbfTitle: Mine\n\nText.")
    monkeypatch.undo()
    assert not fff_txt.sniff(Path("a.txt"), b"\n\n\nTitle\n\nNot by anyone.\n")


def test_a_rescan_gives_way_before_each_file(lib):
    previous: dict = {}
    list(scan_library(lib, seen=previous))
    calls = []
    changes = rescan(lib, previous, give_way=lambda: calls.append(1))
    assert not changes
    assert len(calls) == len(previous)  # once per file, even when nothing changed


@pytest.mark.parametrize("ratio, most_saves", [(0, None), (10**6, 2)])
def test_a_long_scan_checkpoints_the_cache_less_often_when_saves_are_slow(
    tmp_path, monkeypatch, ratio, most_saves
):
    root = tmp_path / "lib"
    for n in range(12):
        write(root / f"s{n:02}.txt", story_text(f"Story {n}"))
    monkeypatch.setattr(library, "CHECKPOINT_SECONDS", 0.0)
    monkeypatch.setattr(library, "CHECKPOINT_SAVE_RATIO", ratio)
    cache = MetadataCache(root, tmp_path / "cache.json")
    saves = []
    real_save = cache.save
    monkeypatch.setattr(cache, "save", lambda: saves.append(1) or real_save())
    assert len(collect(root, cache).stories) == 12
    if most_saves is None:
        assert len(saves) >= 12  # a checkpoint after every file, and the last save
    else:
        # The first checkpoint took some time: the next is that time x ratio away.
        assert len(saves) <= most_saves


def test_the_walk_gives_paths_in_plain_string_order(tmp_path):
    # A folder's files and subfolders interleave as their paths sort (the order the
    # metadata cache keeps its rows in), not all files first: " " < "-" < "." < "/".
    for rel in ["a.txt", "a-b.txt", "a/x.txt", "a/y/z.txt", "a/w.txt", "b.txt", "a b/c.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Title: T\n\nWords.\n", encoding="utf-8")
    paths = [str(path) for path, _info, _reason in walk_story_files(tmp_path)]
    assert paths == sorted(paths)
    assert [p[len(str(tmp_path)) + 1 :] for p in paths] == [
        "a b/c.txt", "a-b.txt", "a.txt", "a/w.txt", "a/x.txt", "a/y/z.txt", "b.txt"
    ]
