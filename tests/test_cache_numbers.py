"""Cache format 4: number columns as base64 of little-endian int64s, -2**63 for None.

Exact round trips to the int64 limits, entries the file cannot hold left out (never a
crash, never a file the load refuses), and every malformed column ignoring the file
whole. The file is read here with struct, not with cache.py, so the format is pinned.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cachefiles import b64, header_of, ints, one_story_cache, rewrite_head, rewrite_header

import tuific.cache as cache_module
from tuific.cache import MetadataCache
from tuific.library import scan_library
from tuific.model import Chapter, Metadata, Stories, Story

NONE = -(2**63)  # what the file holds for None
MAX = 2**63 - 1


# Per story: size, mtime_ns, words, chapter paragraphs, words_declared, chapters_total,
# series_index. chapters_total is None throughout (the all-None fast path),
# words_declared never None (the no-None path), series_index now and then (the mixed).
ROWS = [
    (0, NONE + 1, 0, [0, MAX], 0, None, 3),
    (MAX, MAX, MAX, [], MAX, None, None),
    # mtime_ns with the top byte 0x80 that is not None: the slow check must pass it.
    (1, NONE + 2**56 - 1, 7, [5], NONE + 1, None, NONE + 1),
    (2, -5_000_000_000, 128, [128, 0], -1, None, None),  # before 1970
    (3, 1_700_000_000_123_456_789, 0, [], 12, None, -7),
]


def _save(tmp_path: Path, rows) -> tuple[Path, Path, list[Story]]:
    root, file = tmp_path / "lib", tmp_path / "c.json"
    cache = MetadataCache(root, file)
    cache.dirty = True  # written even when empty
    stories = []
    for index, (size, mtime, words, paragraphs, declared, total, series) in enumerate(rows):
        path = str(root / f"s{index}.txt")
        meta = Metadata(
            title=f"T{4 - index}", words_declared=declared, chapters_total=total,
            series_index=series,
        )
        chapters = [Chapter(f"C{n}", p) for n, p in enumerate(paragraphs)]
        story = Story(path, "text", meta, words, chapters)
        cache.store(path, size, mtime, story)
        stories.append(story)
    assert cache.save()
    return root, file, stories


def test_every_number_column_round_trips_as_little_endian_int64(tmp_path):
    root, file, stories = _save(tmp_path, ROWS)
    numbers = header_of(file)["numbers"]
    assert set(numbers) == {
        "size", "mtime_ns", "words", "chapter_paragraphs", "title_order",
        "meta.words_declared", "meta.chapters_total", "meta.series_index",
    }
    assert all(type(text) is str and text.isascii() for text in numbers.values())
    column = {name: ints(text) for name, text in numbers.items()}
    assert column["size"] == [row[0] for row in ROWS]
    assert column["mtime_ns"] == [row[1] for row in ROWS]
    assert column["words"] == [row[2] for row in ROWS]
    assert column["chapter_paragraphs"] == [p for row in ROWS for p in row[3]]
    assert column["title_order"] == [4, 3, 2, 1, 0]  # titles T4 .. T0
    assert column["meta.words_declared"] == [row[4] for row in ROWS]
    assert column["meta.chapters_total"] == [NONE] * len(ROWS)
    assert column["meta.series_index"] == [NONE if row[6] is None else row[6] for row in ROWS]

    view, _failures = MetadataCache(root, file).listed()
    expected = Stories(stories)
    for attribute in ("words", "words_declared", "chapters_total", "series_index", "chapters"):
        assert view.values(attribute) == expected.values(attribute), attribute
        assert [view.value(attribute, i) for i in range(len(view))] == expected.values(attribute)
    assert all(type(n) is int for n in view.values("words") + view.values("words_declared"))
    assert [view.story(i) for i in range(len(view))] == stories
    assert view.stories() == stories
    assert view.title_order() == [4, 3, 2, 1, 0]
    assert view.stamps() == {s.path: row[:2] for s, row in zip(stories, ROWS, strict=True)}
    loaded = MetadataCache(root, file)
    for story, row in zip(stories, ROWS, strict=True):
        assert loaded.lookup(story.path, row[0], row[1]) == story


def test_a_whole_column_read_is_a_list_of_its_own(tmp_path):
    # The caller may keep or change what values() and title_order() give.
    root, file, _stories = _save(tmp_path, ROWS)
    view, _failures = MetadataCache(root, file).listed()
    assert type(view.values("words")) is list
    order = view.title_order()
    order.reverse()
    assert view.title_order() == [4, 3, 2, 1, 0]


def test_an_empty_library_round_trips(tmp_path):
    root, file, _stories = _save(tmp_path, [])
    assert set(header_of(file)["numbers"].values()) == {""}
    cache = MetadataCache(root, file)
    view, failures = cache.listed()
    assert (len(view), failures, view.title_order(), view.stamps()) == (0, [], [], {})
    assert view.values("series_index") == view.values("size") == []
    assert not cache.dirty


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("size", 2**63),
        ("size", -1),
        ("mtime_ns", 2**63),
        ("mtime_ns", NONE),  # would read back as None
        ("mtime_ns", -(2**64)),
        ("words", -1),
        ("words", 2**63),
        ("chapter", -1),
        ("chapter", 2**64),
        ("words_declared", 2**63),
        ("words_declared", NONE),  # would read back as None
        ("series_index", -(2**70)),
        ("chapters_total", 2.5),  # odd input of the wrong type
    ],
)
def test_a_number_the_file_cannot_hold_leaves_out_its_entry(tmp_path, where, value):
    root = tmp_path / "lib"
    cache = MetadataCache(root, tmp_path / "c.json")
    good = Story(str(root / "good.txt"), "text", Metadata(title="Fine", series_index=2), 3)
    cache.store(good.path, 1, 1, good)
    in_meta = where in ("words_declared", "chapters_total", "series_index")
    meta = Metadata(title="Odd", **({where: value} if in_meta else {}))
    odd = Story(
        str(root / "odd.txt"), "text", meta,
        value if where == "words" else 4,
        [Chapter("One", value)] if where == "chapter" else [],
    )
    size = value if where == "size" else 2
    mtime = value if where == "mtime_ns" else 2
    cache.store(odd.path, size, mtime, odd)
    assert cache.save()  # no crash

    loaded = MetadataCache(root, tmp_path / "c.json")
    assert loaded.lookup(good.path, 1, 1) == good
    assert loaded.lookup(odd.path, size, mtime) is None  # parsed again next time
    assert not loaded.dirty  # the file was read, not refused


def _unaligned_none(header: dict) -> None:
    # 0 then 128: the bytes hold 00 x7 80, the None pattern, across two values.
    header["numbers"]["words"] = b64([0, 128, *ints(header["numbers"]["words"])[2:]])


def test_none_s_bytes_across_two_values_are_not_none(tmp_path):
    root, file, _stories = _save(tmp_path, ROWS)
    rewrite_header(file, _unaligned_none)

    def same_in_head(head: dict) -> None:  # the first screen must agree (format 5)
        for index, words in (("0", 0), ("1", 128)):
            if index in head:
                head[index]["words"] = words

    rewrite_head(file, same_in_head)
    view, _failures = MetadataCache(root, file).listed()
    assert view.values("words")[:2] == [0, 128]


def _set_numbers(name, change):
    """Replace a number column's values with change(values)."""
    return lambda h: h["numbers"].__setitem__(name, b64(change(ints(h["numbers"][name]))))


