"""The small library the metadata cache tests scan (the `lib` fixture, in
conftest.py, writes it)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

HEADED = """Title: The Salt Road
Author: Tamsin Reed
Fandom: Original Work
Pairing: Ilse/Maren
Rating: T
Tags: travel, rain, slow burn
Summary: Two carters, one wagon,
and a road that will not end.

Chapter 1: The Ford

The river was higher than it had any right to be.

Chapter 2: The Inn

“We stop here,” Maren said, and nobody argued.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
