"""The metadata cache: warm scans equal fresh parses, changes invalidate, damage rebuilds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tuific.cache as cache_module
import tuific.library as library
from tuific.cache import MetadataCache, cache_file_for
from tuific.library import Skipped, collect, scan_library
from tuific.model import Chapter, Metadata, Story
from tuific.paths import cache_dir
from tuific.state import fingerprint_file
from tuific.text import clean_text

FIXTURES = Path(__file__).parent / "fixtures"

HEADED = """Title: The Salt Road
Author: Tamsin Reed
Fandom: Original Work
Pairing: Ilse/Maren
Rating: T
Tags: travel, rain, slow burn
Summary: Two carters, one wagon,
and a road that will not end.

Chapter 1: The Ford

The river was higher than it had any right to be.

Chapter 2: The Inn

“We stop here,” Maren said, and nobody argued.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    write(root / "salt-road.txt", HEADED)
    write(root / "nested" / "the-quiet-pier.txt", "No header here.\n\nJust a pier, and the sea.\n")
    write(root / "notes.md", "---\ntitle: Marginalia\nauthor: Pell\n---\n\n# One\n\nInk *here*.\n")
    (root / "broken.txt").write_bytes(b"\x00\x01\x02 not text at all")
    for name in ("ao3_current.html", "fanficfare/test1-sid1.txt", "fanficfare/test1-sid2.epub"):
        source = FIXTURES / name
        if source.exists():
            shutil.copy(source, root / source.name)
    return root


def records(items) -> list:
    return [
        ("skipped", item.path, item.reason)
        if isinstance(item, Skipped)
        else (item.record(), item.fingerprint, [(c.title, c.paragraph) for c in item.chapters])
        for item in items
    ]


def scan_records(root: Path, cache: MetadataCache | None) -> list:
    return records(scan_library(root, cache))


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

_meta = st.builds(
    Metadata,
    title=_text,
    authors=_texts,
    recipients=_texts,
    fandoms=_texts,
    relationships=_texts,
    characters=_texts,
    rating=_text,
    rating_original=_maybe_text,
    warnings=_texts,
    categories=_texts,
    tags=_texts,
    summary=_maybe_text,
    notes=_maybe_text,
    words_declared=_maybe_int,
    chapters_total=_maybe_int,
    status=st.sampled_from([None, "complete", "in-progress"]),
    series=_maybe_text,
    series_index=_maybe_int,
    published=_maybe_text,
    updated=_maybe_text,
    language=_maybe_text,
    extra=st.dictionaries(_text, _text, max_size=3),
)


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


def _loaded(root: Path) -> MetadataCache:
    cache = MetadataCache(root)
    cache.load()
    return cache


def test_new_version_or_reader_set_rebuilds(lib, count_parses, monkeypatch):
    list(scan_library(lib, MetadataCache(lib)))
    count_parses.clear()
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
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
    raw = json.loads(cache_file_for(lib).read_text(encoding="utf-8"))
    (entry,) = raw["skipped"]
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

    monkeypatch.setattr(library, "load_story", refuse)
    list(scan_library(lib, MetadataCache(lib)))
    assert len(_loaded(lib)) == 0


# ------------------------------------------------------------- damage


def _garbage(file: Path) -> None:
    file.write_bytes(os.urandom(3000))


def _truncated(file: Path) -> None:
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])


def _empty(file: Path) -> None:
    file.write_bytes(b"")


def _not_utf8(file: Path) -> None:
    file.write_bytes(b'{"signature": "\xff\xfe"}')


def _edit(change, ascii: bool = False):
    def damage(file: Path) -> None:
        document = json.loads(file.read_text(encoding="utf-8"))
        change(document)
        file.write_text(json.dumps(document, ensure_ascii=ascii), encoding="utf-8")

    return damage


def _title_at(document, value) -> None:
    for entry in document["stories"]:
        entry[7] = value  # the first Metadata field: title


def _each(index, value):
    """Set item `index` of every story entry to `value`."""
    return _edit(lambda d: [entry.__setitem__(index, value) for entry in d["stories"]])


def _set(key, value):
    return lambda document: document.__setitem__(key, value)


