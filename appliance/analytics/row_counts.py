"""Whether the rows a plan's conditions keep are one for each value of a column (one
row per patient at visit 1 of a table of visits): a fact of the data, counted by the
engine itself."""

from __future__ import annotations

import threading
from typing import Any

from appliance.analytics import engine
from appliance.analytics.datasets import Dataset
from appliance.analytics.plan import Filter, Plan

_KEPT = 256
_known: dict[tuple[Any, ...], bool] = {}
_guard = threading.Lock()


def one_row_each(dataset: Dataset, column: str, filters: tuple[Filter, ...]) -> bool:
    """Every row the filters keep holds a different value of ``column``, none empty."""
    key = (str(dataset.path), dataset.file_id, column, filters)
    with _guard:
        if key in _known:
            return _known[key]

    def run(statistic: str, of: str | None) -> Any:
        plan = Plan(dataset.name, statistic, column=of, filters=filters)
        return engine.run(plan, dataset).answer

    rows = run("count", None)
    filled = Plan(dataset.name, "count", filters=(*filters, Filter(column, "not_null")))
    each = bool(
        rows == run("count_distinct", column) and rows == engine.run(filled, dataset).answer
    )
    with _guard:
        if len(_known) >= _KEPT:
            _known.clear()
        _known[key] = each
    return each
