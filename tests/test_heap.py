"""appliance/serving/heap.py: freed memory inside the heap goes back to the system."""

from __future__ import annotations

import subprocess
import sys

import pytest

from appliance.serving import heap

HOLES = """
import os
from appliance.serving import heap

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

first = b"x" * (1 << 20)  # freed: glibc then serves blocks this size from its heap
del first
big, keep = [], []
for _ in range(200):  # 300 KiB blocks, each followed by a small block that stays
    big.append(b"x" * (300 << 10))
    keep.append(b"k" * 1000)
before = rss_mb()
del big  # holes between the blocks that stay: the heap's top does not move
held = rss_mb()
given = heap.trim()
print(before, held, rss_mb(), given)
"""


@pytest.mark.skipif(not heap.AVAILABLE, reason="this C library has no malloc_trim")
def test_trim_returns_the_holes_of_the_heap() -> None:
    """200 freed 300 KiB blocks between live ones (~59 MB) stay resident until
    ``trim``, which returns most of them; each figure is the process's own RSS."""
    out = subprocess.run([sys.executable, "-c", HOLES], capture_output=True, text=True, check=True)
    before, held, after, given = out.stdout.split()
    assert given == "True"
    assert float(held) > float(before) - 10  # freeing alone gave (nearly) nothing back
    assert float(held) - float(after) > 45  # of ~59 MB in holes
