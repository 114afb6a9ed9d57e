"""User settings from config.toml.

The file is the user's own, hand-edited: a typo must never stop the app. `load_config`
never raises; it returns the defaults for whatever it could not use, plus one warning
per problem for the UI to show. A file that cannot be parsed at all (bad TOML, nesting
too deep to parse) is moved aside as `config.toml.broken-<time>`, so it is reported
once, not on every start. Example:

    library = "~/fic"
    line_width = 80
    justify = true
    paragraph_spacing = 1
    theme = "textual-dark"
    words_per_minute = 300

    [queries]
    "Unread longfic" = "read:unread words:>50k"

    [hide]                      # stories the list leaves out, with the rule's name
    "no MCD" = "warning:death"

    [keys]
    quit = "q"
    toggle_favourite = ["f", "*"]
"""

from __future__ import annotations

import os
import time
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuific.lazy_regex import lazy_compile

from . import paths
from .text import clean_line

# Ranges outside of which a value is surely a typo (a line width of 7 or 7000).
LINE_WIDTH_RANGE = (20, 500)
PARAGRAPH_SPACING_RANGE = (0, 5)
WORDS_PER_MINUTE_RANGE = (50, 2000)


@dataclass
class Config:
    library: Path | None = None
    line_width: int = 72
    justify: bool = False
    paragraph_spacing: int = 1
    theme: str | None = None
    words_per_minute: int = 250
    # Named queries offered in the command palette: name -> query text.
    saved_queries: dict[str, str] = field(default_factory=dict)
    # Key overrides: action name -> Textual key list ("j,down").
    keys: dict[str, str] = field(default_factory=dict)
    # The standing hide list: rule name -> query (only the rules that parse); what
    # was wrong with it is in load_config's warnings, as every other problem is.
    hide: dict[str, str] = field(default_factory=dict)


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """Read config.toml (default: the platformdirs location); a missing file is fine."""
    path = paths.config_file() if path is None else path
    config = Config()
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        return config, []
    except OSError as error:
        return config, [f"{path}: could not read the settings ({error.strerror}); using defaults"]
    try:
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        problem = "not UTF-8 text"
    except tomllib.TOMLDecodeError as error:
        problem = f"not valid TOML ({error})"
    except RecursionError:
        problem = "nested too deeply to read"
    except Exception as error:  # whatever the parser trips on, start-up goes on
        problem = f"unreadable ({type(error).__name__})"
    else:
        return config, _apply(config, raw, path)
    return config, [f"{path}: {problem}; {_move_aside(path)}; using default settings"]


