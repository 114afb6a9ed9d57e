"""The columnar cache (format 2; numbers as int64s since format 4): exact round trips,
the hand-off to the query fold, old formats rebuilt, and the raw-text tamper check."""

from __future__ import annotations

import json
import tempfile
from dataclasses import fields
from pathlib import Path

import pytest
from cachefiles import one_story_cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import metadata

import tuific.cache as cache_module
from tuific.cache import MetadataCache
from tuific.library import scan_library
from tuific.model import Chapter, Metadata, Stories, Story
from tuific.query import make_entries, make_entry
from tuific.text import clean_text

# Clean text that stresses the encoding: unicode, new lines and tabs, quotes,
# backslashes (and JSON-escape look-alikes), empty strings.
_text = st.one_of(
    st.text(alphabet='ab \\u"\n\t’é/…bfrß\u0130Σ\u3000', max_size=12),
    st.text(max_size=20),
).map(clean_text)
_maybe_text = st.none() | _text
# Numbers are stored as int64s (format 4), -2**63 standing for None: every other
# int64 round-trips, the limits included (hypothesis tries the bounds).
_INT64 = st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1)
_COUNT = st.integers(min_value=0, max_value=2**63 - 1)
_maybe_int = st.none() | st.integers(min_value=0, max_value=10**12) | _INT64
_texts = st.lists(_text, max_size=4) | st.sampled_from([[], [""], ["", ""], ["", "x"]])

_meta = metadata(_text, _texts, _maybe_text, _maybe_int)

_story_parts = st.tuples(
    _meta,
    st.sampled_from(["text", "markdown", "ao3-html", ""]),
    st.integers(min_value=0, max_value=10**7) | _COUNT,
    st.lists(st.builds(Chapter, _text, st.integers(0, 10**6) | _COUNT), max_size=4),
    st.none() | st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    st.integers(0, 10**9) | _COUNT,  # size
    st.integers(0, 2**62) | _INT64,  # mtime_ns: negative before 1970
)


def _library(tmp_path: Path, parts: list) -> tuple[MetadataCache, list[tuple[Story, int, int]]]:
    """A cache of these stories (not yet saved) in tmp_path/lib, file tmp_path/c.json."""
    root = tmp_path / "lib"
    cache = MetadataCache(root, tmp_path / "c.json")
    cache.dirty = True  # written even when empty
    stored = []
    for index, (meta, fmt, words, chapters, fingerprint, size, mtime) in enumerate(parts):
        path = str(root / f"story {index}.txt")
        story = Story(path, fmt, meta, words, chapters, None, fingerprint)
        cache.store(path, size, mtime, story)
        stored.append((story, size, mtime))
    return cache, stored


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_story_parts, max_size=6), failures=st.lists(_text, max_size=2))
def test_every_field_survives_save_load_listing_and_lookup(tmp_path, parts, failures):
    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))  # one per example
    cache, stored = _library(tmp_path, parts)
    root = tmp_path / "lib"
    for index, reason in enumerate(failures):
        cache.store_failure(str(root / f"broken {index}.txt"), index, index, reason)
    assert cache.save()

    again = MetadataCache(root, tmp_path / "c.json")
    listed = again.listed()
    assert listed is not None
    view, failed = listed
    expected = [story for story, _, _ in stored]
    # Every field, in order: each story built alone, and all of them at once.
    assert [view.story(i) for i in range(len(view))] == expected
    assert view.stories() == expected
    assert failed == [
        (str(root / f"broken {index}.txt"), index, index, reason)
        for index, reason in enumerate(failures)
    ]
    # The title order the file holds is the one the sort computes.
    from tuific.sorting import sort_indices

    everyone = range(len(expected))
    assert view.title_order() == sort_indices(Stories(expected), [], "title", everyone)
    assert sort_indices(view, [], "title", everyone) == view.title_order()
    stamps = view.stamps()
    for story, size, mtime in stored:
        assert stamps[story.path] == (size, mtime)
        assert again.lookup(story.path, size, mtime) == story
        assert again.lookup(story.path, size + 1, mtime) is None
    for index, reason in enumerate(failures):
        assert again.lookup(str(root / f"broken {index}.txt"), index, index) == reason

    # The first screen (format 5): read from the header's head before the columns
    # are checked, every field as the columns give it.
    unchecked = MetadataCache(root, tmp_path / "c.json").listed(verify=False)
    assert unchecked is not None
    first = unchecked[0]
    assert [first.story(i) for i in range(len(first))] == expected
    for attribute in ("path", "words", "fingerprint", "chapter_count", "title", "tags"):
        assert [first.value(attribute, i) for i in range(len(first))] == [
            Stories(expected).value(attribute, i) for i in range(len(first))
        ]
    assert not first.verified  # all read from the head

    # The hand-off: the file's columns fold to exactly what make_entry gives, and
    # every column reads as the stories' own values.
    fresh = MetadataCache(root, tmp_path / "c.json").listed()
    assert fresh is not None
    columns = fresh[0]
    entries = make_entries(columns, ["unread"] * len(columns), [False] * len(columns))
    assert [entries.row(i) for i in range(len(columns))] == [make_entry(s) for s in expected]
    for attribute in ("path", "format", "words", "fingerprint", "chapters", "chapter_count",
                      *(f.name for f in fields(Metadata))):
        assert columns.values(attribute) == Stories(expected).values(attribute), attribute


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_story_parts, min_size=1, max_size=4))
def test_saving_twice_writes_the_same_file(tmp_path, parts):
    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))  # one per example
    cache, _ = _library(tmp_path, parts)
    assert cache.save()
    first = (tmp_path / "c.json").read_bytes()
    again = MetadataCache(tmp_path / "lib", tmp_path / "c.json")
    again.load()
    again.dirty = True
    assert again.save()
    assert (tmp_path / "c.json").read_bytes() == first


