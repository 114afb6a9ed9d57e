"""The footer line of keys (KeyHints): what it shows, when it is drawn again."""

from __future__ import annotations

from uihelpers import make_app, wait_for_scan

from tuific.ui.widgets.key_hints import KeyHints


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
        assert key.style == hints.rich_style + hints.get_component_rich_style("key-hints--key")
        assert description.style == hints.rich_style + hints.get_component_rich_style(
            "key-hints--description"
        )


async def test_the_key_hints_are_cut_with_an_ellipsis_when_the_line_is_too_narrow(tmp_path):
    app = one_story_app(tmp_path)
    async with app.run_test(size=(30, 24)) as pilot:
        await wait_for_scan(pilot, app)
        line = app.query_one(KeyHints).render_line(0).text
        assert len(line) == 30 and line.endswith("…") and "palette" not in line
