"""The column view (cache format 3, Listing, Entries): a tampered cache never
shadows or breaks a column, an old file still lists, the filter follows reading state."""

from __future__ import annotations

from pathlib import Path

import pytest
from cachefiles import rewrite_header
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import metadata
from uihelpers import make_app, titles, wait_for_workers, wait_until, write_library

from tuific.cache import MetadataCache
from tuific.listing import Listing, Reading
from tuific.model import Chapter, Metadata, Stories, Story
from tuific.query import QueryError, filter_entries, make_entries, make_entry, matches, parse_query
from tuific.sorting import SortInfo
from tuific.text import clean_text
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList


def _saved(tmp_path: Path, extras=({}, {}, {}), mtimes=(20, 20, 20)) -> tuple[Path, Path]:
    root, file = tmp_path / "lib", tmp_path / "c.json"
    cache = MetadataCache(root, file)
    for index, (extra, mtime) in enumerate(zip(extras, mtimes, strict=True)):
        path = str(root / f"s{index}.txt")
        meta = Metadata(title=f"T{index}", authors=["A"], extra=dict(extra))
        story = Story(path, "text", meta, 5, [Chapter("One", 0)], None, "f")
        cache.store(path, 10, mtime, story)
    assert cache.save()
    return root, file


def _every_value(root: Path, file: Path) -> None:
    """What the app reads of a listed cache; must not raise."""
    listed = MetadataCache(root, file).listed()
    if listed is None:
        return
    view = listed[0]
    for index in range(len(view)):
        story = view.story(index)
        assert type(story.meta.title) is str
        assert all(type(tag) is str for tag in story.meta.tags)
    for name in ("title", "tags", "path", "format", "fingerprint", "extra"):
        assert len(view.values(name)) == len(view)
    view.stories()


@pytest.mark.parametrize(
    "change",
    [
        # A number column named after a text column shadowed it.
        lambda h: h["numbers"].__setitem__("meta.title", [1, [2], {"x": 3}]),
        lambda h: h["numbers"].__setitem__("meta.tags", [{"a": 1}, 2, 3]),
        lambda h: h["numbers"].__setitem__("title", [1, 2, 3]),
        # ... and a well-formed one (format 4: base64 int64s) of the right length.
        lambda h: h["numbers"].__setitem__("meta.title", h["numbers"]["size"]),
        # A text column of a name the view answers for, of the wrong length.
        lambda h: h["texts"].append(["title", 0]),
    ],
)
def test_an_unknown_column_never_shadows_a_field(tmp_path, change):
    root, file = _saved(tmp_path)
    rewrite_header(file, change)
    _every_value(root, file)
    assert MetadataCache(root, file).listed() is None


@pytest.mark.parametrize(
    "lone",
    [{"meta.extra.keys": [0]}, {"meta.extra.values": [1]}, {"meta.extra.keys": [0, 2]}],
)
def test_lone_empty_dict_lists_that_disagree_are_refused(tmp_path, lone):
    # Every dict {}: keys and values are both only separators, so only lone_empty can
    # make a story's keys and values disagree; story(i) used to raise from zip(strict).
    root, file = _saved(tmp_path)
    rewrite_header(file, lambda h: h["lone_empty"].update(lone))
    _every_value(root, file)
    assert MetadataCache(root, file).listed() is None


def test_agreeing_lone_empty_dict_lists_read_the_same_both_ways(tmp_path):
    root, file = _saved(tmp_path, extras=({"": ""}, {}, {}))
    view, _failures = MetadataCache(root, file).listed()
    assert view.story(0).meta.extra == {"": ""}
    assert view.values("extra") == [{"": ""}, {}, {}]


def test_a_file_older_than_1970_keeps_the_cache_usable(tmp_path):
    # mtime_ns is negative for such a file; the format-2 load accepted it, format 3
    # refused the whole file, so every start rescanned the library.
    root, file = _saved(tmp_path, mtimes=(20, -5_000_000_000, 20))
    listed = MetadataCache(root, file).listed()
    assert listed is not None
    assert listed[0].stamps()[str(root / "s1.txt")] == (10, -5_000_000_000)


def _story(title: str) -> Story:
    return Story(f"/lib/{title}.txt", "text", Metadata(title=title, authors=["A"]), 10)


def _listing_reading(state: dict[str, Reading]) -> Listing:
    """Moss and Amber, listed by title, their reading state looked up in `state`."""
    listing = Listing(lambda path, fingerprint, *length: state.get(path, Reading()))
    listing.add(Stories([_story("Moss"), _story("Amber")]))
    listing.sort("title", False, lambda path, fingerprint: SortInfo())
    return listing


def test_the_filter_follows_a_favourite_marked_after_another_reading_filter():
    # The read and favourite columns are made from one lookup of every story's
    # reading state; a column made after note_reading must not come from a stale one.
    state: dict[str, Reading] = {}
    listing = _listing_reading(state)
    assert listing.filter(parse_query("read:unread")) == [1, 0]  # makes "read"
    item = listing.items[0]
    state[item.story.path] = Reading(favourite=True)
    item.favourite = True
    listing.note_reading(item)
    assert listing.filter(parse_query("fav:yes")) == [0]


