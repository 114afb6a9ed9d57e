"""Find the speech in story paragraphs, for the reader to highlight (DESIGN.md §5).

The aim is speech, not punctuation pairs. Each quote mark is judged by its glyph and by
what stands either side of it (space or start before and a letter after looks like an
opening; a letter or punctuation before and space or punctuation after looks like a
closing), then run through a small stack so nested quotes stay inside the outer speech.

Marks fall into families: double (“ ” „ ‟ "), single (‘ ’ ‚ ‛ '), guillemets (« »),
single guillemets (‹ ›) and corner brackets (「 」). The document's *convention* picks
which of double or single opens top-level speech (BookNLP's dominant-mark choice); the
other one is then only ever nested quotes, scare quotes or apostrophes. Marks of a family
that cannot open top-level speech never change where a speech starts or ends (every
decision below looks only at its own family, and a closer pops everything nested above
its opener), so they are not even scanned: in the common double-quote style, apostrophes
cost nothing. 『』 is only used nested inside 「」, so it is not scanned either.
Apostrophes (don't, 'em, rock 'n' roll, '60s, the Hendersons' dog) matter only in the
single style, where they are told from quote marks by the letters around them.

A few words quoted inside a running sentence, with no punctuation of their own (he
called it a "party" and left), are a scare quote or a title, not speech.

Speech set off by dashes (— Привет, — сказала Анна.), the convention of Russian or
Spanish fiction, is the "dash" convention: see tuific.dialogue_dash.

A quotation that runs over several paragraphs leaves its paragraph open: that paragraph
is highlighted to its end, and the speech carries into the next paragraph only when that
paragraph starts with an opening mark, as typography says it should. A stray quote mark
therefore highlights at most the rest of its own paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Literal

from tuific.dialogue_dash import dash_spans, opens_speech
from tuific.lazy_regex import lazy_compile

Convention = Literal["double", "single", "dash"]
Span = tuple[int, int]

# What a glyph does when the text around it does not say: open, close, or flip
# (close if its family is open, else open). 「」 never depend on context.
_OPEN, _CLOSE, _TOGGLE, _FIXED_OPEN, _FIXED_CLOSE = range(5)

_GLYPHS: dict[str, tuple[str, int]] = {
    "“": ("D", _OPEN),
    "”": ("D", _CLOSE),  # also opens in Swedish/Finnish ”…”, caught by context
    "„": ("D", _OPEN),  # German „…“, Polish „…”
    "‟": ("D", _OPEN),
    '"': ("D", _TOGGLE),
    "＂": ("D", _TOGGLE),
    "‘": ("S", _OPEN),
    "’": ("S", _CLOSE),
    "‚": ("S", _OPEN),
    "‛": ("S", _OPEN),
    "'": ("S", _TOGGLE),
    "«": ("G", _OPEN),  # French «…»; German »…« is caught by context
    "»": ("G", _CLOSE),
    "‹": ("G2", _OPEN),
    "›": ("G2", _CLOSE),
    "「": ("C", _FIXED_OPEN),
    "」": ("C", _FIXED_CLOSE),
}

# The closer that pairs with each opener, used when context is no help (`„Ja“sagte`).
_PARTNER = {
    "“": "”",
    "”": "”",
    "„": "“",
    "‟": "”",
    '"': '"',
    "＂": "＂",
    "‘": "’",
    "’": "’",
    "‚": "‘",
    "‛": "’",
    "'": "'",
    "«": "»",
    "»": "«",
    "‹": "›",
    "›": "‹",
    "「": "」",
}

# The opener assumed for speech carried in from the previous paragraph.
_CARRIED = {"double": ("D", "“"), "single": ("S", "‘")}

_QUOTES = "".join(_GLYPHS) + "『』"
# After these a mark may open; before these a mark may close (besides space and the
# paragraph's edges). Quote marks count, so that “‘ nests and ”“ follows on.
_OPEN_AFTER = re.escape("([{<-–—/*_~…" + _QUOTES)
_CLOSE_BEFORE = re.escape(".,;:!?)]}>-–—/*_~…" + _QUOTES)

# Elisions that are always apostrophes: 'em, rock 'n' roll, 'twas, '60s.
_S = "['’‘‛]"  # the single marks that may be apostrophes
_ALWAYS_ELIDED = (
    rf"(?:n{_S}|(?i:em|n|tis|twas|twere|twill|tween)(?!\w)|\d\d(?:s)?(?!\w)|"
    # (older British prose's "his 'cello", never speech opening)
    r"cellos?(?!\w))"
)
# Lowercase words that are often elided ('cause, 'bout, 'er), but that may also begin
# speech split by narration ('Well,' she said, 'round the back.').
_MAYBE_ELIDED = (
    r"(?:cause|cos|coz|cuz|bout|round|til|till|kay|nother|im|er|e|is|ere|ow|ome|ouse|"
    r"scuse|fraid|sup|cept|gainst|neath|nuff|ya|yer|course|less|fore|ello|alf|ave|ad|"
    r"appen|eard|elp|urt|ead|ey|ol|ang|cross|long|mongst|pon|specially|zat|"
    # ...and the clipped nouns of older British prose: the 'phone, a 'bus.
    r"phones?|planes?|bus(?:es)?)(?!\w)"
)

# Context of a mark: it looks like an opening, a closing, or either/neither. The scan
# regexes report it as the name of the group that matched, so that classifying a mark
# costs no Python. Every pattern starts with the mark itself (a fast C scan between
# marks); the checks on the character before the mark are lookbehinds after it.
_CTX_OPEN, _CTX_CLOSE, _CTX_AMBIG = range(3)
_CONTEXT_OF = {"o": _CTX_OPEN, "c": _CTX_CLOSE, "b": _CTX_AMBIG, "a": _CTX_AMBIG}
# Space or an opener before, text after (but not a comma or stop: « Entrez », dit-il).
_MAY_OPEN = rf"(?<![^\s{_OPEN_AFTER}].)(?=[^\s,.;:!?)\]}}>])"
_MAY_CLOSE = rf"(?<=\S.)(?![^\s{_CLOSE_BEFORE}])"  # text before, space or a closer after
_CONTEXTS = rf"(?P<b>{_MAY_OPEN}{_MAY_CLOSE})|(?P<o>{_MAY_OPEN})|(?P<c>{_MAY_CLOSE})|(?P<a>)"


class _Compiled(dict):
    """Regexes compiled on first use: a story in one convention never pays for the
    other's patterns, which are several milliseconds of every start-up."""

    def __init__(self, patterns: dict) -> None:
        super().__init__()
        self.patterns = patterns

    def __missing__(self, key) -> re.Pattern[str]:
        pattern = self[key] = re.compile(self.patterns[key])
        return pattern


