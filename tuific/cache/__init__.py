r"""The disposable metadata cache: what a library scan learnt, so the next start is fast.

One file per library in `paths.cache_dir()`, named by a hash of the library's
resolved path. Deleting it only costs a rescan. Each entry is keyed by the file's path
relative to the library plus its size and mtime_ns: a file whose size or mtime changed
is parsed again. It holds everything `Story.record()` needs (metadata, counted words,
chapter titles and paragraph indices, format) and the fingerprint, never paragraphs;
and the files that could not be parsed, so a broken file is not re-parsed every start.

Why it is built the way it is:
- Never pickle or marshal: the cache folder may be writable by someone else, and
  loading it must not run their code. The file is a one-line JSON header (numbers,
  masks, skipped files, the layout) and then a text section of plain UTF-8.
- Stored by column, not by story (format 2): each text field of all stories is ONE
  string in the text section, the stories' values joined by `STORY_SEP` ("\x01") and a
  list's items by `ITEM_SEP` ("\x00"); numbers are one base64 string per field
  (format 4, below). Reading a
  few dozen columns, checking each whole (lengths, types, separator counts, at C
  speed) and splitting it with `str.split` costs a fraction of parsing and checking
  300,000 small JSON values; and the text columns are in the very form
  `query.make_entries` folds (see `CachedStories.joined`), so they are never
  re-joined.
- Read lazily (format 3): a start lists the library straight from the columns
  (`listed()` gives a `CachedStories`, a `model.StoryColumns`). Every check that
  could reject the file runs at once, mostly on the raw bytes (separator counts per
  column with bytes.count, several times faster than on decoded text); a column is
  decoded and split when first read, and a Story built only for a story shown or
  opened. `load()` builds every entry from the same columns, and a check against
  the disk that finds nothing changed never calls it. Measured on 10,000 stories:
  the list and a filter over it ready in ~15 ms of work, where building every Story
  took ~60 ms and the query's entries ~40 ms more.
- Numbers as base64 (format 4): each number column is ONE base64 string, in the
  JSON header, of its values as little-endian signed 64-bit integers (None, in the
  optional `int | None` columns, is -2**63: no count, index or file time is that).
  Measured on 10,000 stories: the format-3 JSON arrays were ~3.4 ms of the ~4 ms
  the 600 KB header took to parse, and checking their types and ranges value by
  value ~2 ms more. A base64 string parses as one JSON string (all eight: ~0.5 ms),
  decodes at C speed into an `array` and is checked whole, a sign being each
  value's top byte (one `isascii` of those bytes): ~2.5 ms, most of it base64.
  Columns stay arrays until a whole list is asked for. Still text, still in the
  header, so the header's escape check covers it, and loading runs no code: base64
  and `array.frombytes` only turn bytes into integers.
  Measured again against JSON arrays (issue 11; the same files, numbers rewritten as
  format 3 wrote them, checked for types, range and length): at 10,000 stories
  `listed()` took ~19 ms vs ~23 ms, lost in the noise of a whole start; at 100,000
  (300-word stories) ~230 ms vs ~280 ms (the header's json.loads 17 vs 49 ms), and a
  warm start until the list is usable 594 vs 678 ms (2.37x vs 2.71x a blank app,
  medians of 9 interleaved starts): ~14% of the start, so base64 stays.
- A first screen, checked later (format 5): at 100,000 stories the checks below
  took ~130 ms and the header's JSON ~25 ms of a warm start's first frame, which
  then grew with the library (2.4x a blank app's start, against 1.3x at 10,000).
  Now the file holds three JSON lines before its text section: the header (with
  the title order, which the first frame needs), the head (every stored value of
  the first 120 stories in title order, checked for type with the header:
  head.py), and the other numbers and the masks. A warm start reads the first two
  and draws the list from the head; the check's worker then runs every check
  (`CachedStories.verify`, in ~1-5 ms pieces that give way to keys), and any read
  past the head on another thread runs or waits for it first. A file that fails
  then is read as that many empty stories (never as what it holds) while the app
  drops its list and scans afresh. A first scan's switch to the columns and
  `tuific list` check at once, as before.
- The query's plain-word haystack is stored too, already folded (`haystack`, the
  query's Entry.text per story): casefolding non-ASCII summaries was the slowest
  part of a first filter. A search over every story runs on its bytes
  (`find_in_haystack`) without decoding or splitting it. It is only matched
  against, never shown, so it alone is not decoded to check it is UTF-8 (bytes
  that are not would decode as U+FFFD and match nothing).
- The rows are written in path order, so the list's title sort is a plain stable
  sort (ties by path) instead of a sort of (title, path) tuples.
- Why a raw text section rather than JSON strings (measured on 10,000 stories, 5 MB):
  JSON writes both separators as six-byte escapes (\u0001), which made the file 20%
  larger than format 1, cost ~6 ms more to parse, and made the escape check walk
  300,000 escapes (~70 ms); raw DEL/C1 separators avoided that but needed a
  replace pass to hand the columns to the query and cost ~8 ms in the C1 check. A
  text section also lets each column be decoded on its own, so an ASCII column stays
  ASCII (decoding the whole file as one string widened everything once one summary
  held a curly quote: 12 ms for the decode alone).
- The separators: cleaned text never holds C0 controls (`clean_text` removes every one
  but \n and \t), so no value can contain either and splitting is exact. `save`
  leaves out an entry holding anything the load would refuse (odd input: it is parsed
  again on each start) instead of writing a file that is then ignored whole. None in
  an optional text field is "" plus a "1" in a mask; [] and [""] are both "" in a
  list column, and "lone_empty" lists the stories whose list is [""].
- The whole file is ignored when it was written by another tuific version, another
  cache format, another set of readers or another shape of `Metadata` (a release that
  parses differently rebuilds it), and when it is not what we wrote: bad JSON, wrong
  types, column lengths that disagree, or characters `clean_text` removes. Nothing
  here ever raises to the caller.
- Written by temp file + `os.replace`, so a reader sees the old or the new file, never
  half. Not fsynced: losing the cache in a power cut costs a rescan, nothing more.
- Strings in a tampered cache could carry terminal escapes that `clean_text` would
  have removed, so the raw bytes are checked once for any character cleaned text
  cannot contain (a regex/translate pass, much cheaper than cleaning every field):
  the header, as JSON, for raw DEL, C1 and bidi characters and for \u, \b, \f and \r
  escapes, exactly as format 1 checked its whole file; the text section, which is not
  JSON, for the same raw characters and for every raw C0 control but \n, \t and the
  two separators. So the check is exactly as strict as before for every character
  but the separators, and they are checked structurally: a text column is split on
  them (no value can hold one), a non-list column must not hold ITEM_SEP, and the
  count of values must match.
"""

from __future__ import annotations

from tuific.cache.clean import _unclean, _unclean_text
from tuific.cache.columns import CachedStories
from tuific.cache.layout import CACHE_FORMAT, ITEM_SEP, STORY_SEP, _signature
from tuific.cache.store import MetadataCache
from tuific.paths import cache_file_for

# What callers import from `tuific.cache` (the underscored ones: tests pin the format).
__all__ = [
    "CACHE_FORMAT",
    "ITEM_SEP",
    "STORY_SEP",
    "CachedStories",
    "MetadataCache",
    "_signature",
    "_unclean",
    "_unclean_text",
    "cache_file_for",
]
