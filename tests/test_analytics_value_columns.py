"""Values said with their column's words, twin columns, follow-up time and tables whose
rows are visits, on small tables made here. Expected answers are computed from the rows
written, not by the engine."""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path

from appliance.analytics import datasets, time_to_event
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [34, 51, 47, 62, 29, 58, 41, 70]
BASELINE = ["good", "poor", "poor", "good", "poor", "good", "poor", "poor"]
OUTCOME = ["good", "good", "poor", "poor", "good", "good", "poor", "good"]
PROFILE = [
    "diploid",
    "aneuploid",
    "diploid",
    "diploid",
    "aneuploid",
    "aneuploid",
    "diploid",
    "aneuploid",
]


def test_a_value_two_columns_hold_is_the_one_its_column_words_name(tmp_path: Path) -> None:
    """ "good outcome status" is outcome_status (baseline_status holds good too); "a
    diploid tumour" is tumour_profile, "tumour" read as its word (any form, either
    spelling). Words both columns share ("good status") are refused naming both."""
    ds = table(
        tmp_path,
        "trial",
        {
            "patient_id": list(range(len(AGES))),
            "age": AGES,
            "baseline_status": BASELINE,
            "outcome_status": OUTCOME,
            "tumour_profile": PROFILE,
        },
    )
    good_outcome = sum(o == "good" for o in OUTCOME)
    poor_baseline = sum(b == "poor" for b in BASELINE)
    assert good_outcome != sum(b == "good" for b in BASELINE)  # the two readings differ
    assert answer("how many patients had a good outcome status", ds) == good_outcome
    assert answer("how many patients with poor baseline status", ds) == poor_baseline
    assert answer("# pts w/ good outcome status and poor baseline status", ds) == sum(
        o == "good" and b == "poor" for o, b in zip(OUTCOME, BASELINE, strict=True)
    )
    assert isinstance(answer("how many patients with good status", ds), Unanswerable)
    assert isinstance(answer("how many good patients", ds), Unanswerable)
    diploid = statistics.mean(a for a, p in zip(AGES, PROFILE, strict=True) if p == "diploid")
    for said in ("a diploid tumour", "diploid tumours", "a diploid tumor"):
        assert answer(f"mean age of patients with {said}", ds) == diploid, said


TREATMENT = ["Placebo", "Drug", "Placebo", "Drug", "Drug", "Placebo", "", "Drug"]
CODE = [1, 2, 1, 2, 2, 1, 3, 2]
LABELS = {"1": "Placebo", "2": "Drug", "3": "not treated"}


def test_twin_columns_that_agree_on_every_row_give_either_s_rows(tmp_path: Path) -> None:
    """A text arm and its labelled code: "placebo" is a value of both. Where the rows
    with it in one are exactly those with it in the other, either gives the answer (read,
    with a caveat naming both); where one row disagrees, refused naming both."""
    dictionary = {"trtn": {"label": "treatment code", "value_labels": LABELS}}
    ds = table(tmp_path / "same", "adsl", {"trt": TREATMENT, "trtn": CODE, "age": AGES})
    ds = dataclasses.replace(ds, dictionary=dictionary)
    placebo = statistics.mean(a for a, t in zip(AGES, TREATMENT, strict=True) if t == "Placebo")
    assert answer("mean age of placebo patients", ds) == placebo
    assert answer("how many subjects on drug", ds) == TREATMENT.count("Drug")
    from appliance.analytics import reader

    caveats = reader.read("mean age of placebo patients", ds).caveats
    assert any("trt" in c and "trtn" in c for c in caveats), caveats
    # one row coded 1 (placebo) whose text says Drug: the two columns disagree
    odd = [*CODE[:3], 1, *CODE[4:]]
    ds = table(tmp_path / "odd", "adsl", {"trt": TREATMENT, "trtn": odd, "age": AGES})
    ds = dataclasses.replace(ds, dictionary=dictionary)
    refused = answer("mean age of placebo patients", ds)
    assert isinstance(refused, Unanswerable) and "trtn" in str(refused), refused
    # a placebo row with no text: empty in one, the value in the other, also disagrees
    blank = ["" if i == 0 else t for i, t in enumerate(TREATMENT)]
    ds = table(tmp_path / "blank", "adsl", {"trt": blank, "trtn": CODE, "age": AGES})
    ds = dataclasses.replace(ds, dictionary=dictionary)
    assert isinstance(answer("mean age of placebo patients", ds), Unanswerable)


