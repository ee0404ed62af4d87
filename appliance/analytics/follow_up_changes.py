"""What a follow-up's new statistic or column does to the previous plan, and when it has
two readings (refused naming both) — the checks service._follow makes before applying
a statistic or a column said alone ("what about the median?", "n?", "and bmi?")."""

from __future__ import annotations

from typing import Any

from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan_terms import NUMERIC_STATISTICS


def _of(base: dict[str, Any]) -> str:
    """The statistic a plan computes, a difference's as its parts."""
    s = str(base.get("statistic"))
    return str(base.get("of")) if s == "difference" else s


def check_statistic(base: dict[str, Any], stat: str, ds: Dataset) -> None:
    """A statistic said alone keeps the previous plan's rows and column, so it needs a
    plan that has the one column it reads:

    - "n?", "how many?" after the mean of a column counts the rows the mean was over —
      unless the column has empty values, where the rows and the values the mean used
      differ (refused naming both); after a percentage (the rows it was out of, or
      those it counted?) or a fit, refused;
    - "what about the median?" after a count (no column) or a correlation (two) is
      refused: of which column?"""
    before = _of(base)
    if stat == "count":
        if before in NUMERIC_STATISTICS and base.get("statistic") != "difference":
            column = str(base.get("column"))
            profile = ds.column(column)
            if profile is not None and profile.nulls:
                raise Unanswerable(
                    f"'how many' after the {before} of {column}: the rows it was over, or"
                    f" only those with {column} recorded (the values it used)? ask it in full"
                )
            return
        if before not in ("count", "crosstab"):
            raise Unanswerable(
                f"'how many' after a {before}: of which rows (those it was over, or those"
                " it counted)? ask it in full"
            )
        return
    if stat in (*NUMERIC_STATISTICS, "percentile") and (
        not base.get("column") or base.get("x") or before not in NUMERIC_STATISTICS
    ):
        raise Unanswerable(
            f"the {stat} of which column? the previous answer (a {before}) is not of one"
            f" column: ask it in full (e.g. 'the {stat} age')"
        )


def column_instead(base: dict[str, Any], column: str) -> None:
    """ "and bmi?" after "mean sbp among women": the same statistic, of the same rows and
    groups, of the column named instead. Only after a statistic of one numeric column
    (a mean, median, percentile, spread, sum, minimum or maximum, or a difference of
    one); after a count, a percentage, a ranking or a fit the column alone has several
    readings (its mean? the rows ranked by it? another predictor?): refused."""
    before = _of(base)
    if before not in (*NUMERIC_STATISTICS, "percentile") or base.get("x"):
        raise Unanswerable(
            f"{column} alone after a {before}: which statistic of it, or what about it?"
            f" ask it in full (e.g. 'the mean {column}')"
        )
    if base.get("unit"):  # the previous answer's unit was its column's
        raise Unanswerable(f"the previous answer was converted to a unit: ask for {column} in full")
    base["column"] = column
