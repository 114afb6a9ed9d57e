"""No jump or page turn animates: over a slow link an animated scroll is a dozen
frames for one move (TEXTUAL_ANIMATIONS=none turns off the rest, see the README)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widget import Widget
from uihelpers import make_app, wait_for_scan, wait_for_story

from tuific.resources import demo_dir
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.story_list import StoryList


def library(root: Path) -> Path:
    root.mkdir()
    chapters = [
        f"Chapter {n}: Stones {n}\n\n"
        + "\n\n".join(f"Paragraph {n}.{i}: the dry-stone wall ran up the fell." for i in range(40))
        for n in range(1, 20)
    ]
    story = root / "walls.txt"
    story.write_text(
        "Title: Walls\nAuthor: Fell\nTags: "
        + ", ".join(f"tag {i}" for i in range(60))
        + "\nSummary: "
        + "A long summary of walls. " * 200
        + "\n\n"
        + "\n\n".join(chapters),
        encoding="utf-8",
    )
    for i in range(30):
        (root / f"s{i:02}.txt").write_text(f"Title: Story {i:02}\n\nText.", encoding="utf-8")
    return story


def animating(app) -> list[str]:
    """Widgets, on every screen, whose scroll position is being animated."""
    busy = []
    for screen in app.screen_stack:
        for widget in [screen, *screen.walk_children()]:
            for attribute in ("scroll_x", "scroll_y"):
                if app.animator.is_being_animated(widget, attribute):
                    busy.append(f"{widget!r}.{attribute}")
    return busy


KEYS = {
    "reader": [
        "space",
        "b",
        "G",
        "g",
        "right_square_bracket",
        "left_square_bracket",
        "j",
        "pagedown",
        "pageup",
        "end",
        "home",
    ],
    "list": ["space", "b", "G", "g", "pagedown", "pageup", "end", "home", "j"],
    "meta": ["pagedown", "pageup", "end", "home", "down", "up", "space"],
    "help": ["pagedown", "space", "b", "end", "home", "down", "pageup"],
    "chapters": ["pagedown", "end", "home", "pageup", "down"],
}


@pytest.mark.parametrize("size", [(80, 24), (150, 30)])
async def test_no_jump_or_page_turn_animates(tmp_path, size):
    story = library(tmp_path / "lib")
    app = make_app(story.parent, open_path=story)
    async with app.run_test(size=size) as pilot:
        await wait_for_story(pilot, app, "Walls")
        meta = app.query_one(MetadataPanel)

        async def press_all(where: str) -> None:
            for key in KEYS[where]:
                await pilot.press(key)
                assert animating(app) == [], f"{where}: {key}"
                await pilot.pause()

        await press_all("reader")
        await pilot.press("c")  # the chapter picker
        await pilot.pause()
        await press_all("chapters")
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        await press_all("help")
        await pilot.press("escape")
        app.action_focus_list()
        await pilot.pause()
        await press_all("list")
        app._activate("reader")  # the panel describes the story read, a long one
        await pilot.pause()
        app._activate("meta")
        await pilot.pause()
        assert app.focused is meta and meta.max_scroll_y > 0
        await press_all("meta")
        # The check itself sees an animated scroll.
        meta.scroll_to(y=1, animate=True, duration=5)
        assert animating(app)


# `animating` above looks once a key has been handled; Pilot's press waits for
# a short scroll animation to end, so these record every animation started.


@pytest.fixture
def animated(monkeypatch) -> list[str]:
    """Every attribute a widget animates during the test, as "Class.attribute"."""
    found: list[str] = []
    real = Widget.animate

    def spy(self, attribute, *args, **kwargs):
        found.append(f"{type(self).__name__}.{attribute}")
        return real(self, attribute, *args, **kwargs)

    monkeypatch.setattr(Widget, "animate", spy)
    return found


async def test_pages_and_jumps_in_the_list_and_help_do_not_animate(animated):
    app = make_app(demo_dir())
    async with app.run_test(size=(80, 12)) as pilot:
        await wait_for_scan(pilot, app)
        app.query_one(StoryList).focus()
        for key in ("pagedown", "end", "pageup", "home", "space", "b", "j", "k"):
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        for key in ("space", "pagedown", "j", "b", "G", "g", "right_square_bracket"):
            await pilot.press(key)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(VerticalScroll)
        for key in ("space", "pagedown", "j", "b", "k", "end", "home", "down", "up", "pageup"):
            await pilot.press(key)
        await pilot.press("escape", "c")
        await pilot.pause()
        for key in ("pagedown", "end", "home", "pageup", "down"):
            await pilot.press(key)
        await pilot.press("escape")
        await pilot.pause()
    assert [name for name in animated if "scroll" in name] == []


async def test_the_metadata_panel_scrolls_without_animating(animated):
    app = make_app(demo_dir())
    async with app.run_test(size=(120, 12)) as pilot:
        await wait_for_scan(pilot, app)
        app.query_one(MetadataPanel).focus()
        await pilot.pause()
        for key in ("pagedown", "end", "pageup", "home", "down", "up"):
            await pilot.press(key)
    assert [name for name in animated if "scroll" in name] == []
