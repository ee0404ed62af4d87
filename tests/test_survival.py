"""The survival estimators (appliance/analytics/survival.py, lifelines for the appliance)
against statsmodels.

Expected values come from statsmodels (``SurvfuncRight``, ``survdiff``, ``PHReg`` with
Efron ties), a second implementation kept by people who do survival analysis, and from
a plain-Python product-limit estimate. The tables: openintro's ``heart_transplant``
(the Stanford heart transplant study, shipped as tests/data/analytics/heart_transplant.csv)
and censored data generated here with fixed seeds. The R packages survival and MASS are
kept for independent checks elsewhere and are not used.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

from appliance.analytics import (
    answers,
    datasets,
    engine,
    plan,
    survival,
    survival_plans,
    time_to_event,
)
from appliance.analytics.errors import PlanError, Unanswerable
from tests import sweeps
from tests.references import PHReg, SurvfuncRight, survdiff

# One worker runs the module: its references import statsmodels (tests/references.py),
# two seconds of CPU in each process that does.
pytestmark = pytest.mark.xdist_group("statsmodels")

DATA = Path(__file__).parent / "data" / "analytics" / "heart_transplant.csv"


def heart() -> dict[str, np.ndarray]:
    with DATA.open() as f:
        rows = list(csv.DictReader(f))
    return {
        "time": np.array([float(r["survtime"]) for r in rows]),
        "event": np.array([1.0 if r["survived"] == "dead" else 0.0 for r in rows]),
        "treated": np.array([1.0 if r["transplant"] == "treatment" else 0.0 for r in rows]),
        "age": np.array([float(r["age"]) for r in rows]),
    }


def generated(n: int, seed: int, ties: bool = True) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    times = rng.exponential(np.exp(-x @ np.array([0.5, -0.3, 0.2])))
    if ties:
        times = np.round(times, 1) + 0.1
    censor = rng.exponential(2.0, size=n)
    event = (times <= censor).astype(float)
    return np.minimum(times, censor), event, x


def no_deadline() -> None:
    return None


def chi2_sf(x: float, df: int) -> float:
    from scipy.stats import chi2  # imported where used, as tests/references.py says why

    return float(chi2.sf(x, df))


def test_kaplan_meier_matches_statsmodels_on_heart_transplant() -> None:
    d = heart()
    curve = survival.kaplan_meier(d["time"], d["event"])
    ref = SurvfuncRight(d["time"], d["event"])
    assert np.allclose(curve.times, ref.surv_times)
    assert np.allclose(curve.surv, ref.surv_prob, atol=1e-12)
    low, high = log_log_interval(ref.surv_prob, ref.surv_prob_se)
    assert np.allclose(curve.lower, low, atol=1e-12)
    assert np.allclose(curve.upper, high, atol=1e-12)
    assert (curve.n, curve.n_events) == (103, 75)
    value, low, high = survival.median(curve)
    assert value == ref.quantile(0.5) == 100.0
    assert (low, high) == tuple(ref.quantile_ci(0.5, method="cloglog")) == (69.0, 219.0)


def log_log_interval(s: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The log(-log) interval, written out: exp(-exp(log(-log s) -+ z se / (s |log s|)));
    (1, 1) where s is 1 and (0, 0) where it is 0."""
    z = 1.959963984540054
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * se / (s * np.abs(np.log(s)))
        low = np.exp(-np.exp(np.log(-np.log(s)) + half))
        high = np.exp(-np.exp(np.log(-np.log(s)) - half))
    low = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, low))
    high = np.where(s >= 1, 1.0, np.where(s <= 0, 0.0, high))
    return low, high


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_median_and_its_interval_match_statsmodels(seed: int) -> None:
    t, e, _x = generated(300, seed, ties=False)
    curve = survival.kaplan_meier(t, e)
    ref = SurvfuncRight(t, e)
    value, low, high = survival.median(curve)
    ref_low, ref_high = ref.quantile_ci(0.5, method="cloglog")
    assert value == pytest.approx(ref.quantile(0.5), abs=0)
    assert low == ref_low
    assert (high if high is not None else math.inf) == ref_high


