"""Header fields read as a reader means them: a `For:` line's request is not another
recipient, `Character/Pairing:` names characters, dates read in any form and written
as ISO, and a one-shot with no Status line is complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tuific.cache import MetadataCache
from tuific.dates import iso_date, with_iso_dates
from tuific.formats import load_story
from tuific.library import scan_library
from tuific.model import Stories
from tuific.query import filter_entries, make_entries, parse_query
from tuific.sorting import SortInfo, sort_indices

HEADER = (
    "Title: Everything\nAuthor: Kat\n"
    'For:felicia, who requested "Spike/Buffy reunite after W&H" -- in a manner other '
    "than what we saw\n"
    "Character/Pairing: Spike/Buffy, past Angel/Buffy\n"
    "Date Written: 31 July 2018\n\n"
    "He waited.\n"
)


def test_a_for_line_keeps_its_request_out_of_the_recipients(tmp_path):
    path = tmp_path / "everything.txt"
    path.write_text(HEADER, encoding="utf-8")
    meta = load_story(path).meta
    assert meta.recipients == ["felicia"]
    assert meta.extra["Request"].startswith('who requested "Spike/Buffy')


def test_character_pairing_fills_characters_and_relationships(tmp_path):
    path = tmp_path / "everything.txt"
    path.write_text(HEADER, encoding="utf-8")
    story = load_story(path)
    assert story.meta.relationships == ["Spike/Buffy", "past Angel/Buffy"]
    assert story.meta.characters == ["Spike", "Buffy", "Angel"]
    entries = make_entries(Stories([story]), ["unread"], [False])
    assert list(filter_entries(parse_query("character:spike"), entries)) == [0]


@pytest.mark.parametrize(
    "text, iso",
    [
        ("12 February 2020", "2020-02-12"),
        ("Jan 5, 2016", "2016-01-05"),
        ("2021-04-18", "2021-04-18"),
        ("March 3, 2019", "2019-03-03"),
        ("March 2019", "2019-03"),
        ("sometime in 2011", "2011"),
        ("yesterday", None),
    ],
)
def test_dates_are_written_as_iso(text, iso):
    assert iso_date(text) == iso


def write(root: Path, name: str, header: str) -> None:
    (root / name).write_text(header + "\n\nWords here.\n", encoding="utf-8")


@pytest.fixture
def dated_library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    write(root, "a.txt", "Title: A\nDate Posted: 12 February 2020")
    write(root, "b.txt", "Title: B\nDate Posted: Jan 5, 2016")
    write(root, "c.txt", "Title: C\nDate Posted: 2021-04-18\nStatus: In-Progress")
    write(root, "d.txt", "Title: D\nDate Posted: March 3, 2019\nChapters: 1/3")
    return root


def test_json_records_give_iso_dates_beside_the_originals(dated_library):
    story = load_story(dated_library / "b.txt")
    record = with_iso_dates(story.record())
    assert record["published"] == "2016-01-05"
    assert record["published_original"] == "Jan 5, 2016"
    assert story.meta.published == "Jan 5, 2016"  # shown as written


def test_published_sort_orders_the_four_forms_by_date(dated_library):
    stories = Stories(load_story(p) for p in sorted(dated_library.iterdir()))
    infos = [SortInfo() for _ in stories]
    order = sort_indices(stories, infos, "published", range(len(stories)))
    assert [stories[i].meta.title for i in order] == ["C", "A", "D", "B"]


@pytest.mark.parametrize("cached", [False, True])
def test_status_complete_includes_one_shots_without_a_status_line(dated_library, cached):
    stories: Any = Stories(load_story(p) for p in sorted(dated_library.iterdir()))
    if cached:  # the columns of a cached listing, as the app lists a library at start
        cache = MetadataCache(dated_library)
        list(scan_library(dated_library, cache))
        cache.save()
        listed = MetadataCache(dated_library).listed()
        assert listed is not None
        stories = listed[0]
    titles = stories.values("title")
    entries = make_entries(stories, ["unread"] * len(stories), [False] * len(stories))
    complete = [titles[i] for i in filter_entries(parse_query("status:complete"), entries)]
    wip = [titles[i] for i in filter_entries(parse_query("status:wip"), entries)]
    assert sorted(complete) == ["A", "B"]
    assert sorted(wip) == ["C", "D"]


def test_the_lists_status_column_shows_a_one_shot_as_complete(dated_library):
    from tuific.listing import Listing
    from tuific.ui.widgets.story_list import cell_text

    listing = Listing()
    listing.add(Stories(load_story(p) for p in sorted(dated_library.iterdir())))
    marks = {item.value("title"): cell_text(item, "status") for item in listing.items}
    assert marks == {"A": "✓", "B": "✓", "C": "WIP", "D": "WIP"}
