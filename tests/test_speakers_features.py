"""Features of a candidate speaker read from the narration around a speech, and what the
confidence reads from the turn-taking (scenes written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.speakers import analyse, load_confidence, load_weights
from tuific.speakers.confidence import CONF_FEATURES, describe
from tuific.speakers.decode import decide, decode_pass, features, relink
from tuific.speakers.features import INDEX

# An untagged speech after a narration paragraph that names one woman, and one with a
# narration paragraph after it that names the other.
WORKROOM = [
    "Perpetua and Winifred sorted the linen in the workroom.",
    "“Have you seen the blue thread?” said Winifred.",  # 1
    "“It was on the sill,” said Perpetua.",  # 2
    "Winifred went to the window and searched along the sill.",  # 3 names Winifred alone
    "“Not there now.”",  # 4: narration just before names one character
    "“Then the cat has it.”",  # 5: the speech paragraph before is no narration
    "Perpetua laughed at her own joke.",  # 6: narration after turn 5
]


def _vectors(story: list[str], paragraph: int, after: bool = False):
    """Each candidate's features at `paragraph`; `after`: read after the turns before
    it (as the pass does: the turns just before decide what is near), else alone."""
    ctx = analyse(story, find_dialogue(story), None)
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    t = next(k for k, turn in enumerate(ctx.turns) if turn.paragraph == paragraph)
    history = [(turn.paragraph, None) for turn in ctx.turns[:t]] if after else []
    cands, vecs = features(ctx, t, history)
    return names, dict(zip(cands, vecs, strict=True))


def test_narration_just_before_naming_one_character() -> None:
    names, by_cand = _vectors(WORKROOM, 4)
    winifred, perpetua = by_cand[names["Winifred"]], by_cand[names["Perpetua"]]
    assert winifred.get(INDEX["narr_prev_plain"]) == 1.0
    assert winifred.get(INDEX["narr_prev_only"]) == 1.0
    assert INDEX["narr_prev_plain"] not in perpetua
    # After a speech paragraph, the names in its tag are no narration of its own.
    _names, after_speech = _vectors(WORKROOM, 2)
    assert not any(INDEX["narr_prev_plain"] in f for f in after_speech.values())


def test_a_subject_between_a_paragraphs_first_two_speeches_is_near_them() -> None:
    story = [
        "Perpetua and Winifred sorted the linen in the workroom. Bartholomew came in.",
        "“Winifred.” Perpetua turned the basket round so that it faced her. “The blue "
        "thread. Now.”",
        "“Perpetua,” said Winifred, “you had it last.”",
    ]
    names, by_cand = _vectors(story, 1)
    perpetua, winifred = by_cand[names["Perpetua"]], by_cand[names["Winifred"]]
    assert perpetua.get(INDEX["narr_subject_near"]) == 1.0
    assert INDEX["narr_subject_near"] not in winifred
    # ...and so is one opening a long stretch of narration right after the first.
    long = [
        story[0],
        "“Winifred.” Perpetua turned the basket round so that it faced her, and held up "
        "the spool against the light from the window, and everyone fell quiet the way "
        "they always did when she did that. “The blue thread. Now.”",
    ]
    names, by_cand = _vectors(long, 1)
    assert by_cand[names["Perpetua"]].get(INDEX["narr_subject_near"]) == 1.0
    # A tag of the paragraph's own says who speaks: the subject between is no cue.
    tagged = ["Perpetua and Winifred sat.", "“No,” said Winifred. Perpetua turned. “Yes.”"]
    names, by_cand = _vectors(tagged, 1)
    assert not any(INDEX["narr_subject_near"] in f for f in by_cand.values())


def test_narration_just_after_names_who_reacts() -> None:
    names, by_cand = _vectors(WORKROOM, 5)
    perpetua = by_cand[names["Perpetua"]]
    assert perpetua.get(INDEX["narr_next"]) == 1.0
    assert perpetua.get(INDEX["narr_next_first"]) == 1.0
    # A speech paragraph after the turn is not its narration.
    names, by_cand = _vectors(WORKROOM, 1)
    assert not any(INDEX["narr_next"] in f for f in by_cand.values())


def test_the_confidence_reads_the_turn_taking_around_an_untagged_turn() -> None:
    story = [
        "Maren and Tobias waited on the pier.",
        "“The boat is late,” said Maren.",
        "“It is always late,” Tobias said.",
        "“Not on Sundays.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    choices, dists = decide(ctx, load_weights())
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    agree, clash = CONF_FEATURES.index("parity_agree"), CONF_FEATURES.index("parity_clash")
    # Turn 2 answers Tobias (one turn back) and repeats Maren (two back): both agree
    # with Maren and both clash with Tobias.
    maren = describe(ctx, 2, names["Maren"], 0.6, dists[2], frozenset())
    tobias = describe(ctx, 2, names["Tobias"], 0.6, dists[2], frozenset())
    assert (maren[agree], maren[clash]) == (1.0, 0.0)
    assert (tobias[agree], tobias[clash]) == (0.0, 1.0)
    assert maren[CONF_FEATURES.index("untagged")] == 1.0
    assert 0.0 < maren[CONF_FEATURES.index("story_tagged")] < 1.0
    weights = load_confidence()
    assert weights is not None and weights[agree] > weights[clash]
    assert choices[2][0] == names["Maren"]


def test_the_first_pass_reads_narration_features_too() -> None:
    ctx = analyse(WORKROOM, find_dialogue(WORKROOM), None)
    first = load_weights()[0]
    assert first[INDEX["narr_prev_plain"]] > 0.0
    names = [c.name for c in ctx.cast.characters]
    t = next(k for k, turn in enumerate(ctx.turns) if turn.paragraph == 4)
    # Without its narration features the first pass would lean to Perpetua (the lead,
    # named one turn further back): they lift Winifred's probability.
    _choices, dists = decode_pass(ctx, first)
    blind = list(first)
    for name in ("narr_prev", "narr_prev_plain", "narr_prev_only"):
        blind[INDEX[name]] = 0.0
    ctx.own.clear()
    _choices, blind_dists = decode_pass(ctx, blind)
    winifred = names.index("Winifred")
    assert dists[t][winifred] > blind_dists[t][winifred]
    # ...and both passes together give it to her.
    ctx.own.clear()
    choices, _dists = decide(ctx, load_weights())
    assert choices[t][0] == winifred


def test_a_pronoun_tag_looks_further_back_for_its_gender() -> None:
    # Only Lavinia is a woman, named long before her "she said".
    story = [
        "Lavinia came down to the quay; she carried a basket. Osbert came after, and he "
        "carried nothing.",
        *[f"Osbert counted the boats; he saw {n} of them." for n in range(3, 20)],
        "“The tide is turning,” said Osbert.",
        "“Then we must hurry,” she said.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    t = len(ctx.turns) - 1
    cands, _vecs = features(ctx, t, [])
    assert "Lavinia" in [names[c] for c in cands]
    own = ctx.own[t]
    assert own.pron_first is not None and names[own.pron_first] == "Lavinia"


def test_a_pronoun_that_means_the_last_speakers_own_tag_is_marked() -> None:
    story = [
        "Perpetua shook out a sheet; she folded it. Winifred sighed, and she sat down.",
        "“The blue is gone,” said Winifred.",
        "“It was on the sill,” said Perpetua.",
        "“Not now,” she said.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    relink(ctx, decode_pass(ctx, load_weights()[0]))
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    history = [(1, names["Winifred"]), (2, names["Perpetua"])]
    cands, vecs = features(ctx, 2, history)
    by_cand = dict(zip(cands, vecs, strict=True))
    # "she" is first Perpetua (named last, in her own tag), who just spoke; second
    # Winifred, who spoke before her.
    assert by_cand[names["Perpetua"]].get(INDEX["pron_first_prev1"]) == 1.0
    assert by_cand[names["Winifred"]].get(INDEX["pron_second_prev2"]) == 1.0
    assert load_weights()[1][INDEX["pron_first_prev1"]] < 0


def test_a_word_of_address_in_the_next_speech_says_who_spoke_before() -> None:
    story = [
        "Lavinia came down to the quay; she carried a basket. Osbert came after, and he "
        "carried nothing.",
        "“The tide is turning.”",
        "“Yes, sir, it is.”",
    ]
    names, by_cand = _vectors(story, 1)
    assert by_cand[names["Osbert"]].get(INDEX["listener_next_match"]) == 1.0
    assert by_cand[names["Lavinia"]].get(INDEX["listener_next_clash"]) == 1.0


def test_someone_talked_about_in_the_speeches_around_is_marked() -> None:
    story = [
        "Perpetua shook out a sheet; she folded it. Winifred sighed, and she sat down. "
        "Their cousin Araminta was in Bath, and Araminta wrote every week.",
        "“Araminta will come on Sunday.”",
        "“Not if it rains.”",
        "“Araminta never minds the rain.”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    cands, vecs = features(ctx, 1, [(1, None)])  # the turn before was a speech
    by_cand = dict(zip(cands, vecs, strict=True))
    araminta = names["Araminta"]
    assert araminta in by_cand
    assert by_cand[araminta].get(INDEX["in_prev_speech"]) == 1.0
    assert by_cand[araminta].get(INDEX["in_next_speech"]) == 1.0
    weights = load_weights()[1]
    assert weights[INDEX["in_prev_speech"]] < 0 and weights[INDEX["in_next_speech"]] < 0


def test_turn_taking_chances_follow_how_exchanges_go() -> None:
    """Back to back, the other party mostly answers and a third cuts in more often
    than the same speaker goes on; after a narration paragraph, going on is common."""
    from tuific.speakers.exchange import _step
    from tuific.speakers.turn import Turn

    turns = [Turn(0, [(0, 1)]), Turn(1, [(0, 1)]), Turn(3, [(0, 1)])]
    same, new = _step(turns, 0, 1)
    assert same < new < 1 - same - new
    same_gap, new_gap = _step(turns, 1, 2)
    assert same_gap > 4 * same and new_gap > new


def test_an_exchange_is_read_among_its_four_likeliest_people() -> None:
    from tuific.speakers.exchange import alternation
    from tuific.speakers.turn import Turn

    turns = [Turn(p, [(0, 1)]) for p in range(6)]
    # Six people each somewhat likely somewhere: the chain keeps the four likeliest.
    dists = [{k: 0.5, (k + 1) % 6: 0.3} for k in range(6)]
    dists[0][0] = 0.9
    out = alternation(turns, dists)
    assert all(0 < len(d) <= 4 for d in out)
    assert all(abs(sum(d.values()) - 1.0) < 1e-9 for d in out)


def test_whom_a_speech_calls_to_tells_the_exchange_who_the_other_party_is() -> None:
    from tuific.speakers.exchange import alternation
    from tuific.speakers.turn import Turn

    # Ada (0) is tagged; the one she talks with is Bea (1, F) or Cob (2, M), as
    # likely as each other by their own turns' evidence.
    turns = [Turn(p, [(0, 1)]) for p in range(6)]
    even, odd = {0: 0.6, 1: 0.1, 2: 0.1}, {0: 0.1, 1: 0.4, 2: 0.4}
    dists = [{0: 0.95}, odd, even, odd, even, odd]
    genders = ["F", "F", "M"]
    plain = alternation(turns, dists, genders)
    assert abs(plain[3][1] - plain[3][2]) < 1e-9
    # Ada calls her listener by name at turn 2: the other party is Bea, all along.
    turns[2].vocatives = [1]
    called = alternation(turns, dists, genders)
    for t in (1, 3, 5):
        assert called[t][1] > called[t][2] + 0.2
    # ...or says "ma'am" to her: Bea again, as the only woman of the two.
    turns[2].vocatives = []
    turns[2].listener = "F"
    told = alternation(turns, dists, genders)
    assert all(told[t][1] > told[t][2] for t in (1, 3, 5))
    # ...and one of unknown gender fits "ma'am" better than a man does.
    unsure = alternation(turns, dists, ["F", "", "M"])
    assert all(unsure[t][1] > unsure[t][2] for t in (1, 3, 5))


def test_a_call_to_someone_is_answered_next_not_after_a_scene_of_narration() -> None:
    story = [
        "Perpetua and Winifred sorted the linen in the workroom.",
        "“Have you seen the blue thread, Winifred?” said Perpetua.",  # 1 calls Winifred
        "“On the sill.”",  # 2: the answer, next
        "“Bring it here, Winifred,” said Perpetua.",  # 3 calls Winifred again
        "The clock struck four, and the light went out of the room.",
        "Outside, a cart went by with its lamps lit; the horse was tired.",
        "“We shall need the lamp.”",  # 6: two paragraphs of narration later
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]

    def addressed(paragraph: int) -> list[str]:
        t = next(k for k, turn in enumerate(ctx.turns) if turn.paragraph == paragraph)
        history = [(turn.paragraph, None) for turn in ctx.turns[:t]]
        cands, vecs = features(ctx, t, history)
        return [names[c] for c, f in zip(cands, vecs, strict=True) if INDEX["addressed"] in f]

    assert addressed(2) == ["Winifred"]
    assert addressed(6) == []


def test_a_description_right_after_a_named_tag_is_someone_else() -> None:
    story = [
        "Mr. Weston and his son Frank Churchill came into the drawing-room together.",
        "“I told you he would be here before the time,” cried Mr. Weston.",
        "“It is a great pleasure to come home,” said the young man.",
    ]
    names, by_cand = _vectors(story, 2, after=True)
    assert by_cand[names["Mr. Weston"]].get(INDEX["desc_prev"]) == 1.0
    assert INDEX["desc_prev"] not in by_cand[names["Frank Churchill"]]
    # "said he" is no description: the last speaker may well go on.
    he = story[:2] + ["“It is a great pleasure to come home,” said he."]
    names, by_cand = _vectors(he, 2, after=True)
    assert all(INDEX["desc_prev"] not in f for f in by_cand.values())
    # Nor where the turn's own tag names its speaker: the description is another's.
    named = story[:2] + ["“What?” said Mr. Weston. “Nothing,” said the young man."]
    names, by_cand = _vectors(named, 2, after=True)
    assert all(INDEX["desc_prev"] not in f for f in by_cand.values())


def test_sir_in_a_speech_marks_the_man_named_last_as_its_listener() -> None:
    story = [
        "Mr. Woodhouse sat by the fire, and Emma sat by him.",
        "Mr. John Knightley came in. “There is snow, sir,” said Mr. John Knightley.",
        "Poor Mr. Woodhouse was silent from consternation.",
        "“I admired your resolution very much, sir,” said he.",
    ]
    names, by_cand = _vectors(story, 3)
    assert by_cand[names["Mr. Woodhouse"]].get(INDEX["sir_recent"]) == 1.0
    assert INDEX["sir_recent"] not in by_cand[names["Mr. John Knightley"]]


def test_a_question_called_to_someone_is_marked_for_them_to_answer() -> None:
    story = [
        "Harriet and Emma and Mr. Elton sat in the parlour after dinner.",
        "“Will you sing for us, Harriet?” said Mr. Elton.",
        "“Oh! I could not, indeed.”",
    ]
    names, by_cand = _vectors(story, 2, after=True)
    harriet = by_cand[names["Harriet"]]
    assert harriet.get(INDEX["addressed"]) == 1.0 and harriet.get(INDEX["addressed_q"]) == 1.0
    told = [story[0], "“You sing so well, Harriet,” said Mr. Elton.", story[2]]
    names, by_cand = _vectors(told, 2, after=True)
    assert by_cand[names["Harriet"]].get(INDEX["addressed"]) == 1.0
    assert INDEX["addressed_q"] not in by_cand[names["Harriet"]]


def test_the_scorer_weighs_those_marks_as_they_read() -> None:
    # Fitted on the development novels: each pass holds a description after a named
    # tag and the likely listener of "sir" against a candidate, a question's addressee for.
    for weights in load_weights():
        assert weights[INDEX["desc_prev"]] < 0 and weights[INDEX["sir_recent"]] < 0
        assert weights[INDEX["addressed_q"]] > 0
