"""Words for the rows and the statistic in plain words, on small tables made here: a
noun is the rows only where no column or value is that word; the expected answers are
computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import AGES, answer, table

SEX = ["f", "m", "f", "m", "f", "m"]
STAY = [3, 12, 7, 1, 30, 9]


@pytest.mark.parametrize(
    "question",
    [
        "how many climbers are there",
        "# climbers",
        "number of climbers over 45",
        "mean age of the climbers",
        "mean age for a female climber",
    ],
)
def test_the_noun_an_identifier_is_named_for_is_the_rows(tmp_path: Path, question: str) -> None:
    """ "climbers" beside ``climber_id``: the file says what a row is."""
    ds = table(tmp_path, "t", {"climber_id": list(range(101, 107)), "age": AGES, "sex": SEX})
    expected = {
        "how many climbers are there": len(AGES),
        "# climbers": len(AGES),
        "number of climbers over 45": sum(a > 45 for a in AGES),
        "mean age of the climbers": statistics.mean(AGES),
        "mean age for a female climber": statistics.mean(
            a for a, s in zip(AGES, SEX, strict=True) if s == "f"
        ),
    }[question]
    assert answer(question, ds) == pytest.approx(expected)


def test_an_identifier_noun_is_no_row_beside_another_identifier(tmp_path: Path) -> None:
    """A ``donor_id`` beside a ``recipient_id``: which of them is a row? Not guessed."""
    ds = table(
        tmp_path,
        "t",
        {"donor_id": list(range(6)), "recipient_id": list(range(10, 16)), "age": AGES},
    )
    for question in ("how many donors", "how many recipients"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_stays_are_the_rows_and_a_stay_its_length(tmp_path: Path) -> None:
    """Beside ``stay_id`` and ``length_of_stay``: "stays" counts or ranks the rows,
    "the mean stay" is the length's mean (the singular is the column)."""
    ds = table(
        tmp_path,
        "t",
        {"stay_id": list(range(501, 507)), "length_of_stay": STAY, "sex": SEX},
    )
    assert answer("how many stays", ds) == len(STAY)
    got = answer("count the stays by sex", ds)
    assert got == {"f": SEX.count("f"), "m": SEX.count("m")}
    assert answer("which 2 stays were the longest", ds) == [505, 502]
    assert answer("mean stay", ds) == pytest.approx(statistics.mean(STAY))


def test_a_column_named_for_the_noun_stays_the_column(tmp_path: Path) -> None:
    """ "total stays" beside a count of stays named ``stays``: the column's sum, never a
    count of the rows (both the identifier's noun and the lexicon's say "stays")."""
    stays = [1, 2, 0, 4, 1, 3]
    ds = table(tmp_path, "t", {"stay_id": list(range(6)), "stays": stays, "age": AGES})
    assert answer("total stays", ds) == sum(stays)
    assert answer("total stays for people over 45", ds) == sum(
        s for s, a in zip(stays, AGES, strict=True) if a > 45
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many students over 45", sum(a > 45 for a in AGES)),
        ("mean age of female athletes", statistics.mean([30, 50, 70])),
        ("how many netball players", 6),
        ("max los of urgent admits", max(STAY[0], STAY[1], STAY[4])),
        ("what is the highest age anyone had", max(AGES)),
        ("what is the total los across everyone", sum(STAY)),
        ("how many episodes", 6),
    ],
)
def test_ordinary_nouns_for_the_rows(tmp_path: Path, question: str, expected: float) -> None:
    """People and records as English names them: students, athletes, players, admits,
    episodes; "anyone" and "everyone" are every row."""
    ds = table(
        tmp_path,
        "t",
        {
            "age": AGES,
            "sex": SEX,
            "los": STAY,
            "admission": ["urgent", "urgent", "elective", "elective", "urgent", "elective"],
            "sport": ["netball"] * 6,
        },
    )
    assert answer(question, ds) == pytest.approx(expected)
