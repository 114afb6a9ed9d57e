from pathlib import Path

import pytest

from tuific import paths

OVERRIDES = {
    "TUIFIC_STATE_DIR": paths.state_dir,
    "TUIFIC_CONFIG_DIR": paths.config_dir,
    "TUIFIC_CACHE_DIR": paths.cache_dir,
    "TUIFIC_DATA_DIR": paths.default_library_dir,
}


@pytest.mark.parametrize("variable", sorted(OVERRIDES))
def test_environment_overrides_each_folder(variable, tmp_path, monkeypatch):
    monkeypatch.setenv(variable, str(tmp_path / "x"))
    assert OVERRIDES[variable]() == tmp_path / "x"


def test_files_live_in_their_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIFIC_STATE_DIR", str(tmp_path / "s"))
    monkeypatch.setenv("TUIFIC_CONFIG_DIR", str(tmp_path / "c"))
    assert paths.state_file() == tmp_path / "s" / "state.toml"
    assert paths.config_file() == tmp_path / "c" / "config.toml"


def test_override_expands_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TUIFIC_CACHE_DIR", "~/cache")
    assert paths.cache_dir() == tmp_path / "cache"


@pytest.mark.parametrize("variable", sorted(OVERRIDES))
def test_without_override_platformdirs_decides(variable, monkeypatch):
    monkeypatch.delenv(variable, raising=False)
    default = OVERRIDES[variable]()
    assert "tuific" in default.parts
    # An empty variable counts as unset rather than meaning the current folder.
    monkeypatch.setenv(variable, "")
    assert OVERRIDES[variable]() == default
    assert OVERRIDES[variable]() != Path("")


def test_nothing_is_created(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIFIC_STATE_DIR", str(tmp_path / "new"))
    paths.state_file()
    assert not (tmp_path / "new").exists()
