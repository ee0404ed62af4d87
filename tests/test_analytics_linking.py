"""Schema linking on headers and values as real extracts write them: values with signs
matched as written, the event a participle names dated by its own column, the words
for a trial's arms, and refusals that say what is true of the data. Expected answers
are computed from the rows written here, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

STAYS: dict[str, list[Any]] = {
    "patient_id": ["p1", "p2", "p3", "p4", "p5", "p6", "p7"],
    "regimen": [
        "insulin+metformin",
        "insulin",
        "metformin",
        "insulin+metformin",
        "diet",
        "insulin",
        "metformin",
    ],
    "age_band": ["<=30", "30-60", ">60", "30-60", "<=30", ">60", "30-60"],
    "age": [25, 45, 70, 50, 28, 80, 33],
    "admission_date": [
        "2014-03-01",
        "2016-05-02",
        "2019-01-03",
        "2013-07-04",
        "2015-02-02",
        "2019-09-09",
        "2016-12-30",
    ],
    "discharge_date": [
        "2014-03-05",
        "2016-05-12",
        "2019-01-09",
        "2013-07-06",
        "2015-03-02",
        "2020-01-09",
        "2017-01-04",
    ],
    "treatment": ["placebo", "drug", "drug", "placebo", "drug", "placebo", "drug"],
}


def rows(**equal: Any) -> list[int]:
    """Positions of the rows whose columns hold the values given."""
    n = len(STAYS["patient_id"])
    return [i for i in range(n) if all(STAYS[c][i] == v for c, v in equal.items())]


def year(column: str, i: int) -> int:
    return int(STAYS[column][i][:4])


@pytest.fixture()
def stays(tmp_path: Path) -> Any:
    return table(tmp_path, "stays", STAYS)


def test_group_arm_and_treatment_name_the_one_arm_column(stays: Any) -> None:
    by_arm = {
        arm: statistics.mean(STAYS["age"][i] for i in rows(treatment=arm))
        for arm in ("drug", "placebo")
    }
    for question in ("mean age by group", "mean age by arm", "mean age by treatment"):
        got = answer(question, stays)
        assert got == pytest.approx(by_arm), question


def test_two_arm_columns_leave_group_unread(tmp_path: Path) -> None:
    ds = table(
        tmp_path,
        "t",
        {"id": [1, 2, 3, 4], "age": [30, 40, 50, 60], "arm": list("abab"), "rx": list("xxyy")},
    )
    assert isinstance(answer("mean age by group", ds), Unanswerable)
