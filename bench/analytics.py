"""Analytics: question latency over HTTPS, a grouped median on 1M rows, ingesting 1 GB.

    python bench/analytics.py [--csv-mb 1024] [--rounds 3]

1. The development question set (tests/data/analytics) asked over HTTPS against a
   server of our own, ``--rounds`` times: p50 and p99 end to end (target p50 ≤ 50 ms).
2. A grouped median over a 1,000,000-row CSV: the engine (DuckDB over Parquet) side by
   side with what SQLite would need (it has no median: sort per group, pick in Python),
   in one run, with the ratio (target ≤ 1 s for the engine).
3. Ingesting a CSV of ``--csv-mb`` MB into a dataset in a child process: wall time and
   the child's peak RSS (it must not need the file's size in memory); beside it, the
   previous design (csv module + sqlite-utils insert) on a tenth of the file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, start_server

DATA = ROOT / "tests" / "data" / "analytics"


def upload(server, path: Path) -> None:  # type: ignore[no-untyped-def]
    grant = server.post("/v1/uploads", {"filename": path.name, "size": path.stat().st_size})
    import ssl

    ctx = ssl.create_default_context(cafile=str(server.cert))
    req = urllib.request.Request(grant["upload_url"], data=path.read_bytes(), method="PUT")
    urllib.request.urlopen(req, context=ctx).read()


def question_latency(rounds: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="hpx-bench-"))
    server = start_server(work)
    try:
        devset = json.loads((DATA / "questions.json").read_text())
        for table in sorted({q["dataset"] for q in devset["questions"]}):
            upload(server, DATA / f"{table}.csv")
        import ssl

        ctx = ssl.create_default_context(cafile=str(server.cert))
        for table, dictionary in devset["dictionaries"].items():
            req = urllib.request.Request(
                f"{server.url}/v1/datasets/{table}/dictionary",
                data=json.dumps(dictionary).encode(),
                method="PUT",
                headers={"X-API-Key": server.api_key, "Content-Type": "application/json"},
            )
            urllib.request.urlopen(req, context=ctx).read()
        questions = [q for q in devset["questions"] if "after" not in q]
        server.post("/v1/queries", {"question": "how many rows", "dataset": "larynx"})  # warm
        times = []
        for _ in range(rounds):
            for q in questions:
                body = json.dumps({"question": q["question"], "dataset": q["dataset"]}).encode()
                req = urllib.request.Request(
                    server.url + "/v1/queries",
                    data=body,
                    method="POST",
                    headers={"X-API-Key": server.api_key, "Content-Type": "application/json"},
                )
                start = time.perf_counter()
                try:
                    urllib.request.urlopen(req, context=ctx).read()
                except urllib.error.HTTPError as exc:  # refusals are answers too
                    exc.read()
                times.append(time.perf_counter() - start)
        times.sort()
        p50 = statistics.median(times) * 1000
        p99 = times[int(len(times) * 0.99) - 1] * 1000
        print(
            f"questions over HTTPS (new TLS connection each): n={len(times)}"
            f"  p50 {p50:.1f} ms  p99 {p99:.1f} ms  (target p50 <= 50 ms)"
        )
    finally:
        server.stop()


def grouped_median(work: Path) -> None:
    from appliance.analytics import datasets, engine, plan

    rng = random.Random(1)
    source = work / "million.csv"
    with open(source, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ward", "los"])
        for _ in range(1_000_000):
            w.writerow([f"ward{rng.randrange(20)}", round(rng.expovariate(1 / 6), 2)])
    ds = datasets.load_file(source, work / "derived", "million")
    p = plan.from_json(
        {"dataset": "million", "statistic": "median", "column": "los", "group_by": ["ward"]},
        ds.infos,
    )
    engine.run(p, ds)  # warm the file cache
    start = time.perf_counter()
    answer = engine.run(p, ds).answer
    duck = time.perf_counter() - start

    db = sqlite3.connect(work / "million.db")
    db.execute("CREATE TABLE t (ward TEXT, los REAL)")
    with open(source) as fh:
        reader = csv.reader(fh)
        next(reader)
        db.executemany("INSERT INTO t VALUES (?, ?)", ((w, float(v)) for w, v in reader))
    db.commit()
    start = time.perf_counter()
    groups: dict[str, list[float]] = {}
    for ward, los in db.execute("SELECT ward, los FROM t ORDER BY ward, los"):
        groups.setdefault(ward, []).append(los)
    medians = {w: statistics.median(v) for w, v in groups.items()}
    lite = time.perf_counter() - start
    assert all(abs(medians[k] - answer[k]) < 1e-9 for k in medians)
    print(
        f"grouped median, 1,000,000 rows: engine {duck:.3f} s, SQLite + Python {lite:.3f} s"
        f"  ratio {lite / duck:.1f}x  (target engine <= 1 s)"
    )


CHILD = """
import sys, time, resource
from pathlib import Path
sys.path.insert(0, {root!r})
from appliance.analytics import datasets
start = time.perf_counter()
ds = datasets.load_file(Path({src!r}), Path({dst!r}), "big")
took = time.perf_counter() - start
print(took, ds.row_count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, ds.error)
"""

OLD = """
import sys, time, csv, resource, sqlite_utils
from sqlite_utils.utils import TypeTracker
start = time.perf_counter()
db = sqlite_utils.Database({dst!r})
tracker = TypeTracker()
with open({src!r}, newline="") as fh:
    r = csv.reader(fh); header = next(r)
    rows = (dict(zip(header, rec)) for rec in r)
    db["t"].insert_all(tracker.wrap(rows), batch_size=5000)
