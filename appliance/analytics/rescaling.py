"""A plan's ``unit``: its answer converted exactly from the column's recorded unit.

"Person-years of follow-up" is the sum of a follow-up in days, in years; "the mean
survival in months" the mean in days over 30.4375. The plan check (plan._check_unit)
admits a unit only for a statistic in its column's unit and a column whose unit is
recorded and of the same kind; here the computed answer, and the rows' values behind
it, are multiplied by the exact factor, and a caveat states the conversion. The SQL
stays in the column's unit, and so do the plan's filters: only the answer's numbers
change, after the engine computed them, so disclosure control counts the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.analytics import units
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Plan

if TYPE_CHECKING:
    from appliance.analytics.datasets import Dataset
    from appliance.analytics.query import Result


def factor(plan: Plan, dataset: Dataset) -> float:
    """What the column's values are multiplied by to be in the plan's unit (1 without)."""
    return _conversion(plan, dataset)[0]


def apply(plan: Plan, dataset: Dataset, result: Result) -> None:
    """The answer, and the measured values in its rows, in the plan's unit (the group
    keys that lead a row never: a group named 30 stays 30)."""
    by, recorded = _conversion(plan, dataset)
    if by == 1.0:
        return
    assert plan.column is not None and plan.unit is not None and recorded is not None
    result.answer = units.scaled(result.answer, by)
    measured = units.KM_MEDIAN_COLUMNS if plan.statistic == "survival_median" else ("value",)
    keys = len(plan.group_by)
    scaled = {i for i, c in enumerate(result.columns) if c in measured and i >= keys}
    result.rows = [
        [units.scaled(v, by) if i in scaled else v for i, v in enumerate(r)] for r in result.rows
    ]
    result.caveats.append(units.caveat(plan.column, recorded, plan.unit))


def _conversion(plan: Plan, dataset: Dataset) -> tuple[float, str | None]:
    """The factor to the plan's unit and the column's recorded unit ((1, None) when the
    plan asks for none)."""
    if plan.unit is None:
        return 1.0, None
    recorded = dataset.unit(plan.column) if plan.column else None
    by = units.factor(plan.unit, recorded) if recorded else None
    if recorded is None or by is None:  # the plan check refuses these: never a guess
        raise Unanswerable(f"{plan.column} cannot be converted to {plan.unit}")
    return by, recorded