def test_list_items_and_empty_values_keep_their_shape(tmp_path):
    # [] and [""] are both "" in a column; None and "" differ only by the mask.
    meta = Metadata(
        title="",
        authors=[""],
        fandoms=[],
        tags=["", ""],
        characters=["", "x", ""],
        summary="",
        notes=None,
        extra={"": ""},
    )
    parts = [(meta, "text", 0, [Chapter("", 0)], None, 1, 2)]
    parts.append((Metadata(summary=None, notes=""), "", 5, [], "f" * 32, 3, 4))
    cache, stored = _library(tmp_path, parts)
    assert cache.save()
    listed = MetadataCache(tmp_path / "lib", tmp_path / "c.json").listed()
    assert listed is not None
    assert listed[0].stories() == [story for story, _, _ in stored]
    again = MetadataCache(tmp_path / "lib", tmp_path / "c.json").listed()
    assert again is not None
    assert [again[0].story(0), again[0].story(1)] == [story for story, _, _ in stored]


def test_joined_columns_are_the_files_own(tmp_path):
    metas = [Metadata(title="B", tags=["x", "y"]), Metadata(title="A", summary=None)]
    cache, _ = _library(tmp_path, [(m, "text", 1, [], None, 1, 1) for m in metas])
    assert cache.save()
    listed = MetadataCache(tmp_path / "lib", tmp_path / "c.json").listed()
    assert listed is not None
    columns = listed[0]
    assert columns.joined("title") == "B\x01A"
    assert columns.joined("tags") == "x\x00y\x01"
    assert columns.joined("summary") == "\x01"
    assert columns.joined("format") == "text\x01text"
    assert columns.joined("words") is None and columns.joined("extra") is None


def test_listing_builds_no_story_until_one_is_asked_for(tmp_path):
    metas = [Metadata(title=f"T{i}", tags=["x"]) for i in range(3)]
    cache, stored = _library(tmp_path, [(m, "text", 1, [], None, 1, 1) for m in metas])
    assert cache.save()
    loaded = MetadataCache(tmp_path / "lib", tmp_path / "c.json")
    listed = loaded.listed()
    assert listed is not None
    columns = listed[0]
    assert columns.values("title") == ["T0", "T1", "T2"]
    assert columns._made == [None, None, None]
    first = columns.story(1)
    assert first == stored[1][0] and columns.story(1) is first
    assert columns._made.count(None) == 2
    # The full load builds the rest from the same columns, and keeps that one.
    loaded.load()
    assert loaded.lookup(stored[1][0].path, 1, 1) == first
    assert columns.stories()[1] is first


def test_a_looked_up_story_is_the_callers_own(tmp_path):
    cache, stored = _library(tmp_path, [(Metadata(title="T"), "text", 1, [], None, 1, 1)])
    assert cache.save()
    loaded = MetadataCache(tmp_path / "lib", tmp_path / "c.json")
    story, size, mtime = stored[0]
    first = loaded.lookup(story.path, size, mtime)
    assert isinstance(first, Story)
    first.path = "/elsewhere.txt"
    first.chapters.append(Chapter("Added", 3))
    assert loaded.lookup(story.path, size, mtime) == story


def test_listed_stories_renamed_by_the_caller_do_not_change_the_file(tmp_path):
    # The app renames a moved story's path in place; the cache keys by its own paths.
    cache, stored = _library(tmp_path, [(Metadata(title="T"), "text", 1, [], None, 1, 1)])
    assert cache.save()
    loaded = MetadataCache(tmp_path / "lib", tmp_path / "c.json")
    listed = loaded.listed()
    assert listed is not None
    story = listed[0].story(0)
    loaded.load()
    story.path = "/moved/away.txt"
    loaded.dirty = True
    assert loaded.save()
    again = MetadataCache(tmp_path / "lib", tmp_path / "c.json")
    assert again.lookup(stored[0][0].path, 1, 1) == stored[0][0]


