"""The bundled demo stories: the first thing a new user sees, and a tour of the formats.

They must all load, and between them keep covering the header variants, quote
styles, encodings and structures the app claims to handle, so that the demo
shows every feature working on text a person would want to read.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tuific.formats import load_story
from tuific.model import Story
from tuific.text import decode_bytes

DEMO = Path(__file__).resolve().parents[1] / "demo_stories"
REFERENCE = Path("/work/shared/reference/user-example-story.txt")
NO_HEADER = "the-orchard-road.txt"
CP1252 = "night-porter.txt"
MULTI_CHAPTER = "one-sleeve-short.txt"

# SHA-256 prefixes of eight-word runs of the user's reference story (lower-cased,
# words only), so the copy check works without shipping or needing its prose.
REFERENCE_SHINGLES = {
    "9dda654d7a2a3d92", "fc3c432c9133c8ad", "d7acad391e1ff0da", "a55fb45545b7f745",
    "0b868b3fdd45ef2b", "fcfac847c0a542a0", "d689a8ba800d6cb3", "b56bc2d3fb11a8d2",
    "7611042d6d851fff", "047f5c2bd7dec398", "fc13c9126d3d4e0d", "1e9fd7de0d259cbc",
    "bab5ec546bb0875e", "beaba57e7f934e15", "0fdd830864f48eef", "8aa3db326287a274",
}


def demo_files() -> list[Path]:
    return sorted(p for p in DEMO.iterdir() if p.suffix in (".txt", ".md"))


@pytest.fixture(scope="module")
def stories() -> dict[str, Story]:
    return {path.name: load_story(path) for path in demo_files()}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _shingles(text: str, size: int = 8) -> set[str]:
    words = _words(text)
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_enough_stories(stories: dict[str, Story]) -> None:
    assert len(stories) >= 8


def test_every_story_has_a_title_and_an_author(stories: dict[str, Story]) -> None:
    for name, story in stories.items():
        assert story.title, name
        assert story.paragraphs, name
        if name != NO_HEADER:
            assert story.meta.authors, name
            assert story.meta.fandoms, name
            assert story.meta.rating_original, name


def test_lengths_are_demo_sized_and_declared_counts_roughly_right(
    stories: dict[str, Story],
) -> None:
    for name, story in stories.items():
        if name == MULTI_CHAPTER:
            assert story.words >= 4000
        else:
            assert 600 <= story.words <= 2500, (name, story.words)
        declared = story.meta.words_declared
        if declared is not None:
            assert abs(declared - story.words) <= 0.15 * story.words, (name, declared)


def test_story_without_header_is_titled_from_its_file_name(stories: dict[str, Story]) -> None:
    story = stories[NO_HEADER]
    assert story.title == "The Orchard Road"
    assert story.meta.authors == []
    assert story.meta.rating == "Not Rated"
    assert story.paragraphs is not None
    assert story.paragraphs[0].text.startswith("Everybody in Harcombe")


def test_windows_1252_story_is_not_utf8_and_decodes_to_curly_quotes(
    stories: dict[str, Story],
) -> None:
    data = (DEMO / CP1252).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\r\n" in data
    assert b"\x93" in data and b"\x94" in data and b"\x97" in data  # “ ” —
    text = decode_bytes(data)
    assert "“I’m sorry,” she said." in text
    assert "—" in text and "…" in text
    assert "\ufffd" not in text and "â€" not in text
    story = stories[CP1252]
    assert story.title == "Night Porter"
    body = "\n".join(p.text for p in story.paragraphs or [])
    assert "\r" not in body
    assert "“Would you like a cup of tea?” he said." in body


def test_multi_chapter_story_has_chapters_and_scene_breaks(stories: dict[str, Story]) -> None:
    story = stories[MULTI_CHAPTER]
    paragraphs = story.paragraphs or []
    assert [c.title for c in story.chapters] == [
        "Chapter 1: The Wing",
        "Chapter 2: Nettles",
        "Chapter 3: The Thread",
    ]
    starts = [c.paragraph for c in story.chapters] + [len(paragraphs)]
    for first, end in zip(starts, starts[1:], strict=False):
        kinds = [p.kind for p in paragraphs[first + 1 : end]]
        assert "scene_break" in kinds, paragraphs[first].text
    assert story.meta.status == "in-progress"
    assert story.meta.chapters_total == 5


def test_ratings_span_the_scale(stories: dict[str, Story]) -> None:
    ratings = {story.meta.rating for story in stories.values()}
    assert len(ratings) >= 4
    originals = {story.meta.rating_original for story in stories.values()}
    assert {"G", "PG-13", "T", "M", "Mature", "Explicit", "PG/K+", "Not Rated"} <= originals


def test_headers_show_off_the_label_variants(stories: dict[str, Story]) -> None:
    ledger = stories["the-keepers-ledger.txt"].meta
    assert ledger.authors == ["fennel & rue"]
    assert (ledger.series, ledger.series_index) == ("Saltmarsh Light", 2)
    assert ledger.summary is not None and "one small boat" in ledger.summary  # continued line

    kettle = stories["a-notice-regarding-the-kettle.txt"].meta
    assert kettle.title.startswith("A Notice Regarding [bold]The Kettle[/bold]")

    umbrella = stories["the-adventure-of-the-borrowed-umbrella.txt"].meta
    assert umbrella.authors == ["Hollis Quarry"]  # Writer:
    assert umbrella.relationships == ["Sherlock Holmes & John Watson"]  # Character/Pairing:
    assert "Beta" in umbrella.extra

    letter = stories["the-letter-she-did-not-burn.txt"].meta
    assert letter.recipients == ["quillandink"]  # For:name
    assert letter.relationships == ["Elizabeth Bennet/Fitzwilliam Darcy"]

    assert "Spoilers" in stories["the-last-lamp-at-the-musain.txt"].meta.extra
    assert stories["side-b.txt"].meta.relationships == ["Dot Mercer/Lenny Shaw"]

    fandoms = {f for story in stories.values() for f in story.meta.fandoms}
    assert len(fandoms) >= 6


def test_markdown_story_keeps_its_markup_in_the_file() -> None:
    text = (DEMO / "pomegranate-season.md").read_text(encoding="utf-8")
    assert text.startswith("Title: Pomegranate Season\nAuthor: ")
    assert re.search(r"^# \w", text, re.MULTILINE)
    assert re.search(r"(?<!\*)\*[^*\s][^*]*\*(?!\*)", text)
    assert re.search(r"\*\*[^*]+\*\*", text)


def test_quote_styles_are_all_represented() -> None:
    texts = {p.name: decode_bytes(p.read_bytes()) for p in demo_files()}
    everything = "\n".join(texts.values())
    assert re.search(r"“[^”]+,” \w+ said, “", everything)  # speech broken by narration
    assert re.search(r'"[^"]+\?"', everything)  # straight double quotes
    assert re.search(r"“[^”]*‘[^’]*’[^”]*”", everything)  # nested quotes
    assert "«" in everything and "»" in everything
    assert "„" in everything  # German-style „…“
    british = texts["side-b.txt"]
    for elision in ("rock ’n’ roll", "’60s", "Hendersons’", "don’t"):
        assert elision in british
    assert british.count("‘") > 20
    # One speech over several paragraphs: open, no close, and the next opens again.
    paragraphs = texts["the-adventure-of-the-borrowed-umbrella.txt"].split("\n\n")
    assert any(
        a.startswith('"') and a.count('"') == 1 and b.startswith('"')
        for a, b in zip(paragraphs, paragraphs[1:], strict=False)
    )


def test_no_prose_copied_from_the_reference_story() -> None:
    ours: set[str] = set()
    for path in demo_files():
        ours |= _shingles(decode_bytes(path.read_bytes()))
    hashed = {hashlib.sha256(s.encode()).hexdigest()[:16] for s in ours}
    assert not hashed & REFERENCE_SHINGLES
    if REFERENCE.exists():
        body = REFERENCE.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        assert not ours & _shingles(body)