_SCAN_RE = _Compiled(
    {
        "double": rf"[\"“”„‟＂«»‹›「」](?:{_CONTEXTS})",
        # In the single style, apostrophes inside words and sure elisions are matched
        # as `skip`, to be passed over; likely elisions are matched as `maybe`.
        "single": (
            rf"['‘’‚‛«»‹›「」](?:(?P<skip>(?<=\w{_S})(?=\w)|(?<={_S})(?<!\w.){_ALWAYS_ELIDED})"
            rf"|(?P<maybe>(?<={_S})(?<!\w.)(?={_MAYBE_ELIDED}))|{_CONTEXTS})"
        ),
    }
)

# For `open_states`, which only needs each paragraph's end: when every mark is of one
# family, speech never nests, so the last mark alone says whether speech is open at the
# end (unless context leaves it ambiguous). `_LAST_RE` finds that last mark (apostrophes
# excluded) with one backwards regex match, no Python loop; `_OTHERS` checks that no
# mark of another family is present.
_SCANNED = {"double": '"“”„‟＂«»‹›「」', "single": "'‘’‚‛«»‹›「」"}
# Not an apostrophe: not inside a word, not a sure elision, not the second mark of 'n'.
_NOT_SKIP = rf"(?!(?<=\w{_S})(?=\w)|(?<={_S})(?<!\w.){_ALWAYS_ELIDED})(?<!(?<!\w){_S}n{_S})"
_LAST_RE = _Compiled(
    {
        "double": rf"(?s:.*)[{_SCANNED['double']}](?:{_CONTEXTS})",
        "single": (
            rf"(?s:.*)[{_SCANNED['single']}]{_NOT_SKIP}"
            rf"(?:(?P<maybe>(?<={_S})(?<!\w.)(?={_MAYBE_ELIDED}))|{_CONTEXTS})"
        ),
    }
)
_OTHERS = _Compiled(
    {
        (convention, family): "[" + "".join(g for g in chars if _GLYPHS[g][0] != family) + "]"
        for convention, chars in _SCANNED.items()
        for family in {_GLYPHS[g][0] for g in chars}
    }
)


