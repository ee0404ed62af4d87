"""The shape of a model's question, on small tables made here: which coefficient a
singular ratio asks for, which condition is the outcome, which only picks the rows
fitted. Expected values are statsmodels' fits of the rows written (tests/references.py),
never the engine's."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from appliance.analytics import plan
from appliance.analytics.errors import PlanError, Unanswerable
from tests.references import Logit, add_constant
from tests.test_analytics_reader import answer, table

# One worker runs the module: its reference imports statsmodels (tests/references.py).
pytestmark = pytest.mark.xdist_group("statsmodels")

DIED = ["yes", "no", "yes", "no", "no", "yes", "no", "yes", "no", "yes", "no", "no"]
FIBRINOGEN = [2.1, 2.9, 3.4, 2.2, 3.8, 2.6, 3.1, 4.0, 2.4, 3.3, 2.7, 3.6]
GLOBULIN = [30, 41, 35, 38, 33, 44, 29, 40, 36, 31, 42, 37]


def odds_ratios(y: list[bool], **xs: list[float]) -> dict[str, float]:
    """exp of each coefficient of statsmodels' Logit of y on the columns ``xs``."""
    x = add_constant(np.column_stack([np.asarray(v, float) for v in xs.values()]))
    fit = Logit(np.asarray(y, float), x).fit(disp=0)
    return {name: math.exp(b) for name, b in zip(xs, fit.params[1:], strict=True)}


def lab(folder: Path) -> Any:
    return table(folder, "lab", {"died": DIED, "fibrinogen": FIBRINOGEN, "globulin": GLOBULIN})


def test_the_odds_ratio_for_one_predictor_of_several_is_its_own(tmp_path: Path) -> None:
    """ "the odds ratio for globulin" of a model on globulin and fibrinogen, "per unit of
    globulin, adjusting for fibrinogen": globulin's ratio, adjusted for fibrinogen. The
    model's list and its adjustments name predictors without singling one out."""
    ds = lab(tmp_path)
    want = odds_ratios([d == "yes" for d in DIED], globulin=GLOBULIN, fibrinogen=FIBRINOGEN)
    for said in (
        "logistic regression of death on globulin and fibrinogen: the odds ratio for globulin",
        "In a logistic regression of death on globulin and fibrinogen, what is the odds"
        " ratio for globulin?",
        "odds ratio of death per unit of globulin, adjusting for fibrinogen",
        "What is the odds ratio of death for globulin, adjusting for fibrinogen?",
        "logistic regression of death on globulin, adjusting for fibrinogen: odds ratio",
    ):
        assert answer(said, ds) == pytest.approx(want["globulin"], rel=1e-6), said
    said = "logistic regression of death on globulin and fibrinogen: the odds ratio for fibrinogen"
    assert answer(said, ds) == pytest.approx(want["fibrinogen"], rel=1e-6)
    both = answer("odds ratios of death on globulin and fibrinogen", ds)
    assert both == pytest.approx(want, rel=1e-6)


def test_one_odds_ratio_naming_none_or_both_predictors_is_refused(tmp_path: Path) -> None:
    """The singular with both predictors only in the model's list, or both said after
    it, could be either ratio: refused, naming them."""
    ds = lab(tmp_path)
    for said in (
        "odds ratio of death on globulin and fibrinogen",
        "logistic regression of death on globulin and fibrinogen: the odds ratio",
        "odds ratio of death for globulin and fibrinogen",
        "logistic regression of death on globulin and fibrinogen, odds ratio for globulin"
        " and fibrinogen",
    ):
        got = answer(said, ds)
        assert isinstance(got, Unanswerable), (said, got)
        assert "globulin" in str(got) and "fibrinogen" in str(got), got


# Eight patients seen twice: rows 0 and 2 are p0's visits 1 and 2, rows 1 and 3 p1's, …
PATIENT = [f"p{(k // 4) * 2 + k % 2}" for k in range(16)]
VISIT = [1, 1, 2, 2] * 4
ARM = ["active", "placebo"] * 8
AGE = [[31, 45, 52, 28, 60, 39, 47, 33][int(p[1:])] for p in PATIENT]
STATUS = ["good", "poor", "good", "good", "poor", "poor", "good", "poor"]
STATUS += ["good", "good", "poor", "poor", "good", "poor", "good", "good"]


