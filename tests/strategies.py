"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

from hypothesis import strategies as st

from tuific.model import Metadata


def metadata(text, texts, maybe_text, maybe_int) -> st.SearchStrategy[Metadata]:
    """Metadata with each field drawn from the given strategies: a text, a list of
    texts, an optional text and an optional number."""
    return st.builds(
        Metadata,
        title=text,
        authors=texts,
        recipients=texts,
        fandoms=texts,
        relationships=texts,
        characters=texts,
        rating=text,
        rating_original=maybe_text,
        warnings=texts,
        categories=texts,
        tags=texts,
        summary=maybe_text,
        notes=maybe_text,
        words_declared=maybe_int,
        chapters_total=maybe_int,
        status=st.sampled_from([None, "complete", "in-progress"]),
        series=maybe_text,
        series_index=maybe_int,
        published=maybe_text,
        updated=maybe_text,
        language=maybe_text,
        extra=st.dictionaries(text, text, max_size=3),
    )
