"""Schema linking on headers and values as real extracts write them: values with signs
matched as written, the event a participle names dated by its own column, the words
for a trial's arms, and refusals that say what is true of the data. Expected answers
are computed from the rows written here, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

STAYS: dict[str, list[Any]] = {
    "patient_id": ["p1", "p2", "p3", "p4", "p5", "p6", "p7"],
    "regimen": [
        "insulin+metformin",
        "insulin",
        "metformin",
        "insulin+metformin",
        "diet",
        "insulin",
        "metformin",
    ],
    "age_band": ["<=30", "30-60", ">60", "30-60", "<=30", ">60", "30-60"],
    "age": [25, 45, 70, 50, 28, 80, 33],
    "admission_date": [
        "2014-03-01",
        "2016-05-02",
        "2019-01-03",
        "2013-07-04",
        "2015-02-02",
        "2019-09-09",
        "2016-12-30",
    ],
    "discharge_date": [
        "2014-03-05",
        "2016-05-12",
        "2019-01-09",
        "2013-07-06",
        "2015-03-02",
        "2020-01-09",
        "2017-01-04",
    ],
    "treatment": ["placebo", "drug", "drug", "placebo", "drug", "placebo", "drug"],
}


def rows(**equal: Any) -> list[int]:
    """Positions of the rows whose columns hold the values given."""
    n = len(STAYS["patient_id"])
    return [i for i in range(n) if all(STAYS[c][i] == v for c, v in equal.items())]


def year(column: str, i: int) -> int:
    return int(STAYS[column][i][:4])


@pytest.fixture()
def stays(tmp_path: Path) -> Any:
    return table(tmp_path, "stays", STAYS)


def test_a_value_with_signs_matches_as_written_and_with_spaces(stays: Any) -> None:
    both = len(rows(regimen="insulin+metformin"))
    assert answer("how many patients on insulin+metformin", stays) == both
    assert answer("how many patients on insulin metformin", stays) == both
    assert answer("how many patients with age band <=30", stays) == len(rows(age_band="<=30"))
    assert answer("how many in the 30-60 age band", stays) == len(rows(age_band="30-60"))
    # Beside a number column the signs are a comparison with it, as before.
    assert answer("how many patients with age <=30", stays) == sum(a <= 30 for a in STAYS["age"])
    # "insulin" alone may be the value insulin or every regimen that includes it
    # (insulin+metformin too): refused naming both (tests/test_analytics_wrong_answers.py).
    refused = answer("mean age of patients on insulin", stays)
    assert isinstance(refused, Unanswerable) and "insulin+metformin" in str(refused)


def test_a_participle_names_the_date_of_its_event(stays: Any) -> None:
    """Two date columns: "discharged in 2019" is the year of discharge_date, "admitted
    before 2015" of admission_date; "in 2016" with no event named is still refused."""
    n = range(len(STAYS["patient_id"]))
    assert answer("how many patients discharged in 2019", stays) == sum(
        year("discharge_date", i) == 2019 for i in n
    )
    assert answer("how many admitted before 2015", stays) == sum(
        year("admission_date", i) < 2015 for i in n
    )
    assert answer("how many patients admitted after 2015", stays) == sum(
        year("admission_date", i) > 2015 for i in n
    )
    assert answer("mean age of patients admitted in 2019", stays) == pytest.approx(
        statistics.mean(STAYS["age"][i] for i in n if year("admission_date", i) == 2019)
    )
    assert answer("how many discharged in January 2019", stays) == sum(
        STAYS["discharge_date"][i].startswith("2019-01") for i in n
    )
    refusal = answer("how many patients in 2016", stays)
    assert isinstance(refusal, Unanswerable) and "admission_date, discharge_date" in str(refusal)


def test_a_labelled_year_column_is_the_year_of_its_event(tmp_path: Path) -> None:
    years = [2015, 2016, 2016, 2017, 2016]
    ds = table(tmp_path, "extract", {"id": list(range(5)), "yr": years, "age": [1, 2, 3, 4, 5]})
    ds.dictionary = {"yr": {"label": "year of admission"}}
    assert answer("how many patients admitted in 2016", ds) == years.count(2016)
    assert answer("how many patients admitted before 2016", ds) == sum(y < 2016 for y in years)


def test_group_arm_and_treatment_name_the_one_arm_column(stays: Any) -> None:
    by_arm = {
        arm: statistics.mean(STAYS["age"][i] for i in rows(treatment=arm))
        for arm in ("drug", "placebo")
    }
    for question in ("mean age by group", "mean age by arm", "mean age by treatment"):
        got = answer(question, stays)
        assert got == pytest.approx(by_arm), question


def test_two_arm_columns_leave_group_unread(tmp_path: Path) -> None:
    ds = table(
        tmp_path,
        "t",
        {"id": [1, 2, 3, 4], "age": [30, 40, 50, 60], "arm": list("abab"), "rx": list("xxyy")},
    )
    assert isinstance(answer("mean age by group", ds), Unanswerable)


