"""Disclosure control: answers that do not single out a patient (docs/privacy.md).

Each organization has a ``min_cell_size`` k (11 unless an operator sets another; 0
turns control off). A principal with the scope ``rows`` (record-level access, granted
by an operator) gets exact answers; every other principal's answers pass through here,
after the engine computes and before the answer is shaped, for questions, plans, MCP
tools and event streams alike (service.execute is their one way to an answer):

- :func:`admit`, before anything runs: record-level statistics (``list``, ``top``,
  ``bottom``, ``min``, ``max``) and picking out values of an identifier or free-text
  column are refused (:class:`RecordLevel`, 403 naming the scope); a filter that leaves
  fewer than k rows *out* (the complement attack) is refused (422).
- :func:`control`, on the computed result: a count from 1 to k-1 is withheld (null,
  listed in ``suppressed``); any other statistic needs at least k rows behind each
  value; a percentage needs its numerator, denominator and their difference each 0 or
  at least k; grouped answers and crosstabs get complementary suppression, so that no
  withheld cell can be solved from the published cells and the totals.
- :func:`profile`: a dataset's profile without category counts below k and without
  min/max (one patient's value).

The numbers behind each value (rows per group, numerators, denominators) are counted
here with a query of their own over the same rows as the plan's, compiled by the
engine's own pieces, so that the engine's answer and the counts cannot disagree on
which rows a filter keeps.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from appliance.analytics import differencing, engine
from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import AnalyticsError, Unanswerable
from appliance.analytics.plan import Filter, Plan
from appliance.analytics.plan_terms import SURVIVAL_STATISTICS
from appliance.analytics.quoting import quote as _q
from appliance.db import DB

ROWS_SCOPE = "rows"
RECORD_LEVEL = ("list", "top", "bottom", "min", "max")
"""Statistics that show one patient's value or identity: only with the scope ``rows``."""
COUNTS = ("count", "null_count", "crosstab")
"""Statistics whose values are counts of rows: withheld from 1 to k-1, 0 shown."""
ADDITIVE = ("count", "null_count", "crosstab", "sum")
"""Grouped statistics whose cells add up to a total another question can ask for."""
NAMING_TYPES = ("identifier", "text")
"""Columns whose values name a person (an id, a name): never grouped by, never picked
out by value, without ``rows``."""
SUPPORT_LIMIT = 100_000
"""Groups counted for the rows behind a grouped answer (the engine shows at most 1000)."""

# The reasons a value is withheld, as ``suppressed[].reason``.
SMALL_COUNT = "small_count"
FEW_ROWS = "few_rows"
SMALL_PART = "small_part"
COMPLEMENTARY = "complementary"


class RecordLevel(AnalyticsError):
    """A plan that would show record-level data to a principal without ``rows``."""


@dataclass(frozen=True)
class Policy:
    """The organization's k and whether the principal has record-level access."""

    min_cell_size: int
    rows: bool

    @property
    def active(self) -> bool:
        """Anything to control? (k = 0 or 1 withholds nothing, as does ``rows``.)"""
        return not self.rows and self.min_cell_size > 1

    @property
    def k(self) -> int:
        return self.min_cell_size


EXACT = Policy(0, True)
"""No control: what callers inside the appliance (and tests of the engine) use."""


@dataclass
class Controlled:
    """What :func:`control` withheld, and the answer as the summary should word it."""

    suppressed: list[dict[str, str]] = field(default_factory=list)
    shown: Any = None


def _needs_rows(what: str) -> RecordLevel:
    return RecordLevel(
        f"{what} needs the scope 'rows' (record-level access), which this credential lacks;"
        " an operator grants it with hpx key issue ORG --scopes query,rows or"
        " hpx user rows ORG EMAIL on"
    )


# -- before the plan runs --------------------------------------------------------------


