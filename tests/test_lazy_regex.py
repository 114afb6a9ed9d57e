"""Patterns compiled on first use behave as compiled patterns do."""

from __future__ import annotations

import re

from tuific.lazy_regex import lazy_compile


def test_not_compiled_until_used(monkeypatch):
    compiled: list[str] = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda p, f=0: compiled.append(p) or real(p, f))
    pattern = lazy_compile(r"b+", re.IGNORECASE)
    assert compiled == []
    assert pattern.search("aBBc").group() == "BB"
    assert pattern.sub("-", "abbcb") == "a-c-"
    assert compiled == ["b+"]  # once, however many methods are used


def test_methods_and_attributes_match_the_compiled_pattern():
    source = r"(?P<word>\w+)"
    lazy, real = lazy_compile(source), re.compile(source)
    text = "one two  three"
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.findall(text) == real.findall(text)
    assert lazy.split(text) == real.split(text)
    assert lazy.fullmatch("one") is not None and lazy.match(" x") is None
    assert lazy.subn("x", text) == real.subn("x", text)
    for name in ("pattern", "flags", "groupindex", "groups"):
        assert getattr(lazy, name) == getattr(real, name)


def test_bytes_patterns():
    assert lazy_compile(rb"[A-Za-z]").search(b"12a").start() == 2
