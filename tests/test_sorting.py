from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tuific.model import Chapter, Metadata, Stories, Story
from tuific.sorting import SORT_NAMES, SortInfo, parse_date, sort_indices, title_keys


def story(title, words=100, authors=("A",), series=None, index=None, updated=None, chapters=1):
    meta = Metadata(
        title=title, authors=list(authors), series=series, series_index=index, updated=updated
    )
    return Story(
        f"/lib/{title}.txt", "text", meta, words, [Chapter(f"c{i}", i) for i in range(chapters)]
    )


def test_parse_date_forms():
    assert parse_date("2018-07-31") == date(2018, 7, 31)
    assert parse_date("31 July 2018") == date(2018, 7, 31)
    assert parse_date("July 31st, 2018") == date(2018, 7, 31)
    assert parse_date("2019/01/02") == date(2019, 1, 2)
    assert parse_date("2020-05-06T10:00:00Z") == date(2020, 5, 6)
    assert parse_date("sometime in 2011") == date(2011, 1, 1)
    assert parse_date("yesterday") is None and parse_date(None) is None


def order(stories, name, infos=None):
    infos = infos or [SortInfo() for _ in stories]
    indices = sort_indices(Stories(stories), infos, name, range(len(stories)))
    return [stories[i].meta.title for i in indices]


def test_title_sort_ignores_articles_and_case():
    stories = [story("the Zebra"), story("apple"), story("A Moon")]
    assert order(stories, "title") == ["apple", "A Moon", "the Zebra"]


def test_title_keys_in_bulk_equal_one_by_one():
    titles = ["The Zebra", "an Ode", "A", "Anvil", "the\tend", "ÉCLAIR", "Straße", "a\x01b", ""]
    one_by_one = [title_keys([title])[0] for title in titles]
    assert one_by_one == ["zebra", "ode", "a", "anvil", "end", "éclair", "strasse", "a\x01b", ""]
    assert title_keys(titles) == one_by_one
    assert title_keys([]) == []


@given(st.lists(st.text(alphabet="aAnThE \t\x01ßx", max_size=8), max_size=6))
def test_title_keys_are_each_title_casefolded_less_an_article(titles):
    expected = []
    for title in titles:
        folded = title.casefold()
        for article in ("the", "an", "a"):
            rest = folded[len(article):]
            if folded.startswith(article) and rest[:1].isspace():
                folded = rest.lstrip()
                break
        expected.append(folded)
    assert title_keys(titles) == expected


def test_the_sort_order_reads_columns_not_story_objects():
    class Columns(Stories):
        def story(self, index):
            raise AssertionError("a Story was built to sort")

    stories = [story("b", 5), story("a", 9)]
    assert sort_indices(Columns(stories), [SortInfo()] * 2, "words", range(2)) == [1, 0]


def test_words_and_chapters_sort_longest_first():
    stories = [story("a", 10, chapters=3), story("b", 300, chapters=1), story("c", 20, chapters=9)]
    assert order(stories, "words") == ["b", "c", "a"]
    assert order(stories, "chapters") == ["c", "a", "b"]


def test_series_sort_keeps_series_order_and_puts_others_last():
    stories = [
        story("Third", series="Tides", index=3),
        story("Loose"),
        story("First", series="Tides", index=1),
        story("Second", series="Tides", index=2),
        story("Other", series="Alpha", index=1),
    ]
    assert order(stories, "series") == ["Other", "First", "Second", "Third", "Loose"]


def test_updated_progress_read_and_added():
    stories = [
        story("old", updated="2001-01-01"),
        story("new", updated="2024-03-03"),
        story("none"),
    ]
    assert order(stories, "updated") == ["new", "old", "none"]
    infos = [
        SortInfo(progress=0.5, last_opened="2024-01-01T00:00:00Z", added=3.0),
        SortInfo(progress=0.9, last_opened=None, added=1.0),
        SortInfo(progress=0.1, last_opened="2025-01-01T00:00:00Z", added=2.0),
    ]
    assert order(stories, "progress", infos) == ["new", "old", "none"]
    assert order(stories, "read", infos) == ["none", "old", "new"]
    assert order(stories, "added", infos) == ["old", "none", "new"]


def test_author_sort():
    stories = [story("x", authors=("zed",)), story("y", authors=("Amy",)), story("z", authors=())]
    assert order(stories, "author") == ["y", "x", "z"]


def test_every_sort_name_runs():
    stories = [story("a"), story("b")]
    for name in SORT_NAMES:
        assert sorted(order(stories, name)) == ["a", "b"]


def test_ties_break_by_path_whether_or_not_the_stories_come_in_path_order():
    same = [Story(f"/lib/{name}.txt", "text", Metadata(title="Same"), 1) for name in "cab"]
    for stories in (same, sorted(same, key=lambda s: s.path)):
        indices = sort_indices(Stories(stories), [SortInfo()] * 3, "title", range(3))
        assert [stories[i].path for i in indices] == ["/lib/a.txt", "/lib/b.txt", "/lib/c.txt"]
        for name in ("words", "author", "series"):
            indices = sort_indices(Stories(stories), [SortInfo()] * 3, name, range(3))
            assert [stories[i].path for i in indices] == sorted(s.path for s in stories)
