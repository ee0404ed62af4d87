"""A plan's statistic in words ("mean age", "Kaplan-Meier median survival_days (event:
status = 'dead')"), for summaries, interpretations and refusals: one wording wherever a
person reads what was computed."""

from __future__ import annotations

from appliance.analytics.plan import Plan, term_of
from appliance.analytics.plan_terms import SURVIVAL_STATISTICS

_LABELS = {
    "count": "number of rows",
    "count_distinct": "number of distinct values of",
    "null_count": "number of empty values of",
    "sum": "sum of",
    "mean": "mean",
    "median": "median",
    "min": "minimum",
    "max": "maximum",
    "stddev": "standard deviation of",
    "iqr": "interquartile range of",
    "percentage": "percentage of rows",
}


def describe(plan: Plan) -> str:
    """The statistic in words, for summaries and interpretation."""
    s = plan.statistic
    if s in SURVIVAL_STATISTICS:
        return _describe_survival(plan)
    if s == "percentile":
        return f"{plan.percentile:g}th percentile of {plan.column}"
    if s in _LABELS:
        label = _LABELS[s]
        if s == "percentage":
            return f"{label} where {' and '.join(f.describe() for f in plan.condition)}"
        return label if s == "count" else f"{label} {plan.column}"
    return s.replace("_", " ")


def _describe_survival(plan: Plan) -> str:
    event = " and ".join(f.describe() for f in plan.condition)
    if plan.statistic == "survival_median":
        return f"Kaplan-Meier median {plan.column} (event: {event})"
    if plan.statistic in ("survival_at", "cox") and plan.time is not None:
        model = "Kaplan-Meier" if plan.statistic == "survival_at" else "Cox model"
        return f"{model} survival at {plan.column} = {plan.time:g} (event: {event})"
    if plan.statistic == "cox" and plan.term is not None and len(plan.predictors) > 1:
        labels = [p.label for p in plan.predictors]
        term = labels[term_of(plan)]
        others = ", ".join(label for label in labels if label != term)
        return f"Cox model hazard ratio for {term}, adjusted for {others} (event: {event})"
    return {
        "survival_curve": f"Kaplan-Meier curve of {plan.column} (event: {event})",
        "logrank": f"log-rank test p of {plan.column} (event: {event})",
        "cox": f"Cox model hazard ratio (event: {event})",
    }[plan.statistic]