@pytest.mark.parametrize(
    "odd",
    ["a\x00b", "a\x01b", "a\x1bb", "a\rb", "a\x7fb", "a\x9bb", "a\u202eb"],
    ids=["NUL", "SOH", "ESC", "CR", "DEL", "C1", "bidi"],
)
@pytest.mark.parametrize("where", ["title", "tag", "chapter", "extra", "path", "reason"])
def test_an_entry_the_load_would_refuse_is_left_out_not_the_whole_file(tmp_path, odd, where):
    """Odd (uncleaned) input in one entry costs that entry, never the whole cache."""
    root = tmp_path / "lib"
    cache = MetadataCache(root, tmp_path / "c.json")
    good = Story(str(root / "good.txt"), "text", Metadata(title="Fine", tags=["ok"]), 3)
    cache.store(good.path, 1, 1, good)
    meta = Metadata(
        title=odd if where == "title" else "x",
        tags=[odd] if where == "tag" else [],
        extra={odd: "v"} if where == "extra" else {},
    )
    chapters = [Chapter(odd, 0)] if where == "chapter" else []
    odd_path = str(root / (odd if where == "path" else "odd.txt"))
    if where == "reason":
        cache.store_failure(odd_path, 2, 2, odd)
    else:
        cache.store(odd_path, 2, 2, Story(odd_path, "text", meta, 1, chapters))
    cache.store_failure(str(root / "broken.txt"), 3, 3, "not a story")
    assert cache.save()

    loaded = MetadataCache(root, tmp_path / "c.json")
    assert loaded.lookup(good.path, 1, 1) == good
    assert loaded.lookup(str(root / "broken.txt"), 3, 3) == "not a story"
    assert loaded.lookup(odd_path, 2, 2) is None  # parsed again next time
    assert not loaded.dirty


def test_a_format_1_file_is_ignored_and_rebuilt(tmp_path, count_parses):
    root, file, fresh = one_story_cache(tmp_path)
    # What format 1 wrote: one JSON document, a positional list per story.
    info = (root / "a.txt").stat()
    old_signature = cache_module._signature().replace(f"{cache_module.CACHE_FORMAT}|", "1|", 1)
    old = {
        "signature": old_signature,
        "root": str(root),
        "stories": [["a.txt", info.st_size, info.st_mtime_ns, "text", 2, None, []]],
        "skipped": [],
    }
    for ending in ("", "\n"):  # without and with a line break after it
        file.write_text(json.dumps(old) + ending, encoding="utf-8")
        loaded = MetadataCache(root)
        loaded.load()
        assert len(loaded) == 0 and loaded.dirty
        count_parses.clear()
        assert [s.record() for s in scan_library(root, MetadataCache(root))] == fresh
        assert count_parses == [str(root / "a.txt")]
        assert file.read_bytes().startswith(f'{{"signature":"{cache_module.CACHE_FORMAT}|'.encode())
        count_parses.clear()
        assert [s.record() for s in scan_library(root, MetadataCache(root))] == fresh
        assert count_parses == []


# ------------------------------------------------------ the text section check

_CONTROLS = [chr(c) for c in range(0x20) if c not in (0x00, 0x01, 0x09, 0x0A)] + ["\x7f"]
_MARKS = ["\x80", "\x85", "\x9b", "\x9f", "\u202a", "\u202e", "\u2066", "\u2069"]
_FINE = ["\x00", "\x01", "\t", "\n", "~", "\xa0", "\u2026", "\u2019", "é", "\\u001b", "\\r"]
_PLACES = {"start": "{}abc", "middle": "ab{}c", "end": "abc{}"}


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("char", _CONTROLS + _MARKS)
def test_unclean_text_finds_each_removed_character_anywhere(char, place):
    assert cache_module._unclean_text(_PLACES[place].format(char).encode())


@pytest.mark.parametrize("place", _PLACES)
@pytest.mark.parametrize("char", _FINE)
def test_unclean_text_keeps_separators_and_what_cleaning_keeps(char, place):
    # Not JSON: a backslash is just a character here.
    assert not cache_module._unclean_text(_PLACES[place].format(char).encode())


@given(st.text(max_size=30))
@settings(max_examples=500)
def test_unclean_text_agrees_with_clean_text(text):
    # Exactly the characters cleaned text never holds (clean_text removes them, or
    # rewrites \r), bar the separators; nothing else.
    removes = any(
        char not in "\x00\x01" and (char == "\r" or clean_text(char) == "") for char in text
    )
    assert cache_module._unclean_text(text.encode("utf-8", "surrogatepass")) == removes


