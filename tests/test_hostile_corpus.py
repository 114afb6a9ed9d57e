"""The hostile corpus of issue 12 (tests/hostile_corpus.py) through the command line,
the readers and the app: no crash, no hang, nothing a terminal acts on in the output,
peak memory under the budget, time bounded by the corpus's size."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_corpus import Case, make_corpus
from uihelpers import make_app, screen_text, titles, wait_for_scan

from tuific.formats import StoryError, load_story
from tuific.text import escape_unsafe

ROOT = Path(__file__).resolve().parent.parent
MEMORY_BUDGET_KB = 1024 * 1024  # no input may take tuific past 1 GB (README)
# What a terminal acts on, as written in UTF-8: ESC, BEL, C1 CSI, bidi override.
UNSAFE = (b"\x1b", b"\x07", b"\xc2\x9b", b"\xe2\x80\xae")
# Runs the command given and reports its exit status, output, time and peak memory
# (the child's own maximum resident set size, from the kernel).
MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, timeout=300)
print(json.dumps({
    "code": done.returncode, "seconds": time.monotonic() - start,
    "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "stdout": done.stdout.decode("latin-1"), "stderr": done.stderr.decode("latin-1"),
}))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("hostile") / "lib"
    cases = make_corpus(folder)
    yield folder, cases
    shutil.rmtree(folder.parent)  # half a gigabyte: not left for pytest to keep


def corpus_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += min(path.stat().st_blocks * 512, path.stat().st_size)
    return total


def run_measured(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "tuific", *args],
        capture_output=True, cwd=ROOT, env=env, timeout=400, check=True,
    )
    return json.loads(done.stdout)


def hostile_settings(tmp_path: Path, cache: Path) -> dict[str, str]:
    """A config.toml and a state.toml of their own hostile kinds."""
    config, state = tmp_path / "config", tmp_path / "state"
    config.mkdir()
    state.mkdir()
    (config / "config.toml").write_text("x = " + "[" * 50_000 + "]" * 50_000)
    (state / "state.toml").write_text('[prefs]\nline_width = "abc"\ntheme = 5\n')
    return {
        **os.environ,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TUIFIC_CACHE_DIR": str(cache),
        "TUIFIC_CONFIG_DIR": str(config),
        "TUIFIC_STATE_DIR": str(state),
    }


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """The metadata cache, shared: the first listing parses every file (and is the
    one measured), the second lists from the cache."""
    return tmp_path_factory.mktemp("hostile-cache")


@pytest.mark.parametrize("json_output", [True, False])
def test_list_on_the_hostile_corpus(corpus, cache, tmp_path, json_output):
    folder, cases = corpus
    result = run_measured(
        ["list", *(["--json"] if json_output else []), str(folder)],
        hostile_settings(tmp_path, cache),
    )
    out, err = result["stdout"].encode("latin-1"), result["stderr"].encode("latin-1")
    assert result["code"] == 0, err[-2000:]
    assert b"Traceback" not in err
    for unsafe in UNSAFE:
        assert unsafe not in out and unsafe not in err, unsafe
    out.decode("utf-8") and err.decode("utf-8")  # valid UTF-8 throughout
    assert result["peak_kb"] < MEMORY_BUDGET_KB, f"peak {result['peak_kb'] // 1024} MB"
    # Time bounded by size: 1 s per 5 MB read, plus start-up (it takes ~1 s per 20 MB
    # on an idle machine; the margin is for a shared one).
    assert result["seconds"] < 5 + corpus_bytes(folder) / (5 * 1024 * 1024)
    text = err.decode()
    assert "moved aside" in text  # config.toml nested too deeply
    assert "values tuific could not read" in text  # the bad [prefs]
    for case in cases:
        was_skipped = f"tuific: skipped {escape_unsafe(folder / case.name)}: " in text
        assert was_skipped == (case.outcome == "skipped"), (case.kind, case.outcome)
    lines = out.decode().splitlines()
    assert len(lines) == sum(case.outcome == "listed" for case in cases) + 1  # + shelf/inside
    if json_output:
        records = [json.loads(line) for line in lines]
        assert {Path(r["path"]).name for r in records} >= {"bad\ufffd\ufffdname.txt"}


def test_every_small_case_reads_or_is_refused_with_a_reason(tmp_path):
    folder = tmp_path / "lib"
    for case in make_corpus(folder, big=False):
        path = folder / case.name
        if case.name in ("root-link", "shelf/loop"):
            continue
        for metadata_only in (True, False):
            try:
                story = load_story(path, metadata_only=metadata_only)
            except StoryError as error:
                assert case.outcome == "skipped", (case.kind, error)
                assert str(error)
            else:
                assert case.outcome == "listed", case.kind
                for text in [story.title, *(p.text for p in story.paragraphs or [])]:
                    assert not any(c in text for c in "\x1b\x07\x9b\u202e\t"), case.kind


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_app_on_the_small_hostile_corpus(tmp_path, size):
    folder = tmp_path / "lib"
    cases = make_corpus(folder, big=False)
    app = make_app(folder)
    async with app.run_test(size=size) as pilot:
        await wait_for_scan(pilot, app)
        assert app.is_running
        assert len(app.library_pane.skipped) == sum(case.outcome == "skipped" for case in cases)
        if size == (80, 24):
            for _ in range(len(titles(app))):  # open every story in turn
                await pilot.press("enter")
                await pilot.pause(0.05)
                await pilot.press("escape", "down")
        await pilot.pause(0.2)
        assert app.is_running
        shown = screen_text(app)
        assert not any(c in shown for c in "\x1b\x07\x9b\u202e\t\udcff")
