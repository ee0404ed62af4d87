"""Wrong numbers found by asking small tables made here the way people type, each with
the reading that is right (or a refusal naming both readings). Expected answers are
computed from the rows written, never by the engine."""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets, engine, plan, reader, service
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

ARMS = ["placebo", "placebo", "placebo", "placebo", "drug", "drug", "drug", "drug", "drug"]
DIED = [1, 1, 0, 0, 1, 0, 0, 0, 0]
STAGE = ["IV", "IV", "IV", "I", "I", "I", "IV", "I", "I"]


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


def share(kept: list[bool], counted: list[int]) -> float:
    """Per 100 of the rows kept, those counted."""
    rows = [c for k, c in zip(kept, counted, strict=True) if k]
    return 100 * sum(rows) / len(rows)


@pytest.mark.parametrize(
    "question",
    [
        "death rate on placebo",
        "mortality on placebo",
        "what is the mortality rate for placebo",
        "the death rate in the placebo arm",
    ],
)
def test_mortality_of_some_rows_counts_deaths_among_them(tmp_path: Path, question: str) -> None:
    """ "mortality on placebo" is the share of the placebo rows who died (2 of 4), never
    the share of rows on placebo (4 of 9) with the deaths dropped."""
    ds = table(tmp_path, "trial", {"arm": ARMS, "died": DIED, "stage": STAGE})
    expected = share([a == "placebo" for a in ARMS], DIED)
    assert answer(question, ds) == pytest.approx(expected)
    on_stage = share([s == "IV" for s in STAGE], DIED)
    assert answer("mortality rate in stage IV", ds) == pytest.approx(on_stage)
    assert isinstance(answer("mortality among those who died", ds), Unanswerable)


def test_a_superlative_before_a_condition_picks_a_row_not_a_column_s_extreme(
    tmp_path: Path,
) -> None:
    """ "the oldest woman's bmi" is her bmi (a row picked by age), never the highest bmi
    of the women: refused, as "the bmi of the oldest woman" is; the superlative's own
    column after the condition is still its extreme ("the oldest woman's age")."""
    ages = [30, 84, 50, 81, 70]
    sexes = ["F", "F", "M", "F", "M"]
    bmis = [34.2, 30.9, 25.0, 22.8, 28.0]
    ds = table(tmp_path, "cohort", {"age": ages, "sex": sexes, "bmi": bmis})
    assert isinstance(answer("the oldest woman's bmi", ds), Unanswerable)
    assert isinstance(answer("the youngest woman's bmi", ds), Unanswerable)
    women = [a for a, s in zip(ages, sexes, strict=True) if s == "F"]
    assert answer("the oldest woman's age", ds) == max(women)
    female_bmis = [b for b, s in zip(bmis, sexes, strict=True) if s == "F"]
    assert answer("the highest female bmi", ds) == max(female_bmis)


def test_for_a_value_after_a_model_is_refused_naming_both_readings(tmp_path: Path) -> None:
    """After "odds ratio of death for smokers", "and for diabetes?" may ask for the odds
    ratio of diabetes (another predictor) or the smokers' ratio among the diabetics: the
    two differ, so it is refused; "among" says the rows and keeps the model."""
    smoker = [1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0]
    died = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0]
    sex = ["F", "F", "F", "F", "F", "F", "M", "M", "M", "M", "M", "M", "M", "M"]
    diabetes = [1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]
    ds = table(
        tmp_path, "cohort", {"smoker": smoker, "diabetes": diabetes, "died": died, "sex": sex}
    )
    first = "odds ratio of death for smokers"
    assert isinstance(follow(first, "and for diabetes?", ds), Unanswerable)
    assert isinstance(follow(first, "what about for the diabetics?", ds), Unanswerable)

    def odds_ratio(rows: list[int]) -> float:  # a 2x2 table's cross product
        cell = {(s, d): 0 for s in (0, 1) for d in (0, 1)}
        for k in rows:
            cell[(smoker[k], died[k])] += 1
        return cell[(1, 1)] * cell[(0, 0)] / (cell[(1, 0)] * cell[(0, 1)])

    women = [k for k, s in enumerate(sex) if s == "F"]
    assert follow(first, "and among women?", ds) == pytest.approx(odds_ratio(women), rel=1e-4)


