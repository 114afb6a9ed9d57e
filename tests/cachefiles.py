"""Metadata cache files in tests: made by a scan, then read and changed without
tuific.cache (so a test pins the format itself)."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

from tuific.cache import MetadataCache, cache_file_for
from tuific.library import scan_library


def ints(stored: str) -> list[int]:
    """A format-4 number column's values (-2**63 for None): base64 of little-endian
    int64s."""
    raw = base64.b64decode(stored, validate=True)
    assert len(raw) % 8 == 0
    return list(struct.unpack(f"<{len(raw) // 8}q", raw))


def b64(values: list[int]) -> str:
    """A number column as format 4 stores it."""
    return base64.b64encode(struct.pack(f"<{len(values)}q", *values)).decode("ascii")


def header_of(file: Path) -> dict:
    data = file.read_bytes()
    return json.loads(data[: data.index(b"\n")])


def rewrite_header(file: Path, change) -> None:
    """Change the JSON header in place by change(header); the text section is kept."""
    data = file.read_bytes()
    end = data.index(b"\n")
    header = json.loads(data[:end])
    change(header)
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    file.write_bytes(head + data[end:])


def rewrite_head(file: Path, change) -> None:
    """Change the head line (format 5: the first screen's stories) by change(head)."""
    data = file.read_bytes()
    end = data.index(b"\n")
    head_end = data.index(b"\n", end + 1)
    head = json.loads(data[end + 1 : head_end])
    change(head)
    line = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    file.write_bytes(data[: end + 1] + line + data[head_end:])


def one_story_cache(tmp_path: Path) -> tuple[Path, Path, list]:
    """A one-story library scanned into its cache: (root, cache file, the story's
    record as a fresh parse gives it)."""
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text("Title: Alder\n\nSome text.\n", encoding="utf-8")
    fresh = [s.record() for s in scan_library(root, None)]
    list(scan_library(root, MetadataCache(root)))
    return root, cache_file_for(root), fresh
