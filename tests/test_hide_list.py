"""The standing hide list: [hide] in config.toml."""

from __future__ import annotations

import json
import os
from pathlib import Path

from uihelpers import screen_text, titles, wait_for_scan, write_library

from tuific.cli import main
from tuific.config import load_config
from tuific.hiding import compile_rules, hidden_by
from tuific.model import Metadata, Stories, Story
from tuific.query import make_entries
from tuific.state import StateStore
from tuific.ui.app import TuificApp
from tuific.ui.screens.hidden import HiddenScreen
from tuific.ui.widgets.story_list import StoryList

FILES = {
    "a.txt": "Title: Alder\nWarnings: Major Character Death\n\nSad.",
    "b.txt": "Title: Birch\nTags: Fluff\n\nHappy.",
    "c.txt": "Title: Cedar\nTags: Crossover\n\nBoth.",
}
CONFIG = """
[hide]
"no MCD" = "warning:death"
"[b]no crossovers[/b]" = "tag:crossover"
"broken" = "rating:purple"
"""


def test_rules_compile_and_a_malformed_one_is_reported_and_left_out():
    rules, problems = compile_rules({"no MCD": "warning:death", "bad": "rating:purple", "e": ""})
    assert [rule.name for rule in rules] == ["no MCD"]
    assert len(problems) == 2 and "“bad” ignored" in problems[0] and "rating" in problems[0]


def test_each_hidden_story_has_the_first_rule_that_hid_it():
    stories = Stories(
        Story(f"/{n}", "text", Metadata(title=n, tags=tags))
        for n, tags in (("a", ["angst"]), ("b", ["angst", "crossover"]), ("c", []))
    )
    entries = make_entries(stories, ["unread"] * 3, [False] * 3)
    rules, _ = compile_rules({"angst": "tag:angst", "xover": "tag:crossover"})
    assert hidden_by(rules, entries) == {0: "angst", 1: "angst"}


def test_config_keeps_good_rules_and_warns_once_for_each_bad_one(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG + '"not text" = 3\n', encoding="utf-8")
    config, warnings = load_config(path)
    assert config.hide == {"no MCD": "warning:death", "[b]no crossovers[/b]": "tag:crossover"}
    assert len(warnings) == 2 and all(w.startswith(f"{path}: [hide] rule") for w in warnings)


def write_config() -> None:
    folder = Path(os.environ["TUIFIC_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(CONFIG, encoding="utf-8")


def test_tuific_list_leaves_hidden_stories_out_unless_all(tmp_path, capsys):
    root = write_library(tmp_path, FILES)
    write_config()
    assert main(["list", "--json", str(root)]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Birch"]
    assert "broken" in err
    assert main(["list", "--all", str(root)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


async def test_the_list_hides_says_how_many_and_shows_them_with_their_rules(tmp_path):
    root = write_library(tmp_path, FILES)
    write_config()
    config, warnings = load_config()
    state = StateStore()
    state.load()
    app = TuificApp(root, state=state, config=config, config_warnings=warnings)  # as cli does
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_scan(pilot, app)
        assert titles(app) == ["Birch"]
        assert "2 hidden (H)" in screen_text(app)
        notes = [n.message for n in app._notifications]
        broken = [n for n in notes if "broken" in n]
        assert len(broken) == 1 and "config.toml: [hide] rule “broken”" in broken[0]  # once
        app.apply_filter("a")  # a typed filter works within what is not hidden
        await pilot.pause()
        assert titles(app) == []
        await pilot.press("escape", "escape", "H")
        await pilot.pause()
        assert isinstance(app.screen, HiddenScreen)
        text = screen_text(app)
        assert "Alder" in text and "no MCD" in text
        assert "[b]no crossovers[/b]" in text  # a name is text, never markup
        await pilot.press("escape")
        assert app.query_one(StoryList) is not None
