"""The reading-state store: positions, status, favourites, bookmarks, pace, preferences.

A small main TOML file (`paths.state_file()`) and the per-story entries spread over
1024 shard files beside it (`stories/000.toml` … `stories/3ff.toml`, by a crc32 of the
key; see `shards`). Together they hold, as one document:

    format = 2

    [last_story]
    key = "/home/me/fic/orchard-road.txt"
    updated = "2024-05-01T10:00:00.123456Z"

    [pace]                      # learnt reading speed
    words_per_minute = 231.5
    samples = 14
    updated = "…"

    [prefs]                     # reader preferences (line_width, justify, …)
    line_width = 80
    [prefs_updated]             # when each preference last changed, for merging
    line_width = "…"

    [stories."/home/me/fic/orchard-road.txt"]     # in the key's shard
    paragraph = 120             # position: paragraph index + character offset,
    offset = 48                 # so it survives any terminal width
    last_opened = "2024-05-01T09:58:02Z"
    finished = false
    favourite = true
    fingerprint = "3f…"         # recognises the story after a rename or move
    words = 51234               # its length when last opened, in words, paragraphs
    paragraphs = 1800           # (for list progress) and chapters (a story that
    chapters = 12               # grew since is "updated")
    progress = 0.066            # how far, as the reader measures it (by characters)
    shelf = "later"             # set by hand: "later" or "dropped" (flags group)
    notes_open = true           # author's notes unfolded for this story (flags group)
    updated = "…"               # when the place (position, last opened) last changed
    flags_updated = "…"         # when finished/favourite/shelf last changed
    bookmarks_updated = "…"     # when a bookmark was last added or removed
    deleted_bookmarks = ["9c1e04aa52d0"]
    [[stories."/home/me/fic/orchard-road.txt".bookmarks]]
    id = "4b7a9d1c03ee"
    paragraph = 10
    offset = 0
    name = "the lake"
    created = "2024-04-30T21:12:40Z"

    [removed]                   # keys whose entry moved to a new key (a renamed story);
                                # in the shard of the old key
    "/home/me/fic/old-name.txt" = "…"

    [unparsed]                  # anything this version could not read, kept verbatim
                                # (in the file it was read from)

Why it is built the way it is:
- Keys are resolved absolute paths as strings (`story_key`). The caller computes a key
  once per story; the store never touches the file system for a key, so status lookups
  for ten thousand stories stay cheap.
- The history grows with every story opened; a page turn must not cost what it
  holds. Start-up reads the main file and the last story's shard only (a history
  under 64 KiB is read whole); any other shard is read when a key in it is first
  asked about, and all of them in a background thread after the first frame
  (`preload`), since following a renamed story by fingerprint needs every entry.
  A save rewrites only the shards that changed.
- Migration: a main file with `[stories]` (written before shards, or by an older
  tuific after a downgrade; such a version sees only what is in the main file) is
  folded in like another session's save, and its entries move to their shards at
  the next save, shards first: a crash in between leaves them in both, which merges.
- Writes go to a temp file in the same folder, are fsynced, then `os.replace`d over the
  old file: a crash at any moment leaves either the old or the new file, never half.
- Two tuific instances (two SSH sessions) share the files. Every save holds a lock
  file (`state.toml.lock`, flock) while it re-reads each changed piece, merges and
  replaces it. Merging
  is per entry and the newest `updated` wins, except that the finished/favourite flags
  carry their own time (marking a story finished in one session is not undone by
  reading on in the other) and bookmarks merge as a set by id. Entries only on disk are
  kept; deletions are tombstones (`deleted_bookmarks`, `[removed]`), so a merge never
  brings back something the reader deleted.
- A file that is not TOML is moved aside (`state.toml.corrupt-YYYYmmdd-HHMMSS`, or
  `stories/3f2.toml.corrupt-…`: one damaged shard costs only its entries) with a
  notice. A TOML file with values of the wrong type keeps every readable field; the
  original of each odd entry is copied verbatim into `[unparsed]` and stays there, so
  nothing the user had is ever dropped.
"""

from .records import (
    FINGERPRINT_HEAD,
    PACE_MIN_SAMPLES,
    PACE_WINDOW,
    Bookmark,
    Pace,
    Position,
    ReadStatus,
    StoryState,
    fingerprint,
    fingerprint_file,
    story_key,
)
from .status import READ_STATUSES, SHELVES, Growth, growth
from .store import StateStore

__all__ = [
    "FINGERPRINT_HEAD",
    "READ_STATUSES",
    "SHELVES",
    "Growth",
    "growth",
    "PACE_MIN_SAMPLES",
    "PACE_WINDOW",
    "Bookmark",
    "Pace",
    "Position",
    "ReadStatus",
    "StateStore",
    "StoryState",
    "fingerprint",
    "fingerprint_file",
    "story_key",
]
