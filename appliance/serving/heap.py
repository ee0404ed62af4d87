"""Giving freed heap memory back to the system.

glibc keeps memory that Python frees inside its heap: the 256 KiB reads, 512 KiB
batches and TLS buffers of uploads that ended at different times leave holes between
live blocks, and only the top of the heap is ever returned on its own. Over rounds of
16 uploads on two server processes the holes held ~22 MB per process. Trimming every
2 s (appliance/serving/server.py), ten rounds alternating with a server that does not: what
the processes hold after a round 86 MB of PSS instead of 125, and each round's peak a
few MB lower (docs/performance.md has the rounds). ``malloc_trim(0)`` hands the whole
pages of every hole back (``madvise``), keeping the addresses: the next allocation
there takes fresh zero pages, no copy, no move.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

_trim: Callable[[int], int] | None
try:  # glibc only; another C library (musl) has no malloc_trim, and nothing to do
    _trim = ctypes.CDLL(None).malloc_trim
except AttributeError:
    _trim = None

AVAILABLE = _trim is not None
"""Whether this C library can give heap memory back (``give_back`` does nothing if not)."""


def give_back() -> bool:
    """Return the free pages inside the heap to the system: 0.2 ms median, 3.4 ms at
    most, measured on a server process during 16 uploads. False where the C library
    has no ``malloc_trim`` or nothing was returned."""
    return _trim is not None and bool(_trim(0))
