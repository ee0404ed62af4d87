"""General English and typed shorthand around the words that name columns and
statistics (issue 26): a sum said with a verb, "reg", "pct", "fu", "yo", "resp", a value
"recorded as", the whole study's total. Each on a small table made here, its expected
answer computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np
import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [30, 45, 50, 62, 70, 81]
STAY = [3, 5, 2, 8, 4, 6]
WARD = ["east", "west", "east", "west", "east", "west"]
SMOKER = [1, 0, 0, 1, 1, 0]
ETHNICITY = ["Hispanic", "Missing", "Not Hispanic", "Missing", "Not Hispanic", "Missing"]


def stays(tmp_path: Path, **more: list[object]) -> object:
    columns: dict[str, list[object]] = {
        "id": list(range(6)),
        "age": list(AGES),
        "stay": list(STAY),
        "ward": list(WARD),
        "smoker": list(SMOKER),
    }
    return table(tmp_path, "stays", columns | more)


def test_a_sum_said_with_a_verb(tmp_path: Path) -> None:
    """ "summed across all patients", "if you add up the ages": the column's sum."""
    ds = stays(tmp_path)
    assert answer("What is the total stay, summed across all patients?", ds) == sum(STAY)
    assert answer("stay summed over all patients", ds) == sum(STAY)
    smokers_ages = sum(a for a, s in zip(AGES, SMOKER, strict=True) if s)
    assert answer("If you add up the ages of all the smokers, what's the total?", ds) == (
        smokers_ages
    )


def test_typed_shorthand_for_statistics(tmp_path: Path) -> None:
    """ "reg" a regression, "logistic reg" a logistic one, "pct" a percentage."""
    ds = stays(tmp_path)
    slope = float(np.polyfit(AGES, STAY, 1)[0])
    assert answer("reg of stay on age", ds) == pytest.approx(slope)
    assert answer("lin reg of stay on age", ds) == pytest.approx(slope)
    assert answer("pct smokers", ds) == pytest.approx(100 * sum(SMOKER) / len(SMOKER))
    said = "of smoker on age: odds ratio per year of age"
    assert answer(f"logistic reg {said}", ds) == pytest.approx(
        answer(f"logistic regression {said}", ds)
    )


def test_clipped_shorthand_is_no_statistic_beside_a_word_it_begins(tmp_path: Path) -> None:
    """Beside a region column, "reg" could be the region; beside pct_fat, "pct" the
    column: refused, never a regression or a percentage."""
    ds = stays(tmp_path, region=["n", "s", "n", "s", "n", "s"], pct_fat=[20, 25, 30, 22, 28, 26])
    assert isinstance(answer("reg of stay on age", ds), Unanswerable)
    assert isinstance(answer("pct smokers", ds), Unanswerable)


def test_below_what_value_a_share_of_the_rows_fall_with_a_unit_said(tmp_path: Path) -> None:
    ds = table(tmp_path, "stays", {"id": list(range(6)), "stay_days": STAY})
    p75 = float(np.percentile(STAY, 75))  # linear interpolation, as quantile_cont
    assert answer("Below what stay, in days, do 75% of patients fall?", ds) == pytest.approx(p75)
    assert answer("Below what stay do 75% of patients fall?", ds) == pytest.approx(p75)


def test_a_value_recorded_as_says_its_column_s_value(tmp_path: Path) -> None:
    """ "their ethnicity recorded as Missing": the column said, then its value."""
    site = ["north", "south", "north", "north", "south", "south"]
    ds = stays(tmp_path, ethnicity=ETHNICITY, site=site)
    missing = 100 * ETHNICITY.count("Missing") / len(ETHNICITY)
    assert answer(
        "What percentage of patients have their ethnicity recorded as Missing?", ds
    ) == pytest.approx(missing)
    assert answer("How many patients have their site coded as north?", ds) == site.count("north")
    # A column that is not the value's own is left unread: refused.
    assert isinstance(answer("How many patients have ward recorded as north?", ds), Unanswerable)


