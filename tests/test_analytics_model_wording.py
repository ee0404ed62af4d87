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


def stays(folder: Path) -> object:
    return table(
        folder,
        "stays",
        {
            "admission": ["urgent", "elective", "urgent", "elective", "urgent", "urgent"],
            "sex": ["F", "M", "M", "F", "F", "M"],
            "died": ["yes", "no", "no", "no", "yes", "yes"],
        },
    )


def test_a_yes_no_column_crossed_by_its_condition_word(tmp_path: Path) -> None:
    """ "against death": beside the crossing word, the yes/no column itself (its yes and
    no counts), not a condition keeping the deaths only."""
    ds = stays(tmp_path)
    by_death = {"elective": {"no": 2}, "urgent": {"no": 1, "yes": 3}}
    assert answer("Cross-tabulate admission against death.", ds) == by_death
    assert answer("crosstab admission by death", ds) == by_death
    among_deaths = {"urgent": {"F": 2, "M": 1}}  # away from the crossing: a condition
    assert answer("crosstab admission by sex among deaths", ds) == among_deaths


def test_as_counts_asks_for_a_cross_tabulation(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    expected = {"F": {"elective": 1, "urgent": 2}, "M": {"elective": 1, "urgent": 2}}
    assert answer("Can you break down sex against admission as counts?", ds) == expected