def test_a_duration_refusal_says_what_the_data_has(tmp_path: Path) -> None:
    """A table with survival_days has a duration: no refusal says it has none."""
    ds = table(tmp_path, "t", {"id": [1, 2, 3], "survival_days": [10, 30, 20]})
    got = answer("which patient stayed the longest", ds)
    assert not isinstance(got, Unanswerable) or "has none" not in str(got)
    two = table(
        tmp_path / "two",
        "t",
        {"id": [1, 2, 3], "survival_days": [10, 30, 20], "los_days": [3, 2, 1]},
    )
    got = answer("which patient stayed the longest", two)
    assert not isinstance(got, Unanswerable) or "has none" not in str(got)


OLD: dict[str, list[Any]] = {
    "stay_id": [1, 2, 3, 4, 5, 6, 7, 8],
    "los_days": [3, 12, 5, 8, 21, 2, 9, 14],
    "age_80_or_older": ["No", "Yes", "No", "Yes", "Yes", "No", "No", "Yes"],
    "died": ["No", "Yes", "No", "No", "Yes", "No", "Yes", "Yes"],
}


def old_los(flag: str) -> list[int]:
    return [d for d, f in zip(OLD["los_days"], OLD["age_80_or_older"], strict=True) if f == flag]


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("mean los_days of patients aged 80 or older", "Yes"),
        ("mean los_days of patients 80+", "Yes"),
        ("mean los_days of patients aged 80 and over", "Yes"),
        ("mean los_days of patients under 80", "No"),
        ("mean los_days of patients younger than 80", "No"),
    ],
)
def test_an_age_said_as_a_flags_threshold_is_the_flag(
    tmp_path: Path, question: str, flag: str
) -> None:
    """A table with no ages, only a yes/no column stating a threshold: the question's
    age condition is the flag where it says the header's threshold, or its opposite."""
    ds = table(tmp_path, "stays", OLD)
    assert answer(question, ds) == pytest.approx(statistics.mean(old_los(flag)))


@pytest.mark.parametrize(
    "question",
    [
        "how many patients over 80",  # > 80 is not >= 80
        "how many patients aged 79 or older",
        "how many patients under 70",
        "how many patients 80 or younger",
        "how many patients aged 80 months or older",
    ],
)
def test_another_threshold_of_a_flag_is_refused_naming_it(tmp_path: Path, question: str) -> None:
    refusal = answer(question, table(tmp_path, "stays", OLD))
    assert isinstance(refusal, Unanswerable), question
    assert "age_80_or_older" in str(refusal)


