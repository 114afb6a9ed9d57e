"""Build EPUB (zip) bytes deterministically for tests: fixed dates, given order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def make_zip(members: list[tuple[str, bytes | str]], *, mimetype: bool = True,
             compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Zip `members` in the given order (the order is the point for spine tests)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            info = zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def make_epub(members: list[tuple[str, bytes | str]], opf_path: str = "content.opf") -> bytes:
    """An EPUB with a container.xml pointing at `opf_path`, plus `members`."""
    return make_zip([("META-INF/container.xml", CONTAINER.format(opf=opf_path)), *members])


def epub_from_folder(folder: Path, order: list[str] | None = None) -> bytes:
    """An EPUB of every file under `folder` (relative names), in `order` if given."""
    names = order or sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    return make_zip([(name, (folder / name).read_bytes()) for name in names
                     if name != "mimetype"])


AO3_EPUB = FIXTURES / "ao3_epub"
AO3_EPUB_ORDER = [
    "mimetype", "META-INF/container.xml", "The_Tide_Clock_split_003.xhtml",
    "The_Tide_Clock_split_001.xhtml", "content.opf", "The_Tide_Clock_split_004.xhtml",
    "The_Tide_Clock_split_000.xhtml", "toc.ncx", "The_Tide_Clock_split_002.xhtml",
    "page_styles.css", "stylesheet.css",
]


def ao3_epub(replace: dict[str, str] | None = None) -> bytes:
    """The AO3 EPUB fixture, zipped in an order that is not the spine's."""
    members = []
    for name in AO3_EPUB_ORDER:
        if name == "mimetype":
            continue
        text = (AO3_EPUB / name).read_text(encoding="utf-8")
        members.append((name, (replace or {}).get(name, text)))
    return make_zip(members)
