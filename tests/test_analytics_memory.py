"""DuckDB inside a server process is bounded (issue 29, item 20).

Imports and questions run in the server processes, beside uploads: each DuckDB they
open must keep to the memory and threads docs/performance.md states ("Memory of a
server process"), and hand freed memory back after a task rather than keep DuckDB's
default 128 MiB. The figures are read back from DuckDB itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from appliance.analytics import datasets, engine, import_connections, plan
from appliance.analytics.errors import Unanswerable

MIB = 1024 * 1024


def _settings(conn: object) -> dict[str, str]:
    names = ("memory_limit", "threads", "allocator_flush_threshold")
    row = conn.execute(  # type: ignore[attr-defined]
        "SELECT " + ", ".join(f"current_setting('{n}')" for n in names)
    ).fetchone()
    return dict(zip(names, map(str, row), strict=True))


UNITS = {"KiB": 1024, "MiB": MIB, "GiB": 1024 * MIB, "KB": 1e3, "MB": 1e6, "GB": 1e9}


def _bytes(text: str) -> float:
    """DuckDB's way of writing a size ("244.1 MiB", "16MB") in bytes."""
    found = re.fullmatch(r"([0-9.]+)\s*([KMG]i?B)", text)
    assert found, text
    return float(found[1]) * UNITS[found[2]]


def _has_an_imports_bounds(conn: duckdb.DuckDBPyConnection) -> None:
    """One thread, at most 256 MiB, memory given back past 16 MiB; the connection closed."""
    try:
        found = _settings(conn)
    finally:
        conn.close()
    assert found["threads"] == "1"
    assert _bytes(found["memory_limit"]) <= 256 * MIB
    assert _bytes(found["allocator_flush_threshold"]) <= 16 * MIB


def test_an_import_uses_one_thread_and_at_most_256_mib(tmp_path: Path) -> None:
    _has_an_imports_bounds(datasets.ingest_connection(tmp_path / "spill"))


def test_questions_use_two_threads_and_at_most_256_mib() -> None:
    cursor = engine._connection()
    try:
        found = _settings(cursor)
    finally:
        cursor.close()
    assert found["threads"] == "2"
    assert _bytes(found["memory_limit"]) <= 256 * MIB
    assert _bytes(found["allocator_flush_threshold"]) <= 16 * MIB


def test_a_query_past_the_memory_limit_is_refused_not_a_500(tmp_path: Path) -> None:
    """A question that needs more than DuckDB's limit is a refusal (422), with what to
    do about it, not DuckDB's OutOfMemoryException (a 500). The limit is lowered on the
    process's instance for this query only: 300,000 distinct groups cannot fit in 1 MB."""
    path = tmp_path / "wide.csv"
    path.write_text("k,v\n" + "".join(f"k{i},{i}\n" for i in range(300_000)))
    ds = datasets.load_file(path, tmp_path / "d", "wide")
    grouped = plan.from_json({"statistic": "median", "column": "v", "group_by": ["k"]}, ds.infos)
    cursor = engine._connection()
    limit = cursor.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    try:
        cursor.execute("SET memory_limit = '1MB'")
        with pytest.raises(Unanswerable, match="more memory"):
            engine.run(grouped, ds)
    finally:
        cursor.execute(f"SET memory_limit = '{limit}'")
        cursor.close()


def test_loads_outside_an_organization_share_an_instance_with_an_imports_bounds(
    tmp_path: Path,
) -> None:
    """``load_file`` (tests, benchmarks) runs on one kept instance, not a new one each
    time; it keeps an import's settings, and a second file at the same path is read
    afresh."""
    _has_an_imports_bounds(import_connections.shared_loader(tmp_path / "unused"))
    source = tmp_path / "t.csv"
    for rows in (["x", "1", "2"], ["y", "7", "8", "9"]):
        source.write_text("\n".join(rows) + "\n")
        ds = datasets.load_file(source, tmp_path / "d", "t")
        assert (ds.row_count, [c.name for c in ds.columns]) == (len(rows) - 1, [rows[0]])
    first = import_connections.shared_loader(tmp_path / "unused")
    second = import_connections.shared_loader(tmp_path / "unused")
    try:  # cursors on one database: a table made on one is seen on the other
        first.execute("CREATE OR REPLACE TABLE shared_probe AS SELECT 1 AS one")
        assert second.execute("SELECT one FROM shared_probe").fetchall() == [(1,)]
    finally:
        first.execute("DROP TABLE IF EXISTS shared_probe")
        first.close()
        second.close()
