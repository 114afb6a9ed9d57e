"""`tuific FILE` opens the story at once and lists only its folder, not the folders
under it (`tuific ~/story.txt` must not walk the home folder), unless that folder is
the configured library."""

from __future__ import annotations

from pathlib import Path

import pytest
from uihelpers import titles, wait_for_scan, wait_for_story

from tuific import cli
from tuific.config import Config
from tuific.library import rescan, scan_library
from tuific.paths import cache_file_for
from tuific.state import StateStore
from tuific.ui.app import TuificApp


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A story beside a folder tree that also holds stories."""
    root = tmp_path / "home"
    (root / "venv" / "lib").mkdir(parents=True)
    (root / "story.txt").write_text("Title: Top\nAuthor: A\n\nHello.\n", encoding="utf-8")
    (root / "venv" / "lib" / "readme.txt").write_text("Title: Deep\n\nNot a story.\n")
    return root


def test_a_scan_without_subfolders_lists_only_the_folder(home):
    found = list(scan_library(home, recursive=False))
    assert [story.meta.title for story in found] == ["Top"]
    assert {s.meta.title for s in scan_library(home)} == {"Top", "Deep"}
    changes = rescan(home, {}, recursive=False)
    assert [story.meta.title for story in changes.added] == ["Top"]


def test_a_folder_listed_without_subfolders_has_its_own_cache_file(home):
    assert cache_file_for(home, recursive=False) != cache_file_for(home)


def started_app(monkeypatch, path: Path, config: Config) -> TuificApp:
    made: list[TuificApp] = []
    monkeypatch.setattr(TuificApp, "run", lambda self: made.append(self))
    assert cli.run_app(str(path), config) == 0
    return made[0]


def test_tuific_file_opens_it_and_lists_its_folder_only(monkeypatch, home):
    app = started_app(monkeypatch, home / "story.txt", Config())
    assert app.open_path == (home / "story.txt").resolve()
    assert app.library == home.resolve() and not app.recursive


def test_tuific_file_in_the_configured_library_lists_all_of_it(monkeypatch, home):
    app = started_app(monkeypatch, home / "story.txt", Config(library=home))
    assert app.recursive


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_app_opens_the_story_and_lists_only_its_folder(home, size):
    state = StateStore()
    state.load()
    app = TuificApp(home, state=state, open_path=home / "story.txt", recursive=False)
    async with app.run_test(size=size) as pilot:
        await wait_for_story(pilot, app, "Top")
        await wait_for_scan(pilot, app)
        assert titles(app) == ["Top"]