def admit(
    plan: Plan, dataset: Dataset, policy: Policy, db: DB | None = None, org_id: str = ""
) -> None:
    """Refuse what no suppression can make safe, before anything is computed; with the
    metadata database, also an answer whose rows differ from a recent one's by 1 to
    k-1 (analytics/differencing.py), and remember this one's."""
    if not policy.active:
        return
    if plan.statistic in RECORD_LEVEL:
        raise _needs_rows(f"'{plan.statistic}' shows single rows' values or identities: it")
    if plan.statistic in SURVIVAL_STATISTICS:
        raise _needs_rows(
            f"'{plan.statistic}' rests on single patients' event times (each step of a"
            " Kaplan-Meier curve is one patient's event, its median one patient's time): it"
        )
    if plan.statistic == "difference" and plan.of in RECORD_LEVEL:
        raise _needs_rows(f"a difference of {plan.of}s shows single rows' values: it")
    if {0.0, 100.0} & set(_percentiles(plan)):
        raise _needs_rows(
            "the 0th or 100th percentile is the minimum or maximum, one row's value: it"
        )
    for g in plan.group_by:
        if _naming(dataset, g.column):
            raise _needs_rows(f"grouping by {g.column} (it names single rows)")
    for f in _all_filters(plan):
        if _naming(dataset, f.column) and f.op not in ("is_null", "not_null"):
            raise _needs_rows(f"picking rows by their {f.column} (it names single rows)")
    _refuse_complements(plan, dataset, policy.k)
    if db is not None:
        differencing.guard(db, org_id, dataset, _selected_rows(plan, dataset), policy.k)


def _percentiles(plan: Plan) -> tuple[float, ...]:
    """The percentiles a plan computes (one, or a difference's two)."""
    if "percentile" not in (plan.statistic, plan.of) or plan.percentile is None:
        return ()
    return plan.percentile if isinstance(plan.percentile, tuple) else (plan.percentile,)


def _naming(dataset: Dataset, column: str) -> bool:
    col = dataset.column(column)
    return col is not None and col.type in NAMING_TYPES


def _all_filters(plan: Plan) -> Iterable[Filter]:
    yield from plan.filters
    yield from plan.condition
    for side in plan.groups:
        yield from side
    for p in plan.predictors:
        if p.condition is not None:
            yield p.condition


def _refuse_complements(plan: Plan, dataset: Dataset, k: int) -> None:
    """A filter that leaves 1 to k-1 rows out describes everyone but those few: the
    same statistic of everyone, asked next, would give theirs away."""
    if not plan.filters and not plan.groups:
        return
    sides = list(plan.groups)

    def build(q: engine._Query) -> str:
        kept = q.all_of(plan.filters)
        parts = ["count(*)", f"count(*) FILTER (WHERE {kept})"]
        parts += [f"count(*) FILTER (WHERE {kept} AND {q.all_of(side)})" for side in sides]
        return f"SELECT {', '.join(parts)} FROM {q.source}"

    (total, kept, *side_counts), *_ = _fetch(plan, dataset, build)
    if 0 < total - kept < k:
        raise Unanswerable(
            f"the filters leave fewer than {k} of the dataset's rows out: an answer about"
            " nearly everyone, set beside one about everyone, describes those few (the"
            " organization's disclosure control refuses it; ask about the few rows"
            " directly, or with the scope 'rows')"
        )
    for side, n in zip(sides, side_counts, strict=True):
        if 0 < kept - n < k:
            where = " and ".join(f.describe() for f in side)
            raise Unanswerable(
                f"the group where {where} leaves fewer than {k} of the selected rows out:"
                " compared with all of them it would describe those few (the"
                " organization's disclosure control refuses it)"
            )


# -- after the plan ran ----------------------------------------------------------------


def control(plan: Plan, dataset: Dataset, result: engine.Result, policy: Policy) -> Controlled:
    """Withhold, in ``result`` itself, every value the policy does not let out."""
    if not policy.active:
        return Controlled([], result.answer)
    k = policy.k
    if plan.group_by or plan.statistic == "crosstab":
        return _grouped(plan, dataset, result, k)
    reason = _single_reason(plan, dataset, result, k)
    if reason is None:
        _tidy_caveats(result, k, withheld=False)
        return Controlled([], result.answer)
    result.answer = None
    result.rows = [[v if isinstance(v, str) else None for v in r] for r in result.rows]
    _tidy_caveats(result, k, withheld=True)
    words = _words(reason, k)
    if plan.statistic == "difference" and plan.groups:  # the difference is no count of fewer
        words = f"not shown (a group of fewer than {k} rows)"
    return Controlled([{"path": "/answer", "reason": reason}], words)


