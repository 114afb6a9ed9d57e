"""The footer line of keys (KeyHints): what it shows, when it is drawn again."""

from __future__ import annotations

import pytest
from textual.color import Color
from uihelpers import make_app, wait_for_scan

from tuific.ui.widgets.key_hints import KeyHints
from tuific.ui.widgets.row_styles import contrast, readable_on


def one_story_app(tmp_path):
    (tmp_path / "a.txt").write_text("Title: Alder\nAuthor: B\n\nText.", encoding="utf-8")
    return make_app(tmp_path)


async def test_the_key_hints_follow_the_focus_and_repaint_only_when_they_change(tmp_path):
    app = one_story_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        hints = app.query_one(KeyHints)
        listed = hints.render_line(0).text
        assert "Help" in listed and "Quit" in listed and listed.rstrip().endswith("palette")
        assert len(listed) == hints.size.width
        repaints = []
        original = hints.refresh
        hints.refresh = lambda *a, **k: repaints.append(a) or original(*a, **k)
        app.screen.bindings_updated_signal.publish(app.screen)  # nothing changed
        await pilot.pause()
        assert repaints == []
        await pilot.press("enter")  # open the story: the reader's keys
        await pilot.pause(0.3)
        assert repaints and hints.render_line(0).text != listed


async def test_the_key_hints_take_the_new_theme_colours(tmp_path):
    app = one_story_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        hints = app.query_one(KeyHints)
        before = list(hints.render_line(0))
        await pilot.press("t")  # the other theme
        await pilot.pause(0.3)
        after = list(hints.render_line(0))
        assert [s.text for s in after] == [s.text for s in before]
        assert [s.style for s in after] != [s.style for s in before]
        key, description = after[:2]
        # (made readable on the footer where the theme's is not: the light theme's)
        theme_key = hints.rich_style + hints.get_component_rich_style("key-hints--key")
        assert key.style == readable_on(theme_key, hints.rich_style.bgcolor)
        assert description.style == hints.rich_style + hints.get_component_rich_style(
            "key-hints--description"
        )


async def test_the_key_hints_are_cut_with_an_ellipsis_when_the_line_is_too_narrow(tmp_path):
    app = one_story_app(tmp_path)
    async with app.run_test(size=(30, 24)) as pilot:
        await wait_for_scan(pilot, app)
        line = app.query_one(KeyHints).render_line(0).text
        assert len(line) == 30 and line.endswith("…") and "palette" not in line


async def test_over_a_dialog_the_key_hints_show_its_keys_not_the_screen_s(tmp_path):
    # The help said "Press Escape, q or ? to close" while the line under it said
    # "⏎ Open ? Help q Quit": q there closes the help, and Enter opens nothing.
    app = one_story_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        hints = app.query_one(KeyHints)
        listed = hints.render_line(0).text
        assert "Quit" in listed
        for key in ("question_mark", "exclamation_mark"):
            await pilot.press(key)
            await pilot.pause(0.2)
            line = hints.render_line(0).text
            assert "Close" in line, line
            assert "Quit" not in line and "Open" not in line and "palette" not in line
            await pilot.press("escape")
            await pilot.pause(0.2)
            assert hints.render_line(0).text == listed
        await pilot.press("ctrl+p")  # the command palette: typing, no keys of the list
        await pilot.pause(0.2)
        assert "Quit" not in hints.render_line(0).text
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert hints.render_line(0).text == listed


async def test_a_dialog_opened_from_another_shows_its_own_keys(tmp_path):
    # `m` then Enter: the mark-key dialog gives way to the bookmark's name prompt.
    app = one_story_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("m", "enter")
        await pilot.pause(0.3)
        assert app.query_one(KeyHints).render_line(0).text.split() == ["esc", "Cancel"]


async def test_the_reader_s_keys_are_offered_once_a_story_is_open(tmp_path):
    # Tab into the empty reader: the footer offered Page down, Chapters, Search and
    # Bookmark, keys that did nothing there.
    app = one_story_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        hints = app.query_one(KeyHints)
        await pilot.press("tab")
        await pilot.pause(0.2)
        assert app.focused is not None and app.focused.id == "reader"
        line = hints.render_line(0).text
        for word in ("Page down", "Chapters", "Search", "Bookmark"):
            assert word not in line, line
        assert "Help" in line
        await pilot.press("shift+tab", "enter")  # open the story from the list
        await pilot.pause(0.3)
        line = hints.render_line(0).text
        for word in ("Page down", "Chapters", "Search", "Bookmark"):
            assert word in line, line


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "sepia", "high-contrast-light"])
async def test_the_keys_and_the_filter_s_hint_are_readable(tmp_path, theme):
    # The light theme's keys (blue on grey) read at 2.9:1, the filter's placeholder
    # (which teaches the query syntax) at 2.6:1.
    app = one_story_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await wait_for_scan(pilot, app)
        hints = app.query_one(KeyHints)
        keys = [s for s in hints.render_line(0) if s.text.strip() in ("?", "q", "⏎")]
        assert len(keys) == 3
        hint = [s for s in app.query_one("#filter").render_line(0) if "filter:" in s.text]
        assert hint
        for segment in keys + hint:
            text = Color.from_rich_color(segment.style.color)
            page = Color.from_rich_color(segment.style.bgcolor)
            assert contrast(text, page) >= 4.5, (segment.text, theme)
