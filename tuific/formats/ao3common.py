"""What AO3's HTML download and its calibre-made EPUB share: the preface, the
chapter layout and AO3's fixed tag vocabularies.

The EPUB renames every class, so the preface is read by structure (dl/dt/dd,
h1, a `by …` line, label paragraphs followed by blockquotes), never by class.
"""

from __future__ import annotations

import re
from typing import Any

from tuific.formats.htmltext import DROPPED, paragraphs_from, text_of
from tuific.formats.markup import local_name
from tuific.metadata import append_once, apply_field, parse_chapters, parse_int, small_int
from tuific.model import Chapter, Metadata, Paragraph
from tuific.text import clean_line, count_words

RATINGS = {
    "general audiences",
    "teen and up audiences",
    "mature",
    "explicit",
    "not rated",
}
WARNINGS = {
    "no archive warnings apply",
    "graphic depictions of violence",
    "major character death",
    "rape/non-con",
    "underage",
    "underage sex",
    "creator chose not to use archive warnings",
    "choose not to use archive warnings",
    "author chose not to use archive warnings",
}
CATEGORIES = {"f/f", "f/m", "gen", "m/m", "multi", "other"}

# Preface row label (lower-case, no colon) -> Metadata field or special handling.
_ROWS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tag": "tags",
    "additional tags": "tags",
    "freeform": "tags",
    "freeforms": "tags",
    "tags": "tags",
    "language": "language",
    "series": "series",
    "collection": "collections",
    "collections": "collections",
    "stats": "stats",
}
_STAT = re.compile(r"([A-Za-z][A-Za-z ]{0,20}?):\s*([^\s:]+(?:\s*/\s*[^\s:]+)?)")
_SERIES = re.compile(r"Part\s+(\d+)\s+of\s+(.+?)(?=\s*,?\s*Part\s+\d+\s+of\s|$)", re.IGNORECASE)
_FOR = re.compile(r"^(?:a\s+gift\s+)?for\s+(.+?)\.?$", re.IGNORECASE)
_WORK_URL = re.compile(r"^https?://(?:www\.)?archiveofourown\.org/works/\d+/?$")
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


def _children(element: Any) -> list[Any]:
    return [child for child in element if local_name(child)]


def _link_texts(element: Any) -> list[str]:
    """Tag names: the text of each link, never its href; plain text split on commas."""
    links = [text_of(a) for a in element.iter() if local_name(a) == "a"]
    links = [link for link in links if link]
    if links:
        return links
    return [part for part in (clean_line(p) for p in text_of(element).split(",")) if part]


def find_tags_list(root: Any) -> Any | None:
    """The preface's dl of tags: the first dl whose dt labels include a known row."""
    for dl in root.iter("{*}dl"):
        for dt in dl:
            if local_name(dt) == "dt" and _row(text_of(dt)) in ("rating", "fandoms", "stats"):
                return dl
    return None


def _row(label: str) -> str | None:
    return _ROWS.get(" ".join(label.lower().rstrip(":").split()))


def read_tags(dl: Any, meta: Metadata) -> None:
    """Fill `meta` from the dt/dd rows of AO3's tag list."""
    label = None
    for child in _children(dl):
        name = local_name(child)
        if name == "dt":
            label = text_of(child).rstrip(":").strip()
        elif name == "dd" and label is not None:
            _apply_row(meta, label, child)
            label = None


def _apply_row(meta: Metadata, label: str, dd: Any) -> None:
    row = _row(label)
    if row is None:
        apply_field(meta, label, text_of(dd))
    elif row == "rating":
        ratings = _link_texts(dd)
        if ratings:
            apply_field(meta, "Rating", ratings[0])
    elif row in ("warnings", "categories", "fandoms", "relationships", "characters", "tags"):
        values = getattr(meta, row)
        values.extend(v for v in _link_texts(dd) if v not in values)
    elif row == "language":
        meta.language = text_of(dd) or None
    elif row == "series":
        read_series(meta, text_of(dd))
    elif row == "collections":
        collections = _link_texts(dd)
        if collections:
            meta.extra["Collections"] = ", ".join(collections)
    elif row == "stats":
        read_stats(meta, text_of(dd))


def read_series(meta: Metadata, text: str) -> None:
    """'Part 2 of Name' (several series: the first; all kept in extra)."""
    found = [
        (name.strip().rstrip(","), small_int(number)) for number, name in _SERIES.findall(text)
    ]
    if not found:
        if text:
            meta.series = text
        return
    meta.series, meta.series_index = found[0][0], found[0][1]
    if len(found) > 1:
        meta.extra["Series"] = "; ".join(f"Part {n or '?'} of {name}" for name, n in found)


