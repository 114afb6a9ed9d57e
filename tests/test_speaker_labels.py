"""The speakers' labels in the reader's margin and the metadata panel: the word the
story calls each speaker by (its tags, a fandom's name for them, a name cut short),
within the margin's cells (scenes written for these tests)."""

from __future__ import annotations

from tuific.speakers import Attribution
from tuific.ui.widgets.reader_speakers import Speakers
from tuific.ui.widgets.speaker_labels import called_names, short_labels


def test_margin_labels_are_one_kind_for_every_speaker():
    names = ["Maren", "Eleanor Vance", "Mr. Vance", "Tobias Finch", "Dr. Anselm Okonkwo-Reyes"]
    assert short_labels(names, 8) == {
        "Maren": "Maren",
        "Eleanor Vance": "Eleanor",  # her own word, not "EV" beside "Maren"
        "Mr. Vance": "MV",  # "Vance" is Eleanor's too: initials tell them apart
        "Tobias Finch": "Tobias",
        "Dr. Anselm Okonkwo-Reyes": "Anselm",
    }
    assert short_labels(names, 16)["Eleanor Vance"] == "Eleanor Vance"  # fits whole
    assert short_labels(["Bartholomew Quince"], 4) == {"Bartholomew Quince": "BQ"}
    assert all(len(label) <= 2 for label in short_labels(names, 2).values())
    # AO3's name for a character with a nickname: the nickname.
    bucky = 'James "Bucky" Barnes'
    assert short_labels([bucky, "Steve Rogers"], 8)[bucky] == "Bucky"
    # The word the story calls a speaker by comes first, where no one else has it:
    # a family name first ("Sawamura Daichi", "said Daichi") is not cut to "Sawamura".
    team = ["Sawamura Daichi", "Sugawara Koushi", "Tanaka Ryuunosuke"]
    called = {"Sawamura Daichi": "Daichi", "Tanaka Ryuunosuke": "Tanaka"}
    labels = short_labels(team, 10, called)
    assert labels == {
        "Sawamura Daichi": "Daichi",
        "Sugawara Koushi": "Sugawara",
        "Tanaka Ryuunosuke": "Tanaka",
    }
    assert short_labels(team, 20, called)["Sawamura Daichi"] == "Daichi"  # even where it fits
    # A title is no word of a name to go by: "Mrs Hudson", not "Mrs".
    hudson = short_labels(["Mrs Hudson", "John Watson"], 10, {"John Watson": "John"})
    assert hudson == {"Mrs Hudson": "Mrs Hudson", "John Watson": "John"}
    assert short_labels(["Professor Minerva McGonagall"], 8) == {
        "Professor Minerva McGonagall": "Minerva"
    }


def test_the_word_a_story_calls_a_speaker_by_is_read_from_their_paragraphs():
    texts = [
        "“Sit,” said Daichi. Sawamura Daichi never raised his voice.",
        "“Fine,” Tanaka said.",
        "“Again,” said Daichi.",
    ]
    shown = [
        ("Sawamura Daichi", Attribution(0, 0, 6, "“Sit,”", "Sawamura Daichi", 0.9, True)),
        ("Tanaka Ryuunosuke", Attribution(1, 0, 7, "“Fine,”", "Tanaka Ryuunosuke", 0.9, True)),
        ("Sawamura Daichi", Attribution(2, 0, 8, "“Again,”", "Sawamura Daichi", 0.9, True)),
    ]
    called = called_names(shown, texts)
    assert called == {"Sawamura Daichi": "Daichi", "Tanaka Ryuunosuke": "Tanaka"}
    said = [("Mrs Hudson", Attribution(0, 0, 6, "“Boys!”", "Mrs Hudson", 0.9, True))]
    assert called_names(said, ["“Boys!” said Mrs Hudson."]) == {}  # one word: no choice
    # Only the narration beside the speech is read: a long paragraph's far end is not.
    far = "“Sit,” said Daichi." + " Sawamura" * 10 + " and so on" * 100 + " Sawamura" * 30
    one = [("Sawamura Daichi", Attribution(0, 0, 6, "“Sit,”", "Sawamura Daichi", 0.9, True))]
    assert called_names(one, [far]) == {"Sawamura Daichi": "Sawamura"}
    assert called_names(one, ["“Sit,” said Daichi." + " and so on" * 100 + " Sawamura" * 30]) == {
        "Sawamura Daichi": "Daichi"
    }


