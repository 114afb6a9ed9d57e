"""A safe, read-only view of an EPUB container.

An EPUB is a zip from the internet, so it may be a bomb. Nothing is extracted to
disk; every member is read into memory through a hard cap, total decompressed
bytes are capped, suspicious compression ratios are refused, and member names
that climb out of the container (`..`, absolute paths) are ignored. XML (the
container, OPF, NCX, nav) goes through lxml with entity resolution, DTD loading
and network access off, and any document declaring entities is refused.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import lxml.etree as etree

from tuific import limits
from tuific.formats import StoryError
from tuific.formats.markup import refuse_entities, safe_xml_parser
from tuific.metadata import append_once
from tuific.text import clean_line, clean_text

# The budgets live in tuific.limits; bound here too so a test can lower them.
MAX_TOTAL_BYTES = limits.EPUB_MAX_TOTAL_BYTES  # all members read from one EPUB
MAX_MEMBER_BYTES = limits.EPUB_MAX_MEMBER_BYTES  # any one member
MAX_MEMBERS = limits.EPUB_MAX_MEMBERS
MAX_RATIO = 100  # uncompressed : compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_XML_BYTES = 16 * 1024 * 1024  # container, OPF, NCX, nav

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
}

_XML_PARSER = safe_xml_parser()
_RECOVER_PARSER = safe_xml_parser(recover=True)


def parse_xml(data: bytes, what: str = "XML") -> Any:
    """Parse untrusted XML safely; StoryError when broken or declaring entities."""
    refuse_entities(what, data=data)
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError:
        # Real EPUBs carry small XML mistakes (a stray '&'); recover, but only
        # into a tree we can still reason about.
        try:
            root = etree.fromstring(data, _RECOVER_PARSER)
        except (etree.XMLSyntaxError, ValueError) as error:
            raise StoryError(f"{what} is not valid XML: {error}") from error
        if root is None:
            raise StoryError(f"{what} is not valid XML") from None
    except ValueError as error:
        raise StoryError(f"{what} is not valid XML: {error}") from error
    refuse_entities(what, root=root)
    return root


def local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def normalise_member(name: str) -> str | None:
    """A safe member path, or None for names that climb out or are absolute."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = name.split("/")
    if ".." in parts:
        return None
    normal = posixpath.normpath(name)
    if normal in (".", "") or normal.startswith("../"):
        return None
    return normal


def resolve_href(base: str, href: str) -> str | None:
    """A manifest/nav href relative to the document `base`, as a member path."""
    href = unquote(href.split("#", 1)[0]).replace("\\", "/")
    if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
        return None  # empty, or an absolute URL: not in the container
    if href.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    if joined.startswith("../") or joined == "..":
        return None
    return joined


@dataclass(slots=True)
class EpubMetadata:
    title: str = ""
    creators: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    description: str | None = None  # may be HTML
    language: str | None = None
    dates: list[tuple[str, str]] = field(default_factory=list)  # (event or "", value)
    publisher: str | None = None
    identifiers: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    series: str | None = None
    series_index: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # other <meta name content>

    @property
    def date(self) -> str | None:
        """The publication date: an undated or 'publication' date first."""
        for event, value in self.dates:
            if event in ("", "publication", "original-publication"):
                return value
        return self.dates[0][1] if self.dates else None


