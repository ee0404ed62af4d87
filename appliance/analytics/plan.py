"""The analysis plan: the one typed, JSON-serialisable description of what to compute.

Every answer comes from a plan. The question reader produces one; applications and
agents may send their own (``POST /v1/queries`` with ``plan``); the engine compiles
only a plan into SQL. :func:`from_json` is the single gate: whatever arrives, from the
reader or from a client, is checked against the dataset's columns here, so the
engine never sees a name, operator or statistic it does not know.

The JSON form (``to_json``/``from_json`` round-trip)::

    {"dataset": "births", "statistic": "mean", "column": "weight",
     "filters": [{"column": "habit", "op": "=", "value": "smoker"}],
     "group_by": [{"column": "admit_date", "bin": "month"}],
     ...}
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from appliance import json_values
from appliance.analytics import plan_fields, plan_ranges, plan_schema, units
from appliance.analytics.errors import PlanError, ValueNotHeld
from appliance.analytics.plan_terms import (  # the closed lists (plan_terms.py)
    COX_OUTPUTS,
    LINEAR_OUTPUTS,
    LOGISTIC_OUTPUTS,
    NUMERIC_STATISTICS,
    SURVIVAL_STATISTICS,
)


@dataclass(frozen=True)
class ColumnInfo:
    """What the plan checker needs of a column: its name and its profile type."""

    name: str
    type: str  # integer, number, boolean, category, date, text, identifier
    textual: bool = False
    """Stored as text: a yes/no column's values are its words, not 0 and 1."""
    values: tuple[Any, ...] | None = None
    """Every value the column holds, when the profile knows them all (a category, a
    yes/no column): a filter on another value is refused rather than answered 0."""
    labels: tuple[tuple[str, str], ...] = ()
    """The dictionary's value labels: (code, label)."""
    unit: str | None = None
    """The unit its values are recorded in (units.of_column), where something says."""

    def holds(self) -> str:
        """ "it holds Female, Male" (with their labels: "1 (male), 2 (female)")."""
        named = dict(self.labels)
        shown = [f"{v} ({named[str(v)]})" if str(v) in named else str(v) for v in self.values or ()]
        return f"it holds {', '.join(shown)}"

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number") or (self.type == "boolean" and not self.textual)

    @property
    def date(self) -> bool:
        return self.type == "date"


@dataclass(frozen=True)
class Filter:
    """One condition on one column; ``part`` compares the year or month of a date."""

    column: str
    op: str
    values: tuple[Any, ...] = ()
    part: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"column": self.column, "op": self.op}
        if self.part:
            out["part"] = self.part
        if self.op in ("in", "between", "not_between"):
            out["values"] = list(self.values)
        elif self.op not in ("is_null", "not_null"):
            out["value"] = self.values[0]
        return out

    def describe(self) -> str:
        name = f"{self.part}({self.column})" if self.part else self.column
        if self.op in ("is_null", "not_null"):
            return f"{name} {'is empty' if self.op == 'is_null' else 'is not empty'}"
        if self.op == "between":
            return f"{name} between {self.values[0]!r} and {self.values[1]!r}"
        if self.op == "not_between":
            return f"{name} < {self.values[0]!r} or > {self.values[1]!r}"
        if self.op == "in":
            return f"{name} in ({', '.join(repr(v) for v in self.values)})"
        return f"{name} {self.op} {self.values[0]!r}"


@dataclass(frozen=True)
class GroupBy:
    column: str
    bin: str | None = None  # year or month, for a date column

    def to_json(self) -> dict[str, Any]:
        return {"column": self.column, "bin": self.bin} if self.bin else {"column": self.column}


@dataclass(frozen=True)
class Predictor:
    """A regression input: a numeric column, or an indicator of a condition (1 if met)."""

    column: str
    condition: Filter | None = None

    @property
    def label(self) -> str:
        return self.condition.describe() if self.condition else self.column

    def to_json(self) -> dict[str, Any]:
        return self.condition.to_json() if self.condition else {"column": self.column}


