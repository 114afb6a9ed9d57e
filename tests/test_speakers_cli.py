"""`tuific dialogue`: JSON lines and a transcript of who says what, and its errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tuific.cli import main
from tuific.resources import demo_dir

STORY = (
    "Title: The Jetty\nAuthor: Test Writer\nCharacters: Ottilie Marsh, Bram Okonkwo\n\n"
    "Ottilie Marsh waited on the jetty. Bram Okonkwo rowed in out of the fog.\n\n"
    "“You’re late,” said Ottilie.\n\n"
    "“The fog,” said Bram. “It came in at noon.\x1b[31m”\n\n"
    "“It always comes in at noon.”\n\n"
    "“Then I am always late.”\n"
)
KEYS = ["paragraph", "start", "end", "text", "speaker", "confidence", "shown"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "jetty.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_json_lines_hold_every_key_in_reading_order(capsys, story: Path) -> None:
    code, out, err = run(capsys, "dialogue", "--json", str(story))
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert all(list(r) == KEYS for r in records)
    assert [(r["paragraph"], r["speaker"]) for r in records] == [
        (1, "Ottilie Marsh"),
        (2, "Bram Okonkwo"),
        (2, "Bram Okonkwo"),
        (3, "Ottilie Marsh"),
        (4, "Bram Okonkwo"),
    ]
    assert records[0]["text"] == "“You’re late,”"
    assert records[0]["start"] == 0 and records[0]["end"] == len("“You’re late,”")
    assert records[0]["shown"] is True and 0.9 <= records[0]["confidence"] <= 1


def test_transcript_names_each_speaker_and_joins_a_split_speech(capsys, story: Path) -> None:
    code, out, _err = run(capsys, "dialogue", str(story))
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Ottilie Marsh: “You’re late,”"
    assert lines[1].startswith("Bram Okonkwo: “The fog,” “It came in at noon.")
    assert len(lines) == 4


def test_control_characters_in_the_story_never_reach_stdout(capsys, story: Path) -> None:
    for argv in (("dialogue", str(story)), ("dialogue", "--json", str(story))):
        _code, out, _err = run(capsys, *argv)
        assert "\x1b" not in out and "\\u001b" not in out


def test_a_line_break_kept_in_a_paragraph_is_folded_in_the_transcript(capsys, tmp_path):
    path = tmp_path / "poem.txt"
    path.write_text("Title: Poem\n\nShort\nlines\nhere.\n\n“A line,\nand another,” said Ivo.\n")
    _code, out, _err = run(capsys, "dialogue", str(path))
    [line] = out.splitlines()
    assert line.startswith("Ivo") and line.endswith(": “A line, and another,”")


def test_a_missing_file_or_a_folder_exits_2_with_a_message(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "dialogue", str(tmp_path / "nope.txt"))
    assert code == 2 and out == "" and "no such file" in err
    code, out, err = run(capsys, "dialogue", str(tmp_path))
    assert code == 2 and out == "" and "not a story file" in err


def test_an_unreadable_story_is_reported_not_a_traceback(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    code, out, err = run(capsys, "dialogue", str(path))
    assert code == 1 and out == "" and "skipped" in err and "bin.txt" in err


def test_the_four_speaker_demo_story_has_all_four_speaking(capsys) -> None:
    demo = demo_dir() / "four-for-the-early-oven.txt"
    _code, out, _err = run(capsys, "dialogue", "--json", str(demo))
    records = list(map(json.loads, out.splitlines()))
    four = {"Eleanor Vance", "Tobias Finch", "Agatha Pell", "Jonah Reyes"}
    assert {r["speaker"] for r in records} == four
    assert len({r["speaker"] for r in records if r["shown"]}) >= 3


def test_the_readme_gives_the_confidence_the_reader_colours_from():
    from tuific.speakers import SHOW_AT

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    found = re.search(r"`shown` \(confident enough to colour: from ([0-9.]+)\)", readme)
    assert found is not None and float(found.group(1)) == SHOW_AT


def test_help_says_what_the_question_mark_of_the_transcript_means(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["dialogue", "--help"])
    out, _err = capsys.readouterr()
    assert done.value.code == 0
    assert "followed by ? is a guess" in " ".join(out.split())


def test_the_pass_is_told_where_headings_and_scene_breaks_are(capsys, kinds_given) -> None:
    code, out, _err = run(capsys, "dialogue", str(demo_dir() / "one-sleeve-short.txt"))
    assert code == 0 and out
    kinds = kinds_given[0]
    assert isinstance(kinds, list) and "heading" in kinds and "scene_break" in kinds


def test_a_story_the_pass_fails_on_is_reported_not_a_traceback(
    capsys, story: Path, monkeypatch
) -> None:
    import tuific.speakers

    def broken(*_args, **_kwargs):
        raise RecursionError("a story no rule foresaw")

    monkeypatch.setattr(tuific.speakers, "attribute", broken)
    assert main(["dialogue", str(story)]) == 1
    out = capsys.readouterr()
    assert out.out == "" and "who speaks not worked out (RecursionError)" in out.err
