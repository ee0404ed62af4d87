"""A value that is one part of a combined value of its column: "insulin" beside
"insulin+metformin" (or "chemo/radiation", "surgery and radiotherapy"). "patients on
insulin" may be the rows recorded as insulin alone or every row whose drug includes it;
the two counts differ, so a plan keeping (or leaving out) such a value is refused
naming both."""

from __future__ import annotations

import re
from typing import Any

from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable

# What joins the parts of a combined value: signs, or "and" / "plus" between words.
_JOINS = re.compile(r"\s*(?:[+/&]|\band\b|\bplus\b)\s*")
_OPS = ("=", "!=", "in", "not_in")


def _parts(value: str) -> list[str]:
    return [p for p in _JOINS.split(value.lower()) if p]


def combined_with(ds: Dataset, column: str, value: Any) -> list[str]:
    """The other values of ``column`` of which ``value`` is one joined part."""
    col = ds.column(column)
    if col is None or col.type != "category" or not isinstance(value, str):
        return []
    said = value.strip().lower()
    return [
        str(v["value"])
        for v in col.values or []
        if isinstance(v["value"], str)
        and v["value"].strip().lower() != said
        and len(_parts(v["value"])) > 1
        and said in _parts(v["value"])
    ]


def _filters(obj: Any) -> list[dict[str, Any]]:
    """Every filter of a plan's JSON (its filters, groups, condition, predictors)."""
    if isinstance(obj, dict):
        own = [obj] if "column" in obj and obj.get("op") in _OPS else []
        return own + [f for v in obj.values() for f in _filters(v)]
    if isinstance(obj, list | tuple):
        return [f for v in obj for f in _filters(v)]
    return []


def refuse_part_values(ds: Dataset, *plans: Any) -> None:
    """Refuse a plan whose filter keeps a value that is a part of another value."""
    for f in _filters(list(plans)):
        values = f["values"] if "values" in f else [f.get("value")]
        for value in values:
            others = combined_with(ds, f["column"], value)
            if others:
                raise Unanswerable(
                    f"{value!r}: only the rows whose {f['column']} is {value!r}, or also"
                    f" those with {', '.join(repr(o) for o in others)}? the two differ:"
                    " send a plan naming the values"
                )


def to_json(fragment: dict[str, Any]) -> list[Any]:
    """A follow-up fragment's filters as a plan's JSON has them."""
    return [f.to_json() for f in fragment.get("filters", [])]
