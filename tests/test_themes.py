"""Themes: the reading themes and the terminal-palette one, `t`, remembering a choice,
the start-up theme of a 16-colour terminal, NO_COLOR, and every cell's background."""

from __future__ import annotations

from pathlib import Path

import pytest
from uihelpers import make_app, wait_for_scan, wait_for_story

from tuific.ui import themes
from tuific.ui.widgets.reader import Reader

TALK = (
    "Title: Talk\nAuthor: Wren\n\n"
    "The kettle was already on.\n\n"
    '"I *never* said that," she said, and he laughed.\n\n'
    "* * *\n\n"
    "Later, the rain."
)


@pytest.fixture
def talk(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "talk.md").write_text(TALK, encoding="utf-8")
    (root / "other.txt").write_text("Title: Other\nAuthor: B\n\nText.", encoding="utf-8")
    return root / "talk.md"


def test_few_colours_means_fewer_than_256():
    assert themes.few_colours("standard") and themes.few_colours(None)
    assert themes.few_colours("windows")
    assert not themes.few_colours("256") and not themes.few_colours("truecolor")
    assert themes.default_theme("standard", None) == "ansi"
    assert themes.default_theme("truecolor", None) == "textual-dark"
    assert themes.default_theme("standard", "sepia") == "sepia"  # the config's word wins
    assert themes.pref_key("standard") != themes.pref_key("256")


def test_t_steps_through_the_reading_themes_and_back():
    seen = ["nord"]
    for _ in range(len(themes.READING_CYCLE)):
        seen.append(themes.next_theme(seen[-1]))
    assert seen[1:] == list(themes.READING_CYCLE)
    assert themes.next_theme(seen[-1]) == themes.READING_CYCLE[0]
    assert {"sepia", "high-contrast-light", "ansi"} <= set(themes.READING_CYCLE)


def dialogue_segments(reader: Reader, text: str) -> list:
    """The drawn segments of the reader row that holds `text`."""
    for y in range(reader.size.height):
        strip = reader.render_line(y)
        if text in strip.text:
            return list(strip)
    raise AssertionError(f"{text!r} not on screen")


