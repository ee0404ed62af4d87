"""Single-file upload throughput and server memory: curl PUT over HTTPS.

    python bench/upload_single.py [--size-mib 1024] [--runs 3]

Prints MB/s, server CPU seconds and the server's peak RSS for each run, beside
``sha256sum`` of the same file (the floor of any verified upload on this CPU).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess

from common import MIB, bench_dir, curl_put, payload, start_server, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--http2",
        action="store_true",
        help="offer HTTP/2 (setting http2) and upload with curl --http2",
    )
    args = parser.parse_args()
    size = args.size_mib * MIB

    with bench_dir() as work:
        src, digest = payload(work, size)
        print(f"file: {args.size_mib} MiB; sha256sum: {timed(['sha256sum', str(src)]):.2f} s")
        server = start_server(work, **({"http2": "true"} if args.http2 else {}))
        try:
            rates = []
            for run in range(1, args.runs + 1):
                grant = server.post(
                    "/v1/uploads", {"filename": f"run{run}.bin", "size": size, "sha256": digest}
                )
                cpu_before = server.cpu_seconds()
                seconds = timed(["curl", *curl_put(server, src, grant["upload_url"], args.http2)])
                rate = size / seconds / 1e6
                rates.append(rate)
                print(
                    f"run {run}: {seconds:.2f} s  {rate:.0f} MB/s  "
                    f"server CPU {server.cpu_seconds() - cpu_before:.1f} s  "
                    f"peak RSS {server.peak_rss_mb():.0f} MB"
                )
            print(
                f"median {statistics.median(rates):.0f} MB/s; "
                f"server peak RSS {server.peak_rss_mb():.0f} MB (target <= 64 MB)"
            )
        finally:
            server.stop()
    subprocess.run(["sync"], check=False)


if __name__ == "__main__":
    main()
