"""Reading and changing metadata cache files in tests, without tuific.cache."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path


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
