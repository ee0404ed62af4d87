"""Verbs and plain English around the columns (issue 26): the words people put between
the rows and a column or its value, and the statistics they say in ordinary words. Each
reading is checked on a small table made here, its expected answer computed from the
rows written; a verb that could flip or narrow the meaning is refused, never dropped."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics import lexicon
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import AGES, answer, table

PROCEDURE = ["PTCA", "CABG", "CABG", "PTCA", "CABG", "PTCA"]
HELMET = ["never", "always", "never", "sometimes", "always", "never"]
SEX = list("FMFMFM")
WEIGHT = [50, 70, 65, 80, 55, 90]
COVERED = ["yes", "no", "yes", "yes", "no", "no"]


def keep(values: list[int], mask: list[bool]) -> list[int]:
    return [v for v, m in zip(values, mask, strict=True) if m]


@pytest.fixture
def ds(tmp_path: Path):  # type: ignore[no-untyped-def]
    return table(
        tmp_path,
        "t",
        {
            "id": list(range(6)),
            "age": AGES,
            "sex": SEX,
            "procedure": PROCEDURE,
            "helmet": HELMET,
            "weight": WEIGHT,
            "insured": COVERED,
        },
    )


def test_a_linking_verb_reads_with_the_value_after_it(ds) -> None:  # type: ignore[no-untyped-def]
    cabg = [p == "CABG" for p in PROCEDURE]
    assert answer("median age of patients who underwent CABG", ds) == pytest.approx(
        statistics.median(keep(AGES, cabg))
    )
    assert answer("how many patients undergoing PTCA", ds) == PROCEDURE.count("PTCA")
    assert answer("how many patients belonged to the insured", ds) == COVERED.count("yes")
    assert answer("how many people covered by insured", ds) == COVERED.count("yes")


def test_a_verb_between_a_value_and_its_column_reads_as_the_condition(ds) -> None:  # type: ignore[no-untyped-def]
    """ "never wear a helmet": the value before the verb, its column after it."""
    never = [h == "never" for h in HELMET]
    always = [h == "always" for h in HELMET]
    assert answer("# female students who never wear a helmet", ds) == sum(
        n and s == "F" for n, s in zip(never, SEX, strict=True)
    )
    assert answer("the heaviest weight among students who always wear a helmet", ds) == max(
        keep(WEIGHT, always)
    )


def test_a_linking_verb_with_nothing_to_lead_to_is_refused(ds) -> None:  # type: ignore[no-untyped-def]
    """Alone, the verb is no condition the reader knows: refused, never dropped."""
    assert isinstance(answer("mean age of patients who wear", ds), Unanswerable)
    assert isinstance(answer("how many patients who underwent surgery", ds), Unanswerable)
    assert isinstance(answer("how many patients did not undergo CABG", ds), Unanswerable) or (
        answer("how many patients did not undergo CABG", ds) == PROCEDURE.count("PTCA")
    )


@pytest.mark.parametrize("verb", ["refused", "declined", "stopped", "missed", "lacked", "avoided"])
def test_a_verb_that_could_flip_the_meaning_is_refused(ds, verb: str) -> None:  # type: ignore[no-untyped-def]
    assert verb not in lexicon.LINKING_VERBS and verb not in lexicon.LEAD_INS
    assert isinstance(answer(f"how many patients who {verb} CABG", ds), Unanswerable)


def test_how_strongly_related_is_a_correlation(ds) -> None:  # type: ignore[no-untyped-def]
    corr = statistics.correlation([float(a) for a in AGES], [float(w) for w in WEIGHT])
    assert answer("How strongly is age related to weight?", ds) == pytest.approx(corr)
    assert answer("how closely are age and weight associated", ds) == pytest.approx(corr)
    assert answer("How strong is the relationship between age and weight?", ds) == (
        pytest.approx(corr)
    )
    # "related" with no question of strength names no statistic
    assert isinstance(answer("how many patients are related to CABG", ds), Unanswerable)


def test_commands_and_restated_statistics_are_read(ds) -> None:  # type: ignore[no-untyped-def]
    """ "Report the …", "as counts", "below what X do 75% fall (the 75th percentile)",
    "what would we expect at x = 40" in a straight-line fit."""
    assert answer("Report the sample standard deviation of age.", ds) == pytest.approx(
        statistics.stdev(AGES)
    )
    crosstab = {
        s: {
            p: sum(1 for a, b in zip(SEX, PROCEDURE, strict=True) if (a, b) == (s, p))
            for p in ("CABG", "PTCA")
        }
        for s in "FM"
    }
    assert answer("Can you break down sex against procedure as counts?", ds) == crosstab
    q75 = statistics.quantiles(AGES, n=4, method="inclusive")[2]
    assert answer("Below what age do 75% of people fall?", ds) == pytest.approx(q75)
    assert answer("Below what age do 75% of people fall (the 75th percentile)?", ds) == (
        pytest.approx(q75)
    )
    # a different percentile in parentheses is no restatement: refused
    assert isinstance(
        answer("Below what age do 75% of people fall (the 90th percentile)?", ds), Unanswerable
    )
    slope = statistics.linear_regression([float(a) for a in AGES], [float(w) for w in WEIGHT])
    expected = slope.intercept + slope.slope * 40
    assert answer(
        "Using a straight-line fit of weight on age, what weight would we expect at age 40?", ds
    ) == pytest.approx(expected)
    # "report" that is not the command opening the question is a word to read
    assert isinstance(answer("mean age of patients who report", ds), Unanswerable)


def test_a_stay_in_hospital_beside_a_hospital_column(tmp_path: Path) -> None:
    """ "stayed in hospital", "hospital stay": the length of stay, where no number or value
    beside the word could make it the hospital column's condition."""
    stay = [3, 12, 7, 20, 5, 9]
    hospital = [1, 2, 1, 2, 1, 2]
    ds = table(tmp_path, "t", {"id": list(range(6)), "los_days": stay, "hospital": hospital})
    assert answer("What is the longest anyone stayed in hospital?", ds) == max(stay)
    assert answer("how many patients with hospital stay over 8", ds) == sum(s > 8 for s in stay)
    assert answer("total number of days in hospital", ds) == sum(stay)
    ids = sorted(range(6), key=lambda k: -stay[k])[:2]
    assert answer("Which 2 patients stayed in hospital the longest?", ds) == ids
    assert answer("Which 2 patients stayed the longest?", ds) == ids
    # a number after the word could be a hospital: read so, or refused; never ignored
    got = answer("mean stay in hospital 2", ds)
    assert isinstance(got, Unanswerable) or got == pytest.approx(
        statistics.mean(s for s, h in zip(stay, hospital, strict=True) if h == 2)
    )


