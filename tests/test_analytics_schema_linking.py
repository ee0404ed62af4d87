"""Schema linking on small tables made here: values written as comparisons ("CRP > 10"),
columns named by a describing word before their head noun (the words that could select
rows refused; tests/test_analytics_around.py has those read as describing), headers
with a number-and-unit tail. Expected answers are computed from the rows written."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import PlanError, Unanswerable
from tests.test_analytics_reader import answer, table

FIBRINOGEN = [2.0, 3.0, 4.0, 5.0, 6.0]
CRP = ["CRP < 10", "CRP > 10", "CRP > 10", "CRP < 10", "CRP > 10"]


def test_a_value_written_as_a_comparison_is_matched_by_the_same_comparison(
    tmp_path: Path,
) -> None:
    """ "CRP above 10" and "crp > 10" are the recorded value "CRP > 10" (same sign, same
    number), right after a number column too; a comparison no recorded range is (another
    number, or "at least" beside ">") is refused, never read as an overlapping range."""
    ds = table(tmp_path, "lab", {"fibrinogen": FIBRINOGEN, "crp": CRP})
    high = [f for f, c in zip(FIBRINOGEN, CRP, strict=True) if c == "CRP > 10"]
    low = [f for f, c in zip(FIBRINOGEN, CRP, strict=True) if c == "CRP < 10"]
    assert answer("How many people had a CRP above 10?", ds) == len(high)
    assert answer("how many had crp > 10", ds) == len(high)
    assert answer("mean fibrinogen crp > 10", ds) == statistics.mean(high)
    assert answer("What is the mean fibrinogen among patients with CRP below 10?", ds) == (
        statistics.mean(low)
    )
    for refused in ("how many had a crp above 15", "how many had crp of at least 10"):
        assert isinstance(answer(refused, ds), Unanswerable), refused


def test_a_value_written_as_another_column_s_comparison_is_not_matched(tmp_path: Path) -> None:
    """A value whose words are not its column's own name ("ESR > 20" in a column crp) is
    no range of that column: "crp above 20" is refused."""
    other = [c.replace("CRP", "ESR") for c in CRP]
    ds = table(tmp_path, "lab", {"fibrinogen": FIBRINOGEN, "crp": other})
    with pytest.raises((Unanswerable, PlanError)):  # the reader's refusal, or the plan's
        answer("how many had a crp above 10", ds)


def test_a_category_of_numbers_written_as_text_takes_the_number_after_its_name(
    tmp_path: Path,
) -> None:
    """ "grade 9" of a column holding "9" to "12" and "other": the value "9"; a number it
    does not hold ("grade 13") is refused."""
    grade = ["9", "10", "other", "9", "12"]
    height = [1.5, 1.6, 1.7, 1.8, 1.9]
    ds = table(tmp_path, "students", {"grade": grade, "height": height})
    nine = [h for h, g in zip(height, grade, strict=True) if g == "9"]
    assert answer("median height of students in grade 9", ds) == statistics.median(nine)
    assert answer("how many students in grade 12", ds) == grade.count("12")
    assert isinstance(answer("how many students in grade 13", ds), Unanswerable)


GLOBULIN = [30, 34, 38, 42, 46]
GROUP = ["a", "a", "b", "b", "b"]


def test_a_describing_word_that_could_select_or_describe_people_is_refused(
    tmp_path: Path,
) -> None:
    """Never read as describing only: a word that is a value ("gamma" beside a value
    "gamma": the condition), a participle or adjective that could say who the rows are
    ("diabetic", "treated"), or a word before a head another column shares (beside
    alpha_globulin, "gamma globulin" could be either)."""
    kind = ["gamma", "beta", "gamma", "beta", "beta"]
    valued = table(tmp_path / "v", "lab", {"globulin": GLOBULIN, "kind": kind})
    gamma = [g for g, k in zip(GLOBULIN, kind, strict=True) if k == "gamma"]
    assert answer("median gamma globulin", valued) == statistics.median(gamma)
    ds = table(tmp_path / "p", "lab", {"globulin": GLOBULIN, "group": GROUP})
    for said in ("median diabetic globulin", "median treated globulin", "median fasting globulin"):
        assert isinstance(answer(said, ds), Unanswerable), said
    shared = table(tmp_path / "s", "lab", {"globulin": GLOBULIN, "alpha_globulin": [1, 2, 3, 4, 5]})
    assert isinstance(answer("median gamma globulin", shared), Unanswerable)


def test_a_header_with_a_number_and_unit_tail_is_read_as_written(tmp_path: Path) -> None:
    """ "physically_active_7d = 7" (the header as written, which a question's words split
    before "d") and "physically active days" name the column."""
    days = [0, 7, 3, 7, 5]
    ds = table(tmp_path, "survey", {"physically_active_7d": days, "group": GROUP})
    assert answer("# students w/ physically_active_7d = 7", ds) == days.count(7)
    assert answer("mean physically active days in group b", ds) == statistics.mean(days[2:])


def test_a_count_header_and_a_describing_word_inside_its_name(tmp_path: Path) -> None:
    """ "number of visits" for a header numvisit (the count it keeps, never the rows of
    a table of patients); "number of doctor visits" too (a health record's count of
    visits, unqualified, counts visits to a doctor: docs/analytics.md), but never
    "hospital visits"; "doctor visits" for visits on a file named doctor_visits, said
    away from a word for a file; a word that could name a condition is refused."""
    visits = [0, 3, 1, 7, 2]
    ages = [25, 35, 45, 55, 65]
    ds = table(
        tmp_path / "a", "clinic", {"patient_id": [1, 2, 3, 4, 5], "numvisit": visits, "age": ages}
    )
    assert answer("mean number of visits", ds) == statistics.mean(visits)
    older = [v for v, a in zip(visits, ages, strict=True) if a > 40]
    assert answer(
        "What is the median number of doctor visits for patients aged over 40?", ds
    ) == statistics.median(older)
    assert isinstance(answer("mean number of hospital visits", ds), Unanswerable)
    assert isinstance(answer("how many visits did patients under 30 have", ds), Unanswerable)
    assert isinstance(answer("mean number of diabetic visits", ds), Unanswerable)
    named = table(tmp_path / "b", "doctor_visits", {"visits": visits, "age": ages})
    assert answer("standard deviation of the number of doctor visits", named) == (
        statistics.stdev(visits)
    )


def test_a_name_with_a_connecting_word_takes_the_plural_on_its_first_noun(
    tmp_path: Path,
) -> None:
    """ "ages at transplant" for age_at_transplant, as English makes the plural of "age
    at transplant" (and "age at transplants" too, the last word's plural)."""
    ages = [40, 52, 40, 61, 52]
    ds = table(tmp_path, "grafts", {"age_at_transplant": ages, "group": GROUP})
    assert answer("how many distinct ages at transplant", ds) == len(set(ages))


