"""Words and their forms: splitting text into words, plurals, verb forms, the roots two
words are compared by. Knows nothing of datasets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from lemminflect import getAllInflections, getAllLemmas, getAllLemmasOOV

from appliance.analytics import lexicon as lx

# lemminflect reads its tables on first use (about two seconds on a busy host): done
# here, when the server imports the reader, so that no question waits for them while
# holding an analytics thread.
getAllLemmas("warm", upos="NOUN")
getAllInflections("warm", upos="VERB")


SOFT = lx.SOFT


def split_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'s ", " "))


def header_words(header: str) -> list[str]:
    """A header's words, camel case split as people read it: "AgeGroup" is "age group",
    "SysBP" is "sys bp", "TimeToRecurrence" is "time to recurrence" (else "age group"
    finds only the Age column and a word that changes the answer goes unread). A word of
    one small letter before capitals is one word ("pH", "eGFR", "pCO2"; split, "pH"
    became a p and an h, and the h a unit of hours), and a unit so written is one unit
    ("mmHg", never "mm" and a "hg")."""
    spaced = re.sub(
        r"(?<=[a-z0-9])(?<![^A-Za-z][a-z])(?<!^[a-z])(?=[A-Z])|(?<=[a-zA-Z])(?=[A-Z][a-z])",
        " ",
        header,
    )
    words = split_words(spaced)
    for i in range(len(words) - 1, 0, -1):
        if words[i - 1] + words[i] in lx.UNITS and words[i - 1] + words[i] in header.lower():
            words[i - 1 : i + 1] = [words[i - 1] + words[i]]
    return words


def plural_forms(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """A name with its last word singular and plural: from the dictionary's forms where
    the word is an English noun ("child" and "children", "criterion" and "criteria"),
    else by the regular endings (a column's own word such as "hba1c" or "los")."""
    last = words[-1]
    forms = {words}
    if last.isalpha():
        known = noun_forms(last)
        endings = _regular_plurals(last)
        for form in known or endings:
            forms.add((*words[:-1], form))
    # "ages at transplant", "times to linkage": before a connecting word, the first
    # noun is the one that takes the plural
    link = next((k for k, w in enumerate(words) if k and w in _LINKS), None)
    if link is not None and words[link - 1].isalpha() and words[link - 1] not in _LINKS:
        for form in noun_forms(words[link - 1]):
            forms.add((*words[: link - 1], form, *words[link:]))
    return forms


_LINKS = frozenset({"at", "to", "from", "until", "since"})


def _regular_plurals(last: str) -> set[str]:
    forms = set()
    if last.endswith("sis"):
        forms.add(last[:-2] + "es")
    if last.endswith("y") and len(last) > 2:
        forms.add(last[:-1] + "ies")
    forms.add(last + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s"))
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        forms.add(last[:-1])
    return forms


@lru_cache(maxsize=8192)
def noun_forms(word: str) -> frozenset[str]:
    """The word's singular and plural forms as an English noun; empty for a word the
    dictionary does not know as a noun."""
    forms: set[str] = set()
    for lemma in getAllLemmas(word, upos="NOUN").get("NOUN", ()):
        forms.add(lemma)
        for inflected in getAllInflections(lemma, upos="NOUN").values():
            forms |= set(inflected)
    return frozenset(forms)


@lru_cache(maxsize=8192)
def verb_inflections(word: str) -> frozenset[str]:
    """Every form of the verb ``word`` is a form of ("admit": admits, admitted, admitting);
    empty for a word the dictionary does not know as a verb."""
    forms: set[str] = set()
    for lemma in getAllLemmas(word, upos="VERB").get("VERB", ()):
        forms.add(lemma)
        for inflected in getAllInflections(lemma, upos="VERB").values():
            forms |= set(inflected)
    return frozenset(forms)


def agent_nouns(word: str) -> set[str]:
    """Who does what a verb says: row → rower(s), swim → swimmer(s), skate → skater(s);
    empty for a word the dictionary does not know as a verb."""
    if len(word) < 3 or not word.isalpha():
        return set()
    if word not in getAllLemmas(word, upos="VERB").get("VERB", ()):
        return set()  # a base verb only: "marked" is no "markeder"
    if word.endswith("e"):
        stem = word
        ending = ("r", "rs")
    else:
        cvc = (
            len(word) <= 4
            and word[-1] not in "aeiouwxy"
            and word[-2] in "aeiou"
            and word[-3] not in "aeiou"
        )
        stem = word + word[-1] if cvc else word
        ending = ("er", "ers")
    return {stem + e for e in ending}


def verb_forms(word: str) -> set[str]:
    """smoker → smoke, smoked, smokes, smoking, smokers; diabetic → diabetes, diabetics."""
    forms = {word}
    stem = None
    for suffix in ("ers", "er", "ing", "ed", "es", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            break
    conjugated = verb_inflections(word)
    if stem:
        forms |= {stem + s for s in ("e", "es", "ed", "er", "ers", "ing")}
    elif conjugated:
        forms |= conjugated  # treat → treated, admit → admitted
    elif word.isalpha() and len(word) >= 4 and word[-1] not in "aeiouy":
        forms |= {word + "ed", word + "ing"}  # a word the dictionary does not know
    forms |= derived_forms(word)
    if word.endswith("ic"):
        forms |= {word + "s", word[:-2] + "es"}
    if word.endswith("es") and len(word) > 5:
        forms |= {word[:-2] + "ic", word[:-2] + "ics"}
    return forms


def derived_forms(word: str) -> set[str]:
    """treatment → treated, admission → admitted, vaccination → vaccinated: the verb a
    noun is made from, so "treated patients" finds the value "treatment"."""
    bases: list[str] = []
    if word.endswith("ment") and len(word) > 7:
        bases.append(word[:-4])  # treatment → treat, enrollment → enroll
    elif word.endswith("ission") and len(word) > 7:
        bases.append(word[:-6] + "it")  # admission → admit (admitted: doubled t)
    elif word.endswith(("ization", "isation")):
        bases.append(word[:-5])  # hospitalization → hospitaliz(ed)
    elif word.endswith("ation") and len(word) > 7:
        bases.append(word[:-5] + "at")  # vaccination → vaccinat(ed)
    elif word.endswith("osis") and len(word) > 6:
        bases.append(word[:-2])  # diagnosis → diagnos(ed)
    forms: set[str] = set()
    for base in bases:
        doubled = base + base[-1] if base.endswith("it") else base
        forms |= {base, base + "s", doubled + "ed", doubled + "ing"}
        if base.endswith(("z", "s", "at")):
            forms |= {base + "e", base + "es", base + "ed", base + "ing"}
    return forms


# Endings taken off a word to compare it with another: "treated" and "treatment" share
# the root "treat", "diagnosed" and "diagnosis" the root "diagnos".
ENDINGS = (
    "isations izations isation ization ations ation issions ission ments ment ings ing"
    " ised ized ises izes ied ies ed es s e y"
).split()


def root_of(word: str) -> str:
    w = word
    for _twice in range(2):  # onesing → ones → one
        for ending in ENDINGS:
            if ending == "s" and w.endswith(("ss", "is", "us")):
                continue  # status, this, diagnosis: the s is the word's own
            if w.endswith(ending) and len(w) - len(ending) >= 3:
                w = w[: -len(ending)] + ("it" if ending.startswith("ission") else "")
                break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]  # admitt → admit, enroll → enrol
    if len(w) >= 4 and w[-1] in "ey":
        w = w[:-1]  # giveing → give → giv, as give → giv
    return w


def share_stem(a: str, b: str) -> bool:
    """Whether two words could be forms of one word (deliberately generous: it decides
    which ordinary words stop being ignorable, and a refusal is the cost of a match)."""
    return share_roots(a, root_of(a), b, root_of(b))


def share_roots(a: str, ra: str, b: str, rb: str) -> bool:
    if a == b or b in (a + "s", a + "es") or a in (b + "s", b + "es"):
        return True
    if ra == rb:
        return True
    short, long = sorted((ra, rb), key=len)
    return len(short) >= 5 and long.startswith(short)


def content_words(words: Iterable[str]) -> list[str]:
    """A name's or value's words that say what it is: "length of pregnancy" is about
    length and pregnancy, not "of" (a name of one word keeps it, whatever it is)."""
    kept = [w for w in words if not w.isdigit()]
    return [w for w in kept if w not in SOFT and w not in lx.LINKS] if len(kept) > 1 else kept


@lru_cache(maxsize=8192)
def is_english(word: str) -> bool:
    """Whether the dictionary knows ``word`` as a word of English ("volume", "link",
    "time"), not shorthand ("vol", "preg", "pvol"): a header's English word is read
    whole, never split into letters or taken as the start of a longer word."""
    return bool(getAllLemmas(word))


@lru_cache(maxsize=8192)
def lemma_of(word: str) -> str:
    """The word's dictionary form, a verb's before a noun's ("linked" → link, "days" →
    day); for a word the dictionary does not know, its regular inflection taken off
    ("intubated" → intubate)."""
    known = getAllLemmas(word)
    for upos in ("VERB", "NOUN", "ADJ"):
        if known.get(upos):
            return str(known[upos][0])
    if known or len(word) < 5 or not word.isalpha():
        return word
    if word.endswith(("ed", "ing")):
        return str(getAllLemmasOOV(word, upos="VERB")["VERB"][0])
    if word.endswith("s") and not word.endswith(("ss", "is", "us")):
        return str(getAllLemmasOOV(word, upos="NOUN")["NOUN"][0])
    return word


@lru_cache(maxsize=8192)
def stem_key(word: str) -> str:
    """What the forms of one word, and the words derived from it, have in common:
    intubate, intubated and intubation; transfuse and transfusion; link and linkage;
    verify and verification; receive and receipt; tumour and tumor. Its inflection
    comes off by the
    dictionary, then up to two endings of :data:`lexicon.DERIVATIONS`; never shorter
    than four letters (so "rate" and "ration" stay apart)."""
    w = lemma_of(word)
    # British and American spellings are one word: tumour/tumor, haemoglobin/hemoglobin
    w = w.replace("ae", "e").replace("oe", "e")
    if len(w) > 5 and w.endswith("our"):
        w = w[:-3] + "or"
    for _twice in range(2):
        for ending, replacement in lx.DERIVATIONS:
            if w.endswith(ending) and len(w) - len(ending) + len(replacement) >= 4:
                w = w[: -len(ending)] + replacement
                break
        else:
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]  # recurr(ence) → recur
    return w


def same_stem(a: str, b: str) -> bool:
    """Whether two words are forms of one word or derived from one (see stem_key)."""
    if a == b:
        return True
    ka, kb = stem_key(a), stem_key(b)
    return ka == kb and len(ka) >= 4


def inverted(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """ "the time of the first attempt" for a name said "first attempt time": English
    puts a compound's head first with "of" before what qualifies it. Only for a name of
    two or three plain words whose head says what is measured (not "group", "value")."""
    if not 2 <= len(words) <= 3 or any(not w.isalpha() for w in words):
        return set()
    if set(words) & (lx.NAME_STOP_WORDS | lx.LINKS | lx.UNITS) or words[-1] in lx.WEAK_HEADS:
        return set()
    head, rest = words[-1], words[:-1]
    return {(head, "of", *rest), (head, "of", "the", *rest)}
