"""Decoding and cleaning of untrusted story text.

Every string that reaches a widget passes through `clean_text` once, at load:
story files come from the internet and may carry terminal escapes. Everything the
command line prints passes through `escape_unsafe` (or `escape_json`) instead,
which shows those characters visibly rather than dropping them.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from tuific.lazy_regex import lazy_compile

# C0 controls except \t and \n, DEL, C1 controls, and bidi overrides/isolates.
_CONTROL = lazy_compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NEWLINES = lazy_compile(r"\r\n?")
# Lone surrogates: an undecodable byte in a file name (os.fsdecode's surrogateescape).
# They cannot be encoded for the terminal and Textual measures them wrongly.
_SURROGATE = lazy_compile("[\ud800-\udfff]")
# DEL, C1, bidi marks/overrides/isolates and lone surrogates: what
# json.dumps(ensure_ascii=False) leaves raw that a terminal would act on.
_RAW_IN_JSON = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_JSON_UNSAFE = lazy_compile(f"[{_RAW_IN_JSON}]")
# What command-line output escapes: those and every C0 control (newline and tab
# too: one line per item).
_UNSAFE = lazy_compile(f"[\x00-\x1f{_RAW_IN_JSON}]")
REPLACEMENT = "\ufffd"
# Tabs become spaces at load, to the next multiple of this: a raw tab reaching the
# terminal moves the cursor by an amount the layout never counted.
TAB_SIZE = 4


_CHUNK = 1 << 20  # characters per regex call over a whole story (see clean_text)


def _has_control(text: str) -> bool:
    if len(text) <= _CHUNK:  # most texts: one search, without a generator's cost
        return _CONTROL.search(text) is not None
    return any(
        _CONTROL.search(text, start, start + _CHUNK) for start in range(0, len(text), _CHUNK)
    )


def clean_text(text: str, normalise: bool = True) -> str:
    """NFC-normalise (unless not `normalise`: see `nfc`), unify line ends and drop
    characters a terminal would act on.

    Each step runs only when needed: on a six-megabyte story every needless copy
    adds to the memory the parse peaks at.
    """
    if text.isascii() and text.isprintable():
        return text  # no line end, tab or control, and ASCII is NFC: most values
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if "\t" in text:
        text = text.expandtabs(TAB_SIZE)
    if _has_control(text):
        # In pieces: one regex call over a 100 MB story holds the GIL for most of a
        # second, and the UI thread (a `q` to quit) waits for it.
        text = "".join(
            _CONTROL.sub("", text[start : start + _CHUNK]) for start in range(0, len(text), _CHUNK)
        )
    return nfc(text) if normalise else text


def nfc(text: str) -> str:
    """`text` NFC-normalised. It changes no line end and no white space (no canonical
    mapping holds one but U+2000/U+2001, spaces to spaces), so a text cleaned
    without it splits into the same lines and words, each normalised alone."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """Clean a one-line value (title, author, tag): newlines and tabs become spaces."""
    if text.isascii() and text.isprintable():  # most values (no surrogate either)
        return " ".join(text.split())
    text = " ".join(clean_text(text).split())
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(REPLACEMENT, text)
    return text


def display_path(path: object) -> str:
    """A file path made safe to show: names can hold escape sequences too, and
    bytes that are not UTF-8 (shown as the replacement character)."""
    return clean_line(str(path))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return REPLACEMENT
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_unsafe(text: object) -> str:
    """One line for the command line (stdout or stderr): controls, DEL, C1 and
    bidi characters escaped visibly (`\\x1b`), undecodable bytes as U+FFFD."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def _escape_json(match: re.Match[str]) -> str:
    code = ord(match.group())
    return REPLACEMENT if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def escape_json(line: str) -> str:
    """A json.dumps(..., ensure_ascii=False) line with what it leaves raw (DEL, C1,
    bidi) written as JSON escapes, and lone surrogates as U+FFFD."""
    return _JSON_UNSAFE.sub(_escape_json, line) if _JSON_UNSAFE.search(line) else line


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
    except UnicodeDecodeError as error:
        # Valid up to a character cut short by the end of the data (a truncated
        # download): still UTF-8, with that last character replaced.
        if error.end == len(data) and error.reason == "unexpected end of data":
            return data.decode("utf-8", errors="replace")
    encoding = detect_legacy_encoding(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace")
    return data.decode("cp1252", errors="tuific-cp1252")


# What clean_text(text, normalise=False) would change, seen in UTF-8 bytes: every C0
# control but the newline (tab and CR included) and DEL are bytes of their own...
_C0_AND_DEL = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])
# ...and each C1 control (\xc2\x80-\x9f) or bidi control (U+202A-202E: \xe2\x80\xaa-\xae,
# U+2066-2069: \xe2\x81\xa6-\xa9) holds one of these bytes (as do other characters:
# such text takes the usual path).
_CONTROL_MARKS = (b"\xc2", b"\x81", b"\xaa", b"\xab", b"\xac", b"\xad", b"\xae")


