"""FanFicFare's chapter notes blocks are author's notes: marked, folded, not counted.

test1-sid1002-notes.* were written by FanFicFare's own command line
(fixtures/fanficfare/make_notes_fixture.py): its test site has no notes, so the
script gives the test adapter chapter text shaped as FanFicFare's OTW adapter
builds notes (`div.fff_chapter_notes` under a bold label); the HTML, EPUB and
TXT around it are FanFicFare's writers' own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cachefiles import one_story_cache
from lxml import etree
from uihelpers import make_app, screen_text, wait_for_scan, wait_for_story

import tuific.cache.layout as cache_layout
from tuific.cache import MetadataCache
from tuific.formats import story_from_bytes
from tuific.formats.fff_meta import estimate_words
from tuific.formats.fff_txt import parse
from tuific.library import scan_library
from tuific.notes import note_label, note_runs
from tuific.text import count_words

FIXTURES = Path(__file__).parent / "fixtures" / "fanficfare"
NOTES = "test1-sid1002-notes"
EXPECTED = [
    ("heading", "The Lamp"),
    ("note", "Author's Note:"),
    ("note", "Thanks for reading. This one took a while to write."),
    ("note", "Beta read by a kind friend."),
    ("text", "The lamp was lit before the rain began."),
    ("text", "She counted the steps to the door twice."),
    ("note", "Notes for the Chapter:"),
    ("note", "Next chapter comes on Sunday."),
    ("heading", "The Harbour"),
    ("text", "Morning came grey and quiet over the harbour."),
    ("note", "Notes for the Chapter:"),
    ("note", "Comments make my day."),
]
STORY_WORDS = sum(count_words(text) for kind, text in EXPECTED if kind == "text")


def _read(path: Path, *, metadata_only: bool = False):
    return story_from_bytes(path, path.read_bytes(), metadata_only=metadata_only)


@pytest.mark.parametrize("ext", ["html", "epub", "txt"])
def test_fanficfare_notes_blocks_are_notes_and_never_counted(ext: str) -> None:
    path = FIXTURES / f"{NOTES}.{ext}"
    story = _read(path)
    assert story.format == f"fanficfare-{ext}"
    assert [(p.kind, p.text) for p in story.paragraphs] == EXPECTED
    # As AO3's: the words never counted, so nothing to take off the time left.
    assert story.words == STORY_WORDS == 24 and story.note_words == 0
    # The listing (metadata only, from the cache) counts the same.
    assert _read(path, metadata_only=True).words == STORY_WORDS


WITHOUT_NOTES = sorted(p for p in FIXTURES.glob("test1-sid*") if NOTES not in p.name)


@pytest.mark.parametrize("path", WITHOUT_NOTES, ids=lambda p: p.name)
def test_fanficfare_files_without_notes_have_none(path: Path) -> None:
    story = _read(path)
    assert story.format.startswith("fanficfare-")
    assert all(p.kind != "note" for p in story.paragraphs)


def test_a_txt_notes_label_without_a_quote_stays_text() -> None:
    # The label tells nothing of where the notes end unless the quote follows it.
    text = (FIXTURES / f"{NOTES}.txt").read_bytes().decode()
    unquoted = text.replace("> ", "").replace("\r\n>\r\n", "\r\n\r\n")
    assert ">" not in unquoted
    story = parse(unquoted, Path("x.txt"))
    assert [p.kind for p in story.paragraphs] == [
        "text" if kind == "note" else kind for kind, _text in EXPECTED
    ]


def test_listing_words_leave_out_notes_blocks_and_their_headings_once() -> None:
    body = etree.fromstring(
        "<div><h2>Title here</h2> <p>one two three</p> "
        "<div class='x fff_chapter_notes'><b>Author's Note:</b> <h3>Big note</h3> "
        "<div class='fff_chapter_notes'><p>inner words</p></div></div> <p>four</p></div>"
    )
    assert estimate_words(body) == 4


def test_the_cache_is_rebuilt_when_the_readers_change(tmp_path, monkeypatch, count_parses):
    root, _file, fresh = one_story_cache(tmp_path)
    count_parses.clear()
    list(scan_library(root, MetadataCache(root)))
    assert count_parses == []  # the cache holds
    monkeypatch.setattr(cache_layout, "READERS_REVISION", cache_layout.READERS_REVISION + 1)
    assert [s.record() for s in scan_library(root, MetadataCache(root))] == fresh
    assert count_parses == [str(root / "a.txt")]  # read again under the new readers


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_reader_folds_fanficfare_notes(tmp_path, size) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / f"{NOTES}.html").write_bytes((FIXTURES / f"{NOTES}.html").read_bytes())
    app = make_app(root)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Test Story Title 1002")
        assert reader.story is not None
        labels = [note_label(words) for _end, words in note_runs(reader.story.paragraphs).values()]
        assert labels[0] == "▸ Author's note · 18 words"
        text = screen_text(app)
        assert labels[0] in text and labels[1] in text
        assert "Thanks for reading" not in text
        assert "The lamp was lit before the rain began." in text
        await pilot.press("A")
        await pilot.pause()
        assert "Thanks for reading" in screen_text(app)
