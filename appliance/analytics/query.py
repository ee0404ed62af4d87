"""One plan's query: SQL compiled from the plan alone, and the shaping of its answer.

Identifiers come from the dataset's own column names (quoted); every value is a bound
parameter. The query reads one Parquet file — the caller's organization's copy of
one dataset — so there is nothing else it could reach or change. The counts, sums,
medians, quantiles, groups, differences and rankings are here; correlation and the
fits are in regression.py, time-to-event statistics in survival_plans.py, both built
on this module's :class:`_Query`; engine.py runs a plan on DuckDB and chooses which.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from appliance.analytics.datasets import EXACT_FLOAT, ColumnProfile, Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, GroupBy, Plan, Predictor
from appliance.analytics.plan_words import describe
from appliance.analytics.profiling import finite
from appliance.analytics.quoting import literal as _literal
from appliance.analytics.quoting import path_literal
from appliance.analytics.quoting import quote as _quote

if TYPE_CHECKING:  # imported where used: 36 MB a server that only receives files never needs
    import duckdb

MAX_ROWS = 1000
TIME_LIMIT_S = 20.0
FIT_MEMORY = 128 * 2**20
"""Bytes of values one logistic fit may hold (rows * (predictors + 1) * 8): 1M rows and
15 predictors. Fetching them briefly needs about as much again inside DuckDB; a plan
that needs more is refused, never fitted on a sample."""
EMPTY = "(empty)"
INEXACT = ("mean", "median", "stddev", "percentile", "iqr")
"""Statistics computed in 64-bit floats: never of a column of whole numbers past 64 bits,
whose values a float would round (min, max, sum and counts of it are exact)."""


@dataclass
class Result:
    sql: str
    columns: list[str]
    rows: list[list[Any]]
    answer: Any
    truncated: bool = False
    caveats: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    kept: int | None = None
    """Rows meeting the plan's filters: the count the interpretation states."""
    figure: list[Any] | None = None
    """A survival curve's series for its picture (survival_svg.Series), never in JSON."""


