"""Reading the state file's TOML into records (keeping whatever cannot be read) and
writing records back as TOML."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tuific.config import LINE_WIDTH_RANGE, PARAGRAPH_SPACING_RANGE
from tuific.hashing import blake2b

from .records import (
    FORMAT,
    Bookmark,
    Pace,
    StoryState,
    _Doc,
    _key_in,
    _key_out,
)
from .status import SHELVES

# ---------------------------------------------------------------- parsing


class _Invalid(Exception):
    pass


def _count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _Invalid


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _Invalid


def _shelf(value: Any) -> str:
    if value in SHELVES:
        return value
    raise _Invalid


def _fraction(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    raise _Invalid


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):  # a hand-edited, unquoted TOML date-time
        return value.isoformat()
    raise _Invalid


def _parse_bookmark(raw: Any) -> Bookmark:
    if not isinstance(raw, dict):
        raise _Invalid
    bookmark = Bookmark(
        id=_text(raw.get("id", "")),
        paragraph=_count(raw.get("paragraph", 0)),
        offset=_count(raw.get("offset", 0)),
        name=_text(raw.get("name", "")),
        created=_text(raw.get("created", "")),
    )
    if not bookmark.id:
        # Hand-written, without an id. Derive one from the bookmark itself, so every
        # session reading this file gives it the same id and merges do not double it.
        seed = repr((bookmark.paragraph, bookmark.offset, bookmark.name, bookmark.created))
        bookmark.id = blake2b(seed.encode(), digest_size=6).hexdigest()
    return bookmark


def _parse_story(raw: dict[str, Any]) -> tuple[StoryState, bool]:
    """Salvage every readable field; the flag says whether anything was not."""
    entry = StoryState()
    clean = True

    def take(name: str, convert: Any) -> Any:
        nonlocal clean
        try:
            return convert(raw[name])
        except _Invalid:
            clean = False
            return None

    for name in raw:
        if name in ("paragraph", "offset"):
            value = take(name, _count)
            if value is not None:
                entry.position = entry.position._replace(**{name: value})
        elif name in ("finished", "favourite", "notes_open"):
            value = take(name, _flag)
            if value is not None:
                setattr(entry, name, value)
        elif name in (
            "last_opened",
            "fingerprint",
            "work",
            "updated",
            "flags_updated",
            "bookmarks_updated",
        ):
            value = take(name, _text)
            if value is not None:
                setattr(entry, name, value)
        elif name == "words":
            entry.words = take(name, _count)
        elif name == "paragraphs":
            entry.paragraphs = take(name, _count)
        elif name == "chapters":
            entry.chapters = take(name, _count)
        elif name == "progress":
            entry.progress = take(name, _fraction)
        elif name == "shelf":
            entry.shelf = take(name, _shelf)
        elif name == "bookmarks":
            items = raw[name] if isinstance(raw[name], list) else None
            if items is None:
                clean = False
                continue
            for item in items:
                try:
                    entry.bookmarks.append(_parse_bookmark(item))
                except _Invalid:
                    clean = False
        elif name == "deleted_bookmarks":
            items = raw[name]
            if isinstance(items, list) and all(isinstance(i, str) for i in items):
                entry.deleted_bookmarks = set(items)
            else:
                clean = False
        else:
            entry.extra[name] = raw[name]
    entry.bookmarks = _live_bookmarks(entry.bookmarks, entry.deleted_bookmarks)
    return entry, clean


def _live_bookmarks(bookmarks: list[Bookmark], deleted: set[str]) -> list[Bookmark]:
    unique = {b.id: b for b in bookmarks if b.id not in deleted}
    return sorted(unique.values(), key=lambda b: (b.paragraph, b.offset, b.created))


def _keep_unparsed(doc: _Doc, section: str, key: str, value: Any) -> None:
    """File `value` under [unparsed.section] without overwriting an earlier original."""
    table = doc.unparsed.setdefault(section, {})
    if not isinstance(table, dict):  # a hand-edited [unparsed] of the wrong shape
        table = doc.unparsed[section] = {"earlier": table}
    name, n = key, 1
    while name in table and table[name] != value:
        n += 1
        name = f"{key} ({n})"
    table[name] = value


def _whole(value: Any, bounds: tuple[int, int]) -> bool:
    return type(value) is int and bounds[0] <= value <= bounds[1]


# What each preference must be: a wrong type or a value out of range (a line width
# of "abc", inf or -100) would crash every start or make the reader unusable.
_PREF_CHECKS: dict[str, Callable[[Any], bool]] = {
    "line_width": lambda value: _whole(value, LINE_WIDTH_RANGE),
    "paragraph_spacing": lambda value: _whole(value, PARAGRAPH_SPACING_RANGE),
    "justify": lambda value: type(value) is bool,
    "sort_reverse": lambda value: type(value) is bool,
    "sort": lambda value: isinstance(value, str) and 0 < len(value) < 64,
    "theme": lambda value: isinstance(value, str) and 0 < len(value) < 256,
    "theme_16": lambda value: isinstance(value, str) and 0 < len(value) < 256,
}


def _pref_ok(name: str, value: Any) -> bool:
    """Is `value` usable for the preference `name`? (Unknown names: from a newer
    tuific, kept as they are.)"""
    check = _PREF_CHECKS.get(name)
    return check is None or check(value)


def _parse(raw: dict[str, Any]) -> tuple[_Doc, int]:
    """Parse a decoded TOML document; returns it and the count of odd entries."""
    doc = _Doc()
    odd = 0
    # First, so the odd values found below are added to it rather than replaced by it.
    if "unparsed" in raw:
        value = raw["unparsed"]
        doc.unparsed = value if isinstance(value, dict) else {"earlier": value}
    for name, value in raw.items():
        try:
            if name in ("format", "unparsed"):
                continue
            if name == "stories":
                if not isinstance(value, dict):
                    raise _Invalid
                for key, entry_raw in value.items():
                    key = _key_in(key)
                    if not isinstance(entry_raw, dict):
                        _keep_unparsed(doc, "stories", key, entry_raw)
                        odd += 1
                        continue
                    entry, clean = _parse_story(entry_raw)
                    if not clean:
                        _keep_unparsed(doc, "stories", key, entry_raw)
                        odd += 1
                    doc.stories[key] = entry
            elif name == "removed":
                if not isinstance(value, dict):
                    raise _Invalid
                for key, stamp in value.items():
                    if isinstance(stamp, str):
                        doc.removed[_key_in(key)] = stamp
                    else:
                        _keep_unparsed(doc, "removed", key, stamp)
                        odd += 1
            elif name == "last_story":
                if not isinstance(value, dict) or not isinstance(value.get("key"), str):
                    raise _Invalid
                doc.last_story = _key_in(value["key"])
                doc.last_story_updated = _text(value.get("updated", ""))
            elif name == "pace":
                if not isinstance(value, dict):
                    raise _Invalid
                wpm = value.get("words_per_minute", 0.0)
                if isinstance(wpm, bool) or not isinstance(wpm, int | float) or wpm < 0:
                    raise _Invalid
                doc.pace = Pace(
                    float(wpm), _count(value.get("samples", 0)), _text(value.get("updated", ""))
                )
            elif name == "prefs":
                if not isinstance(value, dict):
                    raise _Invalid
                for pref, setting in value.items():
                    if _pref_ok(pref, setting):
                        doc.prefs[pref] = setting
                    else:  # its default applies; the original is kept, reported once
                        _keep_unparsed(doc, "prefs", pref, setting)
                        odd += 1
            elif name == "prefs_updated":
                if not isinstance(value, dict):
                    raise _Invalid
                doc.prefs_updated = {k: v for k, v in value.items() if isinstance(v, str)}
            else:
                doc.extra[name] = value  # from a newer tuific: keep it as it is
        except (_Invalid, KeyError):
            _keep_unparsed(doc, "top", name, value)
            odd += 1
    return doc, odd


def _dump(doc: _Doc) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT}
    out.update(doc.extra)
    if doc.last_story is not None:
        out["last_story"] = {"key": _key_out(doc.last_story), "updated": doc.last_story_updated}
    if doc.pace.samples:
        out["pace"] = {
            "words_per_minute": round(doc.pace.words_per_minute, 2),
            "samples": doc.pace.samples,
            "updated": doc.pace.updated,
        }
    if doc.prefs:
        out["prefs"] = dict(doc.prefs)
        out["prefs_updated"] = dict(doc.prefs_updated)
    stories: dict[str, Any] = {}
    for key, entry in doc.stories.items():
        table: dict[str, Any] = dict(entry.extra)
        table["paragraph"] = entry.position.paragraph
        table["offset"] = entry.position.offset
        if entry.last_opened is not None:
            table["last_opened"] = entry.last_opened
        # Flags only when set: most entries have neither, and a big file parses slowly.
        if entry.finished:
            table["finished"] = True
        if entry.favourite:
            table["favourite"] = True
        if entry.fingerprint is not None:
            table["fingerprint"] = entry.fingerprint
        if entry.work is not None:
            table["work"] = entry.work
        if entry.words is not None:
            table["words"] = entry.words
        if entry.paragraphs is not None:
            table["paragraphs"] = entry.paragraphs
        if entry.chapters is not None:
            table["chapters"] = entry.chapters
        if entry.progress is not None:
            table["progress"] = entry.progress
        if entry.shelf:
            table["shelf"] = entry.shelf
        if entry.notes_open:
            table["notes_open"] = True
        table["updated"] = entry.updated
        if entry.flags_updated:
            table["flags_updated"] = entry.flags_updated
        if entry.bookmarks_updated:
            table["bookmarks_updated"] = entry.bookmarks_updated
        if entry.deleted_bookmarks:
            table["deleted_bookmarks"] = sorted(entry.deleted_bookmarks)
        if entry.bookmarks:
            table["bookmarks"] = [
                {
                    "id": b.id,
                    "paragraph": b.paragraph,
                    "offset": b.offset,
                    "name": b.name,
                    "created": b.created,
                }
                for b in entry.bookmarks
            ]
        stories[_key_out(key)] = table
    if stories:
        out["stories"] = stories
    if doc.removed:
        out["removed"] = {_key_out(k): v for k, v in doc.removed.items()}
    if doc.unparsed:
        out["unparsed"] = doc.unparsed
    return out


def _encode(document: dict[str, Any]) -> bytes:
    # "replace" is a last resort so the file is always valid UTF-8; keys, the only
    # strings that may carry surrogates, are already escaped by _key_out.
    import tomli_w  # here: only a save needs it, and start-up does not save

    return tomli_w.dumps(document).encode("utf-8", "replace")
