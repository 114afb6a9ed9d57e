"""Decoding and cleaning of untrusted story text.

Every string that reaches a widget passes through `clean_text` once, at load:
story files come from the internet and may carry terminal escapes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# C0 controls except \t and \n, DEL, C1 controls, and bidi overrides/isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile(r"\r\n?")


def clean_text(text: str) -> str:
    """NFC-normalise, unify line ends and drop characters a terminal would act on.

    Each step runs only when needed: on a six-megabyte story every needless copy
    adds to the memory the parse peaks at.
    """
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def clean_line(text: str) -> str:
    """Clean a one-line value (title, author, tag): newlines and tabs become spaces."""
    return " ".join(clean_text(text).split())


def display_path(path: object) -> str:
    """A file path made safe to show: names can hold escape sequences too."""
    return clean_line(str(path))


def decode_bytes(data: bytes) -> str:
    """Decode story bytes: BOMs first, then UTF-8, then a detected legacy encoding
    (see `detect_legacy_encoding`), else Windows-1252.

    Windows-1252 leaves five bytes undefined; those decode as Latin-1 so
    decoding never fails.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = detect_legacy_encoding(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace")
    return data.decode("cp1252", errors="tuific-cp1252")


# Bytes looked at to detect an encoding: enough text for a sure guess, little time.
DETECT_SAMPLE = 32 * 1024
# Below this share of non-ASCII bytes among letters, text is Western (accents and
# curly quotes in mostly ASCII prose): Windows-1252 reads it, and charset detection
# on it guesses Central European or worse. Cyrillic, Greek and East Asian text in a
# legacy encoding is nearly all non-ASCII bytes.
DETECT_MIN_HIGH_SHARE = 0.3
DETECT_MIN_HIGH = 16  # fewer non-ASCII bytes than this are too few to tell by
_ASCII_BYTES = bytes(range(128))
_ASCII_LETTERS = re.compile(rb"[A-Za-z]")


def detect_legacy_encoding(data: bytes) -> str | None:
    """The encoding of non-UTF-8 text that is not Western, from a sample, or None
    (read it as Windows-1252)."""
    sample = data[:DETECT_SAMPLE]
    high = len(sample.translate(None, _ASCII_BYTES))  # the bytes >= 0x80
    letters = high + len(_ASCII_LETTERS.findall(sample))
    if high < DETECT_MIN_HIGH or high < DETECT_MIN_HIGH_SHARE * letters:
        return None
    # Imported here: ~40 ms, paid only by the rare file that needs it.
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        codecs.lookup(best.encoding)
    except LookupError:
        return None
    return best.encoding


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    # Registered for decoding only: the error is always a UnicodeDecodeError.
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("latin-1"), error.end


codecs.register_error("tuific-cp1252", _cp1252_fallback)


def count_words(text: str) -> int:
    """Words as AO3 roughly counts them: runs of non-space characters."""
    return len(text.split())


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head
