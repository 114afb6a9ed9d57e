"""Pens (a cell's SGR attributes, colours and hyperlink) and the shortest SGR between two pens."""

from __future__ import annotations

from typing import NamedTuple


class Pen(NamedTuple):
    """How a cell is drawn. `attrs` holds SGR codes such as "1" (bold) or "7" (reverse)."""

    attrs: frozenset[str]
    fg: str | None  # the SGR code(s) of the foreground: "31", "38;5;250", "38;2;1;2;3"
    bg: str | None
    link: str | None  # the whole OSC 8 sequence that opened the hyperlink


DEFAULT = Pen(frozenset(), None, None, None)
# The terminal's pen when we cannot know it (after a sequence we passed through).
UNKNOWN = Pen(frozenset({"?"}), "?", "?", "?")

# Each attribute code and the code that turns it off (22 ends bold and dim alike).
OFF_CODE = {
    "1": "22", "2": "22", "3": "23", "4": "24", "21": "24", "5": "25", "6": "25",
    "7": "27", "8": "28", "9": "29", "51": "54", "52": "54", "53": "55",
}  # fmt: skip
_ENDS: dict[str, frozenset[str]] = {}
for _on, _off in OFF_CODE.items():
    _ENDS[_off] = _ENDS.get(_off, frozenset()) | {_on}
# Attributes that show on a blank cell: such blanks are never erased with EL/ED.
VISIBLE_ON_BLANK = frozenset({"4", "21", "7", "9", "51", "52", "53"})

_interned: dict[Pen, Pen] = {DEFAULT: DEFAULT}
_applied: dict[tuple[Pen, str], Pen] = {}
_between: dict[tuple[Pen, Pen], str] = {}


def intern(pen: Pen) -> Pen:
    """One object per distinct pen, so cells compare by identity first."""
    return _interned.setdefault(pen, pen)


def apply_sgr(pen: Pen, params: str) -> Pen:
    """The pen after `ESC[{params}m`, starting from `pen`."""
    key = (pen, params)
    found = _applied.get(key)
    if found is None:
        found = _applied[key] = intern(_apply(pen, params))
    return found


def _apply(pen: Pen, params: str) -> Pen:
    codes = params.split(";") if params else ["0"]
    attrs = set(pen.attrs)
    fg, bg = pen.fg, pen.bg
    index = 0
    while index < len(codes):
        code = codes[index].lstrip("0") or "0"
        if code == "0":
            attrs.clear()
            fg = bg = None
        elif code in ("38", "48"):
            kind = codes[index + 1] if index + 1 < len(codes) else ""
            size = 3 if kind == "5" else 5 if kind == "2" else 1
            colour = ";".join(codes[index : index + size])
            index += size - 1
            if code == "38":
                fg = colour
            else:
                bg = colour
        elif code == "39":
            fg = None
        elif code == "49":
            bg = None
        elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
            fg = code
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            bg = code
        elif code in _ENDS:
            attrs -= _ENDS[code]
        else:
            attrs.add(code)  # an attribute, or a code we keep as it came
        index += 1
    return Pen(frozenset(attrs), fg, bg, pen.link)


def with_link(pen: Pen, link: str | None) -> Pen:
    return intern(pen._replace(link=link))


def _codes(pen: Pen) -> list[str]:
    codes = sorted(pen.attrs, key=lambda code: int(code) if code.isdigit() else 999)
    if pen.fg is not None:
        codes.append(pen.fg)
    if pen.bg is not None:
        codes.append(pen.bg)
    return codes


def sgr_between(old: Pen, new: Pen) -> str:
    """The shortest escape text that turns the terminal's pen `old` into `new`."""
    if old is new:
        return ""
    key = (old, new)
    found = _between.get(key)
    if found is None:
        found = _between[key] = _link_change(old, new) + _sgr_change(old, new)
    return found


def _link_change(old: Pen, new: Pen) -> str:
    if old.link == new.link:
        return ""
    return new.link if new.link is not None else "\x1b]8;;\x1b\\"


def _sgr_change(old: Pen, new: Pen) -> str:
    if old[:3] == new[:3]:
        return ""
    full = "\x1b[" + ";".join(["0", *_codes(new)]) + "m" if new[:3] != DEFAULT[:3] else "\x1b[m"
    if old is UNKNOWN or old.fg == "?" or any(code not in OFF_CODE for code in old.attrs):
        return full
    codes: list[str] = []
    removed = old.attrs - new.attrs
    ended: set[str] = set()
    for code in sorted(removed):
        off = OFF_CODE[code]
        if off not in codes:
            codes.append(off)
            ended |= _ENDS[off]
    # An off code may end an attribute `new` keeps (22 ends bold and dim): send it again.
    for code in sorted(new.attrs, key=lambda code: int(code) if code.isdigit() else 999):
        if code not in old.attrs or code in ended:
            codes.append(code)
    if old.fg != new.fg:
        codes.append(new.fg or "39")
    if old.bg != new.bg:
        codes.append(new.bg or "49")
    delta = "\x1b[" + ";".join(codes) + "m"
    return delta if len(delta) < len(full) else full


def erasable(pen: Pen) -> bool:
    """Whether blanks in this pen look the same when erased (EL/ED) with it as the pen."""
    return pen.link is None and not (pen.attrs & VISIBLE_ON_BLANK) and pen.fg != "?"
