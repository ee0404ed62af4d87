"""Does a long-lived server give memory back? Rounds of 16 concurrent 64 MiB PUTs over
HTTPS from 4 organizations, all on one server, and the peak of the summed proportional
set sizes of its processes in each round.

    python bench/memory_rounds.py [--rounds 8] [--uploads 16] [--size-mib 64] [--workers 1]

Prints each round's peak and what the processes hold after it, then the last round's
peak over the second's (the first round also grows the heap and the thread pools to
their working size): near 1.0 when what a round leaves is given back or reused,
rising with the rounds when something stays (docs/performance.md, "Memory that
stayed": each closed connection's cycle once held its TLS buffers until a rare full
collection, 76 -> 202 MB over 16 rounds).
"""

from __future__ import annotations

import argparse
import time

from common import MIB, PeakPss, bench_dir, payload, start_server
from concurrent_vs_nginx import ORGS, all_at_once, api_keys, presign

SETTLE_S = 3.0
"""After a round, before reading what stays: longer than the server's 2 s cycle
collection, so that the figure is what the server keeps, not what it has yet to free."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8, help="at least 2")
    parser.add_argument("--uploads", type=int, default=16)
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="the appliance's server processes")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2 (the second round is the reference)")
    size = args.size_mib * MIB

    with bench_dir() as work:
        src, digest = payload(work, size)
        server = start_server(work, workers=str(args.workers))
        peaks: list[float] = []
        try:
            keys = api_keys(server)
            print(f"idle: {server.pss_mb():.0f} MB", flush=True)
            for n in range(args.rounds):
                urls = [presign(server, keys[k % ORGS], f"r{n}-{k}.bin", size, digest)
                        for k in range(args.uploads)]  # fmt: skip
                with PeakPss(server) as sampled:
                    seconds = all_at_once(server, src, urls)
                peaks.append(sampled.peak)
                time.sleep(SETTLE_S)
                print(f"round {n + 1}: {args.uploads * size / seconds / 1e6:4.0f} MB/s,"
                      f" peak {sampled.peak:4.0f} MB, after {server.pss_mb():4.0f} MB",
                      flush=True)  # fmt: skip
        finally:
            server.stop()
    print(f"\n{args.rounds} rounds of {args.uploads} concurrent PUTs of {args.size_mib} MiB,"
          f" {args.workers} server process(es), peak PSS of all its processes")  # fmt: skip
    print(f"  first round {peaks[0]:.0f} MB, second {peaks[1]:.0f} MB, last {peaks[-1]:.0f} MB")
    print(f"  ratio last / second: {peaks[-1] / peaks[1]:.2f}  (near 1.0: nothing stays)")


if __name__ == "__main__":
    main()
