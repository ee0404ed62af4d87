"""Analytics: the peak memory and time of one logistic regression plan on 1M rows.

    python bench/analytics_fit_memory.py [--rows 1000000] [--predictors 1,12,36,72]

A CSV of ``--rows`` rows (12 numeric columns ``c1``..``c12`` and a 0/1 outcome ``y``
drawn from a logistic model of ``c1`` and ``c2``, fixed seed) is imported once. Then,
for each count of predictors, a child process runs the engine on one plan in-process
(``engine.run``, the server's own code path) and prints its peak RSS (``ru_maxrss``),
its RSS before the plan ran (imports and DuckDB loaded), the wall time and the outcome
(the answer or the refusal). Wall time depends on what else the machine runs; the
CPU seconds (every thread of the process, DuckDB's too) much less so. Counts above 12
repeat the columns, as a hostile plan would: the issue's 357-byte plan had 36. With
``--distinct``, predictors past 12 are indicators of the columns (``c1 > 0.12``, ...),
so that each is a new input.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from appliance.analytics import datasets, engine, plan
from appliance.analytics.errors import AnalyticsError

folder, n = Path(sys.argv[1]), int(sys.argv[2])
profile = json.loads((folder / "fit.json").read_text())
record_path = folder / "fit.parquet"
ds = datasets.Dataset(
    name="fit", file_id="fit", filename="fit.csv", row_count=profile["row_count"],
    columns=[datasets.ColumnProfile(**c) for c in profile["columns"]], path=record_path,
)
import duckdb, numpy  # loaded before the baseline, as in a server that answered a query
engine._connection().close()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[3] == "repeat":  # the issue's hostile plan: the same 12 columns again
    predictors = [{"column": f"c{k % 12 + 1}"} for k in range(n)]
else:  # 12 columns, then indicators of them (c1 > 0.1, ...): distinct inputs
    predictors = [{"column": f"c{k + 1}"} if k < 12 else
                  {"column": f"c{k % 12 + 1}", "op": ">", "value": k / 100} for k in range(n)]
p = {"dataset": "fit", "statistic": "logistic_regression",
     "condition": [{"column": "y", "op": "=", "value": 1}], "predictors": predictors}
start, cpu = time.perf_counter(), time.process_time()
try:
    answer = engine.run(plan.from_json(p, ds.infos), ds).answer
    outcome = "answered"
except AnalyticsError as exc:
    outcome = f"refused: {exc}"
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"predictors": n, "plan_bytes": len(json.dumps(p)), "rss_before_mb":
      before // 1024, "peak_rss_mb": peak // 1024, "seconds": round(elapsed, 2),
      "cpu_seconds": round(cpu, 2), "outcome": outcome[:160]}))
"""


def make_csv(path: Path, rows: int) -> None:
    import duckdb

    conn = duckdb.connect()
    conn.execute("SELECT setseed(0.29)")
    cols = ", ".join(f"round(random() * 4 - 2, 4) AS c{k}" for k in range(1, 13))
    conn.execute(
        f"COPY (SELECT *, CASE WHEN random() < 1 / (1 + exp(-(0.8 * c1 - 0.5 * c2)))"
        f" THEN 1 ELSE 0 END AS y FROM (SELECT {cols} FROM range({rows})))"
        f" TO '{path}' (HEADER)"
    )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--predictors", default="1,12,36,72")
    parser.add_argument(
        "--distinct", action="store_true", help="indicators past 12 predictors, not repeats"
    )
    args = parser.parse_args()
    from appliance.analytics import datasets

    work = Path(tempfile.mkdtemp(prefix="hpx-fit-bench-"))
    source = work / "fit.csv"
    start = time.perf_counter()
    make_csv(source, args.rows)
    datasets.load_file(source, work / "derived", "fit")
    print(f"{args.rows} rows generated and imported in {time.perf_counter() - start:.1f} s")
    mode = "distinct" if args.distinct else "repeat"
    for n in (int(k) for k in args.predictors.split(",")):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(work / "derived"), str(n), mode],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
        )
        line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]
        print(json.dumps(json.loads(line)) if line.startswith("{") else line, flush=True)
    import shutil

    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