class Epub:
    """An opened EPUB: metadata, spine and table of contents; members read on demand."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as error:
            raise StoryError(f"not a valid EPUB (zip): {error}") from error
        except (OSError, ValueError, EOFError) as error:
            raise StoryError(f"not a valid EPUB (zip): {error}") from error
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise StoryError(f"EPUB has too many files ({len(infos)})")
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._folded: dict[str, str] = {}
        declared = 0
        for info in infos:
            if info.is_dir():
                continue
            name = normalise_member(info.filename)
            if name is None:
                continue  # ignore ../evil and /etc/passwd style names
            self._check_member(info)
            declared += info.file_size
            self._members[name] = info
            self._folded.setdefault(name.lower(), name)
        if declared > MAX_TOTAL_BYTES * 4:
            raise StoryError("EPUB declares an absurd unpacked size (possible zip bomb)")
        self._read_total = 0
        self._tags = 0
        # Why the story's documents stopped being read (a budget spent), or "".
        self.cut = ""
        self.opf_path = self._find_opf()
        opf = parse_xml(self.read(self.opf_path, limit=MAX_XML_BYTES), "EPUB package (OPF)")
        self.opf = opf
        self.metadata = _read_metadata(opf)
        self.manifest = _read_manifest(opf, self.opf_path)
        self.spine = self._read_spine(opf)
        self._toc: dict[str, str] | None = None

    @staticmethod
    def _check_member(info: zipfile.ZipInfo) -> None:
        if info.flag_bits & 0x1:
            raise StoryError("EPUB is encrypted")
        if info.file_size > MAX_MEMBER_BYTES:
            raise StoryError(
                f"EPUB member too large ({info.file_size // (1024 * 1024)} MiB unpacked)"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise StoryError("EPUB member compressed suspiciously well (possible zip bomb)")

    # -- members -------------------------------------------------------------------

    def fits(self, member: str) -> bool:
        """Would reading `member` stay within what is left of the EPUB's budget?

        Checked before a member is read, so a reader can stop with what it has
        rather than unpack a hundred small members past the budget.
        """
        info = self._lookup(member)
        return info is not None and info.file_size <= MAX_TOTAL_BYTES - self._read_total

    def read_document(self, member: str) -> bytes | None:
        """A content document's bytes, or None once the story's budgets are spent
        (`cut` then says which): unpacked bytes, and tags across all documents, as
        a reader may hold every document's tree at once."""
        if self.cut:
            return None
        if not self.fits(member):
            self.cut = f"over {MAX_TOTAL_BYTES // limits.MIB} MiB unpacked"
            return None
        data = self.read(member)
        self._tags += data.count(b"<")
        if self._tags > limits.MAX_MARKUP_TAGS:
            self.cut = f"more than {limits.MAX_MARKUP_TAGS:,} tags"
            return None
        return data

    def names(self) -> list[str]:
        """Safe member paths, in zip order."""
        return list(self._members)

    def has(self, member: str) -> bool:
        return self._lookup(member) is not None

    def _lookup(self, member: str) -> zipfile.ZipInfo | None:
        info = self._members.get(member)
        if info is None:
            # Manifests and zips disagree on case often enough to forgive it.
            real = self._folded.get(member.lower())
            info = self._members.get(real) if real else None
        return info

    def read(self, member: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """One member's bytes, never more than `limit` or the EPUB's total budget."""
        info = self._lookup(member)
        if info is None:
            raise StoryError(f"EPUB is missing {member!r}")
        budget = min(limit, MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self._read_total)
        if info.file_size > budget:
            raise StoryError(f"EPUB member {member!r} too large to read")
        try:
            # zipfile stops at the declared size and checks the CRC, so a member
            # lying about its size raises instead of inflating without end.
            with self._zip.open(info) as handle:
                data = handle.read(budget + 1)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            raise StoryError(f"EPUB member {member!r} is damaged: {error}") from error
        except Exception as error:  # zlib.error and friends from a corrupt stream
            raise StoryError(f"EPUB member {member!r} is damaged: {error}") from error
        if len(data) > budget:
            raise StoryError(f"EPUB member {member!r} too large to read")
        self._read_total += len(data)
        return data

    # -- package ---------------------------------------------------------------------

    def _find_opf(self) -> str:
        if self.has("META-INF/container.xml"):
            root = parse_xml(
                self.read("META-INF/container.xml", limit=MAX_XML_BYTES), "EPUB container.xml"
            )
            for rootfile in root.iter():
                if local(rootfile.tag) == "rootfile":
                    path = rootfile.get("full-path") or ""
                    media = rootfile.get("media-type") or "application/oebps-package+xml"
                    name = normalise_member(unquote(path))
                    if name and "oebps-package" in media and self.has(name):
                        return self._real(name)
        for name in self._members:
            if name.lower().endswith(".opf"):
                return name
        raise StoryError("not an EPUB: no package (OPF) file")

    def _real(self, member: str) -> str:
        info = self._lookup(member)
        return normalise_member(info.filename) if info else member  # type: ignore[return-value]

    def _read_spine(self, opf: Any) -> list[str]:
        spine: list[str] = []
        seen: set[str] = set()
        for itemref in opf.iterfind("opf:spine/opf:itemref", NS):
            item = self.manifest.get(itemref.get("idref") or "")
            if item is None:
                continue
            href, media = item
            if href in seen or not self.has(href):
                continue
            if media and "html" not in media and "xml" not in media:
                continue
            seen.add(href)
            spine.append(self._real(href))
        return spine

    @property
    def toc(self) -> dict[str, str]:
        """Member path -> chapter title, from the EPUB3 nav or else the NCX.

        The first title pointing into a member wins (its start, not its sections).
        """
        if self._toc is None:
            self._toc = self._read_nav() or self._read_ncx()
        return self._toc

    def _read_nav(self) -> dict[str, str]:
        for item in self.opf.iterfind("opf:manifest/opf:item", NS):
            if "nav" not in (item.get("properties") or "").split():
                continue
            href = resolve_href(self.opf_path, item.get("href") or "")
            if not href or not self.has(href):
                continue
            from tuific.formats.htmltext import text_of
            from tuific.formats.markup import parse_xhtml

            root = parse_xhtml(self.read(href, limit=MAX_XML_BYTES), "EPUB navigation")
            toc: dict[str, str] = {}
            for nav in root.iter():
                if local(nav.tag) != "nav":
                    continue
                kind = nav.get(f"{{{NS['epub']}}}type") or nav.get("epub:type") or ""
                if kind and "toc" not in kind.split():
                    continue
                for link in nav.iter():
                    if local(link.tag) != "a":
                        continue
                    target = resolve_href(href, link.get("href") or "")
                    title = text_of(link)
                    if target and title and self.has(target):
                        toc.setdefault(self._real(target), title)
                if toc:
                    return toc
        return {}

    def _read_ncx(self) -> dict[str, str]:
        spine_el = self.opf.find("opf:spine", NS)
        ncx_id = spine_el.get("toc") if spine_el is not None else None
        href = None
        if ncx_id and ncx_id in self.manifest:
            href = self.manifest[ncx_id][0]
        else:
            for item_href, media in self.manifest.values():
                if media == "application/x-dtbncx+xml":
                    href = item_href
                    break
        if not href or not self.has(href):
            return {}
        root = parse_xml(self.read(href, limit=MAX_XML_BYTES), "EPUB table of contents (NCX)")
        toc: dict[str, str] = {}
        # iter() is document order, which is reading order for navPoints.
        for point in root.iter(f"{{{NS['ncx']}}}navPoint"):
            label = point.find("ncx:navLabel/ncx:text", NS)
            content = point.find("ncx:content", NS)
            if label is None or content is None:
                continue
            target = resolve_href(href, content.get("src") or "")
            title = clean_line("".join(label.itertext()))
            if target and title and self.has(target):
                toc.setdefault(self._real(target), title)
        return toc

    def mentions(self, needle: str) -> bool:
        """Does the OPF metadata mention `needle` (publisher, identifiers, source...)?"""
        m = self.metadata
        haystack = " ".join(
            [m.publisher or "", *m.identifiers, *m.sources, m.description or ""]
        ).lower()
        return needle.lower() in haystack


def _read_manifest(opf: Any, opf_path: str) -> dict[str, tuple[str, str]]:
    manifest: dict[str, tuple[str, str]] = {}
    for item in opf.iterfind("opf:manifest/opf:item", NS):
        item_id = item.get("id")
        href = resolve_href(opf_path, item.get("href") or "")
        if item_id and href:
            manifest[item_id] = (href, (item.get("media-type") or "").lower())
    return manifest


def _text(element: Any) -> str:
    return clean_line("".join(element.itertext()))


def _read_metadata(opf: Any) -> EpubMetadata:
    meta = EpubMetadata()
    block = opf.find("opf:metadata", NS)
    if block is None:
        # EPUB2 files sometimes wrap it in <dc-metadata>; search the whole package.
        block = opf
    refines: dict[str, dict[str, str]] = {}
    creators: set[str] = set()  # what the lists hold (see append_once)
    subjects: set[str] = set()
    for element in block.iter():
        if local(element.tag) == "meta" and element.get("refines"):
            target = element.get("refines", "").lstrip("#")
            refines.setdefault(target, {})[element.get("property") or ""] = _text(element)
    for element in block.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        name = local(tag)
        is_dc = tag.startswith(f"{{{NS['dc']}}}")
        if is_dc and name == "title":
            if not meta.title:
                meta.title = _text(element)
        elif is_dc and name == "creator":
            role = element.get(f"{{{NS['opf']}}}role") or refines.get(
                element.get("id") or "", {}
            ).get("role", "")
            value = _text(element)
            if value and role in ("", "aut"):
                append_once(meta.creators, creators, value)
        elif is_dc and name == "subject":
            append_once(meta.subjects, subjects, _text(element))
        elif is_dc and name == "description":
            if meta.description is None:
                # Descriptions are often escaped HTML; keep it for the caller to strip.
                meta.description = clean_text("".join(element.itertext())).strip() or None
        elif is_dc and name == "language":
            meta.language = meta.language or (_text(element) or None)
        elif is_dc and name == "date":
            event = element.get(f"{{{NS['opf']}}}event") or ""
            value = _text(element)
            if value:
                meta.dates.append((event.lower(), value))
        elif is_dc and name == "publisher":
            meta.publisher = meta.publisher or (_text(element) or None)
        elif is_dc and name == "identifier":
            value = _text(element)
            if value:
                meta.identifiers.append(value)
        elif is_dc and name in ("source", "relation"):
            value = _text(element)
            if value:
                meta.sources.append(value)
        elif name == "meta":
            key = element.get("name") or element.get("property") or ""
            value = element.get("content")
            if value is None:
                value = _text(element)
            key, value = clean_line(key), clean_line(value or "")
            if not key or element.get("refines"):
                continue
            if key == "calibre:series":
                meta.series = value or None
            elif key == "calibre:series_index":
                meta.series_index = value or None
            elif key == "belongs-to-collection" and meta.series is None:
                meta.series = value or None
            else:
                meta.meta.setdefault(key, value)
    if meta.series_index is None:
        for props in refines.values():
            if props.get("collection-type") == "series" and props.get("group-position"):
                meta.series_index = props["group-position"]
    return meta


def open_epub(data: bytes) -> Epub:
    """Open EPUB bytes; StoryError with a reason when hostile or broken."""
    return Epub(data)


def series_number(value: str | None) -> int | None:
    """calibre writes series_index as '3.0'."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or number < 0 or number > 1e9:  # NaN or silly
        return None
    return int(number)
