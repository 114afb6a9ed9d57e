"""Helpers for the speaker attribution tests."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import attribute
from tuific.speakers.cast import Cast
from tuific.speakers.paragraph import read_turn
from tuific.speakers.turn import Tag


def first_tag(cast: Cast, text: str) -> Tag | None:
    """The tag of the first speech found in one paragraph of `text`."""
    return read_turn(cast, 0, text, list(find_dialogue([text])[0])).tags[0]


def speakers_by_paragraph(story: list[str], meta: Metadata | None) -> dict[int, str | None]:
    """The speaker attributed in each paragraph of `story` (the last where it has two)."""
    return {a.paragraph: a.speaker for a in attribute(story, meta=meta)}
