"""Author's notes: marked, folded to one line, unfolded by a key, left out of time."""

from __future__ import annotations

from pathlib import Path

import pytest
from uihelpers import make_app, screen_text, wait_for_scan, wait_for_story, write_library

from tuific.formats import load_story, story_from_bytes
from tuific.layout import Layout
from tuific.model import Paragraph
from tuific.notes import folded_rows, is_plain_note, note_label, note_runs
from tuific.state import StateStore, story_key
from tuific.ui.widgets.reader import Reader

TEXT = (
    "Title: Noted\n\nChapter 1\n\nA/N: thanks to my beta reader, you know who you are!\n\n"
    "The story begins here.\n\nIt goes on.\n\n"
    "Author's Note: more next week. Comments welcome.\n\nAnd a second note paragraph.\n\n"
    "Chapter 2\n\nNo notes here at all.\n\nAn ending."
)


def test_plain_notes_at_a_chapters_start_and_end_are_marked():
    story = story_from_bytes(Path("noted.txt"), TEXT.encode())
    kinds = [(p.kind, p.text[:9]) for p in story.paragraphs]
    assert kinds == [
        ("heading", "Chapter 1"),
        ("note", "A/N: than"),
        ("text", "The story"),
        ("text", "It goes o"),
        ("note", "Author's "),
        ("note", "And a sec"),
        ("heading", "Chapter 2"),
        ("text", "No notes "),
        ("text", "An ending"),
    ]
    assert story.note_words == 11 + 7 + 5
    # Words still count them, as the library scan does; the time left does not.
    assert story.words == sum(len(p.text.split()) for p in story.paragraphs if p.kind != "heading")


def test_what_counts_as_a_plain_note():
    assert is_plain_note("A/N: hi there") and is_plain_note("AN - short one")
    assert is_plain_note("Author’s Notes: curly")
    assert not is_plain_note("Author's Note:")  # a label alone
    assert not is_plain_note("Anne said: no.")
    assert not is_plain_note("ANYWAY: she left.")


def test_ao3_notes_blocks_are_notes_and_never_counted():
    story = load_story("tests/fixtures/ao3_current.html")
    notes = [p for p in story.paragraphs if p.kind == "note"]
    assert notes and story.note_words == 0
    assert any("barometer" in p.text for p in notes)


def test_runs_fold_to_one_row_and_keep_every_index():
    paragraphs = [
        Paragraph("one two", "text"),
        Paragraph("A/N: a b c", "note"),
        Paragraph("d e", "note"),
        Paragraph("three", "text"),
    ]
    runs = note_runs(paragraphs)
    assert runs == {1: (3, 6)}
    assert folded_rows(runs) == {1: 1, 2: 0}
    assert note_label(5) == "▸ Author's note · 5 words"
    layout = Layout(paragraphs, 40, 1, folded=folded_rows(runs))
    rows = layout.rows_from(0, 0, 10)
    assert [(row.paragraph, row.line) for row in rows] == [(0, 0), (0, -1), (1, 0), (1, -1), (3, 0)]
    assert layout.advance(1, 0, 2) == (3, 0)


async def test_the_reader_folds_notes_and_a_unfolds_them_remembered(tmp_path):
    root = write_library(tmp_path, {"noted.txt": TEXT})
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Noted")
        text = screen_text(app)
        assert "▸ Author's note · 11 words" in text
        assert "▸ Author's note · 12 words" in text
        assert "thanks to my beta" not in text
        assert "The story begins here." in text
        await pilot.press("A")
        await pilot.pause()
        assert not reader.notes_folded
        assert "thanks to my beta" in screen_text(app)
        await pilot.press("q")
    store = StateStore()
    store.load()
    assert store.get(story_key(root / "noted.txt")).notes_open
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        await wait_for_story(pilot, app, "Noted")  # reopened where it was left
        assert not app.query_one(Reader).notes_folded


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_notes_and_the_reader_s_hints_are_muted_and_readable(tmp_path, theme):
    # `$text-muted` is an `auto` colour: drawn as a partial style it came out plain
    # white, brighter than the text in the dark theme, white on grey in the light.
    from textual.color import Color

    from tuific.ui.widgets.row_styles import contrast

    root = write_library(tmp_path, {"noted.txt": TEXT})
    app = make_app(root, open_path=root / "noted.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        reader = await wait_for_story(pilot, app, "Noted")
        page = Color.from_rich_color(reader.rich_style.bgcolor)
        text = Color.from_rich_color(reader.rich_style.color)

        def colour_of(words: str) -> Color:
            for y in range(reader.size.height):
                for segment in reader.render_line(y):
                    if words in segment.text:
                        return Color.from_rich_color(segment.style.color)
            raise AssertionError(f"{words!r} not on screen")

        for words in ("Author's note", "The story begins"):
            assert contrast(colour_of(words), page) >= 4.5, words
        assert contrast(colour_of("Author's note"), page) < contrast(text, page)
        assert colour_of("The story begins") == text
