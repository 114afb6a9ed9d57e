"""Speaker colours in the reader: who says each stretch of speech, worked out in a
worker after the first page, and a colour per speaker derived from the theme.

The first page never waits: the reader draws speech in the plain dialogue colour,
starts attribution (`tuific.speakers`) in a thread once that page is on screen, and
recolours when it is done. Only speech the attribution is sure of (`shown`) gets a
speaker's colour. Speakers are ranked by their number of shown lines, so the
story's main pair gets the same two colours every time it is opened. Their hues turn
around the colour wheel from the theme's dialogue colour at its luminance (so as
readable on the page as it is); the dialogue colour itself stays for speech whose
speaker is not shown. A theme whose dialogue colour is the terminal's own (the
16-colour theme, NO_COLOR) keeps one dialogue style; names in the margin (`V`) tell
speakers apart there.
"""

from __future__ import annotations

import colorsys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.color import Color, ColorSystem, ColorType
from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from tuific.model import Story
from tuific.startup_tricks import release_free_memory
from tuific.ui.threads import in_daemon_thread
from tuific.ui.widgets.row_styles import luminance
from tuific.ui.widgets.speaker_labels import called_names, short_labels

if TYPE_CHECKING:
    # Imported in the worker, not here: the speakers' patterns cost ~50 ms to compile,
    # which the first page would otherwise wait for.
    from tuific.layout import Layout
    from tuific.speakers import Attribution

# Up to this length the pass runs in a thread of the app (~0.7 s of CPU at most)...
MAX_WORDS = 200_000
# ...and up to this one in a child process (tuific.speakers.apart): on a million words
# it takes seconds of CPU and over 150 MiB at its peak, which would otherwise stall page turns
# and stay in the app's heap. Longer stories keep one dialogue colour (`tuific dialogue
# FILE` attributes any length).
MAX_WORDS_APART = 2_000_000
_GOLDEN = 0.381966  # of a turn: hues this far apart never bunch up, however many
_MIN_SATURATION = 0.45
_HUE_TRIES = 8  # turns of the wheel tried per speaker for a colour of its own in 256
_DIM = Style(dim=True)
_QUOTES_AS_SPACE = str.maketrans(dict.fromkeys("\"“”", " "))  # (a nickname's: not O'Brien's)
GUTTER_MIN = 4  # margin cells a name needs beside the text: two initials, two spaces
LABEL_MAX = 16  # cells of a name written before the text; longer ones become initials


class Speakers:
    """The shown speakers of one story: their ranks, shares and spans.

    A speaker's share is of all the speech the pass gives anyone, shown or not: the
    shown lines alone under-count whoever speaks untagged (a speaker of a fifth of
    the demo story's speech had 4% of its shown lines). `guesses` are those counts
    when `found` holds the shown records only (a child's; see speakers.apart)."""

    def __init__(
        self,
        found: Sequence[Attribution],
        guesses: dict[str, int] | None = None,
        texts: Sequence[str] | None = None,
        fandoms: Sequence[str] = (),
    ) -> None:
        shown = [(a.speaker, a) for a in found if a.shown and a.speaker]
        counts = Counter(name for name, _ in shown)
        first_seen: dict[str, int] = {}
        for i, (name, _) in enumerate(shown):
            first_seen.setdefault(name, i)
        # Most lines first; a tie goes to whoever speaks first, so the order is stable.
        self.names: list[str] = sorted(counts, key=lambda n: (-counts[n], first_seen[n]))
        if guesses is None:
            from tuific.speakers import speech_counts

            guesses = speech_counts(found)
        total = sum(guesses.values()) or 1
        self.shares = [guesses.get(n, 0) / total for n in self.names]
        self._spans = _packed(shown, {name: i for i, name in enumerate(self.names)})
        self._labels: dict[int, dict[str, str]] = {}  # width -> name -> label
        self.called = called_names(shown, texts, fandoms) if texts else {}

    def label(self, name: str, width: int) -> str:
        """`name` as the margin shows it in `width` cells (`short_labels`)."""
        labels = self._labels.get(width)
        if labels is None:
            labels = self._labels[width] = short_labels(self.names, width, self.called)
        return labels.get(name) or set_cell_size(name, width)

    def listed_name(self, name: str) -> str:
        """`name` as the metadata panel lists it: with the word the margin calls them
        by where that is no word of it ("Aragorn (Strider)", "Samwise Gamgee (Sam)")."""
        called = self.called.get(name)
        if not called or self.label(name, LABEL_MAX) != called:
            return name  # (the margin does not use it)
        if called in name.translate(_QUOTES_AS_SPACE).split():
            return name  # (a word of it: "Sawamura Daichi", 'James "Bucky" Barnes')
        return f"{name} ({called})"

    def first_in(self, paragraph: int) -> str | None:
        """The name of whoever speaks first in a paragraph, if shown."""
        spans = self._spans
        at = bisect_left(spans.paragraphs, paragraph)
        if at < len(spans.paragraphs) and spans.paragraphs[at] == paragraph:
            return self.names[spans.ranks[at]]
        return None

    def rank_at(self, paragraph: int, start: int, end: int) -> int | None:
        """The rank of the speaker of the speech span (start, end), if shown."""
        spans = self._spans
        at, stop = bisect_left(spans.paragraphs, paragraph), len(spans.paragraphs)
        while at < stop and spans.paragraphs[at] == paragraph:
            if spans.starts[at] < end and start < spans.ends[at]:
                return spans.ranks[at]
            at += 1
        return None


