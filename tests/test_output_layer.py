"""The output layer's encoding (issue 14): what it sends, and that pyte shows the same.

Property tests feed generated frames, written the way Textual writes them
(absolute moves, each styled segment reset with ESC[0m) and free-form (relative
SGR, no resets), to pyte directly and through the optimiser, and compare every
cell after every frame.
"""

from __future__ import annotations

import os
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.output_sessions import new_screen
from tuific.ui.output.driver import erase_uses_pen, optimised_output_wanted
from tuific.ui.output.encoder import SYNC_END, SYNC_START, OutputOptimiser
from tuific.ui.output.sgr import DEFAULT, apply_sgr, sgr_between

BG = "38;2;224;224;224;48;2;18;18;18"


def line(y: int, text: str, sgr: str = BG, width: int = 80) -> str:
    """One row as Textual writes it: a move, then the text and its padding in one style."""
    return f"\x1b[{y + 1};1H\x1b[{sgr}m{text}\x1b[0m\x1b[{sgr}m{' ' * (width - len(text))}\x1b[0m"


def screen_of(rows: list[str], width: int = 80) -> str:
    return "\n".join(line(y, text, width=width) for y, text in enumerate(rows))


def fresh(width: int = 80, height: int = 24, erase: bool = True) -> OutputOptimiser:
    """An optimiser after Textual's start: cursor hidden, as the app keeps it."""
    optimiser = OutputOptimiser(width, height, erase_uses_pen=erase)
    optimiser.feed("\x1b[?25l")
    return optimiser


# -- what is sent --------------------------------------------------------------


def test_segments_in_one_style_are_one_run_with_one_sgr():
    optimiser = fresh()
    out = optimiser.feed("\x1b[1;1H\x1b[31;40m  \x1b[0m\x1b[31;40mab\x1b[0m\x1b[31;40mcd\x1b[0m")
    assert out.count("\x1b[") == 2  # the move and one SGR
    assert "  abcd" in out
    assert "\x1b[0m" not in out


def test_only_the_attributes_that_change_are_sent():
    bold_red = apply_sgr(DEFAULT, "1;31")
    assert sgr_between(bold_red, apply_sgr(DEFAULT, "1;3;31")) == "\x1b[3m"
    assert sgr_between(bold_red, apply_sgr(DEFAULT, "1;32")) == "\x1b[32m"
    # 22 ends bold and dim together: dim is sent again.
    bold_dim, dim = apply_sgr(DEFAULT, "1;2;38;5;250"), apply_sgr(DEFAULT, "2;38;5;250")
    assert sgr_between(bold_dim, dim) == "\x1b[22;2m"
    # A reset and the new style, when that is shorter.
    assert sgr_between(apply_sgr(DEFAULT, "1;2"), apply_sgr(DEFAULT, "2")) == "\x1b[0;2m"
    assert sgr_between(bold_red, DEFAULT) == "\x1b[m"


def test_a_blank_tail_is_erased_to_the_end_of_the_line():
    out = fresh().feed(line(0, "Chapter one"))
    assert out.endswith("Chapter one\x1b[K")


def test_without_background_colour_erase_blanks_in_a_colour_are_written():
    out = fresh(erase=False).feed(line(0, "Chapter one"))
    assert "\x1b[K" not in out
    assert out.endswith("Chapter one" + " " * 69)


def test_an_unchanged_frame_sends_nothing():
    optimiser = fresh()
    frame = screen_of([f"line {n}" for n in range(24)])
    optimiser.feed(frame)
    assert optimiser.feed(frame) == ""


def test_one_changed_figure_sends_only_its_cells():
    optimiser = fresh()
    optimiser.feed(screen_of(["story 28% · 4 min left"] * 24))
    out = optimiser.feed(line(23, "story 29% · 4 min left"))
    assert out == "\r\x1b[7C9"  # the cursor is on that row still, after the last frame


