"""Pronoun tags: which character a "she said" means (scenes written for these tests)."""

from __future__ import annotations

from tuific.dialogue import find_dialogue
from tuific.model import Metadata
from tuific.speakers import analyse, attribute, load_weights
from tuific.speakers.decode import decode_pass, features, relink
from tuific.speakers.features import INDEX, Own

# Paragraph 2 opens on "She" before it names Wilhelmina: that "She", and the tag's
# "she" after it, are the woman named before, not the one she smiles at.
WINDOW_SEAT = [
    "Wilhelmina was pouring the tea in the parlour; she did not look up.",
    "Rosalind came in from the garden, and she shook the rain off her coat.",
    "She held out her hands to the fire and smiled at Wilhelmina. “You might have "
    "warned me,” she said.",
]


def test_a_paragraph_opening_on_she_does_not_mean_the_woman_it_names_after() -> None:
    ctx = analyse(WINDOW_SEAT, find_dialogue(WINDOW_SEAT), None)
    names = [c.name for c in ctx.cast.characters]
    turn = ctx.turns[-1]
    assert turn.paragraph == 2
    own = Own(ctx, len(ctx.turns) - 1, [])
    assert own.pron_first is not None and names[own.pron_first] == "Rosalind"
    assert own.pron_para is None  # Wilhelmina comes after the paragraph's "She"


def test_a_tag_naming_her_first_still_resolves_to_her() -> None:
    story = [*WINDOW_SEAT[:2], "Wilhelmina laughed. “You never listen,” she said."]
    ctx = analyse(story, find_dialogue(story), None)
    own = Own(ctx, len(ctx.turns) - 1, [])
    assert own.pron_first is not None
    assert ctx.cast.characters[own.pron_first].name == "Wilhelmina"