def _single_reason(plan: Plan, dataset: Dataset, result: engine.Result, k: int) -> str | None:
    s = plan.statistic
    if s in COUNTS:
        return SMALL_COUNT if _small(result.answer, k) else None
    if s == "percentage":
        num, den = _fetch_one(plan, dataset, lambda q: _fraction(q, None))
        return SMALL_PART if _bad_fraction(num, den, k) else None
    if s == "difference":
        return _difference_reason(plan, dataset, k)
    if s in ("correlation", "linear_regression"):
        assert plan.column and plan.x
        both = f"{_q(plan.column)} IS NOT NULL AND {_q(plan.x)} IS NOT NULL"
        (n,) = _fetch_one(plan, dataset, lambda q: f"count(*) FILTER (WHERE {both})")
        return FEW_ROWS if n < k else None
    if s == "logistic_regression":
        n, events = _fetch_one(plan, dataset, lambda q: _logistic_support(q, plan))
        return FEW_ROWS if n < k or _bad_fraction(events, n, k) else None
    (n,) = _fetch_one(plan, dataset, lambda q: _behind(plan))
    return FEW_ROWS if n < k else None


def _difference_reason(plan: Plan, dataset: Dataset, k: int) -> str | None:
    of = plan.of or "count"
    if not plan.groups:  # two percentiles of the same rows: those with a value, as one
        (n,) = _fetch_one(plan, dataset, lambda q: _behind(plan))
        return FEW_ROWS if n < k else None

    def build(q: engine._Query) -> str:
        parts = []
        for side in plan.groups:
            also = q.all_of(side)
            if of == "percentage":
                parts.append(_fraction(q, also))
            elif of == "count":
                parts.append(f"count(*) FILTER (WHERE {also})")
            else:
                parts.append(f"count({_q(plan.column or '')}) FILTER (WHERE {also})")
        return ", ".join(parts)

    values = _fetch_one(plan, dataset, build)
    if of == "percentage":
        a_num, a_den, b_num, b_den = values
        bad = _bad_fraction(a_num, a_den, k) or _bad_fraction(b_num, b_den, k)
        return SMALL_PART if bad else None
    if of == "count":
        return SMALL_COUNT if any(_small(n, k) for n in values) else None
    return FEW_ROWS if any(n < k for n in values) else None


def _grouped(plan: Plan, dataset: Dataset, result: engine.Result, k: int) -> Controlled:
    """Primary suppression per cell, then complementary suppression (smallest first)."""
    width = len(plan.group_by)
    s = "count" if plan.statistic == "crosstab" else plan.statistic
    support = _group_support(plan, dataset, s)
    primary: dict[tuple[str, ...], str] = {}
    weight: dict[tuple[str, ...], float] = {}
    for key, numbers in support.items():
        if s in ("count", "null_count"):
            n = numbers[0] if s == "count" else numbers[1]
            weight[key] = n
            if _small(n, k):
                primary[key] = SMALL_COUNT
        elif s == "percentage":
            num, den = numbers[2], numbers[3]
            weight[key] = den
            if _bad_fraction(num, den, k):
                primary[key] = SMALL_PART
        else:
            weight[key] = numbers[1]
            if _small(numbers[1], k):  # none behind it: the value is already empty
                primary[key] = FEW_ROWS
    withheld = dict(primary)
    if plan.limit is None:  # a ranked list of groups has no published total to solve with
        for key in _complements(weight, set(primary), width, k, additive=s in ADDITIVE):
            withheld[key] = COMPLEMENTARY
    return _withhold_groups(plan, result, withheld, k, width)


def _withhold_groups(
    plan: Plan,
    result: engine.Result,
    withheld: dict[tuple[str, ...], str],
    k: int,
    width: int,
) -> Controlled:
    suppressed: list[dict[str, str]] = []
    rows = []
    for r in result.rows:
        key = tuple(engine._key(v) for v in r[:width])
        rows.append([*r[:width], None] if key in withheld else r)
    result.rows = rows
    if plan.limit is not None:  # the answer lists the groups, in order
        answer = list(result.answer)
        shown = list(answer)
        for i, r in enumerate(result.rows):
            key = tuple(engine._key(v) for v in r[:width])
            if key in withheld and i < len(answer):
                answer[i] = None
                shown[i] = _words(withheld[key], k)
                suppressed.append({"path": f"/answer/{i}", "reason": withheld[key]})
        result.answer = answer
        _tidy_caveats(result, k, withheld=bool(suppressed))
        return Controlled(suppressed, shown)
    answer = json.loads(json.dumps(result.answer))  # a copy, for the summary's words
    shown = json.loads(json.dumps(result.answer))
    for key in sorted(withheld):
        place, words = answer, shown
        for part in key[:-1]:
            place, words = place.get(part), words.get(part)
            if place is None:
                break
        if place is None or key[-1] not in place:
            continue  # a group the answer does not show (past its 1000 groups)
        place[key[-1]] = None
        words[key[-1]] = _words(withheld[key], k)
        suppressed.append({"path": _pointer(key), "reason": withheld[key]})
    result.answer = answer
    _tidy_caveats(result, k, withheld=bool(suppressed))
    return Controlled(suppressed, shown)