def decode_clean(data: bytes) -> str:
    """`clean_text(decode_bytes(data), normalise=False)`, at a third of the cost for
    UTF-8 that plainly needs no cleaning (a first scan cleans every file it lists)."""
    text = _clean_utf8(data)
    return clean_text(decode_bytes(data), normalise=False) if text is None else text


def _clean_utf8(data: bytes) -> str | None:
    """`data` decoded, when it is UTF-8 holding nothing clean_text would change;
    None when it may not be. Told from the bytes by C-speed passes (each byte
    searched for), where the regex over the decoded text costs three times as much.
    Not for a text over a chunk: clean_text cleans that in pieces (the GIL)."""
    if len(data) > _CHUNK:
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if len(data.translate(None, _C0_AND_DEL)) != len(data):
        return None
    for mark in _CONTROL_MARKS:
        if mark in data:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


# Bytes looked at to detect an encoding: enough text for a sure guess, little time.
DETECT_SAMPLE = 32 * 1024
# Below this share of non-ASCII bytes among letters, text is Western (accents and
# curly quotes in mostly ASCII prose): Windows-1252 reads it, and charset detection
# on it guesses Central European or worse. Cyrillic, Greek and East Asian text in a
# legacy encoding is nearly all non-ASCII bytes.
DETECT_MIN_HIGH_SHARE = 0.3
DETECT_MIN_HIGH = 16  # fewer non-ASCII bytes than this are too few to tell by
_ASCII_BYTES = bytes(range(128))
_ASCII_LETTERS = lazy_compile(rb"[A-Za-z]")


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


# A paragraph break: one or more blank lines (as plaintext.paragraphs_of splits).
_BLOCK_BREAK = lazy_compile(r"\n[ \t]*(?:\n[ \t]*)+")


def cut_blocks(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut before its `limit`-th paragraph break: (text, whether it was cut).

    Paragraphs are blank-line separated, or lines when there is no blank line at
    all (as plain text and markdown read them). Run before splitting, so a file of
    forty million empty paragraphs never becomes forty million objects.
    """
    if text.count("\n") < limit:  # fewer lines than the limit: nothing to cut
        return text, False
    if _BLOCK_BREAK.search(text):
        for count, match in enumerate(_BLOCK_BREAK.finditer(text), 1):
            if count >= limit:
                return text[: match.start()], True
        return text, False
    return cut_lines(text, limit)


def cut_lines(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut before its `limit`-th line break: (text, whether it was cut)."""
    if text.count("\n") < limit:
        return text, False
    end = -1
    for _ in range(limit):
        end = text.find("\n", end + 1)
    return text[:end], True


def count_words(text: str) -> int:
    """Words as AO3 roughly counts them: runs of non-space characters.

    A long text is counted a piece at a time: one split of a 60 MB paragraph would
    make a list of twelve million words, most of a gigabyte, to count them.
    """
    if len(text) <= _CHUNK:
        return len(text.split())
    count = 0
    for start in range(0, len(text), _CHUNK):
        count += len(text[start : start + _CHUNK].split())
        # A word cut in two by the piece boundary was counted twice.
        if start and not text[start].isspace() and not text[start - 1].isspace():
            count -= 1
    return count


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head
