"""The logistic fit (appliance/analytics/regression.py) against statsmodels' Logit on the
same complete rows: a fit whose coefficients are large only because of a predictor's
unit (heights in centimetres give an intercept near -65) is answered, and an outcome the
predictors separate perfectly is refused."""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from appliance.analytics import datasets, engine, plan
from appliance.analytics.errors import Unanswerable
from tests.references import Logit, add_constant

# One worker runs the module: its reference imports statsmodels (tests/references.py),
# two seconds of CPU in each process that does.
pytestmark = pytest.mark.xdist_group("statsmodels")

MALE = [{"column": "sex", "op": "=", "value": "M"}]


def table(folder: Path, columns: dict[str, list[Any]]) -> datasets.Dataset:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "people.csv"
    with source.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))
    return datasets.load_file(source, folder / "derived", "people")


def heights(n: int = 120) -> dict[str, list[Any]]:
    """Men taller on average, with overlap (no separation), one height far out as a
    typing slip would put it, and two heights missing."""
    rng = random.Random(7)
    sex = [rng.choice("MF") for _ in range(n)]
    height: list[Any] = [round(rng.gauss(178 if s == "M" else 164, 7)) for s in sex]
    height[3], sex[3] = 57, "F"
    height[10] = height[20] = ""
    weight = [round(rng.gauss(75 if s == "M" else 62, 9), 1) for s in sex]
    return {"sex": sex, "height": height, "weight": weight}


def statsmodels_fit(columns: dict[str, list[Any]], predictors: list[str]) -> np.ndarray:
    rows = [k for k in range(len(columns["sex"])) if all(columns[p][k] != "" for p in predictors)]
    y = np.array([1.0 if columns["sex"][k] == "M" else 0.0 for k in rows])
    x = np.array([[float(columns[p][k]) for p in predictors] for k in rows])
    fitted = Logit(y, add_constant(x)).fit(disp=0)
    assert fitted.mle_retvals["converged"]
    return np.asarray(fitted.params)


def test_a_fit_with_a_large_intercept_is_statsmodels_fit(tmp_path: Path) -> None:
    columns = heights()
    ds = table(tmp_path, columns)
    expected = statsmodels_fit(columns, ["height"])
    assert expected[0] < -25  # the fit the old bound on coefficients refused
    odds = {"statistic": "logistic_regression", "condition": MALE, "predictors": ["height"]}
    got = engine.run(plan.from_json(odds, ds.infos), ds)
    assert got.answer == pytest.approx(math.exp(expected[1]), rel=1e-8)
    at = odds | {"output": "probability", "at": {"height": 175}}
    z = expected[0] + expected[1] * 175
    probability = engine.run(plan.from_json(at, ds.infos), ds).answer
    assert probability == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-8)


def test_a_fit_on_two_predictors_is_statsmodels_fit(tmp_path: Path) -> None:
    columns = heights()
    ds = table(tmp_path, columns)
    expected = statsmodels_fit(columns, ["height", "weight"])
    odds = {
        "statistic": "logistic_regression",
        "condition": MALE,
        "predictors": ["height", "weight"],
    }
    got = engine.run(plan.from_json(odds, ds.infos), ds).answer
    assert got["height"] == pytest.approx(math.exp(expected[1]), rel=1e-8)
    assert got["weight"] == pytest.approx(math.exp(expected[2]), rel=1e-8)


@pytest.mark.parametrize("overlap", [False, True])
def test_an_outcome_the_predictor_separates_is_refused(tmp_path: Path, overlap: bool) -> None:
    """Every man taller than every woman (or all but two at one height: quasi-complete
    separation): no finite fit exists, so no odds ratio is answered."""
    women, men = list(range(150, 170)), list(range(172, 192))
    if overlap:
        women, men = [*women, 171], [*men, 171]
    columns: dict[str, list[Any]] = {
        "sex": ["F"] * len(women) + ["M"] * len(men),
        "height": women + men,
    }
    ds = table(tmp_path, columns)
    odds = {"statistic": "logistic_regression", "condition": MALE, "predictors": ["height"]}
    with pytest.raises(Unanswerable, match="does not converge"):
        engine.run(plan.from_json(odds, ds.infos), ds)
