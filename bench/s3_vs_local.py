"""One verified PUT over HTTPS into the object store (``store = "s3"``) beside the same
PUT into the local store, in one run.

    python bench/s3_vs_local.py [--size-mib 1024] [--pairs 3] [--gateway-tls]

Starts a single-node Ceph cluster with its S3 gateway (the tests' own, tests/ceph.py:
needs Debian's ceph-mon, ceph-osd, radosgw and ceph-common, which ./install.sh --test
installs), then two servers, one per store. Each pair alternates which goes first;
each uploaded file is deleted again (the test cluster keeps objects in memory). Prints
every pair, the medians, the ratio and each server's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import secrets
import ssl
import statistics
import sys
import urllib.request
from pathlib import Path

import trustme
from common import MIB, BenchServer, bench_dir, curl_put, pair_ratio, payload, start_server, timed

from tests import ceph as ceph_cluster  # the project's test cluster


def upload(server: BenchServer, src: Path, size: int, digest: str, n: int) -> float:
    grant = server.post("/v1/uploads", {"filename": f"pair{n}.bin", "size": size, "sha256": digest})
    seconds = timed(["curl", *curl_put(server, src, grant["upload_url"])])
    delete(server, grant["upload_id"])
    return seconds


def delete(server: BenchServer, upload_id: str) -> None:
    """Delete the file that upload made (found by listing)."""
    ctx = ssl.create_default_context(cafile=str(server.cert))
    req = urllib.request.Request(server.url + "/v1/files", headers={"X-API-Key": server.api_key})
    with urllib.request.urlopen(req, context=ctx) as resp:
        files = json.loads(resp.read())["files"]
    for file in files:
        if file["upload_id"] == upload_id:
            server.delete_file(file["file_id"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--gateway-tls", action="store_true",
                        help="the S3 gateway over HTTPS (default: HTTP on loopback)")  # fmt: skip
    args = parser.parse_args()
    size = args.size_mib * MIB
    if not ceph_cluster.available():
        sys.exit("needs Ceph: apt-get install ceph-mon ceph-osd radosgw ceph-common")

    with bench_dir() as work:
        src, digest = payload(work, size)
        cluster = ceph_cluster.start(work / "ceph", trustme.CA() if args.gateway_tls else None)
        servers: dict[str, BenchServer] = {}
        rates: dict[str, list[float]] = {"s3": [], "local": []}
        try:
            servers["local"] = start_server(work)
            servers["s3"] = start_server(work, **cluster.settings(f"bench-{secrets.token_hex(4)}"))
            for n in range(1, args.pairs + 1):
                order = ["s3", "local"] if n % 2 else ["local", "s3"]
                line = []
                for name in order:
                    seconds = upload(servers[name], src, size, digest, n)
                    rates[name].append(size / seconds / 1e6)
                    line.append(f"{name} {rates[name][-1]:.0f} MB/s")
                print(f"pair {n}: " + ", ".join(line), flush=True)
            peaks = {name: server.peak_rss_mb() for name, server in servers.items()}
        finally:
            for server in servers.values():
                server.stop()
            cluster.stop()
    ratio = pair_ratio(rates["s3"], rates["local"])
    print(f"\n{args.size_mib} MiB verified PUT over HTTPS, medians of {args.pairs} pairs")
    for name, values in rates.items():
        median = statistics.median(values)
        print(f"  {name:<6} {median:6.0f} MB/s, server peak RSS {peaks[name]:.0f} MB")
    print(f"  s3 / local: {ratio:.2f} (median of the pairs' own ratios)")


if __name__ == "__main__":
    main()
