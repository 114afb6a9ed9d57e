"""Speaker attribution's decoder: the fast scoring the pass uses agrees with the
feature vectors that training reads (a story written for these tests)."""

from __future__ import annotations

import random

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse
from tuific.speakers.decode import decide, decode_pass, exchange_links, relink, reset
from tuific.speakers.feature_names import FEATURES

# Tags of every kind, pronouns, a lead-in paragraph, vocatives, words of address and
# an untagged run: so that every feature is set somewhere.
PARLOUR = [
    "Mrs. Hallorann sat by the fire. Her nephew Bartholomew Quince stood at the window, "
    "and Miss Ada Ferrant had the sofa to herself.",
    "“You are late again, Bartholomew,” said Mrs. Hallorann.",
    "“The trains, aunt,” he said. “Always the trains.”",
    "Miss Ferrant looked up from her book and said:",
    "“There are no trains on Sundays, Mr. Quince.”",
    "“Then it was the omnibus.”",
    "“Nonsense.”",
    "“Yes, madam. Nonsense,” he said.",
    "She laughed, and Mrs. Hallorann rang for tea.",
    "“Ada, you will stay for tea?” she asked.",
    "“I should like nothing better,” Ada replied.",
    "“Good.”",
    "“And you, sir?”",
    "“I never refuse tea,” Bartholomew said.",
]


def _both_ways(weights: tuple[list[float], ...]) -> None:
    """Decode every pass twice, with the training trace (feature dicts summed) and
    without (the fast scoring), and check both give the same choices and
    distributions; then the same through `decide` (whose first pass works out the
    second's own scores too, and whose third reads none of them)."""
    spans = find_dialogue(PARLOUR)
    fast = analyse(PARLOUR, spans, None)
    slow = analyse(PARLOUR, spans, None)
    traced: list = []
    found_fast = found_slow = None
    for w in weights:
        if found_fast is not None and found_slow is not None:
            relink(fast, found_fast)
            relink(slow, found_slow)
        found_fast = decode_pass(fast, w)
        found_slow = decode_pass(slow, w, traced)
        assert found_fast == found_slow
    assert decide(analyse(PARLOUR, spans, None), weights) == found_slow
    # The trace saw the candidates of every turn with features set.
    seen = {k for _t, _cands, vecs in traced for f in vecs for k in f}
    assert len(seen) > len(FEATURES) // 2


def test_the_fast_scoring_agrees_with_the_feature_vectors() -> None:
    rng = random.Random(3)
    for _ in range(5):
        weights = tuple([rng.uniform(-2, 2) for _ in FEATURES] for _pass in range(3))
        _both_ways(weights)


def test_the_shipped_weights_score_the_same_both_ways() -> None:
    from tuific.speakers import load_weights

    _both_ways(tuple(list(w) for w in load_weights()))


def test_the_fan_fiction_weights_score_the_same_both_ways() -> None:
    from tuific.speakers import load_weights

    _both_ways(tuple(list(w) for w in load_weights(fandom=True)))


def test_fan_fiction_adds_its_corrections_to_the_novels_weights(monkeypatch) -> None:
    import json
    from pathlib import Path

    import tuific.speakers as speakers
    from tuific.model import Metadata
    from tuific.speakers import PASSES, attribute, load_weights

    stored = json.loads((Path(speakers.__file__).parent / "weights.json").read_text("utf-8"))
    fic, novels = load_weights(fandom=True), load_weights()
    assert len(fic) == len(novels) == 3 and fic != novels
    for k, key in enumerate(PASSES):
        for i, name in enumerate(FEATURES):
            expected = stored[key].get(name, 0.0) + stored["fandom"][key].get(name, 0.0)
            assert abs(fic[k][i] - expected) < 1e-9, (key, name)
    # A story whose header names a fandom is read with them; a novel, and a story
    # given weights of its own, are not.
    asked: list[bool] = []

    def spy(fandom: bool = False):
        asked.append(fandom)
        return novels

    monkeypatch.setattr(speakers, "load_weights", spy)
    attribute(PARLOUR, meta=Metadata(characters=["Emma"], fandoms=["Emma - Jane Austen"]))
    attribute(PARLOUR, meta=Metadata(characters=["Emma"]))
    attribute(PARLOUR, meta=Metadata(fandoms=["Emma"]), weights=novels)
    assert asked == [True, False]


