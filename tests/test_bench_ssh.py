"""bench_ssh's runs are independent: each starts tuific with an empty reading history."""

from __future__ import annotations

from pathlib import Path

from benchmarks import bench_ssh


def test_each_run_has_its_own_state_so_a_case_starts_where_less_does(tmp_path: Path):
    # One state folder for all runs made each case open the story where the run
    # before left it, so the figures changed with --before (its raw runs read on).
    first = bench_ssh.run_env(tmp_path, {"COLORTERM": "truecolor"}, TUIFIC_RAW_OUTPUT="1")
    second = bench_ssh.run_env(tmp_path, {})
    for name in ("TUIFIC_STATE_DIR", "TUIFIC_CONFIG_DIR", "TUIFIC_CACHE_DIR"):
        assert first[name] != second[name]
        assert Path(first[name]).parent.parent == tmp_path
    assert first["COLORTERM"] == "truecolor" and "COLORTERM" not in second
    assert first["TUIFIC_RAW_OUTPUT"] == "1" and "TUIFIC_RAW_OUTPUT" not in second
    assert second["TERM"] == "xterm-256color"