def test_the_medians_interval_where_the_curve_drops_past_one_half() -> None:
    """S falls from 0.8 to 0.2 at time 3: no time's test accepts 0.5 (statsmodels and
    SAS give no interval), and the limits of the pointwise interval both reach 0.5 at
    3: the interval is (3, 3), as lifelines gives it (docs/analytics.md)."""
    time = np.array([1.0] * 10 + [3.0] * 30 + [5.0] * 10)
    event = np.array([1.0] * 10 + [1.0] * 30 + [0.0] * 10)
    curve = survival.kaplan_meier(time, event)
    ref = SurvfuncRight(time, event)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref_low, ref_high = ref.quantile_ci(0.5, method="cloglog")
    assert math.isnan(ref_low) and math.isnan(ref_high)  # statsmodels: no time accepted
    low, high = log_log_interval(ref.surv_prob, ref.surv_prob_se)
    assert list(ref.surv_times[:2]) == [1.0, 3.0]
    assert low[0] > 0.5 and high[1] < 0.5  # both limits pass 0.5 at time 3, not before
    assert survival.median(curve) == (3.0, 3.0, 3.0)


def test_survival_at_and_its_interval() -> None:
    d = heart()
    curve = survival.kaplan_meier(d["time"], d["event"])
    ref = SurvfuncRight(d["time"], d["event"])
    k = int(np.searchsorted(ref.surv_times, 365, side="right")) - 1
    s, se = ref.surv_prob[k], ref.surv_prob_se[k]
    low, high = log_log_interval(np.array([s]), np.array([se]))
    got = survival.survival_at(curve, 365)
    assert got == pytest.approx((s, low[0], high[0]), rel=1e-12)
    assert survival.survival_at(curve, 0.5) == (1.0, 1.0, 1.0)  # before the first event
    with pytest.raises(Unanswerable, match="follow-up ends"):
        survival.survival_at(curve, 10_000)


def test_median_not_reached_and_exactly_one_half() -> None:
    mostly_alive = survival.kaplan_meier(np.arange(1.0, 11.0), np.array([1.0] * 3 + [0.0] * 7))
    assert survival.median(mostly_alive)[0] is None
    # Four deaths at 1, 2, 3, 4: S = 0.5 from 2 to 3, so the median is 2.5 (R's survfit).
    flat = survival.kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4))
    assert survival.median(flat)[0] == 2.5


def plain_km(times: list[float], events: list[int]) -> list[tuple[float, float, int]]:
    """The product-limit estimate, one event time at a time, in plain Python: (time,
    S(time), number at risk)."""
    out, s = [], 1.0
    for t in sorted({t for t, e in zip(times, events, strict=True) if e}):
        at_risk = sum(1 for u in times if u >= t)
        died = sum(1 for u, e in zip(times, events, strict=True) if u == t and e)
        s *= 1 - died / at_risk
        out.append((t, s, at_risk))
    return out


@pytest.mark.parametrize("part", sweeps.PARTS)
def test_kaplan_meier_against_plain_python(part: str) -> None:
    """60 drawn tables (tests/sweeps.py: 15 of them, the same in every run, in the quick
    loop; 45 drawn afresh in the full run). Each fit is lifelines' (with pandas): about
    25 ms of CPU."""
    data = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 1)), min_size=1, max_size=60)
    sweeps.examples(part, kaplan_meier_is_plain_python, 60, 15, data=data)


def kaplan_meier_is_plain_python(data: list[tuple[int, int]]) -> None:
    times = [float(t) for t, _e in data]
    events = [e for _t, e in data]
    curve = survival.kaplan_meier(np.array(times), np.array(events, dtype=float))
    expected = plain_km(times, events)
    assert [float(t) for t in curve.times] == [t for t, _s, _r in expected]
    assert np.allclose(curve.surv, [s for _t, s, _r in expected], atol=1e-12)
    assert [int(r) for r in curve.at_risk] == [r for _t, _s, r in expected]
    assert curve.n_events == sum(events)
    assert np.all(curve.lower <= curve.surv + 1e-12) and np.all(curve.surv <= curve.upper + 1e-12)


