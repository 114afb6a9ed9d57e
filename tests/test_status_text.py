"""The status lines' words, without a terminal."""

from __future__ import annotations

from tuific.status_text import Chapter, library_status, reader_status


def test_library_status_counts_sorts_and_says_what_it_is_doing():
    assert library_status(12, 12, "title", False) == "12 stories · by title"
    assert library_status(1, 1, "title", False) == "1 story · by title"
    assert library_status(3, 12, "length", True, skipped=2) == (
        "3 of 12 stories · by length ↑ · 2 skipped (! to see why)"
    )
    assert library_status(5, 5, "title", False, scanning=True).endswith("scanning… 5")
    assert library_status(5, 5, "title", False, checking=True).endswith("checking for changes…")


def test_an_empty_library_says_what_would_fill_it():
    assert library_status(0, 0, "title", False, library="~/fic") == (
        "no stories in ~/fic: add .txt .md .html .epub"
    )
    # Files were found but none could be read: say so, as the line of a full list does.
    assert library_status(0, 0, "title", False, skipped=2, library="~/fic") == (
        "no stories in ~/fic · 2 skipped (! to see why) · add .txt .md .html .epub"
    )
    scanning = library_status(0, 0, "title", False, scanning=True)
    assert scanning == "0 stories · by title · scanning… 0"


def test_reader_status_figures():
    line = reader_status(0.4, 12, note="search wrapped to the start", match=0, matches=3)
    assert line.figures == "search wrapped to the start · match 1 of 3 · story 40% · 12 min left"
    assert line.chapter_title == ""
    assert reader_status(1.0, 0).figures == "story 100% · the end"
    # A story that fits on one screen: no "story 0% · the end".
    assert reader_status(0.0, 0, at_end=True, finished=False).figures == (
        "all on this screen · Space: finished"
    )
    # At the end after a jump (End is a peek): not counted finished until paged on.
    assert reader_status(0.97, 1, at_end=True, finished=False, next_part=True).figures == (
        "story 97% · the end · Space: finished · P: next part"
    )
    assert "of 100,000+" in reader_status(0.1, 5, match=4, matches=100_000, capped=True).figures


def test_the_chapter_title_takes_the_room_the_figures_leave():
    chapter = Chapter(1, 5, "The Long Walk Home Across the Moor", 0.25)
    wide = reader_status(0.3, 10, chapter=chapter, width=120)
    assert wide.figures == "story 30% · chapter 2/5 25% · 10 min left"
    assert wide.chapter_title == chapter.title
    room = 60 - len(wide.figures) - 2
    cut = reader_status(0.3, 10, chapter=chapter, width=60).chapter_title
    assert len(cut) == room and cut.endswith("…")
    assert reader_status(0.3, 10, chapter=chapter, width=len(wide.figures) + 5).chapter_title == ""


def test_a_share_read_is_rounded_down_so_100_percent_is_the_end() -> None:
    from tuific.describe import percent

    assert [percent(f) for f in (0.0, 0.126, 0.996, 1.0)] == ["0%", "12%", "99%", "100%"]
    assert reader_status(0.996, 2).figures == "story 99% · 2 min left"


def test_the_panel_never_says_100_percent_and_minutes_left() -> None:
    from tuific.describe import describe
    from tuific.model import Metadata, Story

    story = Story(path="long.txt", format="txt", meta=Metadata(title="Long"), words=100_000)
    rows = dict(describe(story, read="reading", progress=0.996))
    assert rows["Progress"] == "99% · 2 min left"
