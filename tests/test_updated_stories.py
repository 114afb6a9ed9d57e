"""Updated works in progress: a story that grew since it was read is "updated"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from statehelpers import raw
from uihelpers import make_app, screen_text, wait_for_scan, wait_for_story, wait_until

from tuific.cli import main
from tuific.listing import reading_of
from tuific.state import StateStore, StoryState, story_key
from tuific.state.records import Position
from tuific.state.status import growth, progress, read_status, resume_paragraph
from tuific.ui.widgets.story_list import StoryList, cell_text


def finished_entry(words: int = 1000, chapters: int = 2, paragraphs: int = 20) -> StoryState:
    return StoryState(
        position=Position(paragraphs - 1, 0),
        last_opened="2026-01-01T00:00:00Z",
        finished=True,
        words=words,
        chapters=chapters,
        paragraphs=paragraphs,
    )


# ------------------------------------------------------------------ core


def test_new_chapters_make_a_finished_story_updated():
    entry = finished_entry()
    assert read_status(entry, 1000, 2) == "finished"
    assert read_status(entry) == "finished"  # without its length now: as stored
    assert read_status(entry, 1500, 4) == "updated"
    assert growth(entry, 1500, 4).label() == "+2 ch"
    assert growth(entry, 1500, 4).describe() == "2 new chapters"


def test_more_words_without_new_chapters_count_only_when_substantial():
    entry = finished_entry(words=10_000, chapters=1)
    assert read_status(entry, 10_150, 1) == "finished"  # a typo fixed, a note added
    assert read_status(entry, 9_000, 1) == "finished"  # shorter: not updated
    assert read_status(entry, 13_000, 1) == "updated"
    assert growth(entry, 13_000, 1).label() == "+3k w"
    # An entry saved before chapters were stored still sees words grow.
    entry.chapters = None
    assert read_status(entry, 13_000, 4) == "updated"


def test_a_never_opened_story_is_never_updated():
    assert read_status(StoryState(words=100), 5000, 9) == "unread"
    assert read_status(None, 5000, 9) == "unread"


def test_progress_is_measured_against_the_new_length():
    entry = finished_entry(words=1000)
    assert progress(entry, None, 1000, 2) == 1.0
    assert progress(entry, None, 2000, 4) == pytest.approx(0.5)
    reading = StoryState(
        position=Position(5, 0), last_opened="x", words=1000, chapters=2, paragraphs=10
    )
    assert progress(reading, None, 1000, 2) == pytest.approx(0.5)
    assert progress(reading, None, 4000, 5) == pytest.approx(0.125)
    # The loaded story's own paragraph count is already its new length.
    assert progress(reading, 20, 4000, 5) == pytest.approx(0.25)


def test_resume_at_the_first_new_chapter_or_the_old_end():
    entry = finished_entry(words=1000, chapters=2, paragraphs=20)
    assert resume_paragraph(entry, 1600, [0, 10, 20, 30], 40) == 20
    assert resume_paragraph(entry, 1000, [0, 10], 20) is None  # did not grow
    flat = finished_entry(words=1000, chapters=1, paragraphs=20)
    assert resume_paragraph(flat, 2000, [], 40) == 20  # no headings: the old end
    halfway = finished_entry(words=1000, chapters=2, paragraphs=20)
    halfway.finished, halfway.position = False, Position(5, 0)
    assert resume_paragraph(halfway, 1600, [0, 10, 20, 30], 40) is None  # keep the place


def test_chapters_are_stored_round_trip_and_merged(tmp_path):
    path = tmp_path / "state.toml"
    one = StateStore(path)
    one.mark_opened("/a", words=100, paragraphs=10, chapters=3)
    assert one.save()
    assert raw(path)["stories"]["/a"]["chapters"] == 3
    two = StateStore(path)
    two.load()
    assert two.get("/a").chapters == 3
    two.mark_opened("/a", words=200, paragraphs=20, chapters=5)
    assert two.save()
    one.set_position("/b", 1, 0)
    assert one.save()  # merges: the newer length wins
    assert one.get("/a").chapters == 5


def test_marking_an_updated_story_finished_takes_its_new_length():
    store = StateStore(Path("/nonexistent/state.toml"))
    store.mark_opened("/a", words=1000, paragraphs=10, chapters=2)
    store.set_finished("/a", True)
    assert store.read_status("/a", 2000, 4) == "updated"
    store.set_finished("/a", True, (2000, 4))
    assert store.read_status("/a", 2000, 4) == "finished"


def test_reading_of_labels_the_growth():
    reading = reading_of(finished_entry(), 1500, 5)
    assert (reading.read, reading.grown) == ("updated", "+3 ch")
    assert reading_of(finished_entry(), 1000, 2).grown == ""


# ------------------------------------------------------------------ a real story file


def chapters_text(count: int) -> str:
    head = "Title: Growing Tale\nAuthor: fennel\nStatus: In-Progress\n\n"
    body = "\n\n".join(
        f"Chapter {n}\n\n" + "\n\n".join(f"Line {n}.{i} " + "word " * 30 for i in range(8))
        for n in range(1, count + 1)
    )
    return head + body


def finish_story(file: Path, chapters: int) -> None:
    """What reading a story to its end leaves in the state file."""
    from tuific.formats import load_story
    from tuific.model import chapter_count

    story = load_story(file)
    store = StateStore()
    store.load()
    key = story_key(file)
    store.mark_opened(key, story.words, len(story.paragraphs), chapter_count(story))
    assert chapter_count(story) == chapters
    store.set_position(key, len(story.paragraphs) - 1, 0)
    store.set_finished(key, True)
    assert store.save()


def grown_library(tmp_path: Path) -> tuple[Path, Path]:
    """A library whose one story was finished at two chapters and now has four."""
    root = tmp_path / "lib"
    root.mkdir()
    file = root / "tale.txt"
    file.write_text(chapters_text(2), encoding="utf-8")
    finish_story(file, 2)
    file.write_text(chapters_text(4), encoding="utf-8")
    return root, file


def test_tuific_list_reports_an_updated_story(tmp_path, capsys):
    root, _file = grown_library(tmp_path)
    assert main(["list", "--json", str(root)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["read"], record["grown"]) == ("updated", "+2 ch")
    assert record["progress"] < 1
    assert main(["list", str(root), "read:updated"]) == 0
    assert "Growing Tale" in capsys.readouterr().out


async def test_the_list_shows_updated_and_opening_goes_to_the_first_new_chapter(tmp_path):
    root, file = grown_library(tmp_path)
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        item = app.query_one(StoryList).current
        assert item.read == "updated" and cell_text(item, "progress") == "+2 ch"
        app.apply_filter("read:updated")
        await pilot.pause()
        assert len(app.query_one(StoryList).rows) == 1
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Growing Tale")
        await wait_until(pilot, lambda: reader.chapter_index == 2)
        assert reader.chapter_index == 2  # "Chapter 3", the first new one
        assert "Line 3.0" in screen_text(app)
        assert app.current.read == "reading"
    store = StateStore()
    store.load()
    entry = store.get(story_key(file))
    assert (entry.chapters, entry.finished) == (4, False)


def test_work_id_is_the_normalised_source_url():
    from tuific.state.status import work_id

    assert work_id({"Story URL": "https://www.Test1.com?sid=2/"}) == "test1.com?sid=2"
    assert work_id({"Source": "http://archiveofourown.org/works/1"}) == (
        "archiveofourown.org/works/1"
    )
    assert work_id({"Story URL": "not a url"}) is None
    assert work_id({}) is None


def test_a_story_renamed_and_grown_at_once_is_followed_by_its_source(tmp_path, capsys):
    root = tmp_path / "lib"
    root.mkdir()
    source = "Story URL: http://test1.com?sid=9\n"
    old = root / "Tale (Ch 1-2).txt"
    old.write_text(chapters_text(2).replace("Status:", source + "Status:"), encoding="utf-8")
    from tuific.formats import load_story
    from tuific.model import chapter_count
    from tuific.state.status import work_id

    story = load_story(old)
    store = StateStore()
    store.load()
    store.mark_opened(
        story_key(old),
        story.words,
        len(story.paragraphs),
        chapter_count(story),
        work_id(story.meta.extra),
    )
    store.set_finished(story_key(old), True)
    assert store.save()
    old.unlink()  # FanFicFare writes the update under the new title's file name
    new = root / "Tale.txt"
    new.write_text(chapters_text(5).replace("Status:", source + "Status:"), encoding="utf-8")
    assert main(["list", "--json", str(root)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["read"], record["grown"]) == ("updated", "+3 ch")


async def test_a_long_finished_story_opened_from_the_command_line_goes_to_its_new_chapter(
    tmp_path,
):
    # Over the 256 KiB quick-start head once grown: its first page must not be shown
    # from the head at the old place while the whole is read.
    def long_text(count: int) -> str:
        return "Title: Long Tale\n\n" + "\n\n".join(
            f"Chapter {n}\n\n" + "\n\n".join(f"Line {n}.{i} " + "word " * 60 for i in range(220))
            for n in range(1, count + 1)
        )

    root = tmp_path / "lib"
    root.mkdir()
    file = root / "long.txt"
    file.write_text(long_text(2), encoding="utf-8")
    finish_story(file, 2)
    file.write_text(long_text(4), encoding="utf-8")
    assert file.stat().st_size > 256 * 1024
    app = make_app(root, open_path=file)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Long Tale")
        await wait_until(pilot, lambda: not app.reader_pane.partial and reader.chapter_index == 2)
        assert reader.chapter_index == 2


_SOURCE = "Story URL: http://test1.com?sid=9\n"


def _fanficfare_tale(path: Path, chapters: int) -> None:
    path.write_text(chapters_text(chapters).replace("Status:", _SOURCE + "Status:"),
                    encoding="utf-8")


async def _mark_unopened(root: Path, key: str) -> None:
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press(key)
        await pilot.pause()
        if key == "x":
            assert app.query_one(StoryList).current.read == "finished"


async def test_a_story_marked_finished_unopened_is_followed_when_renamed_and_grown(tmp_path):
    # `x` in the list, never opened: the mark must record the story's source as
    # opening it would, or a re-download under a new name starts unread.
    root = tmp_path / "lib"
    root.mkdir()
    old = root / "Tale (Ch 1-2).txt"
    _fanficfare_tale(old, 2)
    await _mark_unopened(root, "x")
    store = StateStore()
    store.load()
    assert store.get(story_key(old)).work == "test1.com?sid=9"
    old.unlink()
    new = root / "Tale.txt"
    _fanficfare_tale(new, 5)
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        await wait_until(pilot, lambda: story_list.current.read == "updated")
        item = story_list.current
        assert (item.story.path, item.read, item.grown) == (str(new), "updated", "+3 ch")


async def test_a_favourite_marked_unopened_is_followed_when_renamed_and_changed(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    old = root / "Tale (Ch 1-2).txt"
    _fanficfare_tale(old, 2)
    await _mark_unopened(root, "f")
    old.unlink()
    new = root / "Tale.txt"
    _fanficfare_tale(new, 3)
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        await wait_until(pilot, lambda: story_list.current.favourite)
        assert story_list.current.story.path == str(new) and story_list.current.favourite
