"""The plan's one typed model (appliance/analytics/plan_schema.py): the docs' table, the
OpenAPI document and the MCP tool all say what the check does, and every fault is named
by its field's path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import plan, plan_schema
from appliance.analytics.errors import PlanError, ValueNotHeld
from appliance.analytics.plan import ColumnInfo
from appliance.http import mcp_tools
from appliance.http.openapi import Limits, openapi_document

DOCS = Path(__file__).resolve().parent.parent / "docs"
COLUMNS = [
    ColumnInfo("age", "integer"),
    ColumnInfo("admitted", "date"),
    ColumnInfo("sex", "category", textual=True, values=("Female", "Male")),
    ColumnInfo("smoker", "boolean", textual=True, values=("Yes", "No")),
    ColumnInfo("stage", "category", True, ("1", "2"), (("1", "early"), ("2", "late"))),
    ColumnInfo("ward", "category", textual=True),  # more values than the profile lists
]
OLD = {"column": "age", "op": ">", "value": 60}


def _table(text: str, header: str) -> dict[str, str]:
    """A markdown table's rows under ``header``: first cell (unquoted) → second cell."""
    lines = text[text.index(header) :].splitlines()[2:]
    rows = {}
    for line in lines:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        rows[cells[0].strip("`")] = cells[1].replace("\\|", "|")
    return rows


def test_the_docs_table_of_plan_fields_is_the_model() -> None:
    """Each field the model takes is in docs/analytics.md with the model's meaning, and
    no other field is."""
    table = _table((DOCS / "analytics.md").read_text(), "| field | meaning |")
    assert table == plan_schema.FIELDS
    assert list(plan_schema.FIELDS) == list(plan_schema.PLAN["properties"])
    assert set(plan_schema.FIELDS) == set(plan.Plan.__dataclass_fields__)


def test_openapi_and_the_mcp_tool_carry_the_models_schema() -> None:
    document = openapi_document(Limits(1, 1, 1))
    body = document["paths"]["/v1/queries"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["properties"]["plan"] == plan_schema.PLAN
    assert mcp_tools.BY_NAME["run_plan"].input_schema["properties"]["plan"] == plan_schema.PLAN
    statistic = plan_schema.PLAN["properties"]["statistic"]
    assert statistic["enum"] == list(plan.STATISTICS)
    predictor = plan_schema.PLAN["properties"]["predictors"]["items"]["anyOf"]
    assert {"type": "string"} in predictor
    (shape,) = [p for p in predictor if p.get("type") == "object"]
    assert shape["required"] == ["column"]  # a bare {"column"} is a numeric input


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ([], "plan", "must be an object"),
        ({"statistic": "mode"}, "plan.statistic", "is not one of count"),
        ({}, "plan.statistic", "is required"),
        ({"statistic": "count", "colour": 1}, "plan.colour", "unknown field"),
        ({"statistic": "count", "filters": [{"column": "age", "op": "=", "value": 1},
                                            {"column": "age", "op": "~"}]},
         "plan.filters[1].op", "'~' is not one of ="),
        ({"statistic": "count", "filters": [{"column": "age", "op": "=", "valu": 1}]},
         "plan.filters[0].valu", "unknown field"),
        ({"statistic": "count", "filters": [{"column": "agee", "op": "=", "value": 1}]},
         "plan.filters[0].column", "no column 'agee'"),
        ({"statistic": "count", "filters": [{"column": "age", "op": "=", "value": True}]},
         "plan.filters[0].value", "got bool"),
        ({"statistic": "count", "filters": [{"column": "age", "op": "in", "values": [1, 2**64]}]},
         "plan.filters[0].values[1]", "whole numbers go up to"),
        ({"statistic": "count", "filters": [{"column": "age", "op": ">", "value": "old"}]},
         "plan.filters[0].value", "age is numeric"),
        ({"statistic": "count", "filters": [{"column": "sex", "op": "<", "value": "M"}]},
         "plan.filters[0].op", "needs a numeric or date column"),
        ({"statistic": "count", "condition": [{"column": "admitted", "op": "=", "value": "2024"}]},
         "plan.condition[0].value", "give ISO dates"),
        ({"statistic": "difference", "of": "count", "groups": [
            [{"column": "age", "op": ">", "value": 1}], [{"column": "age", "op": "between"}]]},
         "plan.groups[1][0]", "between on age takes 2 value(s)"),
        ({"statistic": "count", "group_by": ["sex", {"column": "age", "bin": "month"}]},
         "plan.group_by[1].bin", "age is not a date"),
        ({"statistic": "count", "group_by": ["sex", {"column": "admitted", "bin": "week"}]},
         "plan.group_by[1].bin", "'week' is not one of year, month"),
        ({"statistic": "logistic_regression", "condition": [OLD],
          "predictors": ["age", {"column": "sex", "value": "Male"}]},
         "plan.predictors[1].op", "an indicator needs op"),
        ({"statistic": "logistic_regression", "condition": [OLD], "predictors": ["age", "sex"]},
         "plan.predictors[1]", "sex is not numeric"),
        ({"statistic": "top", "column": "age", "limit": 0}, "plan.limit", "at least 1"),
        ({"statistic": "count", "dataset": " "}, "plan.dataset", "must not be blank"),
        ({"statistic": "count", "at": {"age": float("inf")}}, "plan.at.age", "finite"),
    ],
)  # fmt: skip
def test_every_fault_names_its_field(body: Any, field: str, words: str) -> None:
    with pytest.raises(PlanError) as refused:
        plan.from_json(body, COLUMNS)
    assert str(refused.value).startswith(f"{field}: "), refused.value
    assert words in refused.value.why


