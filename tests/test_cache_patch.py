"""A few changed entries written into a verified cache file without building every
story (tuific.cache.patch): the file must be byte for byte what building them all
writes, whatever the changes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tuific.cache import MetadataCache
from tuific.model import Chapter, Metadata, Story


def _story(root: Path, rel: str, n: int) -> Story:
    """A story whose every kind of field varies with n (None, empty, [""], non-ASCII)."""
    meta = Metadata(
        title=["Harbour", "Élan", "", "Zephyr wick", "a"][n % 5] + f" {n // 5}",
        authors=[[], ["Pell"], ["Ann", "Bo"], [""]][n % 4],
        fandoms=["Original Work"] if n % 3 else [],
        characters=["Maren", "Ilse"][: n % 3],
        tags=[f"tag{n}", "fluff"] if n % 2 else [],
        summary=None if n % 4 == 0 else f"Summary {n} — ça va",
        words_declared=None if n % 3 else n * 100,
        chapters_total=n % 7 or None,
        status=[None, "complete", "in-progress"][n % 3],  # type: ignore[arg-type]
        series=None if n % 5 else "Saga",
        series_index=None if n % 5 else n,
        extra={"Source": f"s{n}"} if n % 6 == 0 else {},
    )
    chapters = [Chapter(f"Chapter {i}" if i else "", i * 3) for i in range(n % 4)]
    fingerprint = None if n % 7 == 3 else f"fp{n:04d}"
    return Story(str(root / rel), "plain", meta, 100 + n, chapters, None, fingerprint)


def _base(tmp_path: Path, count: int = 30) -> tuple[Path, Path]:
    root, file = tmp_path / "lib", tmp_path / "cache" / "lib.json"
    cache = MetadataCache(root, file)
    for n in range(count):
        rel = f"f{n * 2:03d}.txt"
        cache.store(str(root / rel), 1000 + n, 10**18 + n, _story(root, rel, n))
    cache.store_failure(str(root / "broken.txt"), 5, 6, "not a story")
    assert cache.save()
    return root, file


def _pair(root: Path, file: Path) -> tuple[MetadataCache, MetadataCache]:
    """The cache as a rescan meets it (listed and checked), and one built whole."""
    patched, whole = MetadataCache(root, file), MetadataCache(root, file)
    assert patched.listed() is not None
    whole.load()
    return patched, whole


def _same_file(patched: MetadataCache, whole: MetadataCache) -> bytes:
    assert patched._base is not None and whole._base is None  # two different ways
    data = patched._encode()
    assert patched._base is not None  # patched, not built whole after all
    assert data is not None and data == whole._encode()
    assert len(patched) == len(whole)
    return data


def _changes(root: Path, seed: int, count: int):
    """`count` random changes, each applied to a cache by the returned function."""
    rng = random.Random(seed)
    ops = []
    for k in range(count):
        kind = rng.choice(["change", "add", "forget", "fail", "unfail"])
        rel = f"f{rng.randrange(70):03d}.txt"
        ops.append((kind, rel, rng.randrange(1000), k))

    def apply(cache: MetadataCache) -> None:
        for kind, rel, n, k in ops:
            path = str(root / rel)
            if kind in ("change", "add", "unfail"):
                if kind == "unfail":
                    path = str(root / "broken.txt")
                cache.store(path, 2000 + n, 2 * 10**18 + k, _story(root, rel, n))
            elif kind == "forget":
                cache.forget(path)
            else:
                cache.store_failure(path, 7, 8 + k, f"bad {n}")

    return apply


def _change_a_few(root: Path, patched: MetadataCache) -> None:
    path = str(root / "f002.txt")
    assert patched.lookup(path, 1001, 10**18 + 1).meta.title == "Élan 0"  # type: ignore[union-attr]
    assert patched.lookup(path, 1001, 5) is None  # changed on disk
    patched.store(path, 1001, 5, _story(root, "f002.txt", 501))
    patched.forget(str(root / "f006.txt"))
    kept = {str(root / f"f{n * 2:03d}.txt") for n in range(30) if n != 4}
    kept.add(str(root / "broken.txt"))
    patched.retain(kept)  # f008.txt gone
    assert patched.save()


@pytest.mark.parametrize("seed", range(12))
def test_random_changes_write_the_file_building_every_story_would(tmp_path, seed):
    root, file = _base(tmp_path)
    apply = _changes(root, seed, 1 + seed % 6)
    patched, whole = _pair(root, file)
    apply(patched)
    apply(whole)
    _same_file(patched, whole)


@pytest.mark.parametrize("rel", ["a-first.txt", "f011.txt", "z-last.txt", "f010.txt"])
def test_a_story_added_or_changed_anywhere(tmp_path, rel):
    root, file = _base(tmp_path)
    patched, whole = _pair(root, file)
    for cache in (patched, whole):
        cache.store(str(root / rel), 1, 2, _story(root, rel, 999))
    data = _same_file(patched, whole)
    assert patched.save()
    assert file.read_bytes() == data
    again = MetadataCache(root, file)
    listed = again.listed()
    assert listed is not None
    stories = listed[0]
    index = stories.values("path").index(str(root / rel))
    assert stories.story(index).meta == _story(root, rel, 999).meta


def test_a_change_builds_no_story_but_its_own(tmp_path):
    root, file = _base(tmp_path)
    patched = MetadataCache(root, file)
    listed = patched.listed()
    assert listed is not None
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(type(listed[0]), "stories", lambda self: pytest.fail("built all"))
        _change_a_few(root, patched)
    reread = MetadataCache(root, file)
    reread.load()
    assert len(reread) == 29  # 30 stories, one forgotten, one gone, and the failure
    assert reread.lookup(str(root / "f008.txt"), 1004, 10**18 + 4) is None
    path = str(root / "f002.txt")
    assert reread.lookup(path, 1001, 5).meta.title == "Élan 100"  # type: ignore[union-attr]
    assert reread.lookup(str(root / "broken.txt"), 5, 6) == "not a story"


def test_many_changes_build_every_story_and_write_the_same(tmp_path):
    root, file = _base(tmp_path, count=8)
    patched, whole = _pair(root, file)
    for cache in (patched, whole):
        for n in range(5):  # more than PATCH_SHARE of the stories
            rel = f"f{n * 2:03d}.txt"
            cache.store(str(root / rel), 3, 4, _story(root, rel, n + 50))
    data = patched._encode()
    assert data == whole._encode()
    assert patched._base is None  # built, with the changes in it


def test_every_story_gone_leaves_only_the_failures(tmp_path):
    root, file = _base(tmp_path, count=3)
    patched, whole = _pair(root, file)
    for cache in (patched, whole):
        cache.retain({str(root / "broken.txt")})
    assert patched._encode() == whole._encode()


def test_a_rescan_of_a_listed_cache_writes_its_change_without_building_all(tmp_path):
    from tuific.cache import cache_file_for
    from tuific.library import rescan, scan_library

    root = tmp_path / "lib"
    root.mkdir()
    for n in range(12):
        (root / f"s{n:02d}.txt").write_text(f"Title: Story {n}\nAuthor: A{n}\n\nText {n}.", "utf-8")
    list(scan_library(root, MetadataCache(root)))
    cache = MetadataCache(root)
    listed = cache.listed()
    assert listed is not None
    previous = listed[0].stamps()
    (root / "s03.txt").write_text("Title: Story 3, updated\nAuthor: A3\n\nMore text.", "utf-8")
    (root / "s07.txt").unlink()
    (root / "s99.txt").write_text("Title: New\nAuthor: B\n\nNew text.", "utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(type(listed[0]), "stories", lambda self: pytest.fail("built all"))
        changes = rescan(root, previous, cache)
    assert [s.meta.title for s in changes.changed] == ["Story 3, updated"]
    assert [s.meta.title for s in changes.added] == ["New"]
    assert changes.removed == [str(root / "s07.txt")]
    assert cache._base is not None and not cache.dirty  # patched and saved
    patched = cache_file_for(root).read_bytes()
    cache_file_for(root).unlink()
    list(scan_library(root, MetadataCache(root)))  # every file parsed again
    assert cache_file_for(root).read_bytes() == patched
