"""The article "a" beside a value "A" (issue 26): arms and grades coded A and B are
common, and "patients with a limitation" must not keep only arm A. Small tables made
here; expected answers computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

ARM = ["A", "B", "A", "B", "A", "B"]
LIMITATION = ["yes", "no", "no", "yes", "yes", "no"]
AGES = [30, 45, 50, 62, 70, 81]


def trial(tmp_path: Path) -> object:
    return table(
        tmp_path,
        "trial",
        {"id": list(range(6)), "arm": ARM, "limitation": LIMITATION, "age": AGES},
    )


def test_the_article_before_what_it_introduces_is_no_value(tmp_path: Path) -> None:
    ds = trial(tmp_path)
    assert answer("how many patients have a limitation", ds) == LIMITATION.count("yes")
    with_one = [a for a, m in zip(AGES, LIMITATION, strict=True) if m == "yes"]
    assert answer("mean age of patients with a limitation", ds) == pytest.approx(
        statistics.mean(with_one)
    )


def test_the_value_a_after_its_column_or_ending_a_phrase(tmp_path: Path) -> None:
    ds = trial(tmp_path)
    in_a = [a for a, g in zip(AGES, ARM, strict=True) if g == "A"]
    assert answer("mean age in arm A", ds) == pytest.approx(statistics.mean(in_a))
    assert answer("mean age of patients randomised to A", ds) == pytest.approx(
        statistics.mean(in_a)
    )
    in_b = [a for a, g in zip(AGES, ARM, strict=True) if g == "B"]
    assert answer("difference in mean age, A vs B", ds) == pytest.approx(
        statistics.mean(in_a) - statistics.mean(in_b)
    )


def test_an_a_that_could_be_either_is_refused(tmp_path: Path) -> None:
    """ "patients on A who have a limitation": the first "A" is between "on" and "who",
    where an article would not stand; said so, it is refused rather than guessed."""
    ds = trial(tmp_path)
    refusal = answer("how many patients on A died", ds)
    assert isinstance(refusal, Unanswerable)
    assert "article" in str(refusal)
