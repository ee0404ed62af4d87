"""The question reader on the wording of survival questions, fits, two-group
differences, cross-tabulations and rankings, on small tables made here. Expected
answers are computed from the rows written, never by the engine."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from appliance.analytics.errors import Unanswerable
from tests.references import Logit, PHReg, add_constant, survdiff
from tests.test_analytics_reader import answer, table

GRADES = ["9", "10", "9", "other", "10", "9", "10", "other"]
SCORES = [3, 5, 4, 7, 6, 2, 1, 9]


def graded(folder: Path) -> object:
    return table(folder, "school", {"score": SCORES, "grade": GRADES})


def mean_where(grade: str) -> float:
    return statistics.mean(s for s, g in zip(SCORES, GRADES, strict=True) if g == grade)


def test_a_number_after_a_text_column_is_its_written_value(tmp_path: Path) -> None:
    """ "grade 9" where grade holds the texts '9', '10' and 'other': the value '9'."""
    ds = graded(tmp_path)
    assert answer("mean score grade 9", ds) == mean_where("9")
    assert answer("diff avg score grade 9 vs grade 10", ds) == mean_where("9") - mean_where("10")
    assert answer("how many in grade 10", ds) == GRADES.count("10")
    assert isinstance(answer("mean score grade 11", ds), Unanswerable)  # no such value


def test_first_minus_second_says_the_order_of_a_difference(tmp_path: Path) -> None:
    ds = graded(tmp_path)
    nine_minus_ten = mean_where("9") - mean_where("10")
    asked = "difference in mean score between grade 9 and grade 10"
    assert answer(asked + " (first minus second)", ds) == nine_minus_ten
    assert answer(asked + " (second minus first)", ds) == -nine_minus_ten
    # "lower" is second minus first already: said against it, the two disagree
    lower = "how much lower is the mean score for grade 9 than for grade 10"
    assert answer(lower + " (second minus first)", ds) == -nine_minus_ten
    assert isinstance(answer(lower + " (first minus second)", ds), Unanswerable)

