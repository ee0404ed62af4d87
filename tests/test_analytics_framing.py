"""Words around a question that say nothing about its rows or its number ("took part in
the study", "restricting to", "estimated", "typically"), on small tables made here: read
where they cannot change the answer, refused where they could. Expected answers are
computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

SEX = ["F", "F", "M", "M", "F", "F", "M", "M"]
VISIT = [1, 2, 1, 2, 1, 2, 1, 2]
AGE = [30, 30, 40, 40, 50, 50, 60, 60]
WEEKS = [10, 10, 20, 20, 5, 5, 8, 8]
DIED = [1, 1, 0, 0, 0, 0, 1, 1]


def trial(folder: Path, study: str = "study_id") -> object:
    return table(
        folder,
        "visits",
        {
            study: ["S1"] * 8,
            "sex": SEX,
            "visit": VISIT,
            "age": AGE,
            "time_weeks": WEEKS,
            "died": DIED,
        },
    )


def kaplan_meier(times: list[int], events: list[int], at: float) -> float:
    """The product-limit estimate at ``at``, written out here."""
    s = 1.0
    for t in sorted({t for t, e in zip(times, events, strict=True) if e and t <= at}):
        at_risk = sum(1 for u in times if u >= t)
        deaths = sum(1 for u, e in zip(times, events, strict=True) if u == t and e)
        s *= 1 - deaths / at_risk
    return s


def test_taking_part_in_the_study_is_the_whole_file(tmp_path: Path) -> None:
    """ "in the study", "took part in this trial": every row, also beside a column of
    one value named for the study (study_id, S1 in every row)."""
    ds = trial(tmp_path)
    women = SEX.count("F")
    for question in (
        "How many women took part in the study?",
        "how many women participated in this trial?",
        "how many women in the study?",
    ):
        assert answer(question, ds) == women, question


def test_taking_part_in_something_else_is_refused(tmp_path: Path) -> None:
    """ "took part in the exercise class" is a condition the data cannot read."""
    got = answer("How many women took part in the exercise class?", trial(tmp_path))
    assert isinstance(got, Unanswerable), got


def test_a_study_column_of_several_values_keeps_in_the_study_unread(tmp_path: Path) -> None:
    """Beside a study column of two values, "in the study" could be one of them."""
    ds = table(tmp_path, "pooled", {"study_id": ["S1", "S2"] * 4, "sex": SEX, "age": AGE})
    got = answer("how many women in the study?", ds)
    assert isinstance(got, Unanswerable), got


def test_restricting_to_is_the_condition_after_it(tmp_path: Path) -> None:
    ds = trial(tmp_path)
    expected = sum(1 for s, v in zip(SEX, VISIT, strict=True) if s == "F" and v == 2)
    assert answer("Restricting to visit 2, how many women?", ds) == expected


def test_estimated_before_its_statistic(tmp_path: Path) -> None:
    """ "the estimated median survival", "the estimated 10-week survival probability":
    the statistic itself; "estimated" before a column is refused."""
    ds = trial(tmp_path)
    at_10 = kaplan_meier(WEEKS, DIED, 10)
    got = answer("What is the estimated 10-week survival probability?", ds)
    assert got == at_10 or abs(got - at_10) < 1e-9, got
    median = min(t for t in sorted(WEEKS) if kaplan_meier(WEEKS, DIED, t) <= 0.5)
    assert answer("what is the estimated median survival?", ds) == median
    assert answer("what is the estimated mean age?", ds) == sum(AGE) / len(AGE)
    assert isinstance(answer("what is the estimated age?", ds), Unanswerable)


def test_estimated_beside_a_column_it_names_is_no_filler(tmp_path: Path) -> None:
    """Beside an estimated_gfr column, "estimated" says which column."""
    ds = table(tmp_path, "kidney", {"gfr": [60, 70, 80], "estimated_gfr": [50, 55, 90]})
    assert answer("what is the mean estimated gfr?", ds) == (50 + 55 + 90) / 3


def test_typically_only_with_its_statistic_named(tmp_path: Path) -> None:
    ds = trial(tmp_path)
    median = min(t for t in sorted(WEEKS) if kaplan_meier(WEEKS, DIED, t) <= 0.5)
    assert answer("How long do patients typically survive (median survival)?", ds) == median
    got = answer("How long do patients typically survive?", ds)
    assert isinstance(got, Unanswerable), got  # the mean or the median?


HEALTH = ["poor", "good", "poor", "excellent", "poor", "fair"]
AGES = [30, 40, 50, 60, 70, 35]


def rated(folder: Path) -> object:
    return table(folder, "survey", {"age": AGES, "health": HEALTH, "sex": list("FFMMFM")})


def test_a_value_said_with_rated_as(tmp_path: Path) -> None:
    """ "rated as poor", "rated their own health as poor", "whose health was rated as
    poor": the value is the condition."""
    ds = rated(tmp_path)
    poor = HEALTH.count("poor")
    for question in (
        "how many people were rated as poor?",
        "How many people rated their own health as poor?",
        "how many people whose health was rated as poor?",
    ):
        assert answer(question, ds) == poor, question
    ages = [a for a, h in zip(AGES, HEALTH, strict=True) if h == "poor"]
    got = answer("what is the mean age of people who rated their health as poor?", ds)
    assert got == sum(ages) / len(ages)


