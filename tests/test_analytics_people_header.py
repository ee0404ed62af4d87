"""A header that is no more than a noun for people (issue 26): ``woman`` holding a
different value on every row names the rows, so "women" is every row, never that column.
Small tables made here; expected answers computed from the rows written."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [30, 45, 50, 62, 70, 81]


def test_a_header_that_is_a_noun_for_people_names_the_rows(tmp_path: Path) -> None:
    """A column ``woman`` of identifiers (one value a row): "women" is the rows, never
    that column; a count column named for women says nothing of who the rows are."""
    urban = ["Y", "N", "Y", "Y", "N", "N"]
    ds = table(tmp_path, "survey", {"woman": [11, 12, 13, 14, 15, 16], "age": AGES, "urban": urban})
    assert answer("how many women are there", ds) == len(AGES)
    in_town = [a for a, u in zip(AGES, urban, strict=True) if u == "Y"]
    assert answer("mean age of urban women", ds) == pytest.approx(statistics.mean(in_town))
    counted = table(
        tmp_path / "counted",
        "households",
        {"household_id": list(range(6)), "women_count": [1, 2, 1, 3, 2, 1], "age": AGES},
    )
    assert isinstance(answer("mean age of women", counted), Unanswerable)
