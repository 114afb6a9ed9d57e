"""Dialogs pushed over the main screen."""

from tuific.resources import styles_dir

# Their styles load with the first dialog opened, not with the app.
DIALOG_CSS = [str(styles_dir() / "dialogs.tcss")]
