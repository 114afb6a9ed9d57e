"""Dialogs pushed over the main screen."""

from pathlib import PurePath

from tuific.resources import styles_dir

# Their styles load with the first dialog opened, not with the app.
DIALOG_CSS: list[str | PurePath] = [str(styles_dir() / "dialogs.tcss")]
