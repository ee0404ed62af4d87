"""Values that are also words of the question: "I" (stage I, ``read_pronoun``), and
common English words such as "US", "May", "other" (``read_word_values``; the articles
"a" and "an" are in reader/articles.py).

Values that are also common English words ("US" of a country, "May" of a month,
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
        j = k - 1
        while j >= 0 and r.toks[j].text in lx.ARTICLE_WORDS:
            j -= 1
        before = r.toks[j] if j >= 0 else None
        after = r.toks[k + 1] if k + 1 < len(r.toks) else None
        if names_its_column(before, t) or names_its_column(after, t):
            continue  # "country US", "other race"
        if before is not None and before.text in lx.VALUE_PREPOSITIONS:
            continue  # "in the US", "since May"
        if _joined(r, k, {column for column, _value in t.data}):
            continue  # "US and UK", "US vs other"
        t.kind = Kind.UNKNOWN
        column, value = t.data[0]
        t.data = f"{t.text!r} (the word, or the value {value!r} of {column}?)"


def names_its_column(said: Tok | None, value: Tok) -> bool:
    """``said`` names a column that holds ``value`` ("stage" before "I", "race" after
    "other"): the one place that says a word beside its column is that column's value."""
    columns = {column for column, _value in value.data}
    return (
        said is not None and said.has(Kind.COLUMN) and bool(columns & set(said.get(Kind.COLUMN)[0]))
    )


def read_pronoun(r: State) -> None:
    """ "I" where the data has a value "I" (stage I): the speaker, or the value? The value
    only right after its column's name; the speaker beside words that say so ("can I
    see", "I want"); else refused. A pronoun read as a value is a silent wrong filter."""
    for k, t in enumerate(r.toks):
        if t.kind != Kind.VALUE or t.text != "i":
            continue
        before = r.toks[k - 1] if k else None
        after = r.toks[k + 1] if k + 1 < len(r.toks) else None
        if names_its_column(before, t):
            continue  # "stage I"
        if (before is not None and before.text in lx.PRONOUN_BEFORE) or (
            after is not None and after.text in lx.PRONOUN_AFTER
        ):
            t.kind, t.data, t.alts = Kind.FILLER, "i", {}
            continue
        t.kind = Kind.UNKNOWN
        t.data = f"'i' (the speaker, or the value {t.data[0][1]!r} of {t.data[0][0]}?)"


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
