"""A column named with a describing word the table never uses: "gamma globulin" for a
column ``globulin``, "days of reduced activity" for ``reduced``, "number of doctor
visits" for a header ``numvisit`` (said "number of visits"), "doctor visits" for
``visits`` on a file named doctor_visits.

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
from appliance.analytics.reader.tokens import Tok, named_not_as_file

# Endings of the adjectives and participles that say what a person is or did
# ("diabetic", "treated", "smoking", "obese", "active", "surgical"): never read as a
# describing word that adds nothing.
_DESCRIBES_PEOPLE = re.compile(
    r"(ic|ical|ed|ing|ive|ous|ose|ary|ory|ful|less|able|ible|ant|ent|ian|ish|al|ar|ile)$"
)


def read_describing(r: State) -> None:
    """Merges a describing word into the column mention beside it, or inside it."""
    away = named_not_as_file(r.toks)
    k = 0
    while k < len(r.toks):
        if not _describe_at(r, k, away):
            k += 1


def _describe_at(r: State, k: int, away: set[int]) -> bool:
    """Whether token ``k`` was merged into a column's mention (the tokens changed)."""
    t = r.toks[k]
    after = r.toks[k + 1] if k + 1 < len(r.toks) else None
    if t.kind == Kind.DATASET_NAME and t.start in away:
        return _named_file(r, k)
    if not _unknown(t):
        if (  # "reduced activity" for a header reduced
            after is not None
            and _unknown(after)
            and _column(r, t)
            and _describing_header(t)
            and _noun(after.text)
            and _describes(r, after.text, t.text.split()[-1], t.data[0])
        ):
            _merge(r, k, k + 2, t.data[0], after.text)
            return True
        return False
    if after is None:
        return False
    if k > 0 and not r.toks[k - 1].used:  # "number of doctor visits": inside the name
        lead = r.toks[k - 1].text.split()
        for j in range(len(lead), 0, -1):
            phrase = (*lead[-j:], *after.text.split())
            names = _exact_column(r, phrase)
            if names and _describes(r, t.text, phrase[-1], names):
                _merge(r, k - 1, k + 2, names, t.text)
                return True
    if _column(r, after) and _describes(r, t.text, after.text.split()[-1], after.data[0]):
        _merge(r, k, k + 2, after.data[0], t.text)  # "gamma globulin"
        return True
    return False


def _named_file(r: State, k: int) -> bool:
    """ "doctor visits" on doctor_visits.csv, said away from a word for a file, beside a
    column ``visits``: the leading words describe the column the last words name."""
    t = r.toks[k]
    words = t.text.split()
    for n in range(1, len(words)):
        names = _exact_column(r, tuple(words[n:]))
        if names and all(_describes(r, w, words[-1], names) for w in words[:n]):
            _merge(r, k, k + 1, names, " ".join(words[:n]))
            return True
    return False


def _unknown(t: Tok) -> bool:
    return t.kind == Kind.UNKNOWN and t.data is None and t.end == t.start + 1


def _number_column(r: State, name: str) -> bool:
    col = r.col(name)
    return bool(col.info.numeric) and col.type not in ("boolean", "identifier")


def _column(r: State, t: Tok) -> bool:
    """A mention of exactly one number column (not a yes/no), not yet read."""
    if t.kind != Kind.COLUMN or t.used or t.alts:
        return False
    names = t.data[0]
    return len(names) == 1 and _number_column(r, names[0])


def _exact_column(r: State, phrase: tuple[str, ...]) -> list[str] | None:
    """The one number column ``phrase`` names by a whole name of it, or None."""
    found = r.vocab.table.get(phrase, {}).get(Kind.COLUMN)
    if not found or not found[1] or len(found[0]) != 1 or not _number_column(r, found[0][0]):
        return None
    return list(found[0])


def _describes(r: State, word: str, head: str, names: list[str]) -> bool:
    """The word may only describe: see the module's docstring."""
    if len(word) < 3 or not word.isalpha() or _DESCRIBES_PEOPLE.search(word):
        return False
    if r.vocab.resembling(word):
        return False  # a column's, a label's or a value's word: it could select them
    lemmas = getAllLemmas(word)
    if lemmas and "NOUN" not in lemmas:
        return False  # a verb or an adjective only: it could say what was done
    return not {d.column for d in r.vocab.resembling(head)} - set(names)


def _describing_header(t: Tok) -> bool:
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


def _merge(r: State, start: int, end: int, names: list[str], word: str) -> None:
    """Tokens ``start`` to ``end`` become one mention of the column; a caveat states the
    reading."""
    said = " ".join(t.text for t in r.toks[start:end])
    first, last = r.toks[start], r.toks[end - 1]
    r.toks[start:end] = [Tok(first.start, last.end, said, Kind.COLUMN, (names, True))]
    r.caveats.append(
        f"{said!r} read as {names[0]}: {word!r} names no other column, label or value here"
    )
