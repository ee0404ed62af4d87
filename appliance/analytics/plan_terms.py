"""The plan's closed lists: its statistics, operators, outputs and bounds.

A module of their own so that the plan's checks (:mod:`plan`) and its typed model
(:mod:`plan_schema`) both read them without importing each other: adding a statistic
is one entry in ``STATISTICS`` (and ``NUMERIC_STATISTICS`` when it is of a number)."""

from __future__ import annotations

SURVIVAL_STATISTICS = ("survival_median", "survival_at", "survival_curve", "logrank", "cox")
"""Time-to-event statistics: ``column`` is the follow-up time, ``condition`` the event."""
STATISTICS = (
    "count",
    "count_distinct",
    "null_count",
    "sum",
    "mean",
    "median",
    "min",
    "max",
    "stddev",
    "percentile",
    "iqr",
    "percentage",
    "difference",
    "crosstab",
    "correlation",
    "linear_regression",
    "logistic_regression",
    "top",
    "bottom",
    "list",
    *SURVIVAL_STATISTICS,
)
NUMERIC_STATISTICS = ("sum", "mean", "median", "min", "max", "stddev", "percentile", "iqr")
# What a difference may compare between its two groups.
DIFFERENCE_OF = ("count", "percentage", *NUMERIC_STATISTICS)
OPERATORS = (
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "between",
    "not_between",
    "is_null",
    "not_null",
    "contains",
)
NEGATED = {
    "=": "!=",
    "!=": "=",
    ">": "<=",
    ">=": "<",
    "<": ">=",
    "<=": ">",
    "between": "not_between",
    "not_between": "between",
    "is_null": "not_null",
    "not_null": "is_null",
}
"""Each operator that has one and its negation (the rows it does not keep, empty values
aside); "in" and "contains" have none in the plan's operators."""
PARTS = ("year", "month")
BINS = ("year", "month")
LINEAR_OUTPUTS = ("slope", "intercept", "r2", "prediction")
LOGISTIC_OUTPUTS = ("odds_ratio", "probability")
COX_OUTPUTS = ("hazard_ratio", "survival")
CORRELATION_METHODS = ("pearson", "spearman")
ORDERS = ("asc", "desc")
MAX_LIMIT = 1000
MAX_PREDICTORS = 20
"""A logistic fit's inputs: its memory and time grow with their number (and its square)."""
MAX_WHOLE = 2**63 - 1
"""Whole numbers in a plan fit a signed 64-bit integer, as DuckDB binds them (past 2^127
it cannot; between, it compares some as unsigned 128-bit and fails). A larger number
can be sent as a decimal (1e30): it is a float then, and compares as one."""
DEFAULT_LIST_LIMIT = 100
