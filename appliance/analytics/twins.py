"""Twin columns: two columns holding one value on exactly the same rows.

A trial's table often keeps the arm twice, as text (``TRTA`` "Placebo") and as a code
labelled the same (``TRTAN`` 1 = "Placebo"). "The placebo arm" names a value of both:
where the rows with it in one are exactly the rows with it in the other, either column
gives the same answer, so the reader may take one (and says so). That is a fact of the
data, never of the names: it is checked here, on the rows, with the engine's own
comparison (text compared case-insensitively, as a plan's filter is)."""

from __future__ import annotations

import threading
from typing import Any

from appliance.analytics import engine
from appliance.analytics.datasets import Dataset
from appliance.analytics.plan import Filter, Plan

_KEPT = 256
"""At most this many answers are remembered (a file's content never changes under its
id: a new upload is a new file id)."""
_known: dict[tuple[Any, ...], bool] = {}
_guard = threading.Lock()


def same_rows(dataset: Dataset, a: Filter, b: Filter) -> bool:
    """Whether ``a`` and ``b`` keep exactly the same rows of ``dataset`` (a row empty in
    one column and holding the value in the other is a disagreement)."""
    key = (str(dataset.path), dataset.file_id, a, b)
    with _guard:
        if key in _known:
            return _known[key]

    def count(*filters: Filter) -> Any:
        return engine.run(Plan(dataset.name, "count", filters=filters), dataset).answer

    first, second = count(a), count(b)
    agree = bool(first == second and count(a, b) == first)
    with _guard:
        if len(_known) >= _KEPT:
            _known.clear()
        _known[key] = agree
    return agree
