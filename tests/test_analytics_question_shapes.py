"""The shape of a question, on small tables made here: which phrase names the statistic's
column, which the groups compared, which the rows kept. Expected answers are computed
from the rows written, never by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

ARM = ["Drug 1", "Placebo", "Drug 1", "Placebo", "Drug 1", "Placebo", "not treated"]
BMI = [24.1, 27.3, 22.8, 30.2, 26.5, 25.0, 28.8]
GOOD = ["good", "poor", "good", "good", "poor", "poor", "good"]


def trial(folder: Path) -> Any:
    return table(folder, "trial", {"arm": ARM, "bmi": BMI, "status": GOOD})


def mean_bmi(arm: str) -> float:
    return statistics.mean(b for b, a in zip(BMI, ARM, strict=True) if a == arm)


def good_percent(arm: str) -> float:
    said = [g for g, a in zip(GOOD, ARM, strict=True) if a == arm]
    return 100 * said.count("good") / len(said)


def test_the_two_groups_said_again_around_minus_say_the_order(tmp_path: Path) -> None:
    """ "between Drug 1 and Placebo (Drug 1 minus Placebo)": the groups said again are
    the order of the difference, not two more groups; said the other way round, the
    difference is the other way round. A third group in the restatement is refused."""
    ds = trial(tmp_path)
    drug_minus_placebo = mean_bmi("Drug 1") - mean_bmi("Placebo")
    asked = "What is the difference in mean bmi between Drug 1 and Placebo"
    assert answer(asked + " (Drug 1 minus Placebo)?", ds) == pytest.approx(drug_minus_placebo)
    assert answer(asked + " (Placebo minus Drug 1)?", ds) == pytest.approx(-drug_minus_placebo)
    assert isinstance(answer(asked + " (Drug 1 minus not treated)?", ds), Unanswerable)
    percent = (
        "What is the difference in the percentage with a good status between Drug 1 and"
        " Placebo (Drug 1 minus Placebo)?"
    )
    assert answer(percent, ds) == pytest.approx(good_percent("Drug 1") - good_percent("Placebo"))
    higher = "how much higher is the mean bmi for Drug 1 than for Placebo (Placebo minus Drug 1)"
    assert isinstance(answer(higher, ds), Unanswerable)  # the two orders disagree


PERIOD = [1, 2, 1, 2, 1, 2, 1, 2]
BASE = [11, 11, 30, 30, 52, 52, 76, 76]
RATE = [3.0, 4.5, 8.2, 6.1, 14.9, 12.0, 19.3, 22.8]


def test_a_line_said_of_some_rows_predicts_at_the_value_of_its_x(tmp_path: Path) -> None:
    """ "lin reg seizure rate on base, period 1: predicted rate at base 50": the number
    of the column the line is "on" is where it predicts; the other, said of the line
    before the prediction, keeps the rows fitted. Said after it ("at base 50 for period
    1"), it could keep the rows or describe the one predicted: refused."""
    ds = table(tmp_path, "seizures", {"period": PERIOD, "base": BASE, "seizure_rate": RATE})
    rows = [k for k, p in enumerate(PERIOD) if p == 1]
    fit = statistics.linear_regression([BASE[k] for k in rows], [RATE[k] for k in rows])
    want = fit.intercept + fit.slope * 50
    asked = "lin reg seizure rate on base, period 1: predicted rate at base 50"
    assert answer(asked, ds) == pytest.approx(want)
    after = "lin reg seizure rate on base: predicted rate at base 50 for period 1"
    assert isinstance(answer(after, ds), Unanswerable)
