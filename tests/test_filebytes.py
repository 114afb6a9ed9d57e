"""Reading a regular file whole: the one reader of story files and the metadata cache."""

from __future__ import annotations

import re

import pytest

from tuific.filebytes import UnreadableFile, read_whole
from tuific.formats import StoryError, read_file_bytes
from tuific.readahead import read_regular_file


def test_the_whole_file_or_its_head(tmp_path):
    file = tmp_path / "story.txt"
    file.write_bytes(b"0123456789")
    assert read_whole(file, 10) == b"0123456789"
    assert read_whole(file, 10, head=4) == b"0123"
    assert read_whole(file, 10, head=99) == b"0123456789"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "cannot open"),
        (lambda p: p.mkdir(), "not a regular file"),
        (lambda p: p.write_bytes(b""), "empty file"),
        (lambda p: p.write_bytes(b"x" * (3 * 1024 * 1024)), "too large (3 MiB)"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_to_each_caller(tmp_path, make, reason):
    file = tmp_path / "story.txt"
    make(file)
    with pytest.raises(UnreadableFile, match=re.escape(reason)):
        read_whole(file, 1024 * 1024)
    # The story reader passes the reason on; the cache's read-ahead only needs to know.
    with pytest.raises(StoryError) as raised:
        read_file_bytes(file, limit=1024 * 1024)
    assert str(raised.value).startswith(reason)
    assert read_regular_file(file, 1024 * 1024) is None


@pytest.mark.parametrize("positional", [True, False])
def test_reads_from_an_offset_whatever_was_read_before(tmp_path, monkeypatch, positional):
    import os

    from tuific import filebytes

    if not positional:  # a system without pread: a seek, then a read
        monkeypatch.setattr(filebytes, "_read_at", filebytes._seek_and_read)
    path = tmp_path / "story.txt"
    path.write_bytes(b"0123456789")
    fd, size = filebytes.open_regular(path, 100)
    try:
        assert filebytes.read_from(fd, 4) == b"0123"
        assert filebytes.read_from(fd, size) == b"0123456789"  # from the start again
        assert filebytes.read_from(fd, 3, offset=6) == b"678"
        assert filebytes.read_from(fd, 100, offset=8) == b"89"  # shorter than asked
        assert filebytes.read_from(fd, 5, offset=20) == b""
    finally:
        os.close(fd)
