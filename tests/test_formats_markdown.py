"""Markdown stories: front matter (YAML, TOML, hostile), plain headers, body."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuific.formats import load_story, markdown
from tuific.model import Paragraph, Story


def parse(text: str, name: str = "the-lantern-keeper.md") -> Story:
    return markdown.parse(text, Path(name))


def texts(story: Story) -> list[str]:
    assert story.paragraphs is not None
    return [p.text for p in story.paragraphs]


def only(story: Story) -> Paragraph:
    assert story.paragraphs is not None and len(story.paragraphs) == 1, story.paragraphs
    return story.paragraphs[0]


YAML_STORY = """\
---
title: "Lanterns: A Winter Story"
authors:
  - Wren Halloway
  - Tamsin Reed
fandoms: [Original Work]
rating: T
tags:
  - Found Family
  - Snow, Lots of It
pairing: Ada/Birch
characters: Ada, Birch, The Ferryman
summary: |
  The lamps go out one by one.

  Ada goes looking for oil.
words: 1,204
series: Harbour Lights [2]
status: complete
published: 2023-11-05
kudos: 41
---

The harbour was quiet.
"""

TOML_STORY = """\
+++
title = "Salt and Cedar"
author = "Ivo Marsh"
fandom = ["Original Work", "Folklore"]
rating = "Mature"
tags = ["Slow Burn", "Boats"]
relationships = ["Ivo/Cedar"]
words = 5200
status = "in-progress"
[series]
name = "Coastline"
part = 3
+++

