"""General English around a statistic (issue 26): totals, meta words, the complement of a
group, rankings of groups, said as people say them. Each on a small table made here,
its expected answer computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [30, 40, 50, 60, 70, 80]
STAY = [3, 5, 2, 8, 4, 6]
WARD = ["a", "b", "a", "b", "a", "b"]
SMOKER = [1, 0, 0, 1, 1, 0]


def stays(tmp_path: Path) -> object:
    return table(
        tmp_path,
        "stays",
        {"id": list(range(6)), "age": AGES, "stay": STAY, "ward": WARD, "smoker": SMOKER},
    )


@pytest.mark.parametrize("words", ["altogether", "in all", "all told"])
def test_a_total_word_ending_a_column_is_its_sum(tmp_path: Path, words: str) -> None:
    ds = stays(tmp_path)
    assert answer(f"stay {words}", ds) == sum(STAY)
    assert answer(f"stay of smokers {words}", ds) == sum(
        s for s, m in zip(STAY, SMOKER, strict=True) if m
    )
    assert answer(f"stay {words} by ward", ds) == {
        w: sum(s for s, g in zip(STAY, WARD, strict=True) if g == w) for w in "ab"
    }
    assert answer(f"how many patients {words}", ds) == len(AGES)  # a count stays a count
    # Not at the end, "in all" says which rows, not what to compute: refused.
    assert isinstance(answer("age in all patients", ds), Unanswerable)


def test_recorded_before_a_statistic_says_nothing_more(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    mean = statistics.mean(AGES)
    assert answer("recorded mean age in the data", ds) == pytest.approx(mean)
    assert answer("the recorded median stay", ds) == pytest.approx(statistics.median(STAY))
    assert answer("mean age in the file", ds) == pytest.approx(mean)
    assert answer("mean age on record in this dataset", ds) == pytest.approx(mean)
    # Before a count, "recorded" could be a condition on something unnamed: refused.
    assert isinstance(answer("recorded number of patients", ds), Unanswerable)
