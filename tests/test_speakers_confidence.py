"""Speaker attribution: the calibrated confidence, the exchange chain's step, and the
whole-paragraph name scans (stories written for these tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tuific.dialogue import find_dialogue
from tuific.speakers import SHOW_AT, analyse, attribute, load_confidence, load_weights
from tuific.speakers.cast import Cast, build_cast, learn_names
from tuific.speakers.confidence import (
    CONF_FEATURES,
    calibrated,
    confidences,
    describe,
    story_of,
)
from tuific.speakers.decode import decide
from tuific.speakers.exchange import _chain

STORY = [
    "Maren and Tobias waited on the pier.",
    '"The boat is late," said Maren.',
    '"It is always late," Tobias said.',
    '"Not on Sundays."',
    '"Today is not Sunday, Maren."',
]


def test_the_shipped_confidence_model_has_a_weight_per_feature() -> None:
    weights = load_confidence()
    assert weights is not None and len(weights) == len(CONF_FEATURES)


def test_without_a_confidence_model_the_decoders_probability_is_the_confidence() -> None:
    ctx = analyse(STORY, find_dialogue(STORY), None)
    choices, dists = decide(ctx, load_weights())
    assert confidences(ctx, choices, dists, None) == [prob for _who, prob in choices]


def test_a_tagged_pick_is_surer_than_the_same_pick_without_its_tag() -> None:
    ctx = analyse(STORY, find_dialogue(STORY), None)
    choices, dists = decide(ctx, load_weights())
    who, prob = choices[0]
    tagged = describe(ctx, 0, who, prob, dists[0])
    assert tagged[CONF_FEATURES.index("tag")] == 1.0
    untagged = list(tagged)
    untagged[CONF_FEATURES.index("tag")] = 0.0
    untagged[CONF_FEATURES.index("own_tag")] = 0.0
    weights = load_confidence()
    assert weights is not None
    assert calibrated(weights, tagged) > calibrated(weights, untagged)


def test_the_story_s_tagged_speech_is_shown_with_its_speaker() -> None:
    found = attribute(STORY)
    assert [a.speaker for a in found[:2]] == ["Maren", "Tobias"]
    assert all(a.shown == (a.speaker is not None and a.confidence >= SHOW_AT) for a in found)
    assert found[0].shown


def _naive_transit(vec, states, step, forward):
    """The chain's step written out state by state: the reference for the fast one."""
    same, new = step
    swap = 1.0 - same - new
    index = {st: i for i, st in enumerate(states)}
    out = [0.0] * len(vec)
    for i, (a, b) in enumerate(states):
        fresh = [index[(c, x)] for c, x in states if x == a and c != b]
        each = new / max(1, len(fresh))
        if forward:
            out[index[(b, a)]] += vec[i] * swap
            out[i] += vec[i] * same
            for j in fresh:
                out[j] += vec[i] * each
        else:
            out[i] = vec[index[(b, a)]] * swap + vec[i] * same + each * sum(vec[j] for j in fresh)
    return out


@given(
    st.integers(min_value=2, max_value=5),
    st.data(),
    st.sampled_from([(0.97, 0.01), (0.12, 0.08), (0.25, 0.15)]),
    st.booleans(),
)
def test_the_linear_chain_step_matches_the_state_by_state_one(people, data, step, forward):
    states = [(a, b) for a in range(people) for b in range(people) if a != b]
    vec = data.draw(
        st.lists(st.floats(0, 1), min_size=len(states), max_size=len(states)), label="vec"
    )
    chain = _chain(people)
    # With every emission 1 the forward step is the chain's step alone.
    fast = chain.forward(vec, [1.0] * len(vec), step) if forward else chain.backward(vec, step)
    slow = _naive_transit(vec, states, step, forward)
    assert all(abs(x - y) < 1e-9 for x, y in zip(fast, slow, strict=True))


def test_names_are_found_at_a_paragraph_start_and_after_a_word_but_not_inside_one() -> None:
    texts = [
        "Maren was tired. Then Tobias turned away.",
        "Maren was cold; Tobias went in.",
        "Mr. Hale came, and Mrs. Hale smiled. XMr. Nobody was here.",
    ]
    counts = learn_names(texts)
    assert {"Maren", "Tobias", "Mr. Hale", "Mrs. Hale"} <= set(counts)
    assert "Nobody" not in counts and "Mr. Nobody" not in counts