def test_the_filter_follows_a_story_finished_after_a_favourites_filter():
    state: dict[str, Reading] = {}
    listing = _listing_reading(state)
    assert listing.filter(parse_query("fav:no")) == [1, 0]  # makes "favourite"
    item = listing.items[1]
    state[item.story.path] = Reading(1.0, "finished")
    item.read = "finished"
    listing.note_reading(item)
    assert listing.filter(parse_query("read:finished")) == [1]


def test_a_story_moved_in_a_cached_listing_is_looked_up_at_its_new_path(tmp_path):
    root, file = _saved(tmp_path)
    view = MetadataCache(root, file).listed()[0]
    state: dict[str, Reading] = {}
    listing = Listing(lambda path, fingerprint, *length: state.get(path, Reading()))
    listing.add(view)
    listing.sort("title", False, lambda path, fingerprint: SortInfo())
    old, new = str(root / "s1.txt"), str(root / "s1 renamed.txt")
    state[new] = Reading(0.5, "reading", True)  # the state follows the file first
    # Made from the cache's columns before the move, as the app's check worker makes
    # them before it applies what the rescan found.
    assert listing.entries is not None
    listing.move(old, new)
    assert listing.index(new) == 1
    assert listing.filter(parse_query("read:reading")) == [1]
    assert listing.filter(parse_query("fav:yes")) == [1]


def test_a_story_built_on_another_thread_during_stories_is_the_one_kept(tmp_path):
    # The UI thread builds story(i) for the list while the verify worker's
    # MetadataCache.load() runs stories(): both must end up with one object per index.
    import threading

    root, file = _saved(tmp_path)
    view = MetadataCache(root, file).listed()[0]
    got: list[Story] = []

    class Interleaved(list):
        def __iter__(self):
            yield from super().__iter__()
            # Past every index: the other thread builds story 1 now.
            other = threading.Thread(target=lambda: got.append(view.story(1)))
            other.start()
            other.join(0.2)  # blocks on the lock, if there is one
            self.other = other

    view._made = made = Interleaved(view._made)
    built = view.stories()
    made.other.join()
    assert view.story(1) is got[0]
    assert view.stories()[1] is got[0]
    assert built[1] is got[0] or built[1] == got[0]


def test_removing_after_a_move_in_a_cached_listing_keeps_the_columns_in_step(tmp_path):
    root, file = _saved(tmp_path)
    state: dict[str, Reading] = {}
    listing = Listing(lambda path, fingerprint, *length: state.get(path, Reading()))
    listing.add(MetadataCache(root, file).listed()[0])
    listing.sort("title", False, lambda path, fingerprint: SortInfo())
    new = str(root / "moved.txt")
    state[new] = Reading(0.5, "reading")
    assert listing.entries is not None  # made before the move, as by the check worker
    listing.move(str(root / "s2.txt"), new)
    listing.remove({str(root / "s0.txt")})
    listing.add(Stories([_story("Zed")]))
    listing.sort("title", False, lambda path, fingerprint: SortInfo())
    assert listing.filter(parse_query("read:reading")) == [1]
    assert listing.filter(parse_query("read:unread")) == [0, 2]


# -------------------------------------------- the finder, the columns and make_entry


_WORDS = ["Ann", "ann bo", "Bö", "ß", "SS", "the", "x y", "Σ", "ǅ", "  spaced  out ", "é", "Ｑ"]
_text = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=3).map(" ".join),
    st.text(alphabet="aAbß é\t\nΣσς İ", max_size=8),
).map(clean_text)
_texts = st.lists(_text, max_size=3) | st.sampled_from([[], [""], ["", ""]])
_stories = st.lists(
    st.tuples(
        metadata(_text, _texts, st.none() | _text, st.none() | st.integers(0, 99)),
        st.integers(0, 20_000),
        st.sampled_from(["text", "markdown"]),
    ),
    max_size=6,
)
_terms = st.one_of(
    st.sampled_from(_WORDS).map(lambda word: f'"{word}"' if " " in word.strip() else word),
    st.sampled_from(["title", "author", "tag", "summary", "fandom", "format"]).flatmap(
        lambda field: st.sampled_from(_WORDS).map(lambda word: f'{field}:"{word}"')
    ),
    st.sampled_from(["words:>5k", "chapters:1", "status:wip", "rating:nr", "read:unread"]),
    st.text(alphabet='aAbß éΣσς İ"', min_size=1, max_size=4),
)
_queries = st.lists(st.tuples(st.booleans(), _terms), min_size=1, max_size=3).map(
    lambda terms: " ".join(("-" if negate else "") + term for negate, term in terms)
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=_stories, texts=st.lists(_queries, min_size=1, max_size=4), data=st.data())
def test_the_finder_and_the_columns_agree_with_make_entry(tmp_path_factory, parts, texts, data):
    tmp_path = tmp_path_factory.mktemp("lib")
    root = tmp_path / "lib"
    cache = MetadataCache(root, tmp_path / "c.json")
    cache.dirty = True
    for index, (meta, words, fmt) in enumerate(parts):
        path = str(root / f"s{index}.txt")
        cache.store(path, 1, 1, Story(path, fmt, meta, words, [], None, None))
    assert cache.save()
    view = MetadataCache(root, tmp_path / "c.json").listed()[0]
    stories = view.stories()
    count = len(stories)
    cached = make_entries(view, ["unread"] * count, [False] * count)
    plain = make_entries(Stories(stories), ["unread"] * count, [False] * count)
    assert cached.finder is not None
    subset = data.draw(st.lists(st.integers(0, max(count - 1, 0)), unique=True)) if count else []
    for text in texts:
        try:
            query = parse_query(text)
        except QueryError:
            continue
        expected = [i for i, story in enumerate(stories) if matches(query, make_entry(story))]
        assert filter_entries(query, cached) == expected, text  # the finder, full pass
        assert filter_entries(query, cached, list(range(count))) == expected, text
        assert filter_entries(query, plain) == expected, text  # the columns
        narrowed = [i for i in subset if i in expected]
        assert filter_entries(query, cached, subset) == narrowed, text
        assert filter_entries(query, plain, subset) == narrowed, text


