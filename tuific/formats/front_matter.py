"""Front matter of Markdown stories: YAML (`---`) or TOML (`+++`) into Metadata.

Front matter is untrusted. YAML is read with a SafeLoader that refuses
aliases (a "billion laughs" bomb is aliases all the way down) and only when it
is at most 64 KiB; a block that does not load as a mapping is read as plain
`key: value` lines, or left in the body when it has none.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

import yaml

from tuific.lazy_regex import lazy_compile
from tuific.metadata import LIST_FIELDS, apply_field, field_for, parse_int, parse_status
from tuific.model import Metadata
from tuific.text import clean_line, clean_text

MAX_FRONT_MATTER_CHARS = 64 * 1024
_MAX_LIST_ITEMS = 1000
_MAX_VALUE_CHARS = 20_000

_OPENING = lazy_compile(r"\A(---|\+\+\+)[ \t]*\n")
_CLOSING = {
    "---": lazy_compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE),
    "+++": lazy_compile(r"^\+\+\+[ \t]*$", re.MULTILINE),
}
_FALLBACK_LINE = {
    "---": lazy_compile(r"^([A-Za-z][\w '()/&.-]{0,40}?)\s*:\s*(.*)$"),
    "+++": lazy_compile(r"^([A-Za-z][\w '()/&.-]{0,40}?)\s*=\s*(.*)$"),
}


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: an alias bomb never gets expanded or walked."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not allowed in front matter")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[str | None, str, str]:
    """(fence, front matter block, body); fence is '---', '+++' or None."""
    opening = _OPENING.match(text)
    if not opening:
        return None, "", text
    fence = opening.group(1)
    window = text[opening.end() : opening.end() + MAX_FRONT_MATTER_CHARS + 8]
    closing = _CLOSING[fence].search(window)
    if not closing:
        return None, "", text
    block = window[: closing.start()]
    rest = text[opening.end() + closing.end() :]
    return fence, block, rest.removeprefix("\n")


def load_block(fence: str, block: str) -> dict[str, Any] | None:
    """The front matter as a mapping, or None when it is not one."""
    try:
        if fence == "+++":
            data: Any = tomllib.loads(block)
        else:
            data = yaml.load(block, Loader=_NoAliasLoader)  # a SafeLoader subclass
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError, ValueError, TypeError):
        data = None
    if isinstance(data, dict):
        return data
    # A value with a stray colon ("title: Dawn: A Story") breaks YAML; read the
    # block as plain `key: value` lines instead of losing it.
    pairs: dict[str, Any] = {}
    for line in block.split("\n"):
        match = _FALLBACK_LINE[fence].match(line)
        if match:
            pairs.setdefault(match.group(1), match.group(2).strip().strip("\"'"))
    return pairs or None


def _scalars(value: Any, depth: int = 0) -> list[str]:
    """A front-matter value as a flat list of strings (nested lists flattened)."""
    if value is None or depth > 3:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (str, int, float)):
        text = str(value)[:_MAX_VALUE_CHARS]
        return [text] if text.strip() else []
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return [value.isoformat()]
    if isinstance(value, (list, tuple)):
        items: list[str] = []
        for item in value[:_MAX_LIST_ITEMS]:
            items.extend(_scalars(item, depth + 1))
        return items[:_MAX_LIST_ITEMS]
    if isinstance(value, dict):
        return [
            f"{clean_line(str(k))}: {', '.join(_scalars(v, depth + 1))}"
            for k, v in list(value.items())[:_MAX_LIST_ITEMS]
        ]
    return []


def _series(meta: Metadata, value: Any) -> None:
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        name = next((lowered[k] for k in ("name", "title", "series") if k in lowered), None)
        number = next(
            (lowered[k] for k in ("index", "part", "number", "position") if k in lowered), None
        )
        names = _scalars(name)
        meta.series = clean_line(names[0]) if names else None
        if number is not None:
            meta.series_index = parse_int(str(number))
        return
    items = _scalars(value)
    if items:
        index = meta.series_index
        apply_field(meta, "series", items[0])
        if meta.series_index is None:
            meta.series_index = index


def apply_front_matter(meta: Metadata, data: dict[str, Any]) -> None:
    """File front-matter keys into `meta`: strings or lists, known keys or `extra`."""
    for raw_key, value in list(data.items())[:_MAX_LIST_ITEMS]:
        key = " ".join(str(raw_key).replace("_", " ").replace("-", " ").lower().split())
        if key == "series":
            _series(meta, value)
            continue
        if key in ("series index", "series part", "series number", "part"):
            meta.series_index = parse_int(" ".join(_scalars(value))) or meta.series_index
            continue
        if key in ("complete", "completed", "finished", "wip") and isinstance(value, bool):
            done = not value if key == "wip" else value
            meta.status = "complete" if done else "in-progress"
            continue
        items = _scalars(value)
        if not items:
            continue
        name = field_for(key) or field_for(str(raw_key))
        if name is None:
            label = clean_line(str(raw_key))
            if label:
                meta.extra[label] = clean_text(", ".join(items)).strip()
        elif name in LIST_FIELDS and isinstance(value, (list, tuple)):
            # An explicit list item is one tag even when it holds a comma.
            getattr(meta, name).extend(item for item in map(clean_line, items) if item)
        elif name in ("summary", "notes"):
            apply_field(meta, key, "\n\n".join(items))
        elif name == "status" and parse_status(items[0]) is None:
            meta.extra[clean_line(str(raw_key))] = clean_line(items[0])
        else:
            apply_field(meta, key, ", ".join(items))