def _opens_fresh(glyph: str, ctx: int) -> bool:
    """Whether a mark opens speech when nothing is open yet."""
    default = _GLYPHS[glyph][1]
    if default == _FIXED_OPEN:
        return True
    if default == _FIXED_CLOSE or ctx == _CTX_CLOSE:
        return False
    return ctx == _CTX_OPEN or default != _CLOSE


# (position, glyph, context, maybe-elision) of one mark.
Mark = tuple[int, str, int, bool]


def _marks(text: str, convention: Convention) -> list[Mark]:
    """Every mark that can matter in this convention, apostrophes left out."""
    out = []
    for m in _SCAN_RE[convention].finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        i = m.start()
        if kind == "maybe":
            out.append((i, text[i], _CTX_OPEN, True))
        else:
            out.append((i, text[i], _CONTEXT_OF[kind], False))
    return out


def _innermost(stack: list[tuple[str, str]], family: str) -> int:
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0] == family:
            return k
    return -1


def dialogue_spans(
    text: str, convention: Convention = "double", open_at_start: bool = False
) -> tuple[list[Span], bool]:
    """(start, end) character spans of speech in one paragraph, sorted, non-overlapping,
    inside 0..len(text), including the quote marks; and whether speech is still open at
    the paragraph's end.

    `open_at_start` says the paragraph continues speech from the one before (see
    `open_states`): the paragraph is speech from its first character, and an opening
    mark at its start is that speech reopening, not a new quote.
    """
    if convention == "dash":
        return dash_spans(text), False
    marks = _marks(text, convention)
    spans: list[Span] = []
    stack: list[tuple[str, str]] = []  # (family, opening glyph), outermost first
    start = 0
    force_start = -1  # index of a mark that reopens carried speech
    if open_at_start:
        lead = len(text) - len(text.lstrip())
        first = marks[0] if marks else None
        if first and first[0] == lead and (first[3] or _opens_fresh(first[1], first[2])):
            force_start = 0
        else:
            stack.append(_CARRIED[convention])
    last_open = -2  # position of the most recent opening mark
    last_close = -2  # index of the last closing-looking single mark; -2: not yet known

    for n, (i, glyph, ctx, maybe) in enumerate(marks):
        family, default = _GLYPHS[glyph]
        if family == "S":
            if maybe and n != force_start:
                # An elision, unless it opens speech that clearly closes later.
                if last_close == -2:
                    last_close = _last_single_close(marks)
                if stack or last_close < n:
                    continue
                ctx = _CTX_OPEN
            elif (
                ctx == _CTX_CLOSE
                and default != _FIXED_OPEN
                and text[i - 1].isalnum()
                and _next_single_closes(marks, n)
            ):
                # The Hendersons' dog, goin' home: a closing-looking mark after a
                # letter, with a real closing still to come, is an apostrophe.
                continue

        # Decide whether this mark opens or closes.
        if default == _FIXED_OPEN or n == force_start:
            opens = True
        elif default == _FIXED_CLOSE:
            opens = False
        elif ctx != _CTX_AMBIG:
            opens = ctx == _CTX_OPEN
        else:
            k = _innermost(stack, family)
            if k >= 0 and _PARTNER[stack[k][1]] == glyph:
                opens = False
            elif default == _TOGGLE:
                opens = k < 0
            else:
                opens = default == _OPEN

        if not opens:
            k = _innermost(stack, family)
            if k < 0:
                continue  # a stray closing mark
            del stack[k:]
            if not stack and not _scare_quote(text, start, i + 1):
                spans.append((start, i + 1))
            continue

        k = _innermost(stack, family)
        if k < 0:
            if not stack:
                start = 0 if n == force_start else i
            stack.append((family, glyph))
        elif k == 0:
            if last_open == i - 1:
                last_open = i
                continue  # ''Cause: a doubled opening mark
            if family == "S" and text[i + 1 : i + 2].islower() and text[i - 2 : i - 1].isalnum():
                # "It's 'ard to tell", mid-clause: a dropped letter, not a new speech
                # (after "she said, " it is one: 'Come here, she said, 'we're late.')
                continue
            # The same style opening again inside its own speech: the earlier mark
            # was never closed, so its speech ends here and a new one begins.
            if i > start:
                spans.append((start, i))
            start = i
            stack[:] = [(family, glyph)]
        else:
            del stack[k:]
            stack.append((family, glyph))
        last_open = i

    still_open = bool(stack) or (open_at_start and not text)
    if stack and len(text) > start:
        spans.append((start, len(text)))
    return spans, still_open


