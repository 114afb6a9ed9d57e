"""The metadata cache: warm scans equal fresh parses, changes invalidate, damage rebuilds."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest
from cachefiles import b64, ints, join_file, split_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import metadata

import tuific.cache as cache_module
import tuific.cache.layout as cache_layout
import tuific.cache.store as cache_store
import tuific.library as library
from tuific.cache import MetadataCache, cache_file_for
from tuific.library import Skipped, collect, scan_library
from tuific.model import Chapter, Story
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


def _loaded(root: Path) -> MetadataCache:
    cache = MetadataCache(root)
    cache.load()
    return cache


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


def read_cache(file: Path) -> tuple[dict, dict[str, bytes]]:
    """A format-2 cache file: its JSON header and its text columns' bytes by name.
    The head line (format 5) is kept as the header's "_head", as it is."""
    header, head_line, section = split_file(file.read_bytes())
    header["_head"] = head_line
    texts, at = {}, 0
    for name, size in header["texts"]:
        texts[name] = section[at : at + size]
        at += size
    assert at == len(section)
    return header, texts


def write_cache(file: Path, header: dict, texts: dict, ascii: bool = False) -> None:
    """Write a header and text columns (str or bytes), with a layout that fits them."""
    encoded = {
        name: text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        for name, text in texts.items()
    }
    header = dict(header, texts=[[name, len(data)] for name, data in encoded.items()])
    head_line = header.pop("_head", b"{}")
    file.write_bytes(join_file(header, head_line, b"".join(encoded.values()), ascii))


def _edit(change, ascii: bool = False):
    """Damage by change(header, texts), texts as str; the layout is kept consistent."""

    def damage(file: Path) -> None:
        header, raw = read_cache(file)
        texts = {name: data.decode("utf-8") for name, data in raw.items()}
        change(header, texts)
        write_cache(file, header, texts, ascii)

    return damage


def _raw(change):
    """Damage the file's bytes by change(data) -> data."""
    return lambda file: file.write_bytes(change(file.read_bytes()))


def _layout(change):
    """Replace the header's layout of the text section, leaving the text alone."""

    def damage(file: Path) -> None:
        data = file.read_bytes()
        end = data.index(b"\n")
        header = json.loads(data[:end])
        header["texts"] = change(header["texts"])
        file.write_bytes(json.dumps(header).encode() + data[end:])

    return damage


def _bytes(name, change):
    """Change one text column's bytes, with a layout that fits."""

    def damage(file: Path) -> None:
        header, texts = read_cache(file)
        texts[name] = change(texts[name])
        write_cache(file, header, texts)

    return damage


def _set(key, value):
    return _edit(lambda h, t: h.__setitem__(key, value))


def _numbers(name, change):
    """Replace a number column's values by change(values), stored as format 4 does."""
    return _edit(lambda h, t: h["numbers"].__setitem__(name, b64(change(ints(h["numbers"][name])))))


def _number(name, value):
    """Set every value of a number column."""
    return _numbers(name, lambda values: [value] * len(values))


def _stored(name, change):
    """Replace a number column's stored form (base64 text) by change(text)."""
    return _edit(lambda h, t: h["numbers"].__setitem__(name, change(h["numbers"][name])))


def _first(name, value):
    """Set the first story's value in a text column."""

    def change(header, texts):
        values = texts[name].split("\x01")
        values[0] = value
        texts[name] = "\x01".join(values)

    return _edit(change)


def _title_at(value, ascii=False):
    return _edit(lambda h, t: t.__setitem__("meta.title", value + t["meta.title"]), ascii)


def _reason(value):
    def change(header, texts):
        header["skipped"][0][3] = value

    return change


