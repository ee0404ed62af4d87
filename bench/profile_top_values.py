"""An import's profile: every category column's frequent values in one pass over the
Parquet copy (``GROUPING SETS``, what appliance/analytics/profiling.py does) against one
``GROUP BY`` query per such column (what it did before), side by side in one run.

    python bench/profile_top_values.py [--rounds 30] [--rows 40,1000000] [--columns 12]

For each row count, a table of an identifier, an age and ``--columns`` yes/no and
small-category columns is written as Parquet once; then the two ways alternate,
``--rounds`` times each, on one DuckDB made as an import's (import_connections.py), and
the CPU seconds of each (DuckDB's threads included: the process's own time) and their
ratio are printed, after checking that both give the same values and counts. The small
table is the shape of the tests' hundreds of small imports, where a query's fixed cost
is most of the work; the large one shows the file read once instead of once a column.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appliance.analytics import profiling
from appliance.analytics.import_connections import ingest_connection
from appliance.analytics.quoting import path_literal


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def per_column(conn: Any, table: str, columns: list[tuple[str, str, str]]) -> list[Any]:
    """The way before: one query for each column."""
    tops = []
    for name, _header, storage in columns:
        q = profiling.finite(name, storage)
        tops.append(
            conn.execute(
                f"SELECT {q} AS v, count(*) AS n FROM {table} WHERE {q} IS NOT NULL"
                f" GROUP BY {q} ORDER BY n DESC, v LIMIT {profiling.TOP_VALUES}"
            ).fetchall()
        )
    return tops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--rows", default="40,1000000")
    parser.add_argument("--columns", type=int, default=12)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    conn = ingest_connection(folder)
    for rows in [int(n) for n in args.rows.split(",")]:
        path = folder / f"t{rows}.parquet"
        made = ", ".join(
            f"i % {k + 2} AS f{k}" if k % 2 else f"(i % 3 = 0) AS f{k}" for k in range(args.columns)
        )
        conn.execute(
            f"COPY (SELECT 'r' || i AS id, 20 + i % 60 AS age, {made} FROM range({rows}) t(i))"
            f" TO {path_literal(path)} (FORMAT parquet)"
        )
        table = f"read_parquet({path_literal(path)})"
        columns = [
            (name, name, str(storage))
            for name, storage, *_ in conn.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
            if name.startswith("f") or name == "age"
        ]
        one_pass = profiling._top_values(conn, table, columns)
        assert one_pass == per_column(conn, table, columns), "the two ways differ"
        spent = {"one pass": 0.0, "a query a column": 0.0}
        rounds = args.rounds if rows < 100_000 else max(1, args.rounds // 10)
        started = time.monotonic()
        for _ in range(rounds):
            t = cpu()
            profiling._top_values(conn, table, columns)
            spent["one pass"] += cpu() - t
            t = cpu()
            per_column(conn, table, columns)
            spent["a query a column"] += cpu() - t
        each = {k: v / rounds * 1000 for k, v in spent.items()}
        print(
            f"{rows:>9} rows, {len(columns)} category columns, {rounds} rounds"
            f" ({time.monotonic() - started:.1f} s of wall time):"
            f" one pass {each['one pass']:.1f} ms CPU, a query a column"
            f" {each['a query a column']:.1f} ms CPU, ratio"
            f" {each['one pass'] / each['a query a column']:.2f}"
        )


if __name__ == "__main__":
    main()
