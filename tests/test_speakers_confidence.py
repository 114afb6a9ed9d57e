"""Speaker attribution: the calibrated confidence, the exchange chain's step, and the
whole-paragraph name scans (stories written for these tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tuific.dialogue import find_dialogue
from tuific.speakers import SHOW_AT, analyse, attribute, load_confidence, load_weights
from tuific.speakers.cast import Cast
from tuific.speakers.cast_build import build_cast
from tuific.speakers.confidence import CONF_FEATURES, calibrated, confidences, describe
from tuific.speakers.decode import decide
from tuific.speakers.exchange import _chain
from tuific.speakers.learn import learn_names

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
    tagged = describe(ctx, 0, who, prob, dists[0], frozenset())
    assert tagged[CONF_FEATURES.index("tag")] == 1.0
    untagged = list(tagged)
    untagged[CONF_FEATURES.index("tag")] = 0.0
    untagged[CONF_FEATURES.index("own_tag")] = 0.0
    weights = load_confidence()
    assert weights is not None
    assert calibrated(weights, tagged) > calibrated(weights, untagged)


def test_a_speech_tagged_by_a_role_is_less_sure_than_one_tagged_by_a_name() -> None:
    # "said the clergyman": the story may name him elsewhere, and the tag does not.
    story = [
        "Maren and Tobias waited on the pier with the clergyman.",
        '"The boat is late," said the clergyman.',
        '"It is always late," Tobias said.',
    ]
    ctx = analyse(story, find_dialogue(story), None)
    choices, dists = decide(ctx, load_weights())
    clergyman = ctx.cast.described["The Clergyman"]
    assert choices[0][0] == clergyman
    weights = load_confidence()
    assert weights is not None
    [by_role] = confidences(ctx, choices[:1], dists[:1], weights)
    # The same pick, not known as a role:
    as_named = describe(ctx, 0, clergyman, choices[0][1], dists[0], frozenset())
    assert as_named[CONF_FEATURES.index("role")] == 0.0
    assert by_role < calibrated(weights, as_named)


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