def test_a_count_noun_after_a_number_is_the_count_it_names(tmp_path: Path) -> None:
    """ "pts w/ >10 visits", "2 or more visits" beside numvisit: after a number the noun
    is what the number counts (a row's condition), not the rows; alone, on a table whose
    rows are patients (a unique patient_id), it is the count column too."""
    visits = [0, 3, 12, 7, 2]
    ds = table(tmp_path, "clinic", {"patient_id": [1, 2, 3, 4, 5], "numvisit": visits})
    assert answer("how many pts w/ >2 visits", ds) == sum(v > 2 for v in visits)
    assert answer("how many patients with 3 or more visits", ds) == sum(v >= 3 for v in visits)
    assert answer("total visits", ds) == sum(visits)


def test_a_whole_number_with_a_count_noun_after_with_is_that_count(tmp_path: Path) -> None:
    """ "pts w/ 0 visits" (numvisit), "people with 2 illnesses" (illness, whole numbers):
    the column equal to the number; a column of fractions ("3 incomes") is not read so."""
    visits = [0, 3, 0, 7, 2]
    illness = [2, 2, 1, 0, 2]
    income = [0.5, 1.5, 2.0, 0.2, 0.9]
    ds = table(
        tmp_path,
        "clinic",
        {"patient_id": [1, 2, 3, 4, 5], "numvisit": visits, "illness": illness, "income": income},
    )
    assert answer("# pts w/ 0 visits", ds) == visits.count(0)
    assert answer("how many people with 2 illnesses", ds) == illness.count(2)
    assert isinstance(answer("how many people with 2 incomes", ds), Unanswerable)
