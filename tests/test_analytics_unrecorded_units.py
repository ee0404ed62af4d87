"""A unit said of a column whose unit is not recorded: taken only where the column names
a quantity of the body and its values fit that one unit of its kind, else refused
(naming the units that fit). Expected answers are computed from the rows written."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from appliance.analytics import reader
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

HEIGHTS = [148, 160, 175, 180, 190, 197]  # cm only: 197 inches or metres is no one
WEIGHTS = [39, 60, 80, 81, 120, 166]  # kg or lb alike
SBP = [96, 118, 131, 144, 158, 200, 122, 109, 137, 171]  # mmHg only: 200 kPa is no one
SMOKING = [0, 0, 1, 0, 1, 1, 1, 0, 0, 1]


def refusal(question: str, ds: object) -> str:
    got = answer(question, ds)
    assert isinstance(got, Unanswerable), (question, got)
    return str(got)


def test_a_height_whose_values_fit_cm_alone_is_taken_in_cm(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "height": HEIGHTS})
    question = "how many patients 180 cm or taller"
    assert answer(question, ds) == sum(h >= 180 for h in HEIGHTS)
    caveats = reader.read(question, ds).caveats
    assert "height has no recorded unit: its values (148 to 197) fit cm only" in caveats[0]
    assert answer("average height in cm", ds) == sum(HEIGHTS) / len(HEIGHTS)


def test_a_unit_other_than_the_one_inferred_converts_exactly(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "height": HEIGHTS})
    question = "how many patients taller than 70 inches"
    assert answer(question, ds) == sum(h > 70 * 2.54 for h in HEIGHTS) == 3
    assert any("1 in = 2.54 cm" in c for c in reader.read(question, ds).caveats)
    # the answer itself is converted only from a recorded unit (a plan never guesses one)
    assert "no recorded unit" in refusal("average height in inches", ds)


def test_values_that_fit_two_units_are_refused_naming_both(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "weight": WEIGHTS})
    message = refusal("how many patients weigh more than 80 kg", ds)
    assert "(39 to 166) fit kg and lb alike" in message
    recorded = table(tmp_path / "r", "t", {"id": list(range(6)), "weight_kg": WEIGHTS})
    assert answer("how many patients weigh more than 80 kg", recorded) == 3


def test_values_no_person_has_in_any_unit_are_refused(tmp_path: Path) -> None:
    odd = [10, 60, 120, 150, 180, 300]  # 10 cm is no one's height; 300 cm, inches or m too
    ds = table(tmp_path, "t", {"id": list(range(6)), "height": odd})
    assert "fit no unit of height" in refusal("how many patients taller than 180 cm", ds)


def test_a_column_that_names_no_body_quantity_is_refused(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "heart_weight": [250, 300, 310] * 2})
    assert "not recorded" in refusal("how many patients with heart weight over 300 g", ds)
    sampled = table(tmp_path / "s", "t", {"id": list(range(6)), "weight": [900, 5000] * 3})
    sampled.dictionary["weight"] = {"label": "sampling weight"}  # its label says what it is
    assert "not recorded" in refusal("how many patients with weight over 2000 g", sampled)


def test_an_age_is_taken_only_in_years(tmp_path: Path) -> None:
    """Ages 1 to 206 are past any age in years, but fit months, weeks and days alike
    (children in months, infants in days): refused, never read as years."""
    months = [1, 20, 100, 101, 150, 206]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": months})
    message = refusal("how many patients older than 100 months", ds)
    assert "fit days, weeks and months alike" in message
    assert "fit days, weeks and months alike" in refusal("how many patients over 10 years", ds)
    adults = table(tmp_path / "a", "t", {"id": list(range(6)), "age": [18, 30, 44, 61, 75, 90]})
    assert answer("how many patients over 40 years", adults) == 4
    assert isinstance(answer("average age in months", adults), Unanswerable)


def logistic_slope(x: list[float], y: list[int]) -> float:
    """The slope of a logistic fit of y on x by Newton's method, written here."""
    design = np.column_stack([np.ones(len(x)), np.asarray(x, dtype=float)])
    outcome = np.asarray(y, dtype=float)
    beta = np.zeros(2)
    for _ in range(100):
        p = 1 / (1 + np.exp(-design @ beta))
        step = np.linalg.solve(
            design.T @ (design * (p * (1 - p))[:, None]), design.T @ (outcome - p)
        )
        beta += step
        if np.max(np.abs(step)) < 1e-12:
            break
    return float(beta[1])


def test_per_one_mmhg_of_a_pressure_whose_values_fit_mmhg_alone(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"id": list(range(10)), "sbp": SBP, "smoking": SMOKING})
    got = answer("OR of smoking per 1 mmHg sbp", ds)
    assert math.isclose(got, math.exp(logistic_slope(SBP, SMOKING)), rel_tol=1e-6)
    assert answer("odds ratio of smoking per mmHg of sbp", ds) == got
    assert isinstance(answer("OR of smoking per 10 mmHg sbp", ds), Unanswerable)
    kilopascals = [round(v * 101.325 / 760, 1) for v in SBP]  # 12.8 to 26.7: kPa, or mmHg
    low = table(
        tmp_path / "k", "t", {"id": list(range(10)), "sbp": kilopascals, "smoking": SMOKING}
    )
    assert "alike" in refusal("OR of smoking per 1 mmHg sbp", low)


def test_per_one_unit_is_per_unit(tmp_path: Path) -> None:
    ages = [31, 45, 52, 38, 67, 59, 44, 71, 36, 63]
    ds = table(tmp_path, "t", {"id": list(range(10)), "age": ages, "smoking": SMOKING})
    got = answer("OR of smoking per 1 yr of age", ds)
    assert math.isclose(got, math.exp(logistic_slope(ages, SMOKING)), rel_tol=1e-6)
    assert isinstance(answer("OR of smoking per 5 yrs of age", ds), Unanswerable)


def test_a_measure_adjective_after_a_unit_names_the_column(tmp_path: Path) -> None:
    """ "at least 180 cm tall" is on the height, as "180 cm or taller" is."""
    ds = table(tmp_path, "t", {"id": list(range(6)), "height": HEIGHTS, "weight": WEIGHTS})
    assert answer("how many patients at least 180 cm tall", ds) == sum(h >= 180 for h in HEIGHTS)
    assert answer("how many patients over 70 inches tall", ds) == sum(
        h > 70 * 2.54 for h in HEIGHTS
    )
    assert isinstance(answer("how many patients at least 80 kg tall", ds), Unanswerable)
