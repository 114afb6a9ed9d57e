"""Story dates: the many forms headers write them in, read as dates (for sorting) and
written as ISO 8601 (for `tuific list --json`). The original text is what is shown."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

# Each form, and how much of the date it gives: "day", "month" or "year".
_FORMATS = (
    ("%Y-%m-%d", "day"),
    ("%Y/%m/%d", "day"),
    ("%d %B %Y", "day"),
    ("%d %b %Y", "day"),
    ("%B %d, %Y", "day"),
    ("%b %d, %Y", "day"),
    ("%B %d %Y", "day"),
    ("%b %d %Y", "day"),
    ("%d/%m/%Y", "day"),
    ("%d.%m.%Y", "day"),
    ("%B %Y", "month"),
    ("%b %Y", "month"),
    ("%Y-%m", "month"),
    ("%Y", "year"),
)


@lru_cache(maxsize=65536)
def read_date(text: str | None) -> tuple[date, str] | None:
    """The date a header gives, and its precision ("day", "month" or "year")."""
    if not text:
        return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    cleaned = (
        re.sub(r"[T ]\d{1,2}:\d{2}.*$", "", cleaned) if re.match(r"\d{4}-", cleaned) else cleaned
    )
    for fmt, precision in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date(), precision
        except ValueError:
            continue
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", cleaned)
    return (date(int(match.group(1)), 1, 1), "year") if match else None


def parse_date(text: str | None) -> date | None:
    """Read the dates story headers use: ISO, '31 July 2018', 'July 31, 2018', ...
    (a month or a year alone reads as its first day)."""
    found = read_date(text)
    return found[0] if found else None


def with_iso_dates(record: dict[str, Any]) -> dict[str, Any]:
    """A story's record for `tuific list --json`: its dates as ISO 8601 (as far as the
    header gives them; as written when they cannot be read), the originals beside."""
    for name in ("published", "updated"):
        original = record.get(name)
        record[name] = iso_date(original) or original
        record[name + "_original"] = original
    return record


def iso_date(text: str | None) -> str | None:
    """'Jan 5, 2016' -> '2016-01-05'; 'March 2019' -> '2019-03'; 'sometime in 2011' ->
    '2011'; None when no date can be read."""
    found = read_date(text)
    if found is None:
        return None
    when, precision = found
    return when.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]
