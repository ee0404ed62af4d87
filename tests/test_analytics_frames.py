"""The frame around a table's words: how statistics, sentences and follow-ups are said
("among those with …", "which three …", "over smokers", "after a CABG", "how many
different codes …"). Each on a small table made here; expected answers are computed
from the rows written, never by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [30, 40, 50, 60, 70, 80]
GVHD = [1, 0, 1, 1, 0, 0]
SEX = ["F", "M", "F", "M", "F", "M"]


def test_those_with_asked_afresh_are_the_rows_it_describes(tmp_path: Path) -> None:
    """ "the sd of age among those with acute GVHD" asked afresh: "those" is no pointer
    back but the rows the words after it describe; in a follow-up's form ("only those
    over 60") or with nothing after it ("how many of those were women") it still points
    back, and is refused with nothing to point to."""
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "gvhd": GVHD, "sex": SEX})
    with_gvhd = [a for a, g in zip(AGES, GVHD, strict=True) if g]
    got = answer("What is the standard deviation of age among those with gvhd?", ds)
    assert got == pytest.approx(statistics.stdev(with_gvhd))
    assert answer("how many of those over 50 are women", ds) == sum(
        1 for a, s in zip(AGES, SEX, strict=True) if a > 50 and s == "F"
    )
    for question in ("only those over 60", "how many of those were women", "and those with gvhd"):
        refusal = answer(question, ds)
        assert isinstance(refusal, Unanswerable) and "points back" in str(refusal), question


def test_a_number_word_is_the_number_beside_a_time_point_header(tmp_path: Path) -> None:
    """ "which three participants have the highest baseline" beside a column number3m:
    "three" alone is the number of rows to list, as "3" is, never a part of the name
    that its time point says; "the number at three months" is still that column."""
    baseline = [7, 77, 7, 5, 23, 35]
    at3 = [6, 60, 1, 4, 20, 30]
    ids = ["a", "b", "c", "d", "e", "f"]
    ds = table(tmp_path, "t", {"pid": ids, "baseline": baseline, "number3m": at3})
    ranked = [i for _b, i in sorted(zip(baseline, ids, strict=True), reverse=True)]
    assert answer("which three participants have the highest baseline", ds) == ranked[:3]
    assert answer("which two participants had the highest baseline", ds) == ranked[:2]
    assert answer("mean number at three months", ds) == pytest.approx(statistics.mean(at3))


def test_over_before_rows_says_among_them(tmp_path: Path) -> None:
    """ "the sum of systolic pressure over smokers": "over" with no number after it,
    before rows (a yes/no column said as its rows, a value), can be no comparison: it
    says among which rows. Before a number it still compares; before a column's name
    ("sbp over age", a ratio or a fit?) and in a percentage it is not read so."""
    sbp = [120, 135, 150, 118, 160, 142]
    smoker = [1, 0, 1, 1, 0, 0]
    ds = table(
        tmp_path, "t", {"id": list(range(6)), "sbp": sbp, "smoker": smoker, "sex": SEX, "age": AGES}
    )
    assert answer("what is the sum of sbp over smokers", ds) == sum(
        s for s, k in zip(sbp, smoker, strict=True) if k
    )
    assert answer("what is the mean sbp over women over 40", ds) == pytest.approx(
        statistics.mean(s for s, x, a in zip(sbp, SEX, AGES, strict=True) if x == "F" and a > 40)
    )
    assert isinstance(answer("sum of sbp over age", ds), Unanswerable)
    assert isinstance(answer("what percentage of smokers over women", ds), Unanswerable)


def test_after_a_procedure_is_the_rows_that_had_it(tmp_path: Path) -> None:
    """ "the shortest stay after a CABG": "after" before a value of a column of
    procedures keeps the rows with that value; before a value of any other column ("the
    mean score after discharge" beside a column of visits) it is refused, never read as
    the rows at that value (the visits after it may be meant)."""
    los = [3, 12, 7, 9, 4, 15]
    procedure = ["CABG", "PTCA", "CABG", "PTCA", "PTCA", "CABG"]
    visit = ["baseline", "discharge", "surgery", "discharge", "surgery", "baseline"]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "los_days": los, "procedure": procedure, "sex": SEX, "visit": visit},
    )
    assert answer("what is the shortest stay anyone had after a CABG", ds) == min(
        d for d, p in zip(los, procedure, strict=True) if p == "CABG"
    )
    assert answer("on average, how long do women stay in hospital after a PTCA?", ds) == (
        pytest.approx(
            statistics.mean(
                d for d, p, s in zip(los, procedure, SEX, strict=True) if p == "PTCA" and s == "F"
            )
        )
    )
    assert isinstance(answer("what is the mean stay after discharge", ds), Unanswerable)


def test_how_many_different_answers_or_codes_a_column_takes(tmp_path: Path) -> None:
    """ "how many different answers are there for X", "how many distinct X codes": the
    number of distinct values X takes, as "how many different values of X" is."""
    race = [1, 2, 2, 3, 1, 2]
    ds = table(tmp_path, "t", {"id": list(range(6)), "race": race, "age": AGES})
    for question in (
        "How many different answers are there for race?",
        "How many distinct race codes are there?",
        "how many distinct codes are there for race",
        "how many different responses to race are there",
    ):
        assert answer(question, ds) == len(set(race)), question
    assert isinstance(answer("how many different answers are there", ds), Unanswerable)


def test_a_superlative_said_of_whose_measure_it_is(tmp_path: Path) -> None:
    """ "which two patients had the oldest donors": the donor's age, where a column is
    named for it (donor_age beside the patient's own age); an owner no column is named
    for ("the oldest nurses") is refused."""
    donor_age = [44, 23, 61, 35, 58, 19]
    ids = ["p1", "p2", "p3", "p4", "p5", "p6"]
    ds = table(tmp_path, "t", {"pid": ids, "age": AGES, "donor_age": donor_age})
    ranked = [i for _d, i in sorted(zip(donor_age, ids, strict=True), reverse=True)]
    assert answer("Which two patients had the oldest donors?", ds) == ranked[:2]
    assert answer("which patient had the youngest donor", ds) == [ranked[-1]]
    assert (
        answer("which two patients are the oldest", ds)
        == [i for _a, i in sorted(zip(AGES, ids, strict=True), reverse=True)][:2]
    )
    assert isinstance(answer("which two patients had the oldest nurses", ds), Unanswerable)


def test_whose_owner_was_a_value_is_the_owner_s_value(tmp_path: Path) -> None:
    """ "patients whose donor was male" beside sex and donor_sex: the value of the
    column named for the donor, as "a male donor" is; "were male" alone is the rows'
    own sex."""
    donor_sex = ["M", "M", "F", "F", "M", "F"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "sex": SEX, "donor_sex": donor_sex})
    assert answer("how many patients whose donor was male", ds) == donor_sex.count("M")
    assert answer("how many patients whose donors were female", ds) == donor_sex.count("F")
    assert answer("how many patients were male", ds) == SEX.count("M")


def test_a_time_point_after_anyone_had_is_the_measure_s(tmp_path: Path) -> None:
    """ "the lowest BDI anyone had at 4 months": the time point ending the question is
    the measure's (bdi_4m), said after the clause."""
    pre = [30, 22, 41, 18, 27, 35]
    at4 = [12, 9, 20, 3, 15, 11]
    ds = table(tmp_path, "t", {"id": list(range(6)), "bdi_pre": pre, "bdi_4m": at4})
    assert answer("What was the lowest BDI anyone had at 4 months?", ds) == min(at4)
    assert answer("what is the highest bdi anyone had at baseline", ds) == max(pre)


def least_squares(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line of ys on xs, by the textbook sums."""
    mx, my = statistics.mean(xs), statistics.mean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    return my - slope * mx, slope


def test_a_line_s_value_at_a_number_before_its_x(tmp_path: Path) -> None:
    """ "what does it predict at zero globulin", "where does it cross zero globulin (the
    intercept)": a number right before the line's x after "at" (or "cross") is the x to
    predict at, as "at globulin 0" is."""
    globulin = [38.0, 31.0, 45.0, 29.0, 36.0, 41.0]
    fibrinogen = [2.5, 2.2, 3.1, 2.4, 2.6, 3.3]
    ds = table(
        tmp_path, "t", {"id": list(range(6)), "fibrinogen": fibrinogen, "globulin": globulin}
    )
    a, b = least_squares(globulin, fibrinogen)
    got = answer(
        "If we fit a straight line of fibrinogen against globulin, where does it cross zero"
        " globulin (the intercept)?",
        ds,
    )
    assert got == pytest.approx(a)
    got = answer(
        "fit a straight line of fibrinogen against globulin: what does it predict at 40 globulin?",
        ds,
    )
    assert got == pytest.approx(a + 40 * b)


def pearson(xs: list[float], ys: list[float]) -> float:
    mx, my = statistics.mean(xs), statistics.mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return float(sxy / (sxx * syy) ** 0.5)


def test_a_unit_said_of_a_column_recorded_in_it(tmp_path: Path) -> None:
    """ "the correlation between age at transplant and follow-up time in days": "in
    days" right after a column recorded in days says that column's unit, not the
    answer's (a correlation has none); another unit there ("in months") still asks for
    a conversion, and is refused for a correlation."""
    days = [120, 800, 45, 1500, 300, 950]
    age = [34, 51, 62, 28, 45, 57]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "follow_up_days": days, "age_at_transplant_years": age},
    )
    expected = pearson(age, days)
    for question in (
        "What is the Pearson correlation between age at transplant and follow-up time in days?",
        "correlation of age at transplant in years and follow-up time in days",
    ):
        assert answer(question, ds) == pytest.approx(expected), question
    refused = "correlation between age at transplant and follow-up time in months"
    assert isinstance(answer(refused, ds), Unanswerable)


def test_a_verb_between_the_rows_and_a_superlative_ranks(tmp_path: Path) -> None:
    """ "the three visits recorded the most days post coma", "which two people took the
    longest transit time": the verb only says the rows hold the measure ranked."""
    days = [30, 16, 400, 12, 95, 210]
    ids = [11, 12, 13, 14, 15, 16]
    ds = table(tmp_path, "t", {"visit_id": ids, "days_post_coma": days, "transit_time": days})
    ranked = [i for _d, i in sorted(zip(days, ids, strict=True), reverse=True)]
    got = answer("Give the visit IDs of the three visits recorded the most days post coma.", ds)
    assert got == ranked[:3]
    assert answer("Which two people took the longest transit time?", ds) == ranked[:2]


def test_the_number_of_rows_named_is_no_value(tmp_path: Path) -> None:
    """ "the mean age of the visit ids of the three visits": "the three visits" says how
    many rows, never that visit_id is 3 (a silent filter to one row, which the reader
    once read); refused, as no ranking says which three."""
    ds = table(tmp_path, "t", {"visit_id": [1, 2, 3, 4, 5, 6], "age": AGES})
    for question in (
        "mean age of the visit ids of the three visits",
        "the highest age of the visit ids of the three visits",
    ):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_at_the_event_that_names_the_compared_column(tmp_path: Path) -> None:
    """ "How many men were younger than 40 at transplant?": "at transplant" names the
    very column the comparison is on (age_at_transplant_years): read with it. At an
    event naming another column it stays refused."""
    age = [34, 51, 62, 28, 45, 37]
    gender = ["Male", "Male", "Female", "Male", "Female", "Male"]
    ds = table(
        tmp_path,
        "t",
        {
            "id": list(range(6)),
            "age_at_transplant_years": age,
            "gender": gender,
            "follow_up_days": [120, 800, 45, 1500, 300, 950],
        },
    )
    expected = sum(1 for a, g in zip(age, gender, strict=True) if a < 40 and g == "Male")
    assert answer("How many men were younger than 40 at transplant?", ds) == expected
    assert answer("How many men were younger than 40 years at transplant?", ds) == expected
    assert isinstance(answer("How many men were younger than 40 at follow up?", ds), Unanswerable)


def test_restrict_to_is_a_follow_up(tmp_path: Path) -> None:
    """ "restrict to patients over 60", "limit to smokers": a follow-up's new condition
    (the earlier plan is kept by the service), as "restrict that to" is; "same but for
    non-smokers" is the same follow-up ("but" opening one is its "and": a "not" after it
    is read, tests/test_analytics_sentences.py)."""
    from appliance.analytics import reader

    smoker = [1, 0, 1, 1, 0, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "smoker": smoker})
    reading = reader.read("restrict to patients over 60", ds, follow_up=True)
    assert reading.plan is None
    assert [f.to_json() for f in reading.fragment["filters"]] == [
        {"column": "age", "op": ">", "value": 60}
    ]
    reading = reader.read("limit to smokers", ds, follow_up=True)
    assert [f.to_json() for f in reading.fragment["filters"]] == [
        {"column": "smoker", "op": "=", "value": 1}
    ]
    reading = reader.read("same but for non-smokers", ds, follow_up=True)
    assert [f.to_json() for f in reading.fragment["filters"]] == [
        {"column": "smoker", "op": "=", "value": 0}
    ]


def test_a_spread_named_in_parentheses(tmp_path: Path) -> None:
    """ "the spread (SD) of sbp": the statistic in parentheses says which spread, as
    "the typical (median)" says which typical value; "the spread" alone (an SD, an IQR
    or a range?) stays refused."""
    sbp = [120, 135, 150, 118, 160, 142]
    ds = table(tmp_path, "t", {"id": list(range(6)), "sbp": sbp})
    assert answer("what is the spread (SD) of sbp", ds) == pytest.approx(statistics.stdev(sbp))
    assert isinstance(answer("what is the spread of sbp", ds), Unanswerable)


def test_distinct_values_with_at_least_one_row_of_a_value(tmp_path: Path) -> None:
    """ "how many distinct providers have at least one emergency admission": the distinct
    providers over the emergency rows (a provider has one exactly when it appears
    there); a count of rows is not read so."""
    provider = [7, 7, 8, 9, 9, 10]
    admission = ["Emergency", "Elective", "Elective", "Emergency", "Emergency", "Urgent"]
    ds = table(
        tmp_path, "t", {"stay_id": list(range(6)), "provider": provider, "admission": admission}
    )
    got = answer("How many distinct providers have at least one emergency admission?", ds)
    assert got == len({p for p, a in zip(provider, admission, strict=True) if a == "Emergency"})


def test_name_as_a_command_to_list(tmp_path: Path) -> None:
    """ "name the 3 oldest patients", "name the patients over 75": "name" asks for the
    rows, as "list" does."""
    ids = ["p1", "p2", "p3", "p4", "p5", "p6"]
    ds = table(tmp_path, "t", {"pid": ids, "age": AGES})
    assert answer("name the 3 oldest patients", ds) == ["p6", "p5", "p4"]
    assert answer("name the patients over 65", ds) == [
        i for i, a in zip(ids, AGES, strict=True) if a > 65
    ]


def test_having_before_a_comparison_leads_to_it(tmp_path: Path) -> None:
    """ "how many respondents having more than 2 illnesses": "having" leads to the
    comparison after it, as it leads to a value."""
    illness = [0, 3, 1, 4, 2, 5]
    ds = table(tmp_path, "t", {"id": list(range(6)), "illness": illness})
    got = answer("how many respondents having more than 2 illnesses", ds)
    assert got == sum(1 for n in illness if n > 2)


def test_a_time_point_after_any_patient_had(tmp_path: Path) -> None:
    """ "the lowest BDI any patient had at 4 months", "… that anyone had at 4 months":
    the same time point, after a clause said with "any" and a noun, or "that"."""
    at2 = [14, 8, 25, 6, 19, 13]
    at4 = [12, 9, 20, 3, 15, 11]
    ds = table(tmp_path, "t", {"id": list(range(6)), "bdi_2m": at2, "bdi_4m": at4})
    assert answer("what was the lowest bdi any patient had at 4 months", ds) == min(at4)
    assert answer("what was the highest bdi that anyone had at 2 months", ds) == max(at2)