def test_a_difference_keeps_the_conditions_said_of_both_groups(tmp_path: Path) -> None:
    """ "how many more women than men died" is the women who died minus the men who
    died, never every woman minus every man; a condition after both groups, or after
    "among", is of both; one between them (of the first only, or of both?) is refused."""
    sex = ["F", "F", "F", "M", "M", "M", "M", "M"]
    died = [1, 0, 0, 1, 1, 1, 0, 0]
    age = [70, 40, 80, 65, 30, 75, 50, 90]
    ds = table(tmp_path, "cohort", {"sex": sex, "died": died, "age": age})

    def count(s: str) -> int:
        return sum(1 for x, d in zip(sex, died, strict=True) if x == s and d == 1)

    assert answer("how many more women than men died", ds) == count("F") - count("M")
    assert answer("how many fewer women than men died", ds) == count("M") - count("F")

    def mean_age(s: str) -> float:
        kept = [a for x, d, a in zip(sex, died, age, strict=True) if x == s and d == 1]
        return sum(kept) / len(kept)

    expected = mean_age("F") - mean_age("M")
    assert answer("how much older are women than men among those who died", ds) == (
        pytest.approx(expected)
    )
    assert isinstance(answer("how many more women died than men", ds), Unanswerable)


def test_which_group_has_the_oldest_rows_in_the_plural_is_refused(tmp_path: Path) -> None:
    """ "which ward has the heaviest patients": the ward of the one heaviest patient (A)
    and the ward whose patients are heaviest on average (B) differ here, so the plural
    is refused; "the heaviest patient", one row, is A's ward."""
    ward = ["A", "A", "A", "B", "B"]
    weight = [120.0, 50.0, 52.0, 90.0, 95.0]
    ds = table(tmp_path, "cohort", {"ward": ward, "weight_kg": weight})
    heaviest = ward[weight.index(max(weight))]
    assert answer("which ward has the heaviest patient", ds) == [heaviest]
    for question in ("which ward has the heaviest patients", "which ward has the heaviest people"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_per_one_of_a_count_is_refused_naming_both_readings(tmp_path: Path) -> None:
    """ "mean dose per visit" beside a count `visits`: one mean per number of visits, or a
    dose per one visit (a rate)? Refused; "by visits" and "per ward" group as before."""
    visits = [0, 1, 1, 2, 2, 2]
    dose = [100.0, 200.0, 400.0, 300.0, 600.0, 900.0]
    ward = ["a", "b", "a", "b", "a", "b"]
    ds = table(tmp_path, "clinic", {"visits": visits, "dose": dose, "ward": ward})
    assert isinstance(answer("mean dose per visit", ds), Unanswerable)
    by_visits = {
        str(v): statistics.mean(d for x, d in zip(visits, dose, strict=True) if x == v)
        for v in sorted(set(visits))
    }
    assert answer("mean dose by visits", ds) == pytest.approx(by_visits)
    per_ward = {
        w: statistics.mean(d for x, d in zip(ward, dose, strict=True) if x == w)
        for w in sorted(set(ward))
    }
    assert answer("mean dose per ward", ds) == pytest.approx(per_ward)


def test_a_value_that_is_part_of_a_combined_value_is_refused(tmp_path: Path) -> None:
    """ "patients on insulin" beside `insulin+metformin`: the rows recorded as insulin
    alone (2) or every row whose drug includes insulin (4)? Refused naming both; the
    combined value said as written, or with a space for its sign, is that value."""
    drug = ["insulin", "insulin", "insulin+metformin", "insulin+metformin", "metformin", "none"]
    ds = table(tmp_path, "clinic", {"drug": drug, "age": [50, 60, 70, 40, 30, 20]})
    for question in ("how many patients on insulin", "how many patients on insulin or metformin"):
        refused = answer(question, ds)
        assert isinstance(refused, Unanswerable), question
        assert "insulin+metformin" in str(refused)
    both = drug.count("insulin+metformin")
    assert answer("how many patients on insulin+metformin", ds) == both
    assert answer("how many patients on insulin metformin", ds) == both
    assert answer("how many patients on no drug", ds) == drug.count("none")


def test_a_as_a_percentage_of_b_is_out_of_b(tmp_path: Path) -> None:
    """ "deaths as a percentage of smokers" counts the deaths out of the smokers (2 of 3),
    never the smokers out of the deaths; "smokers who died as a percentage of all
    smokers" is the same share (never 100 %), and "… of all deaths" the other one."""
    smoker = [1, 1, 1, 0, 0, 0, 0]
    died = [1, 1, 0, 1, 1, 1, 0]
    ds = table(tmp_path, "cohort", {"smoker": smoker, "died": died})
    of_smokers = share([s == 1 for s in smoker], died)
    of_deaths = share([d == 1 for d in died], smoker)
    assert of_smokers != pytest.approx(of_deaths)
    assert answer("deaths as a percentage of smokers", ds) == pytest.approx(of_smokers)
    question = "smokers who died as a percentage of all smokers"
    assert answer(question, ds) == pytest.approx(of_smokers)
    question = "smokers who died as a percentage of all deaths"
    assert answer(question, ds) == pytest.approx(of_deaths)


def test_a_condition_between_two_values_joined_by_or_is_refused(tmp_path: Path) -> None:
    """ "how many women over 60 or men": the women over 60 and every man (4 here), or
    the women and men over 60 (3)? Refused naming both, never the second silently; a
    condition after both values ("women or men over 60") is of both."""
    sex = ["F", "F", "M", "M", "F"]
    age = [70, 50, 65, 40, 80]
    ds = table(tmp_path, "cohort", {"sex": sex, "age": age})
    assert isinstance(answer("how many women over 60 or men", ds), Unanswerable)
    assert isinstance(answer("how many women aged over 60 or men aged over 70", ds), Unanswerable)
    over_60 = sum(1 for s, a in zip(sex, age, strict=True) if s in ("F", "M") and a > 60)
    assert answer("how many women or men over 60", ds) == over_60


def test_a_month_with_no_year_at_the_end_of_a_range_is_refused(tmp_path: Path) -> None:
    """ "tests between January and March 2022" is no January of every year beside March
    2022 (which meet nowhere: 0 tests, read as a finding): refused, asking for the years;
    "in March" alone is March of every year, as before."""
    dates = ["2022-01-10", "2022-02-11", "2022-03-12", "2021-03-01", "2022-05-01"]
    ds = table(tmp_path, "tests", {"collection_date": dates, "age": [1, 2, 3, 4, 5]})
    for question in (
        "how many tests between january and march 2022",
        "how many tests from january to march 2022",
    ):
        assert isinstance(answer(question, ds), Unanswerable), question
    assert answer("how many tests in march", ds) == sum(1 for d in dates if d[5:7] == "03")


def test_a_percentage_of_that_answer_is_refused(tmp_path: Path) -> None:
    """After "how many smokers died", "what percentage is that of all smokers" took "that"
    as nothing and answered the share of smokers (3 of 7); "that" is the previous answer,
    which no percentage here counts: refused in a conversation and out of one."""
    smoker = [1, 1, 1, 0, 0, 0, 0]
    died = [1, 1, 0, 1, 0, 0, 1]
    ds = table(tmp_path, "cohort", {"smoker": smoker, "died": died})
    question = "what percentage is that of all smokers"
    assert isinstance(follow("how many smokers died", question, ds), Unanswerable)
    assert isinstance(answer(question, ds), Unanswerable)
    expected = share([s == 1 for s in smoker], died)
    assert answer("what percentage of patients that are smokers died", ds) == pytest.approx(
        expected
    )


def test_a_row_noun_made_from_a_column_s_word_is_not_every_row(tmp_path: Path) -> None:
    """ "users" beside a yes/no ``use`` (or ``drug_use``): the rows where the column says
    so, not every row; which value that is goes unsaid, so the question is refused. A
    plain word for people still counts every row."""
    ages = list(range(20, 32))
    uses = ["Y", "N", "N", "Y", "N", "N", "Y", "N", "N", "N", "Y", "N"]
    for header in ("use", "drug_use"):
        ds = table(tmp_path / header, "survey", {"age": ages, header: uses})
        for question in ("mean age of users", "how many users"):
            refused = answer(question, ds)
            assert isinstance(refused, Unanswerable) and header in str(refused), question
        assert answer("how many people", ds) == len(ages)
        assert answer("mean age of people", ds) == sum(ages) / len(ages)


def test_people_named_by_a_role_are_the_rows_only_where_the_table_says_so(
    tmp_path: Path,
) -> None:
    """On a table of patients (``patient_id``), "how many students" or "the mean score of
    volunteers" names a condition no column holds: refused, never every row. On a table
    of students (``student_id``) the same word is the rows."""
    scores = [12, 15, 9, 20, 17, 11]
    patients = table(tmp_path / "p", "clinic", {"patient_id": list(range(1, 7)), "score": scores})
    for question in ("how many students", "mean score of the volunteers", "how many athletes"):
        refused = answer(question, patients)
        assert isinstance(refused, Unanswerable) and "patient" in str(refused), question
    assert answer("how many patients", patients) == len(scores)
    students = table(tmp_path / "s", "survey", {"student_id": list(range(1, 7)), "score": scores})
    assert answer("how many students", students) == len(scores)
    assert answer("mean score of the students", students) == sum(scores) / len(scores)


def test_a_value_before_a_role_noun_says_who_they_are(tmp_path: Path) -> None:
    """ "netball players" on a table of athletes: the value is the condition, and the
    role noun is the rows it keeps."""
    sports = ["netball", "rowing", "netball", "swim", "netball", "rowing"]
    hct = [40.1, 45.2, 38.9, 44.0, 39.5, 46.3]
    ds = table(tmp_path, "ais", {"athlete_id": list(range(1, 7)), "sport": sports, "hct": hct})
    netball = [h for s, h in zip(sports, hct, strict=True) if s == "netball"]
    assert answer("minimum hct among netball players", ds) == min(netball)
    refused = answer("minimum hct among players", ds)
    assert isinstance(refused, Unanswerable), refused


def test_the_odds_in_a_group_said_without_a_ratio_is_refused(tmp_path: Path) -> None:
    """ "the odds of death on drug" with no ratio, model or comparison: the odds among
    those rows and the odds ratio against the rest differ, so it is refused; "odds
    ratio", "OR", "vs placebo" and "per year of age" each say the ratio."""
    arms = [
        "drug",
        "drug",
        "drug",
        "drug",
        "drug",
        "placebo",
        "placebo",
        "placebo",
        "placebo",
        "placebo",
    ]
    died = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    ds = table(tmp_path, "trial", {"arm": arms, "died": died})
    odds = {
        a: sum(d for x, d in zip(arms, died, strict=True) if x == a)
        / sum(1 - d for x, d in zip(arms, died, strict=True) if x == a)
        for a in ("drug", "placebo")
    }
    assert odds["drug"] != odds["drug"] / odds["placebo"]  # the two readings differ
    for question in ("odds of death on drug", "what are the odds of dying among those on drug"):
        refused = answer(question, ds)
        assert isinstance(refused, Unanswerable) and "odds ratio" in str(refused), question
    for question in ("odds ratio of death on drug", "odds of death on drug vs placebo"):
        assert answer(question, ds) == pytest.approx(odds["drug"] / odds["placebo"], rel=1e-6)


def test_on_a_table_of_counts_people_are_not_its_rows(tmp_path: Path) -> None:
    """Each row a group with its people counted (``ncases``, ``ncontrols``, or ``Freq``
    of a cross-tabulation written out): "how many patients" counted the groups; refused,
    naming the count columns. The rows and a sum of a count still answer."""
    ncases, ncontrols = [0, 1, 2, 4, 5, 9], [40, 10, 30, 12, 20, 8]
    groups = {"agegp": ["25-34", "25-34", "35-44", "35-44", "45-54", "45-54"]}
    ds = table(tmp_path / "a", "esoph", groups | {"ncases": ncases, "ncontrols": ncontrols})
    for question in ("how many patients", "how many people are there"):
        refused = answer(question, ds)
        assert isinstance(refused, Unanswerable) and "ncases" in str(refused), question
    assert answer("how many rows", ds) == len(ncases)
    assert answer("sum of ncases", ds) == sum(ncases)
    freq = table(tmp_path / "b", "tab", groups | {"Freq": ncontrols})
    refused = answer("how many patients", freq)
    assert isinstance(refused, Unanswerable) and "freq" in str(refused).lower()


def test_a_value_that_is_a_common_word_is_read_only_where_said_as_one(tmp_path: Path) -> None:
    """A country "US", a month "may", a group "other": "give us the mean age" and "how
    many patients may have stage IV" filtered on them; refused naming both readings.
    After a preposition ("in the US", "in may"), beside the column ("country other") or
    joined to another value ("the US or UK") they are the values."""
    country = ["US", "UK", "other", "US", "US", "UK", "other", "US"]
    month = ["may", "june", "may", "june", "may", "may", "june", "june"]
    stage = ["IV", "II", "IV", "III", "IV", "II", "IV", "III"]
    ages = [50, 61, 47, 70, 33, 58, 66, 41]
    ds = table(
        tmp_path,
        "reg",
        {"age": ages, "stage": stage, "country": country, "month": month},
    )
    for question in (
        "give us the mean age",
        "how many patients may have stage IV",
        "mean age of other patients",
    ):
        refused = answer(question, ds)
        assert isinstance(refused, Unanswerable) and "the word, or the value" in str(refused)
    rows = list(zip(ages, country, month, strict=True))
    assert answer("how many patients in the US", ds) == country.count("US")
    assert answer("how many patients in may", ds) == month.count("may")
    assert answer("mean age, country other", ds) == statistics.mean(
        a for a, c, _m in rows if c == "other"
    )
    assert answer("how many patients from the US or UK", ds) == len(
        [c for c in country if c in ("US", "UK")]
    )


def test_a_percentage_of_the_rows_its_own_condition_keeps_is_refused(tmp_path: Path) -> None:
    """ "what percentage of arm A patients died or relapsed" where both words name one
    event value: read as the rows kept and as what is counted, it was 100 % by
    construction; refused. "what percentage of arm A patients relapsed" answers."""
    arm = ["A", "A", "A", "B", "B", "A", "B", "A"]
    event = ["dead or relapsed", "alive", "dead or relapsed", "alive", "dead or relapsed",
             "alive", "alive", "dead or relapsed"]  # fmt: skip
    ds = table(tmp_path, "t", {"arm": arm, "outcome": event})
    refused = answer("what percentage of arm A patients died or relapsed?", ds)
    if not isinstance(refused, Unanswerable):  # one reading of both words, not the rows
        in_a = [e for a, e in zip(arm, event, strict=True) if a == "A"]
        assert refused == 100 * in_a.count("dead or relapsed") / len(in_a)


def test_a_difference_of_plain_medians_of_a_censored_time_is_refused(tmp_path: Path) -> None:
    """Beside a time the data dictionary declares a duration to an event, the difference
    in median time between two groups mixes each group's censored times: refused, as a
    difference of Kaplan-Meier medians is; the median of one group keeps its caveat and
    answers, and without the declaration (a guessed pair) the plain difference answers."""
    time = [12, 30, 7, 45, 22, 60, 15, 38]
    died = [1, 0, 1, 0, 1, 0, 1, 1]
    graft = ["allo", "auto", "allo", "auto", "allo", "auto", "auto", "allo"]
    ds = table(tmp_path, "tx", {"time": time, "died": died, "graft": graft})
    question = "difference in median time between allo and auto patients"
    by = {g: statistics.median(t for t, x in zip(time, graft, strict=True) if x == g)
          for g in ("allo", "auto")}  # fmt: skip
    assert answer(question, ds) == by["allo"] - by["auto"]
    declared = dataclasses.replace(
        ds,
        dictionary={
            "time": {"role": "duration", "unit": "days", "pair": "death"},
            "died": {"role": "event", "event_value": 1, "pair": "death"},
        },
    )
    refused = answer(question, declared)
    assert isinstance(refused, Unanswerable) and "censoring" in str(refused)
    assert answer("median time of allo patients", declared) == by["allo"]
