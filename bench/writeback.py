"""The upload writer alone (no network, no TLS): a body through ``storage.StreamWriter``
with the kernel's writeback started as the file grows (what the server does) against
the same writer leaving every dirty page to the final fsync, in one run.

    python bench/writeback.py [--size-mib 1024] [--pairs 3]

Pairs alternate which goes first. Prints each run's throughput and the time of its
``finish()`` (the fsync before an upload is answered), the medians, and the median of
the pairs' own ratios of throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from common import MIB, bench_dir, pair_ratio

import storage.writer
from storage import StreamWriter

CHUNK = 256 * 1024
"""What the server's reads bring (server.READ_BYTES)."""
SERVED = storage.writer.WRITEBACK_BYTES
"""How often the server's writer starts the kernel's writeback."""


async def one_body(path: Path, size: int, early: bool) -> tuple[float, float]:
    """Seconds to write ``size`` bytes through a writer, and seconds of its ``finish()``."""
    storage.writer.WRITEBACK_BYTES = SERVED if early else 1 << 62
    block = os.urandom(CHUNK)
    writer = StreamWriter(path, open(path, "wb"))
    start = time.perf_counter()
    for _ in range(size // CHUNK):
        await writer.write(block)
    written = time.perf_counter()
    await writer.finish()
    return written - start, time.perf_counter() - written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    size = args.size_mib * MIB
    rates: dict[str, list[float]] = {"early writeback": [], "fsync only": []}
    fsyncs: dict[str, list[float]] = {name: [] for name in rates}
    with bench_dir() as work:
        for n in range(1, args.pairs + 1):
            order = list(rates) if n % 2 else list(reversed(rates))
            line = []
            for name in order:
                path = work / "body.bin"
                feed, fsync = asyncio.run(one_body(path, size, name == "early writeback"))
                path.unlink()
                rates[name].append(size / (feed + fsync) / 1e6)
                fsyncs[name].append(fsync)
                line.append(f"{name} {rates[name][-1]:.0f} MB/s (fsync {fsync:.2f} s)")
            print(f"pair {n}: " + ", ".join(line), flush=True)
    print(f"\n{args.size_mib} MiB through StreamWriter, medians of {args.pairs} pairs")
    for name in rates:
        print(f"  {name:<16} {statistics.median(rates[name]):6.0f} MB/s,"
              f" finish() {statistics.median(fsyncs[name]):.2f} s")  # fmt: skip
    ratio = pair_ratio(rates["early writeback"], rates["fsync only"])
    print(f"  ratio early writeback / fsync only: {ratio:.2f}")


if __name__ == "__main__":
    main()
