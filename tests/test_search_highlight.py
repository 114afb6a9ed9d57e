"""Search matches in the reader are readable in every reading theme, and the current
match differs from the others (Pilot, 80x24)."""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from textual.color import Color
from uihelpers import make_app, wait_for_story, write_library

from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.row_styles import contrast

STORY = (
    "Title: Gulls\nAuthor: Marram\n\n"
    "The gull sat on the wall, and another gull sat beside it.\n\n"
    '"Go away, gull," said Ada.\n'
)


def colour(rich: RichColor | None) -> Color:
    assert rich is not None
    return Color.from_rich_color(rich)


def match_styles(reader: Reader, word: str):
    """The style of every run of `word` on screen, in reading order."""
    styles = []
    for y in range(reader.size.height):
        for segment in reader.render_line(y):
            if segment.text == word:
                styles.append(segment.style)
    return styles


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "sepia", "high-contrast-light"])
async def test_every_match_is_readable_and_the_current_one_stands_out(tmp_path, theme):
    library = write_library(tmp_path, {"gulls.txt": STORY})
    app = make_app(library, open_path=library / "gulls.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        reader = await wait_for_story(pilot, app, "Gulls")
        await pilot.press("slash", *"gull", "enter")
        await pilot.pause()
        assert len(reader.matches) == 3
        styles = match_styles(reader, "gull")
        assert len(styles) == 3
        page = colour(reader.rich_style.bgcolor)
        for style in styles:
            text = colour(style.color) if style.color else colour(reader.rich_style.color)
            assert contrast(text, colour(style.bgcolor)) >= 4.5, (theme, style)
        current, others = styles[0], styles[1:]
        # The others are a tint of the page, not the current match's full colour.
        assert all(other.bgcolor != current.bgcolor for other in others)
        assert all(colour(o.bgcolor) != page for o in others)


async def test_the_current_match_stands_out_in_the_terminal_palette(tmp_path):
    library = write_library(tmp_path, {"gulls.txt": STORY})
    app = make_app(library, open_path=library / "gulls.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "ansi"
        reader = await wait_for_story(pilot, app, "Gulls")
        await pilot.press("slash", *"gull", "enter")
        await pilot.pause()
        current, *others = match_styles(reader, "gull")
        assert others and all(other != current for other in others)
