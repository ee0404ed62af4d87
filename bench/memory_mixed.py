"""What one server process holds: after start, after questions, under a mixed load.

    python bench/memory_mixed.py [--seconds 60] [--clients 8] [--workers 2] [--rows 200000]

A server of its own with ``--workers`` processes. Four figures per server process:
its RSS and PSS (pages shared since the fork counted once) after start; after every
question of the development set (tests/data/analytics) was asked on it; its peak RSS
(the kernel's VmHWM) and peak PSS (sampled every 20 ms) over ``--seconds`` of mixed
load from ``--clients`` threads: single PUTs of 4 MiB, downloads of them, questions on
the development datasets and on a CSV of ``--rows`` rows, and every 20th request a new
CSV of ``--rows`` rows to import. With ``--smaps``, where each process's memory is
at the end (the largest mappings of /proc/PID/smaps). docs/performance.md, "Memory
of a server process", has the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import MIB, BenchServer, bench_dir, start_server

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "analytics"
BIG_QUESTIONS = [
    "median age by ward",
    "average cost by ward",
    "how many rows",
    "count by ward",
    "maximum cost",
]


def memory(pid: int) -> tuple[float, float, float]:
    """RSS, PSS and VmHWM (the peak RSS) of ``pid``, in MB."""
    rss = pss = hwm = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss, hwm


def largest_mappings(pid: int, count: int = 6) -> list[tuple[float, str]]:
    """The ``count`` mappings of ``pid`` with the most resident memory (MB, name)."""
    found: dict[str, float] = {}
    name = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        first = line.split(maxsplit=5)
        if first and "-" in first[0] and len(first) >= 5 and not first[0].endswith(":"):
            name = first[5] if len(first) > 5 else "[anonymous]"
        elif line.startswith("Rss:"):
            found[name] = found.get(name, 0.0) + int(line.split()[1]) / 1024
    return sorted(((mb, n) for n, mb in found.items()), reverse=True)[:count]


def big_csv(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    wards = ["north", "south", "east", "west", "icu", "maternity"]
    with open(path, "w") as fh:
        fh.write("patient_id,age,ward,cost,admitted,readmitted\n")
        for n in range(rows):
            fh.write(f"P{n:07d},{rng.randint(0, 99)},{rng.choice(wards)},"
                     f"{rng.uniform(10, 5000):.2f},2026-{rng.randint(1, 12):02d}-"
                     f"{rng.randint(1, 28):02d},{rng.choice(['yes', 'no'])}\n")  # fmt: skip


class Load:
    """The clients' work, shared: which files exist to download, what failed."""

    def __init__(self, server: BenchServer, csv_path: Path) -> None:
        self.server = server
        self.csv_path = csv_path
        self.headers = {"X-API-Key": server.api_key}
        self.files: list[str] = []
        self.errors: list[str] = []
        self.requests = 0
        self.lock = threading.Lock()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, verify=str(self.server.cert), timeout=120)

    def put(self, client: httpx.Client, name: str, body: bytes) -> None:
        grant = client.post("/v1/uploads", json={"filename": name, "size": len(body)},
                            headers=self.headers)  # fmt: skip
        self.check(grant, 201)
        r = client.put(grant.json()["upload_url"], content=body)
        self.check(r, 201)
        if r.status_code == 201:
            with self.lock:
                self.files.append(r.json()["file_id"])

    def ask(self, client: httpx.Client, question: str, dataset: str) -> None:
        r = client.post("/v1/queries", json={"question": question, "dataset": dataset},
                        headers=self.headers)  # fmt: skip
        if r.status_code >= 500:
            self.errors.append(f"question {r.status_code}")

    def check(self, r: httpx.Response, expected: int) -> None:
        with self.lock:
            self.requests += 1
        if r.status_code != expected:
            self.errors.append(f"{r.request.method} {r.status_code}")

    def run(self, seconds: float, index: int, questions: list[dict[str, str]]) -> None:
        rng = random.Random(index)
        body = rng.randbytes(4 * MIB)
        deadline = time.monotonic() + seconds
        n = 0
        with self.client() as client:
            while time.monotonic() < deadline:
                n += 1
                pick = rng.random()
                if n % 20 == 0:
                    self.put(client, f"table_{index}_{n}.csv", self.csv_path.read_bytes())
                elif pick < 0.3:
                    self.put(client, f"scan_{index}_{n}.bin", body)
                elif pick < 0.55 and self.files:
                    content = f"/v1/files/{rng.choice(self.files)}/content"
                    self.check(client.get(content, headers=self.headers), 200)
                elif pick < 0.8:
                    q = rng.choice(questions)
                    self.ask(client, q["question"], q["dataset"])
                else:
                    self.ask(client, rng.choice(BIG_QUESTIONS), "wards")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--smaps", action="store_true")
    args = parser.parse_args()
    with bench_dir() as work:
        server = start_server(work, workers=str(args.workers), log_level="warning")
        try:
            measure(server, work, args)
        finally:
            server.stop()


def measure(server: BenchServer, work: Path, args: argparse.Namespace) -> None:
    csv_path = work / "wards.csv"
    big_csv(csv_path, args.rows, seed=1)
    load = Load(server, csv_path)
    devset = json.loads((DATA / "questions.json").read_text())
    questions = [q for q in devset["questions"] if "after" not in q]
    workers = sorted(server.pids()[1:]) or [server.process.pid]
    time.sleep(2)  # the processes' start-up work (imports) done: a fixed settle, not a sync
    after_start = {pid: memory(pid) for pid in workers}

    with load.client() as client:
        for table in sorted({q["dataset"] for q in questions}):
            load.put(client, f"{table}.csv", (DATA / f"{table}.csv").read_bytes())
        load.put(client, "wards.csv", csv_path.read_bytes())
        for table, dictionary in devset["dictionaries"].items():
            client.put(f"/v1/datasets/{table}/dictionary", json=dictionary, headers=load.headers)
        for _ in range(2 * len(workers)):  # new connections: every process gets some
            with load.client() as each:
                for q in questions:
                    load.ask(each, q["question"], q["dataset"])
                for question in BIG_QUESTIONS:
                    load.ask(each, question, "wards")
    after_questions = {pid: memory(pid) for pid in workers}

    peak_pss = dict.fromkeys(workers, 0.0)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            for pid in workers:
                try:
                    peak_pss[pid] = max(peak_pss[pid], memory(pid)[1])
                except OSError:
                    pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=load.run, args=(args.seconds, i, questions))
               for i in range(args.clients)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    sampler.join()
    at_end = {pid: memory(pid) for pid in workers}

    print(f"workers={args.workers} clients={args.clients} seconds={args.seconds:.0f}"
          f" rows={args.rows} requests={load.requests} errors={len(load.errors)}"
          f" {sorted(set(load.errors))[:5]}")  # fmt: skip
    print("process   start RSS/PSS   after questions RSS/PSS   under load peak RSS/PSS   end RSS")
    for pid in workers:
        s, q, e = after_start[pid], after_questions[pid], at_end[pid]
        print(f"{pid:>7}   {s[0]:5.0f}/{s[1]:4.0f} MB   {q[0]:5.0f}/{q[1]:4.0f} MB"
              f"              {e[2]:5.0f}/{peak_pss[pid]:4.0f} MB"
              f"         {e[0]:5.0f} MB")  # fmt: skip
        if args.smaps:
            for mb, name in largest_mappings(pid):
                print(f"          {mb:6.1f} MB  {name}")


if __name__ == "__main__":
    main()
