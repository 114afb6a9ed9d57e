"""The fit of fan fiction's corrections reads only the fic sets that may be looked at."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import train_fic_speakers  # noqa: E402

HELD_OUT = {"set6", "set11"}
SET5_HELD_OUT = {"marvel_waffles", "tedlasso_quiz", "witcher_ford"}


def test_the_fit_never_reads_a_held_out_story() -> None:
    chosen = train_fic_speakers.stories()
    assert len(chosen) >= 59  # set5's three, six in each of set7 to set10, set12 to set14
    assert sum(group == "demo" for group, _path, _reading in chosen) >= 14
    for group, path, reading in chosen:
        assert group not in HELD_OUT
        assert path.parent.name == group or (group, path.parent.name) == ("demo", "demo_stories")
        assert path.stem not in SET5_HELD_OUT
        assert reading and all("speaker" in r for r in reading)


def test_the_fitted_corrections_are_pulled_toward_the_novels_weights() -> None:
    from train_speakers import fit

    # One turn of two candidates, the second right: the fit moves the weight of its
    # one feature up from the anchor, and a strong pull keeps it nearer.
    data = [([{0: 0.0}, {0: 1.0}], 1)] * 20
    loose = fit(list(data), [0.5], anchor=[0.5], l2=0.0)
    tight = fit(list(data), [0.5], anchor=[0.5], l2=5.0)
    assert loose[0] > tight[0] > 0.5
