"""Words that say the data holds a value ("recorded", "observed", "documented", "in the
data set", "appear in the … data") after a statistic change nothing; before a column in
a condition ("patients with recorded smoking status") they are the condition that it is
filled in, never dropped. On small tables made here; expected answers are computed from
the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

WCC = [6.1, None, 9.4, 4.2, 11.8]
AGES = [34, 51, 28, 66, 45]
STATUS = ["current", None, "never", None, "former"]
STAYS = [3, 8, 1, 12, 5]


def visits(folder: Path) -> object:
    return table(
        folder,
        "clinic_visits",
        {
            "visit_id": [1, 2, 3, 4, 5],
            "white_cell_count": ["" if v is None else v for v in WCC],
            "age_years": AGES,
            "smoking_status": ["" if v is None else v for v in STATUS],
            "stay": STAYS,
        },
    )


KNOWN_WCC = [v for v in WCC if v is not None]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the highest white cell count recorded?", max(KNOWN_WCC)),
        ("the lowest white cell count on record", min(KNOWN_WCC)),
        ("What is the minimum age, in years, recorded at a visit?", min(AGES)),
        ("the longest stay observed", max(STAYS)),
        ("the longest stay documented", max(STAYS)),
        ("the mean stay in the data set", statistics.mean(STAYS)),
        ("how many distinct stays appear in the clinic visits data", len(set(STAYS))),
    ],
)
def test_a_word_that_the_data_holds_a_value_changes_nothing(
    tmp_path: Path, question: str, expected: float
) -> None:
    assert answer(question, visits(tmp_path)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "question",
    [
        "how many visits with recorded smoking status",
        "how many visits had a documented smoking status",
    ],
)
def test_recorded_before_a_column_in_a_condition_is_that_it_is_filled_in(
    tmp_path: Path, question: str
) -> None:
    assert answer(question, visits(tmp_path)) == sum(s is not None for s in STATUS)


def test_observed_before_a_column_is_never_dropped(tmp_path: Path) -> None:
    """ "observed", like "measured", before a column may say which column ("observed
    weight" beside a reported one): here the question is refused or the condition kept,
    never read as every visit."""
    got = answer("how many visits had an observed smoking status", visits(tmp_path))
    assert isinstance(got, Unanswerable) or got == sum(s is not None for s in STATUS)
    assert got != len(STATUS)
