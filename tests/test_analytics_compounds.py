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


@pytest.mark.parametrize(
    "question",
    [
        "mean duration of breast feeding",
        "mean breast feeding duration",
        "mean breast-feeding duration",
        "mean breastfeeding duration",
        "what is the average duration of breastfeeding",
    ],
)
def test_the_file_s_word_written_apart_is_the_topic_of_its_column(
    tmp_path: Path, question: str
) -> None:
    ds = table(
        tmp_path,
        "breastfeeding",
        {"mother_id": [1, 2, 3, 4, 5], "duration": DURATIONS, "smoke": SMOKE},
    )
    assert answer(question, ds) == pytest.approx(statistics.mean(DURATIONS))


def test_the_file_s_word_with_a_condition_keeps_the_condition(tmp_path: Path) -> None:
    ds = table(
        tmp_path,
        "breastfeeding",
        {"mother_id": [1, 2, 3, 4, 5], "duration": DURATIONS, "smoke": SMOKE},
    )
    smokers = [d for d, s in zip(DURATIONS, SMOKE, strict=True) if s == 1]
    assert answer("median breast feeding duration for smokers", ds) == pytest.approx(
        statistics.median(smokers)
    )


def test_the_file_s_word_beside_two_columns_is_refused(tmp_path: Path) -> None:
    ds = table(
        tmp_path,
        "breastfeeding",
        {
            "mother_id": [1, 2, 3, 4, 5],
            "duration_weeks": DURATIONS,
            "duration_days": [d * 7 for d in DURATIONS],
        },
    )
    assert isinstance(answer("mean breast feeding duration", ds), Unanswerable)


def polyps(folder: Path, **extra: list[object]) -> object:
    return table(
        folder,
        "polyps",
        {
            "participant_id": [1, 2, 3, 4, 5, 6],
            "treatment": ARM,
            "age": AGES,
            "baseline": BASELINE,
            "number3m": AT_3M,
            "number12m": AT_12M,
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("mean number of polyps at 12 months", statistics.mean(AT_12M)),
        ("average polyp count at baseline", statistics.mean(BASELINE)),
        ("median 3-month polyp count", statistics.median(AT_3M)),
        ("highest polyp count at 3 months", max(AT_3M)),
        (
            "mean number of polyps at 12 months in the placebo group",
            statistics.mean(a for a, g in zip(AT_12M, ARM, strict=True) if g == "placebo"),
        ),
    ],
)
def test_a_count_of_the_file_s_word_at_a_time_point_is_that_column(
    tmp_path: Path, question: str, expected: float
) -> None:
    assert answer(question, polyps(tmp_path)) == pytest.approx(expected)


def test_a_count_of_the_file_s_word_needs_a_time_point(tmp_path: Path) -> None:
    """Age is a column of whole numbers too: "the number of polyps at age 50" is no
    count column at a time point, and "the number of polyps" alone is any of three."""
    ds = polyps(tmp_path)
    assert isinstance(answer("mean number of polyps at age 50", ds), Unanswerable)
    assert isinstance(answer("mean number of polyps", ds), Unanswerable)


def test_a_file_s_word_a_column_shares_is_not_the_topic(tmp_path: Path) -> None:
    """Beside a polyp_size column, "polyp" could be about it: refused."""
    ds = polyps(tmp_path, polyp_size=[1, 2, 3, 4, 5, 6])
    assert isinstance(answer("average polyp count at baseline", ds), Unanswerable)
