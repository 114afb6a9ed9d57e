"""The metadata panel: every header field of the highlighted story."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuific.describe import describe
from tuific.model import Story

# Long fields get their own block under the label, not a cramped column.
_BLOCK_FIELDS = {"Summary", "Notes", "File"}


class MetadataPanel(VerticalScroll, can_focus=True):
    def compose(self):
        yield Static("", id="metadata-text", markup=False)

    def show(self, story: Story | None, **reading: object) -> None:
        text = Text()
        if story is None:
            text.append("No story selected.", style="dim")
        else:
            for label, value in describe(story, **reading):  # type: ignore[arg-type]
                if label == "Title":
                    text.append(value + "\n\n", style="bold")
                    continue
                if label in _BLOCK_FIELDS:
                    text.append(f"\n{label}\n", style="bold")
                    text.append(value + "\n\n")
                else:
                    text.append(f"{label}: ", style="bold")
                    text.append(value + "\n")
        self.query_one("#metadata-text", Static).update(text)