def _complements(
    weight: dict[tuple[str, ...], float],
    primary: set[tuple[str, ...]],
    width: int,
    k: int,
    additive: bool,
) -> set[tuple[str, ...]]:
    """More cells to withhold so that no withheld one can be worked out from the rest
    and the totals (of each row, each column and the whole), smallest first: in every
    total with a withheld cell at least two are withheld and together they hold 0 or
    at least k rows; for sums and counts, no withheld cell is fixed by the equations
    of the totals (the linear system is solved to check)."""
    hidden = set(primary)
    if not hidden:
        return set()
    lines: list[list[tuple[str, ...]]] = [list(weight)]
    if width == 2:
        for axis in (0, 1):
            by: dict[str, list[tuple[str, ...]]] = {}
            for key in weight:
                by.setdefault(key[axis], []).append(key)
            lines += list(by.values())
    while True:
        added = False
        for line in lines:
            inside = [c for c in line if c in hidden]
            held = sum(weight[c] for c in inside)
            if inside and (len(inside) == 1 or 0 < held < k):
                pick = _smallest(line, hidden, weight)
                if pick is not None:
                    hidden.add(pick)
                    added = True
        if added:
            continue
        if not additive or width < 2:
            break
        fixed = _determined(lines, hidden)
        if not fixed:
            break
        for cell in fixed:
            options = [line for line in lines[1:] if cell in line]
            picks = [p for line in options if (p := _smallest(line, hidden, weight))]
            if picks:
                hidden.add(min(picks, key=lambda c: (weight[c], c)))
                added = True
                break
        if not added:
            break  # nothing left to withhold beside it
    return hidden - primary


def _smallest(
    line: list[tuple[str, ...]], hidden: set[tuple[str, ...]], weight: dict[tuple[str, ...], float]
) -> tuple[str, ...] | None:
    """The line's smallest cell not yet withheld that holds rows (a 0 hides nothing)."""
    options = [c for c in line if c not in hidden and weight[c] > 0]
    return min(options, key=lambda c: (weight[c], c)) if options else None


