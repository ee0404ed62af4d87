"""How a column's header and values are said: a header's shorthand in full, a value
label's key as the column stores it, a present/absent column as yes/no. Plain functions
of one column, apart from the vocabulary that uses them."""

from __future__ import annotations

import re
from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics.datasets import ColumnProfile


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
