"""Which panes fit on screen: pure, so the rule is tested without a terminal."""

from __future__ import annotations

PANES = ("list", "reader", "meta")
WIDE = 120  # all three panes
MEDIUM = 90  # two panes


def visible_panes(
    width: int, active: str, show_list: bool, show_meta: bool, reading: bool = True
) -> list[str]:
    """The panes to show, in screen order.

    The active pane always shows; then the reader, the list and the metadata
    panel, as many as the width holds and the user has not hidden. Before a
    story is open the empty reader comes last.
    """
    capacity = 3 if width >= WIDE else 2 if width >= MEDIUM else 1
    wanted = {"reader", *(["list"] if show_list else []), *(["meta"] if show_meta else [])}
    wanted.add(active)
    chosen: list[str] = []
    priority = ("reader", "list", "meta") if reading else ("list", "meta", "reader")
    for pane in (active, *priority):
        if pane in wanted and pane not in chosen and len(chosen) < capacity:
            chosen.append(pane)
    return [pane for pane in PANES if pane in chosen]
