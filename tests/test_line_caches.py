"""The reader's and the list's line caches stay bounded over a long scroll, keeping
what was drawn last (least recently used out), so the screen on show is never redrawn
for want of room."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from tuific.listing import ListItem
from tuific.model import Metadata, Paragraph, Story
from tuific.ui.widgets.reader import _SPANS_KEPT, _STRIPS_KEPT, Reader
from tuific.ui.widgets.story_list import StoryList


class _One(App[None]):
    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def _draw(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_a_long_read_keeps_the_reader_s_caches_bounded(size):
    count = _SPANS_KEPT + 1000
    paragraphs = [Paragraph(f'"Line {i}," she said.') for i in range(count)]
    story = Story("long.txt", "text", Metadata(title="Long"), 4 * count, [], paragraphs)
    reader = Reader()
    async with _One(reader).run_test(size=size) as pilot:
        reader.show_story(story)
        await pilot.pause()
        shown = _draw(reader)
        for _ in range(count):  # page by page to the end, drawing each screen
            if reader.fraction == 1.0:
                break
            reader.action_page(1)
            shown = _draw(reader)
        assert f'"Line {count - 1}," she said.' in "\n".join(shown)
        assert len(reader._strips) <= _STRIPS_KEPT
        assert len(reader._spans) <= _SPANS_KEPT
        # The last screens drawn are all still there: paging back draws from the cache.
        reader.action_page(-1)
        misses = reader._strips.misses
        _draw(reader)
        assert reader._strips.misses == misses


async def test_a_long_list_scroll_keeps_the_list_s_cache_bounded():
    items = [ListItem(Story(f"{i}.txt", "text", Metadata(title=f"Story {i}"))) for i in range(3000)]
    story_list = StoryList()
    async with _One(story_list).run_test(size=(80, 24)) as pilot:
        story_list.set_items(items)
        await pilot.pause()
        for _ in range(len(items) // 10):
            story_list.action_page(1)  # scrolls at once (animate=False)
            _draw(story_list)
        assert story_list.cursor == len(items) - 1
        assert "Story 2999" in "\n".join(_draw(story_list))
        assert 0 < len(story_list._strips) <= 1024