def test_rows_moving_up_by_one_scroll_the_region_and_draw_the_new_row():
    rows = [f"text line number {n} of the story" for n in range(40)]
    optimiser = fresh()
    optimiser.feed(screen_of(["header"] + rows[0:22] + ["footer"]))
    frame = screen_of(["header"] + rows[1:23] + ["footer"])
    out = optimiser.feed(frame)
    assert "\x1b[2;23r" in out and "\x1bD" in out
    assert rows[22] in out and rows[21] not in out
    assert len(out) < 80
    assert_same_on_pyte(["\x1b[?7l" + screen_of(["header"] + rows[0:22] + ["footer"]), frame])


def test_the_scroll_region_stays_set_for_the_next_line_and_is_reset_on_leaving():
    rows = [f"text line number {n} of the story" for n in range(40)]
    frames = [screen_of(["header"] + rows[n : n + 22] + ["footer"]) for n in range(3)]
    optimiser = fresh()
    optimiser.feed(frames[0])
    assert "\x1b[2;23r" in optimiser.feed(frames[1])
    second = optimiser.feed(frames[2])
    assert "r" not in second.replace(rows[23], "")  # no DECSTBM again
    assert second.startswith("\r\x1bD")  # the cursor is on the bottom margin already
    assert optimiser.feed("\x1b[?1049l") == "\x1b[r\x1b[?1049l"
    assert_same_on_pyte(["\x1b[?25l", *frames, "\x1b[?1049l"])


def test_after_a_character_of_uncertain_width_the_row_is_still_known():
    # Curly quotes may be drawn two cells wide (East Asian "ambiguous"): the
    # column after them is unknown, but the row is not, so the next line scroll
    # starts with CR (1 byte), not a CUP to the bottom margin (5).
    rows = [f"text line number {n} of the story" for n in range(40)]
    rows[22] = "\u201cWhere is the key,\u201d Wren said."
    frames = [screen_of(["header"] + rows[n : n + 22] + ["footer"]) for n in range(3)]
    optimiser = fresh()
    optimiser.feed(frames[0])
    assert optimiser.feed(frames[1]).endswith("Wren said.")
    assert optimiser.feed(frames[2]).startswith("\r\x1bD")
    assert_same_on_pyte(["\x1b[?25l", *frames])
    # A move along that row goes from column 0 too.
    optimiser = fresh()
    optimiser.feed(frames[0])
    optimiser.feed(frames[1])
    changed = line(22, "\u201cWhere is the key,\u201d Wren sand.")
    assert optimiser.feed(changed) == "\r\x1b[27Cn"
    assert_same_on_pyte(["\x1b[?25l", frames[0], frames[1], changed])


def test_rows_moving_down_scroll_the_other_way():
    rows = [f"text line number {n} of the story" for n in range(40)]
    optimiser = fresh()
    optimiser.feed(screen_of(rows[3:27]))
    out = optimiser.feed(screen_of(rows[1:25]))
    assert "\x1bM\x1bM" in out
    assert rows[1] in out and rows[2] in out and rows[3] not in out


def test_synchronised_output_brackets_only_frames_drawing_several_rows():
    optimiser = fresh()
    two_rows = line(0, "hello") + "\n" + line(1, "world")
    assert optimiser.feed(SYNC_START) == ""
    assert optimiser.feed(two_rows).startswith(SYNC_START)
    assert optimiser.feed(SYNC_END) == SYNC_END
    # Nothing changed: no empty brackets.
    assert optimiser.feed(SYNC_START) + optimiser.feed(two_rows) + optimiser.feed(SYNC_END) == ""
    # One row cannot tear: no brackets.
    frame = [SYNC_START, line(0, "hullo"), SYNC_END]
    assert "".join(optimiser.feed(data) for data in frame) == "\x1b[1;2Hu"


