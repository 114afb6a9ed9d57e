"""Which panes fit on screen: pure, so the rule is tested without a terminal."""

from __future__ import annotations

PANES = ("list", "reader", "meta")
WIDE = 120  # all three panes
MEDIUM = 90  # two panes


def visible_panes(width: int, active: str, show_list: bool, show_meta: bool) -> list[str]:
    """The panes to show, in screen order.

    The active pane always shows; then the reader, the list and the metadata
    panel, as many as the width holds and the user has not hidden.
    """
    capacity = 3 if width >= WIDE else 2 if width >= MEDIUM else 1
    wanted = {"reader", *(["list"] if show_list else []), *(["meta"] if show_meta else [])}
    wanted.add(active)
    chosen: list[str] = []
    for pane in (active, "reader", "list", "meta"):
        if pane in wanted and pane not in chosen and len(chosen) < capacity:
            chosen.append(pane)
    return [pane for pane in PANES if pane in chosen]
