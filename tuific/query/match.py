"""Matching a Query against entries, and whether a new query narrows the last one."""

from __future__ import annotations

from collections.abc import Sequence

from .entries import Entries, Entry
from .fields import HAYSTACK_FIELDS
from .terms import Query, RangeTerm, SetTerm, Term, TextTerm

# --------------------------------------------------------------------------- matching


def matches(query: Query, entry: Entry) -> bool:
    return bool(filter_entries(query, Entries.from_rows([entry])))


def filter_entries(
    query: Query, entries: Entries, within: Sequence[int] | None = None
) -> list[int]:
    """Indices of matching entries, in order; `within` restricts to a previous result
    (when the new query only narrows the old one) or gives the order to keep."""
    indices = None if within is None else list(within)
    # One pass per term over the survivors: the first, cheapest term usually leaves
    # few stories for the rest.
    for select in query.selectors:
        indices = select(entries, indices)
    return list(range(len(entries))) if indices is None else indices


def narrows(old: Query, new: Query) -> bool:
    """True when every story matching `new` must also match `old` (e.g. new = old +
    more terms, or a plain term extended by characters), so the UI may pass `within`.

    Sound but not complete: False only means "filter everything again".
    """
    return all(any(_implies(n, o) for n in new.terms) for o in old.terms)


def _implies(new: Term, old: Term) -> bool:
    """Whether every entry matching `new` matches `old`."""
    if new == old:
        return True
    if isinstance(old, TextTerm) and isinstance(new, TextTerm):
        if old.negate != new.negate:
            return False
        same_place = new.field == old.field or (
            # The haystack holds every item of these fields, so a story with the term
            # in one of them has it in the haystack, and one whose haystack lacks the
            # term lacks it in each of them.
            (old.field == "text" and new.field in HAYSTACK_FIELDS)
            if not old.negate
            else (new.field == "text" and old.field in HAYSTACK_FIELDS)
        )
        if not same_place:
            return False
        # "dragons" found means "drag" found; "drag" absent means "dragons" absent.
        return old.value in new.value if not old.negate else new.value in old.value
    if isinstance(old, SetTerm) and isinstance(new, SetTerm):
        return old.field == new.field and new.allowed <= old.allowed
    if isinstance(old, RangeTerm) and isinstance(new, RangeTerm) and old.field == new.field:
        if not old.negate:
            return not new.negate and old.contains(new)
        if new.negate:
            return new.contains(old)  # new excludes at least what old excludes
        return old.disjoint(new)
    return False
