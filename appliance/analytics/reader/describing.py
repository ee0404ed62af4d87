"""A column named with a describing word its table says: "doctor visits" for a column
``visits`` of a file named doctor_visits (said away from a word for a file, where it
would name the file).

The leading word is read as part of the column's name only because the table itself
says it (a word of the file's name), and only where it cannot change the answer
otherwise: a word the reader knows nowhere (no statistic, condition, value or column),
that shares its stem with no column, label or value of this table (there it could
select them), that is no participle or adjective of the kinds that describe people
("treated", "diabetic", "smoking"), beside the name of one number column whose head
word no other column shares. A describing word the table never says is left unread and
the question refused: "gamma globulin" of a column ``globulin`` may be total globulin,
"hospital visits" of ``numvisit`` doctor visits, "reduced mobility" of ``reduced`` days
of reduced activity (a subtype named by a modifier is another number). The reading is
stated in a caveat, for a clinician to check.
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
    """Merges the file's describing words into the column mention they lead."""
    away = named_not_as_file(r.toks)
    for k, t in enumerate(r.toks):
        if t.kind == Kind.DATASET_NAME and t.start in away and _named_file(r, k):
            return


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


def _number_column(r: State, name: str) -> bool:
    col = r.col(name)
    return bool(col.info.numeric) and col.type not in ("boolean", "identifier")


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


def _merge(r: State, start: int, end: int, names: list[str], word: str) -> None:
    """Tokens ``start`` to ``end`` become one mention of the column; a caveat states the
    reading."""
    said = " ".join(t.text for t in r.toks[start:end])
    first, last = r.toks[start], r.toks[end - 1]
    r.toks[start:end] = [Tok(first.start, last.end, said, Kind.COLUMN, (names, True))]
    r.caveats.append(
        f"{said!r} read as {names[0]}: {word!r} names no other column, label or value here"
    )
