"""Speaker attribution on stories built to be slow: its time against the dialogue pass.

Run: /work/venv/bin/python benchmarks/bench_speakers_hostile.py [CASE ...]

A story from the internet may be made of anything. Each case below is a shape that
once made some step of attribution grow with the square of its size (a paragraph of
thousands of tags or names, thousands of made-up names, thousands of descriptions,
long runs of capitals joined as a name may be inside: "Aa-Aa-", "McMc", a speech
of thousands of quotations inside it, thousands of pronoun tags naming someone,
thousands of one surname, a long run of spaces after a speech, thousands of header
names and short names sharing their first letters, a long speech that names its
speaker as a telephone would over and over), or one that might (every role noun tied
to a name and tagged, under 500 header kin tags; a speech of thousands of hang-ups
and self-introductions under tags thousands of characters long; a paragraph of
thousands of characters leaving; roles that open the narration and give names, and
ranks before a thousand header surnames under a thousand fandoms): a header of
thousands of characters, a story of one-word quotes. (Its "words"
count what white space splits: the joined capitals have almost none.)
Each is built at two sizes, and the line prints the CPU time of the dialogue pass and
of attribution at each, the ratio of the two, and how much attribution grew when the
story doubled: about 2x is linear, 4x is the square. Attribution runs in the
background (a thread, or a child process past 200,000 words), so the figure that
matters is the growth, not the ratio; a typical novel's ratio is 16-18x
(bench_speakers.py).
"""

from __future__ import annotations

import random
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuific.dialogue import find_dialogue  # noqa: E402
from tuific.formats.plaintext import parse  # noqa: E402
from tuific.model import Metadata  # noqa: E402
from tuific.speakers import attribute  # noqa: E402
from tuific.speakers.roles import ROLE_NOUNS  # noqa: E402

Story = tuple[list[str], Metadata | None]


def _word(rng: random.Random, n: int = 6) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))


def _name(rng: random.Random) -> str:
    return _word(rng).capitalize()


def tags_in_one_paragraph(rng: random.Random, n: int) -> Story:
    """One paragraph of `n` tagged speeches, each by a new name."""
    return [" ".join(f'"Yes," said {_name(rng)}. "No," said he.' for _ in range(n))], None


def names_in_one_paragraph(rng: random.Random, n: int) -> Story:
    """Narration naming `n` made-up people in one paragraph, then a speech."""
    return [" ".join(f"{_name(rng)} walked." for _ in range(n)), '"Hi," said he.'], None


def made_up_names(rng: random.Random, n: int) -> Story:
    """`n` paragraphs, each with ten tags and narration of new two-word names."""
    return [
        " ".join(
            f'"Hello," said {_name(rng)} {_name(rng)}. {_name(rng)} looked at Mr. {_name(rng)}.'
            for _ in range(10)
        )
        for _ in range(n)
    ], None


def descriptions(rng: random.Random, n: int) -> Story:
    """`n` paragraphs tagged by a new description each ("said the xqzt vorpl")."""
    return [
        f'"Hi," said the {_word(rng)} {_word(rng)}. "Bye," said the {_word(rng)}.'
        for _ in range(n)
    ], None


def big_header(rng: random.Random, n: int) -> Story:
    """A header naming 5,000 characters, and `n` paragraphs tagged with them."""
    chars = [f"{_name(rng)} {_name(rng)}" for _ in range(5000)]
    header = "Title: T\nAuthor: A\nCharacters: " + ", ".join(chars) + "\n\nBody.\n"
    meta = parse(header, Path("hostile.txt")).meta
    texts = [
        f'"Hi," said {rng.choice(chars)}. "Bye," said {rng.choice(chars).split()[0]}.'
        for _ in range(n)
    ]
    return texts, meta


def one_word_quotes(rng: random.Random, n: int) -> Story:
    """`n` paragraphs of a one-word quotation each, no tags."""
    return [f'"{_word(rng)}."' for _ in range(n)], None


