"""`MetadataCache`: one library's cache file read (listed or loaded) and written,
and its entries looked up, stored and forgotten by the scan."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from tuific.cache.clean import _UNSTORABLE, _unclean
from tuific.cache.columns import CachedStories
from tuific.cache.encode import _encode_rows, _storable
from tuific.cache.head import read_head
from tuific.cache.layout import _TEXT_COLUMNS, _TRUSTED, _Malformed, _signature
from tuific.cache.patch import sorted_index
from tuific.model import Story
from tuific.paths import MAX_CACHE_BYTES, cache_file_for
from tuific.readahead import ReadAhead
from tuific.startup_tricks import with_gc_paused
from tuific.state.disk import remove_stale_temp_files, write_atomic


def _valid_skipped(raw: Any) -> bool:
    return (
        type(raw) is list
        and len(raw) == 4
        and type(raw[0]) is str
        and type(raw[1]) is int
        and type(raw[2]) is int
        and type(raw[3]) is str
    )


def _detached(story: Story, path: str) -> Story:
    """A Story of its own at `path`, without paragraphs, so that the cache and its
    callers can change a path or chapter list apart (Metadata is shared, as it
    always was)."""
    return Story(
        path, story.format, story.meta, story.words, list(story.chapters), None, story.fingerprint
    )


def _laid_out(
    front: bytes,
    size: int,
    whole: Callable[[], bytes | None],
    head_end: int,
    sizes: dict[str, int],
) -> tuple[bytes, dict[str, tuple[int, int]], tuple[int, int]]:
    """The whole file, where each text column lies in it and where its numbers line
    does; _Malformed when it is not the file whose `front` was decoded, or the text
    section is not as long as the header says."""
    data = whole()
    # (`data is front`: a file in memory, decoded whole: no 72 MB compared with itself.)
    if data is None or len(data) != size or not (data is front or data.startswith(front)):
        raise _Malformed("the file changed while it was read")
    numbers_end = data.find(b"\n", head_end + 1)
    if numbers_end < 0:
        raise _Malformed("no numbers line")
    # Each text column is decoded on its own when first read, so an ASCII one stays
    # ASCII (cheap to decode, fold and split) whatever the others hold.
    at, spans = numbers_end + 1, {}
    for name, column_size in sizes.items():
        spans[name] = (at, at + column_size)
        at += column_size
    if at != len(data):
        raise _Malformed("text section of the wrong length")
    return data, spans, (head_end + 1, numbers_end)  # the numbers line, not copied


# ------------------------------------------------------------------ the cache

_Row = tuple[int, int, Story]  # size, mtime_ns, the story (its path is not used)


class MetadataCache:
    """The cache of one library. Not thread-safe: use it from one scan at a time.

    `lookup`, `store` and `forget` take the story's path as the scan spells it
    (the library root joined with the relative path); the file holds relative paths.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        file: Path | None = None,
        read_ahead: ReadAhead | None = None,
    ) -> None:
        self.root = Path(root)
        self.file = file if file is not None else cache_file_for(root)
        # The file, being read on another thread since start-up (cli.run_app).
        self._read_ahead = read_ahead if read_ahead and read_ahead.file == self.file else None
        root_text = str(self.root)
        if root_text == ".":
            self._prefix = ""
        elif root_text.endswith(os.sep):
            self._prefix = root_text
        else:
            self._prefix = root_text + os.sep
        self._stories: dict[str, _Row] = {}
        self._skipped: dict[str, list[Any]] = {}
        # A check against the disk changes a few entries of a verified file, most
        # often: they are kept beside its columns (`_base`) as rel -> row or None
        # (gone), and the file is written from both (patch.py), no story built.
        self._base: CachedStories | None = None
        self._changed: dict[str, _Row | None] = {}
        self._listed: CachedStories | None = None  # the file as `listed()` read it
        self._listed_skipped: list[list[Any]] = []
        self.read = False  # the file has been read (by `listed` or `load`)
        self.loaded = False
        self.dirty = False

    def __len__(self) -> int:
        if self._base is None:
            return len(self._stories) + len(self._skipped)
        added = sum((row is not None) - self._in_base(rel) for rel, row in self._changed.items())
        return len(self._base) + added + len(self._skipped)

    def relative(self, path: str) -> str:
        if path.startswith(self._prefix):
            return path[len(self._prefix) :]
        return os.path.relpath(path, self.root)

    # -- reading ---------------------------------------------------------------

    def listed(
        self, verify: bool = True
    ) -> tuple[CachedStories, list[tuple[str, int, int, str]]] | None:
        """The stories the file holds, not yet built (nor checked against the disk),
        and (path, size, mtime_ns, reason) for its cached failures; None when there
        is no usable file.

        For showing a library at once, then checking it against the disk with
        `library.rescan(root, listed.stamps(), cache)`. Reads the file once: a
        later `load` builds its entries from the same columns. verify=False: the
        file's columns are checked later (`CachedStories.verify`, before any but
        the first screen's stories are read), and may then turn out broken."""
        if not self.read:
            self._read_file()
        if self._listed is not None and verify and not self._listed.verify():
            self._forget_broken()
        if self._listed is None:
            return None
        failures = [(self._prefix + rel, size, mtime, reason)
                    for rel, size, mtime, reason in self._listed_skipped]
        return self._listed, failures

    def load(self) -> None:
        """Fill the cache from the file; anything wrong with it leaves it empty."""
        if not self.read:
            self._read_file()
        self.loaded = True
        listed = self._listed
        if listed is not None and not listed.verify():
            self._forget_broken()
            listed = None
        if listed is None:
            return
        stories = with_gc_paused(listed.stories)
        rows = zip(listed.values("size"), listed.values("mtime_ns"), stories, strict=True)
        self._stories = dict(zip(listed.values("rel"), rows, strict=True))
        if self._base is None:
            self._skipped = {raw[0]: raw for raw in self._listed_skipped}
        # The changes kept beside the columns, built in.
        changed, self._base, self._changed = self._changed, None, {}
        for rel, row in changed.items():
            if row is None:
                self._stories.pop(rel, None)
            else:
                self._stories[rel] = row

    def _forget_broken(self) -> None:
        # Rebuilt by the scan; dirty so the bad file is replaced even if nothing
        # else changes.
        self._listed, self._listed_skipped = None, []
        self.dirty = True

    def _read_file(self) -> None:
        self.read = True
        # The front now, the rest for the check (readahead.py); started here when
        # start-up did not start it.
        ahead = self._read_ahead or ReadAhead(self.file, MAX_CACHE_BYTES)
        self._read_ahead = None
        front, size = ahead.front()
        if front is None:  # missing, unreadable, not a regular file, too large
            return
        try:
            decoded = with_gc_paused(self._decode_front, front, size, ahead.result)
            self._listed, self._listed_skipped = decoded
        except (ValueError, KeyError, TypeError, RecursionError, MemoryError):
            # Rebuilt by the scan; dirty so the bad file is replaced even if nothing
            # else changes.
            self.dirty = True

    def _decode(self, data: bytes) -> tuple[CachedStories, list[list[Any]]]:
        """The stories and failures of a whole file's bytes (see `_decode_front`)."""
        return self._decode_front(data, len(data), lambda: data)

    def _decode_front(
        self, front: bytes, size: int, whole: Callable[[], bytes | None]
    ) -> tuple[CachedStories, list[list[Any]]]:
        """The file's stories and failures from its `front` (its first bytes, of
        `size`); raises ValueError (or KeyError or TypeError) when they are not what
        `save` writes. The rest of the file, `whole()`, is laid out and checked when
        the stories are verified (`_laid_out`)."""
        if not _TRUSTED:
            raise _Malformed("a Metadata field of an unknown type")
        end = front.find(b"\n")
        head_end = front.find(b"\n", end + 1) if end >= 0 else -1
        if head_end < 0 and len(front) < size:
            # A header and head longer than the read-ahead's front: wait for the rest.
            front = whole() or b""
            end = front.find(b"\n")
            head_end = front.find(b"\n", end + 1) if end >= 0 else -1
        if end < 0:
            raise _Malformed("no header")
        # The text section's check covers the header too, which holds no raw control
        # (json.loads refuses them) and is checked as JSON besides.
        head = front[:end]
        if _unclean(head):
            raise _Malformed("characters cleaned text cannot hold")
        header = json.loads(head.decode("utf-8"))
        if type(header) is not dict or header.get("signature") != _signature():
            raise _Malformed("another tuific or cache format")
        count, skipped, layout = header["count"], header["skipped"], header["texts"]
        if type(count) is not int or count < 0 or type(layout) is not list:
            raise _Malformed("wrong shape")
        # Every story takes at least a byte in each column (a separator), so a count
        # beyond the file's size is a lie; checked before anything is made per story.
        if count > size:
            raise _Malformed("more stories than bytes")
        if type(skipped) is not list or not all(map(_valid_skipped, skipped)):
            raise _Malformed("bad skipped entry")
        # The second line: the head (format 5), checked as the header is; the third:
        # the numbers and masks, read by CachedStories.verify.
        if head_end < 0:
            raise _Malformed("no head")
        head_line = front[end + 1 : head_end]
        if _unclean(head_line):
            raise _Malformed("characters cleaned text cannot hold")
        sizes: dict[str, int] = {}
        for name, column_size in layout:
            if type(name) is not str or type(column_size) is not int or column_size < 0:
                raise _Malformed("a bad text column")
            sizes[name] = column_size
        # Each column holds a separator between every two stories: a count the columns
        # cannot hold is refused before anything is made per story.
        if len(sizes) != len(layout) or set(sizes) != _TEXT_COLUMNS:
            raise _Malformed("unknown or missing columns")
        if any(column_size < count - 1 for column_size in sizes.values()):
            raise _Malformed("columns too short for the stories")
        # The columns are checked by CachedStories.verify: before anything is read
        # from them, but not before the list's first screen (read from the head).
        first_screen = read_head(json.loads(head_line.decode("utf-8")), count)
        laid_out = partial(_laid_out, front, size, whole, head_end, sizes)
        stories = CachedStories(header, laid_out, count, self._prefix, first_screen)
        return stories, skipped

    def lookup(self, path: str, size: int, mtime_ns: int) -> Story | str | None:
        """The cached Story for this file, the reason for a cached failure, or None.

        None when the file is not cached or its size or mtime changed.
        """
        self._load_once()
        rel = self.relative(path)
        row = self._row(rel)
        if row is not None and row[0] == size and row[1] == mtime_ns:
            return _detached(row[2], path)
        raw = self._skipped.get(rel)
        if raw is not None and raw[1] == size and raw[2] == mtime_ns:
            return raw[3]
        return None

    def _load_once(self) -> None:
        # Entries are built from the file when first needed: a library checked
        # against the disk and found unchanged never builds them, and one found with
        # a few changes keeps them beside the file's columns.
        if self.loaded:
            return
        if not self.read:
            self._read_file()
        if self._listed is not None and self._listed.verify():
            self.loaded, self._base = True, self._listed
            self._skipped = {raw[0]: raw for raw in self._listed_skipped}
        else:
            self.load()

    def _in_base(self, rel: str) -> bool:
        return self._base is not None and sorted_index(self._base.values("rel"), rel) is not None

    def _row(self, rel: str) -> _Row | None:
        """The entry of the story at `rel`, if there is one."""
        base = self._base
        if base is None:
            return self._stories.get(rel)
        if rel in self._changed:
            return self._changed[rel]
        index = sorted_index(base.values("rel"), rel)
        if index is None:
            return None
        return base.value("size", index), base.value("mtime_ns", index), base.story(index)

    def _has_row(self, rel: str) -> bool:
        if self._base is None:
            return rel in self._stories
        return self._changed[rel] is not None if rel in self._changed else self._in_base(rel)

    def _set_row(self, rel: str, row: _Row | None) -> bool:
        """Store (or with None, drop) the story at `rel`; False: none to drop."""
        if row is None and not self._has_row(rel):
            return False
        if self._base is not None:
            self._changed[rel] = row
        elif row is None:
            del self._stories[rel]
        else:
            self._stories[rel] = row
        return True

    def _rels(self) -> list[str]:
        """The paths of every story entry."""
        if self._base is None:
            return list(self._stories)
        changed = self._changed
        rels = [rel for rel in self._base.values("rel") if rel not in changed]
        return rels + [rel for rel, row in changed.items() if row is not None]

    def store(self, path: str, size: int, mtime_ns: int, story: Story) -> None:
        self._load_once()
        rel = self.relative(path)
        self._skipped.pop(rel, None)
        self._set_row(rel, (size, mtime_ns, _detached(story, self._prefix + rel)))
        self.dirty = True

    def store_failure(self, path: str, size: int, mtime_ns: int, reason: str) -> None:
        self._load_once()
        rel = self.relative(path)
        self._set_row(rel, None)
        self._skipped[rel] = [rel, size, mtime_ns, reason]
        self.dirty = True

    def forget(self, path: str) -> None:
        self._load_once()
        rel = self.relative(path)
        if self._set_row(rel, None):
            self.dirty = True
        elif self._skipped.pop(rel, None):
            self.dirty = True

    def retain(self, keep: set[str]) -> None:
        """Drop every entry whose path (as the scan spells it) is not in `keep`."""
        self._load_once()
        kept = {self.relative(path) for path in keep}
        for rel in [rel for rel in self._rels() if rel not in kept]:
            self._set_row(rel, None)
            self.dirty = True
        gone = [rel for rel in self._skipped if rel not in kept]
        for rel in gone:
            del self._skipped[rel]
        if gone:
            self.dirty = True

    def _encode(self) -> bytes | None:
        """The file: header line and text section (see "column encoding" in layout.py)."""
        if self._base is not None:
            from tuific.cache.patch import patched_file

            skipped = list(self._skipped.values())
            patched = patched_file(self.root, self._base, self._changed, skipped)
            if patched is not None:
                return patched
            self.load()  # every story built, the changes with them
        # In path order: the list's title sort is then a plain stable sort.
        rows = [(rel, *row) for rel, row in sorted(self._stories.items())]
        skipped = list(self._skipped.values())
        data = _encode_rows(self.root, rows, skipped)
        if data is None:
            # Odd input somewhere (rare): leave out each entry the load would refuse,
            # found story by story, which is slower than the check of the whole file.
            rows = [row for row in rows if _storable(*row)]
            skipped = [raw for raw in skipped if not _UNSTORABLE.search(raw[0] + raw[3])]
            data = _encode_rows(self.root, rows, skipped)
        return data  # None only if _storable missed something: then nothing is written

    def save(self) -> bool:
        """Write the cache if it changed; False (and no exception) when it cannot."""
        if not self.dirty:
            return True
        encoded = self._encode()
        if encoded is None:  # pragma: no cover - see _encode
            return False
        try:
            # Private: the cache lists the titles and authors of what the user reads.
            self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # A save killed mid-write (quitting during a first scan: its thread does
            # not hold up the exit) leaves a temp file as big as the cache: those of
            # processes that are gone go now. This process saves one cache at a time.
            remove_stale_temp_files(self.file)
            # Disposable: no fsync; a crash leaves the old file or the new one.
            write_atomic(self.file, encoded, durable=False)
        except OSError:
            return False
        self.dirty = False
        return True
