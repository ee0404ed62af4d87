"""A column named with a describing word its table says: "doctor visits" for a column
``visits`` of a file named doctor_visits (said away from a word for a file, where it
would name the file).

The leading word is read as part of the column's name only because the table itself
says it (a word of the file's name), and only where it cannot change the answer
otherwise: a word the reader knows nowhere (no statistic, condition, value or column),
that shares its stem with no column, label or value of this table (there it could
select them), that is no participle or adjective of the kinds that describe people
("treated", "diabetic", "smoking"), beside the name of one number column whose head
word no other column shares. A describing word the table never says is refused
before a header ("gamma globulin" of ``globulin`` may be a part of a total), and read
after an adjective header only by reader/around.py ("induced abortions"). The reading
is stated in a caveat, for a clinician to check.

The file's own word is also the topic its columns measure: in breastfeeding.csv,
"breastfeeding duration", "the duration of breastfeeding" are ``duration``; in
polyps.csv, whose whole-number columns count polyps at time points, "polyp count at
baseline", "number of polyps at 12 months", "the 3-month polyp count" are the one such
column the time point (and nothing else) names. Only where the file's word shares no
stem with a column, label or value (there it could select them), is said away from a
word for a file, and exactly one column fits: one number column named whole beside
it, or, with a count word ("count", "number of"), one column of whole numbers never
negative that the time point on one side names; else the question is refused as before.
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.header_shapes import (
    BASELINE_TAILS,
    NUMBER_WORDS,
    TIME_POINT_CODES,
    TIME_POINT_UNITS,
)
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok, named_not_as_file

# Endings of the adjectives and participles that say what a person is or did
# ("diabetic", "treated", "smoking", "obese", "active", "surgical"): never read as a
# describing word that adds nothing.
# The words that make the file's word a count ("polyp count", "number of polyps"), and
# those between a column and the file's word ("duration of breastfeeding").
_COUNTS = frozenset({"count", "counts", "number", "numbers"})
_COUNTS_OF = frozenset({"number of", "count of", "numbers of", "the number of"})
_OF = frozenset({"of", "for"})
_AT = frozenset({"at", "in", "on"})
# The words a time point is said in ("12 months", "the 3 month follow up", "baseline").
_TIME_POINT_WORDS = (
    TIME_POINT_UNITS
    | set(TIME_POINT_CODES)
    | BASELINE_TAILS
    | set(NUMBER_WORDS.values())
    | {"the", "follow", "up"}
)
_DESCRIBES_PEOPLE = re.compile(
    r"(ic|ical|ed|ing|ive|ous|ose|ary|ory|ful|less|able|ible|ant|ent|ian|ish|al|ar|ile)$"
)


def read_describing(r: State) -> None:
    """Merges the file's describing words into the column mention they lead."""
    away = named_not_as_file(r.toks)
    for k, t in enumerate(r.toks):
        if t.kind == Kind.DATASET_NAME and t.start in away and _named_file(r, k):
            return
    for k, t in enumerate(r.toks):
        if t.has(Kind.DATASET_NAME) and " " not in t.text and _file_topic(r, k):
            return


def _file_topic(r: State, k: int) -> bool:
    """ "breastfeeding duration", "number of polyps at 12 months": the file's word beside
    the one column that measures it (see the module's docstring)."""
    word = r.toks[k].text
    near = {r.toks[j].text for j in (k - 2, k - 1, k + 1) if 0 <= j < len(r.toks)}
    if r.vocab.resembling(word) or near & lx.FILE_NOUNS or not word.isalpha():
        return False
    before = r.toks[k - 1].text if k else ""
    after = r.toks[k + 1].text if k + 1 < len(r.toks) else ""
    if after in _COUNTS or before in _COUNTS_OF:
        start, end = (k, k + 2) if after in _COUNTS else (k - 1, k + 1)
        return _counted_at(r, start, end)
    if r.toks[k].kind != Kind.DATASET_NAME:
        return False
    if k + 1 < len(r.toks) and (names := _one_column(r, r.toks[k + 1])):
        _merge(r, k, k + 2, names, word)
        return True
    if k > 1 and before in _OF and (names := _one_column(r, r.toks[k - 2])):
        _merge(r, k - 2, k + 1, names, word)
        return True
    return False


def _one_column(r: State, t: Tok) -> list[str] | None:
    if t.kind != Kind.COLUMN or not t.data[1] or len(t.data[0]) != 1:
        return None
    return list(t.data[0]) if _number_column(r, t.data[0][0]) else None


def _counted_at(r: State, start: int, end: int) -> bool:
    """Tokens ``start`` to ``end`` say the count of the file's word ("polyp count"); the
    one column of counts the words just before or after them name (skipping an "at")."""
    found: list[tuple[int, int, str]] = []
    for side in _spans(r, start, end):
        for lo, hi in side:  # the longest run on each side that names a column
            phrase = tuple(w for t in r.toks[lo:hi] for w in t.text.split())
            if not all(w.isdigit() or w in _TIME_POINT_WORDS for w in phrase):
                continue  # "number of polyps at age 50": a time point only
            col = r.vocab.table.get(phrase, {}).get(Kind.COLUMN)
            if col:
                if len(col[0]) == 1 and _count_column(r, col[0][0]):
                    found.append((lo, hi, col[0][0]))
                break
    if len(found) != 1:  # none, or a column on each side: which one is unsaid
        return False
    lo, hi, name = found[0]
    first, last = min(lo, start), max(hi, end)
    said = " ".join(t.text for t in r.toks[first:last])
    r.toks[first:last] = [
        Tok(r.toks[first].start, r.toks[last - 1].end, said, Kind.COLUMN, ([name], True))
    ]
    r.caveats.append(
        f"{said!r} read as {name}: the count of what the file is named for, at the one"
        " column of counts the question names"
    )
    return True


def _spans(r: State, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Runs of one to three tokens right after ``end`` (past an "at"), and right before
    ``start``, longest first on each side."""
    at = end + 1 if end < len(r.toks) and r.toks[end].text in _AT else end
    after = [(at, at + n) for n in (3, 2, 1) if at + n <= len(r.toks)]
    before = [(start - n, start) for n in (3, 2, 1) if start - n >= 0]
    return [after, before]


def _count_column(r: State, name: str) -> bool:
    col = r.col(name)
    low = col.min
    return col.type == "integer" and isinstance(low, int | float) and low >= 0


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
