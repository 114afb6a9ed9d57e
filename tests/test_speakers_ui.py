"""Speaker colours in the reader and speakers in the metadata panel (Pilot)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from rich.style import Style
from textual.geometry import Spacing
from uihelpers import make_app, wait_for_story, wait_until

from tuific.formats import load_story
from tuific.resources import demo_dir
from tuific.speakers import Attribution, apart, attribute
from tuific.speakers.apart import shown_apart
from tuific.ui.widgets import reader_speakers
from tuific.ui.widgets.metadata_panel import MetadataPanel
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.reader_speakers import Speakers, luminance, speaker_styles

DEMO = "four-for-the-early-oven.txt"
TITLE = "Four for the Early Oven"


@pytest.fixture
def oven(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    shutil.copy(demo_dir() / DEMO, root / DEMO)
    return root / DEMO


async def attributed(pilot, app) -> Reader:
    """The reader once the demo story is open and its speakers are worked out."""
    reader = await wait_for_story(pilot, app, TITLE)
    await wait_until(pilot, lambda: reader.speakers is not None, 200)
    return reader


def speech_colours(reader: Reader) -> dict[str, object]:
    """Speech on screen -> its colour: the first stretch of each speech paragraph."""
    out = {}
    for y in range(reader.size.height):
        for segment in reader.render_line(y):
            if segment.text.lstrip().startswith("“") and segment.style is not None:
                out[segment.text.strip()] = segment.style.color
    return out


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
async def test_speakers_get_their_own_colours_when_attribution_is_done(oven, size):
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=size) as pilot:
        reader = await attributed(pilot, app)
        speakers = reader.speakers
        assert speakers is not None
        assert {"Eleanor Vance", "Tobias Finch"} <= set(speakers.names)
        await pilot.pause()
        colours = speech_colours(reader)
        eleanor = colours["“You’re late.”"]  # “You’re late.” is Eleanor's, tagged by narration
        tobias = colours["“I am precisely on time,”"]  # "…," Tobias said.
        plain = reader.get_component_rich_style("reader--dialogue", partial=True).color
        assert eleanor != tobias
        assert plain not in (eleanor, tobias)  # the plain colour is for speech not shown


async def test_the_metadata_panel_lists_the_speakers_with_their_share(oven):
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(120, 32)) as pilot:
        await attributed(pilot, app)
        panel = app.query_one(MetadataPanel)
        await wait_until(pilot, lambda: "Speakers" in panel.text)
        listed = panel.text.split("Speakers", 1)[1]
        assert "Eleanor Vance" in listed and "%" in listed
        # Most speech first, each share of all the speech: Jonah, rarely sure enough
        # to colour, still has his sixth of it.
        legend = {name: share for name, _style, share in app.query_one(Reader).speaker_legend()}
        assert list(legend.values()) == sorted(legend.values(), reverse=True)
        assert legend["Jonah Reyes"] > 0.1  # (4% of the shown lines alone)
        assert f"Jonah Reyes {legend['Jonah Reyes']:.0%}" in listed
        # Above the long blocks (summary, file), where it is seen without scrolling.
        assert panel.text.index("Speakers") < panel.text.index("Summary")
        assert panel.text.index("Speakers") < panel.text.index("File")


def test_speakers_rank_by_shown_lines_and_their_share_is_of_all_speech():
    found = [
        Attribution(0, 0, 5, "“a”", "Bo", 0.95, True),
        Attribution(1, 0, 5, "“b”", "Al", 0.95, True),
        Attribution(2, 0, 5, "“c”", "Al", 0.95, True),
        Attribution(3, 0, 5, "“d”", "Cy", 0.5, False),  # not shown: no colour
    ]
    speakers = Speakers(found)
    assert speakers.names == ["Al", "Bo"]  # Cy has no colour: never shown
    assert speakers.shares == pytest.approx([2 / 4, 1 / 4])  # of every guess, Cy's too
    assert Speakers(found, {"Al": 1, "Bo": 3}).shares == pytest.approx([1 / 4, 3 / 4])
    assert speakers.rank_at(0, 1, 2) == 1 and speakers.rank_at(3, 0, 5) is None


def test_spans_are_found_by_paragraph_whatever_the_records_order():
    found = [
        Attribution(2, 10, 15, "", "Al", 0.95, True),
        Attribution(2, 0, 5, "", "Bo", 0.95, True),  # before the one above, given after
        Attribution(0, 0, 5, "", "Bo", 0.95, True),  # a paragraph given out of order
        Attribution(2, 20, 25, "", "Al", 0.95, True),
        Attribution(4, 0, 5, "", "Cy", 0.5, False),
    ]
    speakers = Speakers(found)
    assert speakers.names == ["Al", "Bo"]  # two lines each: Al speaks first
    assert [speakers.first_in(p) for p in range(5)] == ["Bo", None, "Al", None, None]
    assert speakers.rank_at(2, 0, 5) == 1 and speakers.rank_at(2, 12, 13) == 0
    assert speakers.rank_at(2, 24, 30) == 0 and speakers.rank_at(2, 5, 10) is None
    assert speakers.rank_at(0, 4, 9) == 1 and speakers.rank_at(1, 0, 5) is None
    assert speakers.rank_at(4, 0, 5) is None and speakers.rank_at(9, 0, 5) is None
    assert Speakers([]).first_in(0) is None and Speakers([]).rank_at(0, 0, 1) is None


@pytest.mark.parametrize("accent", ["#9a3412", "#7a0a8c", "#ffa62b", "#88c0d0"])
def test_palette_turns_from_the_dialogue_colour_at_its_luminance(accent):
    dialogue = Style(color=Color.parse(accent), bold=True)
    styles = speaker_styles(dialogue, 5)
    colours = [s.color.get_truecolor() for s in styles]
    assert len(set(colours)) == 5 and dialogue.color.get_truecolor() not in colours
    assert all(s.bold for s in styles)  # the rest of the dialogue style is kept
    # As far from the page as the theme's dialogue colour, light theme or dark.
    target = luminance([c / 255 for c in dialogue.color.get_truecolor()])
    for rgb in colours:
        assert luminance([c / 255 for c in rgb]) == pytest.approx(target, abs=0.01)


# The dialogue colours of the reading themes, as the reader draws them: textual-dark,
# textual-light, sepia, high-contrast-light.
@pytest.mark.parametrize("dialogue", ["#ffba41", "#b86b00", "#993412", "#7a0a8c"])
def test_a_dozen_speakers_stay_apart_on_a_terminal_of_256_colours(dialogue):
    # tmux and most SSH sessions draw 256 colours: sepia's eighth speaker was the plain
    # dialogue colour there, and high-contrast-light's twelve were eight colours.
    def in_256(color: Color) -> int | None:
        return color.downgrade(ColorSystem.EIGHT_BIT).number

    base = Color.parse(dialogue)
    drawn = [in_256(s.color) for s in speaker_styles(Style(color=base), 12)]
    assert len(set(drawn[:8])) == 8 and in_256(base) not in drawn[:8]
    assert len(set(drawn)) >= 11


@pytest.mark.parametrize("dialogue", ["#ffba41", "#b86b00", "#993412", "#7a0a8c"])
def test_a_speakers_colour_does_not_hang_on_how_many_follow(dialogue):
    # The reader keeps one palette per count and reads a prefix of it: a rank's colour
    # must be the same in a story of 20 speakers as in one of 60.
    style = Style(color=Color.parse(dialogue))
    many = speaker_styles(style, 60)
    for count in (1, 2, 12, 20, 40):
        assert speaker_styles(style, count) == many[:count]


def test_no_palette_for_the_terminals_own_colours_or_no_colour():
    assert speaker_styles(Style(italic=True), 3) == []  # NO_COLOR: italics only
    assert speaker_styles(Style(color="magenta"), 3) == []  # the 16-colour theme


async def test_v_switches_speaker_colours_off_and_on_and_is_remembered(oven):
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await attributed(pilot, app)
        plain = reader.get_component_rich_style("reader--dialogue", partial=True).color
        reader.focus()
        await pilot.press("v")
        await pilot.pause()
        assert not reader.speaker_colours and app.state.pref("speaker_colours", True) is False
        assert set(speech_colours(reader).values()) == {plain}
        await pilot.press("v")
        await pilot.pause()
        assert reader.speaker_colours and len(set(speech_colours(reader).values())) > 1


async def test_with_speaker_colours_off_the_panel_lists_speakers_in_one_colour(oven):
    # Its colours would match nothing on the page: every speech there is in one.
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(120, 32)) as pilot:
        reader = await attributed(pilot, app)
        panel = app.query_one(MetadataPanel)
        await wait_until(pilot, lambda: "Speakers" in panel.text)

        def listed_colours() -> set[object]:
            text = panel._text
            names = text.plain.index("Speakers")
            end = text.plain.find("\n\n", names)  # the block after it, if any
            end = len(text.plain) if end < 0 else end
            return {
                Style.parse(str(s.style)).color
                for s in text.spans
                if names < s.start and s.end <= end
            }

        assert len(listed_colours()) > 1
        reader.focus()
        await pilot.press("v")
        await pilot.pause()
        assert listed_colours() == set(speech_colours(reader).values())
        assert len(listed_colours()) == 1
        await pilot.press("v")
        await pilot.pause()
        assert len(listed_colours()) > 1


async def test_a_story_over_the_thread_limit_is_attributed_in_a_child(oven, monkeypatch):
    story = load_story(oven)
    expected = Speakers(attribute([p.text for p in story.paragraphs or []], meta=story.meta))
    monkeypatch.setattr(reader_speakers, "MAX_WORDS", 100)
    calls = []

    def spied(*args, **kwargs):
        calls.append(1)
        return shown_apart(*args, **kwargs)

    monkeypatch.setattr(apart, "shown_apart", spied)
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await attributed(pilot, app)
        speakers = reader.speakers
        assert speakers is not None and calls  # the child's, not the thread's
        assert speakers.names == expected.names and speakers.shares == expected.shares
        assert speakers._spans == expected._spans  # the same speech, the same colours
        panel = app.query_one(MetadataPanel)
        await wait_until(pilot, lambda: "Eleanor Vance" in panel.text)
        assert "working out who speaks" not in panel.text


async def test_the_panel_says_speakers_are_being_worked_out_while_the_child_works(
    oven, monkeypatch
):
    monkeypatch.setattr(reader_speakers, "MAX_WORDS", 100)
    answer: list[object] = []  # the child's answer, once the test lets it through

    def held(texts, meta, wanted, kinds=None):
        while not answer and wanted():
            time.sleep(0.02)
        return answer[0] if answer else None

    monkeypatch.setattr(apart, "shown_apart", held)
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(120, 32)) as pilot:
        reader = await wait_for_story(pilot, app, TITLE)
        panel = app.query_one(MetadataPanel)
        await wait_until(pilot, lambda: "working out who speaks" in panel.text)
        assert reader.speakers is None and reader.speakers_working
        answer.append(None)  # the child died
        await wait_until(pilot, lambda: "working out who speaks" not in panel.text)
        assert not reader.speakers_working and "Speakers" not in panel.text


async def test_a_story_over_the_reader_limit_keeps_one_dialogue_colour(oven, monkeypatch):
    monkeypatch.setattr(reader_speakers, "MAX_WORDS", 100)
    monkeypatch.setattr(reader_speakers, "MAX_WORDS_APART", 100)
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, TITLE)
        await pilot.pause(0.3)
        await wait_until(pilot, lambda: not any(w.is_running for w in app.workers))
        assert reader.speakers is None
        plain = reader.get_component_rich_style("reader--dialogue", partial=True).color
        assert set(speech_colours(reader).values()) == {plain}


def row_with(reader: Reader, text: str) -> str:
    for y in range(reader.size.height):
        line = reader.render_line(y).text
        if text in line:
            return line
    raise AssertionError(f"{text!r} not on screen")


@pytest.mark.parametrize("size", [(80, 24), (160, 40)])
async def test_shift_v_writes_speaker_names_in_the_margin(oven, size):
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=size) as pilot:
        reader = await attributed(pilot, app)
        reader.focus()
        assert row_with(reader, "precisely on time").lstrip().startswith("“I am")
        await pilot.press("V")
        await pilot.pause()
        assert reader.speaker_names and app.state.pref("speaker_names", False) is True
        row = row_with(reader, "precisely on time")
        margin = row[: row.index("“I am")]
        assert margin.strip() in ("TF", "Tobias Finch")  # initials where it is narrow
        assert row_with(reader, "hung his coat").startswith(" " * len(margin))  # narration
        # The margin is drawn by speaker_gutter: Widget.gutter (padding + scroll bar,
        # used by content_offset) stays Textual's property, not shadowed by the mixin.
        assert isinstance(reader.gutter, Spacing)
        assert reader.content_offset == reader.gutter.top_left
        await pilot.press("V")
        await pilot.pause()
        assert row_with(reader, "precisely on time").lstrip().startswith("“I am")


@pytest.mark.parametrize("size", [(80, 24), (160, 40)])
async def test_names_go_before_the_speech_when_the_margin_is_too_narrow(oven, size):
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=size) as pilot:
        reader = await attributed(pilot, app)
        reader.focus()
        reader.line_width = 200  # the text fills the pane: a one-cell margin
        await pilot.pause()
        narration = row_with(reader, "hung his coat")
        await pilot.press("V")
        await pilot.pause()
        row = row_with(reader, "“I am")
        # A one-cell margin, then the name the story calls him by ("Tobias said").
        assert row.startswith(" Tobias: “I am")
        y = next(y for y in range(reader.size.height) if "“I am" in reader.render_line(y).text)
        label = next(s for s in reader.render_line(y) if "Tobias:" in s.text)
        assert label.style is not None and label.style.dim
        assert row_with(reader, "hung his coat") == narration  # narration: no name
        # A speech paragraph that opens with its speaker's name gets no label.
        assert row_with(reader, "did not look up").startswith(" Eleanor Vance did not")
        # The speech wraps after the name: none of its words is lost or cut.
        words = " ".join(reader.render_line(y).text for y in range(reader.size.height)).split()
        assert "precisely" in words
        await pilot.press("V")
        await pilot.pause()
        assert row_with(reader, "“I am").startswith(" “I am")


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "sepia", "high-contrast-light"])
async def test_dialogue_and_speaker_colours_read_at_4_5_to_1_on_the_page(oven, theme):
    # The light theme's dialogue (its accent darkened as far as Textual goes) read at
    # 3.1:1 on its page, and each speaker's colour, at the same luminance, too.
    from textual.color import Color as TextualColor

    from tuific.ui.widgets.row_styles import contrast

    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        reader = await attributed(pilot, app)
        await pilot.pause()
        page = TextualColor.from_rich_color(reader.rich_style.bgcolor)
        colours = speech_colours(reader)
        assert len(set(colours.values())) >= 2  # speakers in their colours, or plain
        for colour in colours.values():
            assert contrast(TextualColor.from_rich_color(colour), page) >= 4.45


async def test_under_no_color_speaker_names_are_on_unless_turned_off(oven, monkeypatch):
    # Told apart by name, not colour: no key to find first.
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(160, 40)) as pilot:
        reader = await attributed(pilot, app)
        assert reader.speaker_names
        row = row_with(reader, "precisely on time")
        assert row[: row.index("“I am")].strip() in ("TF", "Tobias Finch")
        await pilot.press("V")  # off, and remembered as off
        await pilot.pause()
        assert app.state.pref("speaker_names", True) is False
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(160, 40)) as pilot:
        reader = await attributed(pilot, app)
        assert not reader.speaker_names


async def test_the_reader_tells_the_pass_where_headings_and_scene_breaks_are(
    tmp_path, kinds_given
):
    # Scenes and chapters end the turn-taking: the pass gets the paragraphs' kinds
    # (in a thread here; the child's are checked in test_speakers_apart).
    library = tmp_path / "lib"
    library.mkdir()
    path = library / "one-sleeve-short.txt"
    shutil.copy(demo_dir() / path.name, path)
    app = make_app(library, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "One Sleeve Short")
        await wait_until(pilot, lambda: reader.speakers is not None, 200)
    kinds = kinds_given[0]
    assert isinstance(kinds, list) and "heading" in kinds and "scene_break" in kinds


async def test_a_failing_attribution_leaves_one_dialogue_colour_and_the_app_running(
    oven, monkeypatch
):
    import tuific.speakers

    def broken(*_args, **_kwargs):
        raise RecursionError("a story no rule foresaw")

    monkeypatch.setattr(tuific.speakers, "attribute", broken)
    app = make_app(oven.parent, open_path=oven)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, TITLE)
        await wait_until(pilot, lambda: not reader.speakers_working, 200)
        assert app.is_running and reader.speakers is None
        plain = reader.get_component_rich_style("reader--dialogue", partial=True).color
        assert set(speech_colours(reader).values()) == {plain}