def read_stats(meta: Metadata, text: str) -> None:
    """'Published: 2020-01-02 Updated: … Words: 12,345 Chapters: 3/?'."""
    completed = False
    for label, value in _STAT.findall(text):
        key = label.strip().lower()
        if key == "published":
            meta.published = value
        elif key in ("updated", "completed"):
            meta.updated = value
            completed = completed or key == "completed"
        elif key == "words":
            meta.words_declared = parse_int(value)
        elif key == "chapters":
            _done, total, complete = parse_chapters(value)
            meta.chapters_total = total
            if complete is not None:
                meta.status = "complete" if complete else "in-progress"
        elif key in ("comments", "kudos", "bookmarks", "hits"):
            meta.extra[label.strip()] = value
    if completed:
        meta.status = "complete"


def read_preface(root: Any, meta: Metadata) -> bool:
    """Fill `meta` from an AO3 preface anywhere under `root`; False if there is none."""
    dl = find_tags_list(root)
    if dl is None:
        return False
    read_tags(dl, meta)
    for link in root.iter("{*}a"):
        # "Posted originally on the Archive of Our Own at <a>…/works/N</a>."
        href = link.get("href") or ""
        if _WORK_URL.match(href):
            meta.extra.setdefault("Source", clean_line(href))
            break
    # The title h1, byline and summary/notes follow the tag list in the same block.
    container = dl.getparent()
    if container is None:
        return True
    for element in container.iter():
        name = local_name(element)
        if name == "h1" and not meta.title:
            meta.title = text_of(element)
        elif name in ("div", "p") and _is_byline(element) and not meta.authors:
            meta.authors.extend(_byline_authors(element))
    read_labelled_blocks(container, meta)
    read_recipients(container, meta)
    return True


def _is_byline(element: Any) -> bool:
    if "byline" in (element.get("class") or "").split():
        return True
    # Direct children only: the block around the byline also holds these links.
    return any(local_name(a) == "a" and (a.get("rel") or "") == "author" for a in element)


def _byline_authors(element: Any) -> list[str]:
    authors = [
        text_of(a)
        for a in element.iter()
        if local_name(a) == "a" and (a.get("rel") in (None, "author"))
    ]
    authors = [a for a in authors if a]
    if authors:
        return authors
    text = _BY.sub("", text_of(element))  # "by Anonymous": no links at all
    return [part.strip() for part in text.split(",") if part.strip()]


def read_labelled_blocks(container: Any, meta: Metadata) -> None:
    """'Summary' / 'Notes' label paragraphs, each followed by its blockquote."""
    label = None
    for element in container.iter():
        name = local_name(element)
        if name == "p" or (name == "div" and not _children(element)):
            text = text_of(element).rstrip(":").lower()
            label = text if text in ("summary", "notes", "work notes") else None
        elif name == "blockquote" and label:
            value = "\n\n".join(p.text for p in paragraphs_from(element, headings=False))
            if value:
                apply_field(meta, "Summary" if label == "summary" else "Notes", value)
            label = None


def read_recipients(container: Any, meta: Metadata) -> None:
    """Gift recipients: 'For <a>name</a>.' lines in the preface."""
    for element in container.iter():
        if local_name(element) not in ("li", "p", "div") or _children_blocks(element):
            continue
        if any(local_name(up) == "blockquote" for up in element.iterancestors()):
            continue  # a summary sentence that starts "For three winters…" is not a gift
        text = text_of(element)
        match = _FOR.match(text)
        if not match or len(text) > 200:
            continue
        names = [text_of(a) for a in element.iter() if local_name(a) == "a"] or [
            part.strip() for part in re.split(r",|\band\b", match.group(1))
        ]
        for name in names:
            if name and name not in meta.recipients:
                meta.recipients.append(name)


def _children_blocks(element: Any) -> bool:
    return any(local_name(c) in ("p", "div", "li", "ul", "blockquote") for c in element)


def end_notes(afterword: Any) -> str | None:
    """The 'End Notes' blockquote of the afterword."""
    found = Metadata()
    label = None
    for element in afterword.iter():
        name = local_name(element)
        if name == "p" or (name == "div" and not _children(element)):
            label = text_of(element).rstrip(":").lower() == "end notes"
        elif name == "blockquote" and label:
            found.notes = (
                "\n\n".join(
                    filter(
                        None,
                        [
                            found.notes,
                            "\n\n".join(p.text for p in paragraphs_from(element, headings=False)),
                        ],
                    )
                )
                or None
            )
            label = None
    return found.notes