def test_logrank_matches_statsmodels() -> None:
    d = heart()
    result = survival.logrank(d["time"], d["event"], d["treated"].astype(int), 2)
    chi2, p = survdiff(d["time"], d["event"], d["treated"])
    assert result.chi2 == pytest.approx(chi2, rel=1e-10)
    assert result.p == pytest.approx(p, rel=1e-6)
    assert result.df == 1
    t, e, x = generated(500, 9)
    groups = np.digitize(x[:, 0], [-0.5, 0.5])  # three groups
    result = survival.logrank(t, e, groups, 3)
    chi2, p = survdiff(t, e, groups)
    assert result.chi2 == pytest.approx(chi2, rel=1e-10)
    assert result.p == pytest.approx(p, rel=1e-6)
    # Observed and expected events per group, counted here at each event time.
    for k in range(3):
        mine = groups == k
        expected = sum(
            float(np.sum(e[t == u])) * np.sum(t[mine] >= u) / np.sum(t >= u)
            for u in np.unique(t[e > 0])
        )
        assert result.expected[k] == pytest.approx(expected, rel=1e-10)
        assert result.observed[k] == e[mine].sum()


def test_logrank_refuses_groups_never_at_risk_together() -> None:
    """Group 1 is censored before anyone dies: no time compares it with the others."""
    time = np.array([5.0, 6.0, 7.0, 8.0, 1.0, 2.0])
    event = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    group = np.array([0, 0, 0, 0, 1, 1])
    with pytest.raises(Unanswerable, match="share no time at risk"):
        survival.logrank(time, event, group, 2)


def test_cox_matches_statsmodels_efron_to_1e6() -> None:
    d = heart()
    features = [d["treated"], d["age"]]
    fit = survival.cox(d["time"], d["event"], features, no_deadline)
    ref = PHReg(d["time"], np.column_stack(features), status=d["event"], ties="efron").fit()
    assert np.allclose(fit.beta, ref.params, atol=1e-6, rtol=0)
    assert np.allclose(fit.se, ref.bse, atol=1e-6, rtol=0)
    assert np.allclose(fit.p, ref.pvalues, atol=1e-6, rtol=0)
    assert (fit.n, fit.n_events) == (103, 75)


def test_cox_with_ties_on_generated_data() -> None:
    t, e, x = generated(2000, 11)
    fit = survival.cox(t, e, [x[:, 0], x[:, 1], x[:, 2]], no_deadline)
    ref = PHReg(t, x, status=e, ties="efron").fit()
    assert np.allclose(fit.beta, ref.params, atol=1e-6, rtol=0)
    assert np.allclose(fit.se, ref.bse, atol=1e-6, rtol=0)


