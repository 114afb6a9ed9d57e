"""Attribution of a long story in a process of its own.

On a million words `attribute` takes seconds of CPU and over 150 MiB at its peak (a
generated story: 171 MiB more than before it, in one process). In a
thread of the app it would hold the GIL for those seconds (the page turns that the
reader promises stay cheap would queue behind it) and leave its peak in the app's heap.
A spawned child (not forked: the app has threads running) takes the text, attributes
it with the same code, sends back the shown records and how much speech each speaker
has, and exits, so its memory goes with it. The caller's `wanted()` is asked every
`POLL` seconds while it works: when the story is no longer open the child is ended at
once, and so is every child when the app quits (tuific.scan_pool.stop_all).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tuific.model import Metadata

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from tuific.speakers import Attribution

POLL = 0.1  # seconds between two looks at whether the story is still wanted
CHUNK = 2000  # paragraphs sent at once (~200 KiB of text)
_JOIN = 2.0  # seconds to wait for an ended child to go


def shown_apart(
    texts: Sequence[str],
    meta: Metadata | None,
    wanted: Callable[[], bool],
    kinds: Sequence[str] | None = None,
) -> tuple[list[Attribution], dict[str, int]] | None:
    """The shown attributions of `texts` (their `text` left empty: the caller has
    it) and how many stretches of speech the pass gives each speaker, shown or not,
    worked out in a child process; None when no child could start (a sandbox
    without processes), it died, or `wanted()` turned False."""
    import multiprocessing

    from tuific.scan_pool import stderr_with_a_descriptor

    if not wanted():
        return None
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe()
    try:
        child = context.Process(
            target=_attribute_in_child,
            args=(meta, list(kinds) if kinds is not None else None, there),
            name="tuific-speakers",
            daemon=True,
        )
        with stderr_with_a_descriptor():
            child.start()
    except Exception:
        here.close()
        there.close()
        return None
    there.close()  # the child holds its own end: EOF here once it is gone
    try:
        # The paragraphs' lengths, then their text as runs of UTF-8, a few hundred
        # KiB at a time: pickling a list of 100k paragraphs cost the app ~20 MiB at
        # its peak (the pickler's memo), and so would the whole text joined at once.
        here.send_bytes(array("q", map(len, texts)).tobytes())
        for start in range(0, len(texts), CHUNK):
            if not wanted():  # (a send waits while the child is still importing)
                return None
            here.send_bytes("".join(texts[start : start + CHUNK]).encode("utf-8", "surrogatepass"))
        while not here.poll(POLL):
            if not wanted():
                return None
        answer: tuple[list[Attribution], dict[str, int]] = here.recv()
        return answer
    except (EOFError, OSError):  # died without an answer (killed, out of memory)
        return None
    finally:
        here.close()
        if child.is_alive():
            child.terminate()
        child.join(_JOIN)


def _attribute_in_child(
    meta: Metadata | None, kinds: list[str] | None, there: Connection
) -> None:
    from tuific.scan_pool import quiet_child
    from tuific.speakers import attribute, speech_counts

    quiet_child()
    lengths = array("q")
    lengths.frombytes(there.recv_bytes())
    texts: list[str] = []
    while len(texts) < len(lengths):
        text = there.recv_bytes().decode("utf-8", "surrogatepass")
        start = 0
        for length in lengths[len(texts) : len(texts) + CHUNK]:
            texts.append(text[start : start + length])
            start += length
    found = attribute(texts, meta=meta, kinds=kinds)
    there.send(([a._replace(text="") for a in found if a.shown], dict(speech_counts(found))))
    there.close()
