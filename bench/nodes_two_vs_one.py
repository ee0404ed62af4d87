"""Two nodes against one: 16 concurrent 64 MiB PUTs over HTTPS from 4 organizations,
sent all to one node, or spread over two nodes of one appliance (one PostgreSQL, one
object store bucket, one secrets file), in one run.

    python bench/nodes_two_vs_one.py [--uploads 16] [--size-mib 64] [--pairs 3] [--gateway-tls]

Starts the tests' own single-node Ceph with its S3 gateway and PostgreSQL
(tests/ceph.py, tests/postgres.py: Debian's ceph-mon, ceph-osd, radosgw, ceph-common
and postgresql, which ./install.sh --test installs), then two servers sharing them.
Pairs alternate which goes first; the files are deleted after each round (the test
cluster keeps objects in memory). Prints each pair, the medians (aggregate MB/s) and
the median of the pairs' own ratios. On one machine the nodes, the object store and
the database share its cores: the ratio says what a second node costs or gives here,
not on separate hosts.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import trustme
from common import MIB, BenchServer, bench_dir, curl_put, pair_ratio, payload, start_server
from concurrent_vs_nginx import ORGS, api_keys, presign

from tests import ceph as ceph_cluster  # the project's test engines
from tests import postgres as pg_cluster


def spread(targets: list[BenchServer], src: Path, urls: list[str]) -> float:
    """PUT every URL at once, the n-th to node n mod len(targets); seconds taken."""
    start = time.perf_counter()
    running = []
    for n, url in enumerate(urls):
        node = targets[n % len(targets)]
        on_node = node.url + "/v1/" + url.split("/v1/", 1)[1]
        running.append(subprocess.Popen(["curl", *curl_put(node, src, on_node)]))
    for process in running:
        if process.wait() != 0:
            raise RuntimeError("a PUT failed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=16)
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--gateway-tls", action="store_true",
                        help="the S3 gateway over HTTPS (default: HTTP on loopback)")  # fmt: skip
    args = parser.parse_args()
    size = args.size_mib * MIB
    total = args.uploads * size
    if not (ceph_cluster.available() and pg_cluster.available()):
        sys.exit("needs Ceph and PostgreSQL: ./install.sh --test installs them")

    with bench_dir() as work:
        src, digest = payload(work, size)
        secrets_file = work / "signing-keys"
        secrets_file.write_text(secrets.token_urlsafe(48) + "\n")
        secrets_file.chmod(0o600)
        (work / "audit-key").write_text(secrets.token_urlsafe(48) + "\n")  # beside it
        (work / "audit-key").chmod(0o600)
        cluster = ceph_cluster.start(work / "ceph", trustme.CA() if args.gateway_tls else None)
        postgres = pg_cluster.start()
        nodes: list[BenchServer] = []
        rates: dict[str, list[float]] = {"two nodes": [], "one node": []}
        try:
            settings = cluster.settings(f"bench-{secrets.token_hex(4)}") | {
                "database_url": postgres.new_database(),
                "signing_keys_file": str(secrets_file),
            }
            nodes.append(start_server(work, **settings))
            nodes.append(start_server(work, new_org=False, **settings))
            keys = api_keys(nodes[0])
            runs = {"two nodes": nodes, "one node": nodes[:1]}
            for n in range(1, args.pairs + 1):
                order = list(runs) if n % 2 else list(reversed(runs))
                line = []
                for name in order:
                    urls = [presign(nodes[0], keys[k % ORGS], f"p{n}-{k}.bin", size, digest)
                            for k in range(args.uploads)]  # fmt: skip
                    rates[name].append(total / spread(runs[name], src, urls) / 1e6)
                    nodes[0].delete_all(keys)
                    line.append(f"{name} {rates[name][-1]:.0f} MB/s")
                print(f"pair {n}: " + ", ".join(line), flush=True)
        finally:
            for node in nodes:
                node.stop()
            postgres.stop()
            cluster.stop()
    ratio = pair_ratio(rates["two nodes"], rates["one node"])
    print(f"\n{args.uploads} concurrent PUTs of {args.size_mib} MiB from {ORGS} organizations"
          f" into the object store, medians of {args.pairs} pairs")  # fmt: skip
    for name, values in rates.items():
        print(f"  {name:<10} {statistics.median(values):6.0f} MB/s in all")
    print(f"  ratio two nodes / one node: {ratio:.2f}")


if __name__ == "__main__":
    main()
