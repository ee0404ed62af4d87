"""Abbreviated headers and yes/no flags named in the words people use for them, on
small tables made here; the expected answers are counted from the rows written, not by
the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

SMOKE = [1, 0, 1, 1, 0, 0, 1, 0]
WEIGHT = [0, 1, 2, 0, 1, 2, 2, 0]


def crosstab(first: list[int], second: list[int]) -> dict[str, dict[str, int]]:
    return {
        str(a): {
            str(b): n
            for b in sorted(set(second))
            if (n := sum(x == a and y == b for x, y in zip(first, second, strict=True)))
        }
        for a in sorted(set(first))
    }


def test_counts_of_a_flag_by_its_header_word_are_a_crosstab(tmp_path: Path) -> None:
    """ "counts of smoke by overwt": both columns' counts; "smokers" are the yes rows;
    the words in another order could be either and are refused, naming both."""
    ds = table(tmp_path, "bp", {"person_id": list(range(8)), "smoke": SMOKE, "overwt": WEIGHT})
    assert answer("Can you show counts of smoke by overwt?", ds) == crosstab(SMOKE, WEIGHT)
    yes_by_weight = {  # a group with no yes row is left out
        str(w): n
        for w in sorted(set(WEIGHT))
        if (n := sum(s == 1 and x == w for s, x in zip(SMOKE, WEIGHT, strict=True)))
    }
    assert answer("counts of smokers by overwt", ds) == yes_by_weight
    for question in ("count smoke by overwt", "smoke by overwt counts"):
        refused = answer(question, ds)
        assert isinstance(refused, Unanswerable)
        assert "cross-tabulation" in str(refused) and "yes" in str(refused)
    assert answer("count smoke yes by overwt", ds) == yes_by_weight


@pytest.mark.parametrize("question", ["counts of smoke by overwt", "smoke by overwt counts"])
def test_a_category_by_another_is_still_their_crosstab(tmp_path: Path, question: str) -> None:
    """A column of three values has no yes rows to count: either order is the crosstab."""
    smoke = ["never", "former", "current", "never", "current", "former", "never", "never"]
    ds = table(tmp_path, "bp", {"person_id": list(range(8)), "smoke": smoke, "overwt": WEIGHT})
    expected = {
        a: {
            str(b): n
            for b in sorted(set(WEIGHT))
            if (n := sum(x == a and y == b for x, y in zip(smoke, WEIGHT, strict=True)))
        }
        for a in sorted(set(smoke))
    }
    assert answer(question, ds) == expected


def test_the_files_name_away_from_a_file_word_may_name_an_abbreviated_column(
    tmp_path: Path,
) -> None:
    """On bad_health.csv, "patients in bad health" is its column badh = 1 (the header
    abbreviates the words), and "not in bad health" badh = 0; "in the bad health data"
    is still the file, every row."""
    flag = [1, 0, 0, 1, 0, 1, 0, 0]
    age = [61, 35, 48, 70, 29, 55, 40, 33]
    ds = table(tmp_path, "bad_health", {"patient_id": list(range(8)), "badh": flag, "age": age})
    assert answer("How many patients are in bad health?", ds) == sum(flag)
    sick = [a for a, f in zip(age, flag, strict=True) if f]
    well = [a for a, f in zip(age, flag, strict=True) if not f]
    assert answer("avg age pts w/ bad health", ds) == pytest.approx(sum(sick) / len(sick))
    assert answer("mean age of patients not in bad health", ds) == pytest.approx(
        sum(well) / len(well)
    )
    assert answer("How many patients in the bad health data?", ds) == len(flag)
