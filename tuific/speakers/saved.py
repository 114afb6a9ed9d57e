"""A story's speakers, kept between openings: its shown attributions and speech counts.

On a long story attribution is seconds of CPU (a million words: ~3.5 s, and ~230 MiB
in a child process); a story read over many evenings, or a work in progress opened
each time a chapter lands, would pay it at every opening. The reader keeps what the
pass found in one small file per story in `paths.cache_dir()/speakers/`, named by a
hash of everything the answer depends on:

- the story's paragraphs (their lengths, text and kinds) and the header's characters,
  relationships, fandoms, categories and tags (all the pass reads of it): an updated
  work in progress is a new key;
- the source of the speaker pass and of the dialogue finder, and the weights they
  ship (`_model_stamp`): a new tuific that attributes differently never reads an old
  answer.

It is a cache, never needed, and it never raises (the reader's worker would end the
app): a file that is missing, unreadable, not our format, or that names a place
outside the story (a tampered or truncated file) is ignored (and removed) and the
pass runs as before. Budgets are checked before the work: a file is read only when
it is a regular file (never a FIFO or a device a link points to) within the bytes its
story's length allows, and kept only within MAX_NAMES speakers and
RECORDS_PER_PARAGRAPH records a paragraph (a crafted file of a million records cost
the app 430 MiB and 3 s to read). Names are taken only when `clean_line` leaves them
as they are, so no control character from a file reaches the screen. JSON, never
pickle: loading it must not run anyone's code. Written through a temp file and
`os.replace`; the least recently used files beyond `KEEP` go.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from array import array
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tuific.filebytes import UnreadableFile, read_whole
from tuific.hashing import blake2b
from tuific.model import Metadata
from tuific.paths import cache_dir
from tuific.state.disk import remove_stale_temp_files, write_atomic
from tuific.text import clean_line

if TYPE_CHECKING:
    from tuific.speakers import Attribution

FORMAT = 1
SAVE_FROM = 20_000  # words: shorter stories are attributed in a fraction of a second
KEEP = 64  # files kept, the most recently used
# Budgets checked before a file is read, and again on what it holds: a file within
# them costs little to read and to keep (the generated million words: 187 KB, 10,761
# records, 43,010 paragraphs); one beyond them is not ours to trust, and the pass runs.
MAX_BYTES = 32 * 1024 * 1024
RECORDS_PER_PARAGRAPH = 2  # shown stretches of speech, on average over the story
MAX_NAMES = 256  # speakers shown (each has a colour and a line in the panel)
_RECORD_BYTES = 40  # the longest a record is written: 5 numbers and their commas
_NAME_MAX = 200  # characters of a speaker's name
_FIELDS = 5  # paragraph, start, end, speaker, confidence in thousandths
_CHUNK = 2000  # paragraphs hashed at once (a few hundred KiB, not the whole text)
_PACKAGE = Path(__file__).parent


def folder() -> Path:
    return cache_dir() / "speakers"


@cache
def _model_stamp() -> bytes | None:
    """A hash of what decides the answer besides the story: the speaker pass's source
    and weights, the dialogue finder's source and the chapter headings' (scenes and
    points of view end at them). None when they cannot be read (a zipped install):
    nothing is kept then."""
    digest = blake2b(digest_size=16)
    sources = sorted(_PACKAGE.glob("*.py")) + [
        _PACKAGE / "weights.json",
        _PACKAGE.parent / "dialogue.py",
        _PACKAGE.parent / "dialogue_dash.py",
        _PACKAGE.parent / "chapters.py",
    ]
    try:
        for path in sources:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.digest()


def story_key(
    texts: Sequence[str], meta: Metadata | None, kinds: Sequence[str] | None = None
) -> str | None:
    """The file name part for this story's answer (None: nothing can be kept); `kinds`:
    the paragraphs' kinds the pass was given (where headings and scene breaks are)."""
    stamp = _model_stamp()
    if stamp is None:
        return None
    digest = blake2b(digest_size=20)
    digest.update(b"tuific speakers %d\0" % FORMAT + stamp)
    # (All the header the pass reads: its cast, its fandom, its category, and its tags
    # that may say whose point of view the story keeps.)
    header = (
        [meta.characters, meta.relationships, meta.fandoms, meta.categories, meta.tags]
        if meta
        else []
    )
    digest.update(json.dumps(header, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    digest.update(array("q", map(len, texts)).tobytes())
    if kinds is not None:
        digest.update("".join(kind[:1] for kind in kinds).encode("utf-8", "surrogatepass"))
    for start in range(0, len(texts), _CHUNK):
        digest.update("".join(texts[start : start + _CHUNK]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load(
    texts: Sequence[str], meta: Metadata | None, kinds: Sequence[str] | None = None
) -> tuple[list[Attribution], dict[str, int]] | None:
    """The kept (shown attributions, speech counts) of this story, as
    `apart.shown_apart` gives them (`text` left empty), or None. Never raises: the
    reader's worker would end the app, and a cache must never do that."""
    try:
        return _load(texts, meta, kinds)
    except Exception:  # a folder that cannot be searched, a system error: no answer
        return None


def _load(
    texts: Sequence[str], meta: Metadata | None, kinds: Sequence[str] | None
) -> tuple[list[Attribution], dict[str, int]] | None:
    key = story_key(texts, meta, kinds)
    if key is None:
        return None
    path = folder() / f"{key}.json"
    try:
        # A regular file within its budget only: never a FIFO or a device put there.
        data = read_whole(path, _budget(texts))
    except UnreadableFile as error:
        if not isinstance(error.__cause__, FileNotFoundError):
            _remove(path)  # too large, or not a file: made again after this pass
        return None
    try:
        found = _read(json.loads(data), texts)
    except (ValueError, TypeError, KeyError, RecursionError):
        _remove(path)  # broken or not ours
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when others go
    return found


def _budget(texts: Sequence[str]) -> int:
    """The most bytes a file for this story may hold: its records (MAX_RECORDS) at
    their longest, and its names."""
    return min(MAX_BYTES, 64 * 1024 + _RECORD_BYTES * _max_records(texts))


def _max_records(texts: Sequence[str]) -> int:
    return RECORDS_PER_PARAGRAPH * len(texts) + 100


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _read(data: object, texts: Sequence[str]) -> tuple[list[Attribution], dict[str, int]]:
    """The answer in a file's JSON, checked against the story; ValueError if wrong."""
    from tuific.speakers import Attribution

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a speakers file of this format")
    names, counts, shown = data["names"], data["counts"], data["shown"]
    if not (
        isinstance(names, list)
        and isinstance(counts, list)
        and isinstance(shown, list)
        and len(names) == len(counts) <= MAX_NAMES
        and len(shown) % _FIELDS == 0
        and len(shown) <= _FIELDS * _max_records(texts)
    ):
        raise ValueError("bad shape")
    for name in names:
        if not (isinstance(name, str) and 0 < len(name) <= _NAME_MAX and clean_line(name) == name):
            raise ValueError("bad name")
    if not all(type(n) is int and n >= 0 for n in counts) or not all(
        type(n) is int for n in shown
    ):
        raise ValueError("bad number")
    found = []
    last = (0, 0)
    for i in range(0, len(shown), _FIELDS):
        paragraph, start, end, who, thousandths = shown[i : i + _FIELDS]
        if not (
            0 <= paragraph < len(texts)
            and 0 <= start < end <= len(texts[paragraph])
            and 0 <= who < len(names)
            and 0 <= thousandths <= 1000
            and (paragraph, start) >= last
        ):
            raise ValueError("a record outside the story")
        last = (paragraph, end)
        found.append(Attribution(paragraph, start, end, "", names[who], thousandths / 1000, True))
    return found, dict(zip(names, counts, strict=True))


def save(
    texts: Sequence[str],
    meta: Metadata | None,
    shown: Sequence[Attribution],
    counts: dict[str, int],
    kinds: Sequence[str] | None = None,
) -> None:
    """Keep this story's answer (shown attributions in reading order, speech counts by
    speaker); a failure to write only means the pass runs again next time. Never
    raises (see load)."""
    with contextlib.suppress(Exception):
        _save(texts, meta, shown, counts, kinds)


def _save(
    texts: Sequence[str],
    meta: Metadata | None,
    shown: Sequence[Attribution],
    counts: dict[str, int],
    kinds: Sequence[str] | None,
) -> None:
    key = story_key(texts, meta, kinds)
    if key is None:
        return
    names = list(counts)
    if len(names) > MAX_NAMES or len(shown) > _max_records(texts):
        return  # the load would refuse it: a rare story, attributed at each opening
    index = {name: i for i, name in enumerate(names)}
    flat: list[int] = []
    for a in shown:
        if a.speaker is None or a.speaker not in index:
            continue
        flat += (a.paragraph, a.start, a.end, index[a.speaker], round(a.confidence * 1000))
    data = {"format": FORMAT, "names": names, "counts": [counts[n] for n in names], "shown": flat}
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    place = folder()
    # One write and sweep at a time in this process: the sweep takes a temp file of its
    # own for a killed write's, and two stories opened in quick succession each save.
    with _WRITING, contextlib.suppress(OSError):
        place.mkdir(parents=True, exist_ok=True)
        write_atomic(place / f"{key}.json", encoded, durable=False)
        _prune(place)


_WRITING = threading.Lock()


def _prune(place: Path) -> None:
    """Remove the least recently used files beyond KEEP, and temp files of killed writes."""
    remove_stale_temp_files(place / "*")
    files = []
    for path in place.glob("*.json"):
        with contextlib.suppress(OSError):
            files.append((path.stat().st_mtime, path))
    files.sort(reverse=True)
    for _mtime, path in files[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()