def _move_aside(path: Path) -> str:
    """Rename a config file that cannot be parsed, so the next start does not trip
    on it again; the words saying where it went."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.broken-{stamp}")
    try:
        if aside.exists():
            aside = path.with_name(f"{aside.name}-{os.getpid()}")
        os.replace(path, aside)
    except OSError as error:
        return f"could not move it aside ({error.strerror})"
    return f"moved aside to {aside.name}"


def _apply(config: Config, raw: dict[str, Any], path: Path) -> list[str]:
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(f"{path}: {message}")

    def whole_number(name: str, bounds: tuple[int, int]) -> None:
        value = raw[name]
        low, high = bounds
        # bool is an int subclass; `line_width = true` is a mistake, not 1.
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            setattr(config, name, value)
        else:
            default = getattr(config, name)
            warn(f"{name} must be a whole number from {low} to {high}; using {default}")

    for name, value in raw.items():
        if name == "library":
            if isinstance(value, str) and value.strip() and "\x00" not in value:
                try:
                    library = Path(value.strip()).expanduser()
                except RuntimeError:  # "~nosuchuser/fic": no such user's home
                    warn(f"library {clean_line(value)!r}: no such user's home; ignoring it")
                    continue
                # A relative library is relative to the config file, not to wherever
                # tuific happens to be started from.
                config.library = library if library.is_absolute() else path.parent / library
            else:
                warn("library must be a folder path in quotes; ignoring it")
        elif name == "line_width":
            whole_number(name, LINE_WIDTH_RANGE)
        elif name == "paragraph_spacing":
            whole_number(name, PARAGRAPH_SPACING_RANGE)
        elif name == "words_per_minute":
            whole_number(name, WORDS_PER_MINUTE_RANGE)
        elif name == "justify":
            if isinstance(value, bool):
                config.justify = value
            else:
                warn("justify must be true or false; using false")
        elif name == "theme":
            if isinstance(value, str) and clean_line(value):
                config.theme = clean_line(value)
            else:
                warn("theme must be a theme name in quotes; using the default theme")
        elif name == "queries":
            config.saved_queries = _queries(value, warn)
        elif name == "keys":
            config.keys = _keys(value, warn)
        elif name == "hide":
            config.hide, problems = _hide(value)
            for problem in problems:
                warn(problem)
        else:
            warn(f"unknown setting {clean_line(name)!r} ignored")
    return warnings


def _queries(value: Any, warn: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        warn('[queries] must be a table of name = "query" lines; ignoring it')
        return {}
    queries: dict[str, str] = {}
    for name, query in value.items():
        # Names and queries end up on screen; the config file is not trusted to be clean.
        if isinstance(query, str) and clean_line(name):
            queries[clean_line(name)] = clean_line(query)
        else:
            warn(f"saved query {name!r} must be a query in quotes; ignoring it")
    return queries


def _hide(value: Any) -> tuple[dict[str, str], list[str]]:
    from .hiding import compile_rules

    if not isinstance(value, dict):
        return {}, ['[hide] must be a table of name = "query" lines; ignoring it']
    rules: dict[str, str] = {}
    problems: list[str] = []
    for name, query in value.items():
        if isinstance(query, str) and clean_line(name):
            rules[clean_line(name)] = clean_line(query)
        else:
            problems.append(f"[hide] rule “{clean_line(name)}” must be a query in quotes; ignored")
    good, bad = compile_rules(rules)
    return {rule.name: rule.text for rule in good}, problems + bad


def _keys(value: Any, warn: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        warn('[keys] must be a table of action = "key" lines; ignoring it')
        return {}
    keys: dict[str, str] = {}
    for action, key in value.items():
        action = clean_line(action)
        if isinstance(key, str):
            key = [key]
        if not (isinstance(key, list) and key and all(isinstance(k, str) for k in key)):
            warn(f"key for {action!r} must be a key name or a list of key names; ignoring it")
            continue
        # "j,down" in one string is two keys, as in Textual's own bindings.
        names = [clean_line(part) for k in key for part in k.split(",")]
        bad = [name for name in names if not is_key_name(name)]
        if bad:
            # Taking it would unbind the default key and bind nothing in its place.
            warn(f"key for {action!r}: {bad[0]!r} names no key; keeping the default")
        else:
            keys[action] = ",".join(names)
    return keys


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED_KEYS = {
    "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert",
    "delete", "backspace", "tab", "enter", "return", "escape", "space",
    # Textual's short names for some characters (textual.keys.KEY_NAME_REPLACEMENTS).
    "slash", "backslash", "at", "minus", "plus", "underscore",
}
_FUNCTION_KEY = lazy_compile(r"f(?:[1-9]|1[0-9]|2[0-4])")


def is_key_name(key: str) -> bool:
    """Is `key` a key Textual can bind: a character, a key name (`pageup`, `f5`), a
    character's name (`question_mark`, `asterisk`), each with modifiers (`ctrl+q`)?"""
    *modifiers, base = key.split("+")
    if not base or any(m not in _MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in _NAMED_KEYS or _FUNCTION_KEY.fullmatch(base):
        return True
    try:  # Textual names printable keys after the character: "full_stop" is "."
        unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return False
    return True
