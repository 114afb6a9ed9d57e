"""Chapters, search, bookmarks, width and resize in the running app (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from uihelpers import make_app, screen_text, wait_for_story, wait_until

from tuific.state import StateStore, story_key
from tuific.ui.reader_pane import ReaderPane
from tuific.ui.screens.pickers import BookmarkPicker, ChapterPicker, TextPrompt
from tuific.ui.widgets.reader import Reader


def chaptered(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    chapters = []
    for number in range(1, 6):
        body = "\n\n".join(
            f"Paragraph {number}.{i}: the tide came in over the flats and went out "
            f"again, grey and patient, and the gulls complained about it as gulls do."
            for i in range(30)
        )
        chapters.append(f"Chapter {number}: Tide {number}\n\n{body}")
    chapters[2] += "\n\nShe found the brass compass under the stairs."
    chapters[4] += "\n\nThe BRASS COMPASS pointed home at last."
    path = root / "tides.txt"
    path.write_text("Title: Tides\nAuthor: Marram\n\n" + "\n\n".join(chapters), encoding="utf-8")
    return path


@pytest.fixture
def story_path(tmp_path: Path) -> Path:
    return chaptered(tmp_path / "lib")


async def open_tides(pilot, app) -> Reader:
    return await wait_for_story(pilot, app, "Tides")


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_chapter_keys_and_list(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        chapters = reader.story.chapters
        assert [c.title for c in chapters] == [f"Chapter {n}: Tide {n}" for n in range(1, 6)]
        await pilot.press("right_square_bracket")
        assert reader.place.paragraph == chapters[1].paragraph
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert reader.chapter_index == 3
        assert "Chapter 4: Tide 4" in screen_text(app)  # current chapter shown
        await pilot.press("left_square_bracket")  # at a chapter start: previous chapter
        assert reader.chapter_index == 2
        await pilot.press("c")
        assert isinstance(app.screen, ChapterPicker)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert reader.chapter_index == 4 and reader.place.paragraph == chapters[4].paragraph


async def test_search_highlights_counts_and_wraps(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"brass compass", "enter")
        await pilot.pause()
        assert len(reader.matches) == 2
        assert reader.current_match == 0
        first = reader.matches[0]
        assert reader.shows_place(first.paragraph, first.start)
        assert "match 1 of 2" in screen_text(app)
        await pilot.press("n")
        assert reader.current_match == 1
        assert "match 2 of 2" in screen_text(app)
        await pilot.press("n")  # wraps to the first
        assert reader.current_match == 0
        await pilot.press("N")  # and back, wrapping to the last
        assert reader.current_match == 1
        await pilot.press("escape")  # clears the highlights
        assert reader.matches == []


async def test_search_with_no_match_says_so(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("slash", *"zeppelin", "enter")
        await pilot.pause()
        assert reader.matches == []
        assert "Not found: zeppelin" in screen_text(app)


async def test_bookmarks_add_name_jump_and_delete(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    key = story_key(story_path)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        marked = reader.place
        await pilot.press("m", "enter")  # Enter after m: a bookmark to name
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"the compass", "enter")
        await pilot.pause()
        await pilot.press("g")
        assert reader.place.paragraph == 0
        await pilot.press("M")
        assert isinstance(app.screen, BookmarkPicker)
        assert "the compass" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert reader.place == marked
        saved = StateStore()
        saved.load()
        assert [b.name for b in saved.get(key).bookmarks] == ["the compass"]
        await pilot.press("M", "d", "escape")
        await pilot.pause()
    saved = StateStore()
    saved.load()
    assert saved.get(key).bookmarks == []


async def test_width_keys_change_and_are_remembered(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(200, 50)) as pilot:
        reader = await open_tides(pilot, app)
        assert reader.line_width == 72
        await pilot.press("greater_than_sign", "greater_than_sign")
        assert reader.line_width == 80
        assert reader.text_layout.width == 80
        await pilot.press("q")
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(200, 50)) as pilot:
        reader = await open_tides(pilot, app)
        assert reader.line_width == 80


async def test_resize_keeps_the_reading_place(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(160, 50)) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("right_square_bracket", "right_square_bracket", "j", "j", "j")
        place = reader.place
        text_at_top = reader.story.paragraphs[place.paragraph].text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert reader.place.paragraph == place.paragraph
        # The top row still holds the character the reader was at.
        layout = reader.text_layout
        line = layout.line_of(place.paragraph, place.offset)
        assert layout.offset_of(place.paragraph, line) <= place.offset
        assert text_at_top
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert reader.place.paragraph == place.paragraph


async def test_progress_and_time_left_shown(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_tides(pilot, app)
        await pilot.pause()
        text = screen_text(app)
        assert "0%" in text and "left" in text
        await pilot.press("G")
        await pilot.pause()
        assert "100%" in screen_text(app)


async def test_a_huge_story_shows_its_start_then_the_whole(tmp_path):
    root = tmp_path / "big"
    root.mkdir()
    path = chaptered(root)  # small; make a big one beside it
    big = root / "huge.txt"
    body = "\n\n".join(f"Paragraph {i}: the tide came in and went out again." for i in range(40000))
    big.write_text("Title: Huge\nAuthor: H\n\n" + body, encoding="utf-8")
    app = make_app(root, open_path=big)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Huge")
        await pilot.press("G")  # the end of the first part, if still partial
        await wait_until(pilot, lambda: len(reader.story.paragraphs) == 40000, 200)
        assert len(reader.story.paragraphs) == 40000
        assert not app.reader_pane.partial
        await pilot.pause()
        # End is a peek, not reading: the story is not finished.
        assert app.current.read != "finished"
        await pilot.press("G", "space")  # reading on from the last page: the end
        await pilot.pause()
        assert app.current.read == "finished"
        assert path.exists()


async def test_a_long_story_shows_first_from_the_smallest_head_that_holds_the_place(
    tmp_path, monkeypatch
):
    root = tmp_path / "long"
    root.mkdir()
    big = root / "long.txt"
    body = "\n\n".join(f"Paragraph {i}: the tide came in and went out again." for i in range(20000))
    big.write_text("Title: Long\nAuthor: L\n\n" + body, encoding="utf-8")
    shown: list[tuple[int, bool]] = []  # (paragraphs, partial) of each story shown

    original = ReaderPane._show_story

    def spy(pane, story, request=None, partial=False):
        shown.append((len(story.paragraphs or []), partial))
        return original(pane, story, request, partial)

    monkeypatch.setattr(ReaderPane, "_show_story", spy)
    app = make_app(root, open_path=big)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Long")
        await wait_until(pilot, lambda: not app.reader_pane.partial, 200)
        first_place_beyond_small_head = shown[0][0] + 50
        reader.go_to(first_place_beyond_small_head)
        await pilot.pause()
    # At the start: the 16 KiB head (some 300 paragraphs), then the whole story.
    assert shown[0][1] and 100 < shown[0][0] < 1000
    assert shown[-1][0] >= 20000 and not shown[-1][1]

    shown.clear()
    app = make_app(root, open_path=big)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Long")
        # The saved place lies past the small head: the 256 KiB head shows it.
        assert shown[0][1] and shown[0][0] > first_place_beyond_small_head
        assert reader.place.paragraph == first_place_beyond_small_head


async def test_wider_stops_at_what_the_pane_can_show(story_path):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_tides(pilot, app)
        for _ in range(20):
            await pilot.press("greater_than_sign")
        assert reader.line_width == reader.size.width - 2
        assert "widest" in screen_text(app)
