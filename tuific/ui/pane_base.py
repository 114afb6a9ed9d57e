"""What every pane reads through the app: the app itself, the reading state, the
config, and the saves. A plain mixin of the panes (another Widget subclass would cost
Textual's metaclass at every start; see saving._AppBase)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.widget import Widget

    from tuific.config import Config
    from tuific.state import StateStore
    from tuific.ui.app import TuificApp

    _WidgetBase = Widget
else:
    _WidgetBase = object


class ThroughTheApp(_WidgetBase):
    """The app's state, config and saves, as a pane reaches them."""

    @property
    def tuific(self) -> TuificApp:
        return cast("TuificApp", self.app)

    @property
    def state(self) -> StateStore:
        return self.tuific.state

    @property
    def config(self) -> Config:
        return self.tuific.config

    def _schedule_save(self) -> None:
        self.tuific._schedule_save()

    def _save_now(self) -> None:
        self.tuific._save_now()
