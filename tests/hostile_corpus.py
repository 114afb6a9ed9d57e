"""A hostile corpus: one file (or folder entry) per input class of issue 12, made cheaply.

`make_corpus(folder)` writes every case into `folder` (a library) and returns them. Big
inputs are made with fast byte repetition, and a too-large file is a sparse file, so
the whole corpus takes about a second to write. Each case says how tuific must treat
it: `listed` (a story, maybe cut with a note) or `skipped` (with a reason), never a
crash, hang or escape.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from epubkit import make_epub

MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str  # the file or entry name in the library
    kind: str  # the input class, as the report lists it
    outcome: str  # "listed" or "skipped"
    big: bool = False  # left out of the quick app test


OPF = """<?xml version="1.0" encoding="utf-8"?>{doctype}
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>{title}</dc:title><dc:identifier id="uid">x1</dc:identifier>
  </metadata>
  <manifest>{items}</manifest>
  <spine>{refs}</spine>
</package>
"""
PAGE = "<html xmlns='http://www.w3.org/1999/xhtml'><body>{body}</body></html>"
LAUGHS = """
<!DOCTYPE package [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>"""
XXE = """
<!DOCTYPE package [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>"""


def epub(pages: list[str], *, title: str = "Hostile", doctype: str = "") -> bytes:
    items = "".join(
        f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(len(pages))
    )
    refs = "".join(f'<itemref idref="c{i}"/>' for i in range(len(pages)))
    opf = OPF.format(doctype=doctype, title=title, items=items, refs=refs)
    members = [(f"c{i}.xhtml", PAGE.format(body=body)) for i, body in enumerate(pages)]
    return make_epub([("content.opf", opf), *members])


def zip_bomb() -> bytes:
    """One member of 200 MiB of zeros (about 200 KB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        with archive.open("bomb.xhtml", "w", force_zip64=True) as member:
            chunk = b"\0" * MIB
            for _ in range(200):
                member.write(chunk)
    return buffer.getvalue()


def many_small_members() -> bytes:
    """The issue's EPUB: members of 1 MiB each (under the ratio check's floor), each
    a dense page of paragraphs, compressing ~100:1 into a small file."""
    page = "<p>x</p>" * (MIB // 8 - 16)
    return epub([page] * 60, title="Many Small Members")


def _text(body: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(body, encoding="utf-8")


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with open(path, "wb") as handle:
            handle.truncate(size)

    return write


YAML_BOMB = "---\ntitle: Y\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" if p else f"{c}: &{c} [lol, lol, lol]\n"
    for p, c in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
) + "tags: *i\n---\n\nBody.\n"


def _cases() -> list[tuple[Case, Callable[[Path], None]]]:
    esc = "\x1b]0;pwned\x07\x1b[2J"
    return [
        (Case("markup.txt", "markup in title/author/tags", "listed"),
         _text("Title: [bold]B[/bold] [@click=app.quit]Q[/]\nAuthor: [/]\nTags: [$x], [b]\n\n"
               "[red]Text[/red].\n")),
        (Case("controls.txt", "control sequences in header and text (ESC, C1, bidi)", "listed"),
         _text(f"Title: A{esc}B\u009b2J\u202eC\nAuthor: x\x07y\n\nBody{esc} \u2066text.\n")),
        (Case(f"name{esc}\u202e.txt", "control sequences in a file name", "listed"),
         _text("Title: Named\n\nText.\n")),
        (Case("zip-bomb.epub", "zip bomb (200 MiB member)", "skipped"), _bytes(zip_bomb())),
        (Case("many-members.epub", "EPUB of many 1 MiB members under the ratio floor",
              "listed", big=True), _bytes(many_small_members())),
        (Case("laughs.epub", "XML entity bomb in the OPF", "skipped"),
         _bytes(epub(["<p>x</p>"], doctype=LAUGHS, title="&e;"))),
        (Case("xxe.epub", "XXE (external entity) in the OPF", "skipped"),
         _bytes(epub(["<p>x</p>"], doctype=XXE, title="&x;"))),
        (Case("deep.html", "deep nesting (200,000 divs)", "listed"),
         _text("<html><body><p>Start.</p>" + "<div>" * 200_000 + "x" + "</div>" * 200_000)),
        (Case("deep.epub", "deep nesting in an EPUB page (compresses like a bomb)", "skipped"),
         _bytes(epub(["<p>Start.</p>" + "<div>" * 100_000 + "x" + "</div>" * 100_000]))),
        (Case("fifo.txt", "named pipe (FIFO)", "skipped"), lambda path: os.mkfifo(path)),
        (Case("huge-title.txt", "16 MB header value (Title:)", "listed", big=True),
         _bytes(b"Title: " + b"Tide " * (3 * MIB) + b"\nAuthor: A\n\nBody.\n")),
        (Case("huge-summary.html", "8 MB header value (HTML title)", "listed", big=True),
         _bytes(b"<html><head><title>" + b"Tide " * (2 * MIB) + b"</title></head>"
                b"<body><p>Body.</p></body></html>")),
        (Case("continuation.txt", "header of 1,000,000 continuation lines", "listed", big=True),
         _bytes(b"Title: T\nTags: a\n" + b"and more\n" * 1_000_000 + b"\nBody.\n")),
        (Case("empty-paragraphs.txt", "127 MB of empty paragraphs", "listed", big=True),
         _bytes(b"x\n\n" * (42 * 1_000_000))),
        (Case("newlines.txt", "30 MB of newlines and nothing else", "listed", big=True),
         _bytes(b"Title: N\n\n" + b"\n" * (30 * MIB))),
        (Case("dense.html", "24 MB of dense HTML paragraphs (3 M tags)", "listed", big=True),
         _bytes(b"<html><body>" + b"<p>x</p>" * (3 * MIB))),
        (Case("one-line.txt", "16 MB single-line paragraph", "listed", big=True),
         _bytes(b"Title: L\n\n" + b"word " * (3 * MIB))),
        (Case("big-words.txt", "400-digit Words:", "listed"),
         _text("Title: W\nWords: " + "9" * 400 + "\n\nBody.\n")),
        (Case("big-series.txt", "Series: X [5000 digits]", "listed"),
         _text("Title: S\nSeries: X [" + "9" * 5000 + "]\n\nBody.\n")),
        (Case("tabs.txt", "tabs in story text", "listed"),
         _text("Title: Tabs\n\nA\tB\n\tC\td\n")),
        (Case("cut-utf8.txt", "UTF-8 cut mid-character at the end", "listed"),
         _bytes("Title: Café\n\nNaïve — ok.\n".encode() + "—".encode()[:2])),
        (Case("hex.html", '<meta charset="hex">', "listed"),
         _text('<html><head><meta charset="hex"><title>H</title></head>'
               "<body><p>Café.</p></body></html>")),
        (Case(os.fsdecode(b"bad\xff\xfename.txt"), "file name not valid UTF-8", "listed"),
         _text("No header.\n")),
        (Case("too-big.txt", "file over the size budget (sparse 200 MB)", "skipped"),
         _sparse(200 * MIB)),
        (Case("binary.txt", "binary data named .txt", "skipped"),
         _bytes(b"\0\1\2\3" * 10_000)),
        (Case("empty.txt", "empty file", "skipped"), _bytes(b"")),
        (Case("yaml-bomb.md", "YAML alias bomb in Markdown front matter", "listed"),
         _text(YAML_BOMB)),
        (Case("toml-deep.md", "deeply nested TOML front matter", "listed"),
         _text("+++\ntitle = 'T'\nx = " + "[" * 50_000 + "]" * 50_000 + "\n+++\n\nBody.\n")),
        (Case("brackets.md", "Markdown of 200,000 '![' (slow parser path)", "listed"),
         _text("Title\n\n" + "![" * 200_000 + "\n")),
    ]


def make_corpus(folder: Path, *, big: bool = True) -> list[Case]:
    """Write every case into `folder`, plus a symlink to / and a symlink loop; with
    `big=False`, only the cases that take no time to read."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for case, write in _cases():
        if case.big and not big:
            continue
        write(Path(folder, case.name))
        cases.append(case)
    os.symlink("/", folder / "root-link")
    cases.append(Case("root-link", "symlink to / inside the library", "skipped"))
    (folder / "shelf").mkdir()
    (folder / "shelf" / "inside.txt").write_text("Title: Inside\n\nText.\n")
    os.symlink(folder, folder / "shelf" / "loop")
    cases.append(Case("shelf/loop", "symlink loop", "skipped"))
    return cases
