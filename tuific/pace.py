"""Learning how fast someone reads, from how fast they page forward."""

from __future__ import annotations

from dataclasses import dataclass

# A page turned faster than this is skimming or searching; slower is a pause
# (tea, a phone call), not reading. Neither says anything about pace.
MIN_SECONDS = 4.0
MAX_SECONDS = 300.0
MIN_WORDS = 40
# Plausible human reading speeds; anything outside is noise.
MIN_WPM, MAX_WPM = 60.0, 1200.0


@dataclass(slots=True)
class PageTimer:
    """Turns (time, words read so far) observations into pace samples."""

    last_time: float | None = None
    last_words: float = 0.0

    def observe(self, now: float, words_read: float) -> float | None:
        """Words per minute since the last observation, or None when not a fair sample."""
        previous_time, previous_words = self.last_time, self.last_words
        self.last_time, self.last_words = now, words_read
        if previous_time is None:
            return None
        seconds = now - previous_time
        words = words_read - previous_words
        if not (MIN_SECONDS <= seconds <= MAX_SECONDS) or words < MIN_WORDS:
            return None
        pace = words / (seconds / 60)
        return pace if MIN_WPM <= pace <= MAX_WPM else None

    def reset(self) -> None:
        self.last_time = None
