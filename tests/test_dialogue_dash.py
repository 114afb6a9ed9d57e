"""Speech set off by dashes (Russian, Spanish…), in stories written for these tests."""

from __future__ import annotations

import json

import pytest
from uihelpers import make_app, wait_for_story, write_library

from tuific.cli import main
from tuific.dialogue import dominant_convention, find_dialogue
from tuific.dialogue_dash import dash_spans


def speech(text: str) -> list[str]:
    return [text[start:end] for start, end in dash_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spaced dashes: the speaker's words, the author's, the speaker's again.
        ("— Здравствуйте, — сказал Пётр. — Вы к нам?", ["— Здравствуйте,", "— Вы к нам?"]),
        ("— Ни за что! — Вера отвернулась.", ["— Ни за что!"]),
        ("— Да.", ["— Да."]),
        # A dash inside the speech's own sentence is its punctuation.
        ("— Зима — это долго, — вздохнула Вера.", ["— Зима — это долго,"]),
        # Spanish: the dashes stand against the words.
        ("—Buenas tardes —dijo Lucía—. ¿Entramos?", ["—Buenas tardes", "¿Entramos?"]),
        ("—¿Vienes? —preguntó Mateo.", ["—¿Vienes?"]),
        # Typed with hyphens, spaced.
        ("- Идём, - сказал Пётр. - Пора.", ["- Идём,", "- Пора."]),
        # Narration, even with a dash in it, is no speech.
        ("Пётр ушёл — и не вернулся.", []),
        ("A well-known -- and long -- road.", []),
    ],
)
def test_dash_speech_and_the_authors_words_between(text, expected):
    assert speech(text) == expected


STORY_RU = [
    "Вечером Пётр пришёл к Вере.",
    "— Здравствуйте, — сказал он. — Можно войти?",
    "— Входите, — ответила Вера.",
    "Они сели у окна.",
    "— Зима — это долго, — вздохнула она.",
]


def test_a_story_of_dash_speech_is_read_as_one():
    assert dominant_convention(STORY_RU) == "dash"
    found = find_dialogue(STORY_RU)
    assert found[0] == found[3] == []
    assert [STORY_RU[2][a:b] for a, b in found[2]] == ["— Входите,"]


def test_a_few_dashes_in_a_story_of_quotes_leave_it_in_quotes():
    story = [f"“Line {i},” she said." for i in range(10)] + ["— a dash aside —"] * 3
    assert dominant_convention(story) == "double"


def test_tuific_dialogue_prints_dash_speech(tmp_path, capsys):
    path = tmp_path / "vecher.txt"
    path.write_text("Title: Вечер\n\n" + "\n\n".join(STORY_RU), encoding="utf-8")
    assert main(["dialogue", "--json", str(path)]) == 0
    texts = [json.loads(line)["text"] for line in capsys.readouterr().out.splitlines()]
    assert texts == ["— Здравствуйте,", "— Можно войти?", "— Входите,", "— Зима — это долго,"]


async def test_the_reader_highlights_dash_speech(tmp_path):
    root = write_library(tmp_path, {"vecher.txt": "Title: Вечер\n\n" + "\n\n".join(STORY_RU)})
    app = make_app(root, open_path=root / "vecher.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Вечер")
        await pilot.pause()
        dialogue = reader.get_component_rich_style("reader--dialogue", partial=True).color
        coloured = {
            segment.text.strip()
            for y in range(reader.size.height)
            for segment in reader.render_line(y)
            if segment.style is not None and segment.style.color == dialogue
        }
        assert "— Входите," in coloured and "ответила Вера." not in coloured
