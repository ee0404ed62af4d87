"""A column named by a fuller phrase than its header: people say the header as one word
of what they mean, and the other words name nothing else in the table ("induced
abortions" for ``induced``, "days of reduced activity" for ``reduced``).

The words around the header are read as describing the column, never dropped, only where
they cannot change the answer (docs/analytics.md, "a phrase around a column's header"):

- each is one English noun (an adjective, a participle, a verb, an agent noun such as
  "smokers", a name of a disease or a word of the clinical shorthand could say who the
  rows are) that the reader knows nowhere else, and that shares its stem with no
  column, label or value of this table;
- it stands right after a header that is itself an adjective or a participle, in one
  noun phrase with it ("induced abortions", "reduced activity", "resting pulse": the
  noun is what the header qualifies); never after a noun ("age asthma" may be the age
  of asthma patients, "weight loss" is another number), and never before a header: a
  noun there may name another specimen or thing measured ("urine sodium", "stool
  weight", "gamma globulin" beside a total ``globulin``), another number;
- the header names one number column by its whole name, and no other column shares its
  head word.

After such a header, a unit of time is the noun it qualifies ("reduced days", "days of
reduced activity"): where the column's unit is not recorded and its values are whole
numbers, never negative, the column is taken to count that unit; a recorded unit of
another size is refused (a conversion is asked for in words, "in weeks"). Each reading
is stated in a caveat.
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from appliance.analytics import lexicon as lx
from appliance.analytics import units
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok

# Endings of adjectives, participles and nouns for people ("diabetic", "treated",
# "smoker", "asthmatics"), and of names of diseases ("sepsis", "pneumonia", "carcinoma",
# "arthritis"): such a word could say who the rows are, never only what a column is.
_SELECTS = re.compile(
    r"(ic|ics|ical|ed|ing|ive|ous|ose|ary|ory|ful|less|able|ible|ant|ent|an|ish|al|ar|ile"
    r"|ly|er|or|ist|ee|itis|osis|sis|ia|oma|ema|hma|pathy|ism|es)$"
)
_OF = frozenset({"of"})
# Nouns with no such ending that say whose a value is ("spouse age"), where it was taken
# ("home blood pressure", "office visits") or when ("night pulse"): each could name
# another number than the column's, or select its rows.
_WHOSE_WHERE_WHEN = frozenset(
    """spouse husband wife son sibling twin friend nurse surgeon peer staff carer
    caregiver family relative household self home office ward school work site community
    morning evening night day week month year weekend weekday daytime nighttime bedtime
    """.split()
)


def read_around(r: State) -> None:
    """Merges the describing words around each header into its mention."""
    k = 0
    while k < len(r.toks):
        k = _around(r, k) + 1


def _around(r: State, k: int) -> int:
    """The phrase around token ``k``, if it is a header (see the module); the index of
    the merged token, or ``k``."""
    name = _one_number_column(r, r.toks[k])
    if name is None:
        return k
    said = r.toks[k].text.split()[-1]
    after = r.toks[k + 1] if k + 1 < len(r.toks) else None
    if not _qualifies(said):
        return k
    if after is not None and _describes(r, after, name):
        _merge(r, k, k + 2, name, after.text)
    return _unit_around(r, k, name)


def _one_number_column(r: State, t: Tok) -> str | None:
    """The one number column ``t`` names by a whole name of it, or None."""
    if t.kind != Kind.COLUMN or t.used or not t.data[1] or len(t.data[0]) != 1:
        return None
    col = r.col(t.data[0][0])
    if not col.info.numeric or col.type in ("boolean", "identifier"):
        return None
    return col.name


def _qualifies(word: str) -> bool:
    """Whether a header word said so is an adjective or a participle, which qualifies the
    noun after it ("induced abortions", "resting pulse"), not a noun ("age")."""
    lemmas = getAllLemmas(word)
    if word in lemmas.get("ADJ", ()):
        return True
    return (
        bool(lemmas.get("VERB"))
        and word.endswith(("ed", "ing", "en"))
        and "NOUN" not in {k for k, v in lemmas.items() if word in v}
    )


def _describes(r: State, t: Tok, name: str) -> bool:
    """Whether ``t`` is a word that may only describe the column (see the module)."""
    word = t.text
    if t.kind != Kind.UNKNOWN or t.data is not None or t.used or " " in word:
        return False
    if len(word) < 3 or not word.isalpha() or word in _lexicon_words() | _WHOSE_WHERE_WHEN:
        return False
    nouns = getAllLemmas(word).get("NOUN")
    if not nouns or any(_SELECTS.search(w) for w in (word, *nouns)):
        return False  # not an English noun, or one that could say who the rows are
    if r.vocab.resembling(word):
        return False  # a column's, a label's or a value's word: it could select them
    heads = {d.column for d in r.vocab.resembling(r.col(name).name.split("_")[-1])}
    return not heads - {name}  # another column shares the head word: which one?


def _merge(r: State, start: int, end: int, name: str, word: str) -> None:
    """Tokens ``start`` to ``end`` become one mention of the column; a caveat says so."""
    said = " ".join(t.text for t in r.toks[start:end])
    first, last = r.toks[start], r.toks[end - 1]
    r.toks[start:end] = [Tok(first.start, last.end, said, Kind.COLUMN, ([name], True))]
    _caveat(
        r,
        f"{said!r} read as {name}: {word!r} describes it, and names no other column,"
        " label or value here",
    )


def _unit_around(r: State, k: int, name: str) -> int:
    """ "reduced days", "days of reduced activity": a unit of time that the merged header
    qualifies is what the column counts (see the module)."""
    after = k + 1 if k + 1 < len(r.toks) and r.toks[k + 1].kind == Kind.UNIT else None
    before = (
        k - 2 if k > 1 and r.toks[k - 1].text in _OF and r.toks[k - 2].kind == Kind.UNIT else None
    )
    if after is None and before is None:
        return k
    at = after if after is not None else before
    assert at is not None
    unit = units.canonical(r.toks[at].text)
    if units.kind(unit) != "time" or r.toks[at].text not in lx.TIME_UNITS | {"years"}:
        return k
    col = r.col(name)
    recorded = units.of_column(col.name, col.source, r.ds.dictionary.get(col.name, {}))
    low = col.min
    if recorded is not None and recorded != unit:
        raise Unanswerable(
            f"{r.toks[at].text!r}: {name} is recorded in {units.name(recorded)}"
            f" (ask 'in {units.name(unit)}' for a conversion)"
        )
    if recorded is None and not (col.type == "integer" and isinstance(low, int) and low >= 0):
        return k
    start, end = (k, k + 2) if after is not None else (k - 2, k + 1)
    said = " ".join(t.text for t in r.toks[start:end])
    first, last = r.toks[start], r.toks[end - 1]
    r.toks[start:end] = [Tok(first.start, last.end, said, Kind.COLUMN, ([name], True))]
    if recorded is None:
        _caveat(
            r,
            f"{said!r} read as {name}: its unit is not recorded, and its values are whole"
            f" numbers, taken to count {units.name(unit)} as the question says",
        )
    return start


def _caveat(r: State, text: str) -> None:
    if text not in r.caveats:  # a phrase said twice is read once
        r.caveats.append(text)


_WORDS: set[str] = set()


def _lexicon_words() -> set[str]:
    """Every word of the clinical shorthand, both ways: a condition or a measure the
    lexicon knows is never a describing word."""
    if not _WORDS:
        for short, longs in lx.ABBREVIATIONS.items():
            _WORDS.update([short, *(w for x in longs for w in x.split())])
        for short, readings in lx.AMBIGUOUS_ABBREVIATIONS.items():
            _WORDS.update([short, *(w for x in readings for w in x.split())])
        for short, longs in lx.HEADER_ONLY_ABBREVIATIONS.items():
            _WORDS.update([short, *(w for x in longs for w in x.split())])
    return _WORDS
