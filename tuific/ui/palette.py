"""What the command palette (Ctrl+P) offers: Textual's own commands but "Keys",
"Screenshot" and "Maximize", our help as "Keys", the saved searches of config.toml,
the shelves and the next part for the story the keys act on, and the sorts. Titles and
help are read as markup by the palette, so everything taken from the user or a story
goes through `literal_markup`."""

from __future__ import annotations

from textual.app import SystemCommand

from tuific.sorting import SORT_LABELS, SORT_NAMES
from tuific.ui.literal import literal_markup
from tuific.ui.series_control import SeriesControl
from tuific.ui.shelves import SHELF_WORDS

# What the palette says marking does ("set aside as for later" read wrongly).
_ASIDE = {"later": "set aside for later", "dropped": "set aside as dropped"}


class PaletteCommands(SeriesControl):
    """The command palette's entries (a mixin of TuificApp)."""

    def get_system_commands(self, screen):
        for command in super().get_system_commands(screen):
            # Textual's "Keys" panel lists bindings that are not ours and stays open
            # on Escape; its "Screenshot" fails without ~/Downloads (usual on a
            # server). "Keys" here is our own help. "Maximize" hid the status line
            # and the footer, and h / i already give a pane the screen.
            if command.title not in ("Keys", "Screenshot", "Maximize"):
                yield command
        yield SystemCommand("Keys", "Every key and the query syntax", self.action_help)
        # Saved searches from the [queries] table of config.toml.
        # The palette reads titles and help as markup: names and queries are the
        # user's text, shown literally (a name "[/]" or "[@click=app.quit]" is text).
        for name, text in self.config.saved_queries.items():
            yield SystemCommand(
                f"Filter: {literal_markup(name)}",
                literal_markup(text),
                lambda text=text: self.apply_filter(text),
            )
        yield from self.shelf_commands()
        yield from self.series_commands()
        for name in SORT_NAMES:
            yield SystemCommand(
                f"Sort by {SORT_LABELS[name]}",
                f"Order the story list by {SORT_LABELS[name]}",
                lambda name=name: self.library_pane.sort_by(name),
            )

    def shelf_commands(self):
        """Command palette entries for the story the keys would act on."""
        item = self._target_item()
        if item is None:
            return
        # The palette reads help as markup: a story's title is shown literally.
        title = literal_markup(item.story.meta.title)
        for shelf, words in SHELF_WORDS.items():
            on = item.read != shelf
            yield SystemCommand(
                f"Mark {words}" if on else f"Unmark {words}",
                f"{title}: {_ASIDE[shelf] if on else 'back to your reading'}",
                lambda shelf=shelf: self.action_toggle_shelf(shelf),
            )

    def series_commands(self):
        """Command palette entry for the next part, when there is one."""
        place = self._series_of(self._target_item())
        following = None if place is None else place.next_part
        if following is not None:
            title = self.listing.stories.value("title", following)
            # The palette reads help as markup: story names are shown literally.
            yield SystemCommand(
                "Open the next part",
                literal_markup(f"{place.name}: {title}"),
                self.action_next_part,
            )
