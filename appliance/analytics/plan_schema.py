"""The plan's one typed model: its shape is written here once, and everything else
derives from it.

- :func:`read` checks a plan's JSON against the model (a msgspec conversion) and names
  the field of the first fault (``filters[1].op``); :func:`plan.from_json` then checks
  the rules between fields and against the dataset's columns.
- :data:`PLAN`, the model's JSON Schema, is the plan in ``GET /openapi.json`` and the
  ``plan`` of the MCP tool ``run_plan``.
- Each field's ``description`` is the "meaning" in docs/analytics.md's table of plan
  fields (a test compares the two).

The closed lists (statistics, operators, bins…) are :mod:`plan`'s constants: adding a
statistic is one entry in ``plan_terms.STATISTICS``.

Why msgspec rather than pydantic (both can check a model and give its JSON Schema):
every question and plan goes through this check, in every server process, and the
project keeps pydantic (~30 MB with its compiled core) out of a process until it
serves ``/mcp`` (docs/agents.md). Measured by bench/plan_validation.py on the 2-core
development machine (shared, so noisy): msgspec checks a typical plan's shape in
30-45 µs against pydantic's 40-90 µs for a model of the same fields, and importing it
with the model built costs a fresh process 8.7 MB against pydantic's 22.4 MB. Either
is small beside a query (milliseconds); the memory decided.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from appliance import json_values
from appliance.analytics import units
from appliance.analytics.errors import PlanError
from appliance.analytics.plan_terms import (  # the closed lists: one place each
    BINS,
    CORRELATION_METHODS,
    COX_OUTPUTS,
    DIFFERENCE_OF,
    LINEAR_OUTPUTS,
    LOGISTIC_OUTPUTS,
    MAX_LIMIT,
    MAX_PREDICTORS,
    MAX_WHOLE,
    OPERATORS,
    ORDERS,
    PARTS,
    STATISTICS,
)

S = dict[str, Any]

CHOICES: dict[str, tuple[str, ...]] = {
    "statistic": STATISTICS,
    "op": OPERATORS,
    "part": PARTS,
    "bin": BINS,
    "of": DIFFERENCE_OF,
    "method": CORRELATION_METHODS,
    "output": LINEAR_OUTPUTS + LOGISTIC_OUTPUTS + COX_OUTPUTS,
    "order": ORDERS,
    "unit": units.KNOWN,
}
"""Each closed field and what it may be: the schema's ``enum`` and the check's list."""


def _enum(name: str) -> Meta:
    return Meta(extra_json_schema={"enum": list(CHOICES[name])})


Value = int | float | str
DatasetName = Annotated[str, Meta(min_length=1, pattern="\\S")]
Number = int | float
Statistic = Annotated[str, _enum("statistic")]
Operator = Annotated[str, _enum("op")]
Part = Annotated[str, _enum("part")]
Bin = Annotated[str, _enum("bin")]
Of = Annotated[str, _enum("of")]
Method = Annotated[str, _enum("method")]
Output = Annotated[str, _enum("output")]
Order = Annotated[str, _enum("order")]
Unit = Annotated[str, _enum("unit")]
Limit = Annotated[int, Meta(ge=1, le=MAX_LIMIT)]
Percentile = Annotated[Number, Meta(extra_json_schema={"minimum": 0, "maximum": 100})]
"""(msgspec sets bounds on one kind of number only: these are checked in ``Plan``.)"""
PercentilePair = Annotated[list[Percentile], Meta(min_length=2, max_length=2)]


class _Checked(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A part of a plan whose closed fields are checked against :data:`CHOICES`."""

    def __post_init__(self) -> None:
        for name in _closed(type(self)):
            value = getattr(self, name)
            if value is not None and value not in CHOICES[name]:
                raise ValueError(f"{name}: {value!r} is not one of {', '.join(CHOICES[name])}")


@functools.cache
def _closed(kind: type[msgspec.Struct]) -> tuple[str, ...]:
    """The fields of ``kind`` that :data:`CHOICES` closes."""
    return tuple(name for name in kind.__struct_fields__ if name in CHOICES)


class Filter(_Checked, kw_only=True):
    """A condition on one column: value for one operand, values for in, between and
    not_between, neither for is_null/not_null; part compares the year or month of a
    date."""

    column: str
    op: Operator
    value: Value | None = None
    values: list[Value] | None = None
    part: Part | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for i, v in enumerate([self.value] if self.values is None else self.values):
            field = "value" if self.values is None else f"values[{i}]"
            if v is not None and (why := _bad_value(v)):
                raise ValueError(f"{field}: {why}")


class Predictor(Filter, kw_only=True):
    """A regression input: a numeric column (``{"column"}``, or its name), or an
    indicator of a condition (a filter: 1 when met)."""

    op: Operator | None = None  # type: ignore[assignment]  # optional here: a bare column


