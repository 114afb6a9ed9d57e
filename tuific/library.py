"""A library is a plain folder of story files, searched recursively.

The scan never follows a symlink loop, never opens a FIFO or device, and never
lets one bad file stop the rest: each file is either a Story or a Skipped entry.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tuific.formats import STORY_EXTENSIONS, StoryError, load_story
from tuific.model import Story


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


@dataclass(slots=True)
class ScanResult:
    stories: list[Story] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _is_candidate(name: str) -> bool:
    if name.startswith("."):
        return False
    return os.path.splitext(name)[1].lower() in STORY_EXTENSIONS


def walk_story_files(root: Path) -> Iterator[tuple[Path, os.stat_result | None, str | None]]:
    """(path, stat, None) for each story file; (path, None, reason) for one to skip."""
    seen_dirs: set[tuple[int, int]] = set()
    try:
        info = os.stat(root)
    except OSError as error:
        yield root, None, _reason(error)
        return
    seen_dirs.add((info.st_dev, info.st_ino))
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            yield Path(folder), None, f"folder unreadable: {_reason(error)}"
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            try:
                info = entry.stat(follow_symlinks=True)
            except OSError as error:
                if _is_candidate(entry.name) or entry.is_symlink():
                    yield path, None, _reason(error)
                continue
            if stat.S_ISDIR(info.st_mode):
                if entry.name.startswith("."):
                    continue
                key = (info.st_dev, info.st_ino)
                if key in seen_dirs:
                    yield path, None, "symlink loop (folder already scanned)"
                    continue
                seen_dirs.add(key)
                subfolders.append(path)
            elif _is_candidate(entry.name):
                if not stat.S_ISREG(info.st_mode):
                    yield path, None, "not a regular file"
                elif info.st_size == 0:
                    yield path, None, "empty file"
                else:
                    yield path, info, None
        pending.extend(reversed(subfolders))


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if error.errno == errno.ENOENT:
        return "broken link or missing file"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return error.strerror or str(error)


def read_listing(path: Path) -> Story:
    """A story's metadata for the list; its paragraphs are dropped to save memory."""
    story = load_story(path, metadata_only=True)
    story.paragraphs = None
    return story


def scan_library(root: Path) -> Iterator[Story | Skipped]:
    """Every story under `root`, or the reason it was skipped, in path order."""
    for path, _info, reason in walk_story_files(root):
        if reason is not None:
            yield Skipped(str(path), reason)
            continue
        try:
            yield read_listing(path)
        except StoryError as error:
            yield Skipped(str(path), str(error))


def has_stories(root: Path) -> bool:
    if not root.is_dir():
        return False
    return any(reason is None for _p, _i, reason in walk_story_files(root))


def collect(root: Path) -> ScanResult:
    result = ScanResult()
    for item in scan_library(root):
        if isinstance(item, Skipped):
            result.skipped.append(item)
        else:
            result.stories.append(item)
    return result