def development_tables() -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(name, time, event, predictors) of the development set's survival tables: KMsurv's
    larynx and btrial, and openintro's heart_transplant (prior surgery and the
    transplant arm as 0/1)."""
    folder = DATA.parent

    def read(name: str) -> list[dict[str, str]]:
        with (folder / f"{name}.csv").open() as f:
            return list(csv.DictReader(f))

    def column(rows: list[dict[str, str]], *names: str) -> np.ndarray:
        return np.array([[float(r[c]) for c in names] for r in rows])

    larynx, btrial, heart = read("larynx"), read("btrial"), read("heart_transplant")
    arms = np.array([[r["prior"] == "yes", r["transplant"] == "treatment"] for r in heart])
    return [
        ("larynx", column(larynx, "time")[:, 0], column(larynx, "delta")[:, 0],
         column(larynx, "stage", "age", "diagyr")),
        ("btrial", column(btrial, "time")[:, 0], column(btrial, "death")[:, 0],
         column(btrial, "im")),
        ("heart_transplant", column(heart, "survtime")[:, 0],
         np.array([r["survived"] == "dead" for r in heart], dtype=float),
         np.hstack([column(heart, "age", "acceptyear"), arms.astype(float)])),
    ]  # fmt: skip


def test_cox_matches_statsmodels_on_the_development_tables() -> None:
    for name, time, event, x in development_tables():
        for width in range(1, x.shape[1] + 1):
            fit = survival.cox(time, event, list(x[:, :width].T), no_deadline)
            ref = PHReg(time, x[:, :width], status=event, ties="efron").fit()
            assert np.allclose(fit.beta, ref.params, atol=1e-6, rtol=0), (name, width)
            assert np.allclose(fit.se, ref.bse, atol=1e-6, rtol=0), (name, width)


RANDOM_TABLES = 21
"""Tables drawn for the random comparison: statsmodels fits 20 of them (one has a
separating predictor)."""


def random_censored_table(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """30 to 2,000 rows, 1-4 predictors on scales from 0.01 to 100 (one a 0/1 flag in
    some), times rounded to 0-2 decimals so that many are tied: (time, event, x, scale).
    Each table takes the same draws, whatever is done with the ones before it."""
    n = int(rng.choice([30, 60, 150, 500, 2000]))
    width = int(rng.integers(1, 5))
    scale = float(10 ** rng.uniform(-2, 2))
    x = rng.normal(size=(n, width)) * scale
    if rng.random() < 0.3:
        x[:, 0] = (x[:, 0] > 0).astype(float)
    beta = rng.normal(0, 0.7, width) / scale
    times = rng.exponential(np.exp(-np.clip(x @ beta, -30, 30)))
    decimals = int(rng.integers(0, 3))
    times = np.round(times, decimals) + 10.0**-decimals
    censor = rng.exponential(2.0, n) * rng.uniform(0.5, 3)
    event = (times <= censor).astype(float)
    return np.minimum(times, censor), event, x, np.array(scale)


@pytest.mark.parametrize("part", sweeps.PARTS)
def test_cox_matches_statsmodels_on_random_censored_tables_with_ties(part: str) -> None:
    """21 random tables (:func:`random_censored_table`), the same in every run: the
    sample (tests/sweeps.py) has every fourth, none of 2,000 rows; the rest, the others.
    A table where statsmodels warns that its own fit did not converge is no reference:
    skipped (none of the sample is, one of the rest)."""
    import warnings

    rng = np.random.default_rng(2031)
    tables = [random_censored_table(rng) for _ in range(RANDOM_TABLES)]
    chosen = sweeps.part_of(tables, part, every=4, offset=1)
    checked_tables = 0
    for time, event, x, scale in chosen:
        n, width = x.shape
        if event.sum() < 3:
            continue
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            ref = PHReg(time, x, status=event, ties="efron").fit()
        if warned or np.max(np.abs(ref.params)) > survival.LARGEST_COEFFICIENT:
            continue  # no reference, or a separating predictor (refused, tested apart)
        fit = survival.cox(time, event, list(x.T), no_deadline)
        assert np.allclose(fit.beta, ref.params, atol=1e-6, rtol=0), (n, width, scale)
        assert np.allclose(fit.se, ref.bse, atol=1e-6, rtol=0), (n, width, scale)
        checked_tables += 1
    assert checked_tables >= len(chosen) - 1, "statsmodels is no reference for these tables"


def test_cox_takes_whole_newton_steps() -> None:
    """From zero, whole Newton steps reach the maximum in four steps on 2,000 rows with
    ties (lifelines' default first steps of 0.95 took five); the deadline is checked
    before each step and once after the fit."""
    t, e, x = generated(2000, 11)
    checks: list[int] = []
    fit = survival.cox(t, e, [x[:, 0], x[:, 1], x[:, 2]], lambda: checks.append(1))
    ref = PHReg(t, x, status=e, ties="efron").fit()
    assert np.allclose(fit.beta, ref.params, atol=1e-10, rtol=0)
    assert len(checks) == 4 + 1


def test_cox_fit_leaves_out_what_no_answer_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    """lifelines' ``fit`` would describe the predictors (for its plots) and predict every
    row's partial hazard (for its concordance index): survival.py's hooks leave both out,
    and the answer, the prediction included, is still statsmodels'."""
    from lifelines.fitters.coxph_fitter import SemiParametricPHFitter

    called: list[str] = []
    for name in ("_compute_central_values_of_raw_training_data", "predict_partial_hazard"):
        real = getattr(SemiParametricPHFitter, name)

        def spy(
            self: object, *args: object, _real: object = real, _name: str = name, **kwargs: object
        ) -> object:
            called.append(_name)
            return _real(self, *args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(SemiParametricPHFitter, name, spy)
    t, e, x = generated(500, 15)
    fit = survival.cox(t, e, [x[:, 0], x[:, 1]], no_deadline)
    assert called == []
    ref = PHReg(t, x[:, :2], status=e, ties="efron").fit()
    assert np.allclose(fit.beta, ref.params, atol=1e-6, rtol=0)
    assert fit.log_partial_hazard([0.5, -1.0]) == pytest.approx(
        float(np.dot([0.5, -1.0] - x[:, :2].mean(0), ref.params)), rel=1e-6
    )


def test_cox_prediction_uses_breslow_baseline() -> None:
    t, e, x = generated(400, 12)
    fit = survival.cox(t, e, [x[:, 0], x[:, 1]], no_deadline)
    ref = PHReg(t, x[:, :2], status=e, ties="efron").fit()
    # statsmodels' baseline: the hazard jumps d_j / sum exp(x beta) at each event time
    # (its cumulative column leaves out the jump at its own time: added back here).
    times, cumulative, _s = ref.model.baseline_cumulative_hazard(ref.params)[0]
    point = [0.3, -1.0]
    for at in (1.0, float(times[5]), float(times[5] + times[6]) / 2):
        k = int(np.searchsorted(times, at, side="right")) - 1
        assert 0 <= k < len(times) - 1
        # statsmodels' column at t_k leaves out the jump at t_k itself: it is the next one's.
        expected = math.exp(-cumulative[k + 1] * math.exp(float(np.dot(point, ref.params))))
        assert fit.survival(at, point) == pytest.approx(expected, rel=1e-6)


def crossing_hazards(ties: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The treated die early, the others late: hazards that cross."""
    rng = np.random.default_rng(21)
    n = 600
    treated = (rng.random(n) < 0.5).astype(float)
    times = np.where(treated == 1, rng.weibull(0.5, n), rng.weibull(3.0, n))
    censor = rng.uniform(0.5, 3.0, n)
    event = (times <= censor).astype(float)
    times = np.minimum(times, censor)
    if ties:
        times = np.round(times, 1) + 0.1
    return times, event, treated, rng.normal(60, 10, n)


def test_proportional_hazards_test_against_statsmodels_residuals() -> None:
    times, event, treated, age = crossing_hazards(ties=False)
    fit = survival.cox(times, event, [treated, age], no_deadline)
    ref = PHReg(times, np.column_stack([treated, age]), status=event, ties="efron").fit()
    res = ref.schoenfeld_residuals[event == 1]
    sf = SurvfuncRight(times, event)
    k = np.searchsorted(sf.surv_times, times[event == 1], side="right") - 1
    g = 1 - sf.surv_prob[k]
    g = g - g.mean()
    m = int(event.sum())
    cov = ref.cov_params()
    scaled = m * res @ cov
    stats = [(g @ scaled[:, j]) ** 2 / (m * cov[j, j] * (g**2).sum()) for j in range(2)]
    expected = [chi2_sf(float(s), 1) for s in stats]
    assert fit.ph_p == pytest.approx(expected, rel=1e-5)
    assert fit.ph_p[0] < 1e-6  # the crossing hazards are caught


def test_schoenfeld_residuals_are_lifelines_own_with_ties() -> None:
    """The residuals survival.py computes in numpy are lifelines' (its row-by-row loop,
    too slow for the appliance's tables), Efron-weighted within tied times."""
    import pandas as pd
    from lifelines import CoxPHFitter

    times, event, treated, age = crossing_hazards(ties=True)
    frame = pd.DataFrame({"T": times, "E": event, "treated": treated, "age": age})
    fit = CoxPHFitter().fit(frame, "T", "E")
    theirs = fit.compute_residuals(frame, "schoenfeld")
    ours = survival.schoenfeld(
        times, event > 0, np.column_stack([treated, age]), fit.params_.to_numpy()
    )
    # Both in time order; within a tied time, rows may come in another order.
    their_times = frame.loc[theirs.index, "T"].to_numpy()
    our_times = np.sort(times[event > 0])
    assert np.array_equal(their_times, our_times)
    for u in np.unique(our_times):
        assert np.allclose(
            np.sort(theirs.to_numpy()[their_times == u], axis=0),
            np.sort(ours[our_times == u], axis=0),
            atol=1e-10,
        )


def test_cox_refuses_a_constant_predictor() -> None:
    t, e, _x = generated(100, 13)
    with pytest.raises(Unanswerable, match="collinear or constant"):
        survival.cox(t, e, [np.ones(100)], no_deadline)


def test_cox_refuses_collinear_predictors() -> None:
    t, e, x = generated(100, 13)
    with pytest.raises(Unanswerable, match="collinear or constant"):
        survival.cox(t, e, [x[:, 0], 2 * x[:, 0] + 1], no_deadline)


def test_cox_refuses_a_predictor_that_separates_the_events() -> None:
    time = np.arange(1.0, 41.0)
    event = np.ones(40)
    x = (time <= 20).astype(float)  # all with x = 1 die first
    with pytest.raises(Unanswerable, match="does not converge"):
        survival.cox(time, event, [x], no_deadline)


def test_cox_stops_at_the_deadline() -> None:
    """The deadline is checked before each of lifelines' Newton steps: the third check
    stops the fit (a hook into lifelines' fitter that a new version could drop)."""
    t, e, x = generated(1000, 14)
    checks = []

    def late() -> None:
        checks.append(1)
        if len(checks) == 3:
            raise Unanswerable("the query took longer than 0 s")

    with pytest.raises(Unanswerable, match="took longer"):
        survival.cox(t, e, [x[:, 0]], late)
    assert len(checks) == 3


# -- pairs found from the profile (time_to_event.py) -----------------------------------


def load(path: Path, tmp_path: Path) -> datasets.Dataset:
    return datasets.load_file(path, tmp_path, path.stem)


def test_a_pair_is_found_beside_a_dead_alive_status(tmp_path: Path) -> None:
    ds = load(DATA, tmp_path)
    found = [p.to_json() for p in time_to_event.pairs(ds)]
    assert found == [
        {
            "name": "survived",
            "duration": "survtime",
            "unit": None,
            "event": "survived",
            "event_value": "dead",
            "source": "profile",
        }
    ]


def test_pairs_are_matched_by_stem_when_a_table_has_several(tmp_path: Path) -> None:
    ds = load(DATA.parent / "corpus" / "cmv_transplant.csv", tmp_path)
    found = {(p.duration, p.event, p.event_value) for p in time_to_event.pairs(ds)}
    # time_to_transplant has no event flag of its own: no pair.
    assert found == {("time_to_cmv", "cmv", 1), ("time_to_agvhd", "agvhd", 1),
                     ("time_to_cgvhd", "cgvhd", 1)}  # fmt: skip


def test_a_hospital_exports_follow_up_is_found_beside_an_age_and_a_stay(tmp_path: Path) -> None:
    """A BOM, CRLF and units in parentheses: ``Follow-up (days)`` beside ``Status``
    (Died/Censored) is the pair, though ``Age at transplant (years)`` and ``Hospital stay
    (days)`` also end in a unit: an age is no follow-up, and a stay is not named one."""
    source = tmp_path / "transplant.csv"
    rows = "".join(
        f"{i},{10 + 7 * i},{'Died' if i % 3 == 0 else 'Censored'},{40 + i % 30},{2 + i % 9}\r\n"
        for i in range(1, 41)
    )
    header = "Patient ID,Follow-up (days),Status,Age at transplant (years),Hospital stay (days)"
    source.write_bytes(b"\xef\xbb\xbf" + (header + "\r\n" + rows).encode())
    ds = load(source, tmp_path)
    found = [(p.duration, p.unit, p.event, p.event_value) for p in time_to_event.pairs(ds)]
    assert found == [("follow_up_days", "day", "status", "Died")]


def test_two_time_columns_named_alike_make_no_pair(tmp_path: Path) -> None:
    source = tmp_path / "two.csv"
    source.write_text(
        "follow_up_days,time_to_surgery_days,status\n"
        + "".join(f"{10 + i},{i},{'dead' if i % 2 else 'alive'}\n" for i in range(20))
    )
    assert time_to_event.pairs(load(source, tmp_path)) == []  # which time is survival?


def test_no_pair_is_guessed_when_the_flag_is_ambiguous(tmp_path: Path) -> None:
    source = tmp_path / "trial.csv"
    source.write_text(
        "time,status,age\n" + "".join(f"{i},{1 + i % 2},{50 + i}\n" for i in range(20))
    )
    ds = load(source, tmp_path)
    assert time_to_event.pairs(ds) == []  # status 1/2: which one is the death?
    ds.dictionary = {
        "time": {"role": "duration", "unit": "days"},
        "status": {"role": "event", "event_value": 2},
    }
    (pair,) = time_to_event.pairs(ds)
    assert (pair.duration, pair.unit, pair.event, pair.event_value, pair.source) == (
        "time", "day", "status", 2, "dictionary")  # fmt: skip


# -- plans through the engine: bounds and refusals -----------------------------------


def heart_dataset(tmp_path: Path) -> datasets.Dataset:
    return load(DATA, tmp_path)


def checked(ds: datasets.Dataset, **fields: object) -> plan.Plan:
    body = survival_plans.complete({"dataset": ds.name, **fields}, ds)
    return plan.from_json(body, ds.infos)


def test_a_survival_plan_is_bounded_in_memory_and_time(tmp_path: Path) -> None:
    ds = heart_dataset(tmp_path)
    cox = checked(ds, statistic="cox", predictors=["age"])
    need = 103 * 8 * (7 * 1 + 22)  # 232 bytes a row with one predictor (survival.held)
    assert engine.run(cox, ds, fit_memory=need).answer > 1
    with pytest.raises(Unanswerable, match="one query may hold"):
        engine.run(cox, ds, fit_memory=need - 1)
    with pytest.raises(Unanswerable, match="took longer than"):
        engine.run(cox, ds, time_limit=0)


def test_refusals_of_survival_plans(tmp_path: Path) -> None:
    source = tmp_path / "odd.csv"
    rows = [f"{-1 if i == 0 else i},{i % 2},p{i},g{i % 25}" for i in range(60)]
    source.write_text("days,died,patient,ward\n" + "\n".join(rows) + "\n")
    ds = load(source, tmp_path)
    event = [{"column": "died", "op": "=", "value": 1}]
    negative = checked(ds, statistic="survival_median", column="days", condition=event)
    with pytest.raises(Unanswerable, match="negative values"):
        engine.run(negative, ds)
    kept = [{"column": "days", "op": ">=", "value": 0}]
    many = checked(ds, statistic="survival_median", column="days", condition=event,
                   filters=kept, group_by=["ward"])  # fmt: skip
    with pytest.raises(Unanswerable, match="more than 20 groups"):
        engine.run(many, ds)
    nobody = checked(ds, statistic="survival_median", column="days", condition=event,
                     filters=[{"column": "days", "op": ">", "value": 1000}])  # fmt: skip
    with pytest.raises(Unanswerable, match="no rows"):
        engine.run(nobody, ds)


def test_not_reached_and_a_group_past_its_follow_up(tmp_path: Path) -> None:
    source = tmp_path / "short.csv"
    lines = ["months,dead,arm"]
    lines += [f"{m},{1 if m <= 2 else 0},a" for m in range(1, 11)]  # 2 of 10 die: not reached
    lines += [f"{m},1,b" for m in (1, 2, 3)]  # b is followed to 3 only
    source.write_text("\n".join(lines) + "\n")
    ds = load(source, tmp_path)
    median = checked(ds, statistic="survival_median", group_by=["arm"])
    result = engine.run(median, ds)
    assert result.answer == {"a": None, "b": 2.0}
    assert any("a: the median is not reached" in c for c in result.caveats)
    at = engine.run(checked(ds, statistic="survival_at", time=6, group_by=["arm"]), ds)
    assert at.answer == {"a": pytest.approx(0.8), "b": None}
    assert any(c.startswith("b: the follow-up ends at 3") for c in at.caveats)
    alone = checked(ds, statistic="survival_median", filters=[
        {"column": "arm", "op": "=", "value": "a"}])  # fmt: skip
    answer = engine.run(alone, ds).answer
    assert answer is None
    assert "is not reached" in answers.summary(alone, ds, answer)


@pytest.mark.parametrize("part", sweeps.PARTS)
def test_any_survival_plan_answers_or_refuses(
    tmp_path_factory: pytest.TempPathFactory, part: str
) -> None:
    """Odd data (huge times, ties, empty values, a predictor of 1e300) gives an answer
    with finite numbers or a refusal, never another error (40 tables; tests/sweeps.py: 8
    of them in the quick loop)."""
    rows = st.lists(
        st.tuples(
            st.one_of(st.integers(0, 50), st.floats(0, 1e300), st.none()),
            st.sampled_from([0, 1, None]),
            st.one_of(st.floats(-1e300, 1e300), st.integers(-5, 5)),
            st.sampled_from(["a", "b", "c"]),
        ),
        min_size=1,
        max_size=40,
    )
    statistic = st.sampled_from(
        ["survival_median", "survival_at", "survival_curve", "logrank", "cox"]
    )

    def answers_or_refuses(rows: list[tuple], statistic: str) -> None:
        odd_plan_answers_or_refuses(tmp_path_factory, rows, statistic)

    sweeps.examples(part, answers_or_refuses, 40, 8, rows=rows, statistic=statistic)


def odd_plan_answers_or_refuses(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple], statistic: str
) -> None:
    folder = tmp_path_factory.mktemp("odd")
    source = folder / "odd.csv"
    lines = ["t,e,x,g"] + [
        ",".join("" if v is None else repr(v) if isinstance(v, float) else str(v) for v in r)
        for r in rows
    ]
    source.write_text("\n".join(lines) + "\n")
    ds = load(source, folder)
    if ds.error or ds.column("t") is None or not ds.column("t").info.numeric:
        return
    fields: dict[str, object] = {
        "column": "t",
        "condition": [{"column": "e", "op": "=", "value": 1}],
    }
    if statistic == "survival_at":
        fields["time"] = 10
    if statistic == "logrank":
        fields["group_by"] = ["g"]
    if statistic == "cox":
        fields["predictors"] = ["x"] if ds.column("x").info.numeric else [
            {"column": "g", "op": "=", "value": "a"}]  # fmt: skip
    try:
        checked_plan = checked(ds, statistic=statistic, **fields)
        result = engine.run(checked_plan, ds)
    except (Unanswerable, PlanError):
        return
    json.dumps(result.answer, allow_nan=False)
    json.dumps(result.rows, allow_nan=False)
