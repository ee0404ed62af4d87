"""The plan's model: msgspec (what appliance/analytics/plan_schema.py uses) against
pydantic (what the MCP SDK brings) on the same plan, in one run.

    python bench/plan_validation.py [--rounds 20000]

1. Checking a typical plan's shape (a filter, a group, a ranking), per call: msgspec's
   ``convert`` into the appliance's model against pydantic's ``model_validate`` of a
   model with the same fields, and beside them the whole check the appliance runs
   (shape, then the rules and the dataset's columns: ``plan.from_json``).
2. What importing each costs a fresh process (RSS), with the model built.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Literal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PLAN: dict[str, Any] = {
    "dataset": "admissions",
    "statistic": "mean",
    "column": "length_of_stay",
    "filters": [
        {"column": "age", "op": ">", "value": 60},
        {"column": "sex", "op": "=", "value": "F"},
    ],
    "group_by": [{"column": "ward"}],
    "order": "desc",
    "limit": 3,
}


def _pydantic_model() -> Any:
    """The plan's fields as a pydantic model (strict, extra fields forbidden)."""
    from pydantic import BaseModel, ConfigDict, Field

    class Model(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

    class Filter(Model):
        column: str
        op: Literal["=", "!=", "<", "<=", ">", ">=", "in", "between", "is_null", "not_null"]
        value: int | float | str | None = None
        values: list[int | float | str] | None = None
        part: Literal["year", "month"] | None = None

    class GroupBy(Model):
        column: str
        bin: Literal["year", "month"] | None = None

    class Plan(Model):
        dataset: str | None = None
        statistic: str
        column: str | None = None
        x: str | None = None
        filters: list[Filter] = Field(default_factory=list)
        condition: list[Filter] = Field(default_factory=list)
        groups: list[list[Filter]] = Field(default=[], max_length=2)
        of: str | None = None
        group_by: list[str | GroupBy] = Field(default=[], max_length=2)
        percentile: int | float | None = None
        method: str | None = None
        output: str | None = None
        predictors: list[str | Filter] = Field(default_factory=list)
        at: dict[str, int | float] = Field(default_factory=dict)
        order: Literal["asc", "desc"] | None = None
        limit: int | None = Field(default=None, ge=1, le=1000)
        label: str | None = None

    return Plan


def _per_call(fn: Any, rounds: int) -> float:
    """Microseconds per call: the median of five timed runs of ``rounds`` calls."""
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        runs.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(runs)


def _import_rss(code: str) -> float:
    """MB a fresh interpreter's RSS grows by running ``code``."""
    probe = (
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20\n"
        f"before = rss()\n{code}\nprint(rss() - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20000)
    args = parser.parse_args()

    import msgspec

    from appliance.analytics import plan, plan_schema
    from appliance.analytics.plan import ColumnInfo

    model = _pydantic_model()
    assert msgspec.convert(PLAN, plan_schema.Plan).limit == model.model_validate(PLAN).limit
    columns = [
        ColumnInfo("age", "integer"),
        ColumnInfo("sex", "category", textual=True, values=("F", "M")),
        ColumnInfo("ward", "category", textual=True),
        ColumnInfo("length_of_stay", "integer"),
    ]
    ms = _per_call(lambda: msgspec.convert(PLAN, plan_schema.Plan), args.rounds)
    pd = _per_call(lambda: model.model_validate(PLAN), args.rounds)
    whole = _per_call(lambda: plan.from_json(PLAN, columns), args.rounds)
    print(f"shape check, per plan: msgspec {ms:.2f} µs, pydantic {pd:.2f} µs ({pd / ms:.1f}x)")
    print(f"the appliance's whole check (plan.from_json): {whole:.2f} µs")
    ms_mb = _import_rss("from appliance.analytics import plan_schema")
    pd_mb = _import_rss(
        "import sys; sys.path.insert(0, 'bench'); import plan_validation as b; b._pydantic_model()"
    )
    print(f"import, with the model built: msgspec {ms_mb:.1f} MB, pydantic {pd_mb:.1f} MB")


if __name__ == "__main__":
    main()