def _scare_quote(text: str, start: int, end: int) -> bool:
    """Whether a closed quotation reads as a scare quote or a title, not speech: no
    closing punctuation, inside a running sentence, and a few words (it called it a
    "party" in the note) or a title's capitals (the poster for “The Adventures of
    Asahina Mikuru” that…; not a shout after a verb of speech: yelled “GET OUT OF MY
    HOUSE” and…). Speech follows a comma, colon or stop, or ends with one."""
    if start < 2 or text[start - 1] != " " or not text[start - 2].isalnum():
        return False
    inner = text[start + 1 : end - 1]
    if not inner[-1:].isalnum():
        return False
    if len(inner.split()) > 3 and (not _title_case(inner) or _spoken_before(text, start)):
        return False
    after = text[end : end + 2]
    return after[:1] in _SENTENCE_GOES_ON or (after[:1] == " " and after[1:].islower())


_SENTENCE_GOES_ON = frozenset(",;:.!?)…")
# A verb of speech right before a quotation: what follows is said, however it is written.
_SPOKEN_BEFORE = re.compile(
    r"\b(?:say|says|said|yell|yells|yelled|shout|shouts|shouted|scream|screams|screamed|"
    r"bellow|bellows|bellowed|roar|roars|roared|cry|cries|cried|call|calls|called|"
    r"shriek|shrieks|shrieked|holler|hollers|hollered|snap|snaps|snapped|ask|asks|asked|"
    r"whisper|whispers|whispered|mutter|mutters|muttered|go|goes|went|add|adds|added)"
    r"(?:\s+[a-z]+ly)?\s+$"
)
# ...but a thing "says" what is written on it: "the card in the window, which says".
_WRITTEN_ON = re.compile(
    r"\b(?:which|sign|signs|card|note|notice|poster|label|banner|plaque|screen|board|"
    r"headline|caption|message|text)\b[^.!?]*\bsa(?:ys|id|y)\s+$"
)


def _spoken_before(text: str, start: int) -> bool:
    """Whether a verb of speech stands right before the quotation at `start`, not a
    thing's "says"."""
    said = _SPOKEN_BEFORE.search(text, max(0, start - 24), start)
    return said is not None and not _WRITTEN_ON.search(text, max(0, start - 64), start)
# Small words a title leaves in lower case ("The Adventures of Asahina Mikuru").
_TITLE_SMALL = frozenset("a an and as at but by for from in into nor of on or the to with".split())


def _title_case(inner: str) -> bool:
    """Whether quoted words read as a title: each a capital but the small ones (the
    poster for “The Adventures of Asahina Mikuru” that…)."""
    words = inner.split()
    return words[0][:1].isupper() and all(
        w[:1].isupper() or w in _TITLE_SMALL or not w[:1].isalpha() for w in words
    )


