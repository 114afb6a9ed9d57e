"""state.toml never stops tuific from starting (issue 12): wrong-typed or out-of-range
preferences fall back to their defaults, reported once; a file nested too deeply to
parse is moved aside like any other damaged one."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tuific.state import StateStore


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    path = tmp_path / "state" / "state.toml"
    path.parent.mkdir()
    return path


def fresh(path: Path) -> StateStore:
    store = StateStore(path)
    store.load()
    return store


@pytest.mark.parametrize(
    "bad",
    [
        'line_width = "abc"',
        "line_width = inf",
        "line_width = nan",
        "line_width = [1, 2]",
        "line_width = -100",
        "line_width = 100000",
        "line_width = true",
        "paragraph_spacing = 99",
        'justify = "yes"',
        "theme = 5",
        "theme_16 = []",
        "sort = {a = 1}",
        "sort_reverse = 1",
    ],
)
def test_bad_pref_falls_back_to_its_default_reported_once(state_path, bad):
    state_path.write_text(f"format = 1\n[prefs]\n{bad}\nfuture_pref = 3\n", encoding="utf-8")
    store = fresh(state_path)
    name = bad.split(" = ")[0]
    assert store.pref(name) is None  # the caller's default applies
    assert store.pref("future_pref") == 3  # the rest of the table still applies
    assert len(store.notices) == 1
    store.save()
    # The original is kept under [unparsed]; the next start has nothing to report.
    again = fresh(state_path)
    assert again.notices == []
    assert again.pref(name) is None
    assert name in tomllib.loads(state_path.read_text())["unparsed"]["prefs"]


def test_good_prefs_are_kept(state_path):
    state_path.write_text(
        '[prefs]\nline_width = 80\njustify = true\nparagraph_spacing = 0\nsort = "words"\n'
        'sort_reverse = false\ntheme = "nord"\n',
        encoding="utf-8",
    )
    store = fresh(state_path)
    assert store.notices == []
    assert store.prefs == {
        "line_width": 80, "justify": True, "paragraph_spacing": 0, "sort": "words",
        "sort_reverse": False, "theme": "nord",
    }


@pytest.mark.parametrize(
    "text", ["x = " + "[" * 100_000 + "]" * 100_000, "a = {" * 50_000 + "}" * 50_000]
)
def test_state_nested_too_deeply_is_moved_aside(state_path, text):
    state_path.write_text(text, encoding="utf-8")
    store = fresh(state_path)
    assert len(store.notices) == 1 and "kept as" in store.notices[0]
    assert list(state_path.parent.glob("state.toml.corrupt-*"))
    store.set_position("/fic/a.txt", 3, 0)
    assert store.save()
    assert fresh(state_path).notices == []
