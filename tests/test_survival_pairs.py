"""Which of a table's several time-to-event pairs a survival question asks about
(appliance/analytics/reader/pair_names.py), on a transplant-like table made here with a
fixed seed and a data dictionary declaring three pairs: death, disease-free survival and
acute GVHD. Expected values come from statsmodels' ``SurvfuncRight``."""

from __future__ import annotations

import csv
import dataclasses
import math
from typing import Any

import numpy as np
import pytest

from appliance.analytics import datasets, reader
from appliance.analytics.errors import Unanswerable
from tests.references import PHReg, SurvfuncRight
from tests.test_analytics_reader import answer

N = 160
YEAR = 365.25


def columns() -> dict[str, list[Any]]:
    rng = np.random.default_rng(2612)
    follow = rng.uniform(200, 2000, N)
    death = rng.exponential(1200, N)
    relapse = rng.exponential(900, N)
    gvhd = rng.exponential(700, N)
    os_days = np.ceil(np.minimum(death, follow))
    dfs_days = np.ceil(np.minimum.reduce([death, relapse, follow]))
    return {
        "pid": [f"p{i:03d}" for i in range(N)],
        "group": [["ALL", "AML"][i % 2] for i in range(N)],
        "t1": [int(x) for x in os_days],
        "d1": [int(d <= f) for d, f in zip(death, follow, strict=True)],
        "t2": [int(x) for x in dfs_days],
        "d3": [int(x < f) for x, f in zip(np.minimum(death, relapse), follow, strict=True)],
        "rel": [
            "relapsed" if r < min(d, f) else "disease free"
            for r, d, f in zip(relapse, death, follow, strict=True)
        ],
        "ta": [int(x) for x in np.ceil(np.minimum(gvhd, os_days))],
        "da": [int(g < o) for g, o in zip(gvhd, os_days, strict=True)],
    }


DICTIONARY: dict[str, dict[str, Any]] = {
    "t1": {"label": "overall survival time", "unit": "days", "role": "duration", "pair": "death"},
    "d1": {"label": "death", "role": "event", "event_value": 1, "pair": "death"},
    "t2": {
        "label": "disease-free survival time",
        "unit": "days",
        "role": "duration",
        "pair": "disease-free survival",
    },
    "d3": {
        "label": "relapse or death",
        "role": "event",
        "event_value": 1,
        "pair": "disease-free survival",
    },
    "ta": {
        "label": "time to acute GVHD",
        "unit": "days",
        "role": "duration",
        "pair": "acute GVHD",
    },
    "da": {"label": "acute GVHD", "role": "event", "event_value": 1, "pair": "acute GVHD"},
    "rel": {"label": "relapse"},
}


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> tuple[datasets.Dataset, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("pairs")
    data = columns()
    with (folder / "transplant.csv").open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(list(data))
        w.writerows(zip(*data.values(), strict=True))
    ds = datasets.load_file(folder / "transplant.csv", folder / "derived", "transplant")
    return dataclasses.replace(ds, dictionary=DICTIONARY), data


def km(data: dict[str, Any], time: str, event: str, keep: Any = None) -> Any:
    rows = [i for i in range(N) if keep is None or keep(i)]
    return SurvfuncRight(
        np.array([data[time][i] for i in rows], float),
        np.array([data[event][i] for i in rows], float),
    )


def at(fit: Any, t: float) -> float:
    """S(t) from statsmodels' step function: the last step at or before t."""
    steps = fit.surv_times <= t
    return float(fit.surv_prob[steps][-1]) if steps.any() else 1.0


def test_each_pair_is_named_by_its_own_words(table: tuple[datasets.Dataset, Any]) -> None:
    ds, data = table
    assert answer("median overall survival", ds) == pytest.approx(
        km(data, "t1", "d1").quantile(0.5)
    )
    assert answer("1-year disease-free survival", ds) == pytest.approx(
        at(km(data, "t2", "d3"), YEAR)
    )
    assert answer("What is the Kaplan-Meier median time to acute GVHD?", ds) == pytest.approx(
        km(data, "ta", "da").quantile(0.5)
    )
    assert answer("1 yr os", ds) == pytest.approx(at(km(data, "t1", "d1"), YEAR))


def test_survival_alone_is_overall_survival_with_a_caveat(
    table: tuple[datasets.Dataset, Any],
) -> None:
    ds, data = table
    assert answer("median survival", ds) == pytest.approx(km(data, "t1", "d1").quantile(0.5))
    reading = reader.read("median survival", ds)
    assert any("overall survival" in c for c in reading.caveats), reading.caveats
    # a pair's name said as a condition keeps rows; the survival is still the death pair's
    gvhd = km(data, "t1", "d1", keep=lambda i: data["da"][i] == 1)
    for question in (
        "median survival of patients with acute GVHD",
        "median survival for acute GVHD patients",  # before a row noun: which rows
        "median survival of acute GVHD patients",
    ):
        assert answer(question, ds) == pytest.approx(gvhd.quantile(0.5)), question


def test_words_that_name_the_pair_are_not_also_a_condition(
    table: tuple[datasets.Dataset, Any],
) -> None:
    """ "disease free" is a value of ``rel`` too: in "disease-free survival" it names the
    pair (every row), in "overall survival of disease free patients" it keeps rows."""
    ds, data = table
    assert answer("median disease-free survival", ds) == pytest.approx(
        km(data, "t2", "d3").quantile(0.5)
    )
    free = km(data, "t1", "d1", keep=lambda i: data["rel"][i] == "disease free")
    assert answer("1-year overall survival of disease free patients", ds) == pytest.approx(
        at(free, YEAR)
    )


def test_no_pair_named_or_two_named_is_refused(table: tuple[datasets.Dataset, Any]) -> None:
    ds, _data = table
    for question in (
        "log-rank test by group",  # which event?
        "median event-free survival",  # no such pair: never overall survival
        "hazard ratio of death or acute GVHD",  # one event or the other?
    ):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_one_hazard_ratio_of_a_model_on_several_is_the_one_named(
    table: tuple[datasets.Dataset, Any],
) -> None:
    """ "the hazard ratio for AML, adjusting for acute GVHD": the singular asks for the
    ratio of the predictor said outside the adjustments (AML), adjusted for acute GVHD;
    the plural answers each. Said only in the model's list, neither is singled out."""
    ds, data = table
    x = np.column_stack([[g == "AML" for g in data["group"]], data["da"]]).astype(float)
    ref = PHReg(np.array(data["t1"], float), x, status=np.array(data["d1"]), ties="efron")
    aml = math.exp(ref.fit().params[0])
    said = "of death for AML, adjusting for acute GVHD"
    assert answer(f"hazard ratio {said}", ds) == pytest.approx(aml, rel=1e-6)
    both = answer(f"hazard ratios {said}", ds)
    assert isinstance(both, dict) and len(both) == 2
    assert both["group = 'AML'"] == pytest.approx(aml, rel=1e-6)
    listed = answer("Cox model of death on AML and acute GVHD: the hazard ratio", ds)
    assert isinstance(listed, Unanswerable), listed


def test_the_living_are_no_default_to_overall_survival(
    table: tuple[datasets.Dataset, Any],
) -> None:
    """ "survivors", "alive" name the rows without the event, never the death pair's
    survival over every row: of several pairs, the question is refused as before, not
    answered as "median survival" (whose caveat reads it as overall survival)."""
    ds, data = table
    everyone = km(data, "t1", "d1").quantile(0.5)
    for question in ("median survival of survivors", "median survival of alive patients"):
        got = answer(question, ds)
        assert isinstance(got, Unanswerable), (question, got, everyone)