class _Query:
    """One plan's SQL, built piece by piece, and the shaping of what it returns."""

    def __init__(
        self,
        plan: Plan,
        dataset: Dataset,
        deadline: float,
        time_limit: float,
        fit_memory: int,
    ) -> None:
        self.plan = plan
        self.dataset = dataset
        self.deadline = deadline
        self.time_limit = time_limit
        self.fit_memory = fit_memory
        self.source = f"read_parquet({path_literal(dataset.path)}, file_row_number = true)"
        odd = [c for c in dataset.columns if c.non_finite]
        if odd:  # inf, -inf and NaN in the file are empty values in every answer
            swaps = ", ".join(f"{finite(c.name, c.storage)} AS {_quote(c.name)}" for c in odd)
            self.source = f"(SELECT * REPLACE ({swaps}) FROM {self.source})"
        self.params: list[Any] = []
        self.caveats: list[str] = []
        self.counted: int | None = None
        """Rows meeting the filters, where a side query has counted them."""

    def col(self, name: str) -> ColumnProfile:
        col = self.dataset.column(name)
        assert col is not None  # the plan was checked against these columns
        return col

    def refuse_rounding(self) -> None:
        """A float statistic of a column of whole numbers past 64 bits would round its
        values: refused, never answered approximately."""
        p = self.plan
        used: list[str | None] = []
        if p.statistic in INEXACT or (p.statistic == "difference" and p.of in INEXACT):
            used.append(p.column)
        if p.statistic == "linear_regression" or (
            p.statistic == "correlation" and p.method != "spearman"
        ):
            used += [p.column, p.x]
        if p.statistic == "logistic_regression":
            used += [pr.column for pr in p.predictors if pr.condition is None]
        for name in used:
            if name and self.col(name).wide:
                raise Unanswerable(
                    f"{name} holds whole numbers past 64 bits; the {describe(p)} would be"
                    " computed in 64-bit floats, which round them (its count, min, max, sum"
                    " and rankings are exact)"
                )

    # -- pieces ----------------------------------------------------------------------

    def ref(self, name: str) -> str:
        return _quote(name)

    def num(self, name: str) -> str:
        """A numeric expression of the column (booleans as 0/1)."""
        col = self.col(name)
        return f"CAST({_quote(name)} AS DOUBLE)" if col.storage == "BOOLEAN" else _quote(name)

    def predicate(self, f: Filter) -> str:
        col = self.col(f.column)
        expr = _quote(f.column)
        if f.op == "is_null":
            return f"{expr} IS NULL"
        if f.op == "not_null":
            return f"{expr} IS NOT NULL"
        if f.part:
            expr = f"{f.part}({expr})"
            kind = "number"
        elif col.type == "date":
            expr, kind = f"CAST({expr} AS DATE)", "date"
        elif col.storage == "BOOLEAN":
            expr, kind = f"CAST({expr} AS INTEGER)", "number"
        elif col.storage == "VARCHAR":
            expr, kind = f"lower({expr})", "text"
        elif col.whole:
            kind = "whole"
        else:
            kind = "number"
        if f.op == "contains":
            slot = self.bind(str(f.values[0]).lower())
            return f"contains(lower(CAST({_quote(f.column)} AS VARCHAR)), {slot})"
        slots = [self.value(v, kind) for v in f.values]
        if f.op == "in":
            return f"{expr} IN ({', '.join(slots)})"
        if f.op == "between":
            return f"{expr} BETWEEN {slots[0]} AND {slots[1]}"
        if f.op == "not_between":  # below the first or above the second; never an empty value
            return f"({expr} < {slots[0]} OR {expr} > {slots[1]})"
        return f"{expr} {'<>' if f.op == '!=' else f.op} {slots[0]}"

    def bind(self, v: Any) -> str:
        """A numbered parameter: a fragment may appear twice in the SQL with one binding."""
        self.params.append(v)
        return f"${len(self.params)}"

    def value(self, v: Any, kind: str) -> str:
        if kind == "text":
            return self.bind(str(v).lower())
        if kind == "date":
            return f"CAST({self.bind(str(v))} AS DATE)"
        if kind == "whole" and isinstance(v, float):
            # DuckDB compares whole numbers with a float as two floats: 1e18 would equal
            # 10^18 + 1. A whole float below 2^53 is that whole number; a fraction there
            # compares exactly (no whole number past 2^53 rounds onto it); a larger float
            # stands for many whole numbers.
            if abs(v) >= EXACT_FLOAT:
                raise Unanswerable(
                    f"{v!r} is a float past 2^53, which stands for many whole numbers; compare"
                    " this column with a whole number (up to 64 bits)"
                )
            return self.bind(int(v) if v.is_integer() else v)
        return self.bind(v)

    def where(self, filters: tuple[Filter, ...], extra: str | None = None) -> str:
        parts = [self.predicate(f) for f in filters]
        if extra:
            parts.append(extra)
        return f" WHERE {' AND '.join(parts)}" if parts else ""

    def fit_inputs(self, predictors: tuple[Predictor, ...]) -> tuple[list[str], set[str]]:
        """A fit's predictors as SQL (an indicator, 1.0 or 0.0, for a condition; the
        number otherwise) and the columns they read, which a row must hold to be fitted.
        Its conditions bind their values here, in order: call it where they belong."""
        inputs: list[str] = []
        needed: set[str] = set()
        for pr in predictors:
            if pr.condition is not None:
                inputs.append(f"CASE WHEN {self.predicate(pr.condition)} THEN 1.0 ELSE 0.0 END")
            else:
                inputs.append(self.num(pr.column))
            needed.add(pr.column)
        return inputs, needed

    def percentage_rows(self, also: str | None) -> tuple[str, str]:
        """A percentage's denominator rows (``also``, and the condition's columns known:
        rows whose condition column is empty are neither in nor out) and its condition,
        as SQL. Disclosure control counts the same rows the engine divides."""
        hit = self.all_of(self.plan.condition)
        known = (
            " AND ".join(
                f"{_quote(f.column)} IS NOT NULL"
                for f in self.plan.condition
                if f.op not in ("is_null", "not_null")
            )
            or "TRUE"
        )
        return (f"{also} AND {known}" if also else known), hit

    def all_of(self, filters: tuple[Filter, ...]) -> str:
        return " AND ".join(f"({self.predicate(f)})" for f in filters) or "TRUE"

    def aggregate(self, statistic: str, also: str | None = None, at: float | None = None) -> str:
        """The SQL aggregate of ``statistic``; ``also`` narrows its rows, ``at`` a percentile."""
        p = self.plan
        at = p.percentile if at is None and isinstance(p.percentile, float) else at
        flt = f" FILTER (WHERE {also})" if also else ""
        if statistic == "count":
            return f"count(*){flt}"
        if statistic == "percentage":
            base, hit = self.percentage_rows(also)
            return (
                f"100.0 * count(*) FILTER (WHERE {base} AND {hit})"
                f" / NULLIF(count(*) FILTER (WHERE {base}), 0)"
            )
        assert p.column is not None
        m = self.num(p.column)
        return {
            "count_distinct": f"count(DISTINCT {_quote(p.column)}){flt}",
            "null_count": f"(count(*){flt} - count({_quote(p.column)}){flt})",
            "sum": f"sum({m}){flt}",
            "mean": f"avg({m}){flt}",
            "median": f"quantile_cont({m}, 0.5){flt}",
            "min": f"min({m}){flt}",
            "max": f"max({m}){flt}",
            "stddev": f"stddev_samp({m}){flt}",
            "percentile": f"quantile_cont({m}, {float(at or 0) / 100!r}){flt}",
            # Q3 - Q1, each interpolated linearly (as numpy, R type 7 and percentile).
            "iqr": f"(quantile_cont({m}, 0.75){flt} - quantile_cont({m}, 0.25){flt})",
        }[statistic]

    def group_expr(self, g: GroupBy) -> str:
        if g.bin == "month":
            return f"strftime(CAST({_quote(g.column)} AS DATE), '%Y-%m')"
        if g.bin == "year":
            return f"year({_quote(g.column)})"
        return _quote(g.column)

    # -- statistics ------------------------------------------------------------------

    def single(self, conn: duckdb.DuckDBPyConnection) -> Result:
        sql = f"SELECT {self.aggregate(self.plan.statistic)} AS value FROM {self.source}"
        sql += self.where(self.plan.filters)
        rows = self.fetch(conn, sql)
        if rows and isinstance(rows[0][0], float) and math.isnan(rows[0][0]):
            raise Unanswerable(f"the {describe(self.plan)} is not a number: the values overflow")
        value = _number(rows[0][0]) if rows else None
        if value is None and self.plan.statistic not in ("count", "null_count"):
            raise Unanswerable("no rows meet the conditions, so there is nothing to compute")
        self.note_empty(conn)
        return self.result(sql, ["value"], rows, value)

    def grouped(self, conn: duckdb.DuckDBPyConnection) -> Result:
        p = self.plan
        statistic = "count" if p.statistic == "crosstab" else p.statistic
        keys = [self.group_expr(g) for g in p.group_by]
        names = [g.column if not g.bin else f"{g.bin}_of_{g.column}" for g in p.group_by]
        select = ", ".join(f"{k} AS {_quote(n)}" for k, n in zip(keys, names, strict=True))
        order = ", ".join(f"{i + 1} NULLS LAST" for i in range(len(keys)))
        if p.order:
            order = f"value {p.order.upper()} NULLS LAST, {order}"
        limit = p.limit or MAX_ROWS
        ranked = self.ranked_groups() if p.limit is not None else None
        sql = (
            f"SELECT {select}, {self.aggregate(statistic)} AS value FROM {self.source}"
            f"{self.where(p.filters, ranked)} GROUP BY ALL ORDER BY {order} LIMIT {limit + 1}"
        )
        rows = self.fetch(conn, sql)
        truncated = len(rows) > limit and p.limit is None
        if p.limit is not None and len(rows) > limit and rows[limit][-1] == rows[limit - 1][-1]:
            self.caveats.append(
                f"ties at the cut: {self.key(0, rows[limit][0])} has the same value as"
                f" {self.key(0, rows[limit - 1][0])}"
            )
        rows = rows[:limit]
        if p.limit is not None:  # "which ward has the most admissions": the groups, in order
            self.note_empty(conn)
            result = self.result(sql, [*names, "value"], rows, [self.key(0, r[0]) for r in rows])
            result.chart = {"type": "bar", "x": names[0], "y": "value"}
            return result
        answer: dict[str, Any] = {}
        for row in rows:
            value = _number(row[-1])
            if len(keys) == 1:
                answer[self.key(0, row[0])] = value
            else:
                answer.setdefault(self.key(0, row[0]), {})[self.key(1, row[1])] = value
        if any(r[i] is None for r in rows for i in range(len(keys))):
            self.caveats.append(f"rows with an empty group value form the group {EMPTY!r}")
        self.note_empty(conn)
        result = self.result(sql, [*names, "value"], rows, answer, truncated)
        result.chart = {"type": "bar", "x": names[0], "y": "value"}
        if len(names) == 2:
            result.chart["series"] = names[1]
        return result

    def ranked_groups(self) -> str | None:
        """Groups ranked ("which ward has the most"): rows with an empty group value are
        left out, unless the plan asks for them (a filter ``is_null`` on the column);
        else the "(empty)" group, often the largest, would win."""
        asked = {f.column for f in self.plan.filters if f.op == "is_null"}
        left_out = [g.column for g in self.plan.group_by if g.column not in asked]
        for name in left_out:
            if self.col(name).nulls:
                self.caveats.append(f"rows with an empty {name} are left out of the ranking")
        return " AND ".join(f"{_quote(n)} IS NOT NULL" for n in left_out) or None

    def key(self, i: int, value: Any) -> str:
        """A group's name in the answer: its value, or the dictionary's label for it (the
        plan and ``rows`` keep the value)."""
        g = self.plan.group_by[i]
        labels = {} if g.bin else self.dataset.dictionary.get(g.column, {}).get("value_labels")
        name = _key(value)
        if labels and name in labels:
            said = f"{g.column}'s groups are named by their labels in the data dictionary"
            if said not in self.caveats:
                self.caveats.append(said)
            return str(labels[name])
        return name

    def difference(self, conn: duckdb.DuckDBPyConnection) -> Result:
        p = self.plan
        assert p.of is not None
        pair = p.percentile if isinstance(p.percentile, tuple) else None  # 90th minus 10th
        sides = [(None, at) for at in pair] if pair else [(self.all_of(g), None) for g in p.groups]
        a_sql, b_sql = (self.aggregate(p.of, also, at) for also, at in sides)
        sql = f"SELECT {a_sql} AS a, {b_sql} AS b FROM {self.source}{self.where(p.filters)}"
        (a, b), *_ = self.fetch(conn, sql) or [[None, None]]
        a, b = _number(a), _number(b)
        names = [" and ".join(f.describe() for f in g) for g in p.groups]
        names = [f"{at:g}th percentile" for at in pair] if pair else names
        if pair and a is None:
            raise Unanswerable(f"no rows with a value of {p.column}: nothing to compute")
        if a is None or b is None:
            empty = names[0] if a is None else names[1]
            raise Unanswerable(f"no rows in the group where {empty}: nothing to compare")
        self.note_empty(conn)
        rows = [[names[0], a], [names[1], b]]
        return self.result(sql, ["group", "value"], rows, a - b)

    def ranked(self, conn: duckdb.DuckDBPyConnection) -> Result:
        p = self.plan
        label = p.label or self.default_label()
        label_sql = _quote(label) if label else "file_row_number + 1"
        label_name = label or "row"
        if p.statistic == "list":
            limit = p.limit or 100
            sql = (
                f"SELECT {label_sql} AS {_quote(label_name)} FROM {self.source}"
                f"{self.where(p.filters)} ORDER BY file_row_number LIMIT {limit + 1}"
            )
            rows = self.fetch(conn, sql)
            truncated = len(rows) > limit
            rows = rows[:limit]
            if truncated:
                self.caveats.append(f"only the first {limit} matching rows are listed")
            return self.result(sql, [label_name], rows, [_plain(r[0]) for r in rows], truncated)
        assert p.column is not None and p.limit is not None
        direction = "DESC" if p.statistic == "top" else "ASC"
        m = self.num(p.column)
        sql = (
            f"SELECT {label_sql} AS {_quote(label_name)}, {m} AS {_quote(p.column)}"
            f" FROM {self.source}{self.where(p.filters, f'{m} IS NOT NULL')}"
            f" ORDER BY 2 {direction}, file_row_number LIMIT {p.limit + 1}"
        )
        rows = self.fetch(conn, sql)
        if len(rows) > p.limit and rows[p.limit][1] == rows[p.limit - 1][1]:
            self.caveats.append(
                f"ties at the cut: other rows have the same {p.column} ({_plain(rows[p.limit][1])})"
                f" as the last one listed; the first in the file were kept"
            )
        rows = rows[: p.limit]
        if p.order and (p.order == "asc") != (direction == "ASC"):
            rows = rows[::-1]
        if label is None:
            self.caveats.append("rows are named by their position in the file (no id column)")
        self.note_empty(conn)
        result = self.result(sql, [label_name, p.column], rows, [_plain(r[0]) for r in rows])
        result.chart = {"type": "bar", "x": label_name, "y": p.column}
        return result

    def default_label(self) -> str | None:
        ids = [c for c in self.dataset.columns if c.type == "identifier"]
        return ids[0].name if ids else None

    # -- shared ------------------------------------------------------------------

    def fetch(
        self, conn: duckdb.DuckDBPyConnection, sql: str, limit: int = MAX_ROWS + 1
    ) -> list[list[Any]]:
        cursor = conn.execute(sql, self.params)
        return [list(r) for r in cursor.fetchmany(limit)]

    def side_query(self, conn: duckdb.DuckDBPyConnection, select: str) -> tuple[Any, ...]:
        """``select`` over the same filtered rows, with bindings of its own: the main
        query's stay as they are, for the SQL the answer shows."""
        saved, self.params = self.params, []
        try:
            sql = f"SELECT {select} FROM {self.source}{self.where(self.plan.filters)}"
            return conn.execute(sql, self.params).fetchone() or ()
        finally:
            self.params = saved

    def kept(self, conn: duckdb.DuckDBPyConnection) -> int:
        """Rows meeting the filters, which a person checks an answer against (counted
        with the empty values where those were counted: one query less)."""
        if not self.plan.filters:
            return self.dataset.row_count
        if self.counted is None:
            (self.counted,) = self.side_query(conn, "count(*)")
        return int(self.counted)

    def note_empty(self, conn: duckdb.DuckDBPyConnection) -> None:
        """Say how many of the selected rows had no value for each column the answer used.

        Group columns are left out: their empty values form the group "(empty)".
        """
        p = self.plan
        used: list[str] = []
        if p.statistic not in ("count", "count_distinct", "null_count", "crosstab"):
            used = [c for c in (p.column, p.x) if c] + [f.column for f in p.condition]
        grouped = {g.column for g in p.group_by}
        used = [c for c in dict.fromkeys(used) if c not in grouped]
        if not used:
            return
        row = self.side_query(
            conn, ", ".join(["count(*)", *(f"count(*) - count({_quote(c)})" for c in used)])
        )
        self.counted, *empty = row
        for name, n in zip(used, empty, strict=False):
            if n:
                self.caveats.append(f"{n} rows with an empty {name} were skipped")

    def check_deadline(self) -> None:
        """The query's time limit, for work DuckDB's interrupt does not reach (a fit)."""
        if time.monotonic() > self.deadline:
            raise Unanswerable(f"the query took longer than {self.time_limit:g} s")

    def note_non_finite(self) -> None:
        p = self.plan
        used = [p.column, p.x, p.label, *(g.column for g in p.group_by)]
        used += [f.column for f in (*p.filters, *p.condition, *(f for g in p.groups for f in g))]
        used += [pr.column for pr in p.predictors]
        for name in dict.fromkeys(c for c in used if c):
            n = self.col(name).non_finite
            if n:
                self.caveats.append(
                    f"{n} values of {name} in the file are not finite numbers (inf, -inf or"
                    " NaN): they are treated as empty"
                )

    def result(
        self,
        sql: str,
        columns: list[str],
        rows: list[list[Any]],
        answer: Any,
        truncated: bool = False,
    ) -> Result:
        _finite(answer)
        shown = [[_plain(v) for v in r] for r in rows]
        _finite(shown)
        if _past_floats(answer):
            self.caveats.append(
                "the answer has whole numbers past 2^53, given with every digit: read them as"
                " big integers (a JSON reader into 64-bit floats rounds them)"
            )
        self.note_non_finite()
        shown_sql = sql.replace(self.source, _quote(self.dataset.name))  # no server paths
        return Result(
            sql=_display_sql(shown_sql, self.params),
            columns=columns,
            rows=shown,
            answer=answer,
            truncated=truncated,
            caveats=self.caveats,
        )


