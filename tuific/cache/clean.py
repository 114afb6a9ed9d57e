"""The checks on a cache file's raw bytes: does it hold a character `clean_text`
would have removed (a terminal escape in a tampered file)? And the same test on a
string, so `save` leaves out an entry the load would refuse."""

from __future__ import annotations

import re
from collections.abc import Callable

# Cleaned text never holds C0 controls other than \n and \t, DEL, C1 controls or bidi
# overrides. json.dumps(ensure_ascii=False) writes \n and \t as short escapes, every
# other character < 0x20 as \u00XX and everything else raw, so our own header holds
# none of these characters raw and no \u, \b, \f or \r escape; the text section holds
# none of them raw but the separators, \n and \t.
#
# The checks run on the UTF-8 bytes, before decoding (which rejects invalid UTF-8
# anyway): in valid UTF-8 a byte below 0x80 is only that ASCII character, and C2 8x/9x
# and E2 80 Ax/E2 81 Ax only those characters. Each pattern starts with a literal byte,
# which sre finds with a tight loop, and each runs only when a memchr finds that byte:
# a whole-file pass costs ~1.5 ms per 5 MB, where a character class costs ~10 times
# more.
_UNCLEAN_BYTES = (
    (b"\xc2", re.compile(rb"\xc2[\x80-\x9f]")),  # C1 controls U+0080-U+009F
    # bidi overrides and isolates U+202A-U+202E, U+2066-U+2069
    (b"\xe2", re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")),
)
# A backslash and what it escapes, read left to right as json does, so the second
# backslash of an escaped "\\" never starts an escape of its own.
_ESCAPE = re.compile(rb"\\[\\bfru]")
# For the text section: every byte of a raw control cleaned text cannot hold (C0 but
# the separators, \t and \n; DEL) becomes 1, every other byte 0. One translate and
# one memchr: ~4 ms per 5 MB, where a regex character class costs ~30.
_RAW_CONTROLS = bytes(
    1 if (byte < 0x20 and byte not in (0x00, 0x01, 0x09, 0x0A)) or byte == 0x7F else 0
    for byte in range(256)
)
_CHUNK = 64 * 1024
_STEP_BYTES = 16 * _CHUNK

# What the load would refuse in a stored string (see _unclean_text): `save` leaves out
# an entry holding one (odd input; it is parsed again on each start), rather than
# writing a file that is then ignored whole.
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _unclean_marks(data: bytes, stop: int | None = None) -> bool:
    """Does this UTF-8 (up to `stop`) hold a C1 control or a bidi override or isolate?"""
    stop = len(data) if stop is None else stop
    return any(
        data.find(lead, 0, stop) >= 0 and pattern.search(data, 0, stop)
        for lead, pattern in _UNCLEAN_BYTES
    )


def _unclean(data: bytes) -> bool:
    """Does this JSON (UTF-8 bytes) hold a character clean_text would have removed,
    raw (DEL, C1, bidi) or as a \\u, \\b, \\f or \\r escape?"""
    if b"\x7f" in data or _unclean_marks(data):
        return True
    if b"\\" in data:
        # Matches are forbidden escapes or escaped backslashes, which are rare.
        for match in _ESCAPE.finditer(data):
            if match[0] != b"\\\\":
                return True
    return False


def _unclean_text(
    data: bytes, stop: int | None = None, step: Callable[[], None] | None = None
) -> bool:
    """Does this raw UTF-8 text (up to `stop`) hold a character clean_text would have
    removed (any control but the separators, \\t and \\n; C1; bidi)? `step` is
    called after each MiB (a worker gives way)."""
    stop = len(data) if stop is None else stop
    # In slices that stay in the CPU cache: one translate of a whole 5 MB file costs
    # twice as much, most of it in touching the fresh 5 MB it returns.
    for start in range(0, stop, _CHUNK):
        if b"\x01" in data[start : min(start + _CHUNK, stop)].translate(_RAW_CONTROLS):
            return True
        if step is not None and start % _STEP_BYTES == 0:
            step()
    return _unclean_marks(data, stop)
