"""Deterministic synthetic stories and libraries for the benchmarks.

Run: python benchmarks/generate.py story 100000 out.txt
     python benchmarks/generate.py library DIR [--count 10000]

Everything is built from a seeded `random.Random` and a small word list, so the
same arguments always give the same bytes. The sentences are random strings of
ordinary words and invented names: original, meaningless, and shaped like fic
(a `Label: value` header, `Chapter N: Title` headings, `* * *` scene breaks,
narration mixed with “curly” and "straight" dialogue, some speeches running over
several paragraphs, an occasional apostrophe). No real prose is copied.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

NAMES = [
    "Maren", "Tobin", "Ilse", "Corvin", "Anouk", "Bram", "Sefa", "Lior", "Oona", "Pell",
    "Wren", "Dagny", "Esko", "Halvard", "Juno", "Kestrel", "Rumi", "Sable", "Teodor", "Vesna",
]
NOUNS = (
    "lantern harbour window orchard letter kettle ferry bridge road garden tower market "
    "river blanket stair door table lamp field shore cellar roof boat gate wall hill coat "
    "clock map rope bell candle ledger basket chair train station cup glass knife stone "
    "feather thread needle compass ribbon key drawer fence ladder sail net well valley"
).split()
ADJECTIVES = (
    "quiet old narrow bright cold small heavy pale green crooked warm empty late grey "
    "soft sharp distant careful broken patient slow golden salty hollow sudden"
).split()
VERBS = (
    "watched folded carried opened crossed found kept mended counted painted lifted "
    "followed turned closed measured borrowed answered noticed pulled steadied traced"
).split()
ADVERBS = "slowly|again|quietly|at once|carefully|twice|instead|after all|somehow".split("|")
PLACES = "by the door|near the river|under the stair|past the market|on the roof|" \
    "at the far table|along the shore|behind the orchard".split("|")
SAID = "said|asked|murmured|replied|called|whispered|admitted|insisted".split("|")
SPOKEN = (
    "I know|we should go|not yet|you kept it|where is the key|that was the last one|"
    "tell me again|it is later than you think|I never asked for this|bring the lamp|"
    "did you count them|it isn’t far|don't wait for me|we’ll mend it tomorrow|"
    "the ferry leaves at six|you were right about the map|I can't see the shore"
).split("|")

FANDOMS = [
    "Harbour Lights", "The Salt Road", "Orchard Keepers", "Station Nine", "Lantern Court",
    "The Glass Ferry", "Winter Ledger", "Crooked Hill Academy", "Original Work",
    "The Compass Rose", "Tidewater", "Bellmakers", "Hollow Valley", "The Last Train",
    "Candlewick", "Rope and Sail", "Greystone", "The Narrow Bridge", "Paper Towers",
    "Goldfield", "Ninefold", "Saltmarsh Tales", "Quiet Garden", "Redwater Market",
]
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated",
           "PG-13", "K+", "T", "M"]
WARNINGS = ["No Archive Warnings Apply", "Creator Chose Not To Use Archive Warnings",
            "Graphic Depictions Of Violence", "Major Character Death"]
TAGS = (
    "slow burn|found family|hurt/comfort|fluff|angst|established relationship|road trip|"
    "alternate universe|canon divergence|friends to lovers|pining|banter|winter|letters|"
    "happy ending|open ending|missing scene|post-canon|first kiss|rivals to friends"
).split("|")


# -- sentences and paragraphs ------------------------------------------------------------


def _noun(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    return f"the {rng.choice(NOUNS)}"


def sentence(rng: random.Random) -> str:
    """One made-up narrative sentence (about 6-16 words)."""
    who = rng.choice(NAMES) if rng.random() < 0.6 else _noun(rng).capitalize()
    parts = [who, rng.choice(VERBS), _noun(rng)]
    roll = rng.random()
    if roll < 0.4:
        parts.append(rng.choice(PLACES))
    elif roll < 0.6:
        parts.append(rng.choice(ADVERBS))
    if rng.random() < 0.25:
        parts.append(f"and {rng.choice(VERBS)} {_noun(rng)}")
    if rng.random() < 0.08:
        parts.append(f"with {rng.choice(NAMES)}’s {rng.choice(NOUNS)}")
    return " ".join(parts) + rng.choice(".....!?")


def narration(rng: random.Random, low: int = 2, high: int = 7) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def _speech(rng: random.Random) -> str:
    line = rng.choice(SPOKEN)
    return line[0].upper() + line[1:]


def dialogue(rng: random.Random, curly: bool) -> str:
    """A paragraph of speech, often broken by a speech tag and followed by narration."""
    open_q, close_q = ("“", "”") if curly else ('"', '"')
    who = rng.choice(NAMES)
    first = _speech(rng)
    roll = rng.random()
    if roll < 0.4:
        text = f"{open_q}{first},{close_q} {who} {rng.choice(SAID)}."
    elif roll < 0.7:
        second = rng.choice(SPOKEN)
        text = (f"{open_q}{first},{close_q} {who} {rng.choice(SAID)}, "
                f"{open_q}{second}.{close_q}")
    else:
        text = f"{open_q}{first}. {_speech(rng)}?{close_q}"
    if rng.random() < 0.5:
        text += " " + narration(rng, 1, 3)
    return text


def long_speech(rng: random.Random, curly: bool) -> list[str]:
    """Speech over several paragraphs: each opens with a quote, only the last closes."""
    open_q, close_q = ("“", "”") if curly else ('"', '"')
    count = rng.randint(2, 4)
    paragraphs = []
    for index in range(count):
        body = " ".join(_speech(rng) + "." for _ in range(rng.randint(2, 5)))
        end = close_q if index == count - 1 else ""
        paragraphs.append(f"{open_q}{body}{end}")
    return paragraphs


def words_in(text: str) -> int:
    return len(text.split())


def chapter_title(rng: random.Random) -> str:
    return f"The {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS).capitalize()}"


def body(rng: random.Random, target_words: int, chapter_words: int = 4000) -> list[str]:
    """Paragraphs (chapter headings and scene breaks included) to about `target_words`."""
    paragraphs: list[str] = []
    total = 0
    chapter = 0
    in_chapter = chapter_words  # forces a heading first
    since_break = 0
    while total < target_words:
        if in_chapter >= chapter_words:
            chapter += 1
            paragraphs.append(f"Chapter {chapter}: {chapter_title(rng)}")
            in_chapter = since_break = 0
        elif since_break > 1200 and rng.random() < 0.1:
            paragraphs.append("* * *")
            since_break = 0
        roll = rng.random()
        curly = rng.random() < 0.9  # mostly curly, some straight quotes as real files have
        if roll < 0.45:
            new = [narration(rng)]
        elif roll < 0.95:
            new = [dialogue(rng, curly)]
        else:
            new = long_speech(rng, curly)
        for text in new:
            count = words_in(text)
            paragraphs.append(text)
            total += count
            in_chapter += count
            since_break += count
    return paragraphs


# -- whole stories ------------------------------------------------------------------------


@dataclass
class StorySpec:
    title: str
    author: str
    fandoms: list[str]
    rating: str
    warnings: list[str]
    relationships: list[str]
    characters: list[str]
    tags: list[str]
    summary: str
    status: str
    words: int


def header(spec: StorySpec, chapters: int) -> str:
    lines = [
        f"Title: {spec.title}",
        f"Author: {spec.author}",
        f"Fandom: {', '.join(spec.fandoms)}",
        f"Rating: {spec.rating}",
        f"Warnings: {', '.join(spec.warnings)}",
        f"Relationship: {', '.join(spec.relationships)}",
        f"Characters: {', '.join(spec.characters)}",
        f"Tags: {', '.join(spec.tags)}",
        f"Words: {spec.words}",
        f"Chapters: {chapters}/{chapters if spec.status == 'Complete' else '?'}",
        f"Status: {spec.status}",
        f"Summary: {spec.summary}",
    ]
    return "\n".join(line for line in lines if not line.endswith(": "))


def author_name(rng: random.Random) -> str:
    return f"{rng.choice(NAMES).lower()}{rng.choice(NOUNS)}{rng.randint(1, 99)}"


def random_spec(
    rng: random.Random, words: int, title: str | None = None, authors: list[str] | None = None
) -> StorySpec:
    characters = rng.sample(NAMES, rng.randint(1, 6))
    pairs = [f"{a}/{b}" for a, b in zip(characters[::2], characters[1::2], strict=False)]
    if title is None:
        title = chapter_title(rng) + (f" of {rng.choice(NAMES)}" if rng.random() < 0.3 else "")
    return StorySpec(
        title=title,
        author=rng.choice(authors) if authors else author_name(rng),
        fandoms=rng.sample(FANDOMS, 1 if rng.random() < 0.85 else 2),
        rating=rng.choice(RATINGS),
        warnings=rng.sample(WARNINGS, rng.randint(1, 2)),
        relationships=pairs,
        characters=characters,
        tags=rng.sample(TAGS, rng.randint(0, 8)),
        summary=narration(rng, 1, 3),
        status="Complete" if rng.random() < 0.7 else "In Progress",
        words=words,
    )


def story_text(target_words: int, seed: int = 1) -> str:
    """A whole plain-text story of about `target_words` words."""
    rng = random.Random(seed)
    paragraphs = body(rng, target_words)
    chapters = sum(1 for p in paragraphs if p.startswith("Chapter "))
    spec = random_spec(rng, target_words, title=f"A Story of {target_words} Words")
    return header(spec, chapters) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_story(path: Path, target_words: int, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(story_text(target_words, seed), encoding="utf-8")
    return path


# -- libraries ----------------------------------------------------------------------------

UNIQUE_WORD = "Zephyrwick"  # no generated text contains a z, so this matches one story only


def _slug(text: str) -> str:
    return "-".join("".join(c for c in word if c.isalnum()) for word in text.lower().split())


def _library_length(rng: random.Random) -> int:
    """Mostly 1-20k words (median ~3k), with a long tail up to ~60k."""
    if rng.random() < 0.02:
        return rng.randint(20_000, 60_000)
    return max(300, min(20_000, int(rng.lognormvariate(8.0, 0.8))))


def write_library(
    root: Path, count: int = 10_000, seed: int = 5, words: int | None = None
) -> tuple[Path, str]:
    """Write `count` stories under `root` in nested folders; `words`: each story
    that long (the 50k and 100k libraries: short stories, so they fit on a disk),
    else mostly 1-20k words.

    Returns the path of the story scanned last and a title word only it has
    (`UNIQUE_WORD`): it sits in the folder that sorts last, so a streaming scan
    reaches it at the very end.
    """
    rng = random.Random(seed)
    words_each = words
    # A pool of paragraphs to draw from keeps 10,000 files (tens of millions of words)
    # quick to write; headers, titles and lengths still differ per story.
    pool = body(rng, 200_000, chapter_words=10**9)[1:]
    pool_words = [words_in(p) for p in pool]
    fandom_dirs = sorted(_slug(f) for f in FANDOMS)
    authors = sorted({author_name(rng) for _ in range(max(10, count // 12))})
    root.mkdir(parents=True, exist_ok=True)
    last_path = root
    for index in range(count):
        last = index == count - 1
        words = _library_length(rng) if words_each is None else words_each
        spec = random_spec(rng, words, f"The {UNIQUE_WORD} Accord" if last else None, authors)
        chapters = max(1, words // rng.randint(2000, 6000))
        per_chapter = max(1, words // chapters)
        parts: list[str] = []
        for chapter in range(1, chapters + 1):
            if chapters > 1:
                parts.append(f"Chapter {chapter}: {chapter_title(rng)}")
            written = 0
            start = rng.randrange(len(pool))
            position = start
            while written < per_chapter:
                parts.append(pool[position])
                written += pool_words[position]
                position = (position + 1) % len(pool)
        text = header(spec, chapters) + "\n\n" + "\n\n".join(parts) + "\n"
        if last:
            folder = root / fandom_dirs[-1] / "zz-unsorted"
        else:
            folder = root / _slug(spec.fandoms[0])
            depth = rng.random()
            if depth < 0.6:
                folder = folder / _slug(spec.author)
            if depth < 0.15:
                folder = folder / f"series-{rng.randint(1, 20)}"
        folder.mkdir(parents=True, exist_ok=True)
        extension = ".txt"
        path = folder / f"{_slug(spec.title) or 'untitled'}-{index:05d}{extension}"
        path.write_text(text, encoding="utf-8")
        last_path = path
    return last_path, UNIQUE_WORD.lower()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("story", help="write one story")
    one.add_argument("words", type=int)
    one.add_argument("path", type=Path)
    one.add_argument("--seed", type=int, default=1)
    many = sub.add_parser("library", help="write a library of stories")
    many.add_argument("path", type=Path)
    many.add_argument("--count", type=int, default=10_000)
    many.add_argument("--seed", type=int, default=5)
    many.add_argument("--words", type=int, default=None, help="every story this long")
    args = parser.parse_args(argv)
    if args.command == "story":
        write_story(args.path, args.words, args.seed)
        print(args.path)
    else:
        last, word = write_library(args.path, args.count, args.seed, args.words)
        print(f"last story: {last} (unique title word: {word})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
