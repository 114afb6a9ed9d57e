"""The metadata panel describes the story the list highlights after a filter keystroke."""

from __future__ import annotations

from test_app import write_library
from uihelpers import make_app, titles, wait_for_scan, wait_until

from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.story_list import StoryList


async def test_the_panel_follows_the_story_a_filter_leaves(tmp_path):
    library = write_library(tmp_path / "library")
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        story_list = app.query_one(StoryList)
        panel = app.query_one(MetadataPanel)

        def describes(title: str) -> bool:
            return panel._text.plain.startswith(title)

        first = titles(app)[0]
        await wait_until(pilot, lambda: describes(first))
        assert describes(first)
        await pilot.press("slash", *"orchard")
        assert titles(app) == ["Orchard Road"]
        await wait_until(pilot, lambda: describes("Orchard Road"))
        assert describes("Orchard Road")
        await pilot.press("enter", "escape")  # to the list, then clear the filter
        assert len(titles(app)) == 3
        await wait_until(pilot, lambda: describes(story_list.current.story.title))
        assert describes(story_list.current.story.title)
