"""tus upload against the presigned PUT, side by side in one run, over HTTPS.

    python bench/upload_tus.py [--size-mib 1024] [--pairs 3]

Each pair uploads the same file twice with curl: once with a presigned PUT, once as
a tus upload (creation, then one PATCH of the whole file), in alternating order so
that the machine's drift falls on both. Prints each run, the medians and the ratio
tus/PUT (the issue asks for at least 0.9).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import urllib.request
from pathlib import Path

from common import MIB, BenchServer, bench_dir, curl_put, payload, start_server, timed


def put_seconds(server: BenchServer, src: Path, size: int, digest: str, name: str) -> float:
    grant = server.post("/v1/uploads", {"filename": name, "size": size, "sha256": digest})
    return timed(["curl", *curl_put(server, src, grant["upload_url"])])


def tus_seconds(server: BenchServer, src: Path, size: int, name: str) -> float:
    import base64
    import ssl

    meta = "filename " + base64.b64encode(name.encode()).decode()
    req = urllib.request.Request(
        server.url + "/v1/tus/",
        method="POST",
        headers={"X-API-Key": server.api_key, "Tus-Resumable": "1.0.0",
                 "Upload-Length": str(size), "Upload-Metadata": meta},
    )  # fmt: skip
    ctx = ssl.create_default_context(cafile=str(server.cert))
    with urllib.request.urlopen(req, context=ctx) as resp:
        location = resp.headers["Location"]
    return timed(
        ["curl", "--fail", "--silent", "--show-error", "--http1.1", "--cacert", str(server.cert),
         "-X", "PATCH", "-T", str(src), "-o", "/dev/null",
         "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: 0",
         "-H", "Content-Type: application/offset+octet-stream", location]
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    size = args.size_mib * MIB
    with bench_dir() as work:
        src, digest = payload(work, size)
        server = start_server(work)
        put_rates, tus_rates = [], []
        try:
            for pair in range(1, args.pairs + 1):
                order = ("put", "tus") if pair % 2 else ("tus", "put")
                for kind in order:
                    name = f"{kind}{pair}.bin"
                    if kind == "put":
                        seconds = put_seconds(server, src, size, digest, name)
                        put_rates.append(size / seconds / 1e6)
                    else:
                        seconds = tus_seconds(server, src, size, name)
                        tus_rates.append(size / seconds / 1e6)
                    print(f"pair {pair} {kind}: {seconds:.2f} s  {size / seconds / 1e6:.0f} MB/s")
            put, tus = statistics.median(put_rates), statistics.median(tus_rates)
            print(f"median PUT {put:.0f} MB/s, tus {tus:.0f} MB/s: tus/PUT = {tus / put:.2f}"
                  f" (target >= 0.9); server peak RSS {server.peak_rss_mb():.0f} MB")  # fmt: skip
        finally:
            server.stop()
    subprocess.run(["sync"], check=False)


if __name__ == "__main__":
    main()