class GroupBy(_Checked, kw_only=True):
    """A group column; ``bin`` (year or month) groups a date column's values."""

    column: str
    bin: Bin | None = None


class Plan(_Checked, kw_only=True):
    """What to compute on one dataset (docs/analytics.md, 'The plan')."""

    dataset: Annotated[
        DatasetName | None,
        Meta(description="the dataset's name (the request's `dataset` overrides it)"),
    ] = None
    statistic: Annotated[Statistic, Meta(description="see below")]
    column: Annotated[
        str | None,
        Meta(
            description="the measure: averaged, summed, ranked; the outcome (y) of a line;"
            " survival: the follow-up time"
        ),
    ] = None
    x: Annotated[
        str | None, Meta(description="the second variable of a correlation, the x of a line")
    ] = None
    filters: Annotated[
        list[Filter],
        Meta(description='rows kept: `[{"column", "op", "value" | "values", "part"?}]`'),
    ] = []
    condition: Annotated[
        list[Filter],
        Meta(
            description="percentage: what a row must meet to count; logistic: the outcome;"
            " survival: the event"
        ),
    ] = []
    groups: Annotated[
        list[list[Filter]],
        Meta(
            max_length=2,
            description="difference: two lists of filters, A and B; the answer is A - B",
        ),
    ] = []
    of: Annotated[
        Of | None,
        Meta(
            description="difference: the statistic compared"
            " (`mean`, `median`, `count`, `percentage`, …)"
        ),
    ] = None
    group_by: Annotated[
        list[str | GroupBy],
        Meta(
            max_length=2,
            description='0 to 2 of `{"column", "bin"?}` (or the column\'s name); `bin` is'
            " `year` or `month` for a date; crosstab: its two columns, rows then columns",
        ),
    ] = []
    percentile: Annotated[
        Percentile | PercentilePair | None,
        Meta(
            description="0 to 100; difference: two, `[90, 10]`, for the first percentile of"
            " `column` minus the second over the same rows (no `groups`)"
        ),
    ] = None
    method: Annotated[
        Method | None, Meta(description="correlation: `pearson` (default) or `spearman`")
    ] = None
    output: Annotated[
        Output | None,
        Meta(
            description="line: `slope` (default), `intercept`, `r2`, `prediction`;"
            " logistic: `odds_ratio` (default), `probability`; cox: `hazard_ratio`"
            " (default), `survival`"
        ),
    ] = None
    predictors: Annotated[
        list[str | Predictor],
        Meta(
            max_length=MAX_PREDICTORS,
            description=f'logistic and cox: 1 to {MAX_PREDICTORS} columns (`{{"column"}}` or the'
            " name) or indicators (a filter: 1 when met), none twice",
        ),
    ] = []
    at: Annotated[
        dict[str, Number],
        Meta(
            description="prediction: `{name: value}`, a column's name, or an indicator's"
            " label as the answer writes it (`treatment = 'insulin'`)"
        ),
    ] = {}
    order: Annotated[
        Order | None, Meta(description="rankings: `asc` or `desc`; with `group_by`, ranks groups")
    ] = None
    limit: Annotated[
        Limit | None, Meta(description=f"rankings and lists: how many rows (1 to {MAX_LIMIT})")
    ] = None
    label: Annotated[
        str | None, Meta(description="rankings and lists: the column naming each row")
    ] = None
    time: Annotated[
        Number | None,
        Meta(
            description="`survival_at`, and `cox` with `output` `survival`: the follow-up"
            " time, in the time column's unit"
        ),
    ] = None
    unit: Annotated[
        Unit | None,
        Meta(
            description="the answer in this unit, converted exactly from `column`'s recorded"
            " unit (of one kind: `day`, `week`, `month` of 30.4375 days, `year` of 365.25 days;"
            " `g`, `kg`, `lb`; `mm`, `cm`, `m`, `in`): a sum, mean, median, min, max,"
            " stddev, percentile, iqr or survival_median, grouped or not, or a difference"
            " of one"
        ),
    ] = None

    term: Annotated[
        str | None,
        Meta(
            description="logistic and cox: the one predictor (its label as the answer writes"
            " it, or its column) whose ratio is answered, adjusted for the others; without"
            " it, each predictor's"
        ),
    ] = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.percentile, list):
            for i, p in enumerate(self.percentile):
                _check_percentile(p, f"percentile[{i}]")
        elif self.percentile is not None:
            _check_percentile(self.percentile, "percentile")
        if self.time is not None and (why := _bad_number(self.time)):
            raise ValueError(f"time: {why}")
        for name, v in self.at.items():
            if why := _bad_number(v):
                raise ValueError(f"at.{name}: {why}")