DAMAGE = {
    "garbage": _garbage,
    "truncated": _truncated,
    "empty": _empty,
    "not utf-8": _not_utf8,
    "a list, not an object": lambda f: f.write_text("[1, 2, 3]"),
    "deep nesting": lambda f: f.write_text("[" * 100_000 + "]" * 100_000),
    "wrong version": _edit(_set("signature", "0|0.0.1|x|y")),
    "no signature": _edit(lambda d: d.pop("signature")),
    "stories not a list": _edit(_set("stories", {"a": 1})),
    "skipped wrong shape": _edit(_set("skipped", [["x", 1, "two", "why"]])),
    "entry not a list": _edit(lambda d: d["stories"].append("nope")),
    "size a string": _each(1, "12"),
    "title a number": _edit(lambda d: _title_at(d, 5)),
    "title a list": _edit(lambda d: _title_at(d, ["a"])),
    "author a number": _each(8, [1]),
    "words negative": _each(4, -3),
    "words a float": _each(4, 1.5),
    "chapters not pairs": _each(6, [["a"]]),
    "chapter title a number": _each(6, [[1, 0]]),
    "chapter index negative": _each(6, [["a", -1]]),
    "entry too short": _edit(lambda d: [e.pop() for e in d["stories"]]),
    "extra values not str": _each(-1, {"k": 1}),
    "status unknown": _each(7 + 15, "abandoned"),
    "escape in a title": _edit(lambda d: _title_at(d, "\x1b[2Jgotcha")),
    "bidi override in a title": _edit(lambda d: _title_at(d, "abc\u202edef"), ascii=True),
    "C1 control in a title": _edit(lambda d: _title_at(d, "abc\x9bdef"), ascii=True),
    "raw C1 control in a title": _edit(lambda d: _title_at(d, "abc\x9bdef")),
    "raw bidi override in a title": _edit(lambda d: _title_at(d, "a\u2066b")),
    "escaped carriage return": _edit(lambda d: _title_at(d, "a\rb")),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_cache_is_rebuilt_silently(lib, damage, count_parses):
    fresh = scan_records(lib, None)
    list(scan_library(lib, MetadataCache(lib)))
    damage(cache_file_for(lib))

    count_parses.clear()
    assert scan_records(lib, MetadataCache(lib)) == fresh
    assert count_parses  # something had to be read again
    # ... and the rebuilt file is good: the next start parses nothing.
    count_parses.clear()
    assert scan_records(lib, MetadataCache(lib)) == fresh
    assert count_parses == []


def test_status_index_in_damage_table_is_status():
    from dataclasses import fields

    assert fields(Metadata)[15].name == "status"


@pytest.mark.parametrize("kind", ["directory", "fifo", "symlink to nowhere"])
def test_something_odd_at_the_cache_path_is_ignored(lib, kind):
    file = cache_file_for(lib)
    file.parent.mkdir(parents=True, exist_ok=True)
    if kind == "directory":
        file.mkdir()
    elif kind == "fifo":
        os.mkfifo(file)  # opening it for reading must not block the start
    else:
        file.symlink_to(file.parent / "missing")
    assert scan_records(lib, MetadataCache(lib)) == scan_records(lib, None)


def test_an_unwritable_cache_folder_never_fails_the_scan(lib, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TUIFIC_CACHE_DIR", str(blocker / "cache"))
    cache = MetadataCache(lib)
    assert scan_records(lib, cache) == scan_records(lib, None)
    assert cache.save() is False


def test_genuine_backslashes_and_quotes_are_not_mistaken_for_tampering(tmp_path, count_parses):
    root = tmp_path / "lib"
    write(root / "paths.txt", 'Title: C:\\users\\bfr and \\\\u "quoted"\n\nAbout folders.\n')
    fresh = scan_records(root, None)
    list(scan_library(root, MetadataCache(root)))
    count_parses.clear()
    assert scan_records(root, MetadataCache(root)) == fresh
    assert count_parses == []


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
    monkeypatch.setattr(cache_module.os, "replace", failing_replace)
    assert cache.save() is False
    ((src, dst),) = replaced
    assert dst == file and src.parent == file.parent and src != file
    assert file.read_bytes() == good  # the old cache is untouched
    assert sorted(p.name for p in file.parent.iterdir()) == [file.name]  # no temp left

    monkeypatch.setattr(cache_module.os, "replace", real_replace)
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


# --------------------------------------------------------------- the tamper check

# Everything clean_text removes that can stand raw in our JSON, and their neighbours
# in UTF-8 that it keeps (same lead bytes: … is E2 80 A6, Â is C3 82, NBSP is C2 A0).
_FORBIDDEN_RAW = [
    "\x7f",
    "\x80",
    "\x85",
    "\x9b",
    "\x9f",
    "\u202a",
    "\u202c",
    "\u202e",
    "\u2066",
    "\u2069",
]
_ALLOWED_RAW = [
    "~",
    "\xa0",
    "\xc2",
    "\u2026",
    "\u2029",
    "\u202f",
    "\u2065",
    "\u206a",
    "\u2019",
    "é",
]
_PLACES = {"start": "{}abc", "middle": "ab{}c", "end": "abc{}"}


def _reference_unclean(text: str) -> bool:
    """The check's meaning, spelt out: a removed character, or a backslash that starts
    an escape (reading escapes left to right, as json does) followed by u, b, f or r."""
    if any(ch in text for ch in _FORBIDDEN_RAW) or any(
        "\x80" <= ch <= "\x9f" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
        for ch in text
    ):
        return True
    at = 0
    while (at := text.find("\\", at)) != -1:
        if text[at + 1 : at + 2] in ("u", "b", "f", "r"):
            return True
        at += 2  # skip the escaped character, a backslash included
    return False


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("char", _FORBIDDEN_RAW)
def test_unclean_finds_each_removed_character_anywhere(char, place):
    assert cache_module._unclean(_PLACES[place].format(char).encode())


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("char", _ALLOWED_RAW)
def test_unclean_keeps_their_utf8_neighbours(char, place):
    assert not cache_module._unclean(_PLACES[place].format(char).encode())


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("letter", "ubfr")
def test_unclean_finds_each_forbidden_escape_anywhere(letter, place):
    assert cache_module._unclean(_PLACES[place].format("\\" + letter).encode())
    # After an escaped backslash, a third one starts an escape again.
    assert cache_module._unclean(_PLACES[place].format("\\\\\\" + letter).encode())


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize(
    "escape",
    [
        "\\\\u",
        "\\\\b",
        "\\\\f",
        "\\\\r",
        "\\\\\\\\u",
        "\\n",
        "\\t",
        '\\"',
        "\\/",
        "\\\\",
        "\\n\\\\r",
    ],
)
def test_unclean_allows_escaped_backslashes_and_other_escapes(escape, place):
    assert not cache_module._unclean(_PLACES[place].format(escape).encode())


@given(st.text(alphabet='\\ubfrn"a/é…’\x7f\x85\xa0\u202e\u2066\u2026', max_size=16))
@settings(max_examples=500)
def test_unclean_agrees_with_its_meaning(text):
    assert cache_module._unclean(text.encode()) == _reference_unclean(text)