def classify_subjects(subjects: list[str], meta: Metadata) -> None:
    """Untyped dc:subject tags: AO3's fixed vocabularies typed, the rest kept as tags."""
    lists = {"warnings": meta.warnings, "categories": meta.categories, "tags": meta.tags}
    held = {name: set(items) for name, items in lists.items()}
    for subject in subjects:
        key = subject.lower()
        if key in RATINGS:
            if meta.rating_original is None:
                apply_field(meta, "Rating", subject)
            continue
        name = "warnings" if key in WARNINGS else "categories" if key in CATEGORIES else "tags"
        append_once(lists[name], held[name], subject)


def is_chapter_meta(element: Any) -> bool:
    """AO3's per-chapter header block: a div holding an h2 (class 'meta group')."""
    if local_name(element) != "div":
        return False
    return any(local_name(child) == "h2" for child in element)


def chapter_heading(element: Any) -> Any | None:
    for child in element:
        if local_name(child) == "h2":
            return child
    return None


_NOTES_LABEL = re.compile(r"^(chapter\s+)?(end\s+)?(summary|notes)$", re.IGNORECASE)


def is_notes_block(element: Any) -> bool:
    """A chapter's notes block without a heading ('Chapter End Notes' + blockquote)."""
    if local_name(element) != "div":
        return False
    children = _children(element)
    return (
        bool(children)
        and local_name(children[0]) == "p"
        and bool(_NOTES_LABEL.match(text_of(children[0]).rstrip(":")))
    )


class ChapterStream:
    """Builds paragraphs and chapters from AO3 chapter containers, in order."""

    def __init__(self, load: bool = True) -> None:
        self.load = load  # False: count words and find chapters, skip paragraphs
        self.paragraphs: list[Paragraph] = []
        self.chapters: list[Chapter] = []
        self.words = 0

    def heading(self, title: str) -> None:
        self.chapters.append(Chapter(title, len(self.paragraphs)))
        if self.load:
            self.paragraphs.append(Paragraph(title, "heading"))

    def container(self, container: Any, *, title: str | None = None) -> None:
        """Children of `div#chapters` (or a split EPUB document's body).

        `title` (from an EPUB's table of contents) names the chapter when the
        document has no h2 of its own; the TOC title wins over the h2 text.
        """
        pending_title = title
        children = _children(container)
        # calibre's split keeps wrapper divs (renamed #chapters): look through them.
        while (
            len(children) == 1
            and local_name(children[0]) == "div"
            and not is_chapter_meta(children[0])
            and children[0].get("id") not in ("preface", "afterword")
            and any(local_name(c) in ("div", "h2") for c in children[0])
        ):
            children = _children(children[0])
        for child in children:
            name = local_name(child)
            if child.get("id") in ("afterword", "preface"):
                continue
            if name == "div" and child.get("id") == "chapters":
                self.container(child, title=pending_title)
                pending_title = None
                continue
            if name == "h2" or is_chapter_meta(child):
                heading = child if name == "h2" else chapter_heading(child)
                own = text_of(heading) if heading is not None else ""
                text = pending_title or own
                pending_title = None
                if text:
                    self.heading(text)
                if name != "h2" and self.load:
                    # Chapter summary and notes, under the heading, folded as notes.
                    for paragraph in paragraphs_from(child, headings=False):
                        if paragraph.text != own:
                            self.paragraphs.append(_as_note(paragraph))
                continue
            if pending_title:
                self.heading(pending_title)
                pending_title = None
            if is_notes_block(child):
                if self.load:
                    self.paragraphs.extend(map(_as_note, paragraphs_from(child, headings=False)))
                continue
            self.words += body_words(child)
            if self.load:
                self.paragraphs.extend(paragraphs_from(child))


def _as_note(paragraph: Paragraph) -> Paragraph:
    """An author's note (its words were never counted): folded by the reader."""
    if paragraph.kind == "text":
        paragraph.kind = "note"
    return paragraph


def body_words(element: Any) -> int:
    """Counted words of story text: fast (C-level text iteration, no paragraph walk).

    Text nodes are joined without spaces: an inline tag inside a word ("wo<em>rd")
    must not split it, and block boundaries carry whitespace in real markup.
    """
    if local_name(element) in DROPPED:
        return 0
    total = count_words("".join(element.itertext()))
    # Scripts, styles and navigation are not story text; iter() filters in C.
    for dropped in element.iter(*_DROPPED_TAGS):
        if not any(local_name(up) in DROPPED for up in dropped.iterancestors()):
            total -= count_words("".join(dropped.itertext()))
    return max(total, 0)


_DROPPED_TAGS = tuple(f"{{*}}{name}" for name in DROPPED)