db["t"].transform(types=tracker.types)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def run_child(code: str) -> list[str]:
    """Run ``code`` in a fresh Python (its peak RSS is its own); the words it printed."""
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert child.returncode == 0, child.stderr
    return child.stdout.split()


def ingestion(work: Path, size_mb: int) -> None:
    rng = random.Random(2)
    big = work / "big.csv"
    small = work / "small.csv"
    target = size_mb * 1024 * 1024
    with open(big, "w", newline="") as fh, open(small, "w", newline="") as sh:
        header = "patient_id,admitted,age,sex,diagnosis,los,bmi,note\n"
        fh.write(header)
        sh.write(header)
        n = 0
        while fh.tell() < target:
            n += 1
            line = (
                f"P{n:09d},2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
                f"{rng.randint(18, 99)},{rng.choice('FM')},{rng.choice(['HF', 'COPD', 'Sepsis'])},"
                f"{rng.randint(1, 30)},{rng.gauss(27, 5):.1f},free text {rng.random():.6f}\n"
            )
            fh.write(line)
            if n % 10 == 0:
                sh.write(line)
    size = big.stat().st_size / 1e6
    out = run_child(CHILD.format(root=str(ROOT), src=str(big), dst=str(work / "d")))
    took, rows, rss = float(out[0]), int(out[1]), float(out[2])
    assert out[3] == "None", " ".join(out[3:])
    print(
        f"ingest {size:.0f} MB CSV ({rows:,} rows): {took:.1f} s, {size / took:.0f} MB/s,"
        f" peak RSS {rss:.0f} MB"
    )
    small_mb = small.stat().st_size / 1e6
    new = run_child(CHILD.format(root=str(ROOT), src=str(small), dst=str(work / "s")))
    old = run_child(OLD.format(src=str(small), dst=str(work / "old.db")))
    print(
        f"ingest {small_mb:.0f} MB side by side: DuckDB->Parquet {float(new[0]):.1f} s"
        f" (RSS {float(new[2]):.0f} MB), csv+sqlite-utils {float(old[0]):.1f} s"
        f" (RSS {float(old[1]):.0f} MB)  ratio {float(old[0]) / float(new[0]):.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args()
    question_latency(args.rounds)
    with tempfile.TemporaryDirectory(prefix="hpx-bench-") as tmp:
        grouped_median(Path(tmp))
    if not args.skip_ingest:
        with tempfile.TemporaryDirectory(prefix="hpx-bench-") as tmp:
            ingestion(Path(tmp), args.csv_mb)


if __name__ == "__main__":
    main()
