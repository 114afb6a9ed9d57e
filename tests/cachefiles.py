"""Metadata cache files in tests: made by a scan, then read and changed without
tuific.cache (so a test pins the format itself)."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

from tuific.cache import MetadataCache, cache_file_for
from tuific.library import Skipped, scan_library


def ints(stored: str) -> list[int]:
    """A format-4 number column's values (-2**63 for None): base64 of little-endian
    int64s."""
    raw = base64.b64decode(stored, validate=True)
    assert len(raw) % 8 == 0
    return list(struct.unpack(f"<{len(raw) // 8}q", raw))


def b64(values: list[int]) -> str:
    """A number column as format 4 stores it."""
    return base64.b64encode(struct.pack(f"<{len(values)}q", *values)).decode("ascii")


def split_file(data: bytes) -> tuple[dict, bytes, bytes]:
    """A cache file's header, as a test changes it, its head line and its text
    section. Format 5 keeps the numbers (but title_order) and masks on a line of
    their own after the head; here they are the header's "numbers" and "masks",
    as they were in format 4."""
    header_line, head_line, numbers_line, texts = data.split(b"\n", 3)
    header = json.loads(header_line)
    stored = json.loads(numbers_line)
    numbers = stored.get("numbers")
    if isinstance(numbers, dict) and "title_order" in header:
        numbers = {**numbers, "title_order": header.pop("title_order")}
    header["numbers"], header["masks"] = numbers, stored.get("masks")
    return header, head_line, texts


def join_file(header: dict, head_line: bytes, texts: bytes, ascii: bool = False) -> bytes:
    """The file of `split_file`'s parts (a missing "numbers" or "masks" stays missing)."""
    header, stored = dict(header), {}
    for name in ("numbers", "masks"):
        if name in header:
            stored[name] = header.pop(name)
    numbers = stored.get("numbers")
    if isinstance(numbers, dict) and "title_order" in numbers:
        stored["numbers"] = dict(numbers)
        header["title_order"] = stored["numbers"].pop("title_order")
    compact = (",", ":")
    lines = [
        json.dumps(header, ensure_ascii=ascii, separators=compact).encode("utf-8", "surrogatepass"),
        head_line,
        json.dumps(stored, separators=(",", ":")).encode(),
        texts,
    ]
    return b"\n".join(lines)


def header_of(file: Path) -> dict:
    return split_file(file.read_bytes())[0]


def rewrite_header(file: Path, change) -> None:
    """Change the JSON header in place by change(header); the rest is kept."""
    header, head_line, texts = split_file(file.read_bytes())
    change(header)
    file.write_bytes(join_file(header, head_line, texts))


def rewrite_head(file: Path, change) -> None:
    """Change the head line (format 5: the first screen's stories) by change(head)."""
    header, head_line, texts = split_file(file.read_bytes())
    head = json.loads(head_line)
    change(head)
    line = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    file.write_bytes(join_file(header, line, texts))


def one_story_cache(tmp_path: Path) -> tuple[Path, Path, list]:
    """A one-story library scanned into its cache: (root, cache file, the story's
    record as a fresh parse gives it)."""
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text("Title: Alder\n\nSome text.\n", encoding="utf-8")
    fresh = [s.record() for s in scan_library(root, None)]
    list(scan_library(root, MetadataCache(root)))
    return root, cache_file_for(root), fresh


def records(items) -> list:
    return [
        ("skipped", item.path, item.reason)
        if isinstance(item, Skipped)
        else (item.record(), item.fingerprint, [(c.title, c.paragraph) for c in item.chapters])
        for item in items
    ]


def scan_records(root: Path, cache: MetadataCache | None) -> list:
    return records(scan_library(root, cache))


def _loaded(root: Path) -> MetadataCache:
    cache = MetadataCache(root)
    cache.load()
    return cache


def read_cache(file: Path) -> tuple[dict, dict[str, bytes]]:
    """A format-2 cache file: its JSON header and its text columns' bytes by name.
    The head line (format 5) is kept as the header's "_head", as it is."""
    header, head_line, section = split_file(file.read_bytes())
    header["_head"] = head_line
    texts, at = {}, 0
    for name, size in header["texts"]:
        texts[name] = section[at : at + size]
        at += size
    assert at == len(section)
    return header, texts
