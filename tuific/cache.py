"""The disposable metadata cache: what a library scan learnt, so the next start is fast.

One JSON file per library in `paths.cache_dir()`, named by a hash of the library's
resolved path. Deleting it only costs a rescan. Each entry is keyed by the file's path
relative to the library plus its size and mtime_ns: a file whose size or mtime changed
is parsed again. It holds everything `Story.record()` needs (metadata, counted words,
chapter titles and paragraph indices, format) and the fingerprint, never paragraphs;
and the files that could not be parsed, so a broken file is not re-parsed every start.

Why it is built the way it is:
- JSON, never pickle or marshal: the cache folder may be writable by someone else, and
  loading it must not run their code. One document of compact positional lists, not a
  dict per story, because `json.loads` of lists is several times faster.
- The whole file is ignored when it was written by another tuific version, another
  cache format, another set of readers or another shape of `Metadata` (a release that
  parses differently rebuilds it), and when it is not what we wrote: bad JSON, wrong
  types, or characters `clean_text` removes. Nothing here ever raises to the caller.
- Written by temp file + `os.replace`, so a reader sees the old or the new file, never
  half. Not fsynced: losing the cache in a power cut costs a rescan, nothing more.
- Strings in a tampered cache could carry terminal escapes that `clean_text` would
  have removed, so the raw text is checked once for any character or JSON escape that
  cleaned text cannot contain (one regex pass, much cheaper than cleaning every field).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import re
import tempfile
from itertools import chain
from pathlib import Path
from typing import Any

from tuific import __version__, paths
from tuific.formats import READER_NAMES, StoryError, read_file_bytes
from tuific.model import Chapter, Metadata, Story

CACHE_FORMAT = 1
# A cache larger than this is not read (10,000 stories take about 10-20 MB).
MAX_CACHE_BYTES = 512 * 1024 * 1024

_META_FIELDS = dataclasses.fields(Metadata)

# Cleaned text never holds C0 controls other than \n and \t, DEL, C1 controls or bidi
# overrides. json.dumps(ensure_ascii=False) writes \n and \t as short escapes, every
# other character < 0x20 as \u00XX and everything else raw, so our own file holds none
# of these characters raw and no \u, \b, \f or \r escape.
#
# The check runs on the UTF-8 bytes, before decoding (which rejects invalid UTF-8
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


def _unclean(data: bytes) -> bool:
    """Does this JSON (UTF-8 bytes) hold a character clean_text would have removed,
    raw (DEL, C1, bidi) or as a \\u, \\b, \\f or \\r escape?"""
    if b"\x7f" in data:
        return True
    for lead, pattern in _UNCLEAN_BYTES:
        if lead in data and pattern.search(data):
            return True
    if b"\\" in data:
        # Matches are forbidden escapes or escaped backslashes, which are rare.
        for match in _ESCAPE.finditer(data):
            if match[0] != b"\\\\":
                return True
    return False


def _loads(text: str) -> Any:
    """json.loads with the cyclic GC paused: the hundreds of thousands of lists and
    strings it allocates otherwise trigger collections that more than double the time
    (JSON cannot make cycles, so there is nothing for them to find)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    finally:
        if was_enabled:
            gc.enable()


def _signature() -> str:
    """What the entries depend on besides the files: changes here rebuild the cache."""
    readers = ",".join(READER_NAMES)
    shape = ",".join(f"{f.name}:{f.type}" for f in _META_FIELDS)
    return f"{CACHE_FORMAT}|{__version__}|{readers}|{shape}"


def cache_file_for(root: str | os.PathLike[str]) -> Path:
    """The cache file of the library at `root` (which need not exist)."""
    resolved = str(Path(root).expanduser().resolve())
    digest = hashlib.blake2b(resolved.encode("utf-8", "surrogateescape"), digest_size=16)
    return paths.cache_dir() / f"library-{digest.hexdigest()}.json"


# ------------------------------------------------------------ entry encoding
#
# A story entry is [rel, size, mtime_ns, format, words, fingerprint, chapters, *meta]
# with chapters as [[title, paragraph], ...] and meta in `Metadata` field order.
# A skipped entry is [rel, size, mtime_ns, reason].

_STORY_HEAD = 7  # items before the metadata


def _encode_story(rel: str, size: int, mtime_ns: int, story: Story) -> list[Any]:
    meta = story.meta
    return [
        rel,
        size,
        mtime_ns,
        story.format,
        story.words,
        story.fingerprint,
        [[chapter.title, chapter.paragraph] for chapter in story.chapters],
        *(getattr(meta, f.name) for f in _META_FIELDS),
    ]


