"""Published header shapes on small tables made here: a time point's tail (``bdi_2m``,
``number12m``), a baseline's (``bdi_pre``) and a count's ``num`` prefix answer to the
words people say them in; a mention two columns could mean is still refused. Expected
answers are computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

PRE = [10, 20, 30, 40, 50]
AT_2M = [8, 15, 31, 22, 40]
AT_8M = [5, 11, 12, 30, 20]
AT_12M = [1, 4, 2, 7, 3]
ARM = ["a", "b", "a", "b", "a"]


@pytest.fixture
def trial(tmp_path: Path):  # type: ignore[no-untyped-def]
    return table(
        tmp_path,
        "trial",
        {
            "patient_id": [1, 2, 3, 4, 5],
            "bdi_pre": PRE,
            "bdi_2m": AT_2M,
            "bdi_8m": AT_8M,
            "number12m": AT_12M,
            "arm": ARM,
        },
    )


@pytest.mark.parametrize(
    "question",
    [
        "mean bdi at 2 months",
        "mean bdi at 2m",
        "mean 2-month bdi",
        "mean bdi at the 2-month follow-up",
        "mean bdi score at 2 months",
        "mean bdi at two months",
    ],
)
def test_a_time_point_tail_answers_to_the_time_point_said(trial, question: str) -> None:  # type: ignore[no-untyped-def]
    assert answer(question, trial) == pytest.approx(statistics.mean(AT_2M))


def test_a_time_point_inside_one_word_and_another_time_point(trial) -> None:  # type: ignore[no-untyped-def]
    assert answer("mean number at 12 months", trial) == pytest.approx(statistics.mean(AT_12M))
    assert answer("mean 12-month number", trial) == pytest.approx(statistics.mean(AT_12M))
    assert answer("sd of bdi at 8 months", trial) == pytest.approx(statistics.stdev(AT_8M))
    kept = [v for v, a in zip(AT_8M, ARM, strict=True) if a == "a"]
    assert answer("mean bdi at 8 months in arm a", trial) == pytest.approx(statistics.mean(kept))


@pytest.mark.parametrize("question", ["mean baseline bdi", "mean bdi before treatment"])
def test_a_pre_tail_is_the_baseline(trial, question: str) -> None:  # type: ignore[no-untyped-def]
    assert answer(question, trial) == pytest.approx(statistics.mean(PRE))


@pytest.mark.parametrize(
    "question", ["mean bdi", "mean bdi at 4 months", "mean bdi at 2 years", "mean 2 months"]
)
def test_a_time_point_not_in_the_table_is_refused(trial, question: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(answer(question, trial), Unanswerable)


@pytest.fixture
def scores(tmp_path: Path):  # type: ignore[no-untyped-def]
    return table(
        tmp_path,
        "scores",
        {
            "visit_id": [1, 2, 3, 4],
            "performance_iq": [80, 90, 100, 110],
            "verbal_iq": [70, 75, 95, 100],
            "sex": ["Male", "Female", "Male", "Male"],
        },
    )


def test_a_question_may_say_a_header_by_its_initials(scores) -> None:  # type: ignore[no-untyped-def]
    assert answer("avg piq, men", scores) == pytest.approx((80 + 100 + 110) / 3)
    assert answer("mean viq", scores) == pytest.approx((70 + 75 + 95 + 100) / 4)


def test_an_initialism_two_headers_share_is_refused(tmp_path: Path) -> None:
    ds = table(
        tmp_path,
        "two",
        {"row_id": [1, 2], "performance_iq": [80, 90], "processing_iq": [70, 75]},
    )
    refused = answer("mean piq", ds)
    assert isinstance(refused, Unanswerable)
    assert "performance_iq" in str(refused) and "processing_iq" in str(refused)


def test_a_leading_y_is_years_of_the_word_after(tmp_path: Path) -> None:
    school = [12, 10, 16, 8]
    poverty = [0, 1, 1, 0]
    ds = table(
        tmp_path,
        "mothers",
        {"mother_id": [1, 2, 3, 4], "poverty": poverty, "yschool": school},
    )
    assert answer("mean years of schooling", ds) == pytest.approx(statistics.mean(school))
    kept = sorted(s for s, p in zip(school, poverty, strict=True) if p == 1)
    assert answer("max yrs of school, mothers in poverty", ds) == kept[-1]


def test_consonant_skeletons_and_household_shorthand(tmp_path: Path) -> None:
    height, weight, income = [150, 160, 170, 185], [50, 61, 70, 80], [1.5, 2.0, 3.5, 4.0]
    ds = table(
        tmp_path,
        "people",
        {"person_id": [1, 2, 3, 4], "hgt": height, "wgt": weight, "hhninc": income},
    )
    assert answer("mean height", ds) == pytest.approx(statistics.mean(height))
    assert answer("max weight", ds) == max(weight)
    assert answer("mean household net income", ds) == pytest.approx(statistics.mean(income))
