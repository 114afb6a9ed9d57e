from hypothesis import given
from hypothesis import strategies as st

from tuific.chapters import chapter_index_at, classify, is_heading, is_scene_break
from tuific.model import Chapter, Paragraph
from tuific.pace import PageTimer
from tuific.search import StorySearch, by_paragraph, next_match


def paragraphs(*texts):
    return [Paragraph(t) for t in texts]


def test_search_is_case_insensitive_over_source_text():
    search = StorySearch(paragraphs("The Lamp was lit.", "no lamp here? A LAMP!"))
    found = [(m.paragraph, m.start, m.end) for m in search.find("lamp")]
    assert found == [(0, 4, 8), (1, 3, 7), (1, 16, 20)]


def test_phrase_split_across_lines_is_found():
    # Wrapping never matters (the search is over paragraphs), and an explicit
    # line break inside a paragraph matches a space in the query.
    search = StorySearch(paragraphs("the old\nlighthouse keeper"))
    assert [(m.start, m.end) for m in search.find("old lighthouse")] == [(4, 18)]


def test_search_across_paragraph_boundary_is_not_a_match_inside_one():
    search = StorySearch(paragraphs("ends with old", "lighthouse begins"))
    matches = search.find("old lighthouse")
    # The newline between paragraphs is white space, so the phrase is found and
    # reported where it starts.
    assert [(m.paragraph, m.start) for m in matches] == [(0, 10)]


def test_search_handles_characters_that_change_length_when_folded():
    search = StorySearch(paragraphs("İstanbul and istanbul"))
    assert len(search.find("istanbul")) >= 1


def test_regex_characters_are_literal():
    search = StorySearch(paragraphs("a.b a*b (a)"))
    assert [m.start for m in search.find("a*b")] == [4]
    assert [m.start for m in search.find("(a)")] == [8]


def test_next_match_wraps_both_ways():
    search = StorySearch(paragraphs("x a x", "a", "x a"))
    matches = search.find("a")
    assert next_match(matches, 1, 0) == 2  # after paragraph 1 offset 0
    assert next_match(matches, 2, 5) == 0  # past the last: wraps to the first
    assert next_match(matches, 0, 0, forward=False) == 2  # before the first: wraps to last
    assert by_paragraph(matches) == {0: [0], 1: [1], 2: [2]}


@given(st.lists(st.text(max_size=40), max_size=20), st.text(max_size=8))
def test_search_spans_are_inside_paragraphs(texts, query):
    paras = paragraphs(*texts)
    for match in StorySearch(paras).find(query):
        text = paras[match.paragraph].text
        assert 0 <= match.start < match.end <= len(text) or match.end > len(text)


def test_headings_detected():
    for heading in (
        "Chapter 12",
        "Chapter 12: The Storm",
        "CHAPTER TWELVE",
        "Part II",
        "Prologue",
        "Epilogue",
        "Chapter One - Rain",
        "chapter 3. Home",
        "Part Two: Winter",
        "Глава 1",
        "Глава 12. Зима",
        "ЧАСТЬ II",
        "Пролог",
        "Розділ 3",
        "Capítulo 4: La lluvia",
        "Chapitre 2",
        "Kapitel 7",
        "Rozdział 5",
        "Epílogo",
        "Chapter XIV",
        "Part mcmxcix",
    ):
        assert is_heading(heading), heading
        assert classify(heading) == "heading"
    for text in (
        "Chapter and verse were quoted at her all evening long.",
        "Partly cloudy.",
        "He said part of it.",
        "Глава семьи ушла рано.",  # "the head of the family", no number
        "Parte del problema era ella.",
        "Parte di lui era triste.",  # di: Roman numerals in lower case
        "Part civil servant, part spy.",  # "civil": numeral letters, not a numeral
        "Book mild in tone, she said.",
        "Prologues are dull, she thought, "
        "and this one was no exception to the rule at all, not one bit, no." * 2,
    ):
        assert not is_heading(text), text


def test_scene_breaks_detected():
    for mark in (
        "* * *",
        "***",
        "~~~",
        "---",
        "oOo",
        "xXx",
        "#",
        "~ ~ ~",
        "o0o",
    ):
        assert is_scene_break(mark), mark
        assert classify(mark) == "scene_break"
    for text in ("Oh.", "x", "- said she"):
        assert not is_scene_break(text)


def test_chapter_index_at():
    chapters = [Chapter("One", 2), Chapter("Two", 10), Chapter("Three", 20)]
    assert chapter_index_at(chapters, 0) == -1
    assert chapter_index_at(chapters, 2) == 0
    assert chapter_index_at(chapters, 15) == 1
    assert chapter_index_at(chapters, 99) == 2
    assert chapter_index_at([], 5) == -1


def test_page_timer_learns_pace_and_ignores_idle_and_skimming():
    timer = PageTimer()
    assert timer.observe(0.0, 0) is None  # first observation only starts the clock
    assert timer.observe(30.0, 125) == 250.0  # 125 words in 30 s
    assert timer.observe(31.0, 250) is None  # skimming: a page in a second
    assert timer.observe(1000.0, 375) is None  # idle: away for a quarter of an hour
    assert timer.observe(1030.0, 400) is None  # too few words to judge
    timer.reset()
    assert timer.observe(2000.0, 500) is None
