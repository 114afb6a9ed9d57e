"""The dialogue finder: speech spans, mark styles, apostrophes, multi-paragraph speech."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuific import dialogue
from tuific.dialogue import dialogue_spans, dominant_convention, find_dialogue, open_states


def speech(text: str, convention: dialogue.Convention = "double", carried: bool = False):
    """The highlighted strings of one paragraph, and whether speech is left open."""
    spans, still_open = dialogue_spans(text, convention, carried)
    return [text[a:b] for a, b in spans], still_open


def spoken(text: str, convention: dialogue.Convention = "double") -> list[str]:
    return speech(text, convention)[0]


# ---- mark styles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Come in,” she said.", ["“Come in,”"]),
        ('"Come in," she said.', ['"Come in,"']),
        ("«Entrez», dit-elle.", ["«Entrez»"]),
        ("« Entrez », dit-elle.", ["« Entrez »"]),  # French spacing inside the marks
        ("‹Entrez›, dit-elle.", ["‹Entrez›"]),
        ("„Komm herein“, sagte sie.", ["„Komm herein“"]),
        ("„Wejdź”, powiedziała.", ["„Wejdź”"]),  # Polish „…”
        ("»Komm herein«, sagte sie.", ["»Komm herein«"]),  # German »…«
        ("»Kom in», sa hon.", ["»Kom in»"]),  # Swedish »…»
        ("”Kom in”, sa hon.", ["”Kom in”"]),  # Swedish ”…”
        ("「入って」と彼女は言った。", ["「入って」"]),
        ("“Come in”she said.", ["“Come in”"]),  # missing space after the closer
        ("He said,“Come in.”", ["“Come in.”"]),  # missing space before the opener
        ("(“Come in.”)", ["“Come in.”"]),
        ("She stopped—“Wait.”", ["“Wait.”"]),
        ("“Wait—” he began.", ["“Wait—”"]),
        ("“No.”“Yes.”", ["“No.”", "“Yes.”"]),
        ("他说：“你好。”", ["“你好。”"]),
    ],
)
def test_double_and_other_styles(text: str, expected: list[str]) -> None:
    assert speech(text) == (expected, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("‘Come in,’ she said.", ["‘Come in,’"]),
        ("'Come in,' she said.", ["'Come in,'"]),
        ("‚Komm herein‘, sagte sie.", ["‚Komm herein‘"]),
        ("«Entrez», dit-elle.", ["«Entrez»"]),  # guillemets open speech in either style
        ("「入って」と彼女は言った。", ["「入って」"]),
    ],
)
def test_single_style(text: str, expected: list[str]) -> None:
    assert speech(text, "single") == (expected, False)


def test_convention_decides_which_marks_open_speech() -> None:
    # In the double style single quotes are scare quotes; in the single style, the
    # other way round.
    assert spoken("He said, ‘Go home.’") == []
    assert spoken('He said, "Go home."', "single") == []
    assert spoken("He said, “Go home.”") == ["“Go home.”"]
    assert spoken("He said, ‘Go home.’", "single") == ["‘Go home.’"]


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ('He called it a "party" in the note.', "double", []),
        ("He called it a “party”.", "double", []),
        ("He called it a 'party' in the note.", "single", []),
        ("He called them 'the twins' and left.", "single", []),
        # A title in quotes in a running sentence, however long, and a sign...
        ("They read “The Long Road Home” again.", "double", []),
        ("The poster for “The Adventures of Asahina Mikuru” that hung.", "double", []),
        ("The card says ‘BACK IN 10 MINUTES’ and has since 2003.", "single", []),
        # ...but not speech of many words that runs on into the sentence, nor a shout.
        ("He yelled “GET OUT OF MY HOUSE” and left.", "double", ["“GET OUT OF MY HOUSE”"]),
        ("She said ‘I Have A Plan’ and grinned.", "single", ["‘I Have A Plan’"]),
        ("He said “I will come back for you” and left.", "double", ["“I will come back for you”"]),
        (
            "She sang “When Father Papered the Parlour.”",
            "double",
            ["“When Father Papered the Parlour.”"],
        ),
        ("He called it a “party,” she said.", "double", ["“party,”"]),  # punctuation inside
        ("He said, “Go” and left.", "double", ["“Go”"]),  # after a comma: speech
        ("He said “Go home.”", "double", ["“Go home.”"]),
        ("“Party” was the word.", "double", ["“Party”"]),  # at the paragraph's start
    ],
)
def test_scare_quotes_and_titles_are_not_speech(
    text: str, convention: dialogue.Convention, expected: list[str]
) -> None:
    assert speech(text, convention) == (expected, False)


# ---- apostrophes ---------------------------------------------------------------------

APOSTROPHES = [
    "They don’t know.",
    "Give ’em time.",
    "Give 'em time.",
    "A rock ’n’ roll band.",
    "A rock 'n' roll band.",
    "A rock ’n roll band.",
    "Back in the ’60s.",
    "Back in the '99 season.",
    "The Hendersons’ dog.",
    "The Hendersons' dog.",
    "At five o’clock.",
    "See y’all.",
    "'Twas a cold night.",
    "’Tis true.",
    "‘Twas a cold night.",
]


@pytest.mark.parametrize("text", APOSTROPHES)
@pytest.mark.parametrize("convention", ["double", "single"])
def test_apostrophes_in_narration_are_not_speech(
    text: str, convention: dialogue.Convention
) -> None:
    assert speech(text, convention) == ([], False)


@pytest.mark.parametrize("text", APOSTROPHES)
def test_apostrophes_inside_single_quoted_speech(text: str) -> None:
    # The speech must run from its opening mark to its closing one, whatever
    # apostrophes stand in between.
    paragraph = f"‘{text[:-1]},’ she said. ‘Again.’"
    assert spoken(paragraph, "single") == [f"‘{text[:-1]},’", "‘Again.’"]
    ascii_paragraph = paragraph.replace("‘", "'").replace("’", "'")
    assert spoken(ascii_paragraph, "single") == [
        f"'{text[:-1]},'".replace("‘", "'").replace("’", "'"),
        "'Again.'",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'I don’t know,' she said.", ["'I don’t know,'"]),
        ("'The Hendersons’ dog…' she began.", ["'The Hendersons’ dog…'"]),
        (
            "'The Hendersons' dog is out,' she said, 'again.'",
            ["'The Hendersons' dog is out,'", "'again.'"],
        ),
        ("'I was goin' home,' he said.", ["'I was goin' home,'"]),
        ("'Nothin'!' he said.", ["'Nothin'!'"]),
        ("'I'm goin',' he said.", ["'I'm goin','"]),
        ("'Yes' she said, 'I know.'", ["'Yes'", "'I know.'"]),  # no comma
        ("'I like cats' was all she said.", ["'I like cats'"]),
        ("''Tis true,' he said.", ["''Tis true,'"]),
        ("''Cause I said so,' he said.", ["''Cause I said so,'"]),
        ("'I went 'round the back,' he said.", ["'I went 'round the back,'"]),
        ("'Go,' she said, 'round the back.'", ["'Go,'", "'round the back.'"]),
        ("'Kay, come here,' she said.", ["'Kay, come here,'"]),  # a name, not 'kay
        ("'Fine,' said the twins' mother, 'come in.'", ["'Fine,'", "'come in.'"]),
        # A dropped letter inside speech, of any word: no new speech starts in lower case.
        ("'It's 'ard to tell with robins.'", ["'It's 'ard to tell with robins.'"]),
        ("'First we 'ollow it out,' he said.", ["'First we 'ollow it out,'"]),
        ("'It's 'orrible, sir.' He sat.", ["'It's 'orrible, sir.'"]),
        # ...but after a clause's end it opens speech, where the one before never closed.
        ("'Come here, she said, 'we're late.'", ["'Come here, she said, ", "'we're late.'"]),
    ],
)
def test_british_style_with_apostrophes(text: str, expected: list[str]) -> None:
    assert speech(text, "single") == (expected, False)


def test_plural_possessive_without_a_later_closing_mark_closes() -> None:
    # Known limit: with no closing mark after it, s' reads as a closing mark, because
    # British scare quotes ('the twins' and...) must not run on to the paragraph's end.
    assert speech("'Then the Hendersons' dog ran off.", "single") == (
        ["'Then the Hendersons'"],
        False,
    )


def test_likely_elision_in_narration_stays_an_apostrophe() -> None:
    # No closing mark follows, so 'round is an elision, not the start of speech.
    assert speech("He went 'round the back.", "single") == ([], False)
    assert speech("She'd 'cause trouble 'bout it.", "single") == ([], False)
    # ...and the clipped nouns of older British prose (a helper's Aubrey-Maturin story).
    assert speech("Stephen, with his 'cello between his knees, watched.", "single") == ([], False)
    asked = "'Where is the 'cello?'"
    assert speech(f"{asked} asked Jack.", "single") == ([asked], False)
    # ...where speech follows too ('cello always; the others when no closing mark does).
    said = "'Shall we?'"
    assert speech(f"He took his 'cello. {said} asked Jack.", "single") == ([said], False)
    assert speech("The 'planes came over at dawn.", "single") == ([], False)


# ---- nesting, narration, several paragraphs --------------------------------------------


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ("“He said ‘go home’ and left,” she said.", "double", ["“He said ‘go home’ and left,”"]),
        ("“He said ‘go home,’” she said.", "double", ["“He said ‘go home,’”"]),
        (
            "'He said \"go home\" and left,' she said.",
            "single",
            ["'He said \"go home\" and left,'"],
        ),
        ("«Il a dit “non” hier», dit-elle.", "double", ["«Il a dit “non” hier»"]),
        ("«Il a dit ‹non› hier», dit-elle.", "double", ["«Il a dit ‹non› hier»"]),
        ("「彼は『いいえ』と言った」と彼女は言った。", "double", ["「彼は『いいえ』と言った」"]),
        ("“Read ‘The ‘Raven’’ again,” he said.", "double", ["“Read ‘The ‘Raven’’ again,”"]),
    ],
)
def test_nested_quotes_stay_inside_the_outer_speech(
    text: str, convention: dialogue.Convention, expected: list[str]
) -> None:
    assert speech(text, convention) == (expected, False)


def test_speech_broken_by_narration_is_two_spans() -> None:
    text = "“I know,” she said, “but you don’t.”"
    spans, still_open = dialogue_spans(text)
    assert spans == [(0, 9), (20, len(text))]
    assert not still_open
    assert spoken("'I know,' she said, 'but you don't.'", "single") == [
        "'I know,'",
        "'but you don't.'",
    ]
    assert spoken("„Ich weiß“, sagte sie, „aber du nicht.“") == ["„Ich weiß“", "„aber du nicht.“"]


def test_a_paragraph_left_open_is_speech_to_its_end() -> None:
    text = "“It started on a Tuesday. The bus was late."
    assert dialogue_spans(text) == ([(0, len(text))], True)
    text = "She said, “It started on a Tuesday."
    assert dialogue_spans(text) == ([(10, len(text))], True)


def test_carried_speech_with_a_reopening_mark() -> None:
    # The opening mark at the start reopens the speech: the next closing ends it.
    assert speech("“And then it rained,” he finished.", carried=True) == (
        ["“And then it rained,”"],
        False,
    )
    assert speech("  “And then it rained,” he said.", carried=True) == (
        ["  “And then it rained,”"],
        False,
    )
    assert speech("'And then,' he said.", "single", carried=True) == (["'And then,'"], False)
    # A likely elision at the start of a carried paragraph is the reopening mark.
    assert speech("'round the bend we went.", "single", carried=True) == (
        ["'round the bend we went."],
        True,
    )


def test_carried_speech_without_a_reopening_mark() -> None:
    # Callers normally never ask for this (open_states does not carry into such a
    # paragraph), but if they do, the paragraph is speech from its start.
    assert speech("and the rest,” he said.", carried=True) == (["and the rest,”"], False)
    assert speech("still talking", carried=True) == (["still talking"], True)
    assert speech("", carried=True) == ([], True)


def test_multi_paragraph_speech() -> None:
    texts = [
        "She cleared her throat.",
        "“It began years ago, when the mill still ran.",
        "“Nobody listened. Nobody ever does.",
        "“And that,” she said, “is the whole of it.”",
        "He nodded.",
    ]
    assert open_states(texts, "double") == [False, False, True, True, False]
    spans = find_dialogue(texts)
    assert spans[0] == []
    assert spans[1] == [(0, len(texts[1]))]
    assert spans[2] == [(0, len(texts[2]))]
    assert [texts[3][a:b] for a, b in spans[3]] == ["“And that,”", "“is the whole of it.”"]
    assert spans[4] == []


def test_multi_paragraph_speech_british() -> None:
    texts = [
        "'It began years ago, when the mill still ran and the dog was a pup.",
        "'Nobody listened. They'd 'round up the sheep and go.",
        "'The Hendersons' dog knew. That's all,' she said.",
    ]
    assert dominant_convention(texts) == "single"
    assert open_states(texts, "single") == [False, True, True]
    assert [[t[a:b] for a, b in s] for t, s in zip(texts, find_dialogue(texts), strict=True)] == [
        [texts[0]],
        [texts[1]],
        ["'The Hendersons' dog knew. That's all,'"],
    ]


# ---- stray marks ----------------------------------------------------------------------


def test_a_stray_opening_mark_is_capped_at_its_paragraph() -> None:
    texts = ["He drew a “ in the sand."] + ["The tide came in."] * 1000
    states = open_states(texts, "double")
    assert not any(states)
    assert find_dialogue(texts)[1:] == [[]] * 1000


def test_a_stray_mark_does_not_run_through_later_dialogue() -> None:
    texts = [
        "The sign read “OPEN",
        "“Come in,” she said.",
        "He went in.",
        "“Sit,” she said.",
    ]
    states = open_states(texts, "double")
    assert states == [False, True, False, False]
    spans = find_dialogue(texts)
    assert [texts[1][a:b] for a, b in spans[1]] == ["“Come in,”"]
    assert spans[2] == []
    assert [texts[3][a:b] for a, b in spans[3]] == ["“Sit,”"]


def test_unclosed_speech_before_new_speech_in_one_paragraph() -> None:
    # The closing mark is missing: the first speech ends where the next one opens.
    assert spoken("“I know, she said. “But not yet.”") == ["“I know, she said. ", "“But not yet.”"]


@pytest.mark.parametrize(
    "text",
    [
        "He wrote a closing ” mark.",
        'A 6" ruler.',
        "The dog’s bone.",
        "»",
        "”",
        "」",
        "The Hendersons’ house.",
    ],
)
def test_stray_closing_marks_highlight_nothing(text: str) -> None:
    assert speech(text) == ([], False)
    assert speech(text, "single") == ([], False)


def test_empty_and_markless_paragraphs() -> None:
    assert dialogue_spans("") == ([], False)
    assert dialogue_spans("", "single") == ([], False)
    assert dialogue_spans("Just narration here.") == ([], False)
    assert open_states([], "double") == []
    assert find_dialogue([]) == []
    assert open_states(["“Open", "", "“Next”"], "double") == [False, False, False]


# ---- the document's convention -----------------------------------------------------


def test_dominant_convention() -> None:
    american = [
        "“I don’t know,” she said. “The Hendersons’ dog got out.”",
        "He said ‘no’ twice. Rock ’n’ roll, y’all, o’clock, ’em, ’60s.",
        "“Fine.”",
    ]
    british = [
        "'I don't know,' she said. 'The Hendersons' dog got out.'",
        "'He said \"no\" twice,' she said. 'Rock 'n' roll, 'em, '60s, 'twas.'",
        "'Fine.'",
    ]
    assert dominant_convention(american) == "double"
    assert dominant_convention(british) == "single"
    assert dominant_convention([a.replace("“", '"').replace("”", '"') for a in american]) == (
        "double"
    )
    assert dominant_convention(["No speech at all, don't y'all think."]) == "double"
    assert dominant_convention([]) == "double"


def test_dominant_convention_reads_a_bounded_sample() -> None:
    # An endless story: the sample must stop by itself.
    assert dominant_convention(itertools.repeat("‘Hello,’ she said.")) == "single"
    assert dominant_convention(itertools.repeat("No marks here.")) == "double"
    # Only the beginning counts.
    texts = ["'Hi,' she said."] * 300 + ["“Hi,” she said."] * 3000
    assert dominant_convention(texts) == "single"


def test_find_dialogue_uses_the_dominant_convention() -> None:
    texts = ["'Hi,' she said. 'The Hendersons' dog is out.'", "He called it “art”."]
    spans = find_dialogue(texts)
    assert [texts[0][a:b] for a, b in spans[0]] == ["'Hi,'", "'The Hendersons' dog is out.'"]
    assert spans[1] == []


# ---- properties -----------------------------------------------------------------------

MARKS = "“”„‟\"＂‘’‚‛'«»‹›「」『』"
# Mostly quote marks, letters, spaces and punctuation, so that the interesting paths run.
dense_text = st.text(
    alphabet=st.sampled_from(list(MARKS + "aZn9s .,!?-—…()\n\t\x00\x1b\x7f\u00a0")),
    max_size=60,
)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
conventions = st.sampled_from(["double", "single"])


def assert_valid(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert 0 <= previous_end <= start < end <= len(text)
        previous_end = end


@settings(max_examples=400)
@given(st.one_of(dense_text, any_text), conventions, st.booleans())
def test_spans_are_sorted_disjoint_and_in_bounds(text, convention, carried) -> None:
    spans, still_open = dialogue_spans(text, convention, carried)
    assert isinstance(still_open, bool)
    assert_valid(text, spans)
    # Speech starts at a quote mark, or at the start of a carried paragraph.
    for start, _ in spans:
        assert text[start] in MARKS or (carried and start == 0)
    if not carried and not any(c in MARKS for c in text):
        assert spans == [] and not still_open


@settings(max_examples=400)
@given(st.one_of(dense_text, any_text), conventions, st.booleans())
def test_the_quick_end_state_agrees_with_the_full_scan(text, convention, carried) -> None:
    assert (
        dialogue._ends_open(text, convention, carried)
        == dialogue_spans(text, convention, carried)[1]
    )


@settings(max_examples=200)
@given(st.lists(st.one_of(dense_text, any_text), max_size=12), conventions)
def test_open_states_follow_the_paragraphs(texts, convention) -> None:
    states = open_states(texts, convention)
    assert len(states) == len(texts)
    if texts:
        assert states[0] is False
    for k in range(1, len(texts)):
        ended_open = dialogue_spans(texts[k - 1], convention, states[k - 1])[1]
        if states[k]:
            assert ended_open  # speech only carries on from an open paragraph
            assert texts[k].lstrip()[:1] in MARKS  # ...into one that reopens it
    all_spans = find_dialogue(texts)
    assert len(all_spans) == len(texts)
    for text, spans in zip(texts, all_spans, strict=True):
        assert_valid(text, spans)


@given(st.lists(any_text, max_size=20))
def test_dominant_convention_never_raises(texts) -> None:
    assert dominant_convention(texts) in ("double", "single")


def test_hostile_paragraphs_take_linear_time() -> None:
    # Each of these would take minutes if some mark looked at every later mark.
    many_elisions = "'cause " * 50_000
    assert dialogue_spans(many_elisions, "single") == ([], False)
    possessives = "'" + "the twins' " * 50_000 + "end.'"
    spans, _ = dialogue_spans(possessives, "single")
    assert spans == [(0, len(possessives))]
    marks = "“" * 100_000 + "and on"
    assert dialogue_spans(marks) == ([(0, len(marks))], True)
    assert open_states([marks] * 3, "double") == [False, True, True]
