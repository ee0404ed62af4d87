"""Giving freed heap memory back to the system.

glibc keeps memory that Python frees inside its heap: the 256 KiB reads, 512 KiB
batches and TLS buffers of uploads that ended at different times leave holes between
live blocks, and only the top of the heap is ever returned on its own. The server
trims every 2 s (appliance/serving/server.py); what that saves, round by round, is in
docs/performance.md ("the heap's holes given back"). ``malloc_trim(0)`` hands the whole
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
"""Whether this C library can give heap memory back (``trim`` does nothing if not)."""


def trim() -> bool:
    """Return the free pages inside the heap to the system (short enough to run on the
    event loop: docs/performance.md). False where the C library has no
    ``malloc_trim`` or nothing was returned."""
    return _trim is not None and bool(_trim(0))
