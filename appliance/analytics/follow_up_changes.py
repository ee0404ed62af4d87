"""What a follow-up's new statistic or column does to the previous plan, and when it has
two readings (refused naming both) — the checks service._follow makes before applying
a statistic or a column said alone ("what about the median?", "n?", "and bmi?")."""

from __future__ import annotations

from typing import Any

from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan_terms import NEGATED, NUMERIC_STATISTICS


def _of(base: dict[str, Any]) -> str:
    """The statistic a plan computes, a difference's as its parts."""
    s = str(base.get("statistic"))
    return str(base.get("of")) if s == "difference" else s


def _said(f: dict[str, Any]) -> str:
    """A plan's filter, as sent, in a refusal's or caveat's words ("age > 60")."""
    return f"{f['column']} {f['op']} {f.get('value', '')}".strip()


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
    if stat in NUMERIC_STATISTICS and (
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
    if before not in NUMERIC_STATISTICS or base.get("x"):
        raise Unanswerable(
            f"{column} alone after a {before}: which statistic of it, or what about it?"
            f" ask it in full (e.g. 'the mean {column}')"
        )
    if base.get("unit"):  # the previous answer's unit was its column's
        raise Unanswerable(f"the previous answer was converted to a unit: ask for {column} in full")
    base["column"] = column


def other_rows(base: dict[str, Any], ds: Dataset, said: str) -> str:
    """ "and those who didn't?", "and the rest?": the previous answer's one condition
    negated, everything else kept. Refused where that is not one set of rows: no
    condition (every row was kept), several (which one?), a previous answer that also
    counted something (a percentage, a fit: the rows left out, or those not counted?),
    or "the rest" of a condition on a column with empty values (with them or without?).
    "Those who didn't" (``said`` "clause") is the rows with a value the condition does not
    keep: an empty value is no "didn't", and the caveat says so, as a comparison's "those
    who do not" does (reader/complements.py). Returns the caveat naming the rows taken."""
    if base.get("condition"):
        raise Unanswerable(
            "'the others' after a percentage or a fit: the rows it was not over, or those it"
            " did not count? ask it in full"
        )
    filters = list(base.get("filters") or [])
    if len(filters) != 1:
        said = " or ".join(_said(f) for f in filters)
        raise Unanswerable(
            "'the others' than which rows? "
            + (f"the previous answer kept rows by {said}" if filters else "it kept every row")
            + ": ask it in full"
        )
    (f,) = filters
    profile = ds.column(f["column"])
    if f["op"] not in NEGATED:  # "in": a list of values, "contains": a part of one
        raise Unanswerable(f"the rows other than {f['column']} {f['op']} …: ask it in full")
    empty = profile is not None and profile.nulls and "null" not in f["op"]
    if empty and said != "clause":
        raise Unanswerable(
            f"the rows other than {_said(f)}: with or without"
            f" those where {f['column']} is empty? ask it in full"
        )
    base["filters"] = [{**f, "op": NEGATED[f["op"]]}]
    value = f" {f['value']!r}" if "value" in f else ""
    unsaid = f" (rows where {f['column']} is empty are in neither)" if empty else ""
    return f"the others: {f['column']} {NEGATED[f['op']]}{value}{unsaid}"


def whole(base: dict[str, Any], said: str) -> str:
    """ "what about everyone?", "and for all patients?": the previous answer over every
    row, its conditions dropped and its groups kept. "And overall?" drops its conditions
    where it had no groups, its groups where it had no conditions, and is refused where
    it had both (every row, or no groups?). Returns the caveat naming what was dropped."""
    filters, groups = base.get("filters") or [], base.get("group_by") or []
    if said == "overall" and filters and groups:
        raise Unanswerable(
            "'overall': over every row, or without the groups? the previous answer had"
            " both conditions and groups: ask it in full"
        )
    if said == "overall" and groups:
        base["group_by"] = []
        base.pop("order", None)
        return "overall: without the groups by " + ", ".join(g["column"] for g in groups)
    if not filters:
        raise Unanswerable("the previous answer was already over every row")
    base["filters"] = []
    dropped = " and ".join(_said(f) for f in filters)
    return f"every row: the previous condition dropped ({dropped})"
