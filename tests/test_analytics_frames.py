"""The frame around a table's words: how statistics, sentences and follow-ups are said
("among those with …", "which three …", "over smokers", "after a CABG", "how many
different codes …"). Each on a small table made here; expected answers are computed
from the rows written, never by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [30, 40, 50, 60, 70, 80]
GVHD = [1, 0, 1, 1, 0, 0]
SEX = ["F", "M", "F", "M", "F", "M"]


def test_those_with_asked_afresh_are_the_rows_it_describes(tmp_path: Path) -> None:
    """ "the sd of age among those with acute GVHD" asked afresh: "those" is no pointer
    back but the rows the words after it describe; in a follow-up's form ("only those
    over 60") or with nothing after it ("how many of those were women") it still points
    back, and is refused with nothing to point to."""
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "gvhd": GVHD, "sex": SEX})
    with_gvhd = [a for a, g in zip(AGES, GVHD, strict=True) if g]
    got = answer("What is the standard deviation of age among those with gvhd?", ds)
    assert got == pytest.approx(statistics.stdev(with_gvhd))
    assert answer("how many of those over 50 are women", ds) == sum(
        1 for a, s in zip(AGES, SEX, strict=True) if a > 50 and s == "F"
    )
    for question in ("only those over 60", "how many of those were women", "and those with gvhd"):
        refusal = answer(question, ds)
        assert isinstance(refusal, Unanswerable) and "points back" in str(refusal), question


def test_a_number_word_is_the_number_beside_a_time_point_header(tmp_path: Path) -> None:
    """ "which three participants have the highest baseline" beside a column number3m:
    "three" alone is the number of rows to list, as "3" is, never a part of the name
    that its time point says; "the number at three months" is still that column."""
    baseline = [7, 77, 7, 5, 23, 35]
    at3 = [6, 60, 1, 4, 20, 30]
    ids = ["a", "b", "c", "d", "e", "f"]
    ds = table(tmp_path, "t", {"pid": ids, "baseline": baseline, "number3m": at3})
    ranked = [i for _b, i in sorted(zip(baseline, ids, strict=True), reverse=True)]
    assert answer("which three participants have the highest baseline", ds) == ranked[:3]
    assert answer("which two participants had the highest baseline", ds) == ranked[:2]
    assert answer("mean number at three months", ds) == pytest.approx(statistics.mean(at3))