DAMAGE = {
    "garbage": _garbage,
    "truncated": _truncated,
    "empty": _empty,
    "not utf-8": _not_utf8,
    "a list, not an object": lambda f: f.write_text("[1, 2, 3]\n"),
    "deep nesting": lambda f: f.write_text("[" * 100_000 + "]" * 100_000 + "\n"),
    "no header line": _raw(lambda d: d.replace(b"\n", b" ", 1)),
    "wrong version": _set("signature", "0|0.0.1|x|y"),
    "no signature": _edit(lambda h, t: h.pop("signature")),
    "count too high": _edit(lambda h, t: h.__setitem__("count", h["count"] + 1)),
    "count a string": _edit(lambda h, t: h.__setitem__("count", str(h["count"]))),
    "count negative": _set("count", -1),
    "count beyond the file's size": _set("count", 20_000_000),
    "layout not a list": _layout(lambda layout: {"rel": 3}),
    "layout longer than the text": _layout(lambda layout: [*layout[:-1], [layout[-1][0], 10**6]]),
    "layout shorter than the text": _layout(lambda layout: [*layout[:-1], [layout[-1][0], 0]]),
    "a layout size negative": _layout(lambda layout: [[layout[0][0], -1], *layout[1:]]),
    "text after the last column": _raw(lambda d: d + b"x"),
    "a column cut short": _raw(lambda d: d[:-1]),
    "invalid utf-8 in a column": _bytes("meta.title", lambda b: b + b"\xff"),
    "a column cut inside a character": _bytes("meta.title", lambda b: b + "é".encode()[:1]),
    "a column missing": _edit(lambda h, t: t.pop("meta.title")),
    "numbers not an object": _set("numbers", []),
    "masks missing": _edit(lambda h, t: h.pop("masks")),
    "a number column missing": _edit(lambda h, t: h["numbers"].pop("size")),
    "skipped wrong shape": _set("skipped", [["x", 1, "two", "why"]]),
    "size a JSON array, as format 3 wrote": _stored("size", ints),
    "size a number": _stored("size", lambda text: 12),
    "size a bool": _stored("size", lambda text: True),
    "size null": _stored("size", lambda text: None),
    "size not base64": _stored("size", lambda text: "not base64!" + text),
    "size base64 with a line break": _stored("size", lambda text: text[:4] + "\n" + text[4:]),
    "size base64 with a space": _stored("size", lambda text: text[:4] + " " + text[4:]),
    "size base64 not ascii": _stored("size", lambda text: text[:4] + "é" + text[4:]),
    "size base64 cut inside a group": _stored("size", lambda text: text[:-1]),
    "size base64 padded in the middle": _stored(
        "size", lambda text: b64(ints(text)[:1]) + b64(ints(text)[1:])
    ),
    "size a byte short": _stored(
        "size", lambda text: base64.b64encode(base64.b64decode(text)[:-1]).decode()
    ),
    "size a byte over": _stored(
        "size", lambda text: base64.b64encode(base64.b64decode(text) + b"\0").decode()
    ),
    "size a value too many": _numbers("size", lambda values: [*values, 1]),
    "size a value too few": _numbers("size", lambda values: values[1:]),
    "size negative": _number("size", -1),
    "words negative": _number("words", -3),
    "words the lowest int64": _number("words", -(2**63)),
    "words of another story negative": _numbers("words", lambda values: [*values[:-1], -1]),
    "mtime_ns the None of an optional column": _number("mtime_ns", -(2**63)),
    "words_declared a string": _stored("meta.words_declared", lambda text: "many"),
    "words_declared a JSON array": _stored("meta.words_declared", lambda text: [None, 1]),
    "series_index a value too many": _numbers("meta.series_index", lambda values: [*values, 1]),
    "chapter index negative": _number("chapter_paragraphs", -1),
    "a chapter index too many": _numbers("chapter_paragraphs", lambda values: [*values, 0]),
    "a chapter index too few": _numbers("chapter_paragraphs", lambda values: values[1:]),
    "a story too many in a column": _edit(
        lambda h, t: t.__setitem__("meta.title", t["meta.title"] + "\x01extra")
    ),
    "a story too few in a column": _edit(
        lambda h, t: t.__setitem__("meta.authors", t["meta.authors"].split("\x01", 1)[1])
    ),
    "item separator in a title": _first("meta.title", "a\x00b"),
    "item separator in a path": _first("rel", "a\x00b"),
    "a path twice": _edit(
        lambda h, t: t.__setitem__("rel", "\x01".join(["same.txt"] * h["count"]))
    ),
    "status unknown": _first("meta.status", "abandoned"),
    "mask too short": _edit(lambda h, t: h["masks"].__setitem__("meta.summary", "0")),
    "mask not 0 or 1": _edit(lambda h, t: h["masks"].__setitem__("meta.summary", "2" * h["count"])),
    "lone_empty out of range": _edit(lambda h, t: h["lone_empty"].__setitem__("meta.tags", [99])),
    "title order repeats a story": _number("title_order", 0),
    "title order past the end": _numbers("title_order", lambda order: [i + 1 for i in order]),
    "title order negative": _numbers("title_order", lambda order: [-1, *order[1:]]),
    "title order the None of an optional column": _numbers(
        "title_order", lambda order: [-(2**63), *order[1:]]
    ),
    "lone_empty on a list with items": _edit(
        lambda h, t: h["lone_empty"].__setitem__(
            "meta.tags", [t["meta.tags"].split("\x01").index(max(t["meta.tags"].split("\x01")))]
        )
    ),
    "lone_empty not a list": _edit(lambda h, t: h["lone_empty"].__setitem__("meta.tags", 0)),
    "extra keys without values": _first("meta.extra.keys", "k"),
    "escape in a title": _title_at("\x1b[2Jgotcha"),
    "carriage return in a title": _title_at("a\rb"),
    "DEL in a title": _title_at("a\x7fb"),
    "raw C1 control in a title": _title_at("abc\x9bdef"),
    "raw bidi override in a title": _title_at("a\u2066b"),
    "escape in a skipped reason": _edit(_reason("\x1b[2J")),
    "C1 control in a skipped reason": _edit(_reason("abc\x9bdef"), ascii=True),
    "bidi override in a skipped reason": _edit(_reason("abc\u202edef"), ascii=True),
    "escaped carriage return in a skipped reason": _edit(_reason("a\rb")),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_cache_is_rebuilt_silently(lib, damage, count_parses):
    fresh = scan_records(lib, None)
    list(scan_library(lib, MetadataCache(lib)))
    damage(cache_file_for(lib))
    damaged = _loaded(lib)
    assert len(damaged) == 0  # ignored whole

    count_parses.clear()
    assert scan_records(lib, MetadataCache(lib)) == fresh
    assert count_parses  # something had to be read again
    # ... and the rebuilt file is good: the next start parses nothing.
    count_parses.clear()
    assert scan_records(lib, MetadataCache(lib)) == fresh
    assert count_parses == []


def test_a_value_the_mask_marks_none_reads_as_none(lib):
    # The mask wins (checking each such value is empty would cost a split of the
    # column on every start); nothing here can carry what cleaned text cannot.
    list(scan_library(lib, MetadataCache(lib)))

    def no_summaries(header: dict, texts: dict) -> None:
        header["masks"]["meta.summary"] = "1" * header["count"]
        head = json.loads(header["_head"])  # the first screen says so too (format 5)
        for row in head.values():
            row["meta.summary"] = None
        header["_head"] = json.dumps(head, ensure_ascii=False).encode()

    _edit(no_summaries)(cache_file_for(lib))
    loaded = _loaded(lib)
    assert len(loaded) > 0  # not rebuilt
    listed = MetadataCache(lib).listed()
    assert listed is not None
    assert set(listed[0].values("summary")) == {None}
    assert {listed[0].story(i).meta.summary for i in range(len(listed[0]))} == {None}


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


def test_a_count_beyond_the_file_s_size_is_refused_before_anything_is_made(lib):
    """A hostile header could claim a billion stories: refused before the per-story
    list is allocated (which would take the memory first and the file only after)."""
    import tracemalloc

    list(scan_library(lib, MetadataCache(lib)))
    _set("count", 20_000_000)(cache_file_for(lib))
    tracemalloc.start()
    try:
        assert MetadataCache(lib).listed() is None
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # a list of 20 million slots alone is 160 MB


def test_a_save_removes_the_temp_file_a_killed_save_left(tmp_path):
    import subprocess
    import sys

    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text("Title: A\n\nText.\n", encoding="utf-8")
    cache_file = tmp_path / "cache" / "library.json"
    cache_file.parent.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # As write_atomic names them, by a process that no longer runs (killed mid-save).
    left = cache_file.parent / f".{cache_file.name}.{gone}-abcd.tmp"
    left.write_bytes(b"x" * 1000)
    cache = MetadataCache(root, cache_file)
    collect(root, cache)
    assert cache_file.exists() and not left.exists()
    assert [p.name for p in cache_file.parent.iterdir()] == [cache_file.name]
