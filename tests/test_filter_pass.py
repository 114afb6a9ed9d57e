"""FilterPass: a keystroke's pass in slices gives the matches of one pass, in the
shown order, whichever way it goes (the shown order's slices, or the listing's own
order then picked), and what it has not matched yet is what a next key must match."""

from __future__ import annotations

import random

import pytest

from tuific.filter_pass import FilterPass
from tuific.hiding import HideRule
from tuific.listing import Listing
from tuific.model import Metadata, Stories, Story
from tuific.query import parse_query

_WORDS = ["amber", "birch", "cedar", "dogwood", "elm", "fir", "gum", "hazel"]


def _listing(count: int, seed: int) -> Listing:
    rng = random.Random(seed)
    listing = Listing()
    listing.add(
        Stories(
            Story(f"/l/{i}.txt", "text", Metadata(title=" ".join(rng.sample(_WORDS, 2))),
                  rng.randrange(1, 9000))
            for i in range(count)
        )
    )
    listing.order = list(range(count))
    rng.shuffle(listing.order)
    return listing


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("text", ["e", "ce", "-elm", "r words:>3k", "hazel fir", "zzz"])
def test_a_pass_in_slices_finds_what_one_pass_finds(seed, text):
    listing = _listing(97, seed)
    if seed % 2:  # hidden stories are left out either way
        listing.hide_rules = [HideRule("long", "words:>8k", parse_query("words:>8k"))]
    query = parse_query(text)
    rng = random.Random(seed)
    # The whole order (tested in the listing's order) or a part of it (in slices).
    for base in (listing.order, sorted(rng.sample(listing.order, 30), key=listing.order.index)):
        expected = listing.filter(query, base)
        for first, size in ((5, 7), (0, 50), (40, 3), (200, 10)):
            matching = FilterPass(listing, query, list(base), first, size)
            assert matching.found == [i for i in expected if i in base[:first]]
            while matching.step():
                assert matching.found == expected[: len(matching.found)]  # a prefix
                # A key typed now narrows what it gives, in the same order.
                candidates = matching.candidates()
                assert [i for i in candidates if i in expected] == expected
                assert candidates == [i for i in base if i in candidates]
            assert matching.done and matching.found == expected, (first, size)
