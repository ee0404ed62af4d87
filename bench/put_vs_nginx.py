"""One verified PUT over HTTPS: the appliance beside nginx, in one run.

    python bench/put_vs_nginx.py [--size-mib 512] [--pairs 3] [--http2]

Each pair alternates which goes first: the appliance's presigned PUT (it hashes while
receiving and checks the declared SHA-256 before its 201), nginx's dav PUT followed
by ``sha256sum`` of the stored file (a verified upload the nginx way), and nginx's
plain PUT. Same file, same certificate, curl as the client, loopback only. Beside them,
the disk's own durable write of as many bytes (``dd conv=fsync`` from /dev/zero: no
network, no TLS, no hash): the appliance fsyncs a file before its 201, nginx does not,
so this, not nginx's plain PUT, is the ceiling of a durable upload. Prints every pair,
the medians, and the ratios the performance issue names.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

from common import MIB, bench_dir, curl_put, pair_ratio, payload, start_server, timed
from nginx import start_nginx


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="an appliance setting for this run (e.g. http2=true)")  # fmt: skip
    args = parser.parse_args()
    size = args.size_mib * MIB
    settings = dict(s.split("=", 1) for s in args.setting)

    with bench_dir() as work:
        src, digest = payload(work, size)
        server = start_server(work, **settings)
        nginx = start_nginx(work, server.cert, server.data_dir / "tls" / "key.pem")
        rates: dict[str, list[float]] = {
            "appliance": [], "nginx+sha256sum": [], "nginx": [], "disk (dd, fsync)": []
        }  # fmt: skip
        cpu: list[float] = []
        try:

            def appliance(n: int) -> float:
                grant = server.post(
                    "/v1/uploads", {"filename": f"pair{n}.bin", "size": size, "sha256": digest}
                )
                before = server.cpu_seconds()
                seconds = timed(["curl", *curl_put(server, src, grant["upload_url"])])
                cpu.append(server.cpu_seconds() - before)
                return seconds

            def nginx_put(n: int, verify: bool) -> float:
                url = f"{nginx.url}/put/pair{n}-{int(verify)}.bin"
                start = time.perf_counter()
                subprocess.run(["curl", *curl_put(server, src, url)], check=True)
                if verify:
                    out = subprocess.run(["sha256sum", str(nginx.stored(url.rsplit("/", 1)[1]))],
                                         check=True, capture_output=True, text=True)  # fmt: skip
                    assert out.stdout.split()[0] == digest
                return time.perf_counter() - start

            def disk(n: int) -> float:
                out = work / "dd.bin"
                count = f"count={args.size_mib}"
                seconds = timed(["dd", "if=/dev/zero", f"of={out}", "bs=1M", count, "conv=fsync"])
                out.unlink()
                return seconds

            runs = {
                "appliance": appliance,
                "nginx+sha256sum": lambda n: nginx_put(n, True),
                "nginx": lambda n: nginx_put(n, False),
                "disk (dd, fsync)": disk,
            }
            for n in range(1, args.pairs + 1):
                order = list(runs) if n % 2 else list(reversed(runs))
                line = []
                for name in order:
                    subprocess.run(["sync"], check=False)
                    seconds = runs[name](n)
                    rates[name].append(size / seconds / 1e6)
                    line.append(f"{name} {rates[name][-1]:.0f} MB/s")
                print(f"pair {n}: " + ", ".join(line), flush=True)
            server_peak = server.peak_rss_mb()
        finally:
            nginx.stop()
            server.stop()
        peak = server_peak
    med = {name: statistics.median(values) for name, values in rates.items()}
    per_pair = {
        peer: pair_ratio(rates["appliance"], rates[peer])
        for peer in ("nginx+sha256sum", "nginx", "disk (dd, fsync)")
    }
    print(f"\n{args.size_mib} MiB over HTTPS, medians of {args.pairs} pairs"
          + (f", settings {settings}" if settings else ""))  # fmt: skip
    for name, value in med.items():
        print(f"  {name:<16} {value:6.0f} MB/s")
    print(f"  appliance CPU per GiB: {statistics.median(cpu) / (size / 1024**3):.2f} s;"
          f" server peak RSS {peak:.0f} MB (target <= 64)")  # fmt: skip
    print("  ratios, median of the pairs' own (the machine drifts between pairs):")
    print(f"    appliance / nginx+sha256sum: {per_pair['nginx+sha256sum']:.2f}  (target >= 1.0)")
    print(f"    appliance / nginx:           {per_pair['nginx']:.2f}  (target >= 0.6)")
    print(f"    appliance / disk (dd, fsync): {per_pair['disk (dd, fsync)']:.2f}"
          "  (a durable upload's ceiling)")  # fmt: skip


if __name__ == "__main__":
    main()
