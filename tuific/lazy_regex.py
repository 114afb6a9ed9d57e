"""Module-level regular expressions compiled on first use, not at import.

Compiling is slow for patterns with wide Unicode classes (0.4-1.1 ms each for the
control-character and quotation-mark classes), and the modules on the start path held
~40 of them: 6-14 ms of every start, most of it for patterns the first frame never
uses (a warm library start parses no story; see startup_tricks for the figures).

`lazy_compile` returns a stand-in with the compiled pattern's methods: the first
attribute asked for compiles it, and its methods are then kept on the stand-in, so a
later call costs what a call on the pattern costs. It is not an `re.Pattern` for
`isinstance` and cannot be given to `re.sub()` and friends: call its own methods.
"""

from __future__ import annotations

import re
from typing import AnyStr, cast

_METHODS = ("match", "search", "sub", "subn", "finditer", "fullmatch", "split", "findall")


class _LazyPattern:
    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._source = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> object:
        # Only reached for what is not on the stand-in yet: compile once, keep the
        # methods (bound to the compiled pattern) as attributes of the stand-in.
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self.__dict__["_compiled"] = re.compile(self._source, self._flags)
            for method in _METHODS:
                self.__dict__[method] = getattr(compiled, method)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags!r})"


def lazy_compile(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[AnyStr]", _LazyPattern(pattern, int(flags)))