def test_a_line_scroll_that_draws_only_its_new_row_goes_without_brackets():
    rows = [f"text line number {n} of the story" for n in range(40)]

    def frame(n: int, footer: str = "footer") -> list[str]:
        return [SYNC_START, screen_of(["header"] + rows[n : n + 22] + [footer]), SYNC_END]

    def sent(frames: list[str]) -> str:
        return "".join(optimiser.feed(data) for data in frames)

    optimiser = fresh()
    sent(frame(0))
    one_line = sent(frame(1))
    assert "\x1bD" in one_line and rows[22] in one_line
    assert SYNC_START not in one_line and SYNC_END not in one_line
    # Another row drawn too, or two lines scrolled in: bracketed as before.
    assert sent(frame(2, "footer 1")).startswith(SYNC_START)
    two_lines = sent(frame(4, "footer 1"))
    assert two_lines.startswith(SYNC_START) and two_lines.endswith(SYNC_END)
    assert "\x1bD\x1bD" in two_lines


def test_sequences_that_draw_nothing_pass_through():
    optimiser = fresh()
    assert optimiser.feed("\x1b[?1000h\x1b[?2026$p\x07") == "\x1b[?1000h\x1b[?2026$p\x07"


def test_after_a_sequence_it_cannot_model_it_draws_every_cell_again():
    optimiser = fresh(10, 2)
    frame = line(0, "abc", width=10) + "\n" + line(1, "def", width=10)
    optimiser.feed(frame)
    assert optimiser.feed("\x1b7") == "\x1b7"  # save cursor: passed, and the model forgotten
    assert "abc" in optimiser.feed(frame)


def test_which_terminals_erase_in_the_current_background():
    assert erase_uses_pen({"TERM": "xterm-256color"})
    assert erase_uses_pen({"TERM": "tmux-256color"})
    assert erase_uses_pen({"TERM": "dumb", "TERM_PROGRAM": "iTerm.app"})
    assert not erase_uses_pen({"TERM": "vt100"})


def test_the_layer_is_installed_unless_raw_output_is_asked_for(monkeypatch):
    from tuific.cli import install_output_layer
    from tuific.ui.output.driver import OptimisingDriver

    class FakeApp:
        driver_class = None

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.delenv("TUIFIC_RAW_OUTPUT", raising=False)
    app = FakeApp()
    install_output_layer(app)
    assert app.driver_class is OptimisingDriver
    monkeypatch.setenv("TUIFIC_RAW_OUTPUT", "1")
    app = FakeApp()
    install_output_layer(app)
    assert app.driver_class is None
    assert not optimised_output_wanted({"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"})
    assert os.environ["TUIFIC_RAW_OUTPUT"] == "1"


# -- generated streams ---------------------------------------------------------

SGRS = [
    "", "1", "3", "4", "7", "9", "2", "21", "53", "1;3", "31", "44", "97;40", "38;5;250",
    "38;5;250;48;5;235", "1;38;5;12;48;5;0", "4;48;5;1", BG, "38;2;255;186;65;48;2;18;18;18",
    "7;38;2;1;2;3;48;2;4;5;6", "3;38;2;224;224;224;48;2;18;18;18",
]  # fmt: skip
CHARS = ["a", "b", " ", " ", " ", "-", "é", "中", "e\u0301", "“"]


def assert_same_on_pyte(frames: list[str], size=(80, 24), erase: bool = True) -> None:
    raw_screen, raw_stream = new_screen(size)
    opt_screen, opt_stream = new_screen(size)
    optimiser = OutputOptimiser(*size, erase_uses_pen=erase)
    # Textual turns autowrap off at start; both terminals get that as it came.
    raw_stream.feed("\x1b[?7l")
    opt_stream.feed("\x1b[?7l")
    for frame in frames:
        raw_stream.feed(frame)
        opt_stream.feed(optimiser.feed(frame, size))
        for y in range(size[1]):
            raw_row = [tuple(raw_screen.buffer[y][x]) for x in range(size[0])]
            opt_row = [tuple(opt_screen.buffer[y][x]) for x in range(size[0])]
            assert raw_row == opt_row, (y, frame)


@st.composite
def segment_rows(draw, width: int) -> list[tuple[str, str]]:
    """One row as segments (sgr, text) filling exactly `width` cells, wide characters too."""
    segments = []
    left = width
    while left > 0:
        sgr = draw(st.sampled_from(SGRS))
        text = ""
        for char in draw(st.lists(st.sampled_from(CHARS), min_size=1, max_size=6)):
            size = 2 if char == "中" else 1
            if size <= left:
                text += char
                left -= size
        if not text:
            text, left = " " * left, 0
        segments.append((sgr, text))
    return segments


