from pathlib import Path

import pytest

from tuific.config import Config, load_config


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_quietly(tmp_path):
    config, warnings = load_config(tmp_path / "nope.toml")
    assert config == Config()
    assert warnings == []


def test_defaults():
    config = Config()
    assert config.library is None
    assert config.line_width == 72
    assert config.justify is False
    assert config.paragraph_spacing == 1
    assert config.theme is None
    assert config.words_per_minute == 250
    assert config.saved_queries == {}
    assert config.keys == {}


def test_every_setting_read(tmp_path):
    path = write(
        tmp_path,
        """
library = "/srv/fic"
line_width = 88
justify = true
paragraph_spacing = 0
theme = "textual-light"
words_per_minute = 310

[queries]
"Unread longfic" = "read:unread words:>50k"
favs = "fav:yes"

[keys]
quit = "q"
toggle_favourite = ["f", "asterisk"]
""",
    )
    config, warnings = load_config(path)
    assert warnings == []
    assert config == Config(
        library=Path("/srv/fic"),
        line_width=88,
        justify=True,
        paragraph_spacing=0,
        theme="textual-light",
        words_per_minute=310,
        saved_queries={"Unread longfic": "read:unread words:>50k", "favs": "fav:yes"},
        keys={"quit": "q", "toggle_favourite": "f,asterisk"},
    )


def test_home_is_expanded_in_library(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config, warnings = load_config(write(tmp_path, 'library = "~/fic"'))
    assert warnings == []
    assert config.library == tmp_path / "home" / "fic"


def test_relative_library_is_relative_to_the_config_file(tmp_path):
    config, _ = load_config(write(tmp_path, 'library = "stories"'))
    assert config.library == tmp_path / "stories"


def test_malformed_toml_warns_and_uses_defaults(tmp_path):
    config, warnings = load_config(write(tmp_path, "line_width = = 80\n["))
    assert config == Config()
    assert len(warnings) == 1
    assert "not valid TOML" in warnings[0]
    assert str(tmp_path / "config.toml") in warnings[0]


def test_not_utf8_warns(tmp_path):
    config, warnings = load_config(write(tmp_path, b"theme = \"caf\xe9\"\n"))
    assert config == Config()
    assert warnings and "UTF-8" in warnings[0]


def test_unreadable_file_warns(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()  # reading a folder fails with an OSError other than not-found
    config, warnings = load_config(folder)
    assert config == Config()
    assert warnings and "could not read" in warnings[0]


@pytest.mark.parametrize(
    ("line", "setting"),
    [
        ("line_width = 5", "line_width"),
        ("line_width = 100000", "line_width"),
        ('line_width = "wide"', "line_width"),
        ("line_width = true", "line_width"),
        ("line_width = 72.5", "line_width"),
        ("paragraph_spacing = -1", "paragraph_spacing"),
        ("words_per_minute = 0", "words_per_minute"),
        ('justify = "yes"', "justify"),
        ("theme = 3", "theme"),
        ('theme = ""', "theme"),
        ("library = 42", "library"),
        ('library = "  "', "library"),
    ],
)
def test_bad_value_warns_and_keeps_default(tmp_path, line, setting):
    config, warnings = load_config(write(tmp_path, line))
    assert getattr(config, setting) == getattr(Config(), setting)
    assert len(warnings) == 1
    assert setting in warnings[0]


def test_bad_values_do_not_spoil_good_ones(tmp_path):
    config, warnings = load_config(write(tmp_path, "line_width = 3\njustify = true\n"))
    assert config.justify is True
    assert config.line_width == 72
    assert len(warnings) == 1


def test_unknown_setting_warns(tmp_path):
    config, warnings = load_config(write(tmp_path, "linewidth = 80"))
    assert config == Config()
    assert warnings and "linewidth" in warnings[0]


def test_bad_queries_and_keys(tmp_path):
    path = write(
        tmp_path,
        """
[queries]
good = "tag:fluff"
bad = 5

[keys]
quit = "q"
help = []
search = [1, 2]
""",
    )
    config, warnings = load_config(path)
    assert config.saved_queries == {"good": "tag:fluff"}
    assert config.keys == {"quit": "q"}
    assert len(warnings) == 3
    assert any("bad" in w for w in warnings)
    assert any("help" in w for w in warnings)
    assert any("search" in w for w in warnings)


def test_queries_and_keys_must_be_tables(tmp_path):
    config, warnings = load_config(write(tmp_path, 'queries = "x"\nkeys = 3\n'))
    assert config.saved_queries == {} and config.keys == {}
    assert len(warnings) == 2


def test_control_characters_are_cleaned_from_names(tmp_path):
    path = write(tmp_path, '[queries]\n"evil\\u001b[2J" = "tag:x\\u0007"\n')
    config, warnings = load_config(path)
    assert warnings == []
    assert config.saved_queries == {"evil[2J": "tag:x"}


def test_default_path_follows_config_dir_override(tmp_path, monkeypatch):
    monkeypatch.setenv("TUIFIC_CONFIG_DIR", str(tmp_path))
    write(tmp_path, "line_width = 90")
    config, warnings = load_config()
    assert warnings == []
    assert config.line_width == 90


# -- issue 12: our own files never stop tuific from starting ----------------------


@pytest.mark.parametrize(
    "text",
    ["x = " + "[" * 100_000 + "]" * 100_000, "a = {" * 50_000, "line_width = ", b"\xff\xfe"],
)
def test_unparseable_config_is_moved_aside_once(tmp_path, text):
    path = write(tmp_path, text)
    config, warnings = load_config(path)
    assert config == Config()
    assert len(warnings) == 1 and "moved aside" in warnings[0]
    assert not path.exists()
    assert len(list(tmp_path.glob("config.toml.broken-*"))) == 1
    # The next start finds no file: nothing more to report.
    assert load_config(path) == (Config(), [])


def test_library_of_an_unknown_user_is_refused_not_a_crash(tmp_path):
    config, warnings = load_config(
        write(tmp_path, 'library = "~nosuchuser12345/fic"\nline_width = 90\n')
    )
    assert config.library is None and config.line_width == 90
    assert len(warnings) == 1 and "nosuchuser12345" in warnings[0]


def test_keys_that_name_no_key_are_refused(tmp_path):
    path = write(
        tmp_path,
        '[keys]\nquit = "notakey"\nhelp = ["question_mark", "ctrl+hyperspace"]\n'
        'search = "slash,ctrl+f"\ntoggle_favourite = ["f", "*", "full_stop", "f12"]\n',
    )
    config, warnings = load_config(path)
    assert config.keys == {"search": "slash,ctrl+f", "toggle_favourite": "f,*,full_stop,f12"}
    assert len(warnings) == 2
    assert any("notakey" in w and "quit" in w for w in warnings)
    assert any("ctrl+hyperspace" in w for w in warnings)


def test_every_value_is_checked_and_the_rest_applies(tmp_path):
    path = write(
        tmp_path,
        'line_width = inf\njustify = "yes"\nparagraph_spacing = -1\n'
        'words_per_minute = 300\ntheme = ["a"]\nlibrary = 5\n',
    )
    config, warnings = load_config(path)
    assert config == Config(words_per_minute=300)
    assert len(warnings) == 5
