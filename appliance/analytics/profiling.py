"""A column's profile: its contract type (integer, category, identifier …), its counts,
range and frequent values, read in one pass over a dataset's Parquet copy. Apart from
the import (:mod:`datasets`), which calls it once per file, so that what a type means
is written in one place."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.analytics.quoting import path_literal
from appliance.analytics.quoting import quote as _quote

if TYPE_CHECKING:
    import duckdb

FLOATS = ("DOUBLE", "FLOAT", "REAL")
TOP_VALUES = 50
APPROX_ROWS = 1_000_000
CATEGORY_MAX_DISTINCT = 50
BOOLEAN_WORDS = ({"yes", "no"}, {"y", "n"}, {"true", "false"})
ID_NAME = re.compile(r"(^|_)(id|pid|ptid|subj|subject|mrn|no|number|code|key)$")
"""Names of identifiers: ``patient_id``, ``mrn``, ``pid``, ``subj``… (with mostly distinct
values: an id, not a count; ``top`` names rows by it, and it is not averaged)."""
WIDE_WHOLE = ("HUGEINT", "UHUGEINT", "UBIGINT", "BIGNUM", "VARINT")
"""Whole-number types past a signed 64-bit integer. Parquet has no such integers, so
DuckDB would write them as doubles: 123456789012345678901234567890 would become
1.2345678901234568e29 without a word. The import stores them as :data:`EXACT_WHOLE`."""
EXACT_WHOLE = "DECIMAL(38,0)"
"""How a column of whole numbers past 64 bits is kept in the Parquet copy: exactly, up to
38 digits. A column with a longer number (a code, in practice) is kept as text."""
WHOLE_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    EXACT_WHOLE,
)
"""How whole-number columns are stored in a copy (never HUGEINT: Parquet has none)."""


def is_wide(storage: str) -> bool:
    """A whole-number type wider than 64 bits (HUGEINT, BIGNUM, DECIMAL(20,0), …)."""
    s = storage.upper()
    found = re.fullmatch(r"DECIMAL\((\d+),\s*0\)", s)
    return s in WIDE_WHOLE or (found is not None and int(found.group(1)) > 18)


def profile(
    conn: duckdb.DuckDBPyConnection, path: Path, columns: list[tuple[str, str, str]]
) -> dict[str, Any]:
    """One pass for every column's counts and range; frequent values only for the few
    columns with at most 50 distinct values (a million-value GROUP BY would need memory
    in proportion to the file). Past a million rows, distinct counts are HyperLogLog
    estimates (within about 2%), which is all a profile needs."""
    table = f"read_parquet({path_literal(path)})"
    row_count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
    count_distinct = "approx_count_distinct" if row_count > APPROX_ROWS else "count(DISTINCT"
    parts = []
    for name, _header, storage in columns:
        q = finite(name, storage)
        distinct = f"{count_distinct}({q})" if row_count > APPROX_ROWS else f"{count_distinct} {q})"
        parts.append(
            f"count({_quote(name)}) - count({q}), count({q}), {distinct}, min({q}), max({q})"
        )
    stats = conn.execute(f"SELECT {', '.join(parts)} FROM {table}").fetchone() or ()
    few = [i for i in range(len(columns)) if stats[5 * i + 2] <= CATEGORY_MAX_DISTINCT]
    tops = _top_values(conn, table, [columns[i] for i in few])
    profiles = []
    for i, (name, header, storage) in enumerate(columns):
        non_finite, present, distinct, low, high = stats[5 * i : 5 * i + 5]
        top = tops[few.index(i)] if i in few else []
        profiles.append(
            {
                "name": name,
                "type": kind(name, storage, present, distinct, [v for v, _n in top]),
                "storage": storage,
                "nulls": row_count - present - non_finite,
                "non_finite": non_finite,
                "distinct": distinct,
                "min": plain(low),
                "max": plain(high),
                "values": [{"value": plain(v), "count": n} for v, n in top],
                "source": header,
            }
        )
    return {"row_count": row_count, "columns": profiles}


def _top_values(
    conn: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str, str]]
) -> list[list[tuple[Any, int]]]:
    """Each column's most frequent values (at most :data:`TOP_VALUES`, the most frequent
    first, ties by value), for columns with few distinct values. One pass over the file
    for all of them (``GROUPING SETS``, one set per column) rather than a ``GROUP BY``
    each: a query's fixed cost is most of a small file's import, and a large file is
    read once instead of once per such column."""
    if not columns:
        return []
    names = [f"c{i}" for i in range(len(columns))]
    inner = ", ".join(
        f"{finite(name, storage)} AS {alias}"
        for (name, _header, storage), alias in zip(columns, names, strict=True)
    )
    sets = ", ".join(f"({alias})" for alias in names)
    rows = conn.execute(
        f"SELECT {', '.join(names)}, count(*) FROM (SELECT {inner} FROM {table})"
        f" GROUP BY GROUPING SETS ({sets})"
    ).fetchall()
    # In a set's rows, the other columns are NULL; a row whose values are all NULL is
    # some column's empty cells, which no column counts among its values.
    counted: list[list[tuple[Any, int]]] = [[] for _ in columns]
    for row in rows:
        for i, value in enumerate(row[:-1]):
            if value is not None:
                counted[i].append((value, row[-1]))
                break
    return [sorted(found, key=lambda vn: (-vn[1], vn[0]))[:TOP_VALUES] for found in counted]


def finite(name: str, storage: str) -> str:
    """The column as SQL, with inf, -inf and NaN as empty: JSON has no such numbers, and a
    maximum of "inf" or a mean of NaN says nothing about the data."""
    q = _quote(name)
    return f"(CASE WHEN isfinite({q}) THEN {q} END)" if storage.upper() in FLOATS else q


def kind(name: str, storage: str, present: int, distinct: int, top: list[Any]) -> str:
    """The contract's column type, from the storage type and the values."""
    s = storage.upper()
    id_like = bool(ID_NAME.search(name)) or name == "id"
    if s == "BOOLEAN":
        return "boolean"
    if s.startswith(("DATE", "TIMESTAMP")):
        return "date"
    if s in WHOLE_TYPES:
        if distinct == 2 and set(top) == {0, 1}:
            return "boolean"
        if id_like and present > 0 and distinct >= present / 2:
            return "identifier"  # named as an id; repeat visits may repeat it
        return "integer"
    if s in ("DOUBLE", "FLOAT", "REAL") or s.startswith("DECIMAL"):
        return "number"
    lowered = {str(v).strip().lower() for v in top}
    if distinct == 2 and any(lowered == words for words in BOOLEAN_WORDS):
        return "boolean"
    if present > 1 and (
        (id_like and distinct >= present / 2)
        or (
            (distinct >= present * (0.97 if present > APPROX_ROWS else 1))
            and distinct > CATEGORY_MAX_DISTINCT
        )
    ):
        return "identifier"
    if distinct <= CATEGORY_MAX_DISTINCT:
        return "category"
    return "text"


def plain(value: Any) -> Any:
    """JSON-friendly: dates as ISO strings, exact whole numbers as ints (every digit;
    past 2^53 a reader into doubles would round them: see docs/analytics.md)."""
    if value is None or isinstance(value, int | float | str | bool):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if hasattr(value, "hour") else value.isoformat()
    return str(value)