def test_the_margin_calls_a_speaker_what_the_story_does_when_the_fandom_knows_the_name():
    # The header says "Aragorn", the story "Strider": the fandom table's alias.
    texts = ["“Hobbits,” said Strider.", "“Quiet,” Strider said. Aragorn was his name."]
    found = [
        Attribution(0, 0, 10, "“Hobbits,”", "Aragorn", 0.9, True),
        Attribution(1, 0, 8, "“Quiet,”", "Aragorn", 0.9, True),
    ]
    shown = [("Aragorn", a) for a in found]
    assert called_names(shown, texts, ["Lord of the Rings"]) == {"Aragorn": "Strider"}
    assert called_names(shown, texts) == {}  # no fandom: his one name, no choice
    speakers = Speakers(found, None, texts, ["The Lord of the Rings - J. R. R. Tolkien"])
    assert speakers.label("Aragorn", 10) == "Strider"
    # The panel lists him by both, so that the margin's "Strider" is found there.
    assert speakers.listed_name("Aragorn") == "Aragorn (Strider)"
    said = ["“Hobbits,” said Aragorn.", "“Quiet,” Aragorn said. Strider, they called him."]
    assert Speakers(found, None, said, ["Lord of the Rings"]).label("Aragorn", 10) == "Aragorn"
    # A name cut short ("Sam" of Samwise), and a narrator whom only others name: what
    # the story says beside anyone's speech ("Pippin", not "Peregrin").
    texts = ["“Taters,” said Sam.", "“Pippin!” cried Sam.", "“What?” I said."]
    found = [
        Attribution(0, 0, 9, "“Taters,”", "Samwise Gamgee", 0.9, True),
        Attribution(1, 0, 9, "“Pippin!”", "Samwise Gamgee", 0.9, True),
        Attribution(2, 0, 7, "“What?”", "Peregrin Took", 0.9, True),
    ]
    shown = [(a.speaker, a) for a in found]
    called = called_names(shown, texts, ["Lord of the Rings"])
    assert called == {"Samwise Gamgee": "Sam", "Peregrin Took": "Pippin"}
    hobbits = Speakers(found, None, texts, ["Lord of the Rings"])
    assert hobbits.listed_name("Samwise Gamgee") == "Samwise Gamgee (Sam)"
    daichi = [Attribution(0, 0, 6, "“Sit,”", "Sawamura Daichi", 0.9, True)]
    team = Speakers(daichi, None, ["“Sit,” said Daichi."])
    assert team.listed_name("Sawamura Daichi") == "Sawamura Daichi"  # a word of the name
    assert called_names(shown, ["“Taters,” said Samw.", *texts[1:]]) == {
        "Samwise Gamgee": "Samw"  # (cut short anywhere after three letters)
    }
    assert called_names(shown, ["“Taters,” said Sa.", "“Pippin!” cried Sa.", texts[2]]) == {}
    # Whom their own narration never names are looked for in everyone's on a budget:
    # a story of hundreds of such speakers does not read it hundreds of times.
    many = [f"Quill{n:02d} Marsh" for n in range(12)]
    roll = "“" + ", ".join(name.split()[0] for name in many) + ", sit down.”"
    texts = [roll + " said Bo.", *["“Hm,” I said." for _ in many]]
    found = [
        Attribution(0, 0, len(roll), roll, "Bo Dane", 0.9, True),
        *(Attribution(n + 1, 0, 4, "“Hm,”", name, 0.9, True) for n, name in enumerate(many)),
    ]
    called = called_names([(a.speaker, a) for a in found], texts)
    quills = [name for name in called if name in many]
    assert len(quills) == 8 and all(called[name] == name.split()[0] for name in quills)
    # A cut that is a word ("She" of Shellstrop) calls no one; an article or a title
    # alone is no label ("The Waiter", "Admiral").
    texts = ["“Fork,” She said. She was Shellstrop.", "“Yes?” The waiter said.", "“Ahoy.”"]
    found = [
        Attribution(0, 0, 7, "“Fork,”", "Eleanor Shellstrop", 0.9, True),
        Attribution(1, 0, 7, "“Yes?”", "The Waiter", 0.9, True),
        Attribution(2, 0, 7, "“Ahoy.”", "Admiral", 0.9, True),
    ]
    called = called_names([(a.speaker, a) for a in found], texts, ["The Good Place"])
    assert called == {"Eleanor Shellstrop": "Shellstrop"}
    labels = Speakers(found, None, texts, ["The Good Place"])
    assert labels.label("The Waiter", 6) == "Waiter"
    assert labels.label("Admiral", 12) == "Admiral"  # (not the name padded: no label)


