"""What the reading of one paragraph finds: its speech tags and what its narration and
speech say about who speaks (paragraph.py fills them in)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Tag:
    """A speech tag: a character index, or a gender to resolve ("M", "F", "I" for the
    narrator, "Y" for "you" until a story is known to be told in the second person,
    "" for a description with no gender); `explicit` when it names."""

    who: int | None
    gender: str = ""
    explicit: bool = False
    pronoun: bool = False
    pos: int = 0  # where in its paragraph the tag stands
    to: int | None = None  # whom it says the speech is to: "said Emma to Harriet"
    described: bool = False  # a description ("his aunt", "the old man"), no pronoun
    # Whose kin a description names: "Daisy's mamma" (`owner`), "his wife" (the
    # gender of a pronoun to resolve); `kin` when its noun is one of KIN.
    owner: int | None = None
    owner_gender: str = ""  # ("*": "their", whoever was named last)
    kin: bool = False
    generation: int = 0  # of a noun of kin: 1 elder ("mother"), -1 younger ("son")
    unknown: bool = False  # the text says it does not know who: "said a voice", "somebody"
    beat: bool = False  # a beat's lead into the next paragraph: likely its speaker, no tag

    @staticmethod
    def person(word: str) -> Tag:
        """The tag "I" or "you" makes: the narrator's, in the first or second person."""
        return Tag(None, "I" if word == "I" else "Y", pronoun=True)

    @staticmethod
    def unnamed(pos: int = 0) -> Tag:
        """The tag of someone the text does not name: "said a voice", "said the phone"
        (the caller), a sign's written words."""
        return Tag(None, pronoun=True, described=True, unknown=True, pos=pos)


@dataclass(slots=True)
class Turn:
    """A paragraph with speech in it, and what its narration and speech say."""

    paragraph: int
    spans: list[tuple[int, int]]
    tags: list[Tag | None] = field(default_factory=list)  # one per span
    first: int | None = None  # the first character named in narration before speech
    named: list[int] = field(default_factory=list)  # characters named in its narration
    vocatives: list[int] = field(default_factory=list)  # characters its speech calls to
    listener: str = ""  # "M"/"F": the gender its speech calls its listener (sir, mummy)
    called: str = ""  # ...and the word it calls them by, lower case ("sir", "mummy")
    in_speech: list[int] = field(default_factory=list)  # characters its speech names
    # How its speech calls its listener, as written: the word of address ("sir") and
    # the names it calls out ("Miss Woodhouse"). People keep to their own forms.
    forms: list[str] = field(default_factory=list)
    continues: bool = False  # carries on the previous paragraph's speech
    asks: bool = False  # its last speech ends on a question mark
    lead: Tag | None = None  # a narration paragraph just before that leads into it
    # (position, character) of every name in its narration, for resolving pronouns.
    mentions: list[tuple[int, int]] = field(default_factory=list)
    # Where its narration first says "he" and "she" (by gender), if it does.
    first_pronoun: dict[str, int] = field(default_factory=dict)
    # Names in the sentence of a pronoun tag after its speech: "he added, looking at
    # Rodney".
    objects: list[int] = field(default_factory=list)
    # (position, character) of the names in its narration that are a sentence's subject.
    subjects: list[tuple[int, int]] = field(default_factory=list)
