"""Edge cases of the running app: places past the end, hostile file names, racing
opens and rescans, layout under dialogs, narrow screens, renamed stories."""

from __future__ import annotations

from pathlib import Path

import pytest
from uihelpers import (
    make_app,
    screen_text,
    titles,
    wait_for_scan,
    wait_for_story,
    wait_for_workers,
    wait_until,
)

from tuific.state import StateStore, story_key
from tuific.ui.screens.help import HelpScreen
from tuific.ui.widgets.reader import Reader
from tuific.ui.widgets.story_list import StoryList


def chaptered(path: Path, chapters: int = 3, per_chapter: int = 20) -> Path:
    parts = []
    for number in range(1, chapters + 1):
        body = "\n\n".join(
            f"Paragraph {number}.{i} of the long grey tide." for i in range(per_chapter)
        )
        parts.append(f"Chapter {number}\n\n{body}")
    path.write_text("Title: Tides\nAuthor: M\n\n" + "\n\n".join(parts), encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    chaptered(root / "tides.txt")
    (root / "short.txt").write_text("Title: Drabble\nAuthor: D\n\nOne.\n\nTwo.", encoding="utf-8")
    return root


async def test_saved_place_past_the_end_is_clamped(library):
    path = library / "tides.txt"
    state = StateStore()
    state.load()
    state.set_position(story_key(path), 5000, 99)
    state.save()
    app = make_app(library, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await pilot.pause()
        assert app.is_running
        assert reader.place.paragraph < len(reader.story.paragraphs)
        assert reader.fraction == 1.0


async def test_file_names_with_escape_sequences_never_reach_the_terminal(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "evil\x1b]0;PWNED\x07\x1b[2J.txt").write_text("No header here.", encoding="utf-8")
    (root / "broken\x1b[31m.epub").write_bytes(b"not a zip at all")
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        # The screen as text (Textual's own styling is not in it): no control
        # character from a file name may be there to reach the terminal.
        output = screen_text(app)
        assert "\x1b" not in output and "\x07" not in output
        assert "PWNED" not in output or "]0;PWNED" in output  # shown as text if at all
        await pilot.press("escape")
        await pilot.pause()
        main = screen_text(app)
        assert "\x1b" not in main and "\x07" not in main


async def test_the_newest_open_request_wins(library, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    chaptered(big / "huge.txt", chapters=40, per_chapter=400)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        app.open_story(str(big / "huge.txt"))
        app.open_story(str(library / "short.txt"))
        for _ in range(200):
            await pilot.pause(0.02)
        assert app.query_one(Reader).story.meta.title == "Drabble"
        assert app.current.story.meta.title == "Drabble"


async def test_overlapping_rescans_never_list_a_story_twice(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        (library / "new.txt").write_text("Title: Brand New\nAuthor: N\n\nHi.", encoding="utf-8")
        await pilot.press("r", "r", "r")
        app.library_pane._look_for_changes()
        pane = app.library_pane
        await wait_until(pilot, lambda: "Brand New" in titles(app) and not pane._rescanning)
        await pilot.press("r")
        for _ in range(50):
            await pilot.pause(0.02)
        assert sorted(titles(app)) == ["Brand New", "Drabble", "Tides"]


async def test_hiding_the_list_recentres_every_reader_row(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(160, 50)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await pilot.press("h")
        await pilot.pause()
        await pilot.pause()
        margins = set()
        for y in range(reader.size.height):
            text = "".join(segment.text for segment in reader.render_line(y))
            if text.strip().startswith("Paragraph"):
                margins.add(len(text) - len(text.lstrip()))
        assert len(margins) == 1, margins
        assert margins.pop() == (reader.size.width - reader.text_layout.width) // 2


async def test_resize_under_a_modal_lays_out_the_main_screen(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.has_class("-single-pane")
        assert app.query_one("#meta-pane").display


async def test_tab_inside_a_dialog_leaves_the_panes_alone(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_story(pilot, app, "Tides")
        await pilot.press("c", "tab", "tab")
        assert app.active_pane == "reader"


async def test_a_story_shorter_than_a_screen_is_finished_when_paged_on(library):
    app = make_app(library, open_path=library / "short.txt")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for_story(pilot, app, "Drabble")
        await pilot.pause()
        assert app.current.read == "reading"  # opening it is not reading it
        await pilot.press("space")
        await pilot.pause()
        assert app.current.read == "finished"


@pytest.mark.parametrize("key, pane", [("i", "#meta-pane"), ("h", "#list-pane")])
async def test_one_press_shows_a_hidden_pane_on_a_narrow_screen(library, key, pane):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_story(pilot, app, "Tides")
        assert not app.query_one(pane).display
        await pilot.press(key)
        assert app.query_one(pane).display
        await pilot.press(key)
        assert not app.query_one(pane).display


async def test_down_arrow_in_the_filter_goes_to_the_list(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("slash", "t", "down")
        assert isinstance(app.focused, StoryList)


async def test_search_runs_off_the_ui_thread_and_counts(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await pilot.press("slash", *"grey tide", "enter")
        await wait_until(pilot, lambda: reader.matches)
        assert len(reader.matches) == 60
        assert "match 1 of 60" in screen_text(app)


async def test_a_plain_start_reopens_the_story_being_read(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await pilot.press("space", "space")
        place = reader.place
        await pilot.press("q")
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await pilot.pause()
        assert reader.place == place
        assert app.active_pane == "reader"
        await pilot.press("escape")
        assert app.query_one(StoryList).current.story.meta.title == "Tides"


async def test_the_list_cursor_follows_a_story_opened_from_the_command_line(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_story(pilot, app, "Tides")
        await wait_for_scan(pilot, app)
        await pilot.press("escape")
        assert app.query_one(StoryList).current.story.meta.title == "Tides"


async def test_the_metadata_panel_describes_the_pane_in_use(library):
    app = make_app(library)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for_scan(pilot, app)
        app.select_story(str(library / "tides.txt"))
        await pilot.press("enter")
        await wait_for_story(pilot, app, "Tides")
        await pilot.press("escape", "k")  # browse the list: the panel follows it
        await pilot.pause()
        assert app._meta_item.story.meta.title == "Drabble"
        await pilot.press("tab")  # back to the reader: the panel describes Tides
        await pilot.pause()
        assert app._meta_item.story.meta.title == "Tides"


async def test_a_story_renamed_while_open_keeps_saving_its_place(library):
    old = library / "tides.txt"
    new = library / "renamed-tides.txt"
    app = make_app(library, open_path=old)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await wait_for_scan(pilot, app)
        await pilot.press("space")
        old.rename(new)
        assert app.library_pane._look_for_changes()
        await wait_for_workers(pilot, app)
        await pilot.press("space", "space")
        place = reader.place
        assert reader.story.path == str(new)
        assert sorted(titles(app)) == ["Drabble", "Tides"]
        await pilot.press("q")
    state = StateStore()
    state.load()
    assert state.get(story_key(new)).position.paragraph == place.paragraph
    assert state.get(story_key(old)) is None


async def test_the_reader_status_follows_a_resize(tmp_path):
    # Whole on a tall screen, not on a short one: "all on this screen" comes and goes.
    from test_small_defects import line

    body = "\n\n".join(f"Paragraph {i} with a few words in it, at eighty." for i in range(8))
    root = tmp_path / "lib"
    root.mkdir()
    (root / "medium.txt").write_text(f"Title: Medium\nAuthor: A\n\n{body}\n", encoding="utf-8")
    app = make_app(root, open_path=root / "medium.txt")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_story(pilot, app, "Medium")
        assert "all on this screen" in line(app, "#reader-status")
        await pilot.resize_terminal(80, 12)
        await pilot.pause()
        await pilot.pause()
        assert "story 0%" in line(app, "#reader-status")
        assert "all on this screen" not in line(app, "#reader-status")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert "all on this screen" in line(app, "#reader-status")


async def test_the_list_and_the_panel_with_no_reader_between_have_one_line(library):
    # 90-119 columns before a story is open: the list beside the panel, and one
    # line between them (two side by side looked like an empty pane).
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        first = screen_text(app).splitlines()[0]
        assert first.count("▏") + first.count("▕") == 1
        await pilot.press("enter")  # a story: the reader and its lines come back
        await wait_until(pilot, lambda: app.current is not None)
        await pilot.pause()
        assert not app.screen.has_class("-no-reader")


async def test_showing_the_list_beside_the_reader_leaves_the_focus_in_the_reader(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(160, 50)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await pilot.press("h")
        assert not app.query_one("#list-pane").display and app.focused is reader
        await pilot.press("h")
        assert app.query_one("#list-pane").display and app.focused is reader
        await pilot.press("space")  # the reader still takes the keys
        assert reader.place.paragraph > 0


async def test_the_panel_beside_the_story_two_panes_wide_leaves_the_reading_focused(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Tides")
        await pilot.pause()
        # (The list beside the story; the panel wanted but with no room.)
        assert app.query_one("#list-pane").display and not app.query_one("#meta-pane").display
        assert app.focused is reader
        await pilot.press("i")
        await pilot.pause()
        # The panel takes the list's place; Space still turns the story's page.
        assert app.query_one("#meta-pane").display and not app.query_one("#list-pane").display
        assert app.focused is reader
        before = reader.place
        await pilot.press("space")
        await pilot.pause()
        assert reader.place != before
        await pilot.press("i")
        await pilot.pause()
        assert app.query_one("#list-pane").display and not app.query_one("#meta-pane").display
        assert app.focused is reader


async def test_the_list_that_gave_way_to_the_panel_comes_back_only_as_the_user_left_it(library):
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_story(pilot, app, "Tides")
        await pilot.pause()

        def shown() -> list[str]:
            return [p for p in ("list", "reader", "meta") if app.query_one(f"#{p}-pane").display]

        await pilot.press("i")  # the panel in the list's place
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        await pilot.pause()
        assert shown() == ["list", "reader", "meta"]  # room for all three: the list is back
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert shown() == ["list", "reader"]
        # The panel in the list's place; the list shown and hidden again by hand; the
        # panel off.
        await pilot.press("i", "h", "h", "i")
        await pilot.pause()
        assert shown() == ["reader"]  # the list stays as the user left it
    app = make_app(library, open_path=library / "tides.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_story(pilot, app, "Tides")
        await pilot.press("i")  # one pane wide: the panel alone, the list untouched
        await pilot.pause()
        assert app.show_list
