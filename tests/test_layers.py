"""The core never imports Textual: only tuific/ui/ does. (The README's promise, and
what keeps `tuific list` and the parsers usable and testable without a terminal.)"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tuific"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def test_nothing_outside_tuific_ui_imports_textual():
    core = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts[:1]]
    assert len(core) > 20  # the walk found the package
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "textual"
        )
        for path in core
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_an_import_of_textual(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom textual.app import App\nimport importlib\n"
        "importlib.import_module('textual.widgets')\n",
        encoding="utf-8",
    )
    assert {"textual.app", "textual.widgets"} <= imported_modules(sample)


def test_the_apps_parts_are_plain_mixins():
    # Each App subclass costs Textual's metaclass and __init_subclass__ at every start
    # (~0.3 ms a class): the parts (saving, list, reading...) are plain mixins, and
    # handle messages with on_* methods, which Textual finds along the MRO.
    from textual.app import App

    from tuific.ui.app import TuificApp

    apps = [cls for cls in TuificApp.__mro__ if isinstance(cls, type) and issubclass(cls, App)]
    assert apps == [TuificApp, App]
    parts = TuificApp.__mro__[1 : TuificApp.__mro__.index(App)]
    assert len(parts) >= 5
    for part in parts:
        assert not any(hasattr(value, "_textual_on") for value in vars(part).values()), part


def test_the_panes_parts_are_plain_mixins():
    # As the app's: one Widget subclass per pane; its parts (scanning, filter, reading
    # tools, what it reads through the app) add no class for Textual's metaclass.
    from textual.containers import Vertical
    from textual.widget import Widget

    from tuific.ui.library_pane import LibraryPane
    from tuific.ui.reader_pane import ReaderPane

    for pane in (LibraryPane, ReaderPane):
        widgets = [cls for cls in pane.__mro__ if isinstance(cls, type) and issubclass(cls, Widget)]
        assert widgets[:2] == [pane, Vertical], widgets
        parts = pane.__mro__[1 : pane.__mro__.index(Vertical)]
        assert len(parts) >= 2, parts
