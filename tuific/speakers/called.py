"""How a speech calls its listener: a word of address that says their gender ("Yes,
sir." / "Mummy, may I?") and a form of endearment ("my dear fellow"), as patterns
quick to skip through speech that has none."""

from __future__ import annotations

import re

from tuific.speakers.wordsre import word_tree

# Words of address that say the listener's gender: "Yes, sir." / "Mummy, may I?"
CALLED_GENDER = {
    **dict.fromkeys(
        "sir mister papa daddy dad father uncle sonny lad boy fellow chap son brother "
        "monsieur lordship grandpapa pater".split(),
        "M",
    ),
    **dict.fromkeys(
        "madam ma'am mummy mamma mama mum mom mother aunt miss girl sister madame "
        "mademoiselle lady ladyship grandmamma granny mumsy mater".split(),
        "F",
    ),
}
# "…, sir" or "my/dear/oh sir": the first character (a mark, or the m, d or o of a
# word) is consumed first, so the search skips in C to those; what follows it is
# checked by looking back at it (re.I would hide m, d and o from that skip).
CALLED_WORDS = (
    r"sir|mister|papa|daddy|dad|father|uncle|sonny|lad|boy|fellow|chap|son|brother|"
    r"monsieur|lordship|grandpapa|pater|madam|ma['’]am|mummy|mamma|mama|mum|mom|mother|"
    r"aunt|miss|girl|sister|madame|mademoiselle|lady|ladyship|grandmamma|granny|mumsy|"
    r"mater"
)
CALLED = re.compile(
    r"[,“\"‘MmDdOo](?:(?<=[,“\"‘])\s*|(?<!\w.)(?i:(?<=m)y|(?<=d)ear|(?<=o)h)\s+)"
    rf"(?i:({CALLED_WORDS}))\b(?=\s*[,.!?;”\"’—])"
)
# The same words read backwards after the mark that must follow them, for speech read
# backwards: where this finds nothing, CALLED finds nothing either. Most speech
# calls nobody "sir", and a search opening on the rare marks skips most of the text;
# CALLED opens on every m, d and o (0.6x the dialogue pass on a 1M-word story).
# (As a tree of the reversed words, with the apostrophe of "ma'am" either one.)
CALLED_BACKWARDS = re.compile(
    r"[,.!?;”\"’—]\s*(?i:"
    + word_tree((w[::-1].replace("]’'[", "'") for w in CALLED_WORDS.split("|")), None).replace(
        "'", "['’]"
    )
    + ")"
)
# "My dear, …" / "…, my dear fellow!": a form of address by endearment (its words,
# in lower case, are a Turn.forms entry).
ENDEARMENT = re.compile(
    r"(?:^|[,!?;—–“\"‘]\s*)([Mm]y\s+(?:(?:dear|dearest|good|poor|own|sweet|dear\s+old)\s+)?"
    r"[a-z]+)(?=\s*[,.!?;”\"’—–])"
)
# What every match of it holds: ENDEARMENT, which may open on "^", is tried at every
# place, so it reads only speech where this search (which skips in C to an m) finds one.
MY = re.compile(r"[Mm]y\s")
