"""The output layer: makes what tuific writes to the terminal as small as curses would.

Textual writes each frame as absolute cursor moves and segments, each segment
reset with `ESC[0m` and its whole style sent again. This package reads that
stream into a model of the screen and sends only the difference: changed cells,
SGR attributes that change, erase-to-end-of-line for blank tails, and the
terminal's scroll region when rows move. `driver` installs it in Textual; the
other modules do not import Textual.
"""
