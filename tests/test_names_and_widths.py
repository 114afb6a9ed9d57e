"""The CLI takes the sort names the app shows, says when the one file it was given is
not a story, and `<` then `>` comes back to the configured reading width."""

from __future__ import annotations

import pytest
from test_reader_features import chaptered, open_tides

from tuific.cli import main
from tuific.config import Config
from tuific.layout import stepped_width
from tuific.sorting import SORT_LABELS, sort_name_for
from tuific.state import StateStore
from tuific.ui.app import TuificApp


def test_every_sort_is_found_by_its_name_or_the_apps_label():
    for name, label in SORT_LABELS.items():
        assert sort_name_for(name) == name
        assert sort_name_for(label.upper()) == name
        assert sort_name_for(label.replace(" ", "-")) == name
    assert sort_name_for("nonsense") is None


def test_list_sorts_by_the_apps_label(capsys, tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text("Title: Alpha\n\none two three\n", encoding="utf-8")
    (root / "b.txt").write_text("Title: Beta\n\none\n", encoding="utf-8")
    assert main(["list", "--sort", "length", str(root)]) == 0
    by_label = capsys.readouterr().out
    assert main(["list", "--sort", "words", str(root)]) == 0
    assert capsys.readouterr().out == by_label and by_label.index("Alpha") < by_label.index(
        "Beta"
    )


def test_list_of_one_file_that_is_not_a_story_exits_1(capsys, tmp_path):
    path = tmp_path / "notastory.dat"
    path.write_bytes(b"\x00\x01\x02 binary")
    assert main(["list", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "skipped" in err


@pytest.mark.parametrize(
    "current, step, expected",
    [(70, 4, 72), (72, 4, 76), (72, -4, 68), (70, -4, 68), (40, -4, 40), (118, 4, 120)],
)
def test_width_steps_stay_on_the_configured_widths_grid(current, step, expected):
    assert stepped_width(current, step, 72, 40, 120) == expected


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_narrower_then_wider_returns_to_the_configured_width(tmp_path, size):
    story = chaptered(tmp_path / "lib")
    state = StateStore()
    state.load()
    app = TuificApp(story.parent, state=state, config=Config(line_width=50), open_path=story)
    async with app.run_test(size=size) as pilot:
        reader = await open_tides(pilot, app)
        reader.line_width = 47  # as if cut to fit a narrower pane once
        await pilot.press("greater_than_sign")
        assert reader.line_width == 50
        await pilot.press("less_than_sign", "greater_than_sign")
        assert reader.line_width == 50
