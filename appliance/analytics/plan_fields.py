"""Which fields of a plan its statistic reads: a field set and not read is a fault
(plan.check), and a follow-up that changes the statistic drops them (service._follow)."""

from __future__ import annotations

from typing import Any

from appliance.analytics.plan_terms import SURVIVAL_STATISTICS


def unread(data: dict[str, Any]) -> list[str]:
    """The fields set in a plan's JSON that its statistic does not read.

    Each is a fault (:func:`check`): a field left in and ignored would answer another
    question than the one the plan says — ``"condition": [smoke = 1]`` on a mean (the
    percentage's field, where ``filters`` keep rows) answered the mean of every row, and
    ``at`` without ``"output": "prediction"`` answered a line's slope. A follow-up that
    changes the statistic drops them first (service._follow)."""
    s = data.get("statistic")
    of = data.get("of") if s == "difference" else s
    output = data.get("output")
    reads = {
        "column": s not in ("count", "percentage", "crosstab", "logistic_regression")
        and not (s == "difference" and of in ("count", "percentage")),
        "x": s in ("correlation", "linear_regression"),
        "condition": s in ("percentage", "logistic_regression", *SURVIVAL_STATISTICS)
        or (s == "difference" and of == "percentage"),
        "groups": s == "difference",
        "of": s == "difference",
        "percentile": of == "percentile",
        "predictors": s in ("logistic_regression", "cox"),
        "output": s in ("linear_regression", "logistic_regression", "cox"),
        "at": (s, output)
        in (("linear_regression", "prediction"), ("logistic_regression", "probability"))
        or s == "cox",  # (cox's own check: at and time go with "output": "survival")
        "label": s in ("top", "bottom", "list"),
        "order": s in ("top", "bottom", "list") or bool(data.get("group_by")),
    }
    return [name for name, read in reads.items() if not read and data.get(name) not in _UNSET]


def unread_fault(data: dict[str, Any]) -> tuple[str, str] | None:
    """The first field the plan's statistic does not read, and what to write instead."""
    ignored = unread(data)
    if not ignored:
        return None
    name, s, of = ignored[0], str(data.get("statistic")), data.get("of")
    shown = f"a difference of {of}s" if s == "difference" and of else s
    return name, _UNREAD.get((s, name)) or _UNREAD_ANY[name].format(s=shown)


_UNSET: tuple[Any, ...] = (None, [], {}, ())
_UNREAD_ANY = {
    "column": "a {s} counts rows and reads no column",
    "x": "x goes with correlation and linear_regression, not {s}",
    "condition": "condition goes with percentage, logistic_regression, the survival"
    " statistics and a difference of percentages, not {s}: filters choose the rows",
    "groups": "groups go with difference, not {s}: filters choose the rows",
    "of": "of goes with difference, not {s}",
    "percentile": "percentile goes with the statistic percentile (or a difference of"
    " percentiles), not {s}",
    "predictors": "predictors go with logistic_regression and cox, not {s}",
    "output": "output goes with linear_regression, logistic_regression and cox, not {s}",
    "at": "at goes with a prediction, not {s}",
    "label": "label goes with top, bottom and list, not {s}",
    "order": "order goes with top, bottom, list, or groups (group_by) to rank, not"
    " {s} without group_by",
}
_UNREAD = {
    ("count", "column"): "count counts rows, not a column's values: to count the rows"
    ' where a column is filled in, filter on it with "op": "not_null"',
    ("difference", "column"): "a difference of counts or percentages reads no column",
    ("logistic_regression", "column"): "a logistic regression's outcome is its condition"
    " (and its inputs its predictors); it reads no column",
    ("linear_regression", "at"): 'at goes with "output": "prediction" (a line\'s slope,'
    " intercept or r2 is at no value)",
    ("logistic_regression", "at"): 'at goes with "output": "probability" (an odds ratio is'
    " at no value)",
    ("correlation", "output"): "a correlation answers r; output goes with linear_regression"
    " (r2), logistic_regression and cox",
}
"""Messages for the faults an agent is likeliest to make, saying what to write instead."""
