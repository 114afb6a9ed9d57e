"""Our metadata cache (format 5, tuific/cache/) against the same stories in sqlite3 (issue 13).

Run: python benchmarks/bench_cache_sqlite.py [--count 10000|100000] [--runs N]

For a library (benchmarks/generate.py, 300-word stories, kept in --keep: the 100k one
of bench_library.py), builds our cache file once with a first scan (kept in --scratch),
writes the same stories to a sqlite3 database (one row per story, every stored value:
lists joined by \\x01 as ours are, `extra` as JSON, an index on the title sort key
and a unique one on the path; no WAL: one writer, readers never wait for it), and
prints the median of --runs repetitions of each step, as a ratio to ours in the same
run. Reads run in a fresh interpreter each (imports done before the clock starts);
the files stay in the OS page cache, as on a warm start.

1. first frame: ours `MetadataCache.listed(verify=False)` and the first 40 rows'
   title, authors, words and status in title order (with the file's read, and with
   it read before the clock, as the app's read-ahead thread does during imports);
   sqlite: open, count(*) (the list's length) and `SELECT ... ORDER BY title_key
   LIMIT 40` (and 120), those rows checked for escapes;
2. whole listing: ours listed + `verify()` + path, title, authors, words, status of
   every story; sqlite: those columns of every row in title order, with and without
   the escape check of 3;
3. the escape check: ours `CachedStories.verify()` (every check, not only escapes);
   sqlite: every text value that can reach the screen, concatenated by sqlite and
   fetched as bytes, run through the same check ours uses (`_unclean_text`). Type
   checks (a tampered row holding a number for a title) are left out: they would
   only add to sqlite's time;
4. writing: ours `MetadataCache.save()` of every loaded story; sqlite: a fresh
   file, every row inserted in one transaction, the indexes built; the file sizes;
   one story's row replaced in a transaction of its own, against ours for a rescan
   finding one changed file (its entry stored and the file written from the old
   columns, tuific.cache.patch); the FTS5 trigram index of 5 on its own;
5. a one-word filter (the word only the last story has): ours `filter_entries` over
   `make_entries` of the verified columns (which searches the stored haystack);
   sqlite: an FTS5 trigram MATCH over the same haystack (contentless).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tuific import metadata  # noqa: E402
from tuific.cache import STORY_SEP, MetadataCache  # noqa: E402
from tuific.cache.clean import _UNSTORABLE, _unclean_text  # noqa: E402
from tuific.model import Metadata, Story  # noqa: E402
from tuific.paths import MAX_CACHE_BYTES  # noqa: E402
from tuific.readahead import ReadAhead  # noqa: E402
from tuific.sorting import title_keys  # noqa: E402

LIST_SEP = "\x01"  # as ours: cleaned text never holds it, and _unclean_text allows it
# Metadata's list fields, in its own order (the table's columns).
LIST_FIELDS = tuple(f.name for f in fields(Metadata) if f.name in metadata.LIST_FIELDS)
TEXT_FIELDS = (
    "title",
    "rating",
    "rating_original",
    "summary",
    "notes",
    "status",
    "series",
    "published",
    "updated",
    "language",
)
INT_FIELDS = ("words_declared", "chapters_total", "series_index")
# Every text column that can reach the screen (what the escape check scans).
SHOWN = ("rel", "format", "chapter_titles", "extra", *LIST_FIELDS, *TEXT_FIELDS)
COLUMNS = (
    "id",
    "rel",
    "size",
    "mtime_ns",
    "format",
    "fingerprint",
    "words",
    "chapter_titles",
    "chapter_paragraphs",
    "title_key",
    "extra",
    *LIST_FIELDS,
    *TEXT_FIELDS,
    *INT_FIELDS,
)
SCHEMA = f"""
CREATE TABLE stories (
    id INTEGER PRIMARY KEY, rel TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, format TEXT NOT NULL, fingerprint TEXT,
    words INTEGER NOT NULL, chapter_titles TEXT NOT NULL,
    chapter_paragraphs TEXT NOT NULL, title_key TEXT NOT NULL, extra TEXT NOT NULL,
    {", ".join(f"{name} TEXT NOT NULL" for name in LIST_FIELDS)},
    {", ".join(f"{name} TEXT" for name in TEXT_FIELDS)},
    {", ".join(f"{name} INTEGER" for name in INT_FIELDS)}
) STRICT;
"""
INDEXES = "CREATE INDEX stories_by_title ON stories (title_key, id);"
FTS = "CREATE VIRTUAL TABLE haystack USING fts5(text, content='', tokenize='trigram');"
LISTED = ("title", "authors", "words", "status")


# ------------------------------------------------------------------ building the files


def prepare(count: int, keep: Path, scratch: Path) -> tuple[Path, Path, str]:
    """The library, our cache file of it (a first scan, once) and its one-story word."""
    import generate  # benchmarks/generate.py

    from tuific.library import scan_library

    # As bench_library.ensure_library names and stamps it (the 100k library is shared).
    library = keep / f"library-{count}-300w"
    stamp = library / ".generated.json"
    if not stamp.exists():
        print(f"generating {library}…", file=sys.stderr)
        _last, word = generate.write_library(library, count, words=300)
        stamp.write_text(json.dumps({"word": word}), encoding="utf-8")
    word = json.loads(stamp.read_text(encoding="utf-8"))["word"]
    cache_file = scratch / f"cache-{count}.json"
    if not cache_file.exists():
        print(f"scanning {library} into {cache_file}…", file=sys.stderr)
        cache = MetadataCache(library, cache_file)
        for _ in scan_library(library, cache):
            pass
        cache.save()
    return library, cache_file, word


def sqlite_rows(cache: MetadataCache) -> list[tuple[Any, ...]]:
    """Every loaded story as a row of COLUMNS, in path order (as ours writes them)."""
    rows: list[tuple[Any, ...]] = []
    entries = sorted(cache._stories.items())
    keys = title_keys([story.meta.title for _rel, (_s, _m, story) in entries])
    for index, ((rel, (size, mtime_ns, story)), key) in enumerate(zip(entries, keys, strict=True)):
        meta = story.meta
        rows.append(
            (
                index,
                rel,
                size,
                mtime_ns,
                story.format,
                story.fingerprint,
                story.words,
                LIST_SEP.join(chapter.title for chapter in story.chapters),
                ",".join(str(chapter.paragraph) for chapter in story.chapters),
                key,
                json.dumps(meta.extra, ensure_ascii=False),
                *(LIST_SEP.join(getattr(meta, name)) for name in LIST_FIELDS),
                *(getattr(meta, name) for name in TEXT_FIELDS),
                *(getattr(meta, name) for name in INT_FIELDS),
            )
        )
    return rows


def write_sqlite(db: Path, rows: list[tuple[Any, ...]]) -> None:
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("BEGIN")
        con.execute(SCHEMA)
        marks = ", ".join("?" * len(COLUMNS))
        con.executemany(f"INSERT INTO stories ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
        con.execute(INDEXES)
        con.execute("COMMIT")
    finally:
        con.close()


def update_one(db: Path, rows: list[tuple[Any, ...]]) -> None:
    """One story changed on disk (a rescan): its row replaced, as a commit of its own.
    Ours rewrites the whole file for it (save)."""
    con = sqlite3.connect(db, isolation_level=None)
    try:
        row = rows[len(rows) // 2]
        con.execute("BEGIN")
        marks = ", ".join("?" * len(COLUMNS))
        con.execute(f"REPLACE INTO stories ({', '.join(COLUMNS)}) VALUES ({marks})", row)
        con.execute("COMMIT")
    finally:
        con.close()


def add_fts(db: Path, haystacks: list[str]) -> None:
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("BEGIN")
        con.execute(FTS)
        con.executemany("INSERT INTO haystack (rowid, text) VALUES (?, ?)", enumerate(haystacks))
        con.execute("COMMIT")
    finally:
        con.close()


# ------------------------------------------------------------------ the timed reads


def unclean_rows(rows: list[tuple[Any, ...]]) -> bool:
    """Does any text value of these rows hold a character cleaned text cannot (a list's
    separator, \\x01, allowed)?"""
    texts = [value for row in rows for value in row if type(value) is str]
    return bool(_UNSTORABLE.search("".join(texts).replace(LIST_SEP, "")))


def sqlite_check(con: sqlite3.Connection) -> bool:
    """Does any shown text value hold a character cleaned text cannot?"""
    joined = " || char(10) || ".join(f"coalesce({name}, '')" for name in SHOWN)
    (blob,) = con.execute(
        f"SELECT CAST(group_concat({joined}, char(10)) AS BLOB) FROM stories"
    ).fetchone()
    return _unclean_text(blob or b"")


def child(task: str, cache_file: Path, library: Path, db: Path, word: str) -> float:
    """One measured step in this fresh interpreter: its milliseconds."""
    from tuific.query import filter_entries, make_entries, parse_query

    ahead = None
    if task == "ours-first-read-ahead":  # the file's bytes read before the clock starts,
        ahead = ReadAhead(cache_file, MAX_CACHE_BYTES)  # as the app's start-up thread does
        ahead.result()
    start = time.perf_counter()
    if task.startswith("ours"):
        cache = MetadataCache(library, cache_file, read_ahead=ahead)
        listed, _failures = cache.listed(verify=False) or (None, [])
        assert listed is not None, "our cache file was refused"
        if task.startswith("ours-first"):
            rows = [
                tuple(listed.value(name, i) for name in LISTED) for i in listed.title_order()[:40]
            ]
            assert len(rows) == 40
        elif task == "ours-check":
            start = time.perf_counter()
            assert listed.verify()
        elif task == "ours-whole":
            assert listed.verify()
            listed.title_order()
            for name in ("path", *LISTED):
                listed.values(name)
        elif task == "ours-filter":
            assert listed.verify()
            count = len(listed)
            start = time.perf_counter()
            found = filter_entries(
                parse_query(word), make_entries(listed, ["unread"] * count, [False] * count)
            )
            assert len(found) == 1, found
        return (time.perf_counter() - start) * 1000
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    if task.startswith("sqlite-first"):
        limit = int(task.rsplit("-", 1)[1])
        (count,) = con.execute("SELECT count(*) FROM stories").fetchone()
        rows = con.execute(
            "SELECT rel, title, authors, words, status FROM stories"
            f" ORDER BY title_key, id LIMIT {limit}"
        ).fetchall()
        assert not unclean_rows(rows) and count > limit
        shown = [
            (title, authors.split(LIST_SEP) if authors else [], words, status)
            for _rel, title, authors, words, status in rows
        ]
        assert len(shown) == limit
    elif task == "sqlite-check":
        assert not sqlite_check(con)
    elif task.startswith("sqlite-whole"):
        if task == "sqlite-whole-checked":
            assert not sqlite_check(con)
        rows = con.execute(
            "SELECT rel, title, authors, words, status FROM stories ORDER BY title_key, id"
        ).fetchall()
        prefix = str(library) + os.sep
        whole = [
            (prefix + rel, title, authors.split(LIST_SEP) if authors else [], words, status)
            for rel, title, authors, words, status in rows
        ]
        assert len(whole) == len(rows)
    elif task == "sqlite-filter":
        con.execute("SELECT count(*) FROM stories").fetchone()  # opened, as ours is
        start = time.perf_counter()
        found = con.execute(
            "SELECT rowid FROM haystack WHERE haystack MATCH ?", ('"' + word.casefold() + '"',)
        ).fetchall()
        assert len(found) == 1, found
    con.close()
    return (time.perf_counter() - start) * 1000


# ------------------------------------------------------------------ the run


READS = {  # ours -> the sqlite steps compared with it
    "ours-first": ("sqlite-first-40", "sqlite-first-120"),
    "ours-first-read-ahead": ("sqlite-first-40",),
    "ours-whole": ("sqlite-whole", "sqlite-whole-checked"),
    "ours-check": ("sqlite-check",),
    "ours-filter": ("sqlite-filter",),
}


def ours_update_one(library: Path, file: Path) -> float:
    """A rescan finding one story changed, after the check: its lookup, the new entry
    stored and the file saved (written from the old columns: tuific.cache.patch)."""
    cache = MetadataCache(library, file)
    stories = (cache.listed() or (None, []))[0]
    assert stories is not None
    index = len(stories) // 2
    path, size = stories.value("path", index), stories.value("size", index)
    mtime_ns = stories.value("mtime_ns", index)
    start = time.perf_counter()
    story = cache.lookup(path, size, mtime_ns)
    assert isinstance(story, Story)
    cache.store(path, size, mtime_ns + 1, story)
    assert cache.save() and cache._base is not None
    return (time.perf_counter() - start) * 1000


def median_ms(times: list[float]) -> float:
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=Path.home() / ".cache" / "tuific-bench")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/tuific-sqlite-bench"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    library, cache_file, word = prepare(args.count, args.keep, args.scratch)
    db = args.scratch / f"cache-{args.count}.sqlite"
    if args.child:
        print(json.dumps(child(args.child, cache_file, library, db, word)))
        return

    # 4. writing, in this process: every story loaded from our file first.
    cache = MetadataCache(library, cache_file)
    cache.load()
    listed = cache.listed()
    assert listed is not None and len(cache._stories) == args.count
    haystacks = listed[0].joined("haystack").split(STORY_SEP)  # type: ignore[union-attr]
    haystacks = [text.replace("\x00", "\n") for text in haystacks]
    ours_file = args.scratch / f"written-{args.count}.json"
    writes: dict[str, list[float]] = {
        "ours-save": [],
        "sqlite-insert": [],
        "sqlite-update-one": [],
        "sqlite-fts": [],
        "ours-update-one": [],
    }
    plain = 0.0
    for _ in range(max(3, args.runs // 2)):
        cache.file, cache.dirty = ours_file, True
        start = time.perf_counter()
        assert cache.save()
        writes["ours-save"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        rows = sqlite_rows(cache)
        write_sqlite(db, rows)
        writes["sqlite-insert"].append((time.perf_counter() - start) * 1000)
        plain = db.stat().st_size / 1e6
        start = time.perf_counter()
        update_one(db, rows)
        writes["sqlite-update-one"].append((time.perf_counter() - start) * 1000)
        writes["ours-update-one"].append(ours_update_one(library, ours_file))
        start = time.perf_counter()
        add_fts(db, haystacks)
        writes["sqlite-fts"].append((time.perf_counter() - start) * 1000)
    del cache, listed, haystacks

    times: dict[str, list[float]] = {}
    tasks = [task for ours, theirs in READS.items() for task in (ours, *theirs)]
    command = [
        sys.executable,
        __file__,
        "--count",
        str(args.count),
        "--keep",
        str(args.keep),
        "--scratch",
        str(args.scratch),
        "--child",
    ]
    for _ in range(args.runs):  # interleaved: a busy moment hits every step alike
        for task in tasks:
            out = subprocess.run([*command, task], capture_output=True, text=True, check=True)
            times.setdefault(task, []).append(json.loads(out.stdout))

    print(
        f"{args.count:,} stories, medians of {args.runs} fresh processes (writes: "
        f"{len(writes['ours-save'])} in-process); ratio = sqlite / ours"
    )
    for ours, theirs in READS.items():
        base = median_ms(times[ours])
        print(f"  {ours:<22} {base:8.1f} ms")
        for task in theirs:
            ms = median_ms(times[task])
            print(f"  {task:<22} {ms:8.1f} ms  {ms / base:6.2f}x")
    base = median_ms(writes["ours-save"])
    print(f"  {'ours-save':<22} {base:8.1f} ms   file {ours_file.stat().st_size / 1e6:6.1f} MB")
    insert, fts = median_ms(writes["sqlite-insert"]), median_ms(writes["sqlite-fts"])
    print(
        f"  {'sqlite-insert':<22} {insert:8.1f} ms  {insert / base:6.2f}x  file {plain:6.1f} MB"
        f" ({plain * 1e6 / ours_file.stat().st_size:.2f}x)"
    )
    ours_one = median_ms(writes["ours-update-one"])
    print(f"  {'ours-update-one':<22} {ours_one:8.1f} ms  (a rescan's one change: patch.py)")
    one = median_ms(writes["sqlite-update-one"])
    print(f"  {'sqlite-update-one':<22} {one:8.1f} ms  {one / ours_one:6.2f}x")
    print(
        f"  {'sqlite-fts (more)':<22} {fts:8.1f} ms  {fts / base:6.2f}x  file with it "
        f"{db.stat().st_size / 1e6:6.1f} MB"
    )


if __name__ == "__main__":
    main()
