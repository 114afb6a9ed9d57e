"""Word lists about names: titles and their gender, pet forms of first names, pronouns,
speech verbs, and capitalised words that are not names.

Kept apart so the cast and the tag finder read the same lists, and so the lists can
grow without touching the logic.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from tuific.speakers.wordsre import word_tree

# Titles of an elder of the family that stand before a first name only ("Grunkle Stan",
# a great-uncle; "Auntie Ruth"), with their gender: see cast.add.
ELDER_TITLES: dict[str, str] = {
    **dict.fromkeys(("grunkle", "grandpa", "grandad", "granddad"), "M"),
    **dict.fromkeys(("auntie", "aunty", "grauntie", "grandma", "granny", "nana"), "F"),
}
# Nouns that give a description's gender: "the old man said".
NOUN_GENDER = {
    **dict.fromkeys(
        "man gentleman boy lad fellow father brother son husband uncle king prince lord "
        "sir master nephew grandfather duke count baron monk priest lordship dad papa".split(),
        "M",
    ),
    **dict.fromkeys(
        "woman lady girl lass mother sister daughter wife aunt queen princess mistress "
        "niece grandmother duchess countess maid widow nun ladyship mamma mama mum mom".split(),
        "F",
    ),
}
# Things a voice comes through: a comm hail needs one named (self_named), one's sound
# before speech makes it no one's we know (paragraph), and "said the phone" is the
# caller the tag does not name (tags).
DEVICE_WORDS = (
    "comm comms combadge badge intercom radio comlink communicator walkie walkie-talkie "
    "earpiece headset holo hologram transmitter speakerphone phone telephone cellphone "
    "laptop computer tablet television voicemail".split()
)
# Titles that stand before a name, with the gender they imply ("" when none).
TITLES: dict[str, str] = {
    **ELDER_TITLES,
    "mr": "M",
    "mister": "M",
    "sir": "M",
    "lord": "M",
    "master": "M",
    "uncle": "M",
    "father": "M",
    "brother": "M",
    "king": "M",
    "prince": "M",
    "duke": "M",
    "count": "M",
    "baron": "M",
    "monsieur": "M",
    "herr": "M",
    "signor": "M",
    "señor": "M",
    "don": "M",
    "mrs": "F",
    "miss": "F",
    "ms": "F",
    "lady": "F",
    "madam": "F",
    "madame": "F",
    "mademoiselle": "F",
    "mlle": "F",
    "mme": "F",
    "aunt": "F",
    "mother": "F",
    "sister": "F",
    "queen": "F",
    "princess": "F",
    "duchess": "F",
    "countess": "F",
    "baroness": "F",
    "frau": "F",
    "fräulein": "F",
    "signora": "F",
    "señora": "F",
    "dame": "F",
    "mistress": "F",
    "dr": "",
    "doctor": "",
    "professor": "",
    "prof": "",
    "captain": "",
    "capt": "",
    "colonel": "",
    "col": "",
    "major": "",
    "general": "",
    "lieutenant": "",
    "lt": "",
    "sergeant": "",
    "sgt": "",
    "inspector": "",
    "detective": "",
    "admiral": "",
    "reverend": "",
    "rev": "",
    "cousin": "",
    "nurse": "",
    "judge": "",
    "officer": "",
    "commander": "",
    "agent": "",
    "saint": "",
    "st": "",
}
# Titles of address: two of them that differ (Mrs. Bates, Miss Bates) mean two people.
SOCIAL_TITLES = frozenset(
    "mr mrs miss ms lady lord sir madam madame mademoiselle master doctor professor "
    "reverend captain colonel major general lieutenant sergeant admiral".split()
)
# How a title may be written in the text (a full stop after the short ones).
_SHORT_TITLES = "Mr Mrs Ms Dr Mme Mlle Capt Col Lt Sgt Rev Prof St".split()
_LONG_TITLES = (
    "Mister Sir Lord Lady Miss Madam Madame Mademoiselle Master Uncle Aunt Doctor "
    "Professor Captain Colonel Major General Lieutenant Sergeant Inspector Detective "
    "Admiral Reverend Cousin King Queen Prince Princess Duke Duchess Count Countess "
    "Baron Baroness Monsieur Herr Frau Signor Signora Dame"
).split() + [title.capitalize() for title in ELDER_TITLES]
TITLE_RE = rf"(?:(?:{'|'.join(_SHORT_TITLES)})\.?|{'|'.join(_LONG_TITLES)})"
# A title's full stop ("Mr. Weston"), which ends no sentence; and a look back that
# no short title stands right before a mark (each fixed-width, as look-backs must be).
TITLE_DOT = rf"(?:{'|'.join(_SHORT_TITLES)})\."
NOT_AFTER_TITLE = "".join(rf"(?<!\b{t})" for t in _SHORT_TITLES)
# The same as whole words, for wordsre.word_tree.
TITLE_WORDS = (*(t + "." for t in _SHORT_TITLES), *_SHORT_TITLES, *_LONG_TITLES)


# Short and long spellings of one title.
_SAME_TITLE = {
    "mister": "mr",
    "dr": "doctor",
    "prof": "professor",
    "rev": "reverend",
    "capt": "captain",
    "col": "colonel",
    "lt": "lieutenant",
    "sgt": "sergeant",
    "mme": "madame",
    "mlle": "mademoiselle",
    "st": "saint",
}


def title_key(word: str) -> str | None:
    """The TITLES key of a word ("Mrs." -> "mrs", "Dr" -> "doctor"), or None when it
    is no title."""
    key = word.rstrip(".").lower()
    if key not in TITLES:
        return None
    return _SAME_TITLE.get(key, key)


# Fandoms' own nicknames for a first name, as their fics write them: pet forms too, but
# where two header characters share the first name, one of them is no one's (cast.add).
_FANDOM_GROUPS = (
    "peregrin pippin pip",
    "meriadoc merry",
    "sirius padfoot",
    "remus moony",
    "james prongs",
    "peter wormtail",
    "yuri yurio",
)
FANDOM_NICKNAMES = frozenset(word for group in _FANDOM_GROUPS for word in group.split()[1:])


# Pet forms and short forms of common English first names, both ways round.
_PET_GROUPS = (
    "elizabeth lizzy lizzie liz eliza beth betsy betty bess bessie libby elisabeth",
    "margaret maggie meg peggy marge margie madge greta daisy",
    "catherine kate katie kitty cathy kathy katharine kathryn catharine",
    "william will willy willie bill billy liam",
    "robert rob robbie bob bobby bert",
    "richard rick ricky dick dickie rich",
    "james jim jimmy jamie jem",
    "john johnny jack jackie",
    "edward ed eddie ned ted teddy",
    "charles charlie chuck chas",
    "henry harry hal hank",
    "thomas tom tommy",
    "frederick fred freddy freddie fritz",
    "francis frank frankie",
    "frances fanny fran frankie",
    "anne ann annie nan nancy anna",
    "mary molly polly mae mamie",
    "susan sue susie susanna susannah",
    "alexander alex alec sandy xander",
    "alexandra alex sandra sasha",
    "benjamin ben benny benji",
    "samuel sam sammy",
    "joseph joe joey",
    "josephine jo josie",
    "michael mike mikey mick mickey",
    "nicholas nick nicky",
    "patrick pat paddy",
    "patricia pat patty trish",
    "rebecca becky becca",
    "christopher chris kit",
    "christine chris chrissy tina",
    "daniel dan danny",
    "david dave davey",
    "anthony tony",
    "arthur art artie",
    "albert al bertie",
    "theodore theo ted teddy",
    "isabella bella isabel izzy",
    "victoria vicky tori",
    "cecilia cecily sissy celia",
    "jonathan jon",
    "matthew matt",
    "andrew andy drew",
    "gregory greg",
    "harold harry hal",
    "lawrence larry laurie",
    "dorothy dot dolly dottie",
    "sarah sally sadie",
    "caroline carrie carol",
    "helen nell nellie",
    "eleanor nell nellie ellie",
    "louisa lou louie",
    "georgiana georgie",
    "georgina georgie",
    "george georgie",
    "hermione mione",
    *_FANDOM_GROUPS,
    "ronald ron ronnie",
    "virginia ginny",
    "jennifer jen jenny",
    "lucy lucia",
    "alphonse al",
    "alfred alfie al",
    "natasha nat tasha",
    "nathaniel nate nat",
    "jacob jake",
    "gabriel gabe",
    "samantha sam sammy",
    "benedict ben benny",
    "percival percy",
    "raymond ray",
    "stanley stan",
    # (A pet form finds only the formal names of its groups: Katherine is one of its own.)
    "katherine kate katie kitty kathy kat",
    "timothy tim timmy",
    "philippa pippa pip",
    "pippa pip",
    "stephen steve stevie",
    "steven steve stevie",
    "jessica jess jessie",
    "abigail abby abbie",
    "maximilian max",
)
# Each group's first name is the formal one: it has every pet form, and a pet form has
# the formal name only (Polly and Molly are both Mary, but not one another: a story
# with a Polly and a Molly has two people).
PETS: dict[str, set[str]] = {}
for _group in _PET_GROUPS:
    _formal, *_pets = _group.split()
    PETS.setdefault(_formal, set()).update(_pets)
    for _name in _pets:
        PETS.setdefault(_name, set()).add(_formal)

# Typical first names by gender, for a character whose pronoun the text never shows
# (a list of common given names, not of any one story's cast; names given to both,
# such as Alex, Jamie or Robin, are in neither).
FEMALE_NAMES = frozenset(
    """
    abigail ada adela adelaide agatha agnes alice alicia alison amanda amelia amy anastasia
    andrea angela angelica ann anna anne annie antonia april arabella ariadne astrid audrey
    ava barbara beatrice beatrix bella belle bernadette beth bethany betsy betty beverly
    blanche brenda bridget brigid caroline carmen carol caroline cassandra cassie catherine
    cecilia cecily celia celeste charlotte chloe christina christine cinderella clara
    clarissa claudia colette cora cordelia cornelia cynthia daisy daphne deborah delia
    della diana dinah dolores dora dorothea dorothy edith edna eileen elaine eleanor elena
    elinor eliza elizabeth ella ellen eloise elsa elsie emily emma esme esther ethel eudora
    eugenia eva evangeline eve evelyn fanny felicity fiona flora florence frances fanny
    genevieve georgiana georgina geraldine gertrude ginny gladys gloria grace greta
    gwendolyn gwen hannah harriet hazel heather helen helena henrietta hermione hester
    hilda holly honor imogen ingrid irene iris isabel isabella isobel ivy jane janet
    jasmine jemima jennifer jenny jessica jill jo joan joanna josephine joy judith
    julia juliet june kate katherine katharine kathleen katie katya kitty laura lavinia
    leah lena lettie lilian lily lizzy lizzie lois lorna lottie louisa louise lucia lucinda
    lucy luna lydia mabel madeleine madeline maggie maisie marcia margaret margery maria
    marian marianne marie marjorie martha mary matilda maud maude maureen may meg megan
    melanie melissa mildred millicent milly minerva minnie miranda molly monica muriel
    nadia nancy naomi natalia natasha nell nellie nina nora norah octavia olga olive
    olivia ophelia pamela patience pauline pearl penelope petunia philippa phoebe polly
    priscilla prudence psyche rachel rebecca regina rosa rosalind rosamund rose rosemary
    rowena ruby ruth sabrina sally samantha sara sarah selina sheila sibyl sophia sophie
    stella susan susanna susannah sybil sylvia tabitha tamsin tatiana teresa tess tessa
    theodora theresa una ursula valentina vanessa vera veronica victoria viola violet
    virginia vivian wendy wilhelmina winifred yvonne zoe zelda mrs
    """.split()
)
MALE_NAMES = frozenset(
    """
    aaron abraham adam adrian albert albus alexander alexei alfred algernon ambrose
    andrew angus anthony antony archibald archie arnold arthur augustus barnaby
    bartholomew basil ben benedict benjamin bernard bertie bill bob boris bruce bruno
    caleb callum cecil cedric charles christopher clarence claude clement colin conrad
    cornelius cyril dale damian daniel darcy david declan dennis derek desmond dmitri
    dominic donald douglas draco duncan edgar edmund edward edwin elijah elliot ernest
    eros eugene ezra felix ferdinand fitzwilliam francis frank fred freddy frederick
    gabriel gareth gavin geoffrey george gerald gilbert giles godfrey gordon graham
    gregory gustav guy harold harry harvey hector henry herbert horace howard hugh hugo
    humphrey ian igor isaac ivan jack jacob jake james jasper jeremy jim jimmy joe john
    jonah jonathan joseph joshua julian julius kenneth kevin lancelot laurence lawrence
    leo leonard lionel louis lucas lucius luke malcolm marcus mark martin matthew maurice
    max maximilian michael miles morgan mortimer nathan nathaniel ned neil neville
    nicholas nigel noah norman oliver oscar oswald owen patrick paul percival percy peter
    philip piers quentin ralph randolph raymond reggie reginald remus richard robert
    roderick rodney roger roland ron ronald rufus rupert sam samuel sebastian septimus
    severus sidney silas simon sirius solomon stanley stephen steven teddy terence
    theodore thomas timothy tobias toby tom tony tristan victor vincent walter wilfred
    william winston xavier zachary
    """.split()
)


@cache
def _counted_names() -> dict[str, str]:
    """first_names.txt (benchmarks/make_first_names.py): each first name there, "F"
    or "M"; read on first use, in the worker."""
    found: dict[str, str] = {}
    text = (Path(__file__).parent / "first_names.txt").read_text("utf-8")
    for line in text.splitlines():
        if line[:2] in ("F ", "M "):
            found.update(dict.fromkeys(line[2:].split(), line[0]))
    return found


def counted_gender(word: str) -> str:
    """The gender most people given the first name `word` (lower case) are of, where
    nearly all are: "F" for Donna, "M" for Greg; "" for Terry, Alex or a word that is
    no first name."""
    return _counted_names().get(word, "")

PRONOUN_GENDER = {
    "he": "M",
    "him": "M",
    "his": "M",
    "himself": "M",
    "she": "F",
    "her": "F",
    "hers": "F",
    "herself": "F",
}


def pronoun_gender(word: str) -> str:
    """The gender of a pronoun a pattern found ("" for none): also one written with a
    long s ("ſhe", an old print's) or a letter a case-blind pattern takes for "i"
    ("hİs"), which PRONOUN_GENDER's keys lack."""
    key = word.lower().replace("ſ", "s").replace("ı", "i").replace("i\u0307", "i")
    return PRONOUN_GENDER.get(key, "")

# Verbs of saying, as they appear in tags ("said Emma", "she whispered"); a space
# stands for any run of white space.
SPEECH_VERB_WORDS = (
    "said|says|say|replied|replies|reply|answered|answers|asked|asks|ask|cried|cries|"
    "exclaimed|exclaims|continued|continues|added|adds|returned|returns|observed|observes|"
    "remarked|remarks|whispered|whispers|muttered|mutters|murmured|murmurs|shouted|shouts|"
    "called|calls|began|begins|repeated|repeats|rejoined|interrupted|interrupts|declared|"
    "inquired|enquired|responded|urged|pursued|resumed|retorted|laughed|laughs|sighed|sighs|"
    "explained|insisted|admitted|protested|suggested|agreed|groaned|screamed|yelled|snapped|"
    "demanded|demands|told|tells|went on|put in|broke in|cut in|spoke|speaks|"
    "stammered|faltered|sobbed|gasped|breathed|hissed|growled|snarled|shrieked|grumbled|"
    "answer|concluded|persisted|ventured|echoed|mused|teased|smiled|grinned|nodded|"
    "wailed|moaned|pleaded|begged|called out|cried out|thought|wondered|admits|"
    "asserted|assented|acknowledged|announced|confessed|conceded|counted|drawled|"
    "exploded|joked|objected|offered|ordered|prompted|queried|quoth|reasoned|recalled|"
    "remembered|reminded|reported|retorted|roared|scoffed|shot back|sneered|"
    "stated|volunteered|warned|whimpered|went on to say|"
    # Present tense, which fan fiction often writes in: "she grins", "I mutter".
    "grins|smiles|nods|snaps|hisses|growls|teases|insists|protests|suggests|agrees|"
    "groans|yells|screams|gasps|grumbles|explains|offers|begs|pleads|whines|huffs|"
    "scoffs|snorts|chuckles|giggles|snickers|mumbles|stammers|stutters|sobs|responds|"
    "retorts|jokes|warns|announces|drawls|counters|quips|barks|grunts|purrs|"
    "breathes|shrugs|hums|coos|chirps|sneers|smirks|"
    # ...and a verb with its particle, in either tense: "she calls out", "he piped up".
    "calls out|cries out|puts in|cuts in|breaks in|goes on|shoots back|chimed in|chimes in|"
    "piped up|pipes up|spoke up|speaks up|pointed out|points out|called back|calls back|"
    "shouted back|shouts back|fired back|fires back|snapped back|snaps back"
).split("|")
# ...and with "I" or "you" ("I mutter", "you whisper"; see tags._VERB: after
# "her" such a verb is hers, "he heard her murmur:").
BASE_SPEECH_VERB_WORDS = (
    "whisper|mutter|murmur|shout|call|add|continue|cry|exclaim|remark|observe|laugh|"
    "sigh|snap|grin|smile|nod|groan|hiss|growl|tease|admit|insist|protest|suggest|agree|"
    "demand|yell|scream|breathe|gasp|grumble|repeat|interrupt|explain|offer|beg|plead|"
    "whine|huff|scoff|snort|chuckle|giggle|snicker|mumble|stammer|stutter|sob|tell|"
    "begin|respond|retort|joke|warn|announce|confess|drawl|counter|quip|bark|grunt|"
    "shrug|hum|smirk|go on|break in|chime in|point out"
).split("|")
BASE_SPEECH_VERBS = word_tree(BASE_SPEECH_VERB_WORDS, None, space=r"\s+")
# As a regex: a tree of the verbs (see wordsre), so the engine tries only the verbs
# that start with the letter in front of it, not all 150 one after another.
SPEECH_VERBS = word_tree(SPEECH_VERB_WORDS, None, space=r"\s+")

# What one calls another ("Sempai", "Dude"): no name the text may teach, though a
# header may give it (Buddy the elf, Babe the pig).
ADDRESS_WORDS = frozenset("dude bro babe buddy pal senpai sempai".split())
# Capitalised words that begin sentences or are otherwise no one's name.
NOT_NAMES = frozenset(
    """he'd he's he'll she'd she's she'll i'd we'd we're we'll we've they'd they're they'll
    they've you'd you're you'll you've it'll that'll there'd who'd what'd
    a an the and but or nor for so yet if then than when while where what who whom whose
    which why how i i'm i'll i've i'd me my mine we us our you your yours he him his she her
    hers it its they them their this that these those there here now not no yes oh ah well
    why what ay aye indeed perhaps still only even just very much many some any all every each
    both either neither one two three four five six seven eight nine ten first last next
    after before at by from in into of on to with without about above below over under up
    down out off again once never always sometimes often as upon though although because
    since until unless whether do does did don't didn't can can't could couldn't will won't
    would wouldn't shall should shouldn't must may might let let's be is was were are am
    been being have has had having good bad poor dear god lord heaven heavens sir madam
    ma'am mamma mama papa mother father nothing something everything anything nobody
    somebody everybody anybody everyone someone anyone no-one thank thanks please come go
    look see say said tell told ask asked yes-- chapter book volume part monday tuesday
    wednesday thursday friday saturday sunday january february march april june july
    august september october november december christmas english french german italian
    london paris england france rome italy india america american mrs mr miss ms dr
    lady lords captain cap'n colonel st hm hmm mm um uh okay ok hey hello hi goodbye good-bye
    sorry fine right sure besides meanwhile however therefore otherwise instead
    another such other same how's that's there's here's it's what's who's where's
    hush stop wait listen look come quick people tonight today tomorrow yesterday
    yeah yep yup nope nah alright anyway seriously really honestly maybe whatever cool
    great damn shit fuck huh wow ugh ooh whoa geez gosh jeez jesus christ
    whoever whichever wherever whenever""".split()
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’-]+")  # (Latin letters, with their accents)
# Honorifics fan fiction of Japanese, Korean and Chinese stories writes after a name
# ("Sakura-chan", "Kakashi-sensei", "Jimin-ssi", "Wei-xiong"): the name is the
# character's own, not a new character's. (Not Korean "-ah"/"-ya": given names end so,
# and "Jung-ah" is no Jung Hoseok.)
HONORIFICS = (
    r"(?:san|kun|chan|sama|sensei|senpai|sempai|dono|hime|tan|chin|chama|shi|"
    r"(?:nee|nii)(?:-?(?:san|chan|sama))?|ssi|hyung|hyeong|noona|nuna|oppa|unnie|eonni|"
    r"sunbae|seonbae|gege|jiejie|meimei|didi|xiong|shixiong|shijie|shidi|shimei|"
    r"laoshi|daren|qianbei)"
)
_HONORIFIC = re.compile(rf"-{HONORIFICS}$")


def name_words(name: str) -> list[str]:
    """The lower-case words of a name, titles included ("Mr. Darcy" -> mr, darcy), less
    an honorific after it ("Sakura-chan" -> sakura) and their accents: AO3's "Fíli" is
    the prose's "Fili", "Zoë" a Zoe."""
    words = [w.lower().replace("’", "'").strip("'-") for w in _WORD.findall(fold(name))]
    return [_HONORIFIC.sub("", w) if "-" in w else w for w in words]


def fold(text: str) -> str:
    """`text` without its accents ("Kōtarō": Kotaro; a letter with no accent to take
    off, "Ł", stays as it is)."""
    if text.isascii():
        return text
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


# Given names that are also words ("Will you…?", "in May", "on Wednesday"): the short
# form of a header's name all the same (Will Byers is "Will" all through his story, and
# Wednesday Addams "Wednesday"), but not where the word opens a question or a wish
# ("Will you…", "Will this ever end?", "May the Force…").
WORD_NAMES = frozenset(("will", "may", "june", "april", "august", "wednesday"))
_MODAL_AFTER = (
    r"\s+(?:you|I|we|he|she|they|it|there|not|this|that|these|those|the|a|an|my|your|his|"
    r"her|our|their|all|every(?:one|body)|any(?:one|body)|some(?:one|body))\b"
)
NOT_MODAL = rf"(?!(?:(?<=Will)|(?<=May)){_MODAL_AFTER})"

# Pet forms that are also ordinary words: never taken as names on their own.
PET_WORDS = frozenset(
    "will bill frank pat rich art dot kit sue chuck drew sandy al ed hal jo lou mae nan "
    "bob bert dick fran meg madge nell ned daisy peggy polly molly sally carol".split()
)
