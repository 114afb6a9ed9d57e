"""Header characters named by a common noun: a fable's or a fic's "Cat" and "Donkey",
whom the narration calls "the cat" and "the donkey".

Their tags were read already ("said the cat": cast.called_by_noun), but the
narration's "The cat looked at the donkey." named nobody, so a "she said" after it
could not find the cat, nor learn that the cat is "she". A header name counts as
such a noun when the text says "the cat" often, and far more often than it uses
"Cat" inside a sentence as a name (a Rose or a Hope whom the text calls by name
keeps her name alone).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from tuific.speakers.names import title_key
from tuific.speakers.wordsre import word_tree

MIN_USES = 3  # times the text must say "the cat"
NAME_SHARE = 0.5  # ...and the most the uses of "Cat" as a name may be, against them
# Letters in such a name, at most: a word, and the tree of words recurses once a letter
# (a hostile header's "A....b" of 500 characters raised RecursionError).
_NOUN_MAX = 40


def noun_names(texts: Sequence[str], header: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each header name that the text uses as a noun, with the forms to look for:
    {"Cat": ("the cat", "The cat")}. One pass over the text for all of them, and a
    second only for the names it finds."""
    single = {
        name.lower(): name
        for name in header
        if len(name) <= _NOUN_MAX
        and name.isalpha()
        and name[:1].isupper()
        and name[1:].islower()
        and not title_key(name)
    }
    if not single:
        return {}
    text = "\n".join(texts)
    # (Trees of the words, not alternations: a header of thousands of first names
    # would have every "the " try each of them in turn.)
    nouns = word_tree(single, None, r"(?!\w)")
    uses = Counter(re.findall(rf"(?<![\w])[Tt]he ({nouns})", text))
    found = [word for word, n in uses.items() if n >= MIN_USES]
    if not found:
        return {}
    # The name inside a sentence (after a lower-case word or a comma): "asked Rose".
    names = word_tree([single[w] for w in found], r"\w", r"(?!\w)")
    as_names = Counter(re.findall(rf"(?<=[a-z,;] )({names})", text))
    return {
        single[word]: (f"the {word}", f"The {word}")
        for word in found
        if as_names[single[word]] <= NAME_SHARE * uses[word]
    }
