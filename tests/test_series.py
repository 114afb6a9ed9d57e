"""Series read as one: parts in order, the next part at the end, parts read and left."""

from __future__ import annotations

from uihelpers import make_app, screen_text, wait_for_scan, wait_for_story, write_library

from tuific.model import Metadata, Stories, Story
from tuific.series import series_place, series_summary
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.story_list import StoryList


def story(title: str, series: str | None, index: int | None) -> Story:
    return Story(f"/{title}", "text", Metadata(title=title, series=series, series_index=index))


def test_parts_are_ordered_by_number_then_title_unnumbered_last():
    stories = Stories(
        [
            story("Third", "Saga", 3),
            story("Other", "Elsewhere", 1),
            story("Extra", "saga", None),  # the same series, spelt in another case
            story("First", "Saga", 1),
            story("Alone", None, None),
        ]
    )
    place = series_place(stories, 0)
    assert [stories[i].meta.title for i in place.parts] == ["First", "Third", "Extra"]
    assert place.position == 1 and place.next_part == 2
    assert series_place(stories, 2).next_part is None
    assert series_place(stories, 4) is None
    assert series_summary(place, ["finished", "reading", "unread"]) == (
        "part 2 of 3 · 1 read · 2 left"
    )


def part(n: int, words: int = 40) -> str:
    body = "\n\n".join(f"Part {n} line {i}. " + "word " * 12 for i in range(words))
    return f"Title: Saga {n}\nSeries: The Saga [{n}]\n\n{body}"


async def test_the_next_part_opens_from_the_end_of_a_part(tmp_path):
    root = write_library(
        tmp_path, {"b.txt": part(2), "a.txt": part(1), "z.txt": "Title: Zed\n\nAlone."}
    )
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        assert app.query_one(StoryList).current.story.meta.title == "Saga 1"
        await pilot.pause()
        panel = app.query_one(MetadataPanel).text
        assert "Series in library: part 1 of 2 · 0 read · 2 left" in panel
        await pilot.press("enter")
        await wait_for_story(pilot, app, "Saga 1")
        await pilot.press("G")
        await pilot.pause()
        text = screen_text(app)
        assert "Next in The Saga: Saga 2 · press P" in text
        assert "P: next part" in text
        assert "Part 1 line 39" in text  # the last paragraph still shows above it
        await pilot.press("P")
        reader = await wait_for_story(pilot, app, "Saga 2")
        assert reader.place.paragraph == 0
        assert "Next in" not in screen_text(app)  # the last part: no note
        await pilot.press("P")
        await pilot.pause()
        assert "the last part here" in screen_text(app)