def trial(folder: Path) -> Any:
    return table(
        folder,
        "trial",
        {
            "patient_id": PATIENT,
            "visit": VISIT,
            "treatment": ARM,
            "age": AGE,
            "respiratory_status": STATUS,
        },
    )


def test_restricting_to_a_value_picks_the_rows_fitted(tmp_path: Path) -> None:
    """ "Restricting to visit 4, … the odds ratio … for active treatment compared with
    placebo": the visit keeps the rows fitted, and is no predictor."""
    ds = trial(tmp_path)
    rows = [k for k, v in enumerate(VISIT) if v == 2]
    want = odds_ratios(
        [STATUS[k] == "good" for k in rows], active=[ARM[k] == "active" for k in rows]
    )
    said = (
        "Restricting to visit 2, what is the odds ratio of a good respiratory status for"
        " active treatment compared with placebo, from a logistic regression?"
    )
    assert answer(said, ds) == pytest.approx(want["active"], rel=1e-6)


def test_a_model_at_a_value_is_fitted_on_those_rows(tmp_path: Path) -> None:
    """ "From a logistic regression at visit 2, … the odds ratio of being on active per
    year of age": the condition right after the model's name picks the rows fitted."""
    ds = trial(tmp_path)
    rows = [k for k, v in enumerate(VISIT) if v == 2]
    want = odds_ratios([ARM[k] == "active" for k in rows], age=[AGE[k] for k in rows])
    said = (
        "From a logistic regression at visit 2, what is the odds ratio of being on active"
        " per year of age?"
    )
    assert answer(said, ds) == pytest.approx(want["age"], rel=1e-6)


def test_the_model_s_of_y_on_x_names_its_outcome(tmp_path: Path) -> None:
    """ "a logistic regression of good respiratory status on treatment across all visits,
    … the odds ratio for active versus placebo": the outcome is the status the model is
    "of", not the value after "for" (a value of the predictor); "across all visits"
    pools the visits (no predictor), where a patient's rows are visits. The same with
    age adjusted for: active's ratio."""
    ds = trial(tmp_path)
    good = [s == "good" for s in STATUS]
    active = [a == "active" for a in ARM]
    said = (
        "In a logistic regression of good respiratory status on treatment across all"
        " visits, what is the odds ratio for active versus placebo?"
    )
    assert answer(said, ds) == pytest.approx(odds_ratios(good, active=active)["active"])
    adjusted = odds_ratios(good, active=active, age=AGE)["active"]
    said = "What is the odds ratio of a good respiratory status for active treatment, adjusting"
    said += " for age?"
    assert answer(said, ds) == pytest.approx(adjusted, rel=1e-6)


def test_a_plan_s_term_names_one_predictor(tmp_path: Path) -> None:
    """A typed plan's ``term`` is one predictor's label (or its column); anything else,
    or a term with a prediction, is the plan's error."""
    ds = lab(tmp_path)
    base: dict[str, Any] = {
        "statistic": "logistic_regression",
        "condition": [{"column": "died", "op": "=", "value": "yes"}],
        "predictors": ["globulin", "fibrinogen"],
    }
    assert plan.from_json({**base, "term": "globulin"}, ds.infos).term == "globulin"
    for bad in (
        {**base, "term": "died"},
        {
            **base,
            "term": "globulin",
            "output": "probability",
            "at": {"globulin": 1, "fibrinogen": 2},
        },
        {"statistic": "mean", "column": "globulin", "term": "globulin"},
    ):
        with pytest.raises(PlanError):
            plan.from_json(bad, ds.infos)


def test_the_summary_of_one_ratio_names_it_and_what_adjusts_it(tmp_path: Path) -> None:
    """The answer's summary says which predictor's ratio the number is and what it is
    adjusted for, never "the odds ratios … for each predictor" over one number."""
    from appliance.analytics import answers, reader

    ds = lab(tmp_path)
    said = "odds ratio of death per unit of globulin, adjusting for fibrinogen"
    read = reader.read(said, ds).plan
    assert read is not None and read.term is not None
    number = answer(said, ds)
    summary = answers.summary(read, ds, number)
    assert "odds ratio of" in summary and "for globulin, adjusted for fibrinogen" in summary
    assert "each predictor" not in summary
