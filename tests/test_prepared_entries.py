"""Query columns made ahead of the first filter (Entries.prepare), a piece at a time
from the metadata cache's columns: the same columns and matches as made at once, and
a filter that asks before (or while) they are made gets the right result."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import metadata
from uihelpers import make_app, titles, wait_for_workers, wait_until, write_library

from tuific.cache import MetadataCache
from tuific.cache.columns import CachedStories
from tuific.model import Metadata, Stories, Story
from tuific.query import (
    PREPARED_COLUMNS,
    Entries,
    filter_entries,
    make_entries,
    make_entry,
    matches,
    parse_query,
)
from tuific.query.entries import _NotAsPromised, _Stepwise
from tuific.text import clean_text

_WORDS = ["Ann", "ann bo", "Bö", "ß", "SS", "the", "x y", "Σ", "  spaced  out ", "é", "Ｑ"]
_text = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=3).map(" ".join),
    st.text(alphabet="aAbß é\t\nΣσς İ", max_size=8),
).map(clean_text)
_texts = st.lists(_text, max_size=3) | st.sampled_from([[], [""], ["", ""]])
_metas = st.lists(metadata(_text, _texts, st.none() | _text, st.none() | st.integers(0, 99)),
                  max_size=8)


def _cached(tmp_path: Path, metas: list[Metadata]) -> CachedStories:
    root = tmp_path / "lib"
    cache = MetadataCache(root, tmp_path / "c.json")
    cache.dirty = True
    for index, meta in enumerate(metas):
        path = str(root / f"s{index}.txt")
        cache.store(path, 1, 1, Story(path, "text", meta, index * 700, [], None, None))
    assert cache.save()
    listed = MetadataCache(root, tmp_path / "c.json").listed()
    assert listed is not None
    return listed[0]


def _entries(view: CachedStories, piece_bytes: int) -> Entries:
    # Tiny pieces: a column of a few stories is cut into many.
    view.joined_pieces = partial(view.joined_pieces, size=piece_bytes)  # type: ignore[method-assign]
    count = len(view)
    return make_entries(view, ["unread"] * count, [False] * count)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(metas=_metas, piece_bytes=st.integers(1, 40), steps=st.integers(0, 30))
def test_columns_made_in_pieces_equal_the_columns_made_at_once(
    tmp_path_factory, metas, piece_bytes, steps
):
    view = _cached(tmp_path_factory.mktemp("lib"), metas)
    stories = view.stories()
    whole = make_entries(Stories(stories), ["unread"] * len(stories), [False] * len(stories))
    pieces = _entries(view, piece_bytes)
    # Part of the way (a key typed meanwhile finishes each column it reads), then all.
    taken = 0

    def give_way() -> None:
        nonlocal taken
        taken += 1
        if taken == steps:
            raise InterruptedError

    try:
        pieces.prepare(PREPARED_COLUMNS, give_way)
    except InterruptedError:
        pass
    for name in PREPARED_COLUMNS:
        assert pieces.column(name) == whole.column(name), name
    rows = [make_entry(story) for story in stories]
    for index, row in enumerate(rows):
        assert pieces.row(index) == row
    # One character over most stories reads the letters made ahead: the same matches.
    pieces.prepare_letters(lambda: None)
    assert stories == [] or pieces.letter_hits("a") is not None
    everything = list(range(len(stories)))[::-1]
    for text in ("a", "b", "s", "1", "-a", "-e", "y a"):
        query = parse_query(text)
        expected = [i for i in everything if matches(query, rows[i])]
        assert filter_entries(query, pieces, everything) == expected, text
        assert filter_entries(query, pieces) == sorted(expected), text
        few = everything[:1]
        assert filter_entries(query, pieces, few) == [i for i in few if i in expected], text


def test_a_filter_while_a_worker_prepares_gets_the_same_matches(tmp_path: Path):
    words = ["lantern", "harbour", "moss", "dragon", "tea", "lights", "fern"]
    metas = [
        Metadata(
            title=f"{words[i % 7]} {i}",
            authors=[words[(i * 3) % 7]],
            tags=[words[(i * 5) % 7], "x"],
            summary=" ".join(words[(i + k) % 7] for k in range(i % 5)),
        )
        for i in range(3000)
    ]
    view = _cached(tmp_path, metas)
    expected_for = {}
    queries = ["l", "la", "lan", "tag:moss", "-fern", "title:tea summary:dragon", "s", "-e"]
    for text in queries:
        query = parse_query(text)
        expected_for[text] = [
            i for i, story in enumerate(view.stories()) if matches(query, make_entry(story))
        ]
    for _round in range(3):
        entries = _entries(view, 64)  # many pieces: the worker is mid-way when asked

        def prepare(entries: Entries = entries) -> None:
            entries.prepare(PREPARED_COLUMNS[:1], lambda: None)
            entries.prepare_letters(lambda: None)
            entries.prepare(PREPARED_COLUMNS[1:], lambda: None)

        worker = threading.Thread(target=prepare, daemon=True)
        worker.start()
        for text in queries:
            indices = list(range(len(view)))
            assert filter_entries(parse_query(text), entries, indices) == expected_for[text]
        worker.join()
        assert entries.letter_hits("l") is not None
        for text in queries:
            assert filter_entries(parse_query(text), entries) == expected_for[text]
            backwards = list(range(len(view)))[::-1]
            assert filter_entries(parse_query(text), entries, backwards) == (
                expected_for[text][::-1]
            )


def test_a_column_whose_pieces_break_the_promise_is_made_whole():
    def broken():
        yield ["a", "b"]
        raise _NotAsPromised

    assert _Stepwise(broken(), 3, lambda: ["x", "y", "z"])() == ["x", "y", "z"]
    # Pieces that add up to the wrong count: the whole way too.
    short = _Stepwise(iter([["a"], ["b"]]), 3, lambda: ["x", "y", "z"])
    assert short.step()
    assert short() == ["x", "y", "z"]
    assert _Stepwise(iter([["a"], ["b", "c"]]), 3, list)() == ["a", "b", "c"]


def test_a_whole_pass_over_most_stories_keeps_the_given_order():
    rows = [make_entry(Story(f"/l/{i}", "text", Metadata(title=t), 0, [], None, None))
            for i, t in enumerate(["ab", "b", "abc", "c", "ba"])]
    entries = Entries.from_rows(rows)
    order = [4, 3, 2, 1, 0]
    assert filter_entries(parse_query("a"), entries, order) == [4, 2, 0]  # whole pass
    assert filter_entries(parse_query("a"), entries, [2, 0]) == [2, 0]  # gathered
    assert filter_entries(parse_query("-b"), entries, order) == [3]


_FILES = {
    "dragon.txt": "Title: Dragon Tea\nAuthor: Quill\n\n" + "word " * 300,
    "harbour.txt": "Title: Harbour Lights\nAuthor: Wren\n\n" + "word " * 3000,
    "moss.txt": "Title: Moss\nAuthor: Fern\n\n" + "word " * 50,
}


async def test_a_cached_list_has_its_filter_columns_made_before_the_first_key(tmp_path):
    from tuific.library import scan_library

    root = write_library(tmp_path, _FILES)
    list(scan_library(root, MetadataCache(root)))
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(pilot, app)
        await pilot.pause()
        entries = app.listing.entries
        assert entries is not None
        assert all(entries.has(name) for name in PREPARED_COLUMNS)
        assert not entries.has("read")  # asks the reading history: made when a query does
        assert entries.letter_hits("h") == bytes([0, 1, 0])  # dragon, harbour, moss
        await pilot.press("slash", *"har")
        await pilot.pause()
        assert titles(app) == ["Harbour Lights"]


async def test_a_keystroke_over_many_stories_shows_its_first_slice_then_the_rest(
    tmp_path, monkeypatch
):
    import tuific.ui.list_filter as list_filter
    from tuific.library import scan_library

    for name, value in (("SLICE_ABOVE", 2), ("FIRST_SLICE", 2), ("NEXT_SLICE", 2)):
        monkeypatch.setattr(list_filter, name, value)  # 7 stories: four slices
    names = ["alder", "birch", "cedar", "dogwood", "elm", "fir", "gum"]
    files = {f"{name}.txt": f"Title: {name.title()}\n\nText.\n" for name in names}
    root = write_library(tmp_path, files)
    list(scan_library(root, MetadataCache(root)))
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(pilot, app)
        pane = app.library_pane
        box = app.query_one("#filter")
        box.value = "c"  # birch, cedar: the first slice (alder, birch) has one
        await pilot.pause(0)
        assert pane._matching is not None and titles(app) == ["Birch"]
        assert "1… of 7 stories" in str(app.query_one("#library-status").render())
        # Typed before the pass is done: this key's pass takes over what it had not
        # reached (cedar on), and narrows what it had found.
        box.value = "ce"
        await pilot.pause(0)
        await wait_until(pilot, lambda: pane._matching is None)
        assert titles(app) == ["Cedar"]
        assert "1 of 7 stories" in str(app.query_one("#library-status").render())
        box.value = "c"  # wider again: every story looked at anew
        await wait_until(pilot, lambda: pane._matching is None)
        assert titles(app) == ["Birch", "Cedar"]
        box.value = "cx"
        await pilot.pause(0)
        app.library_pane.sort_by("title")  # the listing re-sorted: matched whole at once
        assert pane._matching is None and titles(app) == []