def joined_capitals(rng: random.Random, n: int) -> Story:
    """Paragraphs of 60,000 characters (the loader's pieces are 64 KiB) of capitals
    joined as names may be inside ("Aa-Aa-", "O'O'", "McMc"), `n` characters in all,
    and a speech."""
    units = ("Aa-", "O'", "Mc", "D'A")
    text = "".join(rng.choice(units) for _ in range(n // 2))[:n]
    return [text[i : i + 60_000] for i in range(0, len(text), 60_000)] + ['"Hi," said he.'], None


def quoted_inside(rng: random.Random, n: int) -> Story:
    """One speech of `n` inner quotations, each naming someone ("‹›Ron ‹Ann›"), and
    elisions with no partner ("'em"), then a paragraph of `n` he-tagged stretches
    after a subject each (speakers/within.py)."""
    inner = " ".join(rng.choice(("‹›Ron", "‘Ann’", "'em Ron", "‹Bob›")) for _ in range(n))
    stretches = " ".join(f'{_name(rng)} ran. "A," he said.' for _ in range(n))
    return ["Ron and Ann came in.", f"“{inner}” said Ann.", f'"Go," said Ron. {stretches}'], None


def pronoun_tags_naming(rng: random.Random, n: int) -> Story:
    """Fifty people, then one paragraph of `n` he-tagged speeches, each naming one of
    them in its tag's sentence ("…," he said, looking at X: features' tag_object)."""
    names = [_name(rng) for _ in range(50)]
    intro = " ".join(f"{x} came." for x in names)
    said = " ".join(f'"Yes," he said, looking at {rng.choice(names)}.' for _ in range(n))
    return [intro, said], None


def one_surname(rng: random.Random, n: int) -> Story:
    """`n` people of one surname, and `n` paragraphs of "said his brother" (Cast.kin)."""
    names = [f"{_name(rng)} Smith" for _ in range(n)]
    texts = [" ".join(f"{x} came in." for x in names)]
    texts += [f'"Hi," said {rng.choice(names)}. "Yes," said his brother.' for _ in range(n)]
    return texts, None


def names_sharing_a_start(rng: random.Random, n: int) -> Story:
    """A header of `n` names that all start "Mar", and `n` one-word names that do too,
    each in a tag and a beat: every one may clip every header name (header.clipped)."""
    meta = Metadata(title="T", characters=[f"Mar{_word(rng)} {_name(rng)}" for _ in range(n)])
    texts = []
    for _ in range(n):
        short = f"Mar{_word(rng, 3)}"
        texts += [f'"Hello there," said {short}.', f'{short} nodded. "Yes."']
    return texts, meta


def spaces_after_speech(rng: random.Random, n: int) -> Story:
    """A tagged speech, then a sentence and a run of `n` spaces (a text or HTML story
    may keep them) in the same paragraph, a speech right before another such run (a
    pattern read after speech once grew with its square), and a speech after it."""
    spaces = " " * n
    return [f'"Hi," said Ann. {_name(rng)} sat.{spaces}x. "Go."{spaces}x.', '"Go."'], None


def on_the_line(rng: random.Random, n: int) -> Story:
    """One speech that never closes, of `n` "Zed here, " and "Zed here." of a name the
    cast does not know (the telephone's self-naming read every one from the speech's
    start: it grew with the square of the speech until the twenty-sixth session's
    review)."""
    return ["Ann came in.", '"' + "Zed here, Zed here. " * n], None


def hails_and_silent_tags(rng: random.Random, n: int) -> Story:
    """`n` comm hails, each after a paragraph that names a device, under 75 header tags
    of 4,000 characters that read like a silent character's ("Silent a a a …"; a run
    of spaces once made that pattern grow with the square of the tag); then one
    paragraph of `n` hails and calls' openings ("Bo, it's Ann.") that names no device
    (each hail once read the whole paragraph again for one: 45 s for 100 KB until the
    thirty-third session's review)."""
    tags = ["Silent " + "a " * 2000] * 75
    meta = Metadata(characters=["Ann Lee", "Bo Ray"], tags=tags, fandoms=["Hostile"])
    texts = []
    for _ in range(n):
        texts += ["His comm badge chirped.", f'"{rng.choice(("Ann", "Bo"))} to Ops."']
    texts.append(" ".join('"Ann to Ops." "Bo, it\'s Ann." He sat.' for _ in range(n)))
    return texts, meta


def roles_and_kin(rng: random.Random, n: int) -> Story:
    """A fic of `n` paragraphs that tie every role noun to a header name ("Ann, the
    guard, …"; each noun's uses are read for its name) and tag its speech with one
    ("said the guard", which the narration then names), under 500 header kin tags
    ("Ann's Dad | …")."""
    nouns = sorted(ROLE_NOUNS)
    kin = [f"Ann's Dad{i} | Dad Lee{i}" for i in range(500)]
    meta = Metadata(characters=["Ann Lee", "Bo Ray", *kin], fandoms=["Hostile"])
    texts = []
    for _ in range(n):
        noun = rng.choice(nouns)
        who = rng.choice(("Ann", "Bo"))
        texts += [f"{who}, the {noun}, came in.", f'"Hello," said the {noun}. The {noun} sat.']
    return texts, meta


def calls_and_introductions(rng: random.Random, n: int) -> Story:
    """One speech that never closes, of `n` "she hung up. I'm Zed Quo, " (each hang-up
    in speech is read for the quote marks before it; every introduction is a name for
    the cast, up to a limit), under 75 tags that give a gender, a narrator and a kin
    word of thousands of characters."""
    tags = [
        "Ann Lee Is Trying Her Best " + "a " * 2000,
        "First Person " + "Ann " * 2000,
        "Uncle Ann" + "n" * 4000,
    ] * 25
    meta = Metadata(characters=["Ann Lee", "Bo Ray"], tags=tags, fandoms=["Hostile"])
    return ["Ann came in.", '"' + "she hung up. I'm Zed Quo, " * n], meta


def goings(rng: random.Random, n: int) -> Story:
    """One paragraph of `n` "Ann left." and "Bo left." (each going once looked through
    every subject after it, and the rest of the paragraph, for whether the narration
    stays behind: 5 s for 10,000 until the thirty-first session's review)."""
    meta = Metadata(characters=["Ann Lee", "Bo Ray"], fandoms=["Hostile"])
    names = [rng.choice(("Ann", "Bo")) for _ in range(n)]
    return [" ".join(f"{name} left." for name in names), '"Hi."', '"Bye."'], meta


def late_names_and_ranks(rng: random.Random, n: int) -> Story:
    """A fic of `n` paragraphs that open on roles ("The guard by the gate was …"),
    speak as them and give names ("“Call me Zed,” said the guard."), and call made-up
    header surnames by ranks ("Chief Lee0"), under 1,000 fandoms and header names
    (each rank, fandom and role once looked through the whole cast)."""
    nouns = sorted(ROLE_NOUNS)
    header = [f"Ann Lee{i}" for i in range(1000)]
    meta = Metadata(characters=header, fandoms=[f"The Fandom{i} (TV)" for i in range(1000)])
    texts = []
    for i in range(n):
        noun, rank = rng.choice(nouns), _word(rng).capitalize()
        texts += [
            f"The {noun} by the gate was waiting. {rank} Lee{i % 1000} and Fandom{i % 1000} came.",
            f'"Call me {_name(rng)}," said the {noun}.',
        ]
    # ...and one paragraph of `n` speeches with a role opening a sentence inside each
    # (each was once tested against every speech of the paragraph: 1.5 s for 8,000).
    texts.append(" ".join('"Hi. The guard was here."' for _ in range(n)))
    return texts, meta


def strangers_and_capitals(rng: random.Random, n: int) -> Story:
    """A fic of `n` strangers each brought in and tagged ("A man with a hat came in." /
    "“Hi,” said the man."), one paragraph of `n` speeches each followed by "a man"
    (each was once a list of the paragraph's speeches made again: 0.8 s for 7,000),
    and one speech of two words of `n` capitals each (a search for three words tried
    every letter: a minute for 65,000), under a header of 50 characters the table of
    fandom aliases knows."""
    header = ["Harry Potter", "Aragorn", "Sirius Black", *(f"Ann Lee{i}" for i in range(47))]
    meta = Metadata(characters=header, fandoms=["Harry Potter - J. K. Rowling"])
    texts = []
    for _ in range(n):
        word = _word(rng)
        texts += [f"A {word} man came in.", f'"Hi," said the {word} man. "I\'m {_name(rng)}."']
    texts.append(" ".join('"." a man' for _ in range(n)))
    texts.append(f'"{"A" * n} {"A" * n}"')
    return texts, meta


CASES: dict[str, tuple[Callable[[random.Random, int], Story], int]] = {
    "tags in one paragraph": (tags_in_one_paragraph, 4_000),
    "names in one paragraph": (names_in_one_paragraph, 20_000),
    "made-up names": (made_up_names, 1_500),
    "descriptions": (descriptions, 10_000),
    "header of 5,000 names": (big_header, 10_000),
    "one-word quotes": (one_word_quotes, 40_000),
    "capitals joined": (joined_capitals, 400_000),
    "quoted inside speech": (quoted_inside, 20_000),
    "pronoun tags naming": (pronoun_tags_naming, 8_000),
    "one surname": (one_surname, 2_000),
    "spaces after speech": (spaces_after_speech, 200_000),
    "names sharing a start": (names_sharing_a_start, 2_500),
    "on the line": (on_the_line, 20_000),
    "hails, silent tags": (hails_and_silent_tags, 5_000),
    "roles and kin tags": (roles_and_kin, 5_000),
    "calls, introductions": (calls_and_introductions, 20_000),
    "goings": (goings, 20_000),
    "late names, ranks": (late_names_and_ranks, 5_000),
    "strangers, capitals": (strangers_and_capitals, 10_000),
}


def _timed(texts: list[str], meta: Metadata | None) -> tuple[int, float, float]:
    began = time.process_time()
    spans = find_dialogue(texts)
    dialogue = time.process_time() - began
    began = time.process_time()
    attribute(texts, spans, meta)
    return sum(len(t.split()) for t in texts), dialogue, time.process_time() - began


def main() -> None:
    wanted = sys.argv[1:]
    unknown = [w for w in wanted if w not in CASES]
    if unknown:
        raise SystemExit(f"bench_speakers_hostile: no case {unknown}; cases: {list(CASES)}")
    print(f"{'case':<24} {'words':>8} {'dialogue':>9} {'attribution':>12} {'ratio':>6}  growth")
    for label, (build, size) in CASES.items():
        if wanted and label not in wanted:
            continue
        took = []
        for n in (size, 2 * size):
            words, dialogue, attribution = _timed(*build(random.Random(7), n))
            took.append(attribution)
            print(
                f"{label:<24} {words:>8,} {dialogue * 1000:>7.0f}ms {attribution * 1000:>10.0f}ms "
                f"{attribution / max(dialogue, 1e-6):>5.0f}x",
                f"  {took[1] / took[0]:.1f}x" if len(took) == 2 else "",
            )


if __name__ == "__main__":
    main()
