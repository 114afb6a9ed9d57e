"""Attribution in a child process (tuific.speakers.apart), as the reader runs it on
long stories: the same shown records, and a child that is ended or dies leaves none."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import Counter

from tuific.formats import load_story
from tuific.resources import demo_dir
from tuific.speakers import attribute
from tuific.speakers.apart import shown_apart


def demo() -> tuple[list[str], object]:
    story = load_story(demo_dir() / "four-for-the-early-oven.txt")
    return [p.text for p in story.paragraphs or []], story.meta


def no_child_left() -> bool:
    for _ in range(50):
        if not [c for c in multiprocessing.active_children() if c.name == "tuific-speakers"]:
            return True
        time.sleep(0.1)
    return False


def test_the_child_finds_what_the_pass_in_the_app_shows() -> None:
    texts, meta = demo()
    # A scene break marked by the format in the middle (as an <hr> is): the child is
    # told where it is, as the pass in the app is.
    kinds = ["scene_break" if i == len(texts) // 2 else "text" for i in range(len(texts))]
    found = attribute(texts, meta=meta, kinds=kinds)  # type: ignore[arg-type]
    assert found != attribute(texts, meta=meta)  # type: ignore[arg-type]
    here = [a._replace(text="") for a in found if a.shown]
    answer = shown_apart(texts, meta, lambda: True, kinds=kinds)  # type: ignore[arg-type]
    assert answer is not None and here
    shown, guesses = answer
    assert shown == here
    assert guesses == Counter(a.speaker for a in found if a.speaker)  # shown or not
    assert no_child_left()


def test_a_story_no_longer_wanted_ends_its_child_at_once() -> None:
    texts, meta = demo()
    children: list[multiprocessing.process.BaseProcess] = []

    def wanted() -> bool:
        # Wanted until the child is at work (a few seconds of text), then not.
        found = [c for c in multiprocessing.active_children() if c.name == "tuific-speakers"]
        children.extend(c for c in found if c not in children)
        return not children

    assert shown_apart(texts * 300, meta, wanted) is None  # type: ignore[arg-type]
    assert len(children) == 1
    assert children[0].exitcode == -signal.SIGTERM  # ended, not waited for
    assert no_child_left()


def test_a_story_not_wanted_from_the_start_starts_no_child() -> None:
    texts, meta = demo()
    assert shown_apart(texts, meta, lambda: False) is None  # type: ignore[arg-type]
    assert not [c for c in multiprocessing.active_children() if c.name == "tuific-speakers"]


def test_a_child_that_dies_leaves_no_records_and_no_hang() -> None:
    texts, meta = demo()

    def kill_the_child() -> bool:
        for child in multiprocessing.active_children():
            if child.name == "tuific-speakers" and child.pid:
                os.kill(child.pid, signal.SIGKILL)
        return True

    assert shown_apart(texts * 20, meta, kill_the_child) is None  # type: ignore[arg-type]
    assert no_child_left()
