"""Quick start from a head: a moved story's saved place is kept."""

from pathlib import Path

import pytest
from uihelpers import make_app, wait_for_scan, wait_for_story, wait_until

from tuific.state import StateStore, fingerprint_file, story_key
from tuific.ui.widgets.reader import Reader


def long_story(path: Path) -> Path:
    body = "\n\n".join(
        f"Paragraph {i}: the ferry leaned into the swell and the lamps along the "
        "quay went out one by one as the morning came up grey." for i in range(600)
    )
    path.write_text("Title: Ferry\nAuthor: Wren\n\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("paragraph", [5, 550])
async def test_a_moved_long_story_opened_by_path_keeps_its_place(tmp_path, paragraph):
    library = tmp_path / "lib"
    library.mkdir()
    path = long_story(library / "ferry.txt")
    assert path.stat().st_size > 64 * 1024
    state = StateStore()
    state.load()
    old = library / "old-ferry.txt"  # where it was read before being renamed
    state.story(story_key(old), fingerprint_file(path))
    state.set_position(story_key(old), paragraph, 0)
    state.save()
    app = make_app(library, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await wait_for_story(pilot, app, "Ferry")
        await wait_until(pilot, lambda: not app.reader_pane.partial)
        await pilot.pause()
        assert not app.reader_pane.partial
        assert reader.place.paragraph == paragraph


async def test_opening_a_long_story_twice_quickly_keeps_it_partial_until_whole(tmp_path):
    root = tmp_path / "twice"
    root.mkdir()
    big = root / "long.txt"
    body = "\n\n".join(f"Paragraph {i}: the tide came in and went out again." for i in range(20000))
    big.write_text("Title: Long\nAuthor: L\n\n" + body, encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_scan(pilot, app)
        app.open_story(str(big))
        app.open_story(str(big))  # the second head is not the whole story
        assert app.reader_pane.partial
        reader = app.query_one(Reader)
        await wait_until(pilot, lambda: not app.reader_pane.partial, 200)
        assert len(reader.story.paragraphs) >= 20000