def test_a_pronoun_tag_reads_the_last_two_speakers_apart() -> None:
    story = [
        "Bertrand and Lucien waited on the quay for the boat.",
        "“It is late,” said Bertrand.",
        "“It is always late,” said Lucien.",
        "“Then we shall wait,” he said.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    weights = load_weights()
    relink(ctx, decode_pass(ctx, weights[0]))
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    history = [(1, names["Bertrand"]), (2, names["Lucien"])]
    cands, vecs = features(ctx, 2, history)
    by_name = dict(zip(cands, vecs, strict=True))
    assert by_name[names["Lucien"]].get(INDEX["pron_prev1"]) == 1.0
    assert by_name[names["Bertrand"]].get(INDEX["pron_prev2"]) == 1.0
    # An untagged turn has neither.
    untagged = [*story[:3], "“Then we shall wait.”"]
    ctx = analyse(untagged, find_dialogue(untagged), None)
    relink(ctx, decode_pass(ctx, weights[0]))
    _cands, vecs = features(ctx, 2, history)
    assert not any(INDEX["pron_prev1"] in f or INDEX["pron_prev2"] in f for f in vecs)


def test_a_pronoun_tag_marks_the_last_woman_who_was_a_sentences_subject() -> None:
    story = [
        "Wilhelmina poured the tea; she did not look up. Rosalind sat down, and she smiled.",
        "Wilhelmina looked at Rosalind for a long moment.",
        "“You might have warned me,” she said.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    t = len(ctx.turns) - 1
    own = Own(ctx, t, [])
    # The most recent woman named is Rosalind (the object); the subject is Wilhelmina.
    assert own.pron_first is not None and names[own.pron_first] == "Rosalind"
    assert own.pron_subject is not None and names[own.pron_subject] == "Wilhelmina"
    _cands, vecs = features(ctx, t, [])
    assert any(f.get(INDEX["pron_subject"]) == 1.0 for f in vecs)
    assert load_weights()[1][INDEX["pron_subject"]] > 0


def test_a_subject_after_a_sentence_opening_but_is_the_last_subject() -> None:
    story = [
        "Wilhelmina tried again; she had more to say. But Rosalind had the floor, and "
        "she would not give it up.",
        "“We must be patient,” she said.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    own = Own(ctx, len(ctx.turns) - 1, [])
    # "But Rosalind had": the sentence's subject is Rosalind, not Wilhelmina.
    assert own.pron_subject is not None and names[own.pron_subject] == "Rosalind"


def test_a_newcomer_whose_pronoun_the_text_never_shows_is_found_by_a_pronoun_tag() -> None:
    # Nothing in the text says Jonah is a man but his name: "he said" is his all the
    # same, not the man named before him.
    story = [
        "Tobias greased the tins. He was humming.",
        "“The flour is late,” said Eleanor.",
        "“It always is,” said Tobias.",
        "The gate creaked, and Jonah Reyes stood in the doorway, soaked to the knees.",
        "“Don’t,” he said. “Don’t say anything.”",
    ]
    meta = Metadata(characters=["Eleanor Vance", "Tobias Finch", "Jonah Reyes"])
    found = attribute(story, meta=meta)
    assert found[-1].paragraph == 4 and found[-1].speaker == "Jonah Reyes"


def test_a_subject_after_an_opening_clause_but_not_in_a_list() -> None:
    story = [
        "Tom and Mr. Bell came in from the yard.",
        "While the kettle boiled, Mr. Bell was reading the paper.",  # 1: a subject
        "Tom looked round at Jane, Kitty and Mr. Bell.",  # 2: Kitty is in a list
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = [c.name for c in ctx.cast.characters]
    assert [names[who] for who in ctx.subjects[1]] == ["Mr. Bell"]
    assert [names[who] for who in ctx.subjects[2]] == ["Tom"]
    # After "At last", "Suddenly" and the like a name is still the sentence's subject.
    later = [*story, "Tom waited by the door. At last Mr. Bell folded the paper."]
    ctx = analyse(later, find_dialogue(later), None)
    names = [c.name for c in ctx.cast.characters]
    assert [names[who] for who in ctx.subjects[3]] == ["Tom", "Mr. Bell"]
    # A name before a participle is what the sentence is about, not who acts.
    looked = [*story, "She looked at Tom holding the door, and Mr. Bell waiting by the car."]
    ctx = analyse(looked, find_dialogue(looked), None)
    assert ctx.subjects[3] == []
    # ...but a verb that ends so is a verb.
    verbs = [*story, "Tom sing-songs the list. Then Jane and Mr. Bell swing by the shop."]
    ctx = analyse(verbs, find_dialogue(verbs), None)
    names = [c.name for c in ctx.cast.characters]
    assert [names[who] for who in ctx.subjects[3]] == ["Tom", "Mr. Bell"]


def test_a_pronoun_after_the_next_name_is_not_learnt_for_the_first() -> None:
    # "He" follows Rosalind within reach, but Mr. Quill is named in between.
    story = [
        "Rosalind Achterberg found her neighbour, Mr. Quill, leaning on the fence. He had "
        "a trowel in one hand.",
        "“Is that one of mine?” she asked.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    he = {c.name: c.he for c in ctx.cast.characters}
    assert he == {"Rosalind Achterberg": 0, "Mr. Quill": 1}


def test_a_pronoun_in_speech_is_not_learnt_for_the_name_before_it() -> None:
    # Thaddeus's "She" is the woman he talks of; the "he" of the tag after his
    # second speech, in narration, is his own.
    story = [
        "“The girl at the mill,” Thaddeus says. “She isn’t what you think.”",
        "“Coffee?” Thaddeus asks, and he smiles at nobody.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    char = ctx.cast.characters[0]
    assert char.name == "Thaddeus"
    assert (char.he, char.she) == (1, 0)


def test_a_pronoun_further_on_says_a_gender_no_nearer_one_does() -> None:
    # Each "he" stands more than 100 characters after Corvith, with no other name
    # between: three of them make him a man, where no pronoun near his name does.
    far = (
        "Corvith set the telephone down on the table, turned the little brass coil "
        "over one last time in the lamplight, and then laid it very gently in a bag. "
        "When he looked up again his whole face had changed."
    )
    story = [far, far.replace("table", "desk"), far.replace("bag", "box")]
    ctx = analyse(story, find_dialogue(story), Metadata(characters=["Corvith"]))
    char = ctx.cast.characters[0]
    assert (char.name, char.he, char.she) == ("Corvith", 0, 0)
    assert char.far_he == 3 and ctx.genders[0] == "M"
    # Two further on will do where none near it says otherwise, not where one does.
    char.far_he, char.mentions = 2, 12
    assert char.gender == "M"
    char.he, char.far_he = 1, 1  # one near, one further on: three are wanted then
    assert char.gender == ""
    # Two near the name that disagree are not settled from further on.
    char.he, char.she, char.far_he = 1, 1, 3
    assert char.gender == ""


def test_the_far_reach_stops_at_someone_new() -> None:
    # The "he" after "The innkeeper" is his: Ciri learns nothing from it.
    ciri = (
        "Ciri pushed the tavern door open and stood dripping on the boards, shaking the "
        "water from the hem of the cloak. The innkeeper looked up from the barrel; he "
        "did not smile."
    )
    story = [ciri, ciri.replace("innkeeper", "old man")]
    ctx = analyse(story, find_dialogue(story), Metadata(characters=["Ciri"]))
    char = ctx.cast.characters[0]
    assert (char.far_he, char.far_she) == (0, 0)
    assert ctx.genders[0] == ""


def test_speech_spans_given_as_lists_are_read_as_pairs() -> None:
    story = ["“The girl,” Thaddeus says. “She isn’t what you think.”"]
    spans = [[list(span) for span in found] for found in find_dialogue(story)]
    assert attribute(story, spans)[0].speaker == "Thaddeus"


def test_a_he_opening_a_sentence_after_the_last_name_goes_on_with_the_subject() -> None:
    # Bastian is the subject; Ottokar only stands in a list after him; "He let out a
    # breath" goes on with Bastian, and so does "he said".
    story = [
        "Bastian came out last. He sat on the wall; Ottokar was there, he saw.",
        "Bastian looked down the row: the twins bickering, Ottokar trying to balance "
        "a paper on his nose. He let out a breath that was almost a laugh.",
        "“Yeah,” he said. “I guess it is.”",
    ]
    meta = Metadata(characters=["Bastian", "Ottokar"])
    ctx = analyse(story, find_dialogue(story), meta)
    names = [c.name for c in ctx.cast.characters]
    own = Own(ctx, 0, [])
    assert own.pron_first is not None and names[own.pron_first] == "Bastian"
    # Without the "He" sentence, the last man named is still the first guess...
    plain = [*story[:1], story[1].split(" He let")[0], story[2]]
    ctx = analyse(plain, find_dialogue(plain), meta)
    own = Own(ctx, 0, [])
    assert own.pron_first is not None and names[own.pron_first] == "Ottokar"
    # ...and so where the last subject is further back than the paragraph before.
    back = [
        "Robert was already on the wall. Peter came out last and sat down.",
        "The row of them sat on the wall: the twins bickering, Robert trying to balance "
        "a paper on his nose. He let out a breath that was almost a laugh.",
        "“Yeah,” he said. “I guess it is.”",
    ]
    ctx = analyse(back, find_dialogue(back), Metadata(characters=["Peter", "Robert"]))
    names = [c.name for c in ctx.cast.characters]
    own = Own(ctx, 0, [])
    assert own.pron_first is not None and names[own.pron_first] == "Robert"


def test_a_he_opening_a_sentence_after_a_name_that_is_no_subject_is_the_subjects() -> None:
    # "He put the milk away" is Jasper's, the paragraph's subject, not Ambrose's,
    # whose name only stands in the sentence before.
    story = [
        "Jasper opened the fridge. There was a jar labelled TOES in Ambrose's cramped "
        "capitals. He put the milk on the top shelf.",
    ]
    meta = Metadata(characters=["Jasper", "Ambrose"])
    ctx = analyse(story, find_dialogue(story), meta)
    he = {c.name: c.he for c in ctx.cast.characters}
    assert he == {"Jasper": 1, "Ambrose": 0}


def test_his_after_a_preposition_is_someone_elses_not_the_names() -> None:
    # "over his shoulder": his shoulder; "She" after it is Marisol's.
    story = [
        "Anselm opened the book. Marisol came and read it over his shoulder. She smelled "
        "of woodsmoke.",
        "“Will not hold,” she repeated.",
        "Anselm put his hand on the page.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    genders = {c.name: c.gender for c in ctx.cast.characters}
    assert genders == {"Anselm": "M", "Marisol": "F"}
    assert attribute(story)[0].speaker == "Marisol"


def test_a_name_in_the_sentence_of_a_pronoun_tag_after_speech_is_not_the_speaker() -> None:
    story = [
        "Rodney and Otway stood by the fire; Katharine sat between them.",
        "“You are a great huntsman, aren't you?” he added, desiring to help Rodney.",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    names = {c.name: i for i, c in enumerate(ctx.cast.characters)}
    assert ctx.turns[0].objects == [names["Rodney"]]
    assert attribute(story)[0].speaker == "Otway"


# A first-person story: others call the narrator Tom; the grandmother calls her
# servant Pyotr as often, but the narration names Pyotr, and never the narrator.
CASINO = [
    "Grandmother sat in her chair by the window. Pyotr stood behind her.",
    "“Pyotr, bring my shawl,” said Grandmother.",
    "“It is cold in here,” I said.",
    "“Pyotr! The shawl!”",
    "Pyotr went out for it.",
    "“You should go down to the tables, Tom,” said Ada.",
    "“I have no money left,” I replied.",
    "“Pyotr, where is that shawl?” said Grandmother.",
    "Pyotr came back with the shawl, and Pyotr put it round her.",
    "“We shall see,” I said.",
    "“Pyotr, my chair,” said Grandmother.",
    "Pyotr moved the chair nearer the fire, and Pyotr bowed.",
    "“Go, Tom. Go now.”",
    "“I am going,” I said.",
    "“Pyotr! My stick!”",
]


def test_i_said_names_the_narrator_whom_the_others_call_by_name() -> None:
    ctx = analyse(CASINO, find_dialogue(CASINO), Metadata(characters=["Tom", "Ada", "Pyotr"]))
    names = [c.name for c in ctx.cast.characters]
    assert ctx.narrator is not None and names[ctx.narrator] == "Tom"
    for t, turn in enumerate(ctx.turns):
        if turn.paragraph in (2, 6, 9, 13):
            tag = turn.tags[0]
            assert tag is not None and tag.explicit and not tag.pronoun
            assert ctx.anchors[t] == ctx.narrator
    found = {
        a.paragraph: a.speaker
        for a in attribute(CASINO, None, Metadata(characters=["Tom", "Ada", "Pyotr"]))
    }
    assert [found[p] for p in (2, 6, 9, 13)] == ["Tom"] * 4


def test_the_narrator_is_never_he_or_she() -> None:
    # "he said" cannot be the narrator's, who is "I": the narrator's gender, for a
    # third-person tag, is a clash, whatever the text's pronouns after "Tom" said.
    story = [*CASINO, "Pyotr looked at me and then at Tom’s chair.", "“Soon,” he said."]
    ctx = analyse(story, find_dialogue(story), Metadata(characters=["Tom", "Ada", "Pyotr"]))
    assert ctx.narrator is not None
    t = len(ctx.turns) - 1
    own = Own(ctx, t, [])
    assert own.ptag is not None and own.ptag.gender == "M"
    features = own.vec(ctx, ctx.narrator)
    assert features.get(INDEX["pron_clash"]) == 1.0
    assert INDEX["pron_match"] not in features and INDEX["pron_unknown"] not in features


def test_a_header_character_called_once_next_to_i_said_is_the_narrator() -> None:
    story = [
        "Holmes turned the letter over in his long fingers.",
        "“Your view of it, Watson?”",
        "“Cheap paper, and a hurried hand,” I said.",
        "“Capital.” Holmes held it to the lamp.",
        "“And the postmark?” I asked.",
    ]
    header = Metadata(characters=["Sherlock Holmes", "John Watson"])
    ctx = analyse(story, find_dialogue(story), header)
    names = [c.name for c in ctx.cast.characters]
    assert ctx.narrator is not None and names[ctx.narrator] == "John Watson"
    # Without the header, one call is too little to make anyone the narrator.
    assert analyse(story, find_dialogue(story), None).narrator is None


def test_a_description_tag_is_no_pronoun_for_the_last_woman_named() -> None:
    # "cried his aunt": someone related to the last man, not the last woman named
    # (who "she cried" would mean); its gender still counts.
    story = [
        "Wilhelmina poured the tea; Rosalind sat by the fire with Tobias.",
        "“My dear Tobias,” cried his aunt, “you will stay to supper?”",
    ]
    ctx = analyse(story, find_dialogue(story), None)
    own = Own(ctx, len(ctx.turns) - 1, [])
    assert own.ptag is not None and own.ptag.described and own.ptag.gender == "F"
    assert own.pron_first is None and own.pron_second is None and own.pron_para is None
    she = [story[0], "“My dear Tobias,” she cried, “you will stay to supper?”"]
    ctx = analyse(she, find_dialogue(she), None)
    own = Own(ctx, len(ctx.turns) - 1, [])
    assert own.ptag is not None and not own.ptag.described
    assert own.pron_first is not None


def test_a_story_whose_pronouns_are_all_one_gender_gives_it_to_the_unknown() -> None:
    from tuific.speakers.character import Character
    from tuific.speakers.gender import one_gender

    team = [Character(f"Player{i}", frozenset({f"player{i}"}), he=3) for i in range(3)]
    quiet = Character("Okabe Rintaro", frozenset({"okabe", "rintaro"}))
    narrator = Character("Ishida Yuki", frozenset({"ishida", "yuki"}))
    nameless = Character("Narrator", frozenset())
    cast = [*team, quiet, narrator, nameless]
    # Nine "he"s and no "she": the quiet one is a "he" too; the story's "I" is no one's.
    text = ["He served. He laughed."]
    assert one_gender(cast, 4, text) == ["M", "M", "M", "M", "", ""]
    # One "she" anywhere, after a name or not ("“No,” she said."): nothing is filled in.
    assert one_gender(cast, 4, [*text, "“No,” she said."]) == ["M", "M", "M", "", "", ""]
    assert one_gender(cast, 4, ["Ragnar's cloak was hers."]) == ["M", "M", "M", "", "", ""]
    assert one_gender(cast, 4, ["The shed, the sheep, the hermit."])[3] == "M"
    narrator.she = 1  # ...nor after a name
    assert one_gender(cast, 4, text) == ["M", "M", "M", "", "F", ""]
    few = [Character("A", frozenset({"a"}), he=2), Character("B", frozenset({"b"}))]
    assert one_gender(few, None, text) == ["M", ""]  # too few pronouns to say


def test_a_first_name_outweighs_one_stray_pronoun_but_not_two() -> None:
    from tuific.speakers.character import Character

    mary = Character("Mary Bennet", frozenset({"mary", "bennet"}), he=1, mentions=2)
    assert mary.gender == "F"  # one "he" in her father's window, not hers
    mary.he = 2
    assert mary.gender == "M"
    sam = Character("Sam Carter", frozenset({"sam", "carter"}), she=2, mentions=2)
    assert sam.gender == "F"  # Sam is a man's name in the list; her two "she"s say
    quiet = Character("Aziraphale", frozenset({"aziraphale"}), he=1, mentions=2)
    assert quiet.gender == "M"  # no name list knows it: the one pronoun says


def test_a_header_characters_first_name_says_a_gender_from_the_counted_names() -> None:
    # Donna and Greg are in no hand-made list; the counted first names know them.
    story = ["Donna Noble and Greg Lestrade stood at the door of Richmond."]
    meta = Metadata(characters=["Donna Noble", "Greg Lestrade"])
    ctx = analyse(story, find_dialogue(story), meta)
    genders = {c.name: ctx.genders[i] for i, c in enumerate(ctx.cast.characters)}
    assert genders["Donna Noble"] == "F" and genders["Greg Lestrade"] == "M"
    # Names the text gives alone may be places (Richmond, Clifton): not read so.
    from tuific.speakers.gender import by_first_name
    from tuific.speakers.names import counted_gender

    assert counted_gender("richmond") == "M" and counted_gender("terry") == ""
    learnt = ctx.cast.characters[0].__class__("Richmond", frozenset({"richmond"}))
    assert by_first_name(learnt) == ""


def test_in_fan_fiction_a_name_learnt_from_the_text_has_its_first_names_gender() -> None:
    # The waitress the header does not name: one stray "he" after her name is Dean's.
    story = [
        "Dean and Sam take the booth by the window. Marnie brings the coffee pot.",
        "Marnie pours two coffees, and he thanks her.",
        "“You boys gonna order?” Marnie asks.",
        "“Pie,” says Dean.",
        "Marnie writes it down and leaves.",
        "“Bring the plates back clean,” she says when she comes back with it.",
    ]
    names = ["Dean Winchester", "Sam Winchester"]
    fic = Metadata(characters=names, fandoms=["Supernatural"])
    ctx = analyse(story, find_dialogue(story), fic)
    marnie = ctx.cast.by_alias["Marnie"]
    assert ctx.genders[marnie] == "F"
    found = {a.paragraph: a.speaker for a in attribute(story, meta=fic)}
    assert found[5] == "Marnie"
    # A novel's learnt names may be places (Richmond, Clifton): no first-name table.
    novel = analyse(story, find_dialogue(story), Metadata(characters=names))
    assert novel.genders[novel.cast.by_alias["Marnie"]] != "F"


def test_a_his_after_a_touch_is_the_one_touched() -> None:
    # "Katara patted his back": Sokka's back, not a man's pronoun for Katara.
    story = [
        "Sokka put his forehead down on the table. Katara patted his back.",
        "Zuko sat down beside her. Katara squeezed his hand.",
        "Katara laughed, and she poured the tea.",
        "“More?” said Katara.",
    ]
    names = ["Katara", "Sokka", "Zuko"]
    ctx = analyse(story, find_dialogue(story), Metadata(characters=names))
    assert ctx.genders[ctx.cast.by_alias["Katara"]] == "F"


def test_a_pronoun_in_an_old_print_s_letters_is_read_not_a_crash() -> None:
    # PRONOUN matches "ſhe" (a long s) and case-blind "hİs": both once raised KeyError.
    from tuific.speakers.names import pronoun_gender

    assert [pronoun_gender(w) for w in ("ſhe", "hİs", "hıs", "herſelf", "She", "it")] == [
        "F",
        "M",
        "M",
        "F",
        "F",
        "",
    ]
    story = ["Wendy came in. ſhe wailed at the door.", "“Hi,” ſhe said.", "Dan hİs hat."]
    fic = Metadata(characters=["Wendy Corduroy", "Dan Corduroy"], fandoms=["Gravity Falls"])
    assert [a.speaker for a in attribute(story, meta=fic)] == ["Wendy Corduroy"]
    assert [a.speaker for a in attribute(story)] == ["Wendy"]
