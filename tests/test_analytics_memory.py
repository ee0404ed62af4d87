"""DuckDB inside a server process is bounded (issue 29, item 20).

Imports and questions run in the server processes, beside uploads: each DuckDB they
open must keep to the memory and threads docs/performance.md states ("Memory of a
server process"), and hand freed memory back after a task rather than keep DuckDB's
default 128 MiB. The figures are read back from DuckDB itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from appliance.analytics import datasets, engine

MIB = 1024 * 1024


def _settings(conn: object) -> dict[str, str]:
    names = ("memory_limit", "threads", "allocator_flush_threshold")
    row = conn.execute(  # type: ignore[attr-defined]
        "SELECT " + ", ".join(f"current_setting('{n}')" for n in names)
    ).fetchone()
    return dict(zip(names, map(str, row), strict=True))


UNITS = {"KiB": 1024, "MiB": MIB, "GiB": 1024 * MIB, "KB": 1e3, "MB": 1e6, "GB": 1e9}


def _bytes(text: str) -> float:
    """DuckDB's way of writing a size ("244.1 MiB", "16MB") in bytes."""
    found = re.fullmatch(r"([0-9.]+)\s*([KMG]i?B)", text)
    assert found, text
    return float(found[1]) * UNITS[found[2]]


def test_an_import_uses_one_thread_and_at_most_256_mib(tmp_path: Path) -> None:
    conn = datasets.ingest_connection(tmp_path / "spill")
    try:
        found = _settings(conn)
    finally:
        conn.close()
    assert found["threads"] == "1"
    assert _bytes(found["memory_limit"]) <= 256 * MIB
    assert _bytes(found["allocator_flush_threshold"]) <= 16 * MIB


def test_questions_use_two_threads_and_at_most_256_mib() -> None:
    cursor = engine._connection()
    try:
        found = _settings(cursor)
    finally:
        cursor.close()
    assert found["threads"] == "2"
    assert _bytes(found["memory_limit"]) <= 256 * MIB
    assert _bytes(found["allocator_flush_threshold"]) <= 16 * MIB