Cedar rowed out before dawn.
"""


def test_yaml_front_matter_fills_every_field() -> None:
    story = parse(YAML_STORY)
    record = story.record()
    assert record["title"] == "Lanterns: A Winter Story"
    assert record["authors"] == ["Wren Halloway", "Tamsin Reed"]
    assert record["fandoms"] == ["Original Work"]
    assert record["rating"] == "Teen And Up Audiences"
    assert record["rating_original"] == "T"
    # A list item is one tag even with a comma in it.
    assert record["tags"] == ["Found Family", "Snow, Lots of It"]
    assert record["relationships"] == ["Ada/Birch"]
    assert record["characters"] == ["Ada", "Birch", "The Ferryman"]
    assert record["summary"] == "The lamps go out one by one.\n\nAda goes looking for oil."
    assert record["words_declared"] == 1204
    assert (record["series"], record["series_index"]) == ("Harbour Lights", 2)
    assert record["status"] == "complete"
    assert record["published"] == "2023-11-05"  # a YAML date, back to ISO text
    assert record["extra"] == {"kudos": "41"}
    assert texts(story) == ["The harbour was quiet."]
    assert record["format"] == "markdown"


def test_toml_front_matter_fills_every_field() -> None:
    record = parse(TOML_STORY).record()
    assert record["title"] == "Salt and Cedar"
    assert record["authors"] == ["Ivo Marsh"]
    assert record["fandoms"] == ["Original Work", "Folklore"]
    assert record["rating"] == "Mature"
    assert record["tags"] == ["Slow Burn", "Boats"]
    assert record["relationships"] == ["Ivo/Cedar"]
    assert record["words_declared"] == 5200
    assert record["status"] == "in-progress"
    assert (record["series"], record["series_index"]) == ("Coastline", 3)
    assert texts(parse(TOML_STORY)) == ["Cedar rowed out before dawn."]


def test_string_values_split_on_commas_and_lists_do_not() -> None:
    as_string = parse("---\ntags: Snow, Boats, Tea\nauthor: fennel & rue\n---\nx\n").meta
    assert as_string.tags == ["Snow", "Boats", "Tea"]
    assert as_string.authors == ["fennel & rue"]
    as_list = parse("---\ntags: ['Snow, Boats', Tea]\n---\nx\n").meta
    assert as_list.tags == ["Snow, Boats", "Tea"]


def test_front_matter_key_spellings_and_extra() -> None:
    meta = parse(
        "---\nTitle: Kite\nWord_Count: 900\nseries_index: 4\nseries: Paper Things\n"
        "complete: false\nmood: [quiet, blue]\n---\nx\n"
    ).meta
    assert meta.title == "Kite"
    assert meta.words_declared == 900
    assert (meta.series, meta.series_index) == ("Paper Things", 4)
    assert meta.status == "in-progress"
    assert meta.extra == {"mood": "quiet, blue"}


def test_broken_yaml_with_a_colon_in_a_value_is_read_line_by_line() -> None:
    story = parse("---\ntitle: Dawn: The Long Road\nauthor: Pim\n---\n\nIt was early.\n")
    assert story.meta.title == "Dawn: The Long Road"
    assert story.meta.authors == ["Pim"]
    assert texts(story) == ["It was early."]


def test_yaml_alias_bomb_is_never_expanded() -> None:
    lines = ["---", "title: Laughter", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 12):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines += ["---", "", "Quiet after."]
    story = parse("\n".join(lines))
    # The aliases were refused; the block was read as plain lines instead.
    assert story.meta.title == "Laughter"
    assert all(len(value) < 200 for value in story.meta.extra.values())
    assert texts(story) == ["Quiet after."]


def test_yaml_merge_keys_with_aliases_are_refused_too() -> None:
    meta = parse("---\nbase: &b {rating: E}\nthis:\n  <<: *b\ntitle: Merge\n---\nx\n").meta
    assert meta.title == "Merge"


@pytest.mark.parametrize("block", [
    "- just\n- a list",
    "only a string",
    "42",
    "",
])
def test_front_matter_that_is_not_a_mapping_stays_in_the_body(block: str) -> None:
    story = parse(f"---\n{block}\n---\n\nThe story.\n")
    assert story.meta.title == "The Lantern Keeper"
    assert "The story." in texts(story)


def test_deeply_nested_front_matter_does_not_crash() -> None:
    deep_yaml = "---\nx: " + "[" * 30_000 + "]" * 30_000 + "\n---\nBody.\n"
    assert "Body." in texts(parse(deep_yaml))
    deep_toml = "+++\nx = " + "[" * 30_000 + "]" * 30_000 + "\n+++\nBody.\n"
    assert "Body." in texts(parse(deep_toml))


def test_front_matter_beyond_the_size_cap_is_not_front_matter() -> None:
    huge = "---\ntitle: Too Big\n" + "filler: x\n" * 10_000 + "---\n\nBody.\n"
    story = parse(huge)
    assert story.meta.title == "The Lantern Keeper"
    assert story.meta.extra == {}


def test_unclosed_front_matter_is_body() -> None:
    story = parse("---\ntitle: Never Closed\n\nBody.\n")
    assert story.meta.title == "The Lantern Keeper"


def test_plain_header_without_front_matter() -> None:
    story = parse("Title: Small Hours\nAuthor: Odile\nFandom: Original Work\n\nShe *read*.\n")
    assert story.meta.title == "Small Hours"
    assert story.meta.authors == ["Odile"]
    assert story.meta.fandoms == ["Original Work"]
    assert only(story) == Paragraph("She read.", "text", ((4, 8, "italic"),))


def test_no_metadata_titles_from_file_name() -> None:
    story = parse("Just a *little* note.\n", "the-orchard-road.md")
    assert story.meta.title == "The Orchard Road"


@pytest.mark.parametrize(("source", "text", "emphasis"), [
    ("She *said* it.", "She said it.", ((4, 8, "italic"),)),
    ("She _said_ it.", "She said it.", ((4, 8, "italic"),)),
    ("A **bold** move.", "A bold move.", ((2, 6, "bold"),)),
    ("A __bold__ move.", "A bold move.", ((2, 6, "bold"),)),
    ("***Both*** at once", "Both at once", ((0, 4, "bold"), (0, 4, "italic"))),
    ("**Loud _and soft_ too**", "Loud and soft too", ((0, 17, "bold"), (5, 13, "italic"))),
    ("snake_case_name and 2 * 3 * 4", "snake_case_name and 2 * 3 * 4", ()),
    (r"not \*emphasis\*", "not *emphasis*", ()),
    ("Wait *for\nit* now", "Wait for it now", ((5, 11, "italic"),)),
    ("An <i>html</i> tag and <b>bold</b>", "An html tag and bold", ((3, 7, "italic"),
                                                              (16, 20, "bold"))),
    ("~~struck~~ out", "struck out", ()),
    ("[a link](http://example.org) here", "a link here", ()),
    ("A &amp; B", "A & B", ()),
])
def test_inline_emphasis_spans_have_exact_offsets(
    source: str, text: str, emphasis: tuple[tuple[int, int, str], ...]
) -> None:
    paragraph = only(parse(source))
    assert paragraph.text == text
    assert paragraph.emphasis == emphasis
    for start, end, _style in paragraph.emphasis:
        assert 0 <= start < end <= len(paragraph.text)


def test_line_breaks_soft_and_hard() -> None:
    story = parse("one\ntwo\n\nthree  \nfour\n\nfive\\\nsix\n\nseven<br>eight\n")
    assert texts(story) == ["one two", "three\nfour", "five\nsix", "seven\neight"]


def test_blank_lines_separate_paragraphs_and_indented_prose_is_not_code() -> None:
    story = parse("First para.\n\n    Indented second para, *still* prose.\n")
    assert story.paragraphs is not None
    assert texts(story) == ["First para.", "Indented second para, still prose."]
    assert story.paragraphs[1].emphasis == ((22, 27, "italic"),)


@pytest.mark.parametrize("mark", ["***", "---", "* * *", "- - -", "___", "~~~", "oOo", "#", "##"])
def test_scene_breaks(mark: str) -> None:
    story = parse(f"Before.\n\n{mark}\n\nAfter.\n")
    assert story.paragraphs is not None
    kinds = [p.kind for p in story.paragraphs]
    assert kinds == ["text", "scene_break", "text"], story.paragraphs
    assert texts(story)[2] == "After."  # a ~~~ fence did not swallow the rest


def test_headings_become_chapters_below_a_title_heading() -> None:
    story = parse(
        "# The Glasshouse\n\n## One\n\nFirst.\n\n### A scene title\n\nMore.\n\n"
        "## Two: *Frost*\n\nSecond.\n"
    )
    assert story.meta.title == "The Glasshouse"
    assert story.paragraphs is not None
    assert [(c.title, c.paragraph) for c in story.chapters] == [("One", 1), ("Two: Frost", 5)]
    assert story.paragraphs[3] == Paragraph("A scene title", "heading")
    assert story.paragraphs[5].kind == "heading"
    assert story.words == 3  # headings do not count


def test_top_level_headings_are_chapters_when_there_are_several() -> None:
    story = parse("# Chapter One\n\nA.\n\n# Chapter Two\n\nB.\n", "glass.md")
    assert story.meta.title == "Glass"
    assert [c.title for c in story.chapters] == ["Chapter One", "Chapter Two"]


def test_front_matter_title_wins_over_a_heading() -> None:
    story = parse("---\ntitle: From Front Matter\n---\n# Heading Title\n\nx\n")
    assert story.meta.title == "From Front Matter"
    assert story.chapters == []


def test_setext_headings() -> None:
    story = parse("Intro.\n\nPart One\n========\n\nText.\n\nPart Two\n--------\n\nMore.\n")
    assert [c.title for c in story.chapters] == ["Part One"]
    assert story.paragraphs is not None and story.paragraphs[3].kind == "heading"


def test_plain_chapter_lines_count_when_there_are_no_markdown_headings() -> None:
    story = parse("Chapter 1\n\nOnce.\n\nChapter 2: Later\n\nTwice.\n")
    assert [(c.title, c.paragraph) for c in story.chapters] == [
        ("Chapter 1", 0), ("Chapter 2: Later", 2)]


def test_lists_quotes_images_and_html_blocks() -> None:
    story = parse(
        "- milk\n- *eggs*\n\n3. three\n4. four\n\n> quoted *words*\n\n"
        "![a gull on a post](gull.png)\n\n<div><p>From <em>html</em>.</p><hr></div>\n"
    )
    assert texts(story) == [
        "• milk", "• eggs", "3. three", "4. four", "quoted words",
        "[image: a gull on a post]", "From html.", "* * *",
    ]
    assert story.paragraphs is not None
    assert story.paragraphs[1].emphasis == ((2, 6, "italic"),)
    assert story.paragraphs[4].emphasis == ((7, 12, "italic"),)
    assert story.paragraphs[6].emphasis == ((5, 9, "italic"),)
    assert story.paragraphs[7].kind == "scene_break"


def test_terminal_escapes_are_cleaned() -> None:
    story = parse("---\ntitle: \"Bad\\e[2J Title\"\n---\nText \x1b]52;c;aGk=\x07 *here*\n")
    assert "\x1b" not in story.meta.title
    assert all("\x1b" not in t and "\x07" not in t for t in texts(story))


def test_deep_blockquotes_and_long_lines_are_survived() -> None:
    # A block longer than any paragraph is read as plain text, unparsed.
    assert texts(parse(">" * 200_000 + " deep\n\nAfter.\n"))[-1] == "After."
    # maxNesting stops a descent that fits in a block (dropping what is that deep).
    assert texts(parse(">" * 30_000 + " deep\n\nAfter.\n")) == ["After."]
    line = "word *word* " * 200_000
    story = parse(line)
    assert story.words == 400_000


def test_expensive_markdown_falls_back_to_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past the time budget (here: at once) the rest is read as plain text is: other
    # markers kept, *words* in italics (plaintext._emphasised).
    monkeypatch.setattr(markdown, "PARSE_BUDGET_SECONDS", -1.0)
    story = parse("Some *marked* text and __more__.\n\nChapter 2\n\nMore.\n")
    assert story.paragraphs is not None
    assert [(p.text, p.kind, p.emphasis) for p in story.paragraphs] == [
        ("Some marked text and __more__.", "text", ((5, 11, "italic"),)),
        ("Chapter 2", "heading", ()),
        ("More.", "text", ()),
    ]
    assert [c.title for c in story.chapters] == ["Chapter 2"]


def test_blocks_are_parsed_in_groups_without_changing_the_result(
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = "# One\n\nA *b* c.\n\n1. x\n2. y\n\n* * *\n\n# Two\n\nD __e__.\n"
    whole = parse(source)
    monkeypatch.setattr(markdown, "CHUNK_CHARS", 1)  # every block on its own
    assert parse(source) == whole


def test_load_story_picks_markdown_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.markdown"
    path.write_text(YAML_STORY, encoding="utf-8")
    story = load_story(path)
    assert story.format == "markdown"
    assert story.meta.title == "Lanterns: A Winter Story"
    assert markdown.sniff(Path("a.MD"), b"") and not markdown.sniff(Path("a.txt"), b"")


@pytest.mark.parametrize("source", [
    YAML_STORY,
    TOML_STORY,
    "# The Glasshouse\n\n## One\n\nFirst *words* here.\n\n### Scene\n\nMore.\n\n## Two\n\nEnd.\n",
    "# Chapter One\n\nA b c.\n\n# Chapter Two\n\nD e.\n",
    "Title: Small Hours\nAuthor: Odile\n\nChapter 1\n\nOnce, *twice*.\n\nChapter 2\n\nThrice.\n",
    "Just some words - and a dash.\n\n* * *\n\n> quoted __bold__ words\n",
])
def test_metadata_pass_agrees_with_load_without_parsing_the_body(
        source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    full = parse(source)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the metadata pass parsed the body")

    monkeypatch.setattr(markdown, "markdown_paragraphs", refuse)
    quick = markdown.read_metadata(Path("the-lantern-keeper.md"), source.encode())
    assert quick.paragraphs is None
    assert quick.record() == full.record()
    assert [c.title for c in quick.chapters] == [c.title for c in full.chapters]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_#-~`>\n\\[]()<>!:+=/")), max_size=200))
def test_any_text_parses_to_sane_paragraphs(source: str) -> None:
    story = parse(source)
    assert story.paragraphs is not None
    for paragraph in story.paragraphs:
        assert paragraph.text == paragraph.text.strip()
        assert paragraph.text
        for start, end, style in paragraph.emphasis:
            assert 0 <= start < end <= len(paragraph.text)
            assert style in ("italic", "bold")
    for chapter in story.chapters:
        assert story.paragraphs[chapter.paragraph].kind == "heading"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_front_matter_is_survived(block: str) -> None:
    for fence in ("---", "+++"):
        story = parse(f"{fence}\n{block}\n{fence}\nBody.\n")
        assert story.meta.title
