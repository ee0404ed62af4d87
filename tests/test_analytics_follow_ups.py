"""Follow-ups on small tables made here: what each form replaces and what it keeps, as
docs/analytics.md says (the section on follow-ups), and the forms with two readings
refused naming both. Expected answers are computed from the rows written with plain
Python, never by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets, engine, plan, reader, service
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import table

SEX = ["female", "male", "female", "female", "male", "male", "female", "male"]
ARM = ["placebo", "placebo", "active", "active", "active", "placebo", "placebo", "active"]
AGE = [34, 51, 62, 45, 70, 29, 58, 66]
SBP = [118, 135, 150, 122, 160, 115, 141, 149]
BMI = [22.5, 27.0, 31.2, 24.8, 29.9, 21.3, 33.1, 26.4]
SMOKER = ["no", "yes", "yes", "no", "yes", "no", "no", "yes"]


def follow(first: str, then: str, ds: datasets.Dataset) -> Any:
    """The answer to ``then`` asked in a conversation after ``first`` (answered), as the
    service applies it, or the refusal itself."""
    previous = reader.read(first, ds).plan
    assert previous is not None
    try:
        reading = reader.read(then, ds, follow_up=True, answered=True)
        checked = service._follow(reading, previous.to_json(), ds)
    except Unanswerable as exc:
        return exc
    return engine.run(plan.from_json(checked.to_json(), ds.infos), ds).answer


def cohort(folder: Path, **more: list[Any]) -> datasets.Dataset:
    columns = {"id": list(range(len(AGE))), "sex": SEX, "arm": ARM, "age": AGE, "sbp": SBP}
    return table(folder, "cohort", {**columns, "bmi": BMI, "smoker": SMOKER, **more})


def of(values: list[Any], *keep: list[bool]) -> list[Any]:
    """The values of the rows every ``keep`` marks."""
    return [v for v, *k in zip(values, *keep, strict=True) if all(k)]


def women() -> list[bool]:
    return [s == "female" for s in SEX]


@pytest.mark.parametrize("then", ["n?", "how many?", "and how many?", "count?", "and n?"])
def test_a_count_alone_counts_the_previous_rows(tmp_path: Path, then: str) -> None:
    """ "n?" after "mean sbp among women" is the number of women the mean was over (4),
    never the number of rows in the table (8): a count said alone is a follow-up."""
    ds = cohort(tmp_path)
    assert follow("mean sbp among women", then, ds) == sum(women())
    assert follow("mean age by arm", then, ds) == {a: ARM.count(a) for a in set(ARM)}


def test_a_count_alone_with_two_readings_is_refused(tmp_path: Path) -> None:
    """Where the column has empty values the rows and the values the mean used differ;
    after a percentage, the rows it was out of and those it counted differ: refused."""
    ds = cohort(tmp_path, hba1c=["", 6.1, 7.2, "", 5.9, 6.4, 8.0, ""])
    refusal = follow("mean hba1c among women", "n?", ds)
    assert isinstance(refusal, Unanswerable)
    assert "recorded" in str(refusal)
    refusal = follow("what percentage of women smoke", "n?", ds)
    assert isinstance(refusal, Unanswerable)
    assert "counted" in str(refusal)
    # a count said with its rows is a question of its own, as before
    assert follow("mean sbp among women", "how many patients?", ds) == len(AGE)


@pytest.mark.parametrize("then", ["and bmi?", "what about bmi?", "same for bmi", "bmi?"])
def test_a_column_alone_takes_the_previous_statistic(tmp_path: Path, then: str) -> None:
    """ "and bmi?" after "mean sbp among women": the mean bmi of the same women; the
    statistic, rows and groups kept, only the column replaced."""
    ds = cohort(tmp_path)
    assert follow("mean sbp among women", then, ds) == pytest.approx(
        statistics.mean(of(BMI, women()))
    )
    by_arm = follow("median sbp by arm", then, ds)
    assert by_arm == pytest.approx(
        {a: statistics.median(of(BMI, [x == a for x in ARM])) for a in set(ARM)}
    )


def test_a_column_alone_with_several_readings_is_refused(tmp_path: Path) -> None:
    """After a count, a percentage, a ranking or a correlation, a column alone has no
    one statistic; a 0/1 column alone is the rows with it or its mean; a category alone
    is no measure: all refused."""
    ds = cohort(tmp_path, died=[0, 1, 0, 0, 1, 0, 0, 1], stay_days=[3, 10, 15, 20, 1, 30, 7, 9])
    for first in (
        "how many women",
        "what percentage of women smoke",
        "top 3 oldest patients",
        "correlation between age and sbp",
    ):
        assert isinstance(follow(first, "and bmi?", ds), Unanswerable), first
    assert isinstance(follow("mean sbp", "and sex?", ds), Unanswerable)
    assert isinstance(follow("mean stay days in weeks", "and bmi?", ds), Unanswerable)


def test_a_statistic_alone_needs_a_column_to_keep(tmp_path: Path) -> None:
    """ "the mean?" after a count (no column) or a correlation (two): refused, saying of
    which column, never a plan error nor another column's mean."""
    ds = cohort(tmp_path)
    for first in ("how many women", "correlation between age and sbp"):
        refusal = follow(first, "what about the median?", ds)
        assert isinstance(refusal, Unanswerable), first
        assert "which column" in str(refusal)