def test_rated_as_with_a_negation_or_without_a_rating_verb_is_refused(tmp_path: Path) -> None:
    ds = rated(tmp_path)
    for question in (
        "how many people did not rate their health as poor?",
        "how many people whose health was not rated as poor?",
        "how many people with health as poor?",
    ):
        assert isinstance(answer(question, ds), Unanswerable), question


TUMOUR = ["diploid", "diploid", "aneuploid", "diploid", "aneuploid"]
TIMES = [3, 5, 4, 9, 2]
DEATHS = [0, 1, 1, 1, 0]


def test_died_soonest_is_the_shortest_time_among_the_deaths(tmp_path: Path) -> None:
    """ "which one died soonest": the smallest follow-up time among the rows whose event
    happened (a censored row with a shorter time did not die soonest)."""
    ds = table(
        tmp_path,
        "tongue",
        {"patient_id": [1, 2, 3, 4, 5], "tumour": TUMOUR, "time_weeks": TIMES, "died": DEATHS},
    )
    rows = list(zip([1, 2, 3, 4, 5], TUMOUR, TIMES, DEATHS, strict=True))
    first = min((r for r in rows if r[3] == 1), key=lambda r: r[2])[0]
    assert answer("which patient died soonest?", ds) == [first]
    diploid = min((r for r in rows if r[3] == 1 and r[1] == "diploid"), key=lambda r: r[2])[0]
    got = answer("Among patients with a diploid tumour, which one died soonest? Give the id.", ds)
    assert got == [diploid]


def test_soonest_without_its_event_is_refused(tmp_path: Path) -> None:
    """Beside two events sharing one follow-up time, or with no event said, "soonest"
    names no time to read."""
    ds = table(
        tmp_path,
        "two_events",
        {"time_weeks": TIMES, "relapsed": [1, 0, 1, 0, 1], "died": DEATHS},
    )
    got = answer("which patient relapsed soonest?", ds)
    assert isinstance(got, Unanswerable), got
    one = table(tmp_path, "one_event", {"time_weeks": TIMES, "died": DEATHS})
    assert isinstance(answer("which patient is the soonest?", one), Unanswerable)


def test_fall_into_each_combination_is_a_crosstab_of_counts(tmp_path: Path) -> None:
    ds = rated(tmp_path)
    sexes = list("FFMMFM")
    expected: dict[str, dict[str, int]] = {}
    for s, h in zip(sexes, HEALTH, strict=True):
        expected.setdefault(s, {}).setdefault(h, 0)
        expected[s][h] += 1
    got = answer("How many people fall into each combination of sex and health?", ds)
    assert got == expected
    assert answer("how many people fall into the poor health group?", ds) == HEALTH.count("poor")


def test_from_person_to_person_is_every_row(tmp_path: Path) -> None:
    visits = [2, 3, 1, 0, 4, 2]
    ds = table(tmp_path, "visits", {"person_id": [1, 2, 3, 4, 5, 6], "visits": visits})
    question = (
        "How much does the number of visits vary from person to person? "
        "Give the standard deviation."
    )
    got = answer(question, ds)
    assert abs(got - statistics.stdev(visits)) < 1e-9, got