_OVERFLOW = "is past the largest number a 64-bit float holds"


def _megabytes(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def _number(value: Any) -> Any:
    """Full precision; whole floats of counts stay ints; NaN (undefined) is no answer,
    and an infinite result (a sum past the largest float) is refused, never shown."""
    if isinstance(value, float) and math.isinf(value):
        raise Unanswerable(f"the result {_OVERFLOW}")
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)  # whole numbers past 64 bits, exactly
    if hasattr(value, "__float__") and not isinstance(value, int | float | bool):
        return float(value)  # Decimal
    return value


def _past_floats(value: Any) -> bool:
    """Whether ``value`` holds a whole number a 64-bit float cannot hold exactly."""
    if isinstance(value, dict):
        return any(_past_floats(v) for v in value.values())
    if isinstance(value, list):
        return any(_past_floats(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > EXACT_FLOAT


def _finite(value: Any) -> None:
    """Refuse an answer that holds ±inf or NaN: JSON has no such numbers, and no
    statistic of finite values should give one (an overflow would)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise Unanswerable(f"the result {_OVERFLOW}")
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for v in value:
            _finite(v)


def _key(value: Any) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(_plain(value))


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)  # whole numbers past 64 bits, exactly
    if hasattr(value, "__float__"):
        return float(value)
    return str(value)


def _display_sql(sql: str, params: list[Any]) -> str:
    """The SQL as run, its parameters written in, for a person to read."""

    def literal(found: re.Match[str]) -> str:
        value = params[int(found.group(1)) - 1]
        if isinstance(value, int | float):
            return repr(value)
        return _literal(str(value))

    return re.sub(r"\$(\d+)", literal, sql)
