"""Many uploads at once: 16 concurrent 64 MiB PUTs over HTTPS from 4 organizations, the
appliance beside nginx running the same 16 PUTs followed by ``sha256sum`` of the
16 files (two at a time: both cores), in one run.

    python bench/concurrent_vs_nginx.py [--uploads 16] [--size-mib 64] [--pairs 3] [--workers 2]

Pairs alternate which goes first, and each run's files are deleted after it (on both
sides), so that every run writes into page cache the previous one freed, as on a
host that has run for a while. Prints each pair, the medians (aggregate MB/s), the
median of the pairs' own ratios, and the appliance's peak memory: the sum of each
process's RSS high-water mark, and the peak of the sum of their proportional set sizes
(shared pages counted once; with ``--workers`` the first counts them in every process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import MIB, BenchServer, PeakPss, bench_dir, curl_put, pair_ratio, payload, start_server
from nginx import start_nginx

ORGS = 4


def api_keys(server: BenchServer) -> list[str]:
    """The bench organization's key and those of three more organizations."""
    keys = [server.api_key]
    hpx = [sys.executable, "-m", "appliance"]
    for n in range(1, ORGS):
        where = ["--data-dir", str(server.data_dir)]
        subprocess.run([*hpx, "org", "create", f"bench{n}", *where], check=True,
                       capture_output=True, env=server.env)  # fmt: skip
        issued = subprocess.run([*hpx, "key", "issue", f"bench{n}", "--json", *where],
                                check=True, capture_output=True, env=server.env)  # fmt: skip
        keys.append(json.loads(issued.stdout)["api_key"])
    return keys


def presign(server: BenchServer, key: str, name: str, size: int, digest: str) -> str:
    server.api_key, saved = key, server.api_key
    try:
        grant = server.post("/v1/uploads", {"filename": name, "size": size, "sha256": digest})
    finally:
        server.api_key = saved
    return str(grant["upload_url"])


def all_at_once(server: BenchServer, src: Path, urls: list[str]) -> float:
    start = time.perf_counter()
    running = [subprocess.Popen(["curl", *curl_put(server, src, url)]) for url in urls]
    for process in running:
        if process.wait() != 0:
            raise RuntimeError("a PUT failed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=16)
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="the appliance's server processes")
    args = parser.parse_args()
    size = args.size_mib * MIB
    total = args.uploads * size

    with bench_dir() as work:
        src, digest = payload(work, size)
        server = start_server(work, workers=str(args.workers))
        nginx = start_nginx(work, server.cert, server.data_dir / "tls" / "key.pem")
        keys = api_keys(server)
        rates: dict[str, list[float]] = {"appliance": [], "nginx+sha256sum": []}
        pss: list[float] = []
        try:

            def appliance(n: int) -> float:
                urls = [presign(server, keys[k % ORGS], f"p{n}-{k}.bin", size, digest)
                        for k in range(args.uploads)]  # fmt: skip
                with PeakPss(server) as sampled:
                    seconds = all_at_once(server, src, urls)
                pss.append(sampled.peak)
                server.delete_all(keys)
                return seconds

            def nginx_verified(n: int) -> float:
                names = [f"p{n}-{k}.bin" for k in range(args.uploads)]
                start = time.perf_counter()
                all_at_once(server, src, [f"{nginx.url}/put/{name}" for name in names])
                stored = [str(nginx.stored(name)) for name in names]
                sums = subprocess.run(["xargs", "-P", "2", "-n", "1", "sha256sum"],
                                      input="\n".join(stored), check=True, capture_output=True,
                                      text=True).stdout  # fmt: skip
                assert all(line.split()[0] == digest for line in sums.splitlines())
                seconds = time.perf_counter() - start
                for name in stored:
                    Path(name).unlink()
                return seconds

            runs = {"appliance": appliance, "nginx+sha256sum": nginx_verified}
            for n in range(1, args.pairs + 1):
                order = list(runs) if n % 2 else list(reversed(runs))
                line = []
                for name in order:
                    subprocess.run(["sync"], check=False)
                    rates[name].append(total / runs[name](n) / 1e6)
                    line.append(f"{name} {rates[name][-1]:.0f} MB/s")
                print(f"pair {n}: " + ", ".join(line), flush=True)
            peak = server.peak_rss_mb(with_children=True)
        finally:
            nginx.stop()
            server.stop()
    ratio = pair_ratio(rates["appliance"], rates["nginx+sha256sum"])
    print(f"\n{args.uploads} concurrent PUTs of {args.size_mib} MiB from {ORGS} organizations,"
          f" {args.workers} server process(es), medians of {args.pairs} pairs")  # fmt: skip
    for name, values in rates.items():
        print(f"  {name:<16} {statistics.median(values):6.0f} MB/s in all")
    print(f"  ratio appliance / nginx+sha256sum: {ratio:.2f}  (target >= 1.0)")
    print(f"  appliance peak RSS {peak:.0f} MB, all its processes (target <= 128)")
    print(f"  appliance peak PSS {max(pss):.0f} MB, all its processes, shared pages once")


if __name__ == "__main__":
    main()
