"""User and file text shown literally where Textual only takes markup strings.

Most widgets take `Text`/`Content` objects, which are never parsed. A few Textual APIs
(the command palette's titles and help) parse every string as markup, where a name
like `[/]` raises and `[@click=app.quit]` becomes a live action.
"""

from __future__ import annotations


def literal_markup(text: str) -> str:
    """`text` as markup that shows exactly `text`: every `[` escaped, which is all
    Textual's markup needs (`textual.markup.escape` leaves `[B]`, `[$x]`, `[ b]`)."""
    return text.replace("[", "\\[")
