"""A library is a plain folder of story files, searched recursively.

The scan never follows a symlink out of the library folder or into a folder it has
already seen (so never loops, and a link to `/` does not walk the disk), never opens
a FIFO or device, and never lets one bad file stop the rest: each file is either a
Story or a Skipped entry.

With a `MetadataCache` a scan stats every file (cheap) and parses only the new and
changed ones. `rescan` compares the folder with what an earlier scan saw and returns
only the differences, for a periodic refresh while the app runs.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from tuific.cache import MetadataCache
from tuific.formats import STORY_EXTENSIONS, read_file_bytes, story_from_bytes
from tuific.model import Skipped, Story
from tuific.scan_pool import Parsed, ParsingQueue
from tuific.state import fingerprint

# What a scan saw of each path: (size, mtime_ns); NOT_READ for a path skipped before
# any reading (FIFO, symlink loop, empty file, unreadable folder).
Stamp = tuple[int, int]
NOT_READ: Stamp = (-1, -1)
# A long first scan saves the cache this often, so quitting half-way keeps the work.
CHECKPOINT_SECONDS = 10.0
# ...and no sooner than this many times the last save took after it: a save writes
# the whole cache (~2 s at 100,000 stories), which every 10 s was a fifth of a scan.
CHECKPOINT_SAVE_RATIO = 10



@dataclass(slots=True)
class ScanResult:
    stories: list[Story] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(slots=True)
class Changes:
    """What `rescan` found different from the previous scan.

    added: stories at paths the previous scan did not see.
    changed: stories at known paths whose size or mtime changed (the path may have
        been a skipped file before: replace whatever the caller holds for it).
    removed: paths (stories or skipped) that are gone.
    skipped: new or changed paths that cannot be read (drop any story held for them).
    seen: the new snapshot, to pass as `previous` next time.
    """

    added: list[Story] = field(default_factory=list)
    changed: list[Story] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    seen: dict[str, Stamp] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.skipped)


def _is_candidate(name: str) -> bool:
    if name.startswith("."):
        return False
    # os.path.splitext's extension, without its cost (once per file of the library):
    # a name that does not start with a dot has its extension from its last dot.
    dot = name.rfind(".")
    return (name[dot:].lower() if dot > 0 else "") in STORY_EXTENSIONS


def walk_story_files(
    root: Path, recursive: bool = True
) -> Iterator[tuple[Path, os.stat_result | None, str | None]]:
    """(path, stat, None) for each story file; (path, None, reason) for one to skip.
    recursive=False: the files in `root` itself, not in its subfolders."""
    for path, info, reason in _walk(root, recursive):
        yield Path(path), info, reason


def _join(folder: str, name: str) -> str:
    """folder/name spelt as str(Path(...)) would spell it, without pathlib's cost
    (a Path per file is a third of a warm scan). `folder` is already normalised."""
    if folder == ".":
        return name
    if folder.endswith(os.sep):
        return folder + name
    return folder + os.sep + name


# What the walk finds in a folder: (sort key, path, stat, skip reason, is a folder
# to enter).
_Found = tuple[str, str, "os.stat_result | None", "str | None", bool]


def _walk(
    root: Path, recursive: bool = True, stat_files: bool = True
) -> Iterator[tuple[str, os.stat_result | None, str | None]]:
    """walk_story_files with paths as strings, normalised like str(Path), in plain
    string order: a folder's subfolders come where their paths sort among its files
    ("a b/c.txt", "a-b.txt", "a.txt", "a/x.txt", "b.txt"), as the cache keeps its rows.

    Not `stat_files`: a story file the folder listing says is a regular file (not a
    link) comes as (path, None, None), for whoever reads it to stat (a first scan's
    workers: a stat per file here was a tenth of the scan's own thread)."""
    root_text = str(Path(root))
    seen_dirs: set[tuple[int, int]] = set()
    try:
        info = os.stat(root_text)
    except OSError as error:
        yield root_text, None, _reason(error)
        return
    inside = os.path.join(os.path.realpath(root_text), "")
    seen_dirs.add((info.st_dev, info.st_ino))
    stack = [iter(_folder(root_text, recursive, seen_dirs, inside, stat_files))]
    while stack:
        for _key, path, found, reason, enter in stack[-1]:
            if enter:
                stack.append(iter(_folder(path, recursive, seen_dirs, inside, stat_files)))
                break
            yield path, found, reason
        else:
            stack.pop()


def _folder(
    folder: str,
    recursive: bool,
    seen_dirs: set[tuple[int, int]],
    inside: str,
    stat_files: bool = True,
) -> list[_Found]:
    """What one folder holds, in path order. Its subfolders are claimed (in
    `seen_dirs`) now, before any is entered: a link inside one of them to another is
    the loop, not the folder itself."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)  # the first of two links claims
    except OSError as error:
        return [("", folder, None, f"folder unreadable: {_reason(error)}", False)]
    found: list[_Found] = []
    for entry in entries:
        name = entry.name
        path = _join(folder, name)
        if not stat_files and _is_candidate(name):
            # The listing's own file type: no system call for a plain file.
            if not entry.is_symlink() and entry.is_file(follow_symlinks=False):
                found.append((name, path, None, None, False))
                continue
        try:
            info = entry.stat(follow_symlinks=True)
        except OSError as error:
            if _is_candidate(name) or entry.is_symlink():
                found.append((name, path, None, _reason(error), False))
            continue
        if stat.S_ISDIR(info.st_mode):
            if name.startswith(".") or not recursive:
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                reason = "symlink loop (folder already scanned)"
                found.append((name + os.sep, path, None, reason, False))
                continue
            if entry.is_symlink() and not os.path.join(
                os.path.realpath(path), ""
            ).startswith(inside):
                reason = "link to a folder outside the library (not followed)"
                found.append((name + os.sep, path, None, reason, False))
                continue
            seen_dirs.add(key)
            found.append((name + os.sep, path, None, None, True))
        elif _is_candidate(name):
            skip = skip_reason(info)
            found.append((name, path, None if skip else info, skip, False))
    found.sort(key=itemgetter(0))
    return found


def skip_reason(info: os.stat_result) -> str | None:
    """Why a story file with this stat is skipped without being read, if it is."""
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size == 0:
        return "empty file"
    return None


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if error.errno == errno.ENOENT:
        return "broken link or missing file"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return error.strerror or str(error)


def read_listing(path: Path) -> Story:
    """A story's metadata for the list; its paragraphs are dropped to save memory.

    The file is read once: the fingerprint comes from the same bytes the parse had
    (a second read of each file was a tenth of a cold scan)."""
    data = read_file_bytes(path)
    story = story_from_bytes(path, data, metadata_only=True)
    story.paragraphs = None
    story.fingerprint = fingerprint(data)
    return story


def _cached(key: str, stamp: Stamp, cache: MetadataCache | None) -> Story | Skipped | None:
    """One story file from the cache, when its size and mtime still match."""
    if cache is None:
        return None
    hit = cache.lookup(key, *stamp)
    return Skipped(key, hit) if isinstance(hit, str) else hit


def _parsed(key: str, stamp: Stamp, parsed: Parsed, cache: MetadataCache | None) -> Story | Skipped:
    """A parse's result as the scan's item, remembered in the cache."""
    if isinstance(parsed, tuple):
        reason, unreadable = parsed
        # A file that could not be opened or read may be fine next time (permissions
        # fixed without touching mtime); one that failed to parse will fail again.
        if cache is not None and not unreadable:
            cache.store_failure(key, *stamp, reason)
        return Skipped(key, reason)
    if cache is not None:
        cache.store(key, *stamp, parsed)
    return parsed


def _scan(
    root: Path,
    cache: MetadataCache | None,
    seen: dict[str, Stamp],
    previous: dict[str, Stamp] | None,
    recursive: bool = True,
    give_way: Callable[[], None] | None = None,
) -> Iterator[Story | Skipped]:
    """Stories and skips under `root`, leaving out paths whose stamp is in `previous`.

    Fills `seen`; with a cache, drops entries for files that are gone once the walk
    is complete, and saves it (also now and then during a long scan, and when the
    caller stops early, so a half-finished first scan is not lost).
    """
    complete = False
    next_save = time.monotonic() + CHECKPOINT_SECONDS
    # Files to parse go to worker processes once there are many (tuific.scan_pool).
    queue = ParsingQueue(lambda key, parsed: _parsed(key, seen[key], parsed, cache))
    try:
        for key, info, reason in _walk(root, recursive):
            if give_way is not None:
                give_way()  # the app lets keys go first (see rescan)
            stamp = NOT_READ if info is None else (info.st_size, info.st_mtime_ns)
            seen[key] = stamp
            if previous is not None and previous.get(key) == stamp:
                continue
            if reason is not None:
                queue.add(Skipped(key, reason))
            elif (hit := _cached(key, stamp, cache)) is not None:
                queue.add(hit)
            else:
                queue.parse(key)
            yield from queue.ready()
            if cache is not None and cache.dirty and time.monotonic() > next_save:
                started = time.monotonic()
                cache.save()
                took = time.monotonic() - started
                next_save = started + max(CHECKPOINT_SECONDS, CHECKPOINT_SAVE_RATIO * took)
        yield from queue.finish()
        complete = True
    finally:
        queue.close()
        if cache is not None:
            # What is gone from the cache (a rescan that found nothing gone, the
            # usual case, leaves the cache unread).
            if complete and (previous is None or not previous.keys() <= seen.keys()):
                cache.retain(set(seen))
            cache.save()


def scan_library(
    root: Path,
    cache: MetadataCache | None = None,
    seen: dict[str, Stamp] | None = None,
    recursive: bool = True,
) -> Iterator[Story | Skipped]:
    """Every story under `root`, or the reason it was skipped, in path order.

    cache: a `MetadataCache(root)`; unchanged files then come from it, unparsed.
    seen: a dict filled with each path's (size, mtime_ns), to hand to `rescan` later.
    recursive=False: only the files in `root` itself.
    """
    if cache is not None and not cache.loaded:
        cache.load()
    yield from _scan(root, cache, {} if seen is None else seen, None, recursive)


def rescan(
    root: Path,
    previous: dict[str, Stamp],
    cache: MetadataCache | None = None,
    recursive: bool = True,
    give_way: Callable[[], None] | None = None,
) -> Changes:
    """What changed under `root` since the scan that saw `previous`.

    Stats every file and parses only new and changed ones, so it is cheap enough to
    run every few seconds. `previous` is `seen` from `scan_library` or the `seen` of
    the last `Changes`. `give_way()` is called before each file: a thread sharing
    the GIL with an app can wait there while the user types.
    """
    changes = Changes()
    for item in _scan(root, cache, changes.seen, previous, recursive, give_way):
        if isinstance(item, Skipped):
            changes.skipped.append(item)
        elif item.path in previous:
            changes.changed.append(item)
        else:
            changes.added.append(item)
    changes.removed = [path for path in previous if path not in changes.seen]
    return changes


def has_stories(root: Path) -> bool:
    if not root.is_dir():
        return False
    return any(reason is None for _p, _i, reason in walk_story_files(root))


def collect(root: Path, cache: MetadataCache | None = None) -> ScanResult:
    result = ScanResult()
    for item in scan_library(root, cache):
        if isinstance(item, Skipped):
            result.skipped.append(item)
        else:
            result.stories.append(item)
    return result