def test_the_alias_scan_finds_accented_names_and_an_empty_cast_finds_none() -> None:
    cast = build_cast(["Élodie smiled."], ["Élodie"])
    text = "Then Élodie left; Élodie's coat stayed, not xÉlodie."
    assert [m.start() for m in cast.regex.finditer(text)] == [5, 18]
    assert list(Cast().regex.finditer(text)) == []


# An untagged answer between two of Maren's tagged lines: two people taking turns.
PIER = [
    "Maren and Tobias waited on the pier.",
    "“The boat is late,” said Maren.",
    "“It is always late.”",
    "“Not on Sundays,” said Maren.",
    "“Today is Monday.”",
]


def _pier():
    ctx = analyse(PIER, find_dialogue(PIER), None)
    choices, dists = decide(ctx, load_weights())
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    return ctx, choices, dists, names


def test_every_feature_has_a_value_with_and_without_the_whole_decode() -> None:
    ctx, choices, dists, names = _pier()
    story = story_of(ctx, choices)
    for t, (who, prob) in enumerate(choices):
        assert who is not None
        assert len(describe(ctx, t, who, prob, dists[t])) == len(CONF_FEATURES)
        assert len(describe(ctx, t, who, prob, dists[t], story)) == len(CONF_FEATURES)


def test_an_untagged_turn_between_tags_reads_whether_its_pick_fits_their_turn_taking() -> None:
    ctx, choices, dists, names = _pier()
    story = story_of(ctx, choices)
    at = {name: CONF_FEATURES.index(name) for name in CONF_FEATURES}
    # Turn 1 answers Maren's tagged line and is answered by her next one: Tobias fits
    # both tags, Maren neither.
    tobias = describe(ctx, 1, names["Tobias"], 0.6, dists[1], story)
    maren = describe(ctx, 1, names["Maren"], 0.6, dists[1], story)
    assert (tobias[at["back_parity"]], tobias[at["fwd_parity"]]) == (1.0, 1.0)
    assert tobias[at["anchored_both"]] == tobias[at["untagged_anchored"]] == 1.0
    assert tobias[at["anchor_near"]] == 1.0
    assert (maren[at["back_parity"]], maren[at["fwd_parity"]]) == (-1.0, -1.0)
    assert maren[at["untagged_parity"]] == -2.0 and maren[at["anchored_both"]] == 0.0
    # The last turn answers Maren's tagged line just before it, and no tag follows.
    last = describe(ctx, 3, names["Tobias"], 0.6, dists[3], story)
    assert last[at["back_parity"]] == 1.0 and last[at["fwd_parity"]] == 0.0
    weights = load_confidence()
    assert weights is not None
    assert calibrated(weights, tobias) > calibrated(weights, maren)


def test_the_whole_decode_gives_the_speakers_around_a_turn_and_the_story_s_figures() -> None:
    ctx, choices, dists, names = _pier()
    assert [who for who, _prob in choices] == [names[n] for n in ("Maren", "Tobias") * 2]
    story = story_of(ctx, choices)
    assert story.speaks == {names["Maren"]: 2, names["Tobias"]: 2}
    at = {name: CONF_FEATURES.index(name) for name in CONF_FEATURES}
    values = describe(ctx, 2, names["Maren"], choices[2][1], dists[2], story)
    assert values[at["same_as_prev2"]] == 1.0 and values[at["same_as_prev"]] == 0.0
    assert values[at["same_as_next"]] == 0.0 and values[at["two_people"]] == 1.0
    assert values[at["story_header"]] == 0.0
    assert 0.0 < values[at["story_prob"]] <= 1.0
    # Without the decode nothing is known of the turns around.
    bare = describe(ctx, 2, names["Maren"], choices[2][1], dists[2])
    assert bare[at["same_as_prev2"]] == 0.0 and bare[at["story_prob"]] == 0.0


def test_the_confidence_is_the_model_on_what_the_whole_decode_saw() -> None:
    ctx, choices, dists, _names = _pier()
    weights = load_confidence()
    assert weights is not None
    story = story_of(ctx, choices)
    expected = [
        calibrated(weights, describe(ctx, t, who, prob, dists[t], story))
        for t, (who, prob) in enumerate(choices)
        if who is not None
    ]
    assert confidences(ctx, choices, dists, weights) == expected
