"""Multipart upload: throughput with 1, 4 and 8 parallel streams, and the cost of complete.

    python bench/upload_multipart.py [--size-mib 2048] [--part-mib 16] [--streams 1 4 8]
                                     [--workers 1]

For each stream count: MB/s of the parts (curl PUTs over HTTPS, N at a time), the
time of ``complete`` beside the time of ``sha256sum`` of the very file it produced
(target: at most 1.0x), and the peak PSS of the server's processes (shared pages
counted once). Repeat counts to alternate them (``--streams 1 4 1 4 1 4``): the
summary gives each count's median and its ratio to one stream's (target for 4: 1.6x).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import MIB, BenchServer, PeakPss, bench_dir, curl_put, payload, start_server, timed


def put_parts(server: BenchServer, jobs: list[tuple[Path, str]]) -> None:
    """One curl for several parts (``--next``), so they share one keep-alive connection,
    as a real client's stream would."""
    cmd = ["curl"]
    for i, (path, url) in enumerate(jobs):
        cmd += (["--next"] if i else []) + curl_put(server, path, url)
    subprocess.run(cmd, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--part-mib", type=int, default=16)
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--workers", type=int, default=1, help="the server's processes")
    args = parser.parse_args()
    size, part = args.size_mib * MIB, args.part_mib * MIB

    with bench_dir() as work:
        src, digest = payload(work, size)
        parts_dir = work / "parts"
        parts_dir.mkdir()
        subprocess.run(
            ["split", "-b", str(part), "-d", "-a", "5", str(src), str(parts_dir / "p")], check=True
        )
        part_files = sorted(parts_dir.iterdir())
        server = start_server(work, workers=str(args.workers))
        rates: dict[int, list[float]] = {}
        try:
            print(f"file {args.size_mib} MiB in {len(part_files)} parts of {args.part_mib} MiB")
            for streams in args.streams:
                session = server.post(
                    "/v1/uploads/multipart",
                    {
                        "filename": f"streams{streams}.bin",
                        "size": size,
                        "part_size": part,
                        "sha256": digest,
                    },
                )
                jobs = list(
                    zip(part_files, [p["upload_url"] for p in session["parts"]], strict=True)
                )
                with PeakPss(server) as sampled:
                    start = time.perf_counter()
                    with ThreadPoolExecutor(streams) as pool:
                        shares = [jobs[k::streams] for k in range(streams)]
                        list(pool.map(put_parts, [server] * streams, shares))
                    upload_s = time.perf_counter() - start
                    start = time.perf_counter()
                    upload_id = session["upload_id"]
                    file = server.post(f"/v1/uploads/multipart/{upload_id}/complete", {})
                    complete_s = time.perf_counter() - start
                stored = next(server.data_dir.glob(f"orgs/*/files/{file['filename']}"))
                sha_s = timed(["sha256sum", str(stored)])
                assert file["sha256"] == digest
                print(
                    f"{streams} stream(s): parts {upload_s:.2f} s = {size / upload_s / 1e6:.0f}"
                    f" MB/s; complete {complete_s:.2f} s vs sha256sum {sha_s:.2f} s"
                    f" ({complete_s / sha_s:.2f}x, target <= 1.0); peak PSS {sampled.peak:.0f} MB"
                )
                rates.setdefault(streams, []).append(size / upload_s / 1e6)
                server.delete_file(file["file_id"])
        finally:
            server.stop()
    one = statistics.median(rates[1]) if 1 in rates else None
    for streams, seen in rates.items():
        rate = statistics.median(seen)
        ratio = f", {rate / one:.2f}x one stream" if one else ""
        target = "  (target >= 1.6)" if streams == 4 and one else ""
        print(f"  {streams} stream(s): median {rate:.0f} MB/s of {len(seen)} run(s){ratio}{target}")


if __name__ == "__main__":
    main()
