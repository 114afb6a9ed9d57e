import json
import os
import sys
from pathlib import Path

import pytest

from tuific import __version__
from tuific.cli import DEMO_HINT, choose_library, main
from tuific.config import Config
from tuific.resources import demo_dir

FIELDS = {
    "path",
    "format",
    "title",
    "authors",
    "recipients",
    "fandoms",
    "relationships",
    "characters",
    "rating",
    "rating_original",
    "warnings",
    "categories",
    "tags",
    "summary",
    "notes",
    "words",
    "words_declared",
    "chapters",
    "chapters_total",
    "status",
    "series",
    "series_index",
    "published",
    "updated",
    "published_original",
    "updated_original",
    "language",
    "extra",
    "progress",
    "read",
}
LIST_FIELDS = {
    "authors",
    "recipients",
    "fandoms",
    "relationships",
    "characters",
    "warnings",
    "categories",
    "tags",
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text(
        "Title: Alpha\nAuthor: fennel & rue\nFandom: Tides\nRating: PG-13\n"
        "Series: Saltmarsh [2]\nStatus: In-Progress\nChapters: 2/5\nWords: 9\n"
        "Mood: wistful\n\nChapter 1\n\nOne two three.\n\nChapter 2\n\nFour five six.",
        encoding="utf-8",
    )
    (root / "b.txt").write_text("Just text, no header at all.", encoding="utf-8")
    (root / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    return root


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "tuific list" in capsys.readouterr().out


def test_list_json_has_every_field_with_the_right_types(capsys, library):
    code, out, err = run(capsys, "list", "--json", str(library))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 2
    for record in records:
        assert set(record) == FIELDS
        for name in LIST_FIELDS:
            assert isinstance(record[name], list)
    alpha = next(r for r in records if r["title"] == "Alpha")
    assert alpha["authors"] == ["fennel & rue"]
    assert alpha["rating"] == "Teen And Up Audiences" and alpha["rating_original"] == "PG-13"
    assert alpha["series"] == "Saltmarsh" and alpha["series_index"] == 2
    assert alpha["status"] == "in-progress"
    assert alpha["chapters"] == 2 and alpha["chapters_total"] == 5
    assert alpha["words"] == 6 and alpha["words_declared"] == 9
    assert alpha["extra"] == {"Mood": "wistful"}
    assert alpha["progress"] == 0 and alpha["read"] == "unread"
    plain = next(r for r in records if r["title"] == "B")
    assert plain["summary"] is None and plain["fandoms"] == [] and plain["status"] is None
    assert "bin.txt" in err and "binary" in err  # the skipped file, on stderr


def test_list_with_query_and_sort(capsys, library):
    code, out, _ = run(capsys, "list", "--json", str(library), "fandom:tides")
    assert code == 0 and [json.loads(x)["title"] for x in out.splitlines()] == ["Alpha"]
    code, out, _ = run(capsys, "list", "--sort", "words", str(library))
    assert out.splitlines()[0].startswith("Alpha")
    code, out, _ = run(capsys, "list", "--sort", "words", "--reverse", str(library))
    assert out.splitlines()[0].startswith("B ")


def test_an_exclusion_is_a_query_word_not_an_option(capsys, library):
    # The README's `-read:dropped` and `-tag:angst`: argparse took them for options.
    code, out, err = run(capsys, "list", str(library), "-fandom:tides")
    assert code == 0 and "unrecognized" not in err
    assert [line.split(" ")[0] for line in out.splitlines()] == ["B"]
    code, out, _ = run(capsys, "list", "--json", str(library), "words:>1", "-fandom:tides")
    assert code == 0 and [json.loads(x)["title"] for x in out.splitlines()] == ["B"]
    with pytest.raises(SystemExit) as exit:
        run(capsys, "list", str(library), "--jsn")  # a misspelt option is still an error
    assert exit.value.code == 2 and "--jsn" in capsys.readouterr().err


def test_bad_query_exits_2_with_a_message_and_no_traceback(capsys, library):
    code, out, err = run(capsys, "list", str(library), "words:>>banana")
    assert code == 2 and out == ""
    assert "words" in err and "Traceback" not in err


def test_bad_sort_exits_2(capsys, library):
    code, _, err = run(capsys, "list", "--sort", "shoe-size", str(library))
    assert code == 2 and "shoe-size" in err


def test_list_a_single_file(capsys, library):
    code, out, _ = run(capsys, "list", "--json", str(library / "a.txt"))
    assert code == 0 and json.loads(out)["title"] == "Alpha"


def test_missing_path_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "nope"))
    assert code == 2 and "no such file" in err


def test_choose_library_falls_back_to_the_demo_with_a_hint(tmp_path, monkeypatch):
    library, hint = choose_library(Config())
    assert library == demo_dir() and hint == DEMO_HINT
    configured = tmp_path / "mine"
    configured.mkdir()
    assert choose_library(Config(library=configured)) == (configured, None)


def test_choose_library_uses_the_data_folder_when_it_has_stories(monkeypatch, isolated_dirs):
    data = isolated_dirs / "data"
    data.mkdir(exist_ok=True)
    (data / "s.txt").write_text("Title: S\n\nText.", encoding="utf-8")
    assert choose_library(Config()) == (data, None)


def test_list_of_a_missing_folder_is_an_error_not_a_query(capsys, tmp_path):
    code, out, err = run(capsys, "list", str(tmp_path / "nonexistent"))
    assert code == 2 and out == "" and "no such file" in err
    code, out, err = run(capsys, "list", str(tmp_path / "nonexistent"), "rating:e")
    assert code == 2


def test_list_with_only_a_query_uses_the_default_library(capsys):
    code, out, _ = run(capsys, "list", "--json", "fandom:sherlock")
    assert code == 0
    assert [json.loads(line)["title"] for line in out.splitlines()] == [
        "The Adventure of the Borrowed Umbrella"
    ]


def test_the_app_without_a_terminal_says_so_instead_of_spinning(tmp_path):
    # Keys from /dev/null: Textual's input thread would meet the end of the input in
    # a loop, a whole core for ever. tuific refuses, and says what to use instead.
    import subprocess

    story = tmp_path / "story.txt"
    story.write_text("Title: Alone\n\nSome words.\n", encoding="utf-8")
    env = dict(os.environ)
    for name in ("STATE", "CONFIG", "CACHE", "DATA"):
        env[f"TUIFIC_{name}_DIR"] = str(tmp_path / name)
    env.pop("TEXTUAL_DRIVER", None)
    done = subprocess.run(
        [sys.executable, "-m", "tuific", str(story)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert "not a terminal" in done.stderr and "tuific list" in done.stderr
    assert "\x1b" not in done.stdout + done.stderr  # nothing drawn
