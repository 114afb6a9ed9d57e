"""A story's speakers kept between openings (tuific.speakers.saved)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from uihelpers import make_app, wait_for_story, wait_until

from tuific.formats import load_story
from tuific.resources import demo_dir
from tuific.speakers import attribute, saved, speech_counts
from tuific.ui.widgets.reader import Reader

DEMO = "four-for-the-early-oven.txt"


@pytest.fixture
def story():
    loaded = load_story(demo_dir() / DEMO)
    return [p.text for p in loaded.paragraphs], loaded.meta


def keep(texts, meta):
    found = attribute(texts, meta=meta)
    shown = [a for a in found if a.shown]
    counts = dict(speech_counts(found))
    saved.save(texts, meta, shown, counts)
    return shown, counts


def files() -> list[Path]:
    return sorted(saved.folder().glob("*.json"))


def test_what_is_kept_comes_back_the_same(story):
    texts, meta = story
    shown, counts = keep(texts, meta)
    assert shown and len(files()) == 1
    back = saved.load(texts, meta)
    assert back is not None
    found, back_counts = back
    assert back_counts == counts
    assert [(a.paragraph, a.start, a.end, a.speaker, a.shown) for a in found] == [
        (a.paragraph, a.start, a.end, a.speaker, True) for a in shown
    ]
    assert [a.confidence for a in found] == [round(a.confidence, 3) for a in shown]


def test_a_changed_story_header_or_pass_is_a_new_answer(story, monkeypatch):
    texts, meta = story
    keep(texts, meta)
    edited = list(texts)
    edited[-1] += " One more line."
    assert saved.load(edited, meta) is None  # a work in progress updated
    other = dataclasses.replace(meta, characters=["Someone Else"])
    assert saved.load(texts, other) is None
    # ...and so is every other part of the header the pass reads (a fandom makes it
    # fan fiction, a category gives a pairing's genders, a tag a point of view).
    for field, value in (
        ("fandoms", ["Another Fandom"]),
        ("categories", ["F/F"]),
        ("tags", ["Someone Else POV"]),
    ):
        assert saved.load(texts, dataclasses.replace(meta, **{field: value})) is None, field
    assert saved.load(texts, meta) is not None
    # ...and so are the same paragraphs with a heading or a scene break marked.
    kinds = ["text"] * len(texts)
    kinds[0] = "heading"
    assert saved.load(texts, meta, kinds) is None
    monkeypatch.setattr(saved, "_model_stamp", lambda: b"another tuific")
    assert saved.load(texts, meta) is None


def test_the_model_stamp_covers_the_weights_and_the_dialogue_finder():
    stamp = saved._model_stamp
    stamp.cache_clear()
    names = []
    real = Path.read_bytes

    def spy(path: Path) -> bytes:
        names.append(path.name)
        return real(path)

    try:
        Path.read_bytes = spy  # type: ignore[method-assign]
        assert stamp() is not None
    finally:
        Path.read_bytes = real  # type: ignore[method-assign]
        stamp.cache_clear()
    assert {"weights.json", "dialogue.py", "decode.py", "__init__.py"} <= set(names)


def _tamper(change) -> None:
    (path,) = files()
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["shown"].__setitem__(2, 10**6),  # an end past its paragraph
        lambda d: d["shown"].__setitem__(0, -1),  # a paragraph before the first
        lambda d: d["shown"].__setitem__(3, 99),  # a speaker nobody is
        lambda d: d["names"].__setitem__(0, "\x1b[2J\x1b]0;owned\x07"),  # escapes
        lambda d: d.__setitem__("format", 99),
        lambda d: d.__setitem__("shown", d["shown"][:-1]),  # cut short
        lambda d: d["counts"].__setitem__(0, "many"),
        lambda d: d["shown"].__setitem__(4, True),  # a confidence that is no number
        lambda d: d["shown"].__setitem__(4, 1.5),
        lambda d: d["shown"].__setitem__(4, 1001),  # over a thousand thousandths
        lambda d: d["names"].__setitem__(0, "N" * 201),  # a name too long to be one
        # the second record where the first is: overlapping, so out of reading order
        lambda d: d["shown"].__setitem__(slice(5, 8), d["shown"][0:3]),
        lambda d: d.__setitem__("names", d["names"] + [f"Extra {i}" for i in range(300)])
        or d.__setitem__("counts", d["counts"] + [1] * 300),  # more speakers than kept
    ],
)
def test_a_tampered_or_broken_file_is_ignored_and_removed(story, change):
    texts, meta = story
    keep(texts, meta)
    _tamper(change)
    assert saved.load(texts, meta) is None
    assert files() == []


def test_garbage_and_oversized_files_are_not_read(story, monkeypatch):
    texts, meta = story
    keep(texts, meta)
    (path,) = files()
    path.write_bytes(b"\x00\xff not json")
    assert saved.load(texts, meta) is None
    keep(texts, meta)
    monkeypatch.setattr(saved, "MAX_BYTES", 10)
    monkeypatch.setattr(os, "pread", lambda *args: pytest.fail("read a file too large"))
    monkeypatch.setattr(os, "read", lambda *args: pytest.fail("read a file too large"))
    assert saved.load(texts, meta) is None


def test_a_fifo_in_place_of_a_file_is_not_waited_for(story):
    texts, meta = story
    keep(texts, meta)
    (path,) = files()
    path.unlink()
    os.mkfifo(path)  # opening it to read would wait for a writer for ever
    assert saved.load(texts, meta) is None


def test_only_the_most_recently_used_are_kept(story, monkeypatch):
    texts, meta = story
    monkeypatch.setattr(saved, "KEEP", 2)
    versions = []
    for n in range(3):
        edited = [*texts[:-1], texts[-1] + " x" * n]
        keep(edited, meta)
        versions.append(edited)
        for path in files():  # an older time for every file written so far
            when = path.stat().st_mtime - 10
            os.utime(path, (when, when))
    assert saved.load(versions[0], meta) is None  # the oldest went
    assert saved.load(versions[1], meta) is not None  # ...and this one is now the newest
    keep([*texts, "Another paragraph."], meta)
    assert saved.load(versions[1], meta) is not None
    assert saved.load(versions[2], meta) is None
    assert len(files()) == 2


async def test_the_reader_reuses_the_kept_speakers(tmp_path, monkeypatch):
    root = tmp_path / "lib"
    root.mkdir()
    shutil.copy(demo_dir() / DEMO, root / DEMO)
    monkeypatch.setattr(saved, "SAVE_FROM", 0)
    app = make_app(root, open_path=root / DEMO)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Four for the Early Oven")
        await wait_until(pilot, lambda: reader.speakers is not None, 200)
        first = reader.speakers
        assert first is not None and first.names
    assert len(files()) == 1

    def no_pass(*args, **kwargs):
        raise AssertionError("attributed again")

    monkeypatch.setattr("tuific.speakers.attribute", no_pass)
    app = make_app(root, open_path=root / DEMO)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await wait_for_story(pilot, app, "Four for the Early Oven")
        await wait_until(pilot, lambda: reader.speakers is not None, 200)
        again = app.query_one(Reader).speakers
        assert again is not None
        assert again.names == first.names and again.shares == first.shares
        assert again._spans == first._spans


def test_no_failure_of_the_cache_reaches_the_reader(story, monkeypatch):
    """A cache folder that cannot be searched (Path.exists raises on Python 3.11) or
    any other system error: no answer, and no exception for the worker to end the
    app with."""
    texts, meta = story
    shown, counts = keep(texts, meta)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(saved, "read_whole", refuse)
    monkeypatch.setattr(saved, "write_atomic", refuse)
    assert saved.load(texts, meta) is None
    saved.save(texts, meta, shown, counts)
    monkeypatch.setattr(saved, "story_key", lambda *args: 1 / 0)
    assert saved.load(texts, meta) is None
    saved.save(texts, meta, shown, counts)


def test_more_records_than_a_story_of_its_length_holds_are_refused(story):
    texts, meta = story
    keep(texts, meta)
    # One-character records, in order and inside the story: a few more than its
    # paragraphs allow, in a file well within its bytes.
    every = [(p, i) for p, text in enumerate(texts) for i in range(len(text))]
    over = every[: saved._max_records(texts) + 5]
    def records(places):
        return [x for p, i in places for x in (p, i, i + 1, 0, 900)]

    _tamper(lambda d: d.__setitem__("shown", records(over)))
    (path,) = files()
    assert path.stat().st_size < saved._budget(texts)
    assert saved.load(texts, meta) is None
    keep(texts, meta)
    _tamper(lambda d: d.__setitem__("shown", records(over[:-10])))
    assert saved.load(texts, meta) is not None  # within the count: read


def test_two_stories_saved_at_once_both_stay(story, monkeypatch):
    # Opening one story, then another: each pass saves, and a save's sweep takes a temp
    # file of this process for a killed write's. Held mid-write, the first save's file
    # must survive the second save's sweep.
    import threading

    from tuific.state import disk

    texts, meta = story
    other = [*texts, "“One more line,” said nobody."]
    found = attribute(texts, meta=meta)
    shown = [a for a in found if a.shown]
    counts = dict(speech_counts(found))
    writing, go = threading.Event(), threading.Event()
    real_replace = os.replace

    def held_replace(src, dst):
        if not writing.is_set() and str(dst).endswith(".json"):
            writing.set()
            go.wait(5)
        return real_replace(src, dst)

    monkeypatch.setattr(disk.os, "replace", held_replace)
    first = threading.Thread(target=saved.save, args=(texts, meta, shown, counts))
    first.start()
    assert writing.wait(5)
    second = threading.Thread(target=saved.save, args=(other, meta, shown, counts))
    second.start()
    second.join(0.5)  # (it sweeps now, unless it waits for the first)
    go.set()
    first.join(5)
    second.join(5)
    assert saved.load(texts, meta) is not None
    assert len(files()) == 2