def test_a_probabilitys_at_lists_the_keys_it_needs() -> None:
    body = {
        "statistic": "logistic_regression",
        "condition": [{"column": "age", "op": ">", "value": 60}],
        "predictors": ["age", {"column": "sex", "op": "=", "value": "Male"}],
        "output": "probability",
        "at": {"age": 70, "male": 1},
    }
    with pytest.raises(PlanError) as refused:
        plan.from_json(body, COLUMNS)
    assert refused.value.field == "at"
    assert refused.value.why.endswith("'age', \"sex = 'Male'\"")
    body["at"] = {"age": 70, "sex = 'Male'": 1}
    assert plan.from_json(body, COLUMNS).at == (("age", 70.0), ("sex = 'Male'", 1.0))


@pytest.mark.parametrize(
    ("flt", "words"),
    [
        ({"column": "sex", "op": "=", "value": "F"}, "sex holds no 'F'; it holds Female, Male"),
        ({"column": "smoker", "op": "=", "value": 1}, "smoker holds no 1; it holds Yes, No"),
        ({"column": "sex", "op": "in", "values": ["Male", "Other"]}, "holds no 'Other'"),
        ({"column": "stage", "op": "!=", "value": "late"}, "it holds 1 (early), 2 (late)"),
    ],
)
def test_a_value_the_column_does_not_hold_is_refused_naming_its_values(
    flt: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValueNotHeld) as refused:
        plan.from_json({"statistic": "count", "filters": [flt]}, COLUMNS)
    assert refused.value.field.startswith("filters[0].value")
    assert words in refused.value.why


def test_values_the_column_holds_or_may_hold_are_taken() -> None:
    for flt in (
        {"column": "sex", "op": "=", "value": "female"},  # text compares ignore case
        {"column": "stage", "op": "in", "values": ["1", 2]},
        {"column": "ward", "op": "=", "value": "Anything"},  # values not all known
        {"column": "sex", "op": "contains", "value": "fem"},
    ):
        assert plan.from_json({"statistic": "count", "filters": [flt]}, COLUMNS).filters