_words = st.text(alphabet="ab ßİΣ’\t", min_size=1, max_size=4)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_story_parts, min_size=1, max_size=5), words=st.lists(_words, max_size=4),
       data=st.data())
def test_a_listed_library_filters_as_its_stories_do(tmp_path, parts, words, data):
    """Matching on the file's columns (the stored haystack searched in its bytes on a
    full pass, its split column when narrowing) equals matching each story."""
    from tuific.query import filter_entries, matches, parse_query

    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))  # one per example
    cache, stored = _library(tmp_path, parts)
    assert cache.save()
    listed = MetadataCache(tmp_path / "lib", tmp_path / "c.json").listed()
    assert listed is not None
    columns = listed[0]
    rows = [make_entry(story) for story, _, _ in stored]
    # Terms: words of the stories' own text (so some match), and the drawn ones.
    found = [word for row in rows for word in row.text.replace("\x00", " ").split()]
    terms = [data.draw(st.sampled_from(found)) for _ in range(2)] if found else []
    for term in [*terms, *words]:
        for text in (term, f"-{term}", f'"{term} {term}"'):
            try:
                query = parse_query(text)
            except Exception:
                continue
            expected = [i for i, row in enumerate(rows) if matches(query, row)]
            entries = make_entries(columns, ["unread"] * len(rows), [False] * len(rows))
            order = list(range(len(rows)))[::-1]  # the full pass keeps the order given
            assert filter_entries(query, entries, order) == expected[::-1], text
            if query.terms and query.terms[0].field == "text" and not query.terms[0].negate:
                hits = [i for i, row in enumerate(rows) if query.terms[0].value in row.text]
                assert columns.find_in_haystack(query.terms[0].value) == hits
            # Narrowing a result reads the split column: the same answer.
            assert filter_entries(query, entries, expected[::-1]) == expected[::-1]


def test_only_the_haystack_goes_unchecked_and_it_never_reaches_a_story(tmp_path):
    metas = [Metadata(title="Alder", tags=["moss"]), Metadata(title="Birch")]
    cache, stored = _library(tmp_path, [(m, "text", 1, [], None, 1, 1) for m in metas])
    assert cache.save()
    file = tmp_path / "c.json"
    data = file.read_bytes()
    # The haystack is the last column: an escape there is matched against, never shown.
    file.write_bytes(data.replace(b"alder", b"\x1b[2J!", 1) if data.endswith(b"birch") else b"")
    listed = MetadataCache(tmp_path / "lib", file).listed()
    assert listed is not None
    columns = listed[0]
    assert [columns.story(i) for i in range(2)] == [story for story, _, _ in stored]
    assert columns.find_in_haystack("birch") == [1]
    # The same escape in a title (a column shown on screen) refuses the file.
    file.write_bytes(data.replace(b"Alder", b"\x1b[2J!", 1))
    assert MetadataCache(tmp_path / "lib", file).listed() is None


def test_a_haystack_of_the_wrong_length_is_rebuilt_from_the_columns(tmp_path):
    from tuific.query import filter_entries, parse_query

    metas = [Metadata(title="Alder"), Metadata(title="Birch")]
    cache, _ = _library(tmp_path, [(m, "text", 1, [], None, 1, 1) for m in metas])
    assert cache.save()
    file = tmp_path / "c.json"
    data = file.read_bytes()
    assert data.endswith(b"birch")
    head, _, text = data.partition(b"\n")
    header = json.loads(head)
    header["texts"][-1][1] += len(b"\x01stray")  # the haystack, one story too long
    file.write_bytes(json.dumps(header).encode() + b"\n" + text + b"\x01stray")
    listed = MetadataCache(tmp_path / "lib", file).listed()
    assert listed is not None
    entries = make_entries(listed[0], ["unread"] * 2, [False] * 2)
    assert filter_entries(parse_query("birch"), entries, [1]) == [1]  # narrowing: rebuilt
    assert filter_entries(parse_query("stray"), entries, [0, 1]) == []  # never a story


def test_joined_lists_encode_as_the_lists_they_join():
    from tuific.cache.encode import _Encoder
    from tuific.cache.layout import ITEM_SEP

    lists = [[], ["a"], ["a", "b"], ["", ""], ["a", ""], ["", "b", ""], ["é", "x y"]]
    joined = [ITEM_SEP.join(items) for items in lists]
    assert len(joined) == len(set(joined))  # none ambiguous but [] and [""] (not given)
    split, whole = _Encoder(), _Encoder()
    split.lists("haystack", lists)
    whole.joined_lists("haystack", joined)
    assert (whole.texts, whole.item_seps, whole.lone_empty) == (
        split.texts, split.item_seps, split.lone_empty
    )
