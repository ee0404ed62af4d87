"""Time-to-event answers over HTTPS: pairs in GET /v1/datasets/{name}, declared in the
dictionary, and the survival statistics of a plan, against statsmodels.

Tables: openintro ``heart_transplant`` (the Stanford heart transplant study, shipped as
tests/data/analytics/heart_transplant.csv) and a trial generated here with a fixed seed
that has two pairs (death and relapse) named in its dictionary.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tests.helpers import error_of
from tests.references import PHReg, SurvfuncRight, survdiff
from tests.servers import Server
from tests.test_analytics import sign_in, upload
from tests.test_survival_questions import ready_for_survival

# One worker runs the three survival modules over HTTPS (test_survival_api.py, _plot,
# _questions): its server imports lifelines once, and the worker statsmodels once.
pytestmark = pytest.mark.xdist_group("survival")

DATA = Path(__file__).parent / "data" / "analytics"


def trial_csv() -> tuple[bytes, dict[str, np.ndarray]]:
    """A two-arm trial: months to death and to relapse, each with its own flag."""
    rng = np.random.default_rng(2031)
    n = 240
    arm = np.where(rng.random(n) < 0.5, "test", "standard")
    age = rng.integers(35, 85, n)
    risk = np.exp(0.03 * (age - 60) - 0.5 * (arm == "test"))
    death = rng.exponential(30 / risk)
    relapse = rng.exponential(12 / risk)
    follow = rng.uniform(6, 48, n)
    cols = {
        "arm": arm,
        "age": age.astype(float),
        "os_months": np.round(np.minimum(death, follow), 2),
        "died": (death <= follow).astype(int),
        "rfs_months": np.round(np.minimum(relapse, follow), 2),
        "relapsed": np.where(relapse <= follow, "yes", "no"),
    }
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(list(cols))
    for i in range(n):
        w.writerow([cols[c][i] for c in cols])
    return out.getvalue().encode(), cols


@pytest.fixture(scope="module")
def org(server: Server) -> dict[str, Any]:
    org, key = server.new_org()
    with server.client() as client:
        upload(client, key, "heart.csv", (DATA / "heart_transplant.csv").read_bytes())
        upload(client, key, "trial.csv", trial_csv()[0])
        headers = sign_in(server, client, org.id, "survival")
    ready_for_survival(server, headers, "heart", "trial")
    return {"headers": headers}


def heart() -> dict[str, np.ndarray]:
    with (DATA / "heart_transplant.csv").open() as f:
        rows = list(csv.DictReader(f))
    return {
        "time": np.array([float(r["survtime"]) for r in rows]),
        "event": np.array([1.0 if r["survived"] == "dead" else 0.0 for r in rows]),
        "treated": np.array([1.0 if r["transplant"] == "treatment" else 0.0 for r in rows]),
        "age": np.array([float(r["age"]) for r in rows]),
    }


def run(client: httpx.Client, org: dict, plan: dict[str, Any]) -> httpx.Response:
    return client.post("/v1/queries", json={"plan": plan}, headers=org["headers"])


def test_the_dataset_shows_its_pair(client: httpx.Client, org: dict) -> None:
    r = client.get("/v1/datasets/heart", headers=org["headers"])
    assert r.status_code == 200, r.text
    assert r.json()["survival_pairs"] == [
        {
            "name": "survived",
            "duration": "survtime",
            "unit": None,
            "event": "survived",
            "event_value": "dead",
            "source": "profile",
        }
    ]


def test_median_by_group_matches_statsmodels(client: httpx.Client, org: dict) -> None:
    d = heart()
    r = run(client, org, {"dataset": "heart", "statistic": "survival_median",
                          "group_by": ["transplant"]})  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    for name, flag in (("control", 0.0), ("treatment", 1.0)):
        mine = d["treated"] == flag
        ref = SurvfuncRight(d["time"][mine], d["event"][mine])
        assert body["answer"][name] == ref.quantile(0.5)
        row = next(x for x in body["rows"] if x[0] == name)
        assert tuple(row[2:4]) == tuple(ref.quantile_ci(0.5, method="cloglog"))
        n, events = int(mine.sum()), int(d["event"][mine].sum())
        assert f"{name}: n = {n}, events = {events}, censored = {n - events}" in body["caveats"]
    plain = float(np.median(d["time"][d["treated"] == 1]))
    assert (plain, body["answer"]["treatment"]) == (207.0, 285.0)  # censoring matters here


def test_survival_at_a_time_and_not_past_the_follow_up(client: httpx.Client, org: dict) -> None:
    d = heart()
    r = run(client, org, {"dataset": "heart", "statistic": "survival_at", "time": 365})
    assert r.status_code == 200, r.text
    ref = SurvfuncRight(d["time"], d["event"])
    k = int(np.searchsorted(ref.surv_times, 365, side="right")) - 1
    assert r.json()["answer"] == pytest.approx(ref.surv_prob[k], rel=1e-12)
    late = run(client, org, {"dataset": "heart", "statistic": "survival_at", "time": 1e6})
    assert (late.status_code, error_of(late)) == (422, "unanswerable_question")
    assert "follow-up ends" in late.json()["message"]


def test_the_curve_is_capped_and_starts_at_one(client: httpx.Client, org: dict) -> None:
    r = run(client, org, {"dataset": "heart", "statistic": "survival_curve"})
    assert r.status_code == 200, r.text
    body = r.json()
    d = heart()
    ref = SurvfuncRight(d["time"], d["event"])
    assert body["answer"]["time"][0] == 0.0 and body["answer"]["survival"][0] == 1.0
    assert body["answer"]["time"][1:] == ref.surv_times.tolist()
    assert np.allclose(body["answer"]["survival"][1:], ref.surv_prob, atol=1e-12)
    assert body["chart"] == {"type": "step", "x": "time", "y": "survival"}
    assert len(body["rows"]) <= 201


def test_logrank_matches_statsmodels(client: httpx.Client, org: dict) -> None:
    d = heart()
    r = run(client, org, {"dataset": "heart", "statistic": "logrank", "group_by": ["transplant"]})
    assert r.status_code == 200, r.text
    _chi2, p = survdiff(d["time"], d["event"], d["treated"])
    assert r.json()["answer"] == pytest.approx(p, rel=1e-6)


def test_cox_hazard_ratios_and_prediction(client: httpx.Client, org: dict) -> None:
    d = heart()
    treated = {"column": "transplant", "op": "=", "value": "treatment"}
    plan = {"dataset": "heart", "statistic": "cox", "predictors": [treated, "age"]}
    r = run(client, org, plan)
    assert r.status_code == 200, r.text
    ref = PHReg(d["time"], np.column_stack([d["treated"], d["age"]]), status=d["event"],
                ties="efron").fit()  # fmt: skip
    hr = r.json()["answer"]
    assert hr["transplant = 'treatment'"] == pytest.approx(math.exp(ref.params[0]), rel=1e-6)
    assert hr["age"] == pytest.approx(math.exp(ref.params[1]), rel=1e-6)
    lows = [row[3] for row in r.json()["rows"]]
    assert lows == pytest.approx(np.exp(ref.params - 1.959963984540054 * ref.bse), rel=1e-6)
    survive = run(client, org, plan | {"output": "survival", "time": 365,
                                        "at": {"age": 60, "transplant": 1}})  # fmt: skip
    assert survive.status_code == 200, survive.text
    times, cumulative, _s = ref.model.baseline_cumulative_hazard(ref.params)[0]
    k = int(np.searchsorted(times, 365, side="right")) - 1
    want = math.exp(-cumulative[k + 1] * math.exp(ref.params[0] + 60 * ref.params[1]))
    assert survive.json()["answer"] == pytest.approx(want, rel=1e-6)


def test_a_bad_survival_plan_is_400_naming_the_field(client: httpx.Client, org: dict) -> None:
    for plan, field in (
        ({"statistic": "survival_at"}, "plan.time"),
        ({"statistic": "logrank"}, "plan.group_by"),
        ({"statistic": "cox"}, "plan.predictors"),
        ({"statistic": "survival_median", "column": "transplant",
          "condition": [{"column": "survived", "op": "=", "value": "dead"}]}, "plan.column"),
    ):  # fmt: skip
        r = run(client, org, {"dataset": "heart", **plan})
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), plan
        assert r.json()["message"].startswith(field), r.json()


def test_a_dictionary_declares_two_pairs(client: httpx.Client, org: dict) -> None:
    _body, cols = trial_csv()
    h = org["headers"]
    before = client.get("/v1/datasets/trial", headers=h).json()["survival_pairs"]
    assert before == []  # two time columns, two flags, no shared stem: no guess
    r = run(client, org, {"dataset": "trial", "statistic": "survival_median"})
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    declared = {
        "columns": {
            "os_months": {"role": "duration", "unit": "months", "pair": "death"},
            "died": {"role": "event", "event_value": 1, "pair": "death"},
            "rfs_months": {"role": "duration", "unit": "months", "pair": "relapse"},
            "relapsed": {"role": "event", "event_value": "yes", "pair": "relapse"},
        }
    }
    r = client.put("/v1/datasets/trial/dictionary", json=declared, headers=h)
    assert r.status_code == 200, r.text
    pairs = {p["name"]: p for p in r.json()["survival_pairs"]}
    assert set(pairs) == {"death", "relapse"}
    assert pairs["relapse"] | {} == {
        "name": "relapse",
        "duration": "rfs_months",
        "unit": "month",
        "event": "relapsed",
        "event_value": "yes",
        "source": "dictionary",
    }
    relapse = {"column": "rfs_months",
               "condition": [{"column": "relapsed", "op": "=", "value": "yes"}]}  # fmt: skip
    r = run(client, org, {"dataset": "trial", "statistic": "survival_median", **relapse})
    assert r.status_code == 200, r.text
    ref = SurvfuncRight(cols["rfs_months"], (cols["relapsed"] == "yes").astype(float))
    assert r.json()["answer"] == ref.quantile(0.5)
    bad = client.put(
        "/v1/datasets/trial/dictionary",
        json={"columns": {"age": {"role": "event"}}},
        headers=h,
    )
    assert (bad.status_code, error_of(bad)) == (400, "invalid_request")
    assert "event_value" in bad.json()["message"]


def test_a_plain_median_of_the_time_says_it_ignores_censoring(
    client: httpx.Client, org: dict
) -> None:
    d = heart()
    for body in (
        {"plan": {"dataset": "heart", "statistic": "median", "column": "survtime"}},
        {"question": "median survtime", "dataset": "heart"},
    ):
        r = client.post("/v1/queries", json=body, headers=org["headers"])
        assert r.status_code == 200, r.text
        assert r.json()["answer"] == float(np.median(d["time"]))
        assert any("ignores censoring" in c for c in r.json()["caveats"]), r.json()["caveats"]
    age = run(client, org, {"dataset": "heart", "statistic": "median", "column": "age"})
    assert not any("censoring" in c for c in age.json()["caveats"])
