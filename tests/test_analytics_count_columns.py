"""Count columns, the rows' own noun and abbreviated compound headers, on small tables
made here: "visits" on a table of patients is the column counting them (never the
rows), on a table of visits it is the rows; ``docvis`` answers to "doctor visits".
Expected answers are computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

VISITS = [0, 1, 3, 0, 5, 2, 0, 7]
BAD = [1, 0, 0, 1, 0, 1, 0, 0]
AGES = [61, 35, 48, 70, 29, 55, 40, 33]


def refused(got: object, *words: str) -> bool:
    return isinstance(got, Unanswerable) and all(w in str(got) for w in words)


def test_visits_on_a_table_of_patients_is_the_count_column(tmp_path: Path) -> None:
    """patient_id names one patient a row: "visits", "doctor visits" and "number of
    visits" are numvisit, not the rows."""
    ds = table(
        tmp_path,
        "bad_health",
        {"patient_id": list(range(8)), "numvisit": VISITS, "badh": BAD, "age": AGES},
    )
    sick = [v for v, b in zip(VISITS, BAD, strict=True) if b]
    assert answer(
        "What is the mean number of doctor visits among patients in bad health?", ds
    ) == pytest.approx(statistics.mean(sick))
    assert answer("mean visits of patients in bad health", ds) == pytest.approx(
        statistics.mean(sick)
    )
    young = [v for v, a in zip(VISITS, AGES, strict=True) if a < 30]
    assert answer("total visits pts under 30", ds) == sum(young)
    assert answer("What is the maximum number of doctor visits?", ds) == max(VISITS)
    # the patients are still the rows
    assert answer("how many patients are in bad health", ds) == sum(BAD)
    # a visit elsewhere than at a doctor's is not what numvisit is said to count
    assert refused(answer("mean number of hospital visits", ds), "hospital")


def test_visits_on_a_table_of_visits_stay_the_rows(tmp_path: Path) -> None:
    """visit_id, or a file named visits: each row is a visit, and "how many visits"
    counts the rows, as before."""
    by_id = table(
        tmp_path / "a", "clinic", {"visit_id": list(range(8)), "numvisit": VISITS, "age": AGES}
    )
    assert answer("how many visits", by_id) == 8
    assert answer("how many visits by patients over 50", by_id) == sum(a > 50 for a in AGES)
    by_file = table(tmp_path / "b", "visits", {"clinic": ["a", "b"] * 4, "age": AGES})
    assert answer("how many visits", by_file) == 8


def test_a_repeated_identifier_does_not_say_what_a_row_is(tmp_path: Path) -> None:
    """patient_id repeated over rows (a patient's visits): the rows may be visits, so
    "how many visits" beside numvisit is still refused, naming both readings."""
    ds = table(
        tmp_path,
        "clinic",
        {"patient_id": [1, 1, 2, 2, 3, 3, 4, 4], "numvisit": VISITS, "age": AGES},
    )
    assert refused(answer("how many visits", ds), "the rows, or numvisit?")


def test_an_event_no_column_counts_on_a_table_of_people_is_refused(tmp_path: Path) -> None:
    """On a table of patients, "admissions" or "visits" counts nothing: refused, never
    read as every patient (before, "how many visits" answered the number of patients)."""
    ds = table(tmp_path, "cohort", {"patient_id": list(range(8)), "age": AGES})
    for question in ("how many visits", "how many admissions", "mean age of admissions"):
        assert refused(answer(question, ds), "each row here is a patient"), question
    assert answer("how many patients", ds) == 8
    assert answer("how many people", ds) == 8


def test_an_event_a_column_of_the_table_names_is_still_the_rows(tmp_path: Path) -> None:
    """Beside admission_type, a table of patients holds one admission a patient:
    "admissions" are the rows there, as before (only a table that says nothing of them
    refuses)."""
    kinds = ["emergency", "elective", "emergency", "urgent"] * 2
    ds = table(tmp_path, "cohort", {"patient_id": list(range(8)), "admission_type": kinds})
    assert answer("how many admissions", ds) == 8
    assert answer("how many admissions were emergencies", ds) == kinds.count("emergency")


def test_a_header_of_word_starts_run_together_answers_to_the_words(tmp_path: Path) -> None:
    """docvis is "doctor visits" and hospvis "hospital visits" (starts of three letters
    or more); "visits" alone could be either and is refused; a start of two letters
    (hovis) is no evidence of "hospital visits"."""
    doc = [0, 1, 3, 0, 5, 2, 0, 7]
    hosp = [0, 0, 1, 0, 2, 0, 0, 1]
    ds = table(
        tmp_path / "a",
        "survey",
        {"person_id": list(range(8)), "docvis": doc, "hospvis": hosp, "age": AGES},
    )
    assert answer("mean doctor visits", ds) == pytest.approx(statistics.mean(doc))
    assert answer("mean number of hospital visits", ds) == pytest.approx(statistics.mean(hosp))
    older = [d for d, a in zip(doc, AGES, strict=True) if a > 50]
    assert answer("total doctor visits of people over 50", ds) == sum(older)
    assert refused(answer("mean visits", ds), "visits")
    short = table(
        tmp_path / "b", "survey", {"person_id": list(range(8)), "hovis": hosp, "age": AGES}
    )
    assert refused(answer("mean hospital visits", short), "hospital")


