"""Facts of a dataset's rows that the reader checks before it reads a question one way,
counted by the engine itself and remembered per file (a file's content never changes
under its id: a new upload is a new file id).

- Twin columns: a trial's table often keeps the arm twice, as text (``TRTA`` "Placebo")
  and as a code labelled the same (``TRTAN`` 1 = "Placebo"). "The placebo arm" names a
  value of both: where the rows with it in one are exactly the rows with it in the
  other, either column gives the same answer, so the reader may take one (and says so).
  That is a fact of the data, never of the names (text compared case-insensitively, as
  a plan's filter is).
- One row each: whether the rows a plan's conditions keep are one for each value of a
  column (one row per patient at visit 1 of a table of visits)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from appliance.analytics import engine
from appliance.analytics.datasets import Dataset
from appliance.analytics.plan import Filter, Plan

_KEPT = 256
"""At most this many facts are remembered."""
_known: dict[tuple[Any, ...], bool] = {}
_guard = threading.Lock()


def _remembered(dataset: Dataset, key: tuple[Any, ...], find: Callable[[], bool]) -> bool:
    """The fact under ``key`` for this file, found once (outside the lock: it queries)."""
    key = (str(dataset.path), dataset.file_id, *key)
    with _guard:
        if key in _known:
            return _known[key]
    found = find()
    with _guard:
        if len(_known) >= _KEPT:
            _known.clear()
        _known[key] = found
    return found


def _count(
    dataset: Dataset, *filters: Filter, statistic: str = "count", of: str | None = None
) -> Any:
    plan = Plan(dataset.name, statistic, column=of, filters=filters)
    return engine.run(plan, dataset).answer


def same_rows(dataset: Dataset, a: Filter, b: Filter) -> bool:
    """Whether ``a`` and ``b`` keep exactly the same rows of ``dataset`` (a row empty in
    one column and holding the value in the other is a disagreement)."""

    def find() -> bool:
        first, second = _count(dataset, a), _count(dataset, b)
        return bool(first == second and _count(dataset, a, b) == first)

    return _remembered(dataset, ("same rows", a, b), find)


def one_row_each(dataset: Dataset, column: str, filters: tuple[Filter, ...]) -> bool:
    """Every row the filters keep holds a different value of ``column``, none empty."""

    def find() -> bool:
        rows = _count(dataset, *filters)
        distinct = _count(dataset, *filters, statistic="count_distinct", of=column)
        filled = _count(dataset, *filters, Filter(column, "not_null"))
        return bool(rows == distinct and rows == filled)

    return _remembered(dataset, ("one row each", column, filters), find)