def test_what_the_study_has_or_contributes_is_every_row(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    assert answer("How many patients does the study have?", ds) == len(AGES)
    assert answer("How much stay does the cohort contribute in total?", ds) == sum(STAY)


def test_follow_up_and_years_old_typed_short(tmp_path: Path) -> None:
    follow = [10, 40, 25, 60, 35, 50]
    died = [1, 0, 1, 0, 0, 1]
    drug = ["5-FU", "cisplatin", "5-FU", "5-FU", "cisplatin", "cisplatin"]
    ds = stays(tmp_path, follow_up_days=follow, died=died, drug=drug)
    assert answer("median fu days", ds) == pytest.approx(statistics.median(follow))
    over_60 = [s for s, a in zip(STAY, AGES, strict=True) if a > 60]
    assert answer("mean stay in pts over 60 yo", ds) == pytest.approx(statistics.mean(over_60))
    # "5-FU" is the drug, never a follow-up
    assert answer("how many pts on 5-FU", ds) == drug.count("5-FU")


def test_resp_is_respiratory_or_response_and_both_are_refused(tmp_path: Path) -> None:
    status = ["good", "poor", "good", "good", "poor", "good"]
    ds = stays(tmp_path, respiratory_status=status)
    good = 100 * status.count("good") / len(status)
    assert answer("% good resp status", ds) == pytest.approx(good)
    response = ["poor", "poor", "good", "poor", "good", "poor"]
    both = stays(tmp_path / "both", respiratory_status=status, response_status=response)
    assert isinstance(answer("% good resp status", both), Unanswerable)


def test_shorthand_of_header_words(tmp_path: Path) -> None:
    """ "cigs" cigarettes, "dept" department."""
    cigs = [0, 10, 20, 5, 0, 15]
    dept = ["ED", "ward", "ED", "ED", "ward", "clinic"]
    ds = stays(tmp_path, cigarettes_per_day=cigs, department=dept)
    assert answer("mean cigs per day", ds) == pytest.approx(statistics.mean(cigs))
    assert answer("number of patients by dept", ds) == {d: dept.count(d) for d in set(dept)}


def test_a_cross_tabulation_counting_the_rows(tmp_path: Path) -> None:
    """ "cross-tabulate A against B, counting patients": the cells count the rows."""
    ds = stays(tmp_path)
    expected: dict[str, dict[str, int]] = {}
    for s, w in zip(SMOKER, WARD, strict=True):
        cell = expected.setdefault(w, {})
        cell[str(s)] = cell.get(str(s), 0) + 1
    got = answer("Cross-tabulate ward against smoker, counting patients.", ds)
    assert {w: {str(k): v for k, v in row.items()} for w, row in got.items()} == expected
    # "visits" cannot be the rows of a table whose rows are patients: refused
    people = table(
        tmp_path / "people",
        "people",
        {"patient_id": list(range(6)), "ward": WARD, "smoker": SMOKER},
    )
    assert isinstance(
        answer("Cross-tabulate ward against smoker, counting visits.", people), Unanswerable
    )


def test_the_first_of_a_repeated_measure_said_in_plain_words(tmp_path: Path) -> None:
    """ "the starting pain", "the initial pain", "pain at the start": the one column with
    a baseline tail (pain_pre), never a later time point."""
    pre, two, four = [5, 7, 6, 8, 4, 9], [4, 6, 6, 5, 3, 7], [3, 5, 4, 4, 2, 6]
    ds = stays(tmp_path, pain_pre=pre, pain_2m=two, pain_4m=four)
    mean_pre = statistics.mean(pre)
    for said in (
        "mean starting pain",
        "mean initial pain",
        "mean pain at the start",
        "mean pain at entry",
        "mean pain when they joined the study",
        "On average, what was the pain before treatment started?",
    ):
        assert answer(said, ds) == pytest.approx(mean_pre), said
    assert answer("how many different starting pain scores", ds) == len(set(pre))
    later = stays(tmp_path / "later", pain_2m=two, pain_4m=four)
    assert isinstance(answer("mean starting pain", later), Unanswerable)


def test_recipients_are_the_rows_only_where_the_data_is_about_a_transplant(
    tmp_path: Path,
) -> None:
    sex = ["F", "M", "F", "F", "M", "M"]
    ds = stays(tmp_path, sex=sex, age_at_transplant=AGES)
    female = [a for a, s in zip(AGES, sex, strict=True) if s == "F"]
    assert answer(
        "standard deviation of age at transplant for female recipients", ds
    ) == pytest.approx(statistics.stdev(female))
    # nothing about a transplant: who received what? refused
    plain = stays(tmp_path / "plain", sex=sex)
    assert isinstance(answer("mean age of female recipients", plain), Unanswerable)
    # a yes/no transplant column: "recipients" could be its yes; refused
    flagged = stays(tmp_path / "flagged", sex=sex, transplant=[1, 0, 1, 0, 1, 1])
    assert isinstance(answer("mean age of female recipients", flagged), Unanswerable)


def test_report_before_a_condition_says_the_condition(tmp_path: Path) -> None:
    """ "what percentage report a limitation": the rows with the limitation; "report"
    with nothing after it to lead to is refused."""
    limitation = ["yes", "no", "no", "yes", "yes", "no"]
    ds = stays(tmp_path, limitation=limitation)
    older = [m for m, a in zip(limitation, AGES, strict=True) if a >= 50]
    assert answer(
        "Among patients aged 50 or older, what percentage report a limitation?", ds
    ) == pytest.approx(100 * older.count("yes") / len(older))
    assert isinstance(answer("how many patients report", ds), Unanswerable)


def test_a_spread_named_in_parentheses_and_a_column_said_as_a_variable(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    iqr = float(np.percentile(AGES, 75) - np.percentile(AGES, 25))
    assert answer("How spread out are the ages of smokers (IQR)?", ds) == pytest.approx(
        float(
            np.percentile([a for a, s in zip(AGES, SMOKER, strict=True) if s], 75)
            - np.percentile([a for a, s in zip(AGES, SMOKER, strict=True) if s], 25)
        )
    )
    assert answer("How spread out are the ages (IQR)?", ds) == pytest.approx(iqr)
    assert answer("What is the median of the age variable?", ds) == pytest.approx(
        statistics.median(AGES)
    )
    assert answer("Added up, what is the total stay?", ds) == sum(STAY)
    # beside a column named for it, "variable" is no longer a word to ignore: refused
    varied = stays(tmp_path / "varied", variable_dose=[1, 2, 3, 4, 5, 6])
    assert isinstance(answer("What is the median of the age variable?", varied), Unanswerable)