class _Spans(NamedTuple):
    """The shown spans of speech, one place in each array per span, by paragraph (in
    the records' order within one): four arrays of machine integers rather than a
    tuple and its ints per span, which on a million words (~18,000 spans) held 2.7 MiB
    of the app's heap, scattered among what the pass freed."""

    paragraphs: array[int]
    starts: array[int]
    ends: array[int]
    ranks: array[int]


def _packed(shown: Sequence[tuple[str, Attribution]], rank: dict[str, int]) -> _Spans:
    """`shown` as _Spans, ranked by `rank`."""
    if any(b.paragraph < a.paragraph for (_, a), (_, b) in pairwise(shown)):
        # Out of reading order (no pass gives that so far): each paragraph's spans
        # keep their own order (a stable sort), as the first speaker of it is its first.
        shown = sorted(shown, key=lambda pair: pair[1].paragraph)
    spans = _Spans(array("i"), array("i"), array("i"), array("i"))
    for name, a in shown:
        spans.paragraphs.append(a.paragraph)
        spans.starts.append(a.start)
        spans.ends.append(a.end)
        spans.ranks.append(rank[name])
    return spans


class SpeakersWorking(Message):
    """Attribution of the reader's story started in a child (seconds of work), or
    ended without an answer: the panel says so meanwhile."""

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story


class SpeakersFound(Message):
    """Attribution of the reader's story is done."""

    def __init__(self, story: Story, speakers: Speakers) -> None:
        super().__init__()
        self.story = story
        self.speakers = speakers


def speaker_styles(dialogue: Style, count: int) -> list[Style]:
    """`count` styles, one per speaker rank, turned from the dialogue style's colour;
    none when that colour is not an RGB one (the terminal's own palette, NO_COLOR).

    Each hue gets the lightness that gives it the dialogue colour's luminance, so it
    stands out from the page exactly as much as the theme's dialogue does, on light
    themes as on dark (a yellow at a rust's HLS lightness would be far paler).
    A hue is skipped when a terminal of 256 colours (tmux, and most SSH sessions, where
    COLORTERM is not passed on) would draw it as the same colour as the dialogue's or
    an earlier speaker's: in the sepia theme the eighth speaker was the plain dialogue
    colour there, and high-contrast-light's twelve speakers were eight colours."""
    colour = dialogue.color
    if colour is None or colour.type in (ColorType.DEFAULT, ColorType.STANDARD):
        return []
    rgb = colour.get_truecolor()
    hue, _lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    saturation = max(saturation, _MIN_SATURATION)
    target = luminance(tuple(c / 255 for c in rgb))
    seen = {_in_256(colour)}
    styles: list[Style] = []
    turns = tries = 0
    skipping = True
    while len(styles) < count:
        turns += 1
        # Rank 0 is already a turn away: the plain colour stays for speech not shown.
        turned = (hue + turns * _GOLDEN) % 1.0
        low, high = 0.0, 1.0
        for _ in range(20):  # luminance grows with lightness: bisect for the target
            mid = (low + high) / 2
            if luminance(colorsys.hls_to_rgb(turned, mid, saturation)) < target:
                low = mid
            else:
                high = mid
        red, green, blue = colorsys.hls_to_rgb(turned, (low + high) / 2, saturation)
        made = Color.from_rgb(red * 255, green * 255, blue * 255)
        drawn = _in_256(made)
        if skipping and drawn in seen:
            tries += 1
            if tries < _HUE_TRIES:
                continue
            # At one luminance the 256 colours hold a dozen or two hues: once one
            # speaker finds none left, no later one looks (so a rank's colour never
            # hangs on how many speakers follow it, and thousands cost no more).
            skipping = False
        tries = 0
        seen.add(drawn)
        styles.append(dialogue + Style(color=made))
    return styles