# Metadata fields checked in bulk at C speed (a Python test per field costs more than
# the JSON parse): one isinstance per field through map, then one "".join over every
# list item, which raises TypeError on any item that is not a str.
_NONE = type(None)
_KINDS: dict[str, Any] = {
    "str": str,
    "str | None": (str, _NONE),
    "Status | None": (str, _NONE),
    "int | None": (int, _NONE),
    "list[str]": list,
    "dict[str, str]": dict,
}
_TYPES = tuple(_KINDS.get(str(f.type)) for f in _META_FIELDS)
# A Metadata field of a type this module does not know: never trust an entry.
_TRUSTED = None not in _TYPES
_LIST_AT = [i for i, kind in enumerate(_TYPES) if kind is list]
_DICT_AT = [i for i, kind in enumerate(_TYPES) if kind is dict]
_STATUSES = (None, "complete", "in-progress")
_STATUS_AT = [i for i, f in enumerate(_META_FIELDS) if f.name == "status"]


def _decode_story(raw: list[Any], path: str) -> Story | None:
    """The Story an entry describes, or None when the entry is malformed."""
    try:
        if not _TRUSTED or len(raw) != _STORY_HEAD + len(_META_FIELDS):
            return None
        fmt, words, fingerprint, chapters = raw[3], raw[4], raw[5], raw[6]
        if type(fmt) is not str or type(words) is not int or words < 0:
            return None
        if fingerprint is not None and type(fingerprint) is not str:
            return None
        if type(chapters) is not list:
            return None
        parts = []
        for item in chapters:
            title, paragraph = item  # ValueError/TypeError unless a pair
            if type(title) is not str or type(paragraph) is not int or paragraph < 0:
                return None
            parts.append(Chapter(title, paragraph))
        values = raw[_STORY_HEAD:]
        if not all(map(isinstance, values, _TYPES)):
            return None
        "".join(chain.from_iterable(map(values.__getitem__, _LIST_AT)))
        for at in _DICT_AT:
            "".join(values[at])
            "".join(values[at].values())
        for at in _STATUS_AT:
            if values[at] not in _STATUSES:
                return None
        meta = Metadata(*values)
    except (TypeError, ValueError):
        return None
    return Story(path, fmt, meta, words, parts, None, fingerprint)


def _valid_skipped(raw: Any) -> bool:
    return (
        type(raw) is list
        and len(raw) == 4
        and type(raw[0]) is str
        and type(raw[1]) is int
        and type(raw[2]) is int
        and type(raw[3]) is str
    )


def _valid_story_key(raw: Any) -> bool:
    # Only the key is checked at load; the rest when the entry is used.
    return (
        type(raw) is list
        and len(raw) > 3
        and type(raw[0]) is str
        and type(raw[1]) is int
        and type(raw[2]) is int
    )


# ------------------------------------------------------------------ the cache