def _set_stored(name, change):
    """Replace a number column's stored base64 with change(text)."""
    return lambda h: h["numbers"].__setitem__(name, change(h["numbers"][name]))


MALFORMED = {
    "invalid base64": _set_stored("size", lambda text: text[:4] + "*" + text[5:]),
    "base64 with a line break": _set_stored("mtime_ns", lambda text: text[:8] + "\n" + text[8:]),
    "base64 not ascii": _set_stored("words", lambda text: "é" + text[1:]),
    "base64 missing its padding": _set_stored("chapter_paragraphs", lambda text: text[:-1]),
    "a JSON array, as format 3 wrote": _set_stored("meta.series_index", lambda text: [None] * 5),
    "not a multiple of 8 bytes": _set_stored(
        "size", lambda text: base64.b64encode(base64.b64decode(text)[:-3]).decode()
    ),
    "a value too many": _set_numbers("mtime_ns", lambda values: [*values, 1]),
    "a value too few": _set_numbers("meta.words_declared", lambda values: values[:-1]),
    "a chapter paragraph too many": _set_numbers("chapter_paragraphs", lambda v: [*v, 0]),
    "title_order repeats a story": _set_numbers("title_order", lambda v: [v[0], *v[:-1]]),
    "title_order past the end": _set_numbers("title_order", lambda v: [*v[:-1], len(v)]),
    "title_order negative": _set_numbers("title_order", lambda v: [*v[:-1], -1]),
    "a negative size": _set_numbers("size", lambda v: [*v[:-1], -1]),
    "a negative word count": _set_numbers("words", lambda v: [-(2**62), *v[1:]]),
    "a negative chapter paragraph": _set_numbers("chapter_paragraphs", lambda v: [*v[:-1], -5]),
    "None in size": _set_numbers("size", lambda v: [NONE, *v[1:]]),
    "None in words": _set_numbers("words", lambda v: [*v[:-1], NONE]),
    "None in mtime_ns": _set_numbers("mtime_ns", lambda v: [v[0], NONE, *v[2:]]),
    "None in title_order": _set_numbers("title_order", lambda v: [NONE, *v[1:]]),
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_number_column_is_ignored_whole_and_rewritten(tmp_path, change):
    root, file, stories = _save(tmp_path, ROWS)
    rewrite_header(file, change)

    cache = MetadataCache(root, file)
    assert cache.listed() is None  # never raises
    cache.load()
    assert len(cache) == 0 and cache.dirty
    # The next save rewrites it: the scan stores what it parsed again.
    for story, row in zip(stories, ROWS, strict=True):
        cache.store(story.path, row[0], row[1], story)
    assert cache.save()
    view, _failures = MetadataCache(root, file).listed()
    assert view.stories() == stories


def test_a_format_3_file_is_not_read_and_is_rebuilt(tmp_path, count_parses):
    root, file, fresh = one_story_cache(tmp_path)
    assert header_of(file)["signature"].startswith(f"{cache_module.CACHE_FORMAT}|")

    # What format 3 wrote: the same file with its numbers as JSON arrays, null for None.
    def to_format_3(header: dict) -> None:
        header["signature"] = header["signature"].replace(
            f"{cache_module.CACHE_FORMAT}|", "3|", 1
        )
        header["numbers"] = {
            name: [None if n == NONE else n for n in ints(text)]
            for name, text in header["numbers"].items()
        }

    rewrite_header(file, to_format_3)
    old = MetadataCache(root)
    assert old.listed() is None
    old.load()
    assert len(old) == 0 and old.dirty

    count_parses.clear()
    assert [s.record() for s in scan_library(root, MetadataCache(root))] == fresh
    assert count_parses == [str(root / "a.txt")]
    header = header_of(file)
    assert header["signature"].startswith(f"{cache_module.CACHE_FORMAT}|")
    assert ints(header["numbers"]["words"]) == [2]
    count_parses.clear()
    assert [s.record() for s in scan_library(root, MetadataCache(root))] == fresh
    assert count_parses == []
