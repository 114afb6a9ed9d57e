"""Speech set off by dashes, not quote marks: the convention of Russian, Ukrainian,
Polish, Bulgarian, Spanish, Portuguese and Italian fiction (tuific.dialogue's "dash"
convention, chosen when a story's paragraphs open on a dash more often than on a
quote mark).

A speech paragraph opens on a dash, and the speaker's words run until a dash brings
in the author's words; a later dash after those may bring the speech back:

    — Привет, — сказала Анна. — Как дела?       (spaced dashes: Russian and most)
    —Hola —dijo Ana—. ¿Cómo estás?              (dashes against the words: Spanish)

Inside speech, a dash is the author's words coming in when a space stands before it
and either the speech's own punctuation (, ! ? … .) stands before that space, or a
word follows the dash at once (Spanish). A dash inside a sentence with neither
(«Москва — столица») is the speech's own punctuation. Inside the author's words, a
dash brings the speech back when it follows a stop or comma (". — Как"), or when it
stands against the author's last word (Spanish "Ana—. ¿Cómo"). Speech never runs on
into the next paragraph: each speech paragraph opens with its own dash.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

DASHES = "—–―-"  # em dash, en dash, horizontal bar; a hyphen only with spaces round it
# A paragraph of speech: a dash (a hyphen then a space), perhaps a space, then words.
_OPENS = re.compile(r"(?:[—–―]\s?|-\s)(?=\S)")
_DASH = re.compile(r"[—–―]|(?<=\s)-(?=\s)")
_SPEECH_ENDS = ",.!?…"  # what ends the speaker's words before the author's come in
_NARRATION_ENDS = ".,:;!?…"  # what ends the author's words before speech comes back
# After a dash against the author's last word ("dijo Ana—. "): where speech resumes.
_RESUMES = re.compile(rf"[{re.escape(_NARRATION_ENDS)}]*\s+(?=\S)")


def opens_speech(text: str) -> bool:
    """Whether a paragraph is speech set off by a dash."""
    return _OPENS.match(text) is not None


def dash_spans(text: str) -> list[Span]:
    """The speech in one paragraph (none unless it opens on a dash), each span from
    its dash (or, after a Spanish insert, its first word) to its last non-space
    character."""
    if not opens_speech(text):
        return []
    spans: list[Span] = []
    start: int | None = 0  # None: in the author's words
    for match in _DASH.finditer(text, 1):
        at = match.start()
        spaced_before = text[at - 1].isspace()
        after = text[at + 1 : at + 2]
        # Where the words before the dash end: back over the spaces only (never a
        # copy of all the text before it, which a paragraph of dashes made quadratic).
        said = at
        while said > 0 and text[said - 1].isspace():
            said -= 1
        last = text[said - 1] if said else ""
        if start is not None:
            if spaced_before and (
                (after.isspace() and last != "" and last in _SPEECH_ENDS) or after.isalpha()
            ):
                spans.append((start, said))
                start = None
        elif spaced_before:
            if last != "" and last in _NARRATION_ENDS:
                start = at  # ". — Как дела?": from its dash
        else:
            resumed = _RESUMES.match(text, at + 1)  # "dijo Ana—. ¿Cómo…"
            if resumed is not None:
                start = resumed.end()
    end = len(text.rstrip())
    if start is not None and end > start:
        spans.append((start, end))
    return spans
