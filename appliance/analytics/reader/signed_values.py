"""Values written as comparisons ("ESR > 20", "<=30", "age < 40"): a category column
that records a range as text. A comparison said with the same sign and the same number
("ESR above 20", "esr > 20", "20 or more" of a value ">= 20") is that value, exactly; any
other comparison of the column stays a comparison of text with a number, which the plan
refuses (a range that only overlaps a recorded one would be a wrong count)."""

from __future__ import annotations

import re
from typing import Any

from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import split_words

# A comparison written in a value: its sign and its number, after words (the column's
# own name, "ESR > 20") or none ("<=30").
_SIGNED = re.compile(
    r"^(?P<lead>[a-z][a-z0-9 _.-]*?)?\s*(?P<op><=|>=|=<|=>|<|>|≤|≥)\s*(?P<number>-?\d+(?:\.\d+)?)$"
)
_SIGNS = {"=<": "<=", "=>": ">=", "≤": "<=", "≥": ">="}


def signed(value: Any, named: set[str]) -> tuple[str, float] | None:
    """The sign and number a value is written as, or None: the words before the sign,
    if any, must each be a word of the column's own name (``named``), so that "ESR > 20"
    of esr is a range of esr and "CRP > 5" of esr is not read as one."""
    if not isinstance(value, str):
        return None
    found = _SIGNED.match(value.strip().lower())
    if found is None:
        return None
    lead = split_words(found.group("lead") or "")
    if lead and not set(lead) <= named:
        return None
    op = found.group("op")
    return _SIGNS.get(op, op), float(found.group("number"))


def as_written(r: State, f: Filter, toks: list[Tok]) -> Filter:
    """A comparison of a text column as the one value written with its sign and number
    (with a caveat that says so); else the filter unchanged."""
    col = r.col(f.column)
    if col.info.numeric or col.type not in ("category", "text"):
        return f
    if f.op not in ("<", "<=", ">", ">=") or len(f.values) != 1:
        return f
    number = f.values[0]
    if not isinstance(number, int | float) or isinstance(number, bool):
        return f
    label = r.ds.dictionary.get(col.name, {}).get("label") or ""
    named = {*col.name.split("_"), *split_words(col.source), *split_words(label)}
    values = [v["value"] for v in col.values]
    matching = [v for v in values if signed(v, named) == (f.op, float(number))]
    phrase = " ".join(t.text for t in sorted(toks, key=lambda t: t.start))
    if len(matching) != 1:
        ranges = [str(v) for v in values if signed(v, named) is not None]
        if ranges:  # "ESR above 25" of "ESR < 20" / "ESR > 20": no recorded range is it
            raise Unanswerable(
                f"{phrase!r}: {col.name} records ranges as text ({', '.join(ranges)}),"
                " and none of them is this one"
            )
        return f
    r.caveats.append(f"{phrase!r} read as the value {matching[0]!r} of {col.name}")
    return Filter(f.column, "=", (matching[0],))
