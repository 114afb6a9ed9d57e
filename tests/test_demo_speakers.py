"""Who speaks in the demo stories, against our careful reading of every stretch of
speech in them (tests/fixtures/demo_speakers/; benchmarks/bench_demo_speakers.py
prints the figures story by story)."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.bench_demo_speakers import DEMO, GOLD, attributed, read, same, score, story_of

# The figures when the reading was made (twentieth session): 488 of 540 right
# (90.4%), 378 of the 387 shown right (97.7%), 71.7% shown; after that session's
# fixes, 500 right (92.6%), 399 of 402 shown right (99.3%), 74.4% shown. The floors
# leave room for a story or two to move, not for the reader to colour wrong names.
# The twenty-third session added closing-shift.txt (first person, present tense,
# action beats): 613 stretches, 559 right (91.2%), 449 of 454 shown right; with
# present-tense action beats read as tags, 564 right (92.0%), 461 of 466 shown;
# with "Lacey. Harriet Lacey." as a self-introduction, 572 (93.3%), 467 of 471.
# The twenty-fourth session: 576 right (94.0%), 474 of 478 shown right.
SHOWN_RIGHT_AT_LEAST = 0.95
RIGHT_AT_LEAST = 0.90
SHOWN_AT_LEAST = 0.70


@pytest.fixture(scope="module")
def totals() -> Counter:
    total: Counter = Counter()
    for gold in sorted(GOLD.glob("*.jsonl")):
        counts, _wrong = score(attributed(story_of(gold, DEMO)), read(gold))
        total.update(counts)
    return total


def test_every_demo_story_has_a_reading() -> None:
    stories = {p.stem for p in DEMO.iterdir() if p.suffix in (".txt", ".md")}
    assert stories == {g.stem for g in GOLD.glob("*.jsonl")}


def test_what_the_reader_colours_is_right(totals: Counter) -> None:
    assert totals["shown_right"] >= SHOWN_RIGHT_AT_LEAST * totals["shown"]
    assert totals["shown"] >= SHOWN_AT_LEAST * totals["n"]


def test_most_speech_has_the_right_speaker(totals: Counter) -> None:
    assert totals["n"] == 613  # a change in the speech found means reading again
    assert totals["right"] >= RIGHT_AT_LEAST * totals["n"]


def test_names_match_by_their_words_not_by_a_shared_surname() -> None:
    assert same("Marit", "Marit Holm") and same("Marit Holm", "Marit")
    assert not same("Mr. Weston", "Mrs. Weston")
    assert same(None, None) and not same("Ada", None) and not same(None, "Ada")


FIC = DEMO.parent / "benchmarks" / "fic"  # fan fiction helpers wrote and read (its README)


@pytest.mark.parametrize(
    ("folder", "speeches", "right", "shown"),
    [
        ("set5", 512, 0.75, 0.9),
        ("set6", 521, 0.75, 0.9),
        ("set7", 479, 0.75, 0.9),
        ("set8", 446, 0.75, 0.9),
        ("set9", 430, 0.75, 0.9),
        ("set10", 439, 0.75, 0.9),
        ("set11", 474, 0.75, 0.9),
        ("set12", 451, 0.75, 0.9),
        ("set13", 545, 0.75, 0.9),
        ("set14", 447, 0.75, 0.9),
        ("set16", 620, 0.75, 0.9),
        # held out, first read at 500 of 683 right, 368 of 425 shown right
        ("set15", 683, 0.65, 0.8),
        # held out, first read at 530 of 679 right, 421 of 453 shown right
        ("set17", 679, 0.7, 0.85),
        # held out when written, first read at 578 of 821 right, 448 of 526 shown right
        ("set18", 821, 0.7, 0.85),
        # held out when written, first read at 516 of 658 right, 380 of 413 shown right
        ("set19", 658, 0.7, 0.85),
        # held out, first read at 451 of 604 right, 356 of 397 shown right
        ("set20", 604, 0.7, 0.85),
        # first read at 464 of 585 right, 375 of 406 shown right, then looked at (584
        # since the finder reads a sign in capitals as no speech)
        ("set21", 584, 0.7, 0.85),
        # held out, first read at 546 of 654 right, 431 of 458 shown right
        ("set22", 654, 0.7, 0.85),
        # first read at 488 of 602 right, 352 of 390 shown right, then looked at
        ("set23", 602, 0.7, 0.85),
        # held out, first read at 491 of 606 right, 405 of 442 shown right (one a 'cello, no speech)
        ("set24", 605, 0.7, 0.85),
        # first read at 502 of 639 right, 415 of 464 shown right, then looked at
        ("set25", 639, 0.7, 0.85),
        # held out, first read at 508 of 622 right, 412 of 435 shown right
        ("set26", 622, 0.7, 0.85),
        # first read at 488 of 622 right, 373 of 387 shown right, then looked at
        ("set27", 622, 0.7, 0.85),
        # first read at 502 of 628 right, 393 of 427 shown right, then looked at
        ("set28", 628, 0.7, 0.85),
        # held out, first read at 522 of 642 right, 417 of 439 shown right
        ("set29", 642, 0.7, 0.85),
        # first read at 547 of 657 right, 437 of 449 shown right, then looked at (652
        # since the finder keeps Baldrick's "It's 'ard to tell" one speech and reads
        # three titles in quotes as no speech)
        ("set30", 652, 0.7, 0.85),
        # held out, first read at 474 of 574 right, 362 of 382 shown right
        ("set31", 574, 0.7, 0.85),
    ],
)
def test_the_fan_fiction_sets_still_line_up_with_the_speech_found(
    folder: str, speeches: int, right: float, shown: float
) -> None:
    # score() raises where the records no longer match the reading (the finder
    # changed: read those stories again); the floor is far under their first figures
    # (424 of 512 right, 336 of 354 shown; 423 of 521, 316 of 326; 364 of 479,
    # 293 of 324), to catch a collapse, not to tune.
    total: Counter = Counter()
    for gold in sorted((FIC / folder).glob("*.jsonl")):
        counts, _wrong = score(attributed(story_of(gold, FIC / folder)), read(gold))
        total.update(counts)
    assert total["n"] == speeches
    assert total["right"] >= right * total["n"]
    assert total["shown_right"] >= shown * total["shown"]