class MetadataCache:
    """The cache of one library. Not thread-safe: use it from one scan at a time.

    `lookup`, `store` and `forget` take the story's path as the scan spells it
    (the library root joined with the relative path); the file holds relative paths.
    """

    def __init__(self, root: str | os.PathLike[str], file: Path | None = None) -> None:
        self.root = Path(root)
        self.file = file if file is not None else cache_file_for(root)
        root_text = str(self.root)
        if root_text == ".":
            self._prefix = ""
        elif root_text.endswith(os.sep):
            self._prefix = root_text
        else:
            self._prefix = root_text + os.sep
        self._stories: dict[str, list[Any]] = {}
        self._skipped: dict[str, list[Any]] = {}
        self.loaded = False
        self.dirty = False

    def __len__(self) -> int:
        return len(self._stories) + len(self._skipped)

    def relative(self, path: str) -> str:
        if path.startswith(self._prefix):
            return path[len(self._prefix) :]
        return os.path.relpath(path, self.root)

    # -- reading ---------------------------------------------------------------

    def load(self) -> None:
        """Read the cache file; anything wrong with it leaves the cache empty."""
        self.loaded = True
        self._stories, self._skipped = {}, {}
        try:
            data = read_file_bytes(self.file, MAX_CACHE_BYTES)
        except StoryError:  # missing, unreadable, not a regular file, too large
            return
        try:
            if _unclean(data):
                raise ValueError("characters cleaned text cannot hold")
            text = data.decode("utf-8")
            document = _loads(text)
            if type(document) is not dict or document.get("signature") != _signature():
                raise ValueError("another tuific or cache format")
            stories, skipped = document["stories"], document["skipped"]
            if type(stories) is not list or type(skipped) is not list:
                raise ValueError("wrong shape")
            if not all(map(_valid_story_key, stories)):
                raise ValueError("bad story entry")
            if not all(map(_valid_skipped, skipped)):
                raise ValueError("bad skipped entry")
        except (ValueError, KeyError, TypeError, RecursionError, MemoryError):
            # Rebuilt by the scan; dirty so the bad file is replaced even if nothing
            # else changes.
            self.dirty = True
            return
        self._stories = {raw[0]: raw for raw in stories}
        self._skipped = {raw[0]: raw for raw in skipped}

    def lookup(self, path: str, size: int, mtime_ns: int) -> Story | str | None:
        """The cached Story for this file, the reason for a cached failure, or None.

        None when the file is not cached or its size or mtime changed.
        """
        if not self.loaded:
            self.load()
        rel = self.relative(path)
        raw = self._stories.get(rel)
        if raw is not None and raw[1] == size and raw[2] == mtime_ns:
            story = _decode_story(raw, path)
            if story is None:  # malformed entry: parse the file again
                self.forget(path)
            return story
        raw = self._skipped.get(rel)
        if raw is not None and raw[1] == size and raw[2] == mtime_ns:
            return raw[3]
        return None

    def snapshot(self) -> tuple[list[Story | tuple[str, str]], dict[str, tuple[int, int]]]:
        """Everything the cache holds, unverified: stories, (path, reason) for
        cached failures, and each path's (size, mtime_ns).

        For showing a library at once and then checking it against the disk with
        `library.rescan(root, stamps, cache)`, which finds what changed meanwhile.
        """
        if not self.loaded:
            self.load()
        found: list[Story | tuple[str, str]] = []
        stamps: dict[str, tuple[int, int]] = {}
        for rel, raw in list(self._stories.items()):
            path = self._prefix + rel
            story = _decode_story(raw, path)
            if story is None:
                self.forget(path)  # malformed: the check against the disk reparses it
                continue
            found.append(story)
            stamps[path] = (raw[1], raw[2])
        for rel, raw in self._skipped.items():
            path = self._prefix + rel
            found.append((path, raw[3]))
            stamps[path] = (raw[1], raw[2])
        return found, stamps

    # -- writing ---------------------------------------------------------------

    def store(self, path: str, size: int, mtime_ns: int, story: Story) -> None:
        rel = self.relative(path)
        self._skipped.pop(rel, None)
        self._stories[rel] = _encode_story(rel, size, mtime_ns, story)
        self.dirty = True

    def store_failure(self, path: str, size: int, mtime_ns: int, reason: str) -> None:
        rel = self.relative(path)
        self._stories.pop(rel, None)
        self._skipped[rel] = [rel, size, mtime_ns, reason]
        self.dirty = True

    def forget(self, path: str) -> None:
        rel = self.relative(path)
        if self._stories.pop(rel, None) is not None or self._skipped.pop(rel, None):
            self.dirty = True

    def retain(self, keep: set[str]) -> None:
        """Drop every entry whose path (as the scan spells it) is not in `keep`."""
        kept = {self.relative(path) for path in keep}
        for entries in (self._stories, self._skipped):
            gone = [rel for rel in entries if rel not in kept]
            for rel in gone:
                del entries[rel]
            if gone:
                self.dirty = True

    def save(self) -> bool:
        """Write the cache if it changed; False (and no exception) when it cannot."""
        if not self.dirty:
            return True
        document = {
            "signature": _signature(),
            "root": str(self.root),
            "stories": list(self._stories.values()),
            "skipped": list(self._skipped.values()),
        }
        # "replace": a lone surrogate (possible only in odd input) must not stop the
        # write; the entry then reads back with "?" in its place.
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        encoded = data.encode("utf-8", "replace")
        temp = None
        try:
            # Private: the cache lists the titles and authors of what the user reads.
            self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temp = tempfile.mkstemp(
                dir=self.file.parent, prefix=self.file.name + ".", suffix=".tmp"
            )
            with os.fdopen(fd, "wb") as handle:
                handle.write(encoded)
            os.replace(temp, self.file)
            temp = None
        except OSError:
            return False
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
        self.dirty = False
        return True
