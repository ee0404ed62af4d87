"""A plan field its statistic does not read is refused (400 naming it), never ignored.

Found by issue 27's agent trial (bench/agent_trial.py): a plan an agent may well write,
``{"statistic": "mean", "column": "bwt", "condition": [smoke = 1]}`` (the subset put in
``condition``, the percentage's field, instead of ``filters``), answered the mean over
every row, and ``{"statistic": "linear_regression", …, "at": {"gestation": 280}}``
without ``"output": "prediction"`` answered the slope: numbers that read as the answer
to the question the plan meant. Each such field is now a fault of the plan, named by
its path, as ``limit``, ``method`` and ``time`` already were.

The checks are :func:`plan.from_json`'s (the one gate for a client's plan and the
reader's); the last test asks through the API in this process, as an agent would.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.analytics import plan
from appliance.analytics.errors import PlanError
from appliance.analytics.plan import ColumnInfo
from tests.helpers import error_of, wait_until
from tests.servers import InProcess
from tests.test_analytics import sign_in, upload

COLUMNS = [
    ColumnInfo("case", "integer"),
    ColumnInfo("bwt", "integer", unit="lb"),
    ColumnInfo("gestation", "integer"),
    ColumnInfo("age", "integer"),
    ColumnInfo("smoke", "boolean", values=(0, 1)),
    ColumnInfo("parity", "boolean", values=(0, 1)),
    ColumnInfo("sx", "integer", labels=(("1", "male"), ("2", "female"))),
]
SMOKERS = [{"column": "smoke", "op": "=", "value": 1}]
ARMS = [SMOKERS, [{"column": "smoke", "op": "=", "value": 0}]]
OLD = {"column": "age", "op": ">", "value": 30}


def _check(body: dict[str, Any]) -> plan.Plan:
    return plan.from_json({"dataset": "babies", **body}, COLUMNS)


UNUSED = [
    # the subset written as a percentage's condition: the mean of every row came back
    ({"statistic": "mean", "column": "bwt", "condition": SMOKERS}, "condition", "filters"),
    ({"statistic": "count", "condition": SMOKERS}, "condition", "filters"),
    ({"statistic": "median", "column": "bwt", "groups": ARMS}, "groups", "difference"),
    ({"statistic": "mean", "column": "bwt", "of": "median"}, "of", "difference"),
    ({"statistic": "mean", "column": "bwt", "percentile": 90}, "percentile", "percentile"),
    ({"statistic": "top", "column": "bwt", "limit": 2, "percentile": 50}, "percentile", ""),
    ({"statistic": "mean", "column": "bwt", "x": "age"}, "x", "correlation"),
    ({"statistic": "mean", "column": "bwt", "predictors": ["age"]}, "predictors", "logistic"),
    ({"statistic": "mean", "column": "bwt", "output": "slope"}, "output", "linear"),
    # a correlation's r, answered where its r² was asked
    ({"statistic": "correlation", "column": "bwt", "x": "age", "output": "r2"}, "output", ""),
    ({"statistic": "mean", "column": "bwt", "at": {"age": 30}}, "at", "prediction"),
    ({"statistic": "mean", "column": "bwt", "label": "case"}, "label", "top"),
    ({"statistic": "mean", "column": "bwt", "order": "desc"}, "order", "group_by"),
    # "how many have a gestation": count counts rows, so the column was ignored
    ({"statistic": "count", "column": "gestation"}, "column", "not_null"),
    ({"statistic": "difference", "of": "count", "column": "bwt", "groups": ARMS}, "column", ""),
    ({"statistic": "crosstab", "column": "bwt", "group_by": ["smoke", "parity"]}, "column", ""),
    ({"statistic": "difference", "of": "mean", "column": "bwt", "groups": ARMS,
      "condition": [{"column": "age", "op": ">", "value": 30}]}, "condition", "filters"),
    ({"statistic": "difference", "of": "mean", "column": "bwt", "groups": ARMS,
      "percentile": 90}, "percentile", ""),
    # the slope, answered where a prediction at 280 was meant
    ({"statistic": "linear_regression", "column": "bwt", "x": "gestation",
      "at": {"gestation": 280}}, "at", '"output": "prediction"'),
    ({"statistic": "linear_regression", "column": "bwt", "x": "gestation", "output": "slope",
      "at": {"gestation": 280}}, "at", '"output": "prediction"'),
    # the odds ratio, answered where a probability at 30 was meant
    ({"statistic": "logistic_regression", "condition": SMOKERS, "predictors": ["age"],
      "at": {"age": 30}}, "at", '"output": "probability"'),
    ({"statistic": "logistic_regression", "condition": SMOKERS, "predictors": ["age"],
      "column": "bwt"}, "column", "condition"),
    ({"statistic": "logistic_regression", "condition": SMOKERS, "predictors": ["age"],
      "x": "gestation"}, "x", ""),
]  # fmt: skip


@pytest.mark.parametrize(("body", "field", "hint"), UNUSED)
def test_a_field_the_statistic_does_not_read_is_refused_naming_it(
    body: dict[str, Any], field: str, hint: str
) -> None:
    with pytest.raises(PlanError) as fault:
        _check(body)
    assert fault.value.field == field, str(fault.value)
    assert hint in fault.value.why


USED = [
    {"statistic": "percentage", "condition": SMOKERS, "filters": [OLD]},
    {"statistic": "difference", "of": "percentage", "condition": SMOKERS,
     "groups": [[OLD], [{"column": "age", "op": "<=", "value": 30}]]},
    {"statistic": "difference", "of": "percentile", "column": "bwt", "percentile": [90, 10]},
    {"statistic": "difference", "of": "percentile", "column": "bwt", "percentile": 90,
     "groups": ARMS},
    {"statistic": "difference", "of": "count", "groups": ARMS},
    {"statistic": "percentile", "column": "bwt", "percentile": 90, "group_by": ["smoke"]},
    {"statistic": "mean", "column": "bwt", "group_by": ["smoke"], "order": "desc", "limit": 1},
    {"statistic": "mean", "column": "bwt", "group_by": ["smoke"], "order": "desc"},
    {"statistic": "top", "column": "bwt", "limit": 3, "label": "case", "order": "asc"},
    {"statistic": "list", "filters": [OLD], "label": "case"},
    {"statistic": "correlation", "column": "bwt", "x": "age", "method": "spearman"},
    {"statistic": "linear_regression", "column": "bwt", "x": "gestation", "output": "prediction",
     "at": {"gestation": 280}},
    {"statistic": "logistic_regression", "condition": SMOKERS, "predictors": ["age"],
     "output": "probability", "at": {"age": 30}},
    {"statistic": "crosstab", "group_by": ["smoke", "parity"]},
    {"statistic": "count_distinct", "column": "age"},
    {"statistic": "null_count", "column": "gestation"},
    {"statistic": "mean", "column": "bwt", "unit": "kg"},
]  # fmt: skip


@pytest.mark.parametrize("body", USED)
def test_every_field_a_statistic_reads_is_taken(body: dict[str, Any]) -> None:
    _check(body)


@pytest.mark.parametrize("op", ["between", "not_between"])
def test_a_between_with_its_bounds_the_wrong_way_round_is_refused(op: str) -> None:
    """``between 35 and 30`` matches no row: answered 0, it would read as a finding;
    ``not_between 35 and 30`` would match every row."""
    bounds = {"column": "age", "op": op, "values": [35, 30]}
    with pytest.raises(PlanError) as fault:
        _check({"statistic": "count", "filters": [bounds]})
    assert fault.value.field == "filters[0].values"
    assert "lower bound first" in fault.value.why
    _check({"statistic": "count", "filters": [{**bounds, "values": [30, 35]}]})
    _check({"statistic": "count", "filters": [{**bounds, "values": [30, 30]}]})


def test_a_label_for_a_coded_number_column_is_refused_naming_the_codes() -> None:
    """``sx = "female"`` where the dictionary labels the codes 1 and 2: the 400 says
    which code to write, not only that 'female' is not a number."""
    with pytest.raises(PlanError) as fault:
        _check({"statistic": "count", "filters": [{"column": "sx", "op": "=", "value": "female"}]})
    assert fault.value.field == "filters[0].value"
    assert "1 (male), 2 (female)" in fault.value.why


@pytest.fixture(scope="module")
def babies(app_on_sqlite: InProcess) -> dict[str, str]:
    """A signed-in analyst of an organization with a small births table."""
    rows = ["case,bwt,gestation,age,smoke"] + [
        f"{i},{100 + 3 * i},{270 + i},{20 + i},{i % 2}" for i in range(1, 21)
    ]
    org, key = app_on_sqlite.new_org()
    with app_on_sqlite.client() as client:
        upload(client, key, "babies.csv", ("\n".join(rows) + "\n").encode())
        headers = sign_in(app_on_sqlite, client, org.id, "fields")

        def ready() -> bool:
            found = client.get("/v1/datasets", headers=headers).json()["datasets"]
            return bool(found) and found[0]["status"] == "ready"

        wait_until(ready, "the table imported", timeout=60, interval=0.2)
    return headers


def test_over_the_api_a_mean_with_a_condition_is_a_400_not_the_mean_of_every_row(
    app_on_sqlite: InProcess, babies: dict[str, str]
) -> None:
    mean = {"dataset": "babies", "statistic": "mean", "column": "bwt"}
    with app_on_sqlite.client() as client:
        wrong = client.post("/v1/queries", json={"plan": mean | {"condition": SMOKERS}},
                            headers=babies)  # fmt: skip
        assert wrong.status_code == 400, wrong.text
        assert error_of(wrong) == "invalid_request"
        assert wrong.json()["message"].startswith("plan.condition: ")
        right = client.post("/v1/queries", json={"plan": mean | {"filters": SMOKERS}},
                            headers=babies)  # fmt: skip
    assert right.status_code == 200, right.text
    smokers = [100 + 3 * i for i in range(1, 21) if i % 2 == 1]
    assert right.json()["answer"] == pytest.approx(sum(smokers) / len(smokers))