@dataclass(frozen=True)
class Plan:
    dataset: str
    statistic: str
    column: str | None = None
    """The measure: averaged, summed, ranked; the outcome (y) of a regression."""
    x: str | None = None
    """The second variable of a correlation or the x of a linear regression."""
    filters: tuple[Filter, ...] = ()
    condition: tuple[Filter, ...] = ()
    """Percentage: what a row must meet to count in the numerator; logistic: the outcome."""
    groups: tuple[tuple[Filter, ...], ...] = ()
    """Difference: the two groups A and B, answered as A - B."""
    of: str | None = None
    """Difference: the statistic compared between the groups."""
    group_by: tuple[GroupBy, ...] = ()
    percentile: float | tuple[float, float] | None = None
    """A percentile; with a difference and no groups, two: the first minus the second."""
    method: str | None = None
    output: str | None = None
    predictors: tuple[Predictor, ...] = ()
    at: tuple[tuple[str, float], ...] = ()
    """Where to predict: (column or predictor label, value) pairs."""
    order: str | None = None  # asc or desc
    limit: int | None = None
    label: str | None = None
    """Top/bottom/list: the column that names each row in the answer."""
    time: float | None = None
    """Survival at and Cox survival: the follow-up time, in the duration column's unit."""
    unit: str | None = None
    """The unit the answer is converted to, from ``column``'s (units.KNOWN)."""
    term: str | None = None
    """Logistic and cox: the one predictor (its label, or its column) whose ratio is
    answered, the others adjusting for it; without it, each predictor's."""

    def with_(self, **changes: Any) -> Plan:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dataset": self.dataset, "statistic": self.statistic}
        for name in ("column", "x", "of", "percentile", "method", "output", "time"):
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if isinstance(value, tuple) else value
        out["filters"] = [f.to_json() for f in self.filters]
        if self.condition:
            out["condition"] = [f.to_json() for f in self.condition]
        if self.groups:
            out["groups"] = [[f.to_json() for f in g] for g in self.groups]
        out["group_by"] = [g.to_json() for g in self.group_by]
        if self.predictors:
            out["predictors"] = [p.to_json() for p in self.predictors]
        if self.at:
            out["at"] = dict(self.at)
        for name in ("order", "limit", "label", "unit", "term"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


# -- checking a plan against a dataset -------------------------------------------------


def from_json(data: Any, columns: list[ColumnInfo]) -> Plan:
    """A checked plan from its JSON form; :class:`PlanError` names the first fault's
    field (``filters[1].op``)."""
    model = plan_schema.read(data)
    known = {c.name: c for c in columns}
    plan = Plan(
        dataset=model.dataset or "",
        statistic=model.statistic,
        column=_column(model.column, "column", known),
        x=_column(model.x, "x", known),
        filters=_filters(model.filters, "filters", known),
        condition=_filters(model.condition, "condition", known),
        groups=tuple(_filters(g, f"groups[{i}]", known) for i, g in enumerate(model.groups)),
        of=model.of,
        group_by=tuple(_group_by(g, f"group_by[{i}]", known) for i, g in enumerate(model.group_by)),
        percentile=_percentile(model.percentile),
        method=model.method,
        output=model.output,
        predictors=tuple(
            _predictor(p, f"predictors[{i}]", known) for i, p in enumerate(model.predictors)
        ),
        at=tuple((k, float(v)) for k, v in model.at.items()),
        order=model.order,
        limit=model.limit,
        label=_column(model.label, "label", known),
        time=None if model.time is None else float(model.time),
        unit=model.unit,
        term=model.term,
    )
    check(plan, known)
    return plan


def check(plan: Plan, known: dict[str, ColumnInfo]) -> None:
    """The rules between fields: what each statistic needs, and of which type."""
    s = plan.statistic

    def need(name: str, numeric: bool = False) -> ColumnInfo:
        value = getattr(plan, name)
        if value is None:
            raise PlanError(name, f"{s} needs a {'numeric ' if numeric else ''}column")
        col = known[value]
        if numeric and not col.numeric:
            raise PlanError(name, f"{s} needs a numeric column; {col.name} is {col.type}")
        return col

    if len(plan.group_by) > 2:
        raise PlanError("group_by", "at most two group columns")
    if s in NUMERIC_STATISTICS or s in ("top", "bottom"):
        need("column", numeric=True)
    if s in ("count_distinct", "null_count"):
        need("column")
    if s == "percentile" and plan.percentile is None:
        raise PlanError("percentile", "percentile needs a number from 0 to 100")
    if s == "percentage" and not plan.condition:
        raise PlanError("condition", "percentage needs a condition (the rows to count)")
    if s == "difference":
        if plan.of is None:
            raise PlanError("of", "difference needs the statistic to compare (of)")
        _check_sides(plan)
        if plan.of in NUMERIC_STATISTICS:
            need("column", numeric=True)
        if plan.of == "percentile" and plan.percentile is None:
            raise PlanError("percentile", "a difference of percentiles needs the percentile")
        if plan.of == "percentage" and not plan.condition:
            raise PlanError("condition", "a difference of percentages needs a condition")
        if plan.group_by:
            raise PlanError("group_by", "a difference is not grouped")
    if s == "crosstab" and len(plan.group_by) != 2:
        raise PlanError(
            "group_by", "crosstab needs two group columns: the rows', then the columns'"
        )
    if s in ("correlation", "linear_regression"):
        need("column", numeric=True)
        need("x", numeric=True)
        if plan.group_by:
            raise PlanError("group_by", f"{s} is not grouped")
    if s == "linear_regression":
        if plan.output not in (None, *LINEAR_OUTPUTS):
            raise PlanError("output", f"choose from {', '.join(LINEAR_OUTPUTS)}")
        if plan.output == "prediction" and dict(plan.at).keys() != {plan.x}:
            raise PlanError("at", f"a prediction needs the value of {plan.x}: at {{{plan.x!r}: …}}")
    if s == "logistic_regression":
        _check_logistic(plan, known)
    if s in SURVIVAL_STATISTICS:
        _check_survival(plan, known)
    elif plan.time is not None:
        raise PlanError("time", "time goes with survival_at and cox")
    if s in ("top", "bottom", "list") and plan.group_by:
        raise PlanError("group_by", f"{s} is not grouped")
    if (
        plan.limit is not None
        and s not in ("top", "bottom", "list")
        and not (plan.group_by and plan.order)
    ):
        raise PlanError("limit", "limit goes with top, bottom, list, or ordered groups")
    if s in ("top", "bottom") and plan.limit is None:
        raise PlanError("limit", f"{s} needs a limit (how many rows)")
    if plan.method is not None and s != "correlation":
        raise PlanError("method", "method goes with correlation")
    if isinstance(plan.percentile, tuple) and s != "difference":
        raise PlanError("percentile", f"{s} takes one percentile; two go with a difference")
    if plan.unit is not None:
        _check_unit(plan, known)
    if plan.term is not None:
        _check_term(plan)
    for name, filters in (("filters", plan.filters), ("condition", plan.condition)):
        for i, f in enumerate(filters):
            _check_filter(f, known[f.column], f"{name}[{i}]")
    for g, group in enumerate(plan.groups):
        for i, f in enumerate(group):
            _check_filter(f, known[f.column], f"groups[{g}][{i}]")
    for name, rows in [("filters", plan.filters)] + [
        (f"groups[{g}]", plan.filters + group) for g, group in enumerate(plan.groups)
    ]:
        if why := plan_ranges.contradiction(rows):
            raise PlanError(name, why)
    for i, p in enumerate(plan.predictors):
        if p.condition is not None:
            _check_filter(p.condition, known[p.condition.column], f"predictors[{i}]")
    for i, gb in enumerate(plan.group_by):
        if gb.bin and not known[gb.column].date:
            raise PlanError(f"group_by[{i}].bin", f"{gb.column} is not a date: it cannot be binned")
    if fault := plan_fields.unread_fault(plan.to_json()):
        raise PlanError(*fault)


def _check_sides(plan: Plan) -> None:
    """A difference's two sides: two groups of rows (``groups``), or two percentiles of
    ``column`` over the same rows (``percentile: [90, 10]``), never both."""
    if isinstance(plan.percentile, tuple):
        if plan.groups:
            raise PlanError(
                "percentile",
                "a difference is of two groups (groups, and one percentile) or of two"
                " percentiles over the same rows, not both",
            )
        if plan.of != "percentile":
            raise PlanError("of", 'a difference of two percentiles has "of": "percentile"')
        if plan.percentile[0] == plan.percentile[1]:
            raise PlanError("percentile", "a difference needs two different percentiles")
        return
    if len(plan.groups) != 2 or not all(plan.groups):
        if plan.of == "percentile":
            raise PlanError(
                "groups",
                "difference needs two groups of filters, A and B, or two percentiles"
                " (percentile: [90, 10])",
            )
        raise PlanError("groups", "difference needs two groups of filters, A and B")


def _check_unit(plan: Plan, known: dict[str, ColumnInfo]) -> None:
    """An answer asked in a unit: only a statistic in its column's unit (a mean, not a
    count, a percentage, a correlation, a slope in the column's unit per x's unit), and
    only where the column's unit is recorded and of the same kind: never a guess."""
    asked = plan.unit
    assert asked is not None
    s = plan.of if plan.statistic == "difference" else plan.statistic
    if s not in units.LINEAR:
        shown = f"a difference of {s}s" if plan.statistic == "difference" else f"a {s}"
        raise PlanError(
            "unit",
            f"{shown.replace('_', ' ')} is not in its column's unit, so it has none to"
            f" convert (unit goes with {', '.join(sorted(units.LINEAR))})",
        )
    if plan.column is None:
        raise PlanError("unit", f"{s} needs a column to convert")
    col = known[plan.column]
    if col.unit is None:
        raise PlanError(
            "unit",
            f"{col.name} has no recorded unit, so it cannot be converted to {asked}"
            " (give the column's 'unit' in the data dictionary)",
        )
    if units.factor(asked, col.unit) is None:
        raise PlanError(
            "unit",
            f"{col.name} is in {units.name(col.unit)}, which cannot be converted to {asked}",
        )


def term_of(plan: Plan) -> int:
    """The index of the predictor ``plan.term`` names: its label, or the column of one
    predictor alone (a column with two indicators names neither)."""
    labels = [p.label for p in plan.predictors]
    if plan.term in labels:
        return labels.index(plan.term)
    columns = [k for k, p in enumerate(plan.predictors) if p.column == plan.term]
    if len(columns) != 1:
        known = ", ".join(repr(label) for label in labels)
        raise PlanError("term", f"term names one predictor, by its label: {known}")
    return columns[0]


def _check_term(plan: Plan) -> None:
    """One predictor's ratio: a logistic regression's odds ratio or a Cox model's hazard
    ratio, never a prediction (which takes every predictor's value)."""
    ratio = {"logistic_regression": "odds_ratio", "cox": "hazard_ratio"}.get(plan.statistic)
    if ratio is None or plan.output not in (None, ratio):
        raise PlanError("term", "term goes with a logistic or cox model's ratios")
    term_of(plan)


def _check_survival(plan: Plan, known: dict[str, ColumnInfo]) -> None:
    s = plan.statistic
    if plan.column is None or not known[plan.column].numeric:
        raise PlanError("column", f"{s} needs the follow-up time as a numeric column")
    if not plan.condition:
        raise PlanError("condition", f"{s} needs the event as a condition (status = 'dead')")
    if plan.time is not None and plan.time < 0:
        raise PlanError("time", "a follow-up time is not negative")
    if s == "survival_at" and plan.time is None:
        raise PlanError("time", "survival_at needs the time to give survival at")
    if s == "logrank" and len(plan.group_by) != 1:
        raise PlanError("group_by", "logrank compares the groups of one column")
    if s != "cox" and len(plan.group_by) > 1:
        raise PlanError("group_by", f"{s} takes one group column")
    if s != "cox":
        if plan.predictors or plan.output or plan.at:
            raise PlanError("predictors", "predictors, output and at go with cox")
        return
    if plan.group_by:
        raise PlanError("group_by", "cox is not grouped: give the groups as predictors")
    if not plan.predictors:
        raise PlanError("predictors", "cox needs at least one predictor")
    for i, p in enumerate(plan.predictors):
        if p.condition is None and not known[p.column].numeric:
            raise PlanError(
                f"predictors[{i}]", f"{p.column} is not numeric: give it as a condition"
            )
        if p in plan.predictors[:i]:
            raise PlanError(f"predictors[{i}]", f"{p.label} is already a predictor")
    if plan.output not in (None, *COX_OUTPUTS):
        raise PlanError("output", f"choose from {', '.join(COX_OUTPUTS)}")
    if plan.output == "survival":
        at = dict(plan.at)
        names = {p.label for p in plan.predictors} | {p.column for p in plan.predictors}
        if plan.time is None:
            raise PlanError("time", "a survival prediction needs the time")
        if not set(at) <= names or any(
            p.label not in at and p.column not in at for p in plan.predictors
        ):
            raise PlanError("at", "a survival prediction needs a value for each predictor")
    elif plan.time is not None or plan.at:
        raise PlanError("time", 'time and at go with "output": "survival"')


def _check_logistic(plan: Plan, known: dict[str, ColumnInfo]) -> None:
    if not plan.condition:
        raise PlanError("condition", "logistic regression needs the outcome as a condition")
    if not plan.predictors:
        raise PlanError("predictors", "logistic regression needs at least one predictor")
    for i, p in enumerate(plan.predictors):
        if p.condition is None and not known[p.column].numeric:
            raise PlanError(
                f"predictors[{i}]", f"{p.column} is not numeric: give it as a condition"
            )
        if p in plan.predictors[:i]:  # the same input twice: no unique fit, at any cost
            raise PlanError(f"predictors[{i}]", f"{p.label} is already a predictor")
    if plan.output not in (None, *LOGISTIC_OUTPUTS):
        raise PlanError("output", f"choose from {', '.join(LOGISTIC_OUTPUTS)}")
    if plan.output == "probability":
        labels = {p.label for p in plan.predictors} | {p.column for p in plan.predictors}
        at = dict(plan.at)
        if (
            not at
            or not set(at) <= labels
            or any(p.label not in at and p.column not in at for p in plan.predictors)
        ):
            keys = ", ".join(repr(p.label) for p in plan.predictors)
            raise PlanError("at", f"a probability needs a value for each predictor: {keys}")
    if plan.group_by:
        raise PlanError("group_by", "logistic regression is not grouped")


def _check_filter(f: Filter, col: ColumnInfo, path: str) -> None:
    arity = {"in": None, "between": 2, "not_between": 2, "is_null": 0, "not_null": 0}.get(f.op, 1)
    if arity is not None and len(f.values) != arity:
        raise PlanError(path, f"{f.op} on {f.column} takes {arity} value(s)")
    if f.op == "in" and not f.values:
        raise PlanError(f"{path}.values", f"in on {f.column} needs at least one value")
    value = f"{path}.value" if arity == 1 else f"{path}.values"
    if f.part:
        if not col.date:
            raise PlanError(f"{path}.part", f"{f.column} is not a date: no {f.part} to compare")
        if not all(json_values.whole_number(v) is not None for v in f.values):
            raise PlanError(value, f"the {f.part} of {f.column} is compared to whole numbers")
        return
    if f.op in ("<", "<=", ">", ">=", "between", "not_between") and (
        col.type == "boolean" or not (col.numeric or col.date)
    ):
        raise PlanError(f"{path}.op", f"{f.op} needs a numeric or date column; {f.column} is not")
    if f.op == "contains" and not isinstance(f.values[0], str):
        raise PlanError(value, "contains takes a text value")
    for v in f.values:
        if col.date and not _is_date(v):
            raise PlanError(value, f"{f.column} is a date: give ISO dates (YYYY-MM-DD)")
        if col.numeric and f.op != "contains" and not _is_number(v):
            codes = ", ".join(f"{code} ({label})" for code, label in col.labels)
            labelled = f"; write its code, as the dictionary labels them: {codes}" if codes else ""
            raise PlanError(value, f"{f.column} is numeric: {v!r} is not a number{labelled}")
    if (
        f.op in ("between", "not_between")
        and not f.part
        and _compare_key(f.values[0]) > _compare_key(f.values[1])
    ):
        meaning = (
            "no row lies between them the other way round, and 0 would read as a finding"
            if f.op == "between"
            else "every row lies outside them the other way round"
        )
        raise PlanError(
            value,
            f"{f.op} takes the lower bound first ({f.values[0]!r} > {f.values[1]!r}): {meaning}",
        )
    if f.op in ("=", "!=", "in") and col.values is not None:
        held = {_same(h, col.textual) for h in col.values}
        missing = [v for v in f.values if _same(v, col.textual) not in held]
        if missing:
            raise ValueNotHeld(value, f"{f.column} holds no {missing[0]!r}; {col.holds()}")


def _compare_key(v: Any) -> Any:
    """A between's bound as the engine compares it: a number, or an ISO date as text
    (which sorts as the date does)."""
    return (0, float(v)) if _is_number(v) else (1, str(v))


def _same(v: Any, textual: bool) -> Any:
    """A value as the engine compares it: with a text column as text without regard to
    case (2 is "2"), with a number column as a number (1 is 1.0)."""
    return str(v).lower() if textual or isinstance(v, str) else float(v)


# -- field readers ---------------------------------------------------------------------


def _column(name: str | None, path: str, known: dict[str, ColumnInfo]) -> str | None:
    if name is not None and name not in known:
        raise PlanError(path, f"no column {name!r}; the columns are {', '.join(known)}")
    return name


def _filters(raw: Any, path: str, known: dict[str, ColumnInfo]) -> tuple[Filter, ...]:
    return tuple(_filter(f, f"{path}[{i}]", known) for i, f in enumerate(raw))


def _filter(f: Any, path: str, known: dict[str, ColumnInfo]) -> Filter:
    column = _column(f.column, f"{path}.column", known)
    assert column is not None and f.op is not None
    values = f.values if f.values is not None else [] if f.value is None else [f.value]
    return Filter(column, f.op, tuple(values), f.part)


def _group_by(item: Any, path: str, known: dict[str, ColumnInfo]) -> GroupBy:
    if isinstance(item, str):
        return GroupBy(_column(item, path, known) or "")
    return GroupBy(_column(item.column, f"{path}.column", known) or "", item.bin)


def _predictor(item: Any, path: str, known: dict[str, ColumnInfo]) -> Predictor:
    if isinstance(item, str):
        return Predictor(_column(item, path, known) or "")
    if item.op is not None:
        f = _filter(item, path, known)
        return Predictor(f.column, f)
    if item.value is not None or item.values is not None or item.part is not None:
        raise PlanError(f"{path}.op", "an indicator needs op; a bare {column} is a numeric input")
    return Predictor(_column(item.column, f"{path}.column", known) or "")


def _percentile(p: int | float | list[int | float] | None) -> float | tuple[float, float] | None:
    if isinstance(p, list):
        return (float(p[0]), float(p[1]))  # the model holds a pair to two
    return None if p is None else float(p)


def _is_number(v: Any) -> bool:
    """(Finite, and whole numbers within 64 bits: the model saw to that.)"""
    return isinstance(v, int | float) and not isinstance(v, bool)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_date(v: Any) -> bool:
    """YYYY-MM-DD only: Python also reads 2024-W10-1 and 20240301, which DuckDB cannot
    cast to a date."""
    if not isinstance(v, str) or not _ISO_DATE.fullmatch(v):
        return False
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True
