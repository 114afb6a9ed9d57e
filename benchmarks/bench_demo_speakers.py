"""Who speaks in the demo stories, against a careful reading of them.

Run: /work/venv/bin/python benchmarks/bench_demo_speakers.py [--errors] [DIR]

The demo stories are ours, and so is their reading: tests/fixtures/demo_speakers/
holds, for each story, one line per stretch of speech that `tuific dialogue --json`
prints (paragraph, start, the speech's opening words) with the speaker a person
reading the whole story names (null for words nobody says aloud: a ledger read
silently, a sign). Unlike the PDNC novels (19th- and 20th-century fiction), these
are written as fan fiction is: headers, short scenes, a few speakers, present-day
talk. It prints, per story and in all: accuracy (a null guess counts wrong, but
where nobody speaks only a null guess is right), and how
much of what the reader colours (`shown`) is right, and how much it colours.
`--errors` lists every wrong record that the reader shows.

DIR reads another set instead: stories and their readings side by side in one folder
(`benchmarks/fic/set5`, `set6`: fan fiction helpers wrote and read as new users
would; see its README for which may be looked at).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tuific.formats import load_story  # noqa: E402
from tuific.speakers import Attribution, attribute  # noqa: E402

DEMO = ROOT / "demo_stories"
GOLD = ROOT / "tests" / "fixtures" / "demo_speakers"


def same(guess: str | None, gold: str | None) -> bool:
    """Whether a guessed name means the gold speaker: the same name, or one whose
    words are all in the other ("Marit" for "Marit Holm"; "Mr. Weston" is not
    "Mrs. Weston"), an article no word of it (the reader's "The Man" for one written
    down as "Man in raccoon hat"). Where nobody speaks (gold null), only no guess is
    right."""
    if gold is None:
        return guess is None
    if guess is None:
        return False
    a, b = set(guess.split()) - _ARTICLE, set(gold.split()) - _ARTICLE
    return bool(a and b) and (a <= b or b <= a)


_ARTICLE = frozenset(("The", "the"))


def story_of(gold: Path, stories: Path) -> Path:
    """The story in `stories` that a gold file reads."""
    return next(p for p in stories.iterdir() if p.stem == gold.stem and p.suffix != ".jsonl")


def read(gold: Path) -> list[dict]:
    return [json.loads(line) for line in gold.read_text("utf-8").splitlines() if line.strip()]


def attributed(story: Path) -> list[Attribution]:
    loaded = load_story(story)
    paragraphs = loaded.paragraphs or []
    return attribute(
        [p.text for p in paragraphs], meta=loaded.meta, kinds=[p.kind for p in paragraphs]
    )


def score(found: list[Attribution], gold: list[dict]) -> tuple[Counter, list[str]]:
    """Counts (n, right, shown, shown_right) and the wrong records the reader shows.
    Raises ValueError when the records and the reading do not line up (the speech
    finder changed: read the story again)."""
    if [(a.paragraph, a.start) for a in found] != [(g["paragraph"], g["start"]) for g in gold]:
        raise ValueError("the speech found no longer matches the reading")
    c: Counter = Counter()
    wrong = []
    for a, g in zip(found, gold, strict=True):
        right = same(a.speaker, g["speaker"])
        c["n"] += 1
        c["right"] += right
        if a.shown:
            c["shown"] += 1
            c["shown_right"] += right
            if not right:
                wrong.append(f"p{a.paragraph} {a.text[:30]!r}: {a.speaker} (read: {g['speaker']})")
    return c, wrong


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}" if b else "    -"


def main() -> None:
    folders = [Path(arg) for arg in sys.argv[1:] if not arg.startswith("--")]
    stories, readings = (folders[0], folders[0]) if folders else (DEMO, GOLD)
    golds = sorted(readings.glob("*.jsonl"))
    if not golds:
        print(f"bench_demo_speakers: no readings in {readings}")
        return
    total: Counter = Counter()
    print(f"{'story':<40} {'speech':>6} {'acc':>5} {'shown%':>6} {'cover':>5}")
    for gold in golds:
        c, wrong = score(attributed(story_of(gold, stories)), read(gold))
        total.update(c)
        print(
            f"{gold.stem[:40]:<40} {c['n']:>6} {_pct(c['right'], c['n'])} "
            f"{_pct(c['shown_right'], c['shown']):>6} {_pct(c['shown'], c['n'])}"
        )
        if "--errors" in sys.argv:
            for line in wrong:
                print(f"    {line}")
    print(
        f"{'TOTAL':<40} {total['n']:>6} {_pct(total['right'], total['n'])} "
        f"{_pct(total['shown_right'], total['shown']):>6} {_pct(total['shown'], total['n'])}"
    )
    print(
        f"(right {total['right']} of {total['n']}; shown {total['shown']}, "
        f"of them right {total['shown_right']})"
    )


if __name__ == "__main__":
    main()
