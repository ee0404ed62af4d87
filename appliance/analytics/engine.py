"""Reading a question about a table and answering it with one SQL query.

A small, deterministic reader for the questions analysts ask most: counts,
averages, sums, minimums and maximums, optionally per group or over filtered rows,
and top-N rankings. It never guesses silently: every phrase it used is reported in
``interpretation``, every assumption in ``caveats``, and a question it cannot map
to the table's columns is refused with 422 ``unanswerable_question`` naming the
columns it knows. The SQL is built from the table's own column names only (never
from the question's text), and values are bound as parameters.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from appliance.analytics.datasets import Column, Dataset
from appliance.errors import ApiError, ErrorType

MAX_ROWS = 1000

AGGREGATES: list[tuple[str, str, str]] = [
    # (pattern, SQL function, how it reads)
    (r"\b(average|mean|avg)\b", "AVG", "average"),
    (r"\b(total|sum)\b", "SUM", "sum"),
    (r"\b(maximum|max|highest|largest|oldest|most)\b", "MAX", "maximum"),
    (r"\b(minimum|min|lowest|smallest|youngest|least)\b", "MIN", "minimum"),
    (r"\b(how many|count|number of)\b", "COUNT", "count"),
]
COMPARISONS: list[tuple[str, str]] = [
    (r"(?:>=|at least|no less than)", ">="),
    (r"(?:<=|at most|no more than)", "<="),
    (r"(?:>|over|above|greater than|more than|older than|higher than)", ">"),
    (r"(?:<|under|below|less than|younger than|lower than)", "<"),
    (r"(?:=|is|equals|equal to|of)", "="),
]
NUMBER = r"-?\d+(?:\.\d+)?"


@dataclass
class Reading:
    """How a question was read: the pieces of the query and why each is there."""

    dataset: Dataset
    aggregate: str | None = None
    measure: Column | None = None
    group: Column | None = None
    top: int | None = None
    label: Column | None = None
    filters: list[tuple[Column, str, Any]] = field(default_factory=list)
    interpretation: list[dict[str, str]] = field(default_factory=list)

    def note(self, phrase: str, meaning: str) -> None:
        self.interpretation.append({"phrase": phrase, "meaning": meaning})


def choose_dataset(question: str, datasets: list[Dataset], name: str | None) -> Dataset:
    if name is not None:
        for d in datasets:
            if d.name == name:
                return d
        raise ApiError(ErrorType.not_found, f"no dataset {name!r}")
    if not datasets:
        raise ApiError(ErrorType.unanswerable_question, "this organization has no CSV datasets")
    text = _normal(question)
    scored = sorted(datasets, key=lambda d: -sum(_mentions(text, c) for c in d.columns))
    return scored[0]


def read(question: str, dataset: Dataset) -> Reading:
    text = _normal(question)
    reading = Reading(dataset)
    _read_filters(text, reading)
    _read_top(text, reading)
    if reading.top is None:
        _read_group(text, reading)
        _read_aggregate(text, reading)
    if reading.aggregate is None and reading.top is None:
        known = ", ".join(c.name for c in dataset.columns)
        raise ApiError(
            ErrorType.unanswerable_question,
            f"could not tell what to compute; ask for a count, average, sum, minimum, "
            f"maximum or top N of the columns of {dataset.name}: {known}",
        )
    return reading


def to_sql(reading: Reading) -> tuple[str, list[Any]]:
    table = _quote(reading.dataset.name)
    where, params = _where(reading)
    if reading.top is not None:
        assert reading.measure is not None and reading.label is not None
        m, lbl = _quote(reading.measure.name), _quote(reading.label.name)
        sql = (
            f"SELECT {lbl}, {m} FROM {table} WHERE {m} IS NOT NULL{where}"
            f" ORDER BY {m} DESC LIMIT {int(reading.top)}"
        )
        return sql, params
    value = _aggregate_sql(reading)
    if reading.group is not None:
        g = _quote(reading.group.name)
        sql = (
            f"SELECT {g}, {value} AS value FROM {table} WHERE 1 = 1{where}"
            f" GROUP BY {g} ORDER BY {g} LIMIT {MAX_ROWS + 1}"
        )
        return sql, params
    return f"SELECT {value} AS value FROM {table} WHERE 1 = 1{where}", params


def execute(conn: sqlite3.Connection, reading: Reading) -> dict[str, Any]:
    sql, params = to_sql(reading)
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    rows = [list(r) for r in cursor.fetchmany(MAX_ROWS + 1)]
    truncated = len(rows) > MAX_ROWS
    rows = rows[:MAX_ROWS]
    answer = _answer(reading, rows)
    return {
        "sql": _display_sql(sql, params),
        "columns": columns,
        "rows": rows,
        "row_count": len(rows),
        "truncated": truncated,
        "answer": answer,
        "summary": _summary(reading, answer),
        "chart": _chart(reading, columns),
        "caveats": _caveats(conn, reading, truncated),
    }


def plan(reading: Reading) -> list[str]:
    steps = [f"read table {reading.dataset.name} ({reading.dataset.row_count} rows)"]
    for col, op, value in reading.filters:
        steps.append(f"keep rows where {col.name} {op} {value!r}")
    if reading.top is not None:
        assert reading.measure and reading.label
        steps.append(f"sort by {reading.measure.name}, highest first, and keep {reading.top}")
        steps.append(f"report {reading.label.name}")
        return steps
    if reading.group is not None:
        steps.append(f"group rows by {reading.group.name}")
    what = reading.measure.name if reading.measure else "rows"
    steps.append(f"compute the {reading.aggregate and reading.aggregate.lower()} of {what}")
    return steps


# -- reading ---------------------------------------------------------------------


def _read_aggregate(text: str, reading: Reading) -> None:
    for pattern, function, meaning in AGGREGATES:
        found = re.search(pattern, text)
        if not found:
            continue
        measure = _column_after(
            text, found.end(), reading.dataset, numeric=function != "COUNT", exclude=reading.group
        )
        if function == "COUNT":
            reading.aggregate = "COUNT"
            reading.measure = None
            reading.note(found.group(0), "count of rows")
            return
        if measure is None:
            continue  # e.g. "most" without a numeric column: try the next reading
        reading.aggregate, reading.measure = function, measure
        reading.note(found.group(0), f"{meaning} of {measure.name}")
        reading.note(measure.name.replace("_", " "), f"column {measure.name}")
        return


def _read_group(text: str, reading: Reading) -> None:
    found = re.search(r"\b(?:by|per|for each|each|grouped by|broken down by)\s+(\w[\w ]*)", text)
    if not found:
        return
    col = _column_at(found.group(1), reading.dataset)
    if col is not None:
        reading.group = col
        reading.note(
            found.group(0).split()[0] + " " + col.name.replace("_", " "),
            f"one result per {col.name}",
        )


def _read_top(text: str, reading: Reading) -> None:
    found = re.search(r"\btop\s+(\d+)\b", text)
    if not found:
        return
    n = int(found.group(1))
    rest = text[found.end() :]
    by = re.search(r"\bby\s+(\w[\w ]*)", rest)
    measure = _column_at(by.group(1), reading.dataset, numeric=True) if by else None
    if measure is None:
        measure = _column_after(text, found.end(), reading.dataset, numeric=True)
    if measure is None:
        raise ApiError(
            ErrorType.unanswerable_question,
            'a top N needs a numeric column to rank by ("top 5 patients by bmi")',
        )
    label = _label_column(reading.dataset, text, measure)
    reading.top, reading.measure, reading.label = min(n, MAX_ROWS), measure, label
    reading.note(found.group(0), f"the {n} rows with the highest {measure.name}")
    reading.note(f"by {measure.name.replace('_', ' ')}", f"ranked by column {measure.name}")
    reading.note(label.name.replace("_", " "), f"reported as column {label.name}")


def _read_filters(text: str, reading: Reading) -> None:
    for col in reading.dataset.columns:
        spoken = re.escape(col.name.replace("_", " "))
        for pattern, op in COMPARISONS:
            if col.numeric:
                rx = rf"\b{spoken}s?\s+{pattern}\s+({NUMBER})\b"
            elif op == "=":
                # "with sex F", "where site is north": a bare value only after with/where,
                # so that "by sex and site" is never read as sex = 'and'.
                rx = rf"\b(?:with|where|whose)\s+{spoken}\s+(?:{pattern}\s+)?['\"]?([\w\-.]+)"
            else:
                continue
            found = re.search(rx, text)
            if found:
                raw = found.group(1)
                value: Any = (
                    float(raw) if col.numeric and "." in raw else (int(raw) if col.numeric else raw)
                )
                reading.filters.append((col, op, value))
                reading.note(found.group(0), f"only rows where {col.name} {op} {value!r}")
                break


# -- pieces ----------------------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("?", " ").replace(",", " ").split())


def _mentions(text: str, col: Column) -> int:
    return 1 if re.search(rf"\b{re.escape(col.name.replace('_', ' '))}s?\b", text) else 0


def _column_at(fragment: str, dataset: Dataset, numeric: bool = False) -> Column | None:
    """The column named at the start of ``fragment`` (longest name first)."""
    for col in sorted(dataset.columns, key=lambda c: -len(c.name)):
        spoken = col.name.replace("_", " ")
        if re.match(rf"{re.escape(spoken)}s?\b", fragment) and (col.numeric or not numeric):
            return col
    return None


def _column_after(
    text: str, start: int, dataset: Dataset, numeric: bool, exclude: Column | None = None
) -> Column | None:
    """The first column named after position ``start``, else anywhere in the question."""
    best: tuple[int, Column] | None = None
    for col in dataset.columns:
        if (numeric and not col.numeric) or col == exclude:
            continue
        found = re.search(rf"\b{re.escape(col.name.replace('_', ' '))}s?\b", text[start:])
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), col)
    return best[1] if best else None


def _label_column(dataset: Dataset, text: str, measure: Column) -> Column:
    for col in dataset.columns:
        if col != measure and _mentions(text, col) and not col.numeric:
            return col
    for col in dataset.columns:
        if col.name == "id" or col.name.endswith("_id"):
            return col
    return dataset.columns[0]


def _where(reading: Reading) -> tuple[str, list[Any]]:
    parts, params = [], []
    for col, op, value in reading.filters:
        collate = "" if col.numeric else " COLLATE NOCASE"  # "sex f" finds F
        parts.append(f" AND {_quote(col.name)} {op} ?{collate}")
        params.append(value)
    return "".join(parts), params


def _aggregate_sql(reading: Reading) -> str:
    if reading.aggregate == "COUNT":
        return "COUNT(*)"
    assert reading.measure is not None
    inner = f"{reading.aggregate}({_quote(reading.measure.name)})"
    return f"ROUND({inner}, 2)" if reading.aggregate == "AVG" else inner


def _answer(reading: Reading, rows: list[list[Any]]) -> Any:
    if reading.top is not None:
        return [r[0] for r in rows]
    if reading.group is not None:
        return {str(r[0]) if r[0] is not None else "(empty)": r[1] for r in rows}
    return rows[0][0] if rows else None


def _summary(reading: Reading, answer: Any) -> str:
    table = reading.dataset.name
    if reading.top is not None:
        assert reading.measure and reading.label
        shown = ", ".join(map(str, answer)) or "none"
        return (
            f"Top {reading.top} {reading.label.name} by {reading.measure.name} in {table}: {shown}."
        )
    what = (
        "number of rows"
        if reading.aggregate == "COUNT"
        else f"{_words(reading.aggregate)} {reading.measure.name if reading.measure else ''}"
    )
    where = "".join(f", {c.name} {op} {v}" for c, op, v in reading.filters)
    if reading.group is not None:
        return f"The {what} per {reading.group.name} in {table}{where}, for {len(answer)} group(s)."
    return f"The {what} in {table}{where} is {answer}."


def _words(aggregate: str | None) -> str:
    return {"AVG": "average", "SUM": "sum of", "MAX": "maximum", "MIN": "minimum"}.get(
        aggregate or "", ""
    )


def _chart(reading: Reading, columns: list[str]) -> dict[str, Any] | None:
    if reading.group is not None or reading.top is not None:
        return {"type": "bar", "x": columns[0], "y": columns[1]}
    return None


def _caveats(conn: sqlite3.Connection, reading: Reading, truncated: bool) -> list[str]:
    notes = []
    table = _quote(reading.dataset.name)
    checked = [c for c in (reading.measure, reading.group) if c is not None]
    checked += [c for c, _op, _v in reading.filters]
    for col in dict.fromkeys(checked):
        empty = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {_quote(col.name)} IS NULL"
        ).fetchone()[0]
        if empty and col is reading.group:
            notes.append(f"{empty} rows with an empty {col.name} form their own group")
        elif empty:
            notes.append(f"{empty} rows with an empty {col.name} were skipped")
    if reading.aggregate == "AVG":
        notes.append("averages are rounded to 2 decimals")
    if truncated:
        notes.append(f"only the first {MAX_ROWS} rows are shown")
    return notes


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _display_sql(sql: str, params: list[Any]) -> str:
    """The SQL as run, with its parameters written in, for a person to read."""
    for value in params:
        literal = (
            repr(value)
            if isinstance(value, int | float)
            else "'" + str(value).replace("'", "''") + "'"
        )
        sql = sql.replace("?", literal, 1)
    return sql
