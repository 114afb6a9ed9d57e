import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuific.text import (
    DETECT_SAMPLE,
    clean_line,
    clean_text,
    count_words,
    decode_bytes,
    looks_binary,
)

HOSTILE = "a\x1b[2Jb\x07c\x1b]52;c;SGVsbG8=\x07d\x9be\u202ef\u2066g\x7fh\x00i"


def test_clean_text_drops_escapes_bell_c1_and_bidi():
    cleaned = clean_text(HOSTILE)
    assert "\x1b" not in cleaned and "\x07" not in cleaned and "\x9b" not in cleaned
    assert "\u202e" not in cleaned and "\u2066" not in cleaned and "\x00" not in cleaned
    assert cleaned.startswith("a[2Jb")


def test_clean_text_unifies_line_ends_and_expands_tabs():
    # A raw tab would move the terminal's cursor by an amount the layout never
    # counted, leaving stale text on screen: it becomes spaces to the next stop.
    assert clean_text("a\r\nb\rc\td\n\tx\nabcde\tf") == "a\nb\nc   d\n    x\nabcde   f"


def test_clean_text_is_nfc():
    assert clean_text("e\u0301") == "\u00e9"


def test_clean_line_collapses_whitespace():
    assert clean_line("  a\n b\t c ") == "a b c"


@given(st.text())
def test_clean_text_never_leaves_controls(text):
    cleaned = clean_text(text)
    assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)
    assert not any(0x7F <= ord(c) <= 0x9F for c in cleaned)


def test_decode_utf8_and_bom():
    assert decode_bytes("“hi”".encode()) == "“hi”"
    assert decode_bytes(codecs.BOM_UTF8 + "“hi”".encode()) == "“hi”"


def test_decode_utf16_with_bom():
    assert decode_bytes("Title: Ö".encode("utf-16")) == "Title: Ö"
    assert decode_bytes(codecs.BOM_UTF16_BE + "x“y”".encode("utf-16-be")) == "x“y”"


def test_decode_windows_1252_fallback():
    data = "“Don’t,” she said — café".encode("cp1252")
    assert decode_bytes(data) == "“Don’t,” she said — café"


def test_decode_undefined_cp1252_bytes_never_fail():
    assert decode_bytes(b"\x81\x8d\x90 caf\xe9")[-4:] == "café"


def test_count_words():
    assert count_words("one two\n three  — four") == 5


def test_looks_binary():
    assert looks_binary(b"PK\x03\x04\x00\x00")
    assert not looks_binary("text".encode("utf-16"))
    assert not looks_binary(b"plain")


def test_release_free_memory_trims_on_glibc():
    import platform
    import sys

    import pytest

    from tuific.startup_tricks import release_free_memory

    if not (sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"):
        pytest.skip("malloc_trim is glibc's")
    assert release_free_memory() is True


def test_release_free_memory_finds_libc_without_ctypes_util():
    """ctypes.util costs ~20 ms to import and runs ldconfig: start-up never needs it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tuific.startup_tricks import release_free_memory\n"
        "release_free_memory()\n"
        "print('ctypes.util' in sys.modules, 'subprocess' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


LEGACY_TEXTS = {
    "cp1251": "Гарри сидел у окна и смотрел на дождь. «Ты опять не спишь?» — спросила она.",
    "koi8_r": "Гарри сидел у окна и смотрел на дождь. Ты опять не спишь? спросила она.",
    "cp1253": "Ο Χάρι κάθισε δίπλα στο παράθυρο και κοίταζε τη βροχή. Δεν κοιμάσαι πάλι;",
    "shift_jis": "ハリーは窓のそばに座って雨を見ていた。「また眠れないの？」と彼女は聞いた。",
    "gbk": "哈利坐在窗边看着雨。“你又睡不着吗？”赫敏走进房间时问道。他摇了摇头。",
    "euc_kr": "해리는 창가에 앉아 비를 보고 있었다. 또 잠이 안 와? 헤르미온느가 물었다.",
}


@pytest.mark.parametrize("encoding", sorted(LEGACY_TEXTS))
def test_legacy_encodings_are_detected(encoding):
    text = "Title: A Story\nAuthor: someone\n\n" + "\n\n".join([LEGACY_TEXTS[encoding]] * 8)
    assert decode_bytes(text.encode(encoding)) == text


def test_western_text_stays_windows_1252_and_is_not_sent_to_detection(monkeypatch):
    import charset_normalizer

    def no_detection(*args, **kwargs):
        raise AssertionError("Western text needs no detection")

    monkeypatch.setattr(charset_normalizer, "from_bytes", no_detection)
    text = "C’était un jour très étrange; la forêt était silencieuse — “café”. " * 50
    assert decode_bytes(text.encode("cp1252")) == text


def test_detection_reads_only_a_sample(monkeypatch):
    import charset_normalizer

    seen = []
    real = charset_normalizer.from_bytes
    monkeypatch.setattr(
        charset_normalizer, "from_bytes", lambda data, *a, **k: seen.append(len(data)) or real(data)
    )
    text = LEGACY_TEXTS["cp1251"] * 2000
    assert decode_bytes(text.encode("cp1251")) == text
    assert seen == [DETECT_SAMPLE]
