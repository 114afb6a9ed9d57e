"""`tuific list` is as safe as the screen: nothing a terminal acts on reaches stdout or
stderr, undecodable file names never crash it, and a closed pipe ends it quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tuific.text import escape_json, escape_unsafe

ROOT = Path(__file__).resolve().parent.parent
# Bytes a terminal acts on, as they would be written in UTF-8: ESC, BEL, CSI (C1),
# right-to-left override.
UNSAFE_BYTES = (b"\x1b", b"\x07", b"\xc2\x9b", b"\xe2\x80\xae")


def run_list(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **(env or {})}
    full_env.pop("PYTHONIOENCODING", None)
    return subprocess.run(
        [sys.executable, "-m", "tuific", "list", *args],
        capture_output=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
    )


@pytest.fixture
def hostile_lib(tmp_path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "plain.txt").write_text("Title: Plain\nAuthor: fennel\n\nText.\n")
    # Story text is cleaned at load; a file name reaches the output as it is.
    (lib / "rl\u202eo\u009b2J.txt").write_text("Title: Named\n\nText.\n")
    # A title with C1 CSI and a bidi override, an author with ESC.
    (lib / "evil.txt").write_text("Title: A\u009b2J\u202eB\nAuthor: x\x1b]0;t\x07y\n\nText.\n")
    os.mkfifo(lib / "pipe\x1b[2J.txt")
    (lib / "empty\x1b]0;pwned\x07.txt").write_bytes(b"")
    bad_name = os.fsdecode(os.fsencode(lib) + b"/bad\xffname.txt")
    Path(bad_name).write_bytes(b"Title: Bad Name\n\nText.\n")
    return lib


def assert_clean(stream: bytes) -> None:
    for unsafe in UNSAFE_BYTES:
        assert unsafe not in stream, (unsafe, stream)
    stream.decode("utf-8")  # and always valid UTF-8


def test_list_escapes_everything_it_prints(hostile_lib):
    result = run_list(str(hostile_lib))
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    err = result.stderr.decode()
    assert "empty\\x1b]0;pwned\\x07.txt" in err  # skipped paths, visibly escaped
    assert "not a regular file" in err
    out = result.stdout.decode()
    assert "Bad Name" in out and "Plain" in out
    assert "A2JB — x]0;ty" in out  # dropped from story text at load, as on screen


def test_list_json_escapes_c1_bidi_and_bad_names(hostile_lib):
    result = run_list("--json", str(hostile_lib))
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    paths = {Path(r["path"]).name for r in records}
    assert "bad\ufffdname.txt" in paths
    # JSON escapes (\u202e) that decode to the real name.
    assert "rl\u202eo\u009b2J.txt" in paths
    assert b"rl\\u202eo\\u009b2J.txt" in result.stdout


def test_list_into_a_closed_pipe_exits_quietly(hostile_lib):
    # More output than a pipe holds (64 KiB): the writer must still be writing when
    # the reader goes, however the two are scheduled.
    long_title = "A very long title " * 15
    for index in range(300):
        (hostile_lib / f"s{index}.txt").write_text(f"Title: {long_title}{index}\n\nText.\n")
    env = {**os.environ, "LANG": "C.UTF-8"}
    child = subprocess.Popen(
        [sys.executable, "-m", "tuific", "list", str(hostile_lib)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    child.stdout.readline()
    child.stdout.close()  # as `| head -1` does
    err = child.stderr.read()
    code = child.wait(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err
    assert code == 141


def test_escape_unsafe_and_escape_json():
    assert escape_unsafe("a\x1b[2Jb\tc\n\x85\u202e\u2066\udcff") == (
        "a\\x1b[2Jb\\x09c\\x0a\\x85\\u202e\\u2066\ufffd"
    )
    assert escape_unsafe("Café — ok") == "Café — ok"
    line = json.dumps({"t": "\x7f\x9b\u202e\udcff\x1b"}, ensure_ascii=False)
    escaped = escape_json(line)
    assert json.loads(escaped) == {"t": "\x7f\x9b\u202e\ufffd\x1b"}
    assert not any(ch in escaped for ch in "\x7f\x9b\u202e\x1b")


def run_dialogue(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "tuific", "dialogue", *args],
        capture_output=True, cwd=ROOT, env=env, timeout=60,
    )


def test_dialogue_escapes_names_and_never_crashes_on_them(tmp_path):
    name = os.fsdecode(os.fsencode(tmp_path) + b"/talk\x1b[2J\xff\xe2\x80\xae.txt")
    Path(name).write_text('Title: Talk\n\n"Hello," said Emma.\n\n"Hi," said Jo.\n')
    for args in ([name], ["--json", name]):
        result = run_dialogue(*args)
        assert result.returncode == 0, result.stderr
        assert_clean(result.stdout)
        assert_clean(result.stderr)
        assert b"Hello" in result.stdout
    missing = run_dialogue(str(tmp_path / "gone\x1b]0;x\x07.txt"))
    assert missing.returncode == 2
    assert_clean(missing.stderr)
    assert b"gone\\x1b]0;x\\x07.txt" in missing.stderr
    broken = tmp_path / "bad\x1b[31m.epub"
    broken.write_bytes(b"PK not a zip")
    skipped = run_dialogue(str(broken))
    assert skipped.returncode == 1
    assert_clean(skipped.stderr)
    assert b"bad\\x1b[31m.epub" in skipped.stderr


def test_the_readme_says_list_removes_what_the_screen_removes():
    # The titles are cleaned at load (test_list_escapes_everything_it_prints): the
    # README said they were escaped.
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    untrusted = readme.split("### Untrusted files", 1)[1]
    said = untrusted.split("`tuific list` ", 1)[1].split(". ", 1)[0]
    assert "titles, authors and tags as cleaned" in said and "removed" in said
    assert "file paths" in said and "escaped" in said
