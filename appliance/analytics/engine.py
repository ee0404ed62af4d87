"""Running a checked plan on DuckDB, read-only, within a time limit and a memory bound.

Each question gets a cursor on the process's one in-memory DuckDB (two threads, a
memory limit), reading one Parquet file — the caller's organization's copy of one
dataset. Each query has a time limit (DuckDB is interrupted; fits check the deadline
between blocks) and a row limit. The SQL and the shaping of answers are query.py's;
correlation and the fits regression.py's; time-to-event statistics survival_plans.py's.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from appliance.analytics import regression, rescaling, survival_plans
from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.import_connections import ALLOCATOR_FLUSH
from appliance.analytics.plan import Plan
from appliance.analytics.plan_terms import SURVIVAL_STATISTICS
from appliance.analytics.plan_words import describe
from appliance.analytics.query import (
    FIT_MEMORY,
    MAX_ROWS,
    TIME_LIMIT_S,
    Result,
    _key,
    _Query,
)

if TYPE_CHECKING:  # imported where used: 36 MB a server that only receives files never needs
    import duckdb

# What other modules use from here (disclosure.py builds its checks on the query too).
__all__ = [
    "FIT_MEMORY",
    "MAX_ROWS",
    "TIME_LIMIT_S",
    "Result",
    "_Query",
    "_connection",
    "_key",
    "describe",
    "run",
]


_instance: duckdb.DuckDBPyConnection | None = None
_instance_guard = threading.Lock()


def _connection() -> duckdb.DuckDBPyConnection:
    """A cursor on the process's one in-memory DuckDB (threads and memory bounded)."""
    import duckdb

    global _instance
    with _instance_guard:
        if _instance is None:
            _instance = duckdb.connect(
                config={
                    "threads": 2,
                    "memory_limit": "256MB",
                    "allocator_flush_threshold": ALLOCATOR_FLUSH,  # bounds: docs/performance.md
                    "enable_object_cache": True,
                }
            )
        cursor = _instance.cursor()
    cursor.execute("SET enable_progress_bar = false")  # it would print to the server's stdout
    return cursor


def run(
    plan: Plan, dataset: Dataset, time_limit: float = TIME_LIMIT_S, fit_memory: int = FIT_MEMORY
) -> Result:
    if dataset.error:
        raise Unanswerable(f"dataset {dataset.name} could not be read: {dataset.error}")
    import duckdb

    if plan.statistic in SURVIVAL_STATISTICS:
        survival_plans.prepare()  # lifelines' import, once: before the query's clock
    q = _Query(plan, dataset, time.monotonic() + time_limit, time_limit, fit_memory)
    conn = _connection()
    timer = threading.Timer(time_limit, conn.interrupt)
    timer.start()
    try:
        result = _answer(q, conn)
        rescaling.apply(plan, dataset, result)  # the plan's unit, where it asks for one
        result.kept = q.kept(conn)
        return result
    except duckdb.InterruptException as exc:
        raise Unanswerable(f"the query took longer than {time_limit:g} s") from exc
    except duckdb.OutOfRangeException as exc:  # a sum past its type: HUGEINT + HUGEINT
        raise Unanswerable("the result is past the largest number its type holds") from exc
    except duckdb.OutOfMemoryException as exc:  # past the instance's memory_limit
        raise Unanswerable(
            "the query needs more memory than one question may use: filter the rows or"
            " ask for fewer groups"
        ) from exc
    finally:
        timer.cancel()
        conn.close()


def _answer(q: _Query, conn: duckdb.DuckDBPyConnection) -> Result:
    """The statistic's own code: this module's query, or a fit or survival estimate."""
    q.refuse_rounding()
    s = q.plan.statistic
    if s == "difference":
        return q.difference(conn)
    if s == "correlation":
        return regression.correlation(q, conn)
    if s == "linear_regression":
        return regression.linear(q, conn)
    if s == "logistic_regression":
        return regression.logistic(q, conn)
    if s in SURVIVAL_STATISTICS:
        return survival_plans.run(q, conn)
    if s in ("top", "bottom", "list"):
        return q.ranked(conn)
    if s == "crosstab" or q.plan.group_by:
        return q.grouped(conn)
    return q.single(conn)
