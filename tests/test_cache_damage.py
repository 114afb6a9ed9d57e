"""A damaged or tampered metadata cache file: rebuilt silently, whatever the
damage, and the check that finds text the cache never writes."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from cachefiles import _loaded, b64, ints, join_file, read_cache, scan_records
from cachelib import write
from hypothesis import given, settings
from hypothesis import strategies as st

import tuific.cache as cache_module
from tuific.cache import MetadataCache, cache_file_for
from tuific.library import collect, scan_library

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