def _last_single_close(marks: list[Mark]) -> int:
    for n in range(len(marks) - 1, -1, -1):
        if marks[n][1] in "'’‘" and marks[n][2] == _CTX_CLOSE:
            return n
    return -1


def _next_single_closes(marks: list[Mark], n: int) -> bool:
    for k in range(n + 1, len(marks)):
        if marks[k][1] in "'’‘":
            return marks[k][2] == _CTX_CLOSE
    return False


def _reopens(text: str, convention: Convention) -> bool:
    """Whether a paragraph starts with an opening mark (so carried speech continues)."""
    lead = len(text) - len(text.lstrip())
    m = _SCAN_RE[convention].match(text, lead)
    if m is None or m.lastgroup == "skip":
        return False
    return m.lastgroup == "maybe" or _opens_fresh(text[lead], _CONTEXT_OF[m.lastgroup])


def open_states(texts: Sequence[str], convention: Convention) -> list[bool]:
    """For each paragraph, whether speech is open at its start: one linear pass over
    the whole story.

    Speech left open at a paragraph's end carries on only into a paragraph that starts
    with an opening mark; otherwise it stops, so a stray mark cannot run on.
    """
    if convention == "dash":
        return [False] * len(texts)  # each speech paragraph opens on its own dash
    states: list[bool] = []
    carry = False
    for text in texts:
        state = carry and _reopens(text, convention)
        states.append(state)
        if not text:
            carry = False
            continue
        carry = _ends_open(text, convention, state)
    return states


def _ends_open(text: str, convention: Convention, open_at_start: bool) -> bool:
    """The same as `dialogue_spans(...)[1]`, faster for the common paragraph."""
    if not open_at_start:
        m = _LAST_RE[convention].match(text)
        if m is None:
            return False  # no marks at all
        kind = m.lastgroup
        family, default = _GLYPHS[text[m.end() - 1]]
        if kind != "maybe" and _OTHERS[convention, family].search(text) is None:
            if default in (_FIXED_OPEN, _FIXED_CLOSE):
                return default == _FIXED_OPEN
            if kind == "o":
                return True
            if kind == "c" or default == _CLOSE:
                return False  # an ambiguous closing glyph closes, open or not
    return dialogue_spans(text, convention, open_at_start)[1]


_SAMPLE_PARAGRAPHS = 2000  # never look further than this
_ENOUGH_OPENINGS = 200  # stop once this many opening marks have been counted
_FEWEST_DASHED = 3  # paragraphs opening on a dash that make a dash convention
_LEAD = r"(?<![^\s(\[{<\-–—/*_~…])"
_DOUBLE_OPENING = lazy_compile(_LEAD + '["“„‟＂](?=\\S)')
_SINGLE_OPENING = lazy_compile(
    _LEAD + "['‘’‚‛](?!" + _ALWAYS_ELIDED + "|" + _MAYBE_ELIDED + ")(?=\\S)"
)


def dominant_convention(texts: Iterable[str]) -> Convention:
    """Whether the story's speech is in double or single quotes, BookNLP-style: count
    the marks standing where speech would open in the first paragraphs, leaving
    elisions aside, and take the more common. Ties (and no speech) mean double.
    Paragraphs that open on a dash, more of them than quote marks (and a few at
    least), mean speech set off by dashes."""
    doubles = singles = dashes = 0
    for text in islice(texts, _SAMPLE_PARAGRAPHS):
        doubles += len(_DOUBLE_OPENING.findall(text))
        singles += len(_SINGLE_OPENING.findall(text))
        dashes += opens_speech(text)
        if doubles + singles + dashes >= _ENOUGH_OPENINGS:
            break
    if dashes >= _FEWEST_DASHED and dashes > doubles + singles:
        return "dash"
    return "single" if singles > doubles else "double"


def find_dialogue(texts: Sequence[str]) -> list[list[Span]]:
    """Convenience: convention + states + spans for every paragraph."""
    convention = dominant_convention(texts)
    states = open_states(texts, convention)
    return [
        dialogue_spans(text, convention, state)[0]
        for text, state in zip(texts, states, strict=True)
    ]