def count_table(folder: Path, columns: dict[str, list[int]]) -> object:
    return table(folder, "survey", {"person_id": list(range(8)), **columns, "age": AGES})


def test_at_least_one_any_or_two_plus_of_a_count_column(tmp_path: Path) -> None:
    """ "at least one X", "any X", "one or more X", "2+ X" said of a count column are
    that column >= 1 or >= 2; "no X" is = 0."""
    hosp = [0, 0, 1, 0, 2, 0, 0, 1]
    ds = count_table(tmp_path, {"docvis": VISITS, "hospvis": hosp})
    some = sum(h >= 1 for h in hosp)
    for question in (
        "how many people with at least one hospital visit",
        "how many people with any hospital visits",
        "how many people with one or more hospital visits",
        "how many people had 1 or more hospital visits",
    ):
        assert answer(question, ds) == some, question
    assert answer("how many people with 2+ doctor visits", ds) == sum(v >= 2 for v in VISITS)
    assert answer("how many people had no hospital visits", ds) == sum(h == 0 for h in hosp)
    any_ages = [a for a, v in zip(AGES, VISITS, strict=True) if v >= 1]
    assert answer("mean age of people with at least one doctor visit", ds) == pytest.approx(
        statistics.mean(any_ages)
    )


def test_saw_a_doctor_said_with_how_often_is_the_doctor_visit_count(tmp_path: Path) -> None:
    """ "saw a doctor at least once" is the doctor-visit count >= 1, "more than once" > 1,
    "at least 3 times" >= 3, "never saw a doctor" = 0 (the count named docvis, or
    numvisit: a count of visits is of doctor visits)."""
    for n, name in enumerate(("docvis", "numvisit")):
        ds = count_table(tmp_path / str(n), {name: VISITS})
        people = len(VISITS)
        assert answer("how many people saw a doctor at least once", ds) == sum(
            v >= 1 for v in VISITS
        )
        assert answer("what share of people saw a doctor at least once", ds) == pytest.approx(
            100 * sum(v >= 1 for v in VISITS) / people
        )
        assert answer("how many people saw a doctor more than once", ds) == sum(
            v > 1 for v in VISITS
        )
        assert answer("how many people saw a physician at least 3 times", ds) == sum(
            v >= 3 for v in VISITS
        )
        assert answer("how many people never saw a doctor", ds) == sum(v == 0 for v in VISITS)


def test_saw_a_doctor_that_could_mean_another_column_is_refused(tmp_path: Path) -> None:
    """Beside a yes/no column saw_doctor, or two counts of doctor visits, or none, the
    words could mean something else (or nothing here): refused, never guessed."""
    flag = [0, 1, 1, 0, 1, 1, 0, 1]
    question = "how many people saw a doctor at least once"
    beside_flag = count_table(tmp_path / "a", {"docvis": VISITS, "saw_doctor": flag})
    assert refused(answer(question, beside_flag), "saw")
    two = count_table(tmp_path / "b", {"docvis": VISITS, "numvisit": VISITS})
    assert refused(answer(question, two), "docvis", "numvisit")
    none = count_table(tmp_path / "c", {"illness": VISITS})
    assert isinstance(answer(question, none), Unanswerable)


def test_a_number_before_the_rows_or_a_count_is_the_count_joined_or_not(tmp_path: Path) -> None:
    """Where the table does not say what a row is (patient_id repeats), "visits" alone
    may be the rows or numvisit, but after a number it is what the number counts: "with
    0 visits", and joined to another count, "with 0 illnesses and 0 visits", "with 2
    illnesses and 1 visit" (one reading for both: reader/counted.py)."""
    visits = [0, 1, 3, 0, 5, 2, 0, 7]
    illness = [1, 2, 0, 3, 1, 0, 2, 0]
    ds = table(
        tmp_path,
        "clinic",
        {"patient_id": [1, 1, 2, 2, 3, 3, 4, 4], "numvisit": visits, "illness": illness},
    )
    pairs = list(zip(illness, visits, strict=True))
    assert answer("how many patients with 0 visits", ds) == visits.count(0)
    assert answer("how many patients with 0 illnesses and 0 visits", ds) == pairs.count((0, 0))
    assert answer("how many patients with 2 illnesses and 1 visit", ds) == pairs.count((2, 1))
