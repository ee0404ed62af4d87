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