def _in_256(colour: Color) -> int | None:
    """The colour a terminal of 256 colours draws for `colour`."""
    return colour.downgrade(ColorSystem.EIGHT_BIT).number


class SpeakerColours:
    """Mixed into the Reader: the attribution worker and the colour of a span."""

    speakers: Speakers | None = None
    speakers_working = False  # a child is working out this story's speakers
    speaker_colours = True  # False: every speech in the one dialogue colour (key v)
    speaker_names = False  # the speaker's name in the margin of a speech paragraph (key V)
    _layout: Layout | None  # the Reader's
    _speaker_palette: tuple[Style, list[Style]] | None = None

    def set_speaker_colours(self, on: bool) -> None:
        self.speaker_colours = on
        self._strips.clear()  # type: ignore[attr-defined]
        self.refresh()  # type: ignore[attr-defined]
        story: Story | None = self.story  # type: ignore[attr-defined]
        if self.speakers is not None and story is not None:
            # The metadata panel lists them again, in the colours now shown.
            self.post_message(SpeakersFound(story, self.speakers))  # type: ignore[attr-defined]

    def set_speaker_names(self, on: bool) -> None:
        self.speaker_names = on
        self._layout = None  # names before the text change the wrapping
        self._strips.clear()  # type: ignore[attr-defined]
        self.refresh()  # type: ignore[attr-defined]

    def names_before_text(self, margin: int) -> bool:
        """Names are on but the margin is too narrow for them: each speech paragraph
        starts with a dim `Name: ` instead (the layout leaves it room)."""
        return self.speaker_names and self.speakers is not None and margin < GUTTER_MIN

    def speaker_label(self, paragraph: int) -> str:
        """`Name: ` for a speech paragraph whose speaker is shown, else "" (also when
        the paragraph itself opens with the name or the label: "Eleanor Vance did not
        look up", "Sherlock looked up")."""
        speakers = self.speakers
        name = speakers.first_in(paragraph) if speakers is not None else None
        if not name or speakers is None:
            return ""
        label = speakers.label(name, LABEL_MAX)
        story: Story | None = self.story  # type: ignore[attr-defined]
        if story is not None and story.paragraphs:
            text = story.paragraphs[paragraph].text
            for opening in (name, label):
                if text.startswith(opening) and not text[len(opening) : len(opening) + 1].isalpha():
                    return ""
        return f"{label}: "

    def speaker_label_cells(self, paragraph: int) -> int:
        return cell_len(self.speaker_label(paragraph))

    def speaker_gutter(self, paragraph: int, line: int, margin: int, base: Style) -> Segment:
        """The left margin of a row: blank, or on a speech paragraph's first line, its
        speaker's name, dim, right-aligned (initials where the margin is narrow). It
        tells speakers apart where colour cannot (NO_COLOR)."""
        blank = Segment(" " * margin, base)
        speakers = self.speakers
        if not self.speaker_names or line != 0 or speakers is None or margin < GUTTER_MIN:
            return blank
        name = speakers.first_in(paragraph)
        if name is None:
            return blank
        label = speakers.label(name, margin - 2)
        return Segment(" " * (margin - 2 - cell_len(label)) + label + "  ", base + _DIM)

    def start_speakers(self, story: Story, partial: bool = False) -> None:
        """Forget the last story's speakers; attribute this one after the next frame.

        Nothing for a `partial` story (the first part of a long one, shown while the
        whole is read): the whole follows within a second and forgets its speakers again, so a
        pass over the part was work thrown away (it mostly ended after the whole came),
        and on a million words it left the speaker modules, the first-name table and
        its own leftovers in the app's heap (2-5 MiB) for a pass run elsewhere."""
        self.speakers = None
        self.speakers_working = False
        if partial:
            return
        self.speakers_working = MAX_WORDS < story.words <= MAX_WORDS_APART
        if self.speakers_working:
            self.post_message(SpeakersWorking(story))  # type: ignore[attr-defined]
        if story.words <= MAX_WORDS_APART:
            self.call_after_refresh(self._attribute_speakers, story)  # type: ignore[attr-defined]

    # Not a Textual worker (see tuific.ui.threads): quitting waited for it, and
    # Textual would name it from repr() of the story, all its text, on the UI thread.
    # A pass for a story no longer shown finds `_speakers_ready` ignoring it.
    @in_daemon_thread("tuific-speakers")
    def _attribute_speakers(self, story: Story) -> None:
        speakers = self._speakers_of(story)
        # The pass's temporaries (the paragraphs' texts and kinds, every record) are
        # freed on that return: trimmed while they were alive, their pages stayed.
        release_free_memory()
        app = self.app  # type: ignore[attr-defined]
        if not app.is_running:
            return
        if speakers is None:
            app.call_from_thread(self._speakers_not_found, story)
        else:
            app.call_from_thread(self._speakers_ready, story, speakers)

    def _speakers_of(self, story: Story) -> Speakers | None:
        """The story's speakers: kept from an earlier opening, or attributed here or in
        a child; None when the pass failed, or no child answered."""
        from tuific.speakers import saved

        texts = [p.text for p in story.paragraphs or []]
        kinds = [p.kind for p in story.paragraphs or []]  # where headings and breaks are
        keep = story.words >= saved.SAVE_FROM
        answer = saved.load(texts, story.meta, kinds) if keep else None
        if answer is not None:
            found, guesses = answer  # kept from an earlier opening
        elif story.words <= MAX_WORDS:
            from tuific.speakers import attribute, speech_counts

            try:
                found = attribute(texts, meta=story.meta, kinds=kinds)
            except Exception:
                # A story no rule foresaw (a name of thousands of letters once overflowed
                # the names' regex): the colours are a help, so the story reads on with
                # one dialogue colour rather than the app ending.
                return None
            guesses = speech_counts(found)
            if keep:
                saved.save(texts, story.meta, [a for a in found if a.shown], guesses, kinds)
        else:
            from tuific.speakers.apart import shown_apart

            app = self.app  # type: ignore[attr-defined]
            answer = shown_apart(
                texts,
                story.meta,
                lambda: app.is_running and story is self.story,  # type: ignore[attr-defined]
                kinds=kinds,
            )
            if answer is None:  # no child process here, it died, or another story is open
                return None
            found, guesses = answer
            saved.save(texts, story.meta, found, guesses, kinds)
        try:
            return Speakers(found, guesses, texts, story.meta.fandoms)
        except Exception:
            return None  # (its labels read names from the story: as attribute, above)

    def _speakers_not_found(self, story: Story) -> None:
        if story is self.story:  # type: ignore[attr-defined]
            self.speakers_working = False
            self.post_message(SpeakersWorking(story))  # type: ignore[attr-defined]

    def _speakers_ready(self, story: Story, speakers: Speakers) -> None:
        if story is not self.story:  # type: ignore[attr-defined]
            return
        self.speakers = speakers
        self.speakers_working = False
        if self.speaker_names:
            self._layout = None  # names may now go before the text
        self._strips.clear()  # type: ignore[attr-defined]
        self.refresh()  # type: ignore[attr-defined]
        self.post_message(SpeakersFound(story, speakers))  # type: ignore[attr-defined]

    def speech_style(self, paragraph: int, start: int, end: int, dialogue: Style) -> Style:
        """The style of one stretch of speech: its speaker's colour, if shown."""
        speakers = self.speakers
        if speakers is None or not speakers.names or not self.speaker_colours:
            return dialogue
        rank = speakers.rank_at(paragraph, start, end)
        if rank is None:
            return dialogue
        styles = self._styles_for(dialogue, len(speakers.names))
        return styles[rank] if styles else dialogue

    def _styles_for(self, dialogue: Style, count: int) -> list[Style]:
        """speaker_styles(dialogue, count) or more (a prefix is the same), kept: built
        again only when the theme (so the dialogue style) changes."""
        palette = self._speaker_palette
        if palette is None or palette[0] != dialogue or len(palette[1]) < count:
            palette = self._speaker_palette = (dialogue, speaker_styles(dialogue, count))
        return palette[1]

    def speaker_legend(self) -> list[tuple[str, Style, float]]:
        """(name, style, share of the speech) of every speaker, most speech first."""
        speakers = self.speakers
        if speakers is None:
            return []
        dialogue = self.dialogue_style()  # type: ignore[attr-defined]
        count = len(speakers.names)
        # Colours off (v): the page has one dialogue colour, and so has the list.
        styles = self._styles_for(dialogue, count)[:count] if self.speaker_colours else []
        styles = styles or [dialogue] * count
        names = [speakers.listed_name(name) for name in speakers.names]
        legend = zip(names, styles, speakers.shares, strict=True)
        return sorted(legend, key=lambda entry: -entry[2])  # (stable: ties keep their rank)
