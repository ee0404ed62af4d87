"""Presign throughput: the appliance beside a bare Starlette-on-Hypercorn app doing the
same work (bench/bare_presign_app.py: one HMAC signature, one durable SQLite insert),
over the same transport: HTTPS, keep-alive, ``wrk -t2 -c32``, same certificate.

    python bench/presign_vs_bare.py [--seconds 10] [--pairs 3] [--connections 32]
                                    [--workers 2] [--bare-workers 1]

The appliance runs with ``--workers`` server processes (a production install writes
the number of cores, at most 4: 2 here); the bare app as Hypercorn runs it by default,
one process, or ``--bare-workers``. Pairs alternate which goes first; prints requests/s, p99 and the
server's CPU per request of each (all its processes), the medians and the median of
each pair's own ratio. Needs ``wrk`` (Debian package).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, bench_dir, cpu_seconds, pair_ratio, start_server
from presign_load import LUA


def start_bare(
    work: Path, cert: Path, key: Path, workers: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "hypercorn", "bench.bare_presign_app:app", "--certfile",
         str(cert), "--keyfile", str(key), "--bind", f"127.0.0.1:{port}", "-w", str(workers)],
        cwd=ROOT, env=os.environ | {"BARE_DB": str(work / "bare.db")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    ctx = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
                with ctx.wrap_socket(raw, server_hostname="127.0.0.1"):
                    return process, f"https://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the bare app did not start")


def wrk(url: str, script: Path, seconds: int, connections: int) -> tuple[float, float, str]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
         url + "/v1/uploads"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p99_text = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99_text is not None
    p99 = float(p99_text[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_text[2]]
    errors = "; ".join(ln.strip() for ln in out.splitlines() if "Non-2xx" in ln or "errors" in ln)
    return rps, p99, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="the appliance's server processes")
    parser.add_argument("--bare-workers", type=int, default=1, help="the bare app's processes")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    with bench_dir() as work:
        server = start_server(work, workers=str(args.workers))
        key = server.data_dir / "tls" / "key.pem"
        bare, bare_url = start_bare(work, server.cert, key, args.bare_workers)
        script = work / "presign.lua"
        script.write_text(LUA % server.api_key)
        results: dict[str, list[float]] = {"appliance": [], "bare app": []}
        try:
            urls = {"appliance": server.url, "bare app": bare_url}
            pids = {"appliance": server.process.pid, "bare app": bare.pid}
            for n in range(1, args.pairs + 1):
                order = list(urls) if n % 2 else list(reversed(urls))
                line = []
                for name in order:
                    cpu = cpu_seconds(pids[name])
                    rps, p99, errors = wrk(urls[name], script, args.seconds, args.connections)
                    per_request = (cpu_seconds(pids[name]) - cpu) / (rps * args.seconds) * 1000
                    results[name].append(rps)
                    line.append(f"{name} {rps:.0f} req/s p99 {p99:.0f} ms"
                                f" CPU {per_request:.2f} ms/req {errors}".rstrip())  # fmt: skip
                print(f"pair {n}: " + ", ".join(line), flush=True)
        finally:
            bare.send_signal(signal.SIGTERM)
            bare.wait(timeout=30)
            server.stop()
    ratio = pair_ratio(results["appliance"], results["bare app"])
    print(f"\npresign over HTTPS, {args.connections} keep-alive connections, {args.pairs} pairs,"
          f" the appliance with {args.workers} server process(es),"
          f" the bare app with {args.bare_workers}")  # fmt: skip
    for name, values in results.items():
        print(f"  {name:<10} {statistics.median(values):6.0f} req/s")
    print(f"  ratio appliance / bare app: {ratio:.2f}  (target >= 1.0)")


if __name__ == "__main__":
    main()
