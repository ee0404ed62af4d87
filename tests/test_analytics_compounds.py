"""Words written apart that are one word of the table ("breast feeding" in
breastfeeding.csv), and the file's own word as the topic its columns measure ("number of
polyps at 12 months" in polyps.csv), on small tables made here. Expected answers are
computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

DURATIONS = [4, 8, 12, 30, 52]
SMOKE = [1, 0, 1, 0, 0]
BASELINE = [10, 20, 35, 7, 50, 3]
AT_3M = [8, 15, 30, 2, 41, 3]
AT_12M = [5, 11, 28, 1, 30, 2]
ARM = ["placebo", "drug", "placebo", "drug", "placebo", "drug"]
AGES = [40, 50, 60, 45, 55, 65]


def test_a_word_that_is_a_value_is_never_joined(tmp_path: Path) -> None:
    """ "breast feeding" beside a feeding column with a value "breast": the value, never
    the file's word (the join would drop the condition)."""
    feeding = ["breast", "bottle", "breast", "bottle", "breast"]
    ds = table(
        tmp_path,
        "breastfeeding",
        {"mother_id": [1, 2, 3, 4, 5], "duration": DURATIONS, "feeding": feeding},
    )
    kept = [d for d, f in zip(DURATIONS, feeding, strict=True) if f == "breast"]
    got = answer("mean duration of breast feeding", ds)
    assert isinstance(got, Unanswerable) or got == pytest.approx(statistics.mean(kept))


def test_a_comparison_word_beside_a_column_is_never_joined(tmp_path: Path) -> None:
    """ "over weight 75" beside a weight column and an overweight flag: never the flag."""
    weight = [60, 70, 80, 90, 100]
    flag = ["yes", "yes", "no", "no", "yes"]
    ds = table(
        tmp_path, "people", {"person_id": [1, 2, 3, 4, 5], "weight": weight, "overweight": flag}
    )
    got = answer("how many people over weight 75", ds)
    assert isinstance(got, Unanswerable) or got == sum(w > 75 for w in weight)
    assert got != flag.count("yes")


def test_a_word_that_never_changes_an_answer_is_never_joined(tmp_path: Path) -> None:
    """ "a live birth" beside a status "alive": never the value (the article is no part
    of a word)."""
    status = ["alive", "dead", "alive", "alive", "dead"]
    ds = table(
        tmp_path,
        "deliveries",
        {"delivery_id": [1, 2, 3, 4, 5], "status": status, "weeks": DURATIONS},
    )
    assert answer("how many deliveries had a live birth", ds) != status.count("alive")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many smokers are in the breast feeding data", SMOKE.count(1)),
        ("mean duration in the breast feeding data", statistics.mean(DURATIONS)),
    ],
)
def test_words_written_apart_are_the_file_s_one_word(
    tmp_path: Path, question: str, expected: float
) -> None:
    ds = table(
        tmp_path,
        "breastfeeding",
        {"mother_id": [1, 2, 3, 4, 5], "duration": DURATIONS, "smoke": SMOKE},
    )
    assert answer(question, ds) == pytest.approx(expected)