VISITS = [0, 1, 2, 0, 5, 12]
ILLNESSES = [0, 0, 1, 2, 0, 3]


@pytest.fixture
def counts(tmp_path: Path):  # type: ignore[no-untyped-def]
    return table(
        tmp_path,
        "t",
        {"id": list(range(6)), "age": AGES, "visits": VISITS, "illnesses": ILLNESSES, "sex": SEX},
    )


def test_a_number_before_the_column_that_counts_it(counts) -> None:  # type: ignore[no-untyped-def]
    """ "with 0 visits", "w/ 3 illnesses", "had 1 visit": that count exactly."""
    assert answer("how many patients with 0 visits", counts) == VISITS.count(0)
    assert answer("min age in pts w/ 3 illnesses", counts) == min(
        a for a, n in zip(AGES, ILLNESSES, strict=True) if n == 3
    )
    assert answer("how many patients who had 1 visit", counts) == VISITS.count(1)
    assert answer("how many patients with 0 illnesses and 0 visits", counts) == sum(
        v == 0 and n == 0 for v, n in zip(VISITS, ILLNESSES, strict=True)
    )
    # part of a longer condition: never read as the count alone
    for question in (
        "how many patients with 3 visits or more",
        "how many patients with 2 to 5 visits",
    ):
        got = answer(question, counts)
        if not isinstance(got, Unanswerable):
            assert got != VISITS.count(3) and got != VISITS.count(2)


def test_a_verb_after_anyone_says_the_rows_own_value(counts) -> None:  # type: ignore[no-untyped-def]
    assert answer("what is the largest number of visits anyone reported", counts) == max(VISITS)
    slope = statistics.linear_regression([float(a) for a in AGES], [float(v) for v in VISITS])
    assert answer(
        "with a straight-line fit of visits on age, how many visits would we predict for"
        " someone aged 50",
        counts,
    ) == pytest.approx(slope.intercept + slope.slope * 50)
    assert isinstance(answer("how many patients reported", counts), Unanswerable)


def test_reported_beside_a_self_reported_column_is_not_dropped(tmp_path: Path) -> None:
    ds = table(
        tmp_path, "t", {"id": list(range(6)), "weight": WEIGHT, "repwt": [w + 1 for w in WEIGHT]}
    )
    got = answer("the largest weight anyone reported", ds)
    assert isinstance(got, Unanswerable) or got == max(WEIGHT) + 1


def test_a_numeral_after_a_category_column_is_its_value(tmp_path: Path) -> None:
    """ "students in grade 9": a category column (its values numerals and words) named
    right before one of its values written as a number; a longer condition is refused."""
    grade = ["9", "10", "9", "other", "12", "9"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "grade": grade})
    assert answer("What is the median age of students in grade 9?", ds) == pytest.approx(
        statistics.median(a for a, g in zip(AGES, grade, strict=True) if g == "9")
    )
    assert answer("how many grade 12 respondents", ds) == grade.count("12")
    for question in ("how many students in grade 9 or 10", "how many students in grade 13"):
        got = answer(question, ds)
        if question.endswith("10") and not isinstance(got, Unanswerable):
            assert got == grade.count("9") + grade.count("10")
        else:
            assert isinstance(got, Unanswerable)


def test_over_all_beside_a_column_named_with_over(tmp_path: Path) -> None:
    """ "over all elective admissions" beside age_over_75: "over" in a column's name is
    the name's comparison, not what the column is about; "over all" stays filler."""
    stay = [3, 12, 7, 20, 5, 9]
    kind = ["Elective", "Urgent", "Elective", "Elective", "Urgent", "Urgent"]
    old = ["No", "Yes", "No", "Yes", "No", "Yes"]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "los_days": stay, "admission": kind, "age_over_75": old},
    )
    elective = sum(s for s, k in zip(stay, kind, strict=True) if k == "Elective")
    assert answer("sum of los_days over all Elective admissions", ds) == elective
    assert answer(
        "What is the sum of los_days, expressed in weeks, over all Elective admissions?", ds
    ) == pytest.approx(elective / 7)
    assert isinstance(answer("mean los_days over all 75", ds), Unanswerable)


def test_reported_before_a_count_column_is_refused_naming_both(tmp_path: Path) -> None:
    """ "respondents who reported illnesses" of a column counting illnesses (0 included)
    could be every row with a value or the rows above 0: refused, never the first."""
    illness = [0, 2, None, 0, 1, 3]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "illness": illness})
    refused = answer("how many respondents reported illnesses?", ds)
    assert isinstance(refused, Unanswerable) and "above 0" in str(refused), refused
    assert answer("how many respondents with illness recorded", ds) == 5
    assert answer("how many respondents with at least one illness", ds) == 3
