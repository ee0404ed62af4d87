"""The DuckDB an import of a CSV file runs on: one thread, 256 MB, spilling beyond.

In a server each import gets an instance of its own (:func:`ingest_connection`), closed
after it: imports of several organizations run at once beside uploads and questions.
Files loaded outside any organization (``datasets.load_file``: tests and benchmarks)
share one instance with the same settings, one load at a time (:func:`shared_loader`):
a new instance is about 40 ms of CPU, and the tests load hundreds of small tables.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

INGEST_MEMORY = "256MB"
ALLOCATOR_FLUSH = "16MB"
"""DuckDB keeps up to this much freed memory after a task (its default: 128 MiB)."""


def ingest_connection(spill: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB of its own for one import, bounded: it runs in a server process beside
    uploads and questions, and ``IMPORT_THREADS`` of them may run at once. One thread
    and 256 MB (spilling to ``spill`` beyond), its freed memory handed back after each
    task: with 2 GB of limits (2 x 512 MB here, 1 GB for questions) a server process
    under mixed load peaked at 214-256 MB (docs/performance.md, "Memory of a server
    process")."""
    import duckdb

    conn = duckdb.connect(
        config={
            "memory_limit": INGEST_MEMORY,
            "threads": 1,
            "temp_directory": str(spill),
            "allocator_flush_threshold": ALLOCATOR_FLUSH,
            # Rows keep their file order (rankings break ties by it) at ~30% more memory.
            "preserve_insertion_order": True,
        }
    )
    conn.execute("SET enable_progress_bar = false")  # it would print to the server's stdout
    return conn


_shared: duckdb.DuckDBPyConnection | None = None
shared_guard = threading.Lock()
"""Held for a whole load on the shared instance: one at a time."""


def shared_loader(_spill: Path) -> duckdb.DuckDBPyConnection:
    """A cursor on the process's one instance for loads outside any organization, made
    as :func:`ingest_connection` makes one, spilling to a folder of its own (removed at
    the process's exit). The caller holds :data:`shared_guard`."""
    global _shared
    if _shared is None:
        spill = Path(tempfile.mkdtemp(prefix="hpx-load-spill-"))
        atexit.register(shutil.rmtree, spill, ignore_errors=True)
        _shared = ingest_connection(spill)
    return _shared.cursor()