def test_a_name_cut_short_counts_only_as_a_tags_subject() -> None:
    # "Long minutes passed" beside Neville Longbottom's speech is no "Long", nor the
    # "Don" of "Don't" beside Donna's; "said Sam" is Samwise's cut.
    texts = [
        "“Fine,” he said. Long minutes passed. Long hours. Then Longbottom spoke.",
        "“Don’t,” Donna Noble said. Don’t. Don’t.",
        "“Taters,” said Sam.",
    ]
    found = [
        Attribution(0, 0, 7, "“Fine,”", "Neville Longbottom", 0.9, True),
        Attribution(1, 0, 8, "“Don’t,”", "Donna Noble", 0.9, True),
        Attribution(2, 0, 9, "“Taters,”", "Samwise Gamgee", 0.9, True),
    ]
    called = called_names([(a.speaker, a) for a in found], texts)
    assert called == {
        "Neville Longbottom": "Longbottom",
        "Donna Noble": "Donna",
        "Samwise Gamgee": "Sam",
    }


def test_a_fandoms_title_or_common_word_is_no_label(monkeypatch) -> None:
    from tuific.speakers import fandom_aliases

    table = {"kathryn janeway": ((frozenset(("voyager",)), ("Captain", "Mom", "Kate")),)}
    monkeypatch.setattr(fandom_aliases, "aliases_by_name", lambda: table)
    texts = ["“Engage,” said the Captain. Captain, Captain.", "“Coffee,” said Kate."]
    found = [
        Attribution(0, 0, 9, "“Engage,”", "Kathryn Janeway", 0.9, True),
        Attribution(1, 0, 9, "“Coffee,”", "Kathryn Janeway", 0.9, True),
    ]
    called = called_names([(a.speaker, a) for a in found], texts, ["Star Trek: Voyager"])
    assert called == {"Kathryn Janeway": "Kate"}


def test_the_panel_names_the_margins_word_only_where_the_margin_uses_it() -> None:
    bucky = "James “Bucky” Barnes"
    found = [
        Attribution(0, 0, 6, "“Sit,”", bucky, 0.9, True),
        Attribution(1, 0, 9, "“Taters,”", "Samwise Gamgee", 0.9, True),
        Attribution(2, 0, 6, "“Hup,”", "Sam Vimes", 0.9, True),
    ]
    texts = ["“Sit,” said Bucky.", "“Taters,” said Sam.", "“Hup,” said Vimes."]
    speakers = Speakers(found, None, texts)
    assert speakers.listed_name(bucky) == bucky  # (a word of it, in curly quotes)
    # "Sam" is Sam Vimes's word too: the margin does not use it for Samwise.
    assert speakers.called["Samwise Gamgee"] == "Sam"
    assert speakers.label("Samwise Gamgee", 16) != "Sam"
    assert speakers.listed_name("Samwise Gamgee") == "Samwise Gamgee"
