"""FanFicFare's title-page labels, shared by its TXT, HTML and EPUB readers.

FanFicFare writes the same `Label: value` entries in all three formats (its
`*_label` settings in defaults.ini). A few mean something different from the
same word in a hand-typed header: `Category` is the fandom list and `Chapters`
is how many chapters the file holds, not how many are planned.
"""

from __future__ import annotations

import copy
from typing import Any

from tuific.metadata import apply_field, parse_chapters, parse_int, split_list
from tuific.model import Metadata
from tuific.text import clean_line, count_words

# FanFicFare wraps a chapter's author's notes (head and foot) in a div of this
# class, under a bold label ("Author's Note:", "Notes for the Chapter:").
NOTES_CLASS = "fff_chapter_notes"

# Labels FanFicFare writes whose meaning differs from metadata.LABELS, or that
# are bookkeeping kept in `extra` under their own name.
_OVERRIDES: dict[str, str] = {
    "category": "fandoms",
    "fandoms": "fandoms",
    "genre": "tags",
    "freeform tags": "tags",
    "extra tags": "tags",
    "ao3 categories": "categories",
    "chapters": "chapters_in_file",
    "chapters/total chapters": "chapters_of_total",
    "total chapters": "chapters_total",
}

# Every label FanFicFare's defaults.ini gives a title-page entry (lower-case);
# used to tell a real entry from a summary line that happens to hold a colon.
KNOWN_LABELS = frozenset(
    {
        "title",
        "story url",
        "summary",
        "author",
        "author url",
        "file format",
        "file extension",
        "category",
        "genre",
        "language",
        "characters",
        "relationships",
        "series",
        "series url",
        "status",
        "published",
        "updated",
        "packaged",
        "rating",
        "warnings",
        "chapters",
        "words",
        "publisher",
        "site abbrev",
        "story id",
        "author id",
        "extra tags",
        "downloader version",
        "fandoms",
        "freeform tags",
        "ao3 categories",
        "comments",
        "chapters/total chapters",
        "total chapters",
        "kudos",
        "hits",
        "collections",
        "bookmarks",
        "additional series",
        "story notes",
        "disclaimer",
        "reviews",
        "translators",
        "beta readers",
        "content warnings",
        "estimated word count",
    }
)

# The labels that mark a file as FanFicFare's rather than a hand-typed header.
SIGNATURE_LABELS = frozenset(
    {
        "category",
        "genre",
        "status",
        "packaged",
        "publisher",
        "story url",
        "author url",
        "series url",
        "chapters",
        "words",
        "relationships",
    }
)


def is_known(label: str) -> bool:
    return " ".join(label.lower().split()) in KNOWN_LABELS


class FffMetadata:
    """Collects FanFicFare entries into a Metadata; call `finish()` once at the end."""

    def __init__(self) -> None:
        self.meta = Metadata()
        self._chapters_in_file: int | None = None

    def add(self, label: str, value: str) -> None:
        key = " ".join(label.lower().split())
        target = _OVERRIDES.get(key)
        meta = self.meta
        if target in ("fandoms", "tags", "categories"):
            getattr(meta, target).extend(split_list(value))
        elif target == "chapters_in_file":
            self._chapters_in_file = parse_int(value)
        elif target == "chapters_of_total":
            _done, total, _complete = parse_chapters(value)
            meta.chapters_total = total
        elif target == "chapters_total":
            meta.chapters_total = parse_int(value)
        else:
            apply_field(meta, clean_line(label), value)

    def finish(self) -> Metadata:
        """A complete story's chapter count is its total; an unfinished one's total
        is unknown (FanFicFare only says how many chapters it downloaded)."""
        meta = self.meta
        if meta.chapters_total is None and meta.status == "complete":
            meta.chapters_total = self._chapters_in_file
        return meta


# ------------------------------------------------------------ HTML title pages
# FanFicFare's HTML writer puts entries in `<table class="full">` rows
# (`<tr><td><b>Label:</b></td><td>value</td></tr>`); its EPUB title page writes
# `<b>Label:</b> value<br />` in a <div> (or the same table when configured).

_MAX_LABEL_CHARS = 40


