"""A column named with a describing word the table never uses: "gamma globulin" for a
column ``globulin``, "days of reduced activity" for ``reduced``.

The extra word is read as part of the column's name only where it cannot change the
answer: a word the reader knows nowhere (no statistic, condition, value or column), that
shares its stem with no column, label or value of this table (there it could select
them), that is no participle or adjective of the kinds that describe people ("treated",
"diabetic", "smoking": those could name a condition the table cannot state), beside the
name of one number column whose head word no other column shares (there the word could
be what tells them apart). The reading is stated in a caveat, for a clinician to check.
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import split_words

# Endings of the adjectives and participles that say what a person is or did
# ("diabetic", "treated", "smoking", "obese", "active", "surgical"): never read as a
# describing word that adds nothing.
_DESCRIBES_PEOPLE = re.compile(
    r"(ic|ical|ed|ing|ive|ous|ose|ary|ory|ful|less|able|ible|ant|ent|ian|ish|al|ar|ile)$"
)


def read_describing(r: State) -> None:
    """Merges a describing word into the column mention beside it: the unknown word
    before a column's name ("gamma globulin"), or a noun after a header that is itself
    a describing word ("reduced activity" for ``reduced``)."""
    k = 0
    while k + 1 < len(r.toks):
        first, second = r.toks[k], r.toks[k + 1]
        if _unknown(first) and _column(r, second) and _describes(r, first.text, second):
            _merge(r, k, second, first.text)
            continue
        if (
            _unknown(second)
            and _column(r, first)
            and _describing_header(r, first)
            and _noun(second.text)
            and _describes(r, second.text, first)
        ):
            _merge(r, k, first, second.text)
            continue
        k += 1


def _unknown(t: Tok) -> bool:
    return t.kind == Kind.UNKNOWN and t.data is None and t.end == t.start + 1


def _column(r: State, t: Tok) -> bool:
    """A mention of exactly one number column (not a yes/no), not yet read."""
    if t.kind != Kind.COLUMN or t.used or t.alts:
        return False
    names = t.data[0]
    if len(names) != 1:
        return False
    col = r.col(names[0])
    return bool(col.info.numeric) and col.type not in ("boolean", "identifier")


def _describes(r: State, word: str, column: Tok) -> bool:
    """The word may only describe: see the module's docstring."""
    if len(word) < 3 or not word.isalpha() or _DESCRIBES_PEOPLE.search(word):
        return False
    if r.vocab.resembling(word):
        return False  # a column's, a label's or a value's word: it could select them
    lemmas = getAllLemmas(word)
    if lemmas and "NOUN" not in lemmas:
        return False  # a verb or an adjective only: it could say what was done
    name = column.data[0][0]
    head = split_words(column.text)[-1]
    return not {d.column for d in r.vocab.resembling(head)} - {name}


def _describing_header(r: State, t: Tok) -> bool:
    """A header of one word that is a participle or an adjective ("reduced", "active"),
    said as it is: the noun after it says what it describes."""
    name = t.data[0][0]
    if "_" in name or t.text != name:
        return False
    lemmas = getAllLemmas(name)
    return bool(lemmas) and "NOUN" not in lemmas and bool({"VERB", "ADJ"} & set(lemmas))


def _noun(word: str) -> bool:
    lemmas = getAllLemmas(word)
    return word.isalpha() and set(lemmas) == {"NOUN"}


def _merge(r: State, k: int, column: Tok, word: str) -> None:
    """Tokens k and k + 1 become the column's mention; a caveat states the reading."""
    first, second = r.toks[k], r.toks[k + 1]
    name = column.data[0][0]
    said = f"{first.text} {second.text}"
    merged = Tok(first.start, second.end, said, Kind.COLUMN, column.data)
    r.toks[k : k + 2] = [merged]
    r.caveats.append(
        f"{said!r} read as {name}: {word!r} names no other column, label or value here"
    )
