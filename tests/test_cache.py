"""The metadata cache: warm scans equal fresh parses, changes invalidate, parse
failures are kept, and saves are atomic and only when something changed."""

from __future__ import annotations

import os
from pathlib import Path

from cachefiles import _loaded, read_cache, scan_records
from cachelib import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import metadata

import tuific.cache.layout as cache_layout
import tuific.cache.store as cache_store
import tuific.library as library
from tuific.cache import MetadataCache, cache_file_for
from tuific.library import Skipped, collect, scan_library
from tuific.model import Chapter, Story
from tuific.paths import cache_dir
from tuific.state import fingerprint_file
from tuific.text import clean_text


def bump_mtime(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


# ------------------------------------------------------------- round trip


def test_warm_scan_equals_a_fresh_parse_and_parses_nothing(lib, count_parses):
    fresh = scan_records(lib, None)
    assert any(kind != "skipped" for kind, *_ in fresh)
    count_parses.clear()
    cold = scan_records(lib, MetadataCache(lib))
    assert cold == fresh
    assert len(count_parses) == len(fresh)
    assert cache_file_for(lib).exists()

    count_parses.clear()
    warm = scan_records(lib, MetadataCache(lib))
    assert warm == fresh
    assert count_parses == []


def test_cached_stories_have_fingerprints_and_no_paragraphs(lib):
    list(scan_library(lib, MetadataCache(lib)))
    for item in scan_library(lib, MetadataCache(lib)):
        if isinstance(item, Story):
            assert item.paragraphs is None
            assert item.fingerprint == fingerprint_file(item.path)


def test_cache_file_lives_in_cache_dir_one_per_library(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert cache_file_for(one).parent == cache_dir()
    assert cache_file_for(one) != cache_file_for(two)
    # Named by the resolved path: another spelling of the same folder shares it.
    assert cache_file_for(tmp_path / "x" / ".." / "one") == cache_file_for(one)


def test_cache_file_is_private(lib):
    list(scan_library(lib, MetadataCache(lib)))
    file = cache_file_for(lib)
    assert file.stat().st_mode & 0o077 == 0
    assert file.parent.stat().st_mode & 0o077 == 0  # the folder tuific made


_text = st.one_of(
    st.text(alphabet=st.sampled_from('ab \\u"\n\t’é/…bfr'), max_size=12),
    st.text(max_size=20),
).map(clean_text)
_maybe_text = st.none() | _text
_maybe_int = st.none() | st.integers(min_value=0, max_value=10**9)
_texts = st.lists(_text, max_size=4)

_meta = metadata(_text, _texts, _maybe_text, _maybe_int)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    meta=_meta,
    fmt=st.sampled_from(["text", "markdown", "ao3-html"]),
    words=st.integers(min_value=0, max_value=10**7),
    chapters=st.lists(st.builds(Chapter, _text, st.integers(0, 10**6)), max_size=5),
    fingerprint=st.none() | st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
)
def test_any_story_record_survives_save_and_load(tmp_path, meta, fmt, words, chapters, fingerprint):
    path = str(tmp_path / "lib" / "a story.txt")
    story = Story(path, fmt, meta, words, chapters, None, fingerprint)
    cache = MetadataCache(tmp_path / "lib", tmp_path / "c.json")
    cache.store(path, 120, 77, story)
    assert cache.save()
    again = MetadataCache(tmp_path / "lib", tmp_path / "c.json")
    back = again.lookup(path, 120, 77)
    assert isinstance(back, Story)
    assert back.record() == story.record()
    assert back.chapters == story.chapters
    assert back.fingerprint == fingerprint


# ------------------------------------------------------------ invalidation


def test_changed_size_or_mtime_is_parsed_again_unchanged_is_not(lib, count_parses):
    list(scan_library(lib, MetadataCache(lib)))
    salt, pier = lib / "salt-road.txt", lib / "nested" / "the-quiet-pier.txt"
    with salt.open("a", encoding="utf-8") as handle:
        handle.write("\nThey reached the coast at dusk.\n")
    bump_mtime(pier)  # same size, new mtime

    count_parses.clear()
    items = {item.path: item for item in scan_library(lib, MetadataCache(lib))}
    assert sorted(count_parses) == sorted([str(salt), str(pier)])
    assert "coast" not in items[str(salt)].record()["title"]
    assert items[str(salt)].words == library.read_listing(salt).words
    assert items[str(salt)].fingerprint == fingerprint_file(salt)

    count_parses.clear()
    list(scan_library(lib, MetadataCache(lib)))
    assert count_parses == []


def test_removed_files_leave_the_cache(lib):
    list(scan_library(lib, MetadataCache(lib)))
    before = len(_loaded(lib))
    (lib / "salt-road.txt").unlink()
    (lib / "broken.txt").unlink()
    paths = [item.path for item in scan_library(lib, MetadataCache(lib))]
    assert str(lib / "salt-road.txt") not in paths
    after = _loaded(lib)
    assert len(after) == before - 2
    assert after.lookup(str(lib / "salt-road.txt"), 1, 1) is None
    assert "salt-road" not in cache_file_for(lib).read_text(encoding="utf-8")


def test_new_version_or_reader_set_rebuilds(lib, count_parses, monkeypatch):
    list(scan_library(lib, MetadataCache(lib)))
    count_parses.clear()
    monkeypatch.setattr(cache_layout, "__version__", "99.0.0")
    list(scan_library(lib, MetadataCache(lib)))
    assert len(count_parses) > 0
    count_parses.clear()
    list(scan_library(lib, MetadataCache(lib)))
    assert count_parses == []


# --------------------------------------------------------------- skipped


def test_parse_failures_are_cached_with_their_reason(lib, count_parses):
    first = [i for i in scan_library(lib, MetadataCache(lib)) if isinstance(i, Skipped)]
    assert [s.path for s in first] == [str(lib / "broken.txt")]
    count_parses.clear()
    second = [i for i in scan_library(lib, MetadataCache(lib)) if isinstance(i, Skipped)]
    assert second == first
    assert count_parses == []
    header, _ = read_cache(cache_file_for(lib))
    (entry,) = header["skipped"]
    info = (lib / "broken.txt").stat()
    assert entry == ["broken.txt", info.st_size, info.st_mtime_ns, first[0].reason]


def test_a_fixed_broken_file_is_read_again(lib):
    list(scan_library(lib, MetadataCache(lib)))
    write(lib / "broken.txt", "Title: Mended\n\nIt reads now.\n")
    items = {i.path: i for i in scan_library(lib, MetadataCache(lib))}
    assert items[str(lib / "broken.txt")].title == "Mended"


def test_read_errors_are_not_cached(lib, monkeypatch):
    """Cannot open/read may be fixed without touching mtime (chmod): try next time."""
    from tuific.formats import StoryError

    def refuse(path, **kwargs):
        try:
            raise PermissionError(13, "Permission denied")
        except OSError as error:
            raise StoryError("cannot open: Permission denied") from error

    monkeypatch.setattr(library, "read_file_bytes", refuse)
    list(scan_library(lib, MetadataCache(lib)))
    assert len(_loaded(lib)) == 0


# --------------------------------------------------------------- writing


def test_save_is_atomic_temp_then_replace(lib, monkeypatch):
    list(scan_library(lib, MetadataCache(lib)))
    file = cache_file_for(lib)
    good = file.read_bytes()
    replaced = []
    real_replace = os.replace

    def failing_replace(src, dst):
        replaced.append((Path(src), Path(dst)))
        raise OSError(28, "No space left on device")

    cache = _loaded(lib)
    cache.dirty = True
    monkeypatch.setattr(cache_store.os, "replace", failing_replace)
    assert cache.save() is False
    ((src, dst),) = replaced
    assert dst == file and src.parent == file.parent and src != file
    assert file.read_bytes() == good  # the old cache is untouched
    assert sorted(p.name for p in file.parent.iterdir()) == [file.name]  # no temp left

    monkeypatch.setattr(cache_store.os, "replace", real_replace)
    assert cache.save() is True
    assert sorted(p.name for p in file.parent.iterdir()) == [file.name]


def test_nothing_is_written_when_nothing_changed(lib):
    list(scan_library(lib, MetadataCache(lib)))
    file = cache_file_for(lib)
    before = file.stat().st_mtime_ns, file.stat().st_ino
    list(scan_library(lib, MetadataCache(lib)))
    assert (file.stat().st_mtime_ns, file.stat().st_ino) == before


def test_stopping_a_scan_half_way_keeps_what_was_parsed(lib, count_parses):
    scan = scan_library(lib, MetadataCache(lib))
    first, second = next(scan), next(scan)
    scan.close()
    count_parses.clear()
    list(scan_library(lib, MetadataCache(lib)))
    assert first.path not in count_parses and second.path not in count_parses
    assert count_parses  # the rest still needed reading


def test_collect_accepts_a_cache(lib, count_parses):
    fresh = collect(lib)
    collect(lib, MetadataCache(lib))
    count_parses.clear()
    warm = collect(lib, MetadataCache(lib))
    assert count_parses == []
    assert [s.record() for s in warm.stories] == [s.record() for s in fresh.stories]
    assert warm.skipped == fresh.skipped
