"""Conditions on one column that no value can meet are refused, in a plan as in a question.

A plan with ``age < 20`` and ``age > 60`` answered 0: read as a finding ("no such
patients"), where the plan asks for something that cannot exist. Questions were already
refused by the reader; an agent's plan now gets the same rule (appliance/analytics/
plan_ranges.py), as a 400 naming the field.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.analytics import plan
from appliance.analytics.errors import PlanError
from appliance.analytics.plan import ColumnInfo
from tests.helpers import error_of
from tests.servers import InProcess
from tests.test_plan_fields import babies  # noqa: F401  (the signed-in analyst fixture)

COLUMNS = [
    ColumnInfo("bwt", "integer"),
    ColumnInfo("age", "integer"),
    ColumnInfo("smoke", "boolean", values=(0, 1)),
    ColumnInfo("seen", "date"),
]


def _age(op: str, value: Any) -> dict[str, Any]:
    key = "values" if isinstance(value, list) else "value"
    return {"column": "age", "op": op, key: value}


def _check(body: dict[str, Any]) -> plan.Plan:
    return plan.from_json({"dataset": "births", **body}, COLUMNS)


NEVER = [
    [_age("<", 20), _age(">", 60)],
    [_age(">", 30), _age("<", 30)],
    [_age(">", 30), _age("<=", 30)],  # an open end at the same number
    [_age(">=", 30), _age("<", 30)],
    [_age("=", 25), _age(">", 40)],
    [_age("between", [20, 30]), _age("between", [40, 50])],
    [_age("between", [20, 30]), _age(">=", 31)],
    [{"column": "seen", "op": ">", "value": "2020-01-01"},
     {"column": "seen", "op": "<", "value": "2019-06-30"}],
]  # fmt: skip

POSSIBLE = [
    [_age(">=", 30), _age("<=", 30)],  # exactly 30
    [_age(">", 30), _age("<", 31)],  # no whole number, but ages need not be whole
    [_age("<", 20), _age(">", 10)],
    [_age("not_between", [20, 60]), _age("<", 20)],  # outside a range is no range
    [_age("between", [20, 30]), _age("between", [30, 50])],
    [_age("<", 20), {"column": "bwt", "op": ">", "value": 60}],  # two columns
    [{"column": "seen", "op": ">", "value": "2019-01-01"},
     {"column": "seen", "op": "<", "value": "2019-06-30"}],
]  # fmt: skip


@pytest.mark.parametrize("filters", NEVER)
def test_filters_no_value_meets_are_refused_naming_the_column(filters: list[Any]) -> None:
    with pytest.raises(PlanError) as fault:
        _check({"statistic": "count", "filters": filters})
    assert fault.value.field == "filters"
    assert f"no value of {filters[0]['column']} meets" in fault.value.why


@pytest.mark.parametrize("filters", POSSIBLE)
def test_filters_some_value_can_meet_are_taken(filters: list[Any]) -> None:
    assert _check({"statistic": "count", "filters": filters}).filters


def test_a_year_and_the_whole_date_are_separate_ranges() -> None:
    """``year(seen) > 2020`` and ``seen < 2019-06-30`` contradict each other too, but
    the check compares like with like only: the year is its own range, so this is left
    to the engine (it answers 0 rows honestly named by both conditions)."""
    year = {"column": "seen", "op": ">", "value": 2020, "part": "year"}
    day = {"column": "seen", "op": "<", "value": "2019-06-30"}
    assert _check({"statistic": "count", "filters": [year, day]}).filters
    with pytest.raises(PlanError):
        _check({"statistic": "count", "filters": [year, {**year, "op": "<", "value": 2019}]})


def test_a_difference_group_that_contradicts_the_filters_is_refused() -> None:
    """Each group is read with the filters: ``age > 40`` beside a group ``age < 30``
    compares an empty group."""
    body = {
        "statistic": "difference",
        "of": "mean",
        "column": "bwt",
        "filters": [_age(">", 40)],
        "groups": [[_age("<", 30)], [_age(">=", 50)]],
    }
    with pytest.raises(PlanError) as fault:
        _check(body)
    assert fault.value.field == "groups[0]"
    body["groups"] = [[{"column": "smoke", "op": "=", "value": 1}],
                      [{"column": "smoke", "op": "=", "value": 0}]]  # fmt: skip
    assert _check(body).groups


def test_over_the_api_a_contradictory_plan_is_a_400_not_zero(
    app_on_sqlite: InProcess,
    babies: dict[str, str],  # noqa: F811
) -> None:
    count = {"dataset": "babies", "statistic": "count"}
    with app_on_sqlite.client() as client:
        never = client.post(
            "/v1/queries",
            json={"plan": count | {"filters": [_age("<", 22), _age(">", 30)]}},
            headers=babies,
        )
        some = client.post(
            "/v1/queries",
            json={"plan": count | {"filters": [_age(">", 22), _age("<", 30)]}},
            headers=babies,
        )
    assert never.status_code == 400, never.text
    assert error_of(never) == "invalid_request"
    assert never.json()["message"].startswith("plan.filters: no value of age meets")
    assert some.status_code == 200, some.text
    # the babies table's ages are 21..40 (tests/test_plan_fields.py): 23..29 is seven rows
    assert some.json()["answer"] == sum(1 for a in range(21, 41) if 22 < a < 30)