TIMES = [12, 30, 7, 44, 19, 60, 25, 3]
DIED = [1, 0, 1, 0, 1, 0, 1, 1]


def survival_table(folder: Path, columns: dict[str, list[object]]) -> datasets.Dataset:
    ds = table(folder, "cohort", columns)
    ds.survival_pairs = [p.to_json() for p in time_to_event.pairs(ds)]
    return ds


def test_follow_up_time_is_the_time_of_the_one_time_to_event_pair(tmp_path: Path) -> None:
    """ "follow-up time", "f/u", "time on study" name the time column of the table's
    one time-to-event pair; "died during follow-up" is its event. With two pairs, or
    "during follow-up" after anything but the event, refused."""
    ds = survival_table(
        tmp_path / "one",
        {"patient_id": list(range(8)), "time_months": TIMES, "died": DIED, "age": AGES},
    )
    dead = [t for t, d in zip(TIMES, DIED, strict=True) if d]
    alive = [t for t, d in zip(TIMES, DIED, strict=True) if not d]
    assert answer("mean follow-up time of patients who died", ds) == statistics.mean(dead)
    assert answer("median f/u for pts who didn't die", ds) == statistics.median(alive)
    assert answer("the longest follow-up", ds) == max(TIMES)
    assert answer("average time on study", ds) == statistics.mean(TIMES)
    assert answer("how many patients died during follow-up", ds) == sum(DIED)
    assert answer("how many patients did not die during the follow-up", ds) == len(alive)
    assert isinstance(answer("mean age during follow-up", ds), Unanswerable)
    two = survival_table(
        tmp_path / "two",
        {
            "patient_id": list(range(8)),
            "os_months": TIMES,
            "os_status": DIED,
            "pfs_months": [t // 2 for t in TIMES],
            "pfs_status": DIED[::-1],
        },
    )
    assert len(two.survival_pairs) == 2
    assert isinstance(answer("mean follow-up time", two), Unanswerable)


def test_a_difference_of_counts_keeps_the_other_conditions(tmp_path: Path) -> None:
    """ "how many more diploid than aneuploid patients died": the deaths in each group,
    never every row of each group (the condition both groups share was dropped)."""
    ds = table(tmp_path, "t", {"tumour_profile": PROFILE, "died": DIED, "age": AGES})
    rows = list(zip(PROFILE, DIED, AGES, strict=True))
    died = {p: sum(d for q, d, _a in rows if q == p) for p in ("diploid", "aneuploid")}
    assert answer("how many more diploid than aneuploid patients died", ds) == (
        died["diploid"] - died["aneuploid"]
    )
    mean = {p: statistics.mean(a for q, d, a in rows if q == p and d) for p in died}
    assert answer("difference in mean age between diploid and aneuploid patients who died", ds) == (
        mean["diploid"] - mean["aneuploid"]
    )


def visits_table(folder: Path) -> tuple[datasets.Dataset, list[tuple[str, int, int, str, str]]]:
    """Patients seen 1 to 3 times each (visit 1, 2, …): one row per visit."""
    seen = {"P1": 3, "P2": 1, "P3": 2, "P4": 3, "P5": 1}
    ages = {"P1": 40, "P2": 55, "P3": 62, "P4": 33, "P5": 71}
    sexes = {"P1": "female", "P2": "male", "P3": "female", "P4": "male", "P5": "female"}
    status = ["good", "poor", "good", "poor", "poor", "good", "good", "poor", "good", "poor"]
    rows = [(p, v, ages[p], sexes[p]) for p, n in seen.items() for v in range(1, n + 1)]
    full = [(*row, s) for row, s in zip(rows, status, strict=True)]
    columns = {
        "patient_id": [r[0] for r in full],
        "visit": [r[1] for r in full],
        "age": [r[2] for r in full],
        "sex": [r[3] for r in full],
        "status": [r[4] for r in full],
    }
    return table(folder, "clinic", columns), full


def test_where_rows_are_visits_people_are_counted_by_their_identifier(tmp_path: Path) -> None:
    """A patient_id that repeats over visits: "how many distinct patients", "how many
    different patients", a plain "how many patients" and "how many women" count distinct
    ids, never rows; "first visit" is visit 1; a mean or percentage of patients is
    answered only where the rows kept are one per patient (at the first visit)."""
    ds, rows = visits_table(tmp_path)
    good = {r[0] for r in rows if r[4] == "good"}
    assert len(good) != sum(r[4] == "good" for r in rows)  # ids and rows differ
    assert answer("how many distinct patients had a good status", ds) == len(good)
    assert answer("how many different patients are there", ds) == len({r[0] for r in rows})
    assert answer("how many patients had a good status", ds) == len(good)
    women = {r[0] for r in rows if r[3] == "female"}
    assert answer("how many women", ds) == len(women)
    per_sex = {s: len({r[0] for r in rows if r[3] == s}) for s in ("female", "male")}
    assert answer("how many different patients per sex", ds) == per_sex
    first = [r for r in rows if r[1] == 1]
    assert answer("mean age of patients at their first visit", ds) == statistics.mean(
        r[2] for r in first
    )
    assert answer("mean age of patients at visit 1", ds) == statistics.mean(r[2] for r in first)
    assert answer("at the first visit, what percentage of patients are women", ds) == (
        100 * sum(r[3] == "female" for r in first) / len(first)
    )
    assert answer("how old is the oldest patient", ds) == max(r[2] for r in rows)
    oldest = max(first, key=lambda r: r[2])
    assert answer("looking at first visits, which patient is the oldest", ds) == [oldest[0]]
    assert answer("# visits w/ good status", ds) == sum(r[4] == "good" for r in rows)
    assert answer("number of visits by female patients", ds) == sum(r[3] == "female" for r in rows)
    for question in (
        "mean age of patients",
        "what percentage of patients are women",
        "what percentage of patients are women, at the first visit",  # of all visits?
    ):
        refused = answer(question, ds)
        assert isinstance(refused, Unanswerable) and "patient_id" in str(refused), question


def test_a_header_that_is_a_noun_for_people_identifies_them_over_periods(
    tmp_path: Path,
) -> None:
    """A trial's rows are periods of a patient, and its identifier is headed by the noun
    alone (``subject``, ``Patient``): "how many patients" counts distinct subjects, never
    rows, and a mean of patients over their periods is refused."""
    arms = {s: "drug" if s % 2 else "placebo" for s in range(1, 7)}
    periods = [(s, p, arms[s], 20 + s) for s in range(1, 7) for p in (1, 2, 3)]
    for header in ("subject", "Patient"):
        ds = table(
            tmp_path / header,
            "seizures",
            {
                header: [r[0] for r in periods],
                "period": [r[1] for r in periods],
                "treatment": [r[2] for r in periods],
                "age": [r[3] for r in periods],
            },
        )
        assert answer("how many patients were in the trial?", ds) == 6, header
        assert answer("# pts on drug", ds) == len({r[0] for r in periods if r[2] == "drug"})
        assert answer("how many records are on drug", ds) == sum(r[2] == "drug" for r in periods)
        refused = answer("mean age of patients", ds)
        assert isinstance(refused, Unanswerable), header
