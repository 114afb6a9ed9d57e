"""The reader pane owns the reading keys and tells the app what happened with
messages: the app composes and routes (issue 11)."""

from __future__ import annotations

import pytest
from test_reader_features import chaptered
from uihelpers import make_app, wait_for_story, wait_until

from tuific.ui.app import TuificApp
from tuific.ui.reader_pane import ReaderPane
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList

READING_KEYS = {
    "chapters",
    "search",
    "search_next_next",
    "add_bookmark",
    "bookmarks",
    "go_to_mark",
    "line_width_wider",
    "toggle_justify",
    "toggle_speakers",
    "toggle_speaker_names",
    "paragraph_spacing",
}


def test_the_reading_keys_are_the_panes_own():
    pane = {binding.id: binding.action for binding in ReaderPane.BINDINGS}
    assert READING_KEYS <= pane.keys()
    # Its own actions, not the app's; the reader widget only moves through the text.
    assert not any(pane[key].startswith("app.") for key in READING_KEYS)
    assert not any(b.action.startswith("app.") for b in Reader.BINDINGS)
    assert not READING_KEYS & {b.id for b in TuificApp.BINDINGS}


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_pane_says_what_it_opened_and_where_the_reader_is(tmp_path, monkeypatch, size):
    story = chaptered(tmp_path / "lib")
    heard: list[tuple[str, object]] = []
    # Textual calls the handler of every class along the MRO: these listen beside the
    # app's own (in ReadingControl).
    monkeypatch.setattr(
        TuificApp,
        "on_reader_pane_story_opened",
        lambda app, event: heard.append(("opened", event.story.meta.title)),
        raising=False,
    )
    monkeypatch.setattr(
        TuificApp,
        "on_reader_pane_progress_changed",
        lambda app, event: heard.append(("progress", event.fraction)),
        raising=False,
    )
    app = make_app(story.parent, open_path=story)
    async with app.run_test(size=size) as pilot:
        pane = app.query_one(ReaderPane)
        # Opened again through the app, which routes it to the pane.
        app.open_story(str(story))
        reader = await wait_for_story(pilot, app, "Tides")
        await wait_until(pilot, lambda: ("opened", "Tides") in heard)
        assert app.current is not None and app.current.story.path == str(story)
        assert app.active_pane == "reader"

        await pilot.press("space", "space")  # the pane's reader has the keys
        await wait_until(pilot, lambda: any(kind == "progress" for kind, _ in heard))
        fraction = reader.fraction
        assert fraction > 0
        await wait_until(pilot, lambda: app.current.progress == pytest.approx(fraction))
        # The list's row follows the message: its item holds the reader's progress.
        row = app.query_one(StoryList).current
        assert row is not None and row.progress == pytest.approx(fraction)
        assert pane.partial is False