def titlepage_entries(root: Any) -> list[tuple[str, str]]:
    """(label, value) pairs from an HTML/XHTML title page, in document order."""
    from tuific.formats.htmltext import block_text, text_of
    from tuific.formats.markup import local_name

    entries: list[tuple[str, str]] = []
    for bold in list(root.iter()):
        if local_name(bold) not in ("b", "strong"):
            continue
        label = text_of(bold)
        if not label.endswith(":") or len(label) > _MAX_LABEL_CHARS + 1:
            continue
        label = label[:-1].strip()
        if not label:
            continue
        parent = bold.getparent()
        if (
            parent is not None
            and local_name(parent) in ("td", "th")
            and not ((bold.tail or "").strip())
            and bold.getnext() is None
        ):
            cell = parent.getnext()
            while cell is not None and local_name(cell) not in ("td", "th"):
                cell = cell.getnext()
            if cell is None:
                continue
            container = cell
        else:
            container = _entry_container(bold)
        if " ".join(label.lower().split()) in ("summary", "story notes"):
            value = block_text(container)
        else:
            value = text_of(container)
        entries.append((label, value))
    return entries


def _entry_container(bold: Any) -> Any:
    """A detached element holding what follows `<b>Label:</b>` up to its `<br>`."""
    from lxml import etree

    from tuific.formats.markup import local_name

    container = etree.Element("div")
    container.text = bold.tail
    sibling = bold.getnext()
    while sibling is not None:
        name = local_name(sibling)
        if name == "br" or (name in ("b", "strong") and (sibling.text or "").strip().endswith(":")):
            break
        copied = copy.deepcopy(sibling)
        container.append(copied)
        sibling = sibling.getnext()
    return container


def title_and_authors(heading: Any) -> tuple[str, list[str], dict[str, str]]:
    """Title, authors and links from FanFicFare's `<a>Title</a> by <a>Author</a>`."""
    from tuific.formats.htmltext import text_of
    from tuific.formats.markup import local_name

    links = [a for a in heading.iter() if local_name(a) == "a"]
    title_link = next((a for a in links if "authorlink" not in (a.get("class") or "")), None)
    author_links = [a for a in links if "authorlink" in (a.get("class") or "")]
    text = text_of(heading)
    title = text_of(title_link) if title_link is not None else text.rsplit(" by ", 1)[0]
    if author_links:
        authors = [name for name in (text_of(a) for a in author_links) if name]
    else:
        authors = split_list(text.rsplit(" by ", 1)[1]) if " by " in text else []
    urls: dict[str, str] = {}
    if title_link is not None and _is_web(title_link.get("href")):
        urls["Story URL"] = clean_line(title_link.get("href") or "")
    author_urls = [clean_line(a.get("href") or "") for a in author_links if _is_web(a.get("href"))]
    if author_urls:
        urls["Author URL"] = ", ".join(author_urls)
    return clean_line(title), authors, urls


def _is_web(href: str | None) -> bool:
    return bool(href) and href.lower().startswith(("http://", "https://"))  # type: ignore[union-attr]


def _is_notes_div(element: Any) -> bool:
    """FanFicFare's `div.fff_chapter_notes` (see NOTES_CLASS)."""
    from tuific.formats.markup import local_name

    return local_name(element) == "div" and NOTES_CLASS in (element.get("class") or "").split()


def estimate_words(element: Any) -> int:
    """Words of an element's text less its headings and notes blocks (notes are
    not counted, as when loading), without building paragraphs.

    Text is joined as it stands (`<i>so</i>,` stays one word); for the listing
    pass, which must not pay for a full paragraph walk.
    """
    from tuific.formats.htmltext import HEADINGS
    from tuific.formats.markup import local_name

    total = count_words("".join(element.itertext()))
    notes = [node for node in element.iter("{*}div") if _is_notes_div(node)]

    def in_notes(node: Any) -> bool:  # counted once, with its outermost notes block
        return bool(notes) and any(outer in notes for outer in node.iterancestors())

    for node in notes:
        if not in_notes(node):
            total -= count_words("".join(node.itertext()))
    for node in element.iter():
        if local_name(node) in HEADINGS and not in_notes(node):
            total -= count_words("".join(node.itertext()))
    return max(total, 0)


def series_url(root: Any) -> str | None:
    """The href of FanFicFare's `<a class='serieslink'>`, when it is a web link."""
    from tuific.formats.markup import local_name

    for link in root.iter():
        if local_name(link) == "a" and "serieslink" in (link.get("class") or "").split():
            href = link.get("href")
            return clean_line(href or "") if _is_web(href) else None
    return None
