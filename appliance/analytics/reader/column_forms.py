"""How a column's header and values are said: a header's shorthand in full, the age
threshold a yes/no header states (``age_over_75``) and the ways a question says it, a
value label's key as the column stores it, a present/absent column as yes/no. Plain
functions of one column's words, apart from the vocabulary and the reader's stages
(thresholds.py) that use them."""

from __future__ import annotations

import re
from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics.datasets import ColumnProfile
from appliance.analytics.plan_terms import NEGATED


def header_expansions(word: str, col: ColumnProfile) -> list[str]:
    """What a header's shorthand word says in full: ``wt`` weight; ``all`` acute
    lymphoblastic leukemia; ``ht`` height for a number, hypertension for a yes/no or
    category column (a shorthand with two readings of one kind: neither)."""
    found = [*lx.ABBREVIATIONS.get(word, ()), *lx.HEADER_ONLY_ABBREVIATIONS.get(word, ())]
    readings = lx.AMBIGUOUS_ABBREVIATIONS.get(word)
    if readings:
        want = "measure" if col.info.numeric and col.type != "boolean" else "condition"
        fitting = [r for r, kind in readings.items() if kind == want]
        if len(fitting) == 1:
            found += fitting
    return found


def coerce(raw: str, col: ColumnProfile, seen: list[Any]) -> Any:
    """A value label's key as the column stores it ("1" for an integer column is 1)."""
    if col.type in ("integer", "number", "boolean") and col.storage != "VARCHAR":
        try:
            return int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw)
        except ValueError:
            return raw
    for v in seen:
        if str(v).lower() == raw.lower():
            return v
    return raw


def present_or_absent(col: ColumnProfile) -> bool:
    """A category column whose values are "present" and "absent" (kyphosis): a yes/no
    column, said as its name ("children with kyphosis") or with its value."""
    values = {str(v["value"]).strip().lower() for v in col.values}
    return col.type == "category" and values == {"present", "absent"} and not col.nulls


# The opposite of each direction: "80 or older" (>= 80) against "under 80" (< 80).
OPPOSITE = {op: NEGATED[op] for op in (">=", "<", ">", "<=")}
# Comparison shorthand a header may use ("age_ge_65").
HEADER_COMPARISONS = {"ge": ">=", "gte": ">=", "gt": ">", "le": "<=", "lte": "<=", "lt": "<"}
AGE_WORDS = frozenset({"age", "aged"})


def stated(words: list[str] | tuple[str, ...]) -> tuple[str, float] | None:
    """The age condition a name's words state ("age 80 or older": >= 80), or None."""
    words = [w for w in words if w not in lx.AGE_UNITS]
    if not words or words[0] not in AGE_WORDS:
        return None
    numbers = [k for k, w in enumerate(words) if w.isdigit()]
    if len(numbers) != 1:
        return None
    k = numbers[0]
    before, after = " ".join(words[1:k]), " ".join(words[k + 1 :])
    if before and not after:
        op = lx.COMPARISONS.get(before) or HEADER_COMPARISONS.get(before)
    elif after and not before:
        op = lx.SUFFIX_COMPARISONS.get(after)
    else:
        op = None
    if op not in OPPOSITE:
        return None
    return op, float(words[k])


# How a question says each age threshold, where no other age is in the table: the
# header's own ("age over 75") and the same threshold said otherwise ("80+" for
# age_80_or_older). Never a wider or narrower one.
SAID: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ">=": ((), ("or older", "and older", "or over", "and over", "plus", "+", "or above")),
    ">": (("over", "older than", "above"), ()),
    "<": (("under", "younger than", "below"), ()),
    "<=": ((), ("or younger", "and younger", "or under", "and under", "or below")),
}


def spoken(op: str, limit: float) -> list[tuple[str, ...]]:
    """The ways a question says the threshold, with and without "age" or "aged"."""
    number = f"{limit:g}"
    before, after = SAID[op]
    said = [(*p.split(), number) for p in before] + [(number, *s.split()) for s in after]
    return [(*lead, *s) for s in said for lead in ((), ("age",), ("aged",))]


def flag_phrases(phrases: set[tuple[str, ...]], col: ColumnProfile) -> set[tuple[str, ...]]:
    """The phrases that say a yes/no column's yes rows: "sex" names a 0/1 column female
    but never its 1 rows ("how many had sex" is not the women)."""
    if col.name.lower() not in lx.ONE_SEX_HEADERS:
        return phrases
    return {p for p in phrases if p not in {(w,) for w in lx.SEX_COLUMN_WORDS}}


def last_words_but(columns: list[ColumnProfile], col: ColumnProfile) -> set[str]:
    """The last words of the other columns' names: a word one of them ends with is that
    column's ("men" beside a column male is male = 1), never ``col``'s opposite."""
    return {n[-1] for c in columns if c is not col for n in [re.split(r"[\W_]+", c.name.lower())]}
