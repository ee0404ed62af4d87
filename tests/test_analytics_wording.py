"""The question reader on the wording of models, rankings, cross-tabulations,
differences and follow-ups, on small tables made here. Expected plans are written out
by hand, and expected answers computed from the rows written, never by the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import reader
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import AGES, answer, table


def plan_of(question: str, ds: Any, **follow: Any) -> dict[str, Any]:
    reading = reader.read(question, ds, **follow)
    assert reading.plan is not None, question
    got: dict[str, Any] = reading.plan.to_json()
    return got


def refused(question: str, ds: Any, **follow: Any) -> bool:
    return isinstance(answer(question, ds, **follow), Unanswerable)


def stays(folder: Path) -> Any:
    return table(
        folder,
        "stays",
        {
            "id": list(range(6)),
            "age": AGES,
            "los_days": [3, 10, 4, 12, 7, 2],
            "score": [1.5, 2.0, 3.5, 4.0, 2.5, 3.0],
            "died": [0, 1, 0, 1, 1, 0],
            "arm": ["drug", "placebo", "drug", "placebo", "drug", "placebo"],
        },
    )


DIED = [{"column": "died", "op": "=", "value": 1}]


def test_a_unit_after_per_is_the_unit_its_column_is_recorded_in(tmp_path: Path) -> None:
    """ "OR of death per day of LOS": the odds ratio per unit of los_days, as recorded; per
    week of it would be another number (the odds ratio to the 7th power): refused."""
    ds = stays(tmp_path)
    for question in ("OR of died per day of los", "odds ratio of died per days of los days"):
        got = plan_of(question, ds)
        assert got["predictors"] == [{"column": "los_days"}], question
        assert got["condition"] == DIED
    assert plan_of("OR of died per yr of age", ds)["predictors"] == [{"column": "age"}]
    assert plan_of("OR of died per additional year of age", ds)["predictors"] == [{"column": "age"}]
    for question in (
        "OR of died per week of los",
        "OR of died per year of los",
        "OR of died per year of score",  # a score's unit is not recorded
    ):
        assert refused(question, ds), question


def test_a_point_of_a_score_is_its_unit(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    got = plan_of("odds ratio of died per one-point increase in score", ds)
    assert got["predictors"] == [{"column": "score"}]
    # Ten points is another odds ratio: never read as one.
    assert refused("odds ratio of died per 10-point increase in score", ds)
    assert refused("odds ratio of died per 10 unit increase in score", ds)


def test_a_number_of_a_unit_before_a_column_is_its_value(tmp_path: Path) -> None:
    """ "a 10-day stay" is los_days = 10; "a 2-week stay" is 14 days."""
    ds = stays(tmp_path)
    got = plan_of("predicted probability of died for a 10-day stay, logistic on los", ds)
    assert got["at"] == {"los_days": 10.0}
    got = plan_of("predicted probability of died for a 2-week stay, logistic on los", ds)
    assert got["at"] == {"los_days": 14.0}
    assert answer("how many patients had a 10-day stay", ds) == 1


def test_a_category_predictor_given_by_its_value(tmp_path: Path) -> None:
    """ "with arm and age, … for a 60-year-old in the drug arm": arm's two values, one
    given; the probability is the same whichever is the reference."""
    ds = stays(tmp_path)
    got = plan_of(
        "Based on a logistic regression with arm and age, what's the chance of died for a"
        " 60-year-old on drug?",
        ds,
    )
    assert got["predictors"] == [
        {"column": "age"},
        {"column": "arm", "op": "=", "value": "drug"},
    ] or got["predictors"] == [
        {"column": "arm", "op": "=", "value": "drug"},
        {"column": "age"},
    ]
    assert got["at"] == {"age": 60.0, "arm = 'drug'": 1.0}
    three = table(
        tmp_path / "three",
        "t",
        {
            "id": list(range(6)),
            "age": AGES,
            "died": [0, 1, 0, 1, 1, 0],
            "arm": ["a", "b", "c", "a", "b", "c"],
        },
    )
    # One of three values against the other two is not the column's predictor.
    assert refused(
        "Based on a logistic regression with arm and age, what's the chance of died for a"
        " 60-year-old on a?",
        three,
    )


def trial(folder: Path) -> Any:
    return table(
        folder,
        "trial",
        {
            "id": list(range(8)),
            "age": [30, 40, 50, 60, 70, 80, 45, 55],
            "os_days": [100, 200, 300, 400, 150, 250, 350, 450],
            "died": [1, 0, 1, 1, 0, 1, 0, 1],
            "arm": ["a", "b", "a", "b", "a", "b", "a", "b"],
        },
    )


def test_log_rank_p_and_cox_model_wording(tmp_path: Path) -> None:
    ds = trial(tmp_path)
    plain = plan_of("log-rank test of survival by arm", ds)
    assert plain["statistic"] == "logrank" and plain["group_by"] == [{"column": "arm"}]
    for question in (
        "log-rank p survival by arm",
        "Is survival different between the arms? Give the log-rank p-value.",
        "p-value of the log-rank test of survival by arm",
    ):
        assert plan_of(question, ds) == plain, question
    cox = plan_of("hazard ratio of death per year of age", ds)
    assert cox["statistic"] == "cox" and cox["predictors"] == [{"column": "age"}]
    assert plan_of("From a Cox model, what is the hazard ratio of death per year of age?", ds) == (
        cox
    )
    assert refused("From a Cox model, what is the hazard ratio of death per day of age?", ds)
    assert plan_of("the estimated hazard ratio of death per year of age", ds) == cox


def test_an_estimated_probability_is_the_probability(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    assert plan_of("estimated probability of died at age 40", ds) == plan_of(
        "probability of died at age 40", ds
    )


@pytest.mark.parametrize("question", ["OR of died per week", "OR of died per day of the"])
def test_a_unit_after_per_with_no_column_is_refused(tmp_path: Path, question: str) -> None:
    assert refused(question, stays(tmp_path))