def _determined(
    lines: list[list[tuple[str, ...]]], hidden: set[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """Withheld cells whose value the totals' equations fix: e_i in the row space of
    the system, i.e. the null space is zero in coordinate i."""
    import numpy as np

    cells = sorted(hidden)
    at = {c: i for i, c in enumerate(cells)}
    matrix = np.zeros((len(lines), len(cells)))
    for r, line in enumerate(lines):
        for c in line:
            if c in at:
                matrix[r, at[c]] = 1.0
    _u, sv, vt = np.linalg.svd(matrix)
    rank = int((sv > 1e-9).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return cells
    return [c for i, c in enumerate(cells) if np.abs(null[:, i]).max() < 1e-9]


def _tidy_caveats(result: engine.Result, k: int, withheld: bool) -> None:
    """Caveats say how many rows were skipped or fitted: a count, held to the same rule.
    A withheld fit's caveat (its coefficients) goes with it."""
    kept = []
    for caveat in result.caveats:
        if withheld and caveat.startswith(("least-squares line", "logistic regression of")):
            continue
        kept.append(_COUNT_IN_WORDS.sub(lambda m: _fewer(m, k), caveat))
    result.caveats = kept


_COUNT_IN_WORDS = re.compile(r"\b(\d+)(?= (?:rows|values|complete rows|with the outcome)\b)")


def _fewer(found: re.Match[str], k: int) -> str:
    n = int(found.group(1))
    return f"fewer than {k}" if 0 < n < k else found.group(1)


# -- profiles --------------------------------------------------------------------------


def profile(detail: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """A dataset's profile (``Dataset.detail()``) as a principal without ``rows`` sees
    it: no min or max (one patient's value), no count from 1 to k-1."""
    if not policy.active:
        return detail
    k = policy.k
    columns = []
    for column in detail.get("columns", []):
        c = dict(column)
        if "min" in c or "max" in c:
            c["min"] = c["max"] = None
        for name in ("nulls", "non_finite"):
            if _small(c.get(name), k):
                c[name] = None
        if "values" in c:
            c["values"] = [
                v | {"count": None} if _small(v.get("count"), k) else v for v in c["values"]
            ]
        columns.append(c)
    return detail | {"columns": columns}


# -- counting the rows behind values ---------------------------------------------------


def _group_support(plan: Plan, dataset: Dataset, s: str) -> dict[tuple[str, ...], list[Any]]:
    """Per group: [rows, rows with a value, numerator, denominator]."""
    width = len(plan.group_by)

    def build(q: engine._Query) -> str:
        keys = [q.group_expr(g) for g in plan.group_by]
        if s == "null_count":
            valued = f"count(*) - count({_q(plan.column or '')})"
        elif plan.column and s != "count":
            valued = f"count({_q(plan.column)})"
        else:
            valued = "count(*)"
        fraction = _fraction(q, None) if s == "percentage" else "0, 0"
        select = ", ".join(f"{k} AS g{i}" for i, k in enumerate(keys))
        return (
            f"SELECT {select}, count(*), {valued}, {fraction} FROM {q.source}"
            f"{q.where(plan.filters)} GROUP BY ALL LIMIT {SUPPORT_LIMIT}"
        )

    rows = _fetch(plan, dataset, build)
    return {tuple(engine._key(v) for v in r[:width]): list(r[width:]) for r in rows}


def _fraction(q: engine._Query, also: str | None) -> str:
    """The numerator and denominator of a percentage, over the rows the engine divides."""
    base, hit = q.percentage_rows(also)
    return f"count(*) FILTER (WHERE {base} AND {hit}), count(*) FILTER (WHERE {base})"


def _logistic_support(q: engine._Query, plan: Plan) -> str:
    needed = sorted({f.column for f in plan.condition} | {p.column for p in plan.predictors})
    present = " AND ".join(f"{_q(c)} IS NOT NULL" for c in needed) or "TRUE"
    hit = q.all_of(plan.condition)
    return f"count(*) FILTER (WHERE {present}), count(*) FILTER (WHERE {present} AND {hit})"


def _behind(plan: Plan) -> str:
    """The rows behind a single statistic: those with a value of its column."""
    return f"count({_q(plan.column)})" if plan.column else "count(*)"


def _fetch_one(plan: Plan, dataset: Dataset, select: Callable[[engine._Query], str]) -> list[Any]:
    def build(q: engine._Query) -> str:
        chosen = select(q)  # binds its values before the filters do
        return f"SELECT {chosen} FROM {q.source}{q.where(plan.filters)}"

    (row, *_rest) = _fetch(plan, dataset, build)
    return [0 if v is None else v for v in row]


def _selected_rows(plan: Plan, dataset: Dataset) -> Any:
    """The numbers in the file of the rows the plan's filters keep (a numpy array)."""

    def build(q: engine._Query) -> str:
        return f"SELECT file_row_number AS n FROM {q.source}{q.where(plan.filters)}"

    return _fetch(plan, dataset, build, numpy=True)


def _fetch(
    plan: Plan, dataset: Dataset, build: Callable[[engine._Query], str], numpy: bool = False
) -> Any:
    """``build``'s SQL over the plan's dataset, under the engine's time limit."""
    import duckdb

    limit = engine.TIME_LIMIT_S
    q = engine._Query(plan, dataset, time.monotonic() + limit, limit, engine.FIT_MEMORY)
    sql = build(q)
    conn = engine._connection()
    timer = threading.Timer(limit, conn.interrupt)
    timer.start()
    try:
        cursor = conn.execute(sql, q.params)
        if numpy:
            return cursor.fetchnumpy()["n"]
        return [list(r) for r in cursor.fetchall()]
    except duckdb.InterruptException as exc:
        raise Unanswerable(f"the query took longer than {limit:g} s") from exc
    finally:
        timer.cancel()
        conn.close()


# -- small pieces ----------------------------------------------------------------------


def _small(n: Any, k: int) -> bool:
    """A count from 1 to k-1 (0 is shown: nobody to single out)."""
    return isinstance(n, int | float) and not isinstance(n, bool) and 0 < n < k


def _bad_fraction(num: Any, den: Any, k: int) -> bool:
    """A part, its whole and the rest must each be 0 or at least k."""
    num, den = int(num or 0), int(den or 0)
    return _small(num, k) or _small(den, k) or _small(den - num, k)


def _words(reason: str, k: int) -> str:
    if reason == SMALL_COUNT:
        return f"fewer than {k}"
    if reason == FEW_ROWS:
        return f"not shown (fewer than {k} rows)"
    if reason == SMALL_PART:
        return f"not shown (a part of fewer than {k})"
    return "not shown"


def _pointer(key: tuple[str, ...]) -> str:
    """The JSON Pointer (RFC 6901) of a group's value in the answer."""
    return "/answer/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in key)
