"""Words the table itself lends the question: its file name, its counts, its ages.

Three wrong numbers a new development fold (tests/data/analytics/corpus/hand/f) found
in the reader, each from a word read as saying nothing or as the rows' age:

- the file's name: on ``bad_health.csv``, "patients in bad health" counted every row
  (the words were taken as the dataset's name, and the name as meta);
- the file's last word as the rows: on ``doctor_visits.csv``, "visits" were the rows,
  though ``visits`` is each row's count of them;
- a number before the noun it counts: "pts w/ > 10 visits" compared the rows' age.

And one unit: "the average age in years" of ``age`` recorded as years/100 (0.19 for
19) was the mean of the column, 0.4 "years". Expected answers below are counted from
the columns written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [25, 47, 61, 33, 70, 52, 44, 29, 66, 58]
SICK = [0, 1, 1, 0, 1, 0, 0, 0, 1, 1]
VISITS = [1, 12, 15, 0, 3, 11, 2, 4, 20, 7]


def _bad_health(tmp_path: Path) -> Dataset:
    columns = {"patient_id": list(range(1, 11)), "numvisit": VISITS, "badh": SICK, "age": AGES}
    return table(tmp_path, "bad_health", columns)


def test_the_file_names_words_are_no_meta_where_they_could_be_a_condition(
    tmp_path: Path,
) -> None:
    """Away from a word for a file, the name's words are read as any words: here "bad
    health" aligns with ``badh`` (docs/analytics.md, the abbreviation aligner), and a
    word of the name alone is refused, never dropped."""
    ds = _bad_health(tmp_path)
    assert answer("how many patients are in bad health?", ds) == sum(SICK)
    sick_ages = [a for a, s in zip(AGES, SICK, strict=True) if s]
    assert answer("avg age pts w/ bad health", ds) == pytest.approx(sum(sick_ages) / len(sick_ages))
    refused = answer("mean age of the health patients", ds)
    assert isinstance(refused, Unanswerable), refused
    assert "the dataset's name" in str(refused)


@pytest.mark.parametrize(
    "question",
    ["mean age in the bad health data", "mean age in the file bad_health",
     "mean age in bad_health.csv", "what is the mean age in this bad health dataset"],
)  # fmt: skip
def test_the_file_named_as_a_file_says_nothing(tmp_path: Path, question: str) -> None:
    assert answer(question, _bad_health(tmp_path)) == pytest.approx(sum(AGES) / len(AGES))


def test_a_number_before_the_noun_it_counts_is_not_the_age(tmp_path: Path) -> None:
    ds = _bad_health(tmp_path)
    # "visits" after the comparison is the count it names (numvisit), never the age
    got = answer("% pts w/ >10 visits", ds)
    assert got == pytest.approx(100 * sum(1 for v in VISITS if v > 10) / len(VISITS))
    # with no noun after it, a number beside the rows is still their age
    assert answer("how many patients over 50", ds) == sum(1 for a in AGES if a > 50)


def test_the_files_last_word_is_not_the_rows_where_a_column_has_it(tmp_path: Path) -> None:
    ds = table(tmp_path, "doctor_visits", {"respondent_id": list(range(1, 11)),
                                           "visits": VISITS, "age": AGES})  # fmt: skip
    assert answer("how many respondents had more than 10 visits", ds) == sum(
        1 for v in VISITS if v > 10
    )
    assert answer("mean visits", ds) == pytest.approx(sum(VISITS) / len(VISITS))


def test_ages_under_2_are_not_taken_to_be_years(tmp_path: Path) -> None:
    """A survey's age/100: "in years" is refused rather than answered as 0.4 years."""
    hundredths = [a / 100 for a in AGES]
    ds = table(tmp_path, "survey", {"id": list(range(1, 11)), "age": hundredths})
    refused = answer("what is the average age in years?", ds)
    assert isinstance(refused, Unanswerable), refused
    assert "not recorded" in str(refused)
    plain = table(tmp_path / "plain", "survey", {"id": list(range(1, 11)), "age": AGES})
    assert answer("what is the average age in years?", plain) == pytest.approx(
        sum(AGES) / len(AGES)
    )
