"""The metadata panel: a Line-API view of the highlighted story's fields."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from tuific.model import Metadata, Story
from tuific.ui.widgets.metadata_panel import MetadataPanel


def story(title: str, summary: str = "") -> Story:
    meta = Metadata(title=title, authors=["Quill"], tags=["slow burn"], summary=summary or None)
    return Story(f"/lib/{title}.txt", "text", meta, 1200)


class PanelApp(App[None]):
    CSS = "MetadataPanel { width: 30; height: 8; padding: 0 1; scrollbar-gutter: stable; }"

    def compose(self) -> ComposeResult:
        yield MetadataPanel()


def lines(app: PanelApp) -> list[str]:
    panel = app.query_one(MetadataPanel)
    height = panel.scrollable_content_region.height
    return [panel.render_line(y).text.rstrip() for y in range(height)]


async def test_it_shows_every_field_wrapped_to_its_width_and_scrolls() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = app.query_one(MetadataPanel)
        panel.show(None)
        await pilot.pause()
        assert lines(app)[0] == "No story selected."
        summary = "A lighthouse keeper writes letters to the tide every night for a year."
        panel.show(story("Harbour Lights", summary))
        await pilot.pause()
        shown = lines(app)
        assert shown[0] == "Harbour Lights"
        assert "Author: Quill" in shown
        width = panel.scrollable_content_region.width
        assert all(len(line) <= width for line in shown)
        assert "Summary" in panel.text and summary in panel.text
        # The fields run past the panel's foot: scrolling shows the rest, to the file.
        assert panel.virtual_size.height > panel.scrollable_content_region.height
        panel.scroll_end(animate=False)
        await pilot.pause()
        assert lines(app)[0] != "Harbour Lights"
        assert lines(app)[-1] == "/lib/Harbour Lights.txt"


async def test_another_story_repaints_without_laying_out_the_screen() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = app.query_one(MetadataPanel)
        panel.show(story("Moss"))
        await pilot.pause()
        panel.scroll_to(0, 2, animate=False)
        panel.show(story("Dragon Tea", "Short."))
        assert not app.screen._layout_required
        assert panel.scroll_offset.y == 0  # a new story starts at its top
        await pilot.pause()
        assert lines(app)[0] == "Dragon Tea"


async def test_story_text_is_shown_literally() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = app.query_one(MetadataPanel)
        panel.show(story("[bold]Not markup[/bold]"))
        await pilot.pause()
        assert lines(app)[0] == "[bold]Not markup[/bold]"


def test_blocks_are_set_apart_by_one_blank_line_never_two() -> None:
    from rich.style import Style

    from tuific.formats.plaintext import parse
    from tuific.ui.widgets.metadata_panel import describe_text

    story = parse(
        "Title: T\nAuthor: A\nSummary: What happens.\nNotes: For a friend.\n\nText.",
        Path("/lib/t.txt"),
    )
    plain = describe_text(story, [("Ann", Style(), 0.5)]).plain
    assert "\n\n\n" not in plain
    for heading in ("Summary", "Notes", "File", "Speakers"):
        assert f"\n\n{heading}\n" in plain


def test_the_speakers_past_the_first_dozen_are_summed_up_in_one_line() -> None:
    from rich.style import Style

    from tuific.ui.widgets.metadata_panel import PANEL_SPEAKERS, describe_text

    # A novel's minor speakers, each with a line or two: by name they were dozens of
    # lines of "0%" (and a hostile story's thousands).
    major = [(f"Major {n}", Style(), 0.07) for n in range(10)]
    minor = [(f"Minor {n}", Style(), 0.001) for n in range(30)]
    plain = describe_text(story("Crowded"), major + minor).plain
    listed = plain.split("Speakers\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(listed) == PANEL_SPEAKERS + 1
    assert listed[:2] == ["Major 0 7%", "Major 1 7%"]
    assert listed[10] == "Minor 0 <1%"  # a line or two is not "0%"
    assert listed[-1] == f"and {40 - PANEL_SPEAKERS} more, 3% in all"
    # One more than the dozen is named: "and 1 more" would take its line.
    plain = describe_text(story("Crowded"), (major + minor)[: PANEL_SPEAKERS + 1]).plain
    assert "more, " not in plain and f"Minor {PANEL_SPEAKERS - 10} <1%" in plain
