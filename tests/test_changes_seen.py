"""Changes seen at once: the last library reopened, gift recipients searchable, an
open story re-read when its file changes."""

from __future__ import annotations

import json

import pytest

from tuific import cli
from tuific.config import Config
from tuific.query import QueryError, parse_query
from tuific.resources import demo_dir


def test_plain_tuific_reopens_the_last_library_it_was_pointed_at(tmp_path, monkeypatch):
    made = []

    class FakeApp:
        def __init__(self, library, *, state, open_path=None, **kwargs):
            made.append((library, state, open_path))

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
    # `tuific --demo` shows the demo stories, and plain tuific goes back to the library.
    assert cli.main(["--demo"]) == 0
    assert made[-1][0] == demo_dir().resolve()
    assert made[-1][1].pref(cli.LAST_LIBRARY) == str(fic.resolve())
    assert cli.run_app(None, Config()) == 0
    assert made[-1][0] == fic.resolve()
    with pytest.raises(SystemExit):
        cli.main(["--demo", str(fic)])
    # A demo story left half read is not reopened beside the library.
    story = made[-1][1]
    demo_story = str((demo_dir() / "night-porter.txt").resolve())
    story.mark_opened(demo_story, words=1000, paragraphs=40)
    story.set_position(demo_story, 20, 0, 0.5)
    story.save()
    assert story.read_status(demo_story) == "reading"
    assert cli.run_app(None, Config()) == 0
    assert made[-1][0] == fic.resolve() and made[-1][2] is None


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


async def test_the_open_story_is_re_read_when_its_file_changes(tmp_path):
    from uihelpers import make_app, screen_text, wait_for_scan, wait_for_story, wait_until

    from tuific.ui.widgets.metadata_panel import MetadataPanel

    root = tmp_path / "lib"
    root.mkdir()
    file = root / "tale.txt"
    chapter = "\n\n".join(f"Line {i} " + "word " * 20 for i in range(6))
    file.write_text(f"Title: Tale\nAuthor: Old Name\n\nChapter 1\n\n{chapter}", encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        await pilot.press("enter")
        reader = await wait_for_story(pilot, app, "Tale")
        file.write_text(
            f"Title: Tale\nAuthor: New Name\n\nChapter 1\n\n{chapter}\n\nChapter 2\n\nFresh.",
            encoding="utf-8",
        )
        await pilot.press("tab")  # to the metadata panel: the open story is described
        app.library_pane.action_rescan()
        await wait_until(pilot, lambda: len(reader.story.chapters) == 2, 200)
        await pilot.pause()
        assert len(reader.story.chapters) == 2
        assert app.current.value("authors") == ["New Name"]
        assert "New Name" in app.query_one(MetadataPanel).text
        assert "Old Name" not in screen_text(app)


def test_plain_tuific_reopens_an_unfinished_story_opened_on_its_own(tmp_path, monkeypatch):
    # With no library of one's own (the demo stories would show), plain `tuific`
    # after `tuific FILE` opens that story again, if it was left unfinished.
    from tuific.state import story_key

    made = _reading_apps(monkeypatch, "hint")
    one = tmp_path / "one.txt"
    one.write_text("Title: One\n\nText.", encoding="utf-8")
    assert cli.run_app(str(one), Config()) == 0
    assert cli.run_app(None, Config()) == 0
    assert made[-1] == (tmp_path.resolve(), one.resolve(), None)
    # Finished, or gone: the demo stories, as before.
    from tuific.paths import state_file
    from tuific.state import StateStore

    state = StateStore(state_file())
    state.load()
    state.set_finished(story_key(one.resolve()))
    assert state.save()
    assert cli.run_app(None, Config()) == 0
    assert made[-1][2] == cli.DEMO_HINT
    state.set_finished(story_key(one.resolve()), False)
    assert state.save()
    one.unlink()
    assert cli.run_app(None, Config()) == 0
    assert made[-1][2] == cli.DEMO_HINT


def test_plain_tuific_reopens_an_unfinished_story_outside_the_library_beside_it(
    tmp_path, monkeypatch
):
    # `tuific ~/one.txt`, left unfinished, then plain `tuific` with a library of one's
    # own: that story again, with the whole library listed (nothing was reopened).
    from tuific.state import story_key

    made = _reading_apps(monkeypatch, "recursive")
    library = tmp_path / "library"
    library.mkdir()
    (library / "in.txt").write_text("Title: In\n\nText.", encoding="utf-8")
    one = tmp_path / "one.txt"
    one.write_text("Title: One\n\nText.", encoding="utf-8")
    config = Config(library=library)
    assert cli.run_app(str(one), config) == 0
    assert cli.run_app(None, config) == 0
    assert made[-1] == (library.resolve(), one.resolve(), True)
    from tuific.paths import state_file
    from tuific.state import StateStore

    state = StateStore(state_file())
    state.load()
    state.set_finished(story_key(one.resolve()))
    assert state.save()
    assert cli.run_app(None, config) == 0
    assert made[-1] == (library.resolve(), None, True)  # finished: the library alone


def _reading_apps(monkeypatch, also: str) -> list:
    """Apps the cli starts, each recorded as (library, open_path, its `also`
    argument), which read the story they open to its fourth paragraph and quit."""
    from tuific.state import story_key

    made = []

    class FakeApp:
        def __init__(self, library, *, state, open_path=None, **kwargs):
            made.append((library, open_path, kwargs[also]))
            self.state, self.open_path = state, open_path

        def run(self):
            if self.open_path is not None:
                self.state.mark_opened(story_key(self.open_path))
                self.state.set_position(story_key(self.open_path), 3, 0)
            self.state.save()

    monkeypatch.setattr("tuific.ui.app.TuificApp", FakeApp)
    return made
