"""`tuific dialogue [--json] FILE`: every stretch of speech in a story, with its speaker.

With --json, one JSON object per stretch of speech in reading order (paragraph,
start, end, text, speaker, confidence, shown); without, a transcript a person reads
(`Emma: "…"`, a speaker the reader would not colour marked with "?"). Errors are told
as `tuific list` tells them: a missing path exits 2, a story that cannot be read is
reported on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tuific.text import clean_line, escape_json, escape_unsafe

if TYPE_CHECKING:
    import argparse

    from tuific.speakers import Attribution


def build_dialogue_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="tuific dialogue",
        description="Print the speech in a story with who says it: a transcript, "
        "or one JSON object per stretch of speech.",
        epilog="In the transcript, a name followed by ? is a guess the reader would not "
        "colour, and ? alone means nobody fits.",
    )
    parser.add_argument("path", help="a story file")
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per stretch of speech: paragraph, start, end, text, "
        "speaker, confidence, shown",
    )
    return parser


def dialogue_command(argv: list[str]) -> int:
    from tuific.formats import StoryError, load_story
    from tuific.speakers import attribute

    args = build_dialogue_parser().parse_args(argv)
    path = Path(args.path).expanduser()
    # Messages as `tuific list` writes them: controls in a name escaped visibly.
    if not path.exists():
        print(f"tuific: no such file or folder: {escape_unsafe(args.path)}", file=sys.stderr)
        return 2
    if path.is_dir():
        print(f"tuific: a folder, not a story file: {escape_unsafe(args.path)}", file=sys.stderr)
        return 2
    try:
        story = load_story(path)
    except StoryError as error:
        print(f"tuific: skipped {escape_unsafe(path)}: {escape_unsafe(error)}", file=sys.stderr)
        return 1
    paragraphs = story.paragraphs or []
    texts = [p.text for p in paragraphs]
    try:
        found = attribute(texts, meta=story.meta, kinds=[p.kind for p in paragraphs])
    except Exception as error:  # a story no rule foresaw: said as a bad file is
        kind = type(error).__name__
        print(f"tuific: skipped {escape_unsafe(path)}: who speaks not worked out ({kind})",
              file=sys.stderr)
        return 1
    lines: Iterator[str]
    if args.json:
        lines = (escape_json(json.dumps(r._asdict(), ensure_ascii=False)) for r in found)
    else:
        lines = (escape_unsafe(line) for line in transcript(found))
    try:
        for line in lines:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # `tuific dialogue FILE | head`: the reader has gone; stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def transcript(found: list[Attribution]) -> list[str]:
    """Readable lines: one per paragraph and speaker, its speech joined in order.
    Text is made one line with no control characters (the story's text was cleaned
    at load; this also folds the line breaks that poems and letters keep)."""
    lines: list[str] = []
    key = None
    for a in found:
        name = clean_line(a.speaker) if a.speaker else "?"
        if a.speaker and not a.shown:
            name += "?"
        speech = clean_line(a.text)
        if key == (a.paragraph, name):
            lines[-1] += " " + speech
        else:
            lines.append(f"{name}: {speech}")
            key = (a.paragraph, name)
    return lines