def _check_percentile(p: int | float, field: str) -> None:
    if why := _bad_number(p):
        raise ValueError(f"{field}: {why}")
    if not 0 <= p <= 100:
        raise ValueError(f"{field}: must be a number from 0 to 100")


_TOO_WHOLE = f"whole numbers go up to ±{MAX_WHOLE}; write a larger one as a decimal (1e30)"


def _bad_number(v: int | float) -> str | None:
    if isinstance(v, float) and not math.isfinite(v):
        return "must be a finite number"
    if isinstance(v, int) and not -MAX_WHOLE - 1 <= v <= MAX_WHOLE:
        return _TOO_WHOLE
    return None


def _bad_value(v: Value) -> str | None:
    if isinstance(v, str):
        return None if json_values.is_unicode(v) else "text is Unicode (not a lone surrogate)"
    return _bad_number(v)


_AT = re.compile(r"^(?P<why>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>.*)`$", re.S)
_MISSING = re.compile(r"^Object missing required field `(?P<name>.*)`$", re.S)
_OWN = re.compile(r"^(?P<field>[A-Za-z_][\w.\[\]]*): (?P<why>.*)$", re.S)


def read(data: Any) -> Plan:
    """The plan's JSON as the model; :class:`PlanError` names the field of a fault."""
    if not isinstance(data, dict):
        raise PlanError("", "must be an object")
    if isinstance(data.get("limit"), float) and data["limit"].is_integer():
        data = {**data, "limit": int(data["limit"])}  # JSON has one kind of number: 5.0 is 5
    try:
        return msgspec.convert(data, Plan)
    except msgspec.ValidationError as exc:
        raise _fault(str(exc)) from None


def _fault(message: str) -> PlanError:
    """msgspec's ``why - at `$.filters[1]``` as a :class:`PlanError` on ``filters[1].…``."""
    found = _AT.match(message)
    assert found is not None  # the pattern matches any text
    path = (found["path"] or "").lstrip(".")
    why = found["why"]
    for pattern, said in ((_UNKNOWN, "unknown field"), (_MISSING, "is required")):
        if named := pattern.match(why):
            name = named["name"]
            if name in CHOICES and said == "is required":
                said += f"; choose from {', '.join(CHOICES[name])}"
            return PlanError(_join(path, name), said)
    if own := _OWN.match(why):  # a check of this module: "op: 'x' is not one of …"
        return PlanError(_join(path, own["field"]), own["why"])
    for pattern, said in _PLAIN:
        if plain := pattern.match(why):
            return PlanError(path, said.format(*plain.groups()))
    why = why.replace("`", "")
    return PlanError(path, why[:1].lower() + why[1:])


_PLAIN = (
    (re.compile(r"^Expected `array` of length <= (\d+)$"), "at most {} items"),
    (re.compile(r"^Expected `array` of length >= (\d+)$"), "at least {} items"),
    (re.compile(r"^Expected `int` >= (\S+)$"), "must be a whole number, at least {}"),
    (re.compile(r"^Expected `int` <= (\S+)$"), "must be a whole number, at most {}"),
    (re.compile(r"^Expected `str` of length >= 1$"), "must not be empty"),
    (re.compile(r"^Expected `str` matching regex .*$"), "must not be blank"),
)
"""msgspec's words for a broken constraint, as this API says them."""


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _inline(schema: Any, defs: dict[str, S]) -> Any:
    """The schema with each ``$ref`` written out: the plan's schema stands alone wherever
    it is put (in OpenAPI's request body, in an MCP tool's input), and has no cycle."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[1]], defs)
        out = {k: _inline(v, defs) for k, v in schema.items() if k not in ("title", "default")}
        if out.get("required") == []:
            del out["required"]
        if isinstance(out.get("description"), str):  # a class's docstring, as one line
            out["description"] = " ".join(out["description"].split())
        options = out.get("anyOf", [])
        if options and all(set(o) == {"type"} for o in options):  # int | float | str
            types = [o["type"] for o in options]
            del out["anyOf"]
            out["type"] = [t for t in types if t != "integer" or "number" not in types]
            if len(out["type"]) == 1:
                out["type"] = out["type"][0]
        return out
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


def json_schema(kind: type[msgspec.Struct]) -> S:
    """The JSON Schema of a model, standing alone."""
    (found,), defs = msgspec.json.schema_components([kind])
    schema: S = _inline(found, defs)
    return schema


PLAN: S = json_schema(Plan)
"""The plan's JSON Schema."""
FIELDS: dict[str, str] = {name: s.get("description", "") for name, s in PLAN["properties"].items()}
"""Each plan field and its meaning, in the model's order (docs/analytics.md's table)."""