# ------------------------------------------- the app: indices moving under the cursor


_FILES = {
    "dragon.txt": "Title: Dragon Tea\nAuthor: Quill\n\n" + "word " * 300,
    "harbour.txt": "Title: Harbour Lights\nAuthor: Wren\n\n" + "word " * 3000,
    "moss.txt": "Title: Moss\nAuthor: Fern\n\n" + "word " * 50,
}


@pytest.fixture
def cached_library(tmp_path: Path) -> Path:
    """A library whose cache is saved: the app lists it from the cache's columns."""
    from tuific.library import scan_library

    root = write_library(tmp_path, _FILES)
    cache = MetadataCache(root)
    list(scan_library(root, cache))
    assert MetadataCache(root).listed() is not None
    return root


async def _settled(pilot, app) -> None:
    await wait_for_workers(pilot, app)
    await pilot.pause()


async def _rescan(pilot, app, done) -> None:
    await _settled(pilot, app)
    assert app.library_pane._look_for_changes()
    await wait_until(pilot, lambda: not app.library_pane._rescanning and done(), 200)
    await pilot.pause()


async def test_the_cursor_stays_on_its_story_when_a_rescan_moves_indices(cached_library):
    app = make_app(cached_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot, app)
        story_list = app.query_one(StoryList)
        harbour = str(cached_library / "harbour.txt")
        assert app.select_story(harbour)
        (cached_library / "dragon.txt").unlink()
        (cached_library / "aardvark.txt").write_text("Title: Aardvark\n\nHi.", encoding="utf-8")
        (cached_library / "moss.txt").write_text("Title: Moss\n\nChanged.", encoding="utf-8")
        await _rescan(pilot, app, lambda: "Aardvark" in titles(app))
        assert titles(app) == ["Aardvark", "Harbour Lights", "Moss"]
        assert story_list.current.story.path == harbour
        # The story under the cursor changed on disk: it is listed anew, cursor on it.
        (cached_library / "harbour.txt").write_text(
            "Title: Harbour Lights\n\nRewritten.", encoding="utf-8"
        )
        (cached_library / "zebra.txt").write_text("Title: Zebra\n\nHi.", encoding="utf-8")
        await _rescan(pilot, app, lambda: "Zebra" in titles(app))
        assert story_list.current.story.path == harbour


async def test_the_open_story_renamed_while_listed_stays_one_item(cached_library):
    app = make_app(cached_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot, app)
        old, new = cached_library / "harbour.txt", cached_library / "harbour-lights.txt"
        assert app.select_story(str(old))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.query_one(Reader).story is not None, 200)
        await pilot.pause()
        old.rename(new)
        await _rescan(pilot, app, lambda: app.listing.index(str(new)) is not None)
        assert titles(app) == ["Dragon Tea", "Harbour Lights", "Moss"]
        assert app.listing.index(str(old)) is None
        assert app.current is app.listing.item(str(new))
        assert app.query_one(Reader).story.path == str(new)
        assert app.query_one(StoryList).current is app.current
        app.query_one("#filter").value = "read:reading"  # the read column made now
        await pilot.pause()
        assert titles(app) == ["Harbour Lights"]


async def test_a_favourite_marked_after_a_read_filter_is_found_by_fav(cached_library):
    app = make_app(cached_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot, app)
        await pilot.press("slash", *"read:unread")
        await pilot.pause()
        assert len(titles(app)) == 3
        app.query_one("#filter").value = ""
        await pilot.pause()
        await pilot.press("escape")
        assert app.select_story(str(cached_library / "moss.txt"))
        await pilot.press("f")
        await pilot.pause()
        assert app.query_one(StoryList).current.favourite
        app.query_one("#filter").value = "fav:yes"
        await pilot.pause()
        assert titles(app) == ["Moss"]
