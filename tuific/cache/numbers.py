"""The number columns (format 4): each one base64 string of little-endian int64s,
encoded for `save` and decoded and range-checked for the load. Why not JSON arrays
(~85 ms more on a warm start at 100,000 stories): see the package docstring."""

from __future__ import annotations

import base64
import sys
from array import array
from collections.abc import Sequence
from typing import Any

from tuific.cache.layout import (
    _COUNT_COLUMNS,
    _MAX_INT,
    _NO_INT,
    _OPTIONAL_NUMBERS,
    _Malformed,
)

_BIG_ENDIAN = sys.byteorder == "big"  # the file holds little-endian int64s


def _refused_numbers(name: str, raw: bytes, column: array) -> bool:
    """Would the load refuse this number column? `raw`: its little-endian bytes."""
    # Each value's top byte, at C speed: below 0x80 (ASCII) exactly when the value
    # is >= 0; which also rules out _NO_INT.
    tops = raw[7::8]
    if name in _COUNT_COLUMNS:
        return not tops.isascii()
    if name in _OPTIONAL_NUMBERS:
        return False  # any value; _NO_INT is None
    # mtime_ns: any value but _NO_INT. Only values below -2**63 + 2**56 (times before
    # 1680) have the top byte 0x80, so the scan of the whole column all but never runs.
    return b"\x80" in tops and _NO_INT in column


def _encode_numbers(name: str, values: Sequence[Any]) -> str | None:
    """A number column as the file holds it: base64 of its values as little-endian
    int64s, None for optional values. None when the load would refuse it (a value
    that does not fit in 64 bits, or that could not be told from None)."""
    if _NO_INT in values:
        return None
    if name in _OPTIONAL_NUMBERS:
        values = [_NO_INT if value is None else value for value in values]
    try:
        column = array("q", values)
    except (OverflowError, TypeError):  # too large, or not an int (None where not optional)
        return None
    if _BIG_ENDIAN:
        column.byteswap()
    raw = column.tobytes()
    if _BIG_ENDIAN:
        column.byteswap()  # native again, for the check
    if _refused_numbers(name, raw, column):
        return None
    return base64.b64encode(raw).decode("ascii")


def _decode_numbers(name: str, text: Any, length: int) -> array:
    """The `length` values of a stored number column (_NO_INT for None); raises
    ValueError when it is not what `_encode_numbers` writes."""
    if type(text) is not str:
        raise _Malformed("a number column that is not a string")
    raw = base64.b64decode(text, validate=True)  # or binascii.Error, a ValueError
    if len(raw) != 8 * length:
        raise _Malformed("a number column of the wrong length")
    column = array("q")
    column.frombytes(raw)
    if _BIG_ENDIAN:
        column.byteswap()
    if _refused_numbers(name, raw, column):
        raise _Malformed("a number out of its column's range")
    return column


def _fits(value: Any, low: int = _NO_INT + 1) -> bool:
    """Can this number be stored: an int64 of at least `low` (never _NO_INT)?"""
    return isinstance(value, int) and low <= value <= _MAX_INT