async def test_no_color_sets_dialogue_in_italics_and_emphasis_in_it_upright(talk, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(talk.parent, open_path=talk)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Talk")
        assert app.no_color
        segments = dialogue_segments(reader, "she said")
        styles = {segment.text.strip(): segment.style for segment in segments}
        assert styles['"I'].italic and styles['said that,"'].italic
        assert styles["never"].italic is False  # emphasis inside italic dialogue
        assert not styles["she said, and he laughed."].italic
        assert not dialogue_segments(reader, "kettle")[1].style.italic


async def test_with_colour_dialogue_is_told_by_its_colour_not_its_slant(talk):
    app = make_app(talk.parent, open_path=talk)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Talk")
        segments = dialogue_segments(reader, "she said")
        styles = {segment.text.strip(): segment.style for segment in segments}
        assert not styles['"I'].italic and styles["never"].italic
        assert styles['"I'].color != styles["she said, and he laughed."].color


async def test_t_cycles_the_themes_and_the_choice_survives_a_restart(talk):
    app = make_app(talk.parent, open_path=talk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_story(pilot, app, "Talk")
        assert app.theme == "textual-dark"
        for expected in themes.READING_CYCLE[1:]:
            await pilot.press("t")
            await pilot.pause()
            assert app.theme == expected
            assert app.state.pref("theme") == expected
        await pilot.press("t", "t", "t")  # round to sepia
        await pilot.pause()
        assert app.theme == "sepia"
        await pilot.press("q")
    app = make_app(talk.parent, open_path=talk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_story(pilot, app, "Talk")
        assert app.theme == "sepia"


async def test_a_theme_chosen_in_the_command_palette_is_remembered(talk):
    app = make_app(talk.parent)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        for key in "theme":
            await pilot.press(key)
        await pilot.pause(0.5)
        await pilot.press("enter")  # "Theme": the list of themes
        await pilot.pause(0.5)
        for key in "high-contrast":
            await pilot.press(key)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.theme == "high-contrast-light"
        await pilot.press("q")
    app = make_app(talk.parent)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        assert app.theme == "high-contrast-light"


async def test_a_16_colour_terminal_starts_in_the_ansi_theme_and_keeps_its_own_choice(
    talk, monkeypatch
):
    monkeypatch.setenv("TERM", "xterm")
    app = make_app(talk.parent, open_path=talk)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_story(pilot, app, "Talk")
        assert app.console.color_system == "standard"
        assert app.theme == "ansi" and app.native_ansi_color
        assert app.state.pref("theme_16") is None  # chosen by nobody: nothing stored
        await pilot.press("t")
        await pilot.pause()
        assert app.state.pref("theme_16") == "textual-dark"
        assert app.state.pref("theme") is None  # a richer terminal's choice is its own
        await pilot.press("q")


def cells_without_background(app) -> list[tuple[int, str]]:
    """(row, text) of every run drawn on the terminal's own background."""
    update = app.screen._compositor.render_full_update()
    missing = []
    for y, strips in enumerate(update.strips):
        for strip in strips:
            for segment in strip:
                style = segment.style
                background = None if style is None else style.bgcolor
                if segment.control is None and (background is None or background.is_default):
                    missing.append((y, segment.text))
    return missing


@pytest.mark.parametrize("size", [(80, 24), (140, 36)])
async def test_every_cell_is_drawn_on_the_theme_background(talk, size):
    """In a light-background terminal nothing shows through the theme (ansi aside:
    the terminal's own background is that theme's point)."""
    app = make_app(talk.parent, open_path=talk)
    async with app.run_test(size=size) as pilot:
        await wait_for_story(pilot, app, "Talk")
        for name in themes.READING_CYCLE:
            if name == "ansi":
                continue
            app.theme = name
            await pilot.pause()
            assert cells_without_background(app) == [], name
            await pilot.press("question_mark")  # a dialog over the panes
            await pilot.pause()
            assert cells_without_background(app) == [], f"{name}, help"
            await pilot.press("escape")
            await pilot.press("tab")  # the list focused, the reader's place kept
            await pilot.pause()
            assert cells_without_background(app) == [], f"{name}, list"
            await pilot.press("shift+tab")


async def test_the_ansi_theme_draws_in_the_terminal_palette(talk):
    app = make_app(talk.parent, open_path=talk)
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Talk")
        app.theme = "ansi"
        await pilot.pause()
        styles = {s.text.strip(): s.style for s in dialogue_segments(reader, "she said")}
        colour = styles['"I'].color
        assert colour.number == 5 and colour.triplet is None  # the palette's magenta, no RGB
        assert cells_without_background(app)  # the terminal's own background shows
        break_style = reader.get_component_rich_style("reader--scene-break")
        assert break_style.dim  # no half-tones in 16 colours: muted is dimmed


def drawn_styles(app) -> list:
    update = app.screen._compositor.render_full_update()
    return [
        segment.style
        for strips in update.strips
        for strip in strips
        for segment in strip
        if segment.style is not None and segment.control is None
    ]


async def test_no_color_on_a_16_colour_terminal_keeps_the_terminal_colours(talk, monkeypatch):
    """Not black on black: the NO_COLOR filter must suit the theme shown, not the
    theme Textual started in."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    app = make_app(talk.parent)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        assert app.theme == "ansi"
        styles = drawn_styles(app)
        for style in styles:
            for colour in (style.color, style.bgcolor):
                assert colour is None or colour.is_default, style
        assert any(style.reverse for style in styles)  # the focused list row
        await pilot.press("t")  # an RGB theme: shades of grey
        await pilot.pause()
        greys = [s.bgcolor.triplet for s in drawn_styles(app) if s.bgcolor is not None]
        assert greys and all(t is not None and t.red == t.green == t.blue for t in greys)