def cells_of(segments: list[tuple[str, str]]) -> list[str]:
    """The row's cells: a wide character, then "" for its right half."""
    cells: list[str] = []
    for _sgr, text in segments:
        for char in text:
            if unicodedata.combining(char):
                continue
            cells.extend([char, ""] if char == "中" else [char])
    return cells


def textual_row(y: int, segments: list[tuple[str, str]]) -> str:
    return f"\x1b[{y + 1};1H" + "".join(
        f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text for sgr, text in segments
    )


@st.composite
def textual_frames(draw) -> tuple[tuple[int, int], list[str]]:
    """A screen's rows, then frames that redraw some rows, move runs of rows, or a part."""
    width = draw(st.integers(4, 14))
    height = draw(st.integers(3, 8))
    rows = [draw(segment_rows(width)) for _ in range(height)]
    frames = ["\n".join(textual_row(y, row) for y, row in enumerate(rows))]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["rows", "scroll", "chop"]))
        if kind == "rows":
            ys = draw(st.sets(st.integers(0, height - 1), min_size=1))
            for y in ys:
                rows[y] = draw(segment_rows(width))
            frames.append("\n".join(textual_row(y, rows[y]) for y in sorted(ys)))
        elif kind == "scroll":
            top = draw(st.integers(0, height - 2))
            bottom = draw(st.integers(top + 1, height - 1))
            shift = draw(st.integers(-(bottom - top), bottom - top))
            band = rows[top : bottom + 1]
            new = [draw(segment_rows(width)) for _ in range(abs(shift))]
            band = band[shift:] + new if shift >= 0 else new + band[:shift]
            rows[top : bottom + 1] = band
            frames.append(
                "\n".join(textual_row(y, rows[y]) for y in range(top, bottom + 1))
            )
        else:
            # A part of a row, as Textual's chops write them: never half a wide character.
            y = draw(st.integers(0, height - 1))
            tails = {x for x, char in enumerate(cells_of(rows[y])) if char == ""}
            x = draw(st.sampled_from([x for x in range(width) if x not in tails]))
            size = draw(st.sampled_from([n for n in range(1, width - x + 1) if x + n not in tails]))
            text = draw(st.text(alphabet="xyz ", min_size=size, max_size=size))
            sgr = draw(st.sampled_from(SGRS[1:]))
            frames.append(f"\x1b[{y + 1};{x + 1}H\x1b[{sgr}m{text}\x1b[0m")
    return (width, height), frames


@settings(max_examples=300, deadline=None)
@given(textual_frames(), st.booleans())
def test_generated_textual_frames_draw_the_same_cells(case, erase):
    size, frames = case
    assert_same_on_pyte(frames, size, erase)


@st.composite
def free_streams(draw) -> tuple[tuple[int, int], list[str]]:
    """Relative SGR changes without resets, moves, text and newlines, in any order."""
    width, height = draw(st.integers(3, 10)), draw(st.integers(2, 6))
    frames = []
    for _ in range(draw(st.integers(1, 4))):
        parts = []
        for _ in range(draw(st.integers(1, 12))):
            kind = draw(st.sampled_from(["sgr", "move", "text", "reset"]))
            if kind == "sgr":
                parts.append(f"\x1b[{draw(st.sampled_from(SGRS[1:] + ['22', '23', '39', '49']))}m")
            elif kind == "reset":
                parts.append("\x1b[0m")
            elif kind == "move":
                y, x = draw(st.integers(1, height)), draw(st.integers(1, width))
                parts.append(f"\x1b[{y};{x}H")
            else:
                parts.append(draw(st.text(alphabet="ab -", min_size=1, max_size=width)))
        frames.append("".join(parts))
    return (width, height), frames


@settings(max_examples=300, deadline=None)
@given(free_streams())
def test_generated_free_streams_draw_the_same_cells(case):
    size, frames = case
    assert_same_on_pyte(frames, size)
