"""Small-request throughput: presign calls (JSON in, HMAC token and a SQLite insert out).

    python bench/presign_load.py [--seconds 10] [--connections 32]

Runs ``wrk`` (Debian package ``wrk``) against a server of its own on 127.0.0.1 over
HTTPS with keep-alive, and prints requests/s and latency percentiles, to compare
with PERFORMANCE.md's "Small requests" table (plain HTTP there; TLS here).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess

from common import bench_dir, start_server

LUA = """
wrk.method = "POST"
wrk.body = '{"filename": "load.csv", "size": 1000}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "%s"
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    with bench_dir() as work:
        server = start_server(work)
        try:
            script = work / "presign.lua"
            script.write_text(LUA % server.api_key)
            for path, lua in (("/healthz", None), ("/v1/uploads", script)):
                cmd = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
                if lua is not None:
                    cmd += ["-s", str(lua)]
                out = subprocess.run(
                    [*cmd, server.url + path], check=True, capture_output=True, text=True
                ).stdout
                rps = next(ln for ln in out.splitlines() if ln.startswith("Requests/sec"))
                p99 = next(ln for ln in out.splitlines() if ln.strip().startswith("99%"))
                errors = [ln for ln in out.splitlines() if "Non-2xx" in ln or "errors" in ln]
                print(
                    f"{path:12} {rps.split()[-1]:>10} req/s  p99 {p99.split()[-1]:>8}  "
                    f"{'; '.join(e.strip() for e in errors) or 'no errors'}"
                )
            print(f"server peak RSS {server.peak_rss_mb():.0f} MB")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
