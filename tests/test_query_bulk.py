"""make_entries: the bulk fold of a library must equal make_entry story by story."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuific import query
from tuific.model import RATINGS, Chapter, Metadata, Stories, Story
from tuific.query import SEP, Entries, make_entry, parse_query

# Characters that stress the fold: white space str.split knows (including the
# \x1c-\x1f it counts as space), casefold changing length (ß, ﬁ, İ), final sigma,
# both separators, and plain letters and spaces so tidy text is common too.
ODD = "aBz ß\u0130\ufb01\u03a3\u03c2 \t\n\x0b\x1c\x1f\x85\xa0\u2028\u3000\u2009" + SEP + "\x01"


@st.composite
def stories(draw: st.DrawFn, alphabet: str = ODD) -> Story:
    odd_text = st.text(alphabet=alphabet, max_size=8)
    odd_list = st.lists(odd_text, max_size=4)
    meta = Metadata(
        title=draw(odd_text),
        authors=draw(odd_list),
        fandoms=draw(odd_list),
        relationships=draw(odd_list),
        characters=draw(odd_list),
        tags=draw(odd_list),
        warnings=draw(odd_list),
        categories=draw(odd_list),
        series=draw(st.none() | odd_text),
        summary=draw(st.none() | odd_text),
        rating=draw(st.sampled_from([*RATINGS, "PG-13", ""])),
        status=draw(st.sampled_from(["complete", "in-progress", None])),
    )
    words = draw(st.integers(0, 50_000))
    chapters = [Chapter("c", n) for n in range(draw(st.integers(0, 3)))]
    return Story(
        draw(odd_text),
        draw(st.sampled_from(["ao3_html", "epub", "", " X "])),
        meta,
        words,
        chapters,
    )


# Without separators, so the whole batch takes the bulk path.
BULK = ODD.replace(SEP, "").replace("\x01", "")


def oracle(batch: list[Story], reads: list[str], favourites: list[bool]) -> list[query.Entry]:
    return [make_entry(s, r, f) for s, r, f in zip(batch, reads, favourites, strict=True)]


def rows(entries: Entries) -> list[query.Entry]:
    return [entries.row(i) for i in range(len(entries))]


def make_entries(*args: object, **kwargs: object) -> list[query.Entry]:
    """query.make_entries, row by row."""
    return rows(query.make_entries(*args, **kwargs))  # type: ignore[arg-type]


@given(
    st.lists(st.tuples(stories(), st.sampled_from(query.READ_STATES), st.booleans()), max_size=8)
)
@settings(max_examples=400)
def test_make_entries_equals_make_entry(rows: list[tuple[Story, str, bool]]) -> None:
    batch = [row[0] for row in rows]
    reads = [row[1] for row in rows]
    favourites = [row[2] for row in rows]
    assert make_entries(batch, reads, favourites) == oracle(batch, reads, favourites)


@given(st.lists(stories(BULK), max_size=8))
@settings(max_examples=400)
def test_make_entries_equals_make_entry_in_bulk(batch: list[Story]) -> None:
    reads = ["finished"] * len(batch)
    favourites = [True] * len(batch)
    assert make_entries(batch, reads, favourites) == oracle(batch, reads, favourites)


@given(st.lists(stories(), min_size=1, max_size=6), st.data())
@settings(max_examples=200)
def test_tidy_stories_with_odd_neighbours(batch: list[Story], data: st.DataObject) -> None:
    # A batch is folded column by column, so one untidy or odd story must not change
    # how its tidy neighbours are folded.
    tidy = story(title="Plain Title", tags=["Slow Burn", "Fluff"], summary="Just so.")
    at = data.draw(st.integers(0, len(batch)))
    batch = batch[:at] + [tidy] + batch[at:]
    reads = ["unread"] * len(batch)
    favourites = [False] * len(batch)
    assert make_entries(batch, reads, favourites) == oracle(batch, reads, favourites)


def story(path: str = "/lib/a.txt", **meta: object) -> Story:
    return Story(path, "plaintext", Metadata(**meta), 1200, [Chapter("One", 0)])  # type: ignore[arg-type]


def test_make_entries_folds_a_small_library() -> None:
    batch = [
        story(
            "/lib/1.txt",
            title="Lanterns Over Hollow Creek",
            authors=["Mossy Ink"],
            tags=["Slow Burn", "Found Family"],
            summary="Two keepers\ntrade letters.",
            rating=RATINGS[1],
            status="complete",
        ),
        story(
            "/lib/2.txt",
            title="STRAßE",
            fandoms=["Orchard  Keepers", "  "],
            series="Tidewater Tales",
        ),
        story("/lib/3.txt"),
    ]
    entries = make_entries(batch, ["reading", "unread", "finished"], [True, False, False])
    assert entries == oracle(batch, ["reading", "unread", "finished"], [True, False, False])
    first, second, third = entries
    assert first.text == (
        f"lanterns over hollow creek{SEP}mossy ink{SEP}slow burn{SEP}found family"
        f"{SEP}two keepers trade letters."
    )
    assert first.summary == "two keepers trade letters."
    assert (first.rating, first.status, first.read, first.favourite) == (
        1,
        "complete",
        "reading",
        True,
    )
    assert (first.words, first.chapters, first.path) == (1200, 1, "/lib/1.txt")
    assert second.title == "strasse"
    assert second.fandom == "orchard keepers"  # spaces collapsed, the blank item dropped
    assert second.series == "tidewater tales"
    assert third.text == "" and third.summary == "" and third.rating == query.NOT_RATED
    table = query.make_entries(batch, ["reading", "unread", "finished"], [True, False, False])
    assert query.filter_entries(parse_query("strasse"), table) == [1]


def test_setting_one_story_changes_only_that_story() -> None:
    entries = query.make_entries([story(), story()], ["unread", "unread"], [False, False])
    entries.column("read")
    entries.set(0, "read", "finished")
    assert entries.column("read") == ["finished", "unread"]
    assert query.filter_entries(parse_query("read:finished"), entries) == [0]


def test_columns_are_made_when_first_asked_for() -> None:
    asked: list[str] = []

    class Watched(Stories):
        def values(self, attribute: str) -> list[object]:
            asked.append(attribute)
            return super().values(attribute)

    entries = query.make_entries(Watched([story(title="Ash"), story(title="Birch")]),
                                 lambda: ["unread", "reading"], lambda: [False, True])
    assert asked == []
    assert query.filter_entries(parse_query("title:birch read:reading"), entries) == [1]
    assert sorted(asked) == ["title"]  # read came from its function, nothing else was made


def test_a_story_holding_a_separator_is_folded_alone() -> None:
    batch = [
        story(title="Before", tags=["a", "b"]),
        story(title="Odd\x01One", tags=["c\x00d", "e"]),
        story(title="After", authors=["x\x00"]),
        story(title="Last", tags=["f"]),
    ]
    reads = ["unread"] * 4
    favourites = [False, True, False, True]
    entries = make_entries(batch, reads, favourites)
    assert entries == oracle(batch, reads, favourites)
    assert entries[1].tag == f"cd{SEP}e"
    assert entries[1].title == "odd\x01one"


def test_untidy_column_takes_the_slow_path() -> None:
    batch = [story(tags=[" Slow  Burn ", "", "Fluff"]), story(tags=["Angst"])]
    entries = make_entries(batch, ["unread"] * 2, [False] * 2)
    assert entries == oracle(batch, ["unread"] * 2, [False] * 2)
    assert entries[0].tag == f"slow burn{SEP}fluff"


def test_empty_batch() -> None:
    assert make_entries([], [], []) == []
    assert query.filter_entries(parse_query("x"), query.make_entries([], [], [])) == []


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError):
        make_entries([story()], [], [False])


def test_unknown_read_state_is_rejected_like_make_entry() -> None:
    with pytest.raises(ValueError, match="skimmed"):
        make_entries([story(), story()], ["unread", "skimmed"], [False, False])
    with pytest.raises(ValueError, match="skimmed"):  # also when given as a function
        make_entries([story()], lambda: ["skimmed"], [False])


def test_white_space_table_matches_str_split() -> None:
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()} - {" "}
    assert set(query._SPACES) == spaces
    assert set(query._ASCII_SPACES) == {c for c in spaces if c.isascii()}


# ------------------------------------------------------------ the column path

LIST_ATTRIBUTES = (
    "authors",
    "recipients",
    "fandoms",
    "relationships",
    "characters",
    "tags",
    "warnings",
    "categories",
)


def columns_of(batch: list[Story]) -> dict[str, str]:
    """The text fields joined, story by story, as the metadata cache holds them."""
    columns = {
        "format": "\x01".join(s.format for s in batch),
        "title": "\x01".join(s.meta.title for s in batch),
        "rating": "\x01".join(s.meta.rating for s in batch),
    }
    for name in ("series", "summary", "rating_original", "notes", "language"):
        columns[name] = "\x01".join(getattr(s.meta, name) or "" for s in batch)
    for name in LIST_ATTRIBUTES:
        columns[name] = "\x01".join(SEP.join(getattr(s.meta, name)) for s in batch)
    return columns


FOLDED = {attribute for _name, _on_meta, attribute, _many in query._TEXT_SOURCES}


class Joined(Stories):
    """Stories whose text fields also come joined, as the metadata cache gives them.
    strict: reading a joined field story by story fails the test."""

    def __init__(self, batch: list[Story], columns: dict[str, str], strict: bool = False):
        super().__init__(batch)
        self.columns = columns
        self.strict = strict

    def joined(self, attribute: str) -> str | None:
        return self.columns.get(attribute)

    def values(self, attribute: str) -> list[object]:
        if self.strict and attribute in FOLDED:
            raise AssertionError(f"{attribute} was read story by story")
        return super().values(attribute)


@given(
    st.lists(
        st.tuples(stories(BULK), st.sampled_from(query.READ_STATES), st.booleans()), max_size=8
    )
)
@settings(max_examples=400)
def test_make_entries_from_columns_equals_make_entry(rows: list[tuple[Story, str, bool]]) -> None:
    batch = [row[0] for row in rows]
    reads = [row[1] for row in rows]
    favourites = [row[2] for row in rows]
    # Folded from the columns, not by falling back to the stories.
    source = Joined(batch, columns_of(batch), strict=True)
    assert make_entries(source, reads, favourites) == oracle(batch, reads, favourites)


@given(st.lists(stories(BULK), min_size=1, max_size=6), st.data())
@settings(max_examples=200)
def test_columns_with_tidy_and_empty_neighbours(batch: list[Story], data: st.DataObject) -> None:
    # [""] and [] both come as "" in a list column; both fold to "" as make_entry does.
    odd = story(title="Plain Title", tags=[""], authors=["", "Ann"], summary=None)
    empty = story(title="", tags=[], fandoms=["", ""], series="")
    for extra in (odd, empty):
        at = data.draw(st.integers(0, len(batch)))
        batch = batch[:at] + [extra] + batch[at:]
    reads = ["unread"] * len(batch)
    favourites = [False] * len(batch)
    source = Joined(batch, columns_of(batch), strict=True)
    assert make_entries(source, reads, favourites) == oracle(batch, reads, favourites)


def test_make_entries_uses_the_columns_not_the_stories() -> None:
    # Proof that the text comes from the columns (the point: no walk over the stories).
    batch = [story(title="Object Title", tags=["from objects"])]
    columns = columns_of(batch)
    columns["title"] = "Column Title"
    (entry,) = make_entries(Joined(batch, columns), ["unread"], [False])
    assert entry.title == "column title"
    assert entry.tag == "from objects"


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.__setitem__("title", c["title"] + "\x01extra"),  # a story too many
        lambda c: c.__setitem__("tags", c["tags"].split("\x01", 1)[1]),  # one too few
        lambda c: c.__setitem__("title", "a" + SEP + c["title"]),  # SEP outside a list
    ],
    ids=["too long", "too short", "separator in a title"],
)
def test_columns_that_do_not_fit_are_ignored(change) -> None:
    batch = [story(title="One", tags=["x", "y"]), story(title="Two", tags=[])]
    columns = columns_of(batch)
    change(columns)
    reads, favourites = ["unread", "reading"], [False, True]
    assert make_entries(Joined(batch, columns), reads, favourites) == oracle(
        batch, reads, favourites
    )


def test_columns_for_stories_holding_separators_are_not_trusted_blindly() -> None:
    # A title holding \x01 makes its column one value too long: the stories are folded.
    batch = [story(title="a\x01b"), story(title="Two")]
    assert make_entries(Joined(batch, columns_of(batch)), ["unread"] * 2, [False] * 2) == oracle(
        batch, ["unread"] * 2, [False] * 2
    )
