"""`format:` takes the formats' names (or part of one, or txt/md) and refuses any
other value with a message, as every other field does."""

from __future__ import annotations

import importlib

import pytest

from tuific.formats import READER_NAMES
from tuific.query import QueryError, parse_query
from tuific.query.fields import FORMAT_NAMES


def test_the_query_knows_every_readers_format_name():
    names = {importlib.import_module(f"tuific.formats.{m}").NAME for m in READER_NAMES}
    assert names == set(FORMAT_NAMES)


@pytest.mark.parametrize(
    "text, value", [("format:epub", "epub"), ("format:txt", "text"), ("format:MD", "markdown")]
)
def test_format_names_and_short_names(text, value):
    assert parse_query(text).terms[0].value == value


@pytest.mark.parametrize("text", ["format:banana", "-format:docx"])
def test_an_unknown_format_is_an_error_not_an_empty_list(text):
    with pytest.raises(QueryError, match="format: expected"):
        parse_query(text)
