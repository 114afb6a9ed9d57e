"""Changes seen at once: the last library reopened, gift recipients searchable, an
open story re-read when its file changes."""

from __future__ import annotations

import json

import pytest

from tuific import cli
from tuific.config import Config
from tuific.query import QueryError, parse_query


def test_plain_tuific_reopens_the_last_library_it_was_pointed_at(tmp_path, monkeypatch):
    made = []

    class FakeApp:
        def __init__(self, library, *, state, **kwargs):
            made.append((library, state))

        def run(self):
            made[-1][1].save()

    monkeypatch.setattr("tuific.ui.app.TuificApp", FakeApp)
    fic = tmp_path / "fic"
    fic.mkdir()
    (fic / "s.txt").write_text("Title: S\n\nText.", encoding="utf-8")
    assert cli.run_app(str(fic), Config()) == 0
    assert cli.run_app(None, Config()) == 0
    assert made[1][0] == fic.resolve()
    # A configured library still comes first; a last library since removed is skipped.
    assert cli.choose_library(Config(library=tmp_path), str(fic)) == (tmp_path, None)
    assert cli.choose_library(Config(), str(tmp_path / "gone"))[1] == cli.DEMO_HINT
    # Opening one story file does not make its folder the library to reopen.
    (tmp_path / "one.txt").write_text("Title: One\n\nText.", encoding="utf-8")
    assert cli.run_app(str(tmp_path / "one.txt"), Config()) == 0
    assert cli.run_app(None, Config()) == 0
    assert made[-1][0] == fic.resolve()


def test_gift_recipients_are_searchable_with_for(tmp_path, capsys):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text("Title: Gift\nFor: Marigold\n\nText.", encoding="utf-8")
    (root / "b.txt").write_text("Title: Other\nAuthor: Marigold\n\nText.", encoding="utf-8")
    assert cli.main(["list", "--json", str(root), "for:marigold"]) == 0
    assert [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()] == [
        "Gift"
    ]
    assert cli.main(["list", str(root), "--", "-for:marigold"]) == 0
    assert "Other" in capsys.readouterr().out
    parse_query("recipient:x gift:y")
    with pytest.raises(QueryError):
        parse_query("fore:x")
