"""less and vim habits in the reader: Ctrl+F/B, d/u and Ctrl+D/U, e/y and Ctrl+E/Y,
lettered marks (m a, ' a), '' back to before the last jump, regex search."""

from __future__ import annotations

import pytest
from test_reader_features import chaptered, open_tides
from uihelpers import make_app, wait_until

from tuific.model import Paragraph
from tuific.search import StorySearch, asks_for_regex
from tuific.state import story_key

SIZES = [(80, 24), (160, 50)]


@pytest.fixture
def story_path(tmp_path):
    return chaptered(tmp_path / "lib")


@pytest.mark.parametrize("size", SIZES)
async def test_less_and_vim_scrolling_keys(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        half = reader.size.height // 2
        # Inside a paragraph of body text: a line down changes the place.
        await pilot.press("right_square_bracket", "right_square_bracket", "j", "j")
        start = reader.place

        async def place_after(*keys: str):
            reader.go_to(*start)
            await pilot.press(*keys)
            return reader.place

        same_as = [
            ("ctrl+f", ["space"]),
            ("ctrl+b", ["b"]),
            ("d", ["j"] * half),
            ("ctrl+d", ["j"] * half),
            ("u", ["k"] * half),
            ("ctrl+u", ["k"] * half),
            ("e", ["j"]),
            ("ctrl+e", ["j"]),
            ("y", ["k"]),
            ("ctrl+y", ["k"]),
        ]
        for key, keys in same_as:
            moved = await place_after(key)
            assert moved != start and moved == await place_after(*keys), key


@pytest.mark.parametrize("size", SIZES)
async def test_lettered_marks_and_jumping_back(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        marked = reader.place
        await pilot.press("m", "a")
        await pilot.pause()
        assert app.focused is reader
        await pilot.press("g")
        assert reader.place.paragraph == 0
        await pilot.press("apostrophe", "a")
        await pilot.pause()
        assert reader.place == marked
        await pilot.press("apostrophe", "apostrophe")  # back to before the last jump
        await pilot.pause()
        assert reader.place.paragraph == 0
        await pilot.press("apostrophe", "apostrophe")  # and forth again
        await pilot.pause()
        assert reader.place == marked
        # Set again, the mark moves: one bookmark named 'a.
        await pilot.press("G", "m", "a")
        await pilot.pause()
        marks = app.state.story(story_key(story_path)).bookmarks
        assert [b.name for b in marks] == ["'a"]
        await pilot.press("apostrophe", "z")  # no such mark: the place stays
        await pilot.pause()
        assert app.focused is reader


def test_a_pattern_asks_for_a_regex_only_with_regex_syntax():
    assert not any(map(asks_for_regex, ["Really?", "1.5", "Mr. Darcy", "(the) end"]))
    assert all(map(asks_for_regex, [r"\bcompass\b", "brass|gold", "^She", "co.*ss", "[Bb]"]))


def test_regex_search_finds_what_the_pattern_means():
    search = StorySearch([Paragraph("The brass compass."), Paragraph("A compassion, gold.")])
    assert [(m.paragraph, m.start) for m in search.find(r"\bcompass\b")] == [(0, 10)]
    assert [m.paragraph for m in search.find("brass|gold")] == [0, 1]
    assert [m.paragraph for m in search.find("compass")] == [0, 1]  # plain: a phrase
    assert search.find("[unclosed") == []  # not a regex after all: a phrase, not found


@pytest.mark.parametrize("size", SIZES)
async def test_regex_search_in_the_app(story_path, size):
    app = make_app(story_path.parent, open_path=story_path)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        await pilot.press("slash", *r"brass|BRASS", "enter")
        await wait_until(pilot, lambda: bool(reader.matches))
        assert len(reader.matches) == 2
