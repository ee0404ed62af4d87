"""Statistics asked for in plain words and typed shorthand ("how spread out", "go
together", "regressed on", "btw", "moms"), on small tables made here. Expected answers
are computed from the rows written, not by the engine; words that leave the statistic
open are refused."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics import datasets
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [31, 24, 45, 38, 29, 52, 41, 36]
SCORES = [88, 95, 70, 80, 99, 64, 77, 85]
SMOKES = [1, 0, 1, 0, 0, 1, 1, 0]


def slope(x: list[int], y: list[int]) -> float:
    mx, my = statistics.mean(x), statistics.mean(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x
    )


def people(tmp_path: Path) -> datasets.Dataset:
    return table(
        tmp_path,
        "cohort",
        {"id": list(range(8)), "age": AGES, "score": SCORES, "smoke": SMOKES},
    )


@pytest.mark.parametrize(
    "question",
    [
        "How spread out are the ages? Give me the standard deviation.",
        "How much do the ages vary? I'd like the standard deviation.",
        "how much does age vary? sd please",
    ],
)
def test_a_spread_in_plain_words_is_the_spread_also_named(tmp_path: Path, question: str) -> None:
    ds = people(tmp_path)
    assert answer(question, ds) == pytest.approx(statistics.stdev(AGES))


@pytest.mark.parametrize("question", ["How spread out are the ages?", "How much do the ages vary?"])
def test_a_spread_no_statistic_names_is_refused(tmp_path: Path, question: str) -> None:
    """An SD, an IQR and a range are all 'how spread out': none is chosen silently."""
    assert isinstance(answer(question, people(tmp_path)), Unanswerable)


def test_going_together_is_a_correlation(tmp_path: Path) -> None:
    ds = people(tmp_path)
    expected = statistics.correlation(AGES, SCORES)
    assert answer("How strongly do age and score go together?", ds) == pytest.approx(expected)
    assert answer("corr btw age and score", ds) == pytest.approx(expected)


def test_btw_with_no_and_is_not_between(tmp_path: Path) -> None:
    """ "btw" with no pair after it is "by the way": unread, never a range."""
    assert isinstance(answer("btw how many people are over 40", people(tmp_path)), Unanswerable)


def test_y_regressed_on_x_is_the_line_of_y_on_x(tmp_path: Path) -> None:
    ds = people(tmp_path)
    b = slope(AGES, SCORES)
    assert answer("What is the slope of score regressed on age?", ds) == pytest.approx(b)
    intercept = statistics.mean(SCORES) - b * statistics.mean(AGES)
    assert answer("score regressed on age: intercept?", ds) == pytest.approx(intercept)


def test_moms_are_mothers(tmp_path: Path) -> None:
    """ "moms" names the rows of a table about mothers, as "mothers" does."""
    ds = table(
        tmp_path,
        "births",
        {"mother_id": list(range(8)), "parity": [0, 1, 2, 0, 1, 3, 0, 2], "smoke": SMOKES},
    )
    assert answer("# moms who smoked", ds) == sum(SMOKES)
    assert answer("% moms who smoked", ds) == pytest.approx(100 * sum(SMOKES) / len(SMOKES))


def test_for_one_value_and_for_another_is_each_group(tmp_path: Path) -> None:
    """ "for men and for women": each group apart, kept to the two named; "for men and
    women" (both, or either?) stays refused."""
    sexes = ["male", "female", "male", "other", "female", "male", "female", "other"]
    ds = table(tmp_path, "clinic", {"id": list(range(8)), "sex": sexes, "score": SCORES})
    expected = {
        s: statistics.mean(v for v, g in zip(SCORES, sexes, strict=True) if g == s)
        for s in ("male", "female")
    }
    got = answer("What's the average score for men and for women?", ds)
    assert got == pytest.approx(expected)
    assert isinstance(answer("average score for men and women", ds), Unanswerable)