def test_deciding_both_passes_at_once_gives_what_they_give_run_apart() -> None:
    """decide reads each candidate's own features once for both passes (complex
    weights); two passes run apart read them in each. Same choices and
    distributions, to the last bit, and again on a second decide."""
    rng = random.Random(5)
    spans = find_dialogue(PARLOUR)
    for _ in range(5):
        weights = ([rng.uniform(-2, 2) for _ in FEATURES], [rng.uniform(-2, 2) for _ in FEATURES])
        together = analyse(PARLOUR, spans, None)
        assert decide(together, weights) == decode_pass_apart(spans, *weights)
        assert together.paired is not None
        # New weights on the same context (as training does): nothing worked out
        # under the old ones is reused.
        other = ([rng.uniform(-2, 2) for _ in FEATURES], [rng.uniform(-2, 2) for _ in FEATURES])
        reset(together)
        assert decide(together, other) == decide(analyse(PARLOUR, spans, None), other)
        for own in together.own.values():
            for c, later in own.ahead.items():
                assert later == own.score(together, c, other[1])
        # Passes run apart after a decide (as training runs them) read no scores
        # that decide worked out for other weights.
        reset(together)
        relink(together, decode_pass(together, other[0]))
        assert decode_pass(together, weights[1]) == decode_pass_apart(spans, other[0], weights[1])


def decode_pass_apart(spans, first: list[float], second: list[float]):
    ctx = analyse(PARLOUR, spans, None)
    relink(ctx, decode_pass(ctx, first))
    return decode_pass(ctx, second)


def test_each_turns_tagged_neighbours_are_the_ones_exchange_links_reads() -> None:
    ctx = analyse(PARLOUR, find_dialogue(PARLOUR), None)
    assert any(ctx.reach_back) and any(ctx.reach_fwd)
    every_other = [t % 3 if t % 2 else None for t in range(len(ctx.turns))]
    for links in (list(ctx.anchors), every_other):
        ctx.set_links(links)
        assert ctx.back == [exchange_links(ctx, t, -1) for t in range(len(links))]
        assert ctx.fwd == [exchange_links(ctx, t, 1) for t in range(len(links))]
        assert any(ctx.back) and any(ctx.fwd)


def test_the_written_out_chain_of_four_gives_the_general_chains_sums_to_the_bit() -> None:
    from tuific.speakers.exchange import _by_speaker_four, _chain

    rng = random.Random(5)
    for length in (1, 2, 3, 17):
        emits = [[0.05 + rng.random() for _ in range(4)] for _ in range(length)]
        steps = [rng.choice([(0.06, 0.13), (0.3, 0.2), (0.97, 0.01)]) for _ in range(length - 1)]
        # Some turns say who is spoken to, most do not.
        heard = [
            [rng.choice((1.0, 0.35, 0.7)) for _ in range(4)] if rng.random() < 0.4 else None
            for _ in range(length)
        ]
        for listening in ([None] * length, heard):
            assert _by_speaker_four(emits, steps, listening) == _chain(4).by_speaker_sums(
                emits, steps, listening
            )


def test_the_shipped_passes_run_one_after_another() -> None:
    from tuific.speakers import load_weights

    weights = load_weights()
    assert len(weights) == 3
    spans = find_dialogue(PARLOUR)
    ctx = analyse(PARLOUR, spans, None)
    found = decode_pass(ctx, weights[0])
    for w in weights[1:]:
        relink(ctx, found)
        found = decode_pass(ctx, w)
    assert decide(analyse(PARLOUR, spans, None), weights) == found
    # Two passes give something else: the third reads the second's choices.
    two = decide(analyse(PARLOUR, spans, None), weights[:2])
    assert [p for _who, p in two[0]] != [p for _who, p in found[0]]
