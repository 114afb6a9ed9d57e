"""The standing hide list: named queries from `[hide]` in config.toml whose stories
the list leaves out before any typed filter, each hidden story with the rule that
hid it.

Pure (no Textual): the listing, the app's hidden-stories screen and `tuific list`
share it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from tuific.text import clean_line

if TYPE_CHECKING:
    from tuific.query import Entries, Query


class HideRule(NamedTuple):
    name: str  # as the user wrote it (cleaned); shown as text, never as markup
    text: str  # the query, as written
    query: Query


def compile_rules(rules: Mapping[str, str]) -> tuple[list[HideRule], list[str]]:
    """The rules that parse, and one message for each that does not (to report once:
    a malformed rule is left out, never fatal)."""
    if not rules:
        return [], []  # without importing the query language before the first frame
    from tuific.query import QueryError, parse_query

    compiled: list[HideRule] = []
    problems: list[str] = []
    for name, text in rules.items():
        name = clean_line(name)
        try:
            query = parse_query(text)
        except QueryError as error:
            problems.append(f"[hide] rule “{name}” ignored: {clean_line(str(error))}")
            continue
        if not query.terms:
            problems.append(f"[hide] rule “{name}” ignored: it is empty (it would hide all)")
            continue
        compiled.append(HideRule(name, text, query))
    return compiled, problems


def hidden_by(rules: Sequence[HideRule], entries: Entries) -> dict[int, str]:
    """Index -> the name of the first rule that hides that story."""
    from tuific.query import filter_entries

    hidden: dict[int, str] = {}
    for rule in rules:
        for index in filter_entries(rule.query, entries):
            hidden.setdefault(index, rule.name)
    return hidden
