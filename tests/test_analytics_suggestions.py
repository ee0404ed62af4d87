"""Refusals that help: the readings suggested for a refused question are complete plans
that run, change only what cannot change what was asked, and are never offered by
leaving out a word that could be a condition. Expected answers are computed from the
rows written here, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from appliance.analytics import engine, plan, reader, service, suggestions
from appliance.analytics.datasets import Dataset
from tests.test_analytics_reader import table

ROWS: dict[str, list[Any]] = {
    "patient_id": ["p1", "p2", "p3", "p4", "p5", "p6"],
    "age": [30, 40, 50, 60, 70, 80],
    "smoker": [1, 0, 1, 0, 0, 1],
    "sex": ["F", "M", "F", "M", "F", "M"],
    "diagnosis": ["sepsis", "copd", "sepsis", "asthma", "copd", "sepsis"],
    "bmi": [20.5, 25.0, 30.0, 35.5, 22.0, 27.0],
}


def suggested(
    question: str, ds: Dataset, *words: str, choices: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    known = service._spellings(ds)
    return suggestions.suggest(question, ds, words, reader.read, known, choices)


def run(ds: Dataset, suggestion: dict[str, Any]) -> Any:
    """The suggested plan, sent back as a client would send it."""
    return engine.run(plan.from_json(suggestion["plan"], ds.infos), ds).answer


def where(column: str, value: Any) -> list[int]:
    return [i for i, v in enumerate(ROWS[column]) if v == value]


def test_a_misspelt_word_is_suggested_as_the_data_spells_it(tmp_path: Path) -> None:
    ds = table(tmp_path, "cohort", ROWS)
    women = where("sex", "F")
    (first, *_rest) = suggested("mean agee of women", ds, "agee")
    assert first["question"] == "mean age of women"
    assert run(ds, first) == statistics.mean(ROWS["age"][i] for i in women)
    assert first["interpretation_sentence"] == "mean of age over rows of cohort where sex = F"
    (bmi, *_rest) = suggested("average bim for smokers", ds, "bim")  # two letters swapped
    assert bmi["question"] == "average bmi for smokers"
    assert run(ds, bmi) == statistics.mean(ROWS["bmi"][i] for i in where("smoker", 1))
    (sepsis, *_rest) = suggested("how many sepsiss patients", ds, "sepsiss")
    assert run(ds, sepsis) == len(where("diagnosis", "sepsis"))
    (mean, *_rest) = suggested("what is the avrage age", ds, "avrage")
    assert run(ds, mean) == statistics.mean(ROWS["age"])


def test_a_word_that_never_names_rows_is_left_out(tmp_path: Path) -> None:
    ds = table(tmp_path, "cohort", ROWS)
    (only,) = suggested("exactly how many smokers", ds, "exactly")
    assert only["question"] == "how many smokers"
    assert run(ds, only) == len(where("smoker", 1))


def test_a_word_that_could_be_a_condition_is_never_left_out(tmp_path: Path) -> None:
    """Leaving out "diabetic" would answer every patient: no suggestion instead, and
    none when only one of two unknown words has a safe change."""
    ds = table(tmp_path, "cohort", ROWS)
    assert suggested("how many diabetic patients", ds, "diabetic") == []
    assert suggested("mean age of obese smokers", ds, "obese") == []
    assert suggested("exactly how many obese smokers", ds, "exactly", "obese") == []
    assert suggested("how many smokers", ds) == []
    # "patients" beside a value "patient": the rows, or that value? Not left out.
    tests = dict(ROWS) | {"patient_group": ["patient", "staff"] * 3}
    ds = table(tmp_path / "tests", "covid_tests", tests)
    assert suggested("how many tests of patients over 50", ds, "patients") == []


def test_a_plain_row_noun_is_the_rows(tmp_path: Path) -> None:
    ds = table(tmp_path, "cohort", ROWS)
    (only,) = suggested("exactly how many patients smoke", ds, "exactly", "patients")
    assert run(ds, only) == len(where("smoker", 1))


def test_at_most_three_suggestions_each_a_plan_that_runs(tmp_path: Path) -> None:
    near = {name: [1.5 * k, 2, 3, 4, 5, 6] for k, name in enumerate(["kappa", "kappb", "kappc"])}
    ds = table(tmp_path, "cohort", dict(ROWS) | near)
    found = suggested("mean kappx", ds, "kappx")
    assert 1 <= len(found) <= suggestions.MAX_SUGGESTIONS
    for s in found:
        assert set(s) == {"question", "plan", "interpretation_sentence"}
        plan.from_json(s["plan"], ds.infos)  # checked as a client's plan is
    assert len({repr(s["plan"]) for s in found}) == len(found)


def test_a_word_naming_two_columns_suggests_each(tmp_path: Path) -> None:
    drinks = {"avg_drinks": [1, 2, 3, 4, 5, 6], "max_drinks": [2, 4, 8, 16, 1, 3]}
    ds = table(tmp_path, "cohort", dict(ROWS) | drinks)
    both = {"drinks": ["avg_drinks", "max_drinks"]}
    found = suggested("mean drinks of smokers", ds, "drinks", choices=both)
    smokers = where("smoker", 1)
    assert [s["question"] for s in found] == [
        "mean avg drinks of smokers",
        "mean max drinks of smokers",
    ]
    assert [run(ds, s) for s in found] == [
        statistics.mean(drinks[c][i] for i in smokers) for c in ("avg_drinks", "max_drinks")
    ]
