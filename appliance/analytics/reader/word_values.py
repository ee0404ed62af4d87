"""Values that are also common English words ("US" of a country, "May" of a month,
"other" of a race, "all", "any"): the value, or the word? Read as the value only where
the question says it is one: right after or before its column's name ("country US",
"other race"), after a preposition of place or time ("in the US", "since May"), or
joined to another value of its column ("US and UK"). Else refused naming both: "give us
the mean age" kept only the rows of the US, and "how many patients may have stage IV"
only those of May, each a silent wrong filter."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok

_JOINS = (Kind.AND, Kind.OR, Kind.VERSUS)


def read_word_values(r: State) -> None:
    """See the module."""
    for k, t in enumerate(r.toks):
        if t.kind != Kind.VALUE or t.text not in lx.WORD_VALUES:
            continue
        columns = {column for column, _value in t.data}
        j = k - 1
        while j >= 0 and r.toks[j].text in lx.ARTICLE_WORDS:
            j -= 1
        before = r.toks[j] if j >= 0 else None
        after = r.toks[k + 1] if k + 1 < len(r.toks) else None
        if _names(before, columns) or _names(after, columns):
            continue  # "country US", "other race"
        if before is not None and before.text in lx.VALUE_PREPOSITIONS:
            continue  # "in the US", "since May"
        if _joined(r, k, columns):
            continue  # "US and UK", "US vs other"
        t.kind = Kind.UNKNOWN
        column, value = t.data[0]
        t.data = f"{t.text!r} (the word, or the value {value!r} of {column}?)"


def _names(t: Tok | None, columns: set[str]) -> bool:
    return t is not None and t.has(Kind.COLUMN) and bool(columns & set(t.get(Kind.COLUMN)[0]))


def _joined(r: State, k: int, columns: set[str]) -> bool:
    """Another value of the same column right before or after, across "and", "or",
    "vs"."""
    for step in (-1, 1):
        join, other = k + step, k + 2 * step
        if not (0 <= join < len(r.toks) and 0 <= other < len(r.toks)):
            continue
        if r.toks[join].kind in _JOINS and r.toks[other].has(Kind.VALUE):
            if columns & {c for c, _v in r.toks[other].get(Kind.VALUE)}:
                return True
    return False