def test_a_strict_threshold_in_a_header_and_its_opposite(tmp_path: Path) -> None:
    over = [True, False, True, True, False, False, True, False]
    ds = table(tmp_path, "cases", {"case_id": OLD["stay_id"], "age_over_75": over})
    assert answer("how many patients over 75", ds) == sum(over)
    assert answer("how many patients older than 75", ds) == sum(over)
    assert answer("how many patients aged over 75", ds) == sum(over)
    assert answer("how many patients 75 or younger", ds) == len(over) - sum(over)
    for question in ("how many patients over 70", "how many patients aged 75 or older"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_a_flag_beside_ages_leaves_the_ages_to_answer(tmp_path: Path) -> None:
    """Where the ages are in the table, "over 70" is read of them, not refused."""
    ages = [81, 64, 90, 77, 70, 55, 88, 79]
    columns = {"case_id": OLD["stay_id"], "age": ages, "age_over_75": [a > 75 for a in ages]}
    ds = table(tmp_path, "cases", columns)
    assert answer("how many patients over 70", ds) == len([a for a in ages if a > 70])


GRAFTS: dict[str, list[Any]] = {
    "pid": ["g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8"],
    "z1": [30, 42, 25, 51, 38, 19, 44, 33],
    "z2": [28, 35, 40, 22, 47, 31, 26, 39],
    "z3": [1, 0, 1, 1, 0, 1, 0, 0],
    "z4": [0, 0, 1, 0, 1, 1, 1, 0],
    "z5": [1, 1, 0, 0, 1, 0, 1, 0],
    "z6": [0, 1, 1, 0, 1, 0, 0, 1],
}
SEXES = {"0": "female", "1": "male"}
CMV = {"0": "negative", "1": "positive"}


@pytest.fixture
def grafts(tmp_path: Path) -> Any:
    ds = table(tmp_path, "grafts", GRAFTS)
    ds.dictionary = {
        "z1": {"label": "age"},
        "z2": {"label": "donor age"},
        "z3": {"label": "sex", "value_labels": SEXES},
        "z4": {"label": "donor sex", "value_labels": SEXES},
        "z5": {"label": "CMV status", "value_labels": CMV},
        "z6": {"label": "donor CMV status", "value_labels": CMV},
    }
    return ds


def graft_rows(**equal: int) -> list[int]:
    return [
        i for i in range(len(GRAFTS["pid"])) if all(GRAFTS[c][i] == v for c, v in equal.items())
    ]


def test_a_shared_value_with_the_noun_of_one_column_is_that_column(grafts: Any) -> None:
    """ "male" is a value of sex and of donor sex: "a male donor" is the donor's,
    "male patients" the patients' own (a row noun after it), even beside "donor age"."""
    assert answer("how many patients had a female donor", grafts) == len(graft_rows(z4=0))
    assert answer("how many patients with a male donor", grafts) == len(graft_rows(z4=1))
    assert answer("how many male patients with a female donor", grafts) == len(
        graft_rows(z3=1, z4=0)
    )
    assert answer("how many patients with a cmv positive donor", grafts) == len(graft_rows(z6=1))
    donor_ages = [GRAFTS["z2"][i] for i in graft_rows(z3=1)]
    assert answer("median donor age for male patients", grafts) == pytest.approx(
        statistics.median(donor_ages)
    )


def test_a_shared_value_with_no_noun_and_the_other_noun_said_is_refused(grafts: Any) -> None:
    refusal = answer("how many donors or patients are male", grafts)
    assert isinstance(refusal, Unanswerable)
    refusal = answer("median donor age where male", grafts)
    assert isinstance(refusal, Unanswerable)
    assert "z3" in str(refusal) and "z4" in str(refusal)


SURVEY: dict[str, list[Any]] = {
    "respondent_id": [1, 2, 3, 4, 5, 6],
    "physically_active_7d": [0, 3, 7, 5, 2, 7],
    "strength_training_7d": [1, 0, 4, 6, 2, 3],
    "helmet_12m": ["never", "always", "never", "rarely", "always", "never"],
}


def test_a_trailing_period_code_is_no_word_the_question_must_say(tmp_path: Path) -> None:
    """physically_active_7d: "physically active days" (days in the past 7), the period
    unsaid; a code of months gives no unit of its own."""
    ds = table(tmp_path, "survey", SURVEY)
    active = SURVEY["physically_active_7d"]
    assert answer("mean physically active days", ds) == pytest.approx(statistics.mean(active))
    assert answer("total strength training days", ds) == sum(SURVEY["strength_training_7d"])
    assert answer("how many respondents by helmet", ds) == {
        v: SURVEY["helmet_12m"].count(v) for v in set(SURVEY["helmet_12m"])
    }
    assert isinstance(answer("mean helmet months", ds), Unanswerable)


def test_no_x_is_the_value_none_where_the_column_holds_it(tmp_path: Path) -> None:
    improvement = ["None", "Marked", "Some", "None", "Marked", "None"]
    ages = [55, 61, 47, 70, 66, 59]
    ds = table(tmp_path, "trial", {"id": list(range(6)), "age": ages, "improvement": improvement})
    assert answer("how many patients with no improvement", ds) == improvement.count("None")
    assert answer("mean age of patients without improvement", ds) == pytest.approx(
        statistics.mean([a for a, i in zip(ages, improvement, strict=True) if i == "None"])
    )


def test_a_value_said_as_its_agent_noun(tmp_path: Path) -> None:
    """A value "Row" or "Swim": "rowers", "swimmers" are the rows holding it."""
    sport = ["Row", "Swim", "Row", "Netball", "Swim", "Row"]
    weight = [80.0, 70.5, 85.2, 66.0, 72.1, 90.3]
    ds = table(tmp_path, "squad", {"id": list(range(6)), "sport": sport, "weight": weight})
    assert answer("how many rowers", ds) == sport.count("Row")
    assert answer("mean weight of swimmers", ds) == pytest.approx(
        statistics.mean([w for w, s in zip(weight, sport, strict=True) if s == "Swim"])
    )


def test_a_period_coded_header_leaves_its_stem_to_every_column_it_begins(
    tmp_path: Path,
) -> None:
    """ "mean bdi" beside bdi_pre and bdi_4m: the period code of bdi_4m may go unsaid
    only where no other column's name begins with "bdi"; here either is meant, refused
    naming both (it answered bdi_4m's mean, a wrong number for the baseline)."""
    pre, four = [20, 30, 25, 35], [15, 22, 18, 28]
    ds = table(tmp_path, "t", {"patient_id": [1, 2, 3, 4], "bdi_pre": pre, "bdi_4m": four})
    refusal = answer("mean bdi", ds)
    assert isinstance(refusal, Unanswerable)
    assert "bdi_pre" in str(refusal) and "bdi_4m" in str(refusal)
    assert answer("mean bdi at 4 months", ds) == pytest.approx(statistics.mean(four))
    alone = table(tmp_path / "a", "t", {"patient_id": [1, 2, 3, 4], "bdi_4m": four})
    assert answer("mean bdi", alone) == pytest.approx(statistics.mean(four))
