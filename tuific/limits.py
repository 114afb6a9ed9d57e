"""Budgets for untrusted input, in one place (the README's "Untrusted files" lists them).

Story files come from the internet. Every reader checks these limits *before* doing
the work they bound, so no single file can take tuific past about 1 GB of memory or
freeze it for long, whatever the file holds. A story over a budget is either cut
(with a note saying so, the rest kept) or refused with a reason.
"""

from __future__ import annotations

MIB = 1024 * 1024

# Largest story file read at all; a 1,000,000-word story is about 6 MB of text.
MAX_FILE_BYTES = 128 * MIB

# EPUB (a zip): decompressed bytes read from one EPUB in total, and from any one
# member, whatever the number of members. A 1,000,000-word EPUB unpacks to ~10 MB.
EPUB_MAX_TOTAL_BYTES = 48 * MIB
EPUB_MAX_MEMBER_BYTES = 16 * MIB
EPUB_MAX_MEMBERS = 10_000
# Tags in one story's HTML/XHTML (all its EPUB documents together), counted as '<'
# before parsing: a parsed element costs ~300 bytes, so a dense file would grow
# 40-fold in memory. A 1,000,000-word story has ~150,000. Past it the story is cut.
MAX_MARKUP_TAGS = 750_000

# Paragraphs kept per story; the rest is cut, with a note. A 1,000,000-word story
# has some 25,000 to 70,000.
MAX_PARAGRAPHS = 250_000

# Characters in one paragraph: longer ones are cut in pieces (at spaces), the text
# all kept. The reader wraps a whole paragraph to draw any line of it.
MAX_PARAGRAPH_CHARS = 64 * 1024

# One header value (title, author, tag, series...) in characters: longer is cut.
MAX_HEADER_VALUE_CHARS = 4096
# Summary and notes, which are several paragraphs: longer is cut.
MAX_NOTES_CHARS = 64 * 1024
# Items in one header list (tags, characters...).
MAX_LIST_ITEMS = 1000
# Digits in a number read from a file (word count, series part): longer is no number.
MAX_NUMBER_DIGITS = 12
