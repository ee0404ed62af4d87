"""Time-to-event estimates from lifelines: Kaplan-Meier, the log-rank test and the Cox
model, typed for the rest of the appliance.

A follow-up time with an event flag is censored data: a patient alive at the end of
follow-up did not survive *exactly* that long. The estimators that take the censoring
into account are lifelines' (kept by people who do survival analysis; chosen for its
speed, docs/performance.md, "Survival estimates"). This is the one module that calls it:
lifelines ships no types, so what it returns is turned into numpy arrays and floats
here, and what it raises into :class:`Unanswerable`. lifelines, pandas and scipy are
imported on a process's first survival estimate, never by a process that only receives
files.

Conventions (docs/analytics.md, "Survival"):

- S(t) and its pointwise 95 % interval are lifelines' ``KaplanMeierFitter``: the
  product-limit estimate, Greenwood's variance on the log(-log) scale.
- The median is the smallest time where S(t) <= 0.5, or the midpoint of a stretch where
  S(t) is exactly 0.5 (R's ``survfit`` and SAS's LIFETEST; lifelines would take the
  stretch's start). Its interval is lifelines' (``median_survival_times`` of the
  interval): the first times the lower and the upper limit reach 0.5.
- The log-rank test is lifelines' ``multivariate_logrank_test``.
- The Cox model is lifelines' ``SemiParametricPHFitter`` (what its ``CoxPHFitter``
  fits with the default Breslow baseline; Efron's ties); a prediction is its Breslow
  baseline hazard at the step at or before the time asked.
- Proportional hazards: lifelines' ``proportional_hazard_test`` with the KM time
  transform (Grambsch and Therneau's test, one per predictor), on scaled Schoenfeld
  residuals computed here in numpy with lifelines' definition (Efron-weighted
  means within ties): lifelines' own loop appends row by row, 24 s on 100,000 rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from appliance.analytics.errors import Unanswerable

if TYPE_CHECKING:
    import numpy as np

Z95 = 1.959963984540054
"""The standard normal's 97.5th percentile: two-sided 95 % intervals."""
MAX_ITERATIONS = 50
"""Newton steps of a Cox fit (lifelines' ``max_steps``); more is refused."""
STEP_SIZE = 1.0
"""The Newton steps' length: whole steps, as R's ``coxph`` and statsmodels take.
lifelines' default first steps of 0.95 leave 5 % of each to be walked again, which
costs one more step for the same precision (a fifth of a 100,000-row fit); its
step-size rule still shortens a step of norm 5 or more."""
PRECISION = 1e-16
"""lifelines' stop: a Newton step's norm, or its decrement of the log-likelihood
(half the step's squared length in the Hessian's metric), below this (predictors scaled
to unit spread). The fit returns the coefficients before that last step, so they are
that step away from the maximum: a decrement below 1e-16 bounds the step by 1.4e-8 over
the square root of the Hessian's smallest eigenvalue, which grows with the events.
lifelines' default, 1e-7 on the decrement, stops with coefficients about 1e-6 away.
Against statsmodels, coefficients and standard errors agree to 1e-6 on the development
set's tables and random ones with ties (tests/test_survival.py), the widest gap 2.4e-8
over 131 random tables (docs/performance.md, "Survival estimates")."""
CONVERGED = 1e-6
"""A fit whose last Newton step is longer than this has not converged: refused."""
LARGEST_COEFFICIENT = 25.0
"""A coefficient past this (a hazard ratio past e^25) means a predictor separates the
events: the likelihood has no maximum, and the fit is refused."""


def held(rows: int, predictors: int) -> int:
    """Bytes a survival estimate on ``rows`` rows holds at its peak: the fetched arrays
    (time, event, group, predictors) and lifelines' copies, DataFrames and per-step
    arrays. Measured with tracemalloc on 100,000 rows (docs/performance.md): a Cox fit
    took 197, 261 and 579 bytes a row beyond its inputs with 1, 3 and 10 predictors,
    Kaplan-Meier and the log-rank test 78; this bounds each with some room."""
    return rows * 8 * (7 * predictors + 22)


@contextmanager
def _refusing(why: str) -> Iterator[None]:
    """lifelines' errors as refusals. It checks its inputs with ValueError, TypeError
    and ``assert`` (lengths, "Sum is not zero"), and fails on odd numbers with
    ConvergenceError (a ValueError) or LinAlgError (also a ValueError)."""
    try:
        yield
    except (ValueError, TypeError, ArithmeticError, AssertionError) as exc:
        raise Unanswerable(why) from exc


_imported = False


def _imports() -> None:
    """lifelines, on first use; its warnings (convergence, low variance) are turned into
    refusals here, never printed into the server's log."""
    global _imported
    if _imported:
        return
    import warnings

    import lifelines  # noqa: F401

    warnings.filterwarnings("ignore", module=r"lifelines(\.|$)")
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"pandas(\.|$)")
    _imported = True


def prepare() -> None:
    """Imports lifelines (with pandas and scipy: 1-3 s of CPU, once per process), for
    the engine to call before a survival query's clock starts: a one-time cost of the
    process, not the query's work (docs/analytics.md, "Survival")."""
    _imports()


def _float(value: Any) -> float:
    return float(value)


@dataclass
class Curve:
    """A Kaplan-Meier curve at its distinct event times."""

    times: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    surv: np.ndarray
    lower: np.ndarray
    """The pointwise 95 % interval of ``surv`` (log(-log), Greenwood's variance)."""
    upper: np.ndarray
    n: int
    n_events: int
    last_time: float
    """The longest follow-up: beyond it the curve is not known."""
    median_lower: float | None
    """The median's 95 % interval (None where a limit is not reached)."""
    median_upper: float | None

    @property
    def censored(self) -> int:
        return self.n - self.n_events


def _reached(value: Any) -> float | None:
    v = _float(value)
    return v if math.isfinite(v) else None


def kaplan_meier(time: np.ndarray, event: np.ndarray) -> Curve:
    """The product-limit estimate from follow-up times and 0/1 event flags."""
    import numpy as np

    n = len(time)
    if n == 0:
        raise Unanswerable("no rows meet the conditions, so there is no survival curve")
    _imports()
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    with _refusing("these follow-up times give no Kaplan-Meier curve"):
        fit = KaplanMeierFitter(alpha=0.05).fit(time, event_observed=event)
        table = fit.event_table
        observed = table["observed"].to_numpy(dtype=float)
        keep = observed > 0
        bands = fit.confidence_interval_survival_function_.to_numpy(dtype=float)
        median = median_survival_times(fit.confidence_interval_survival_function_)
        median_lower, median_upper = (_reached(v) for v in median.to_numpy().ravel()[:2])
        return Curve(
            times=table.index.to_numpy(dtype=float)[keep],
            at_risk=table["at_risk"].to_numpy(dtype=float)[keep],
            events=observed[keep],
            surv=fit.survival_function_.to_numpy(dtype=float).ravel()[keep],
            lower=bands[keep, 0],
            upper=bands[keep, 1],
            n=n,
            n_events=int(np.count_nonzero(event)),
            last_time=float(np.max(time)),
            median_lower=median_lower,
            median_upper=median_upper,
        )


def survival_at(curve: Curve, at: float) -> tuple[float, float, float]:
    """S(at) with its 95 % interval; refused past the longest follow-up."""
    import numpy as np

    if at > curve.last_time:
        raise Unanswerable(
            f"the follow-up ends at {curve.last_time:g}: survival at {at:g} is not known"
        )
    k = int(np.searchsorted(curve.times, at, side="right")) - 1
    if k < 0:
        return 1.0, 1.0, 1.0
    return float(curve.surv[k]), float(curve.lower[k]), float(curve.upper[k])


def median(curve: Curve) -> tuple[float | None, float | None, float | None]:
    """The median survival time and its 95 % interval; None where not reached."""
    import numpy as np

    s = curve.surv
    below = np.flatnonzero(s <= 0.5 + 1e-12)
    if len(below) == 0:
        return None, curve.median_lower, curve.median_upper
    k = int(below[0])
    value = float(curve.times[k])
    if abs(s[k] - 0.5) <= 1e-12 and k + 1 < len(curve.times):  # flat at one half
        value = (value + float(curve.times[k + 1])) / 2
    return value, curve.median_lower, curve.median_upper


def thin(curve: Curve, points: int) -> list[int]:
    """At most ``points`` indices of the curve's steps, evenly spread, the last kept."""
    count = len(curve.times)
    if count <= points:
        return list(range(count))
    step = count / points
    picked = sorted({min(count - 1, int(i * step)) for i in range(points - 1)} | {count - 1})
    return picked


@dataclass
class LogRank:
    chi2: float
    df: int
    p: float
    observed: list[float]
    expected: list[float]


def logrank(time: np.ndarray, event: np.ndarray, group: np.ndarray, groups: int) -> LogRank:
    """The log-rank test of equal survival among ``groups`` groups coded 0..groups-1.

    Refused when the groups fall into parts that are never at risk together at a time
    where someone dies and someone lives on: the test's variance is then singular (no
    comparison between those parts is in the data), where lifelines would answer with
    its pseudo-inverse."""
    import numpy as np

    _imports()
    from lifelines.statistics import multivariate_logrank_test
    from lifelines.utils import group_survival_table_from_events

    with _refusing("these groups give no log-rank test"):
        labels, removed, observed, _censored = group_survival_table_from_events(group, time, event)
        order = np.argsort(np.asarray(labels))  # its columns come in order of first row
        if not np.array_equal(np.asarray(labels)[order], np.arange(groups)):
            raise Unanswerable("the groups give no log-rank test")
        gone = removed.to_numpy(dtype=float)[:, order]
        died = observed.to_numpy(dtype=float)[:, order]
        at_risk = gone.sum(0) - np.vstack([np.zeros(groups), np.cumsum(gone, 0)[:-1]])
        n = at_risk.sum(1)
        d = died.sum(1)
        if not _connected(at_risk[(d > 0) & (n > d)] > 0, groups):
            raise Unanswerable("the groups share no time at risk: no log-rank test")
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = np.nansum(at_risk * (d / n)[:, None], 0)
        test = multivariate_logrank_test(time, group, event)
        chi2, p = _float(test.test_statistic), _float(test.p_value)
        df = int(test.degrees_of_freedom)
    return LogRank(chi2, df, p, died.sum(0).tolist(), expected.tolist())


def _connected(together: np.ndarray, groups: int) -> bool:
    """Whether ``groups`` groups form one part when two groups are joined by a row of
    ``together`` (a time) where both are at risk."""
    part = list(range(groups))

    def root(k: int) -> int:
        while part[k] != k:
            k = part[k]
        return k

    for row in together:
        members = [int(k) for k in row.nonzero()[0]]
        for k in members[1:]:
            part[root(k)] = root(members[0])
    return len({root(k) for k in range(groups)}) == 1


@dataclass
class Cox:
    beta: np.ndarray
    se: np.ndarray
    p: list[float]
    """Per predictor, the Wald test's p (lifelines' summary)."""
    n: int
    n_events: int
    ph_p: list[float]
    """Per predictor, the p of the proportional-hazards test."""
    baseline_times: np.ndarray
    baseline_hazard: np.ndarray
    """Breslow's cumulative baseline hazard (at the predictors' means), a step at each
    time."""
    log_partial_hazard: Callable[[list[float]], float]

    def survival(self, at: float, point: list[float]) -> float:
        """S(at | predictors = point): lifelines' baseline at the step at or before
        ``at``, times the partial hazard. (lifelines' ``predict_survival_function(times=)``
        draws straight lines between the steps, which is not the estimate.)"""
        import numpy as np

        k = int(np.searchsorted(self.baseline_times, at, side="right")) - 1
        hazard = 0.0 if k < 0 else float(self.baseline_hazard[k])
        eta = self.log_partial_hazard(point)
        if not eta <= 700:
            raise Unanswerable("the predicted hazard is past the largest number a float holds")
        return math.exp(-hazard * math.exp(eta))


def cox(
    time: np.ndarray,
    event: np.ndarray,
    features: list[np.ndarray],
    check_deadline: Callable[[], None],
) -> Cox:
    """lifelines' Cox fit, with the query's deadline checked before each Newton step.

    lifelines takes no callback; its fitter asks ``_choose_gradient_calculator`` once
    per fit for the function it calls at every step, so the instance's own attribute
    wraps that function (lifelines is pinned: tests/test_survival.py checks the wrap
    stops a fit). The wrap also keeps the last step's gradient and Hessian: lifelines
    only warns when a fit does not converge, and that is refused here.
    """
    import numpy as np

    width = len(features)
    for f in features:
        if not _spread(f):
            raise Unanswerable("the predictors are collinear or constant: no unique fit")
    _imports()
    import pandas as pd
    from lifelines.fitters.coxph_fitter import SemiParametricPHFitter

    names = [f"x{k}" for k in range(width)]
    frame = pd.DataFrame({"T": time, "E": event, **dict(zip(names, features, strict=True))})
    fitter = SemiParametricPHFitter()
    steps: list[tuple[np.ndarray, np.ndarray]] = []
    choose = fitter._choose_gradient_calculator

    def calculator(*args: Any) -> Any:
        inner = choose(*args)

        def step(*a: Any) -> Any:
            check_deadline()
            h, g, ll = inner(*a)
            steps[:] = [(np.asarray(h, dtype=float), np.asarray(g, dtype=float))]
            return h, g, ll

        return step

    fitter._choose_gradient_calculator = calculator
    _skip_unused(fitter)
    options = {
        "step_size": STEP_SIZE,
        "precision": PRECISION,
        "r_precision": 0.0,
        "max_steps": MAX_ITERATIONS,
    }
    with _refusing("the predictors are collinear or constant: no unique fit"):
        fitter.fit(frame, "T", "E", fit_options=options)
    del frame, fitter.predict_partial_hazard, fitter._predicted_partial_hazards_
    _converged(steps)
    summary = fitter.summary
    beta = summary["coef"].to_numpy(dtype=float)
    if not np.all(np.isfinite(beta)) or np.max(np.abs(beta)) > LARGEST_COEFFICIENT:
        raise Unanswerable("the Cox fit does not converge (a predictor separates the events)")
    check_deadline()
    baseline = fitter.baseline_cumulative_hazard_
    ph = _ph_test(fitter, time, event, features)

    def log_partial_hazard(point: list[float]) -> float:
        row = pd.DataFrame([point], columns=names)
        return _float(fitter.predict_log_partial_hazard(row).iloc[0])

    return Cox(
        beta=beta,
        se=summary["se(coef)"].to_numpy(dtype=float),
        p=[float(v) for v in summary["p"]],
        n=len(time),
        n_events=int(np.count_nonzero(event)),
        ph_p=ph,
        baseline_times=baseline.index.to_numpy(dtype=float),
        baseline_hazard=baseline.to_numpy(dtype=float).ravel(),
        log_partial_hazard=log_partial_hazard,
    )


def _skip_unused(fitter: Any) -> None:
    """Leaves out two things lifelines' ``fit`` computes that no answer uses, a tenth of
    a 100,000-row fit's CPU: the predictors' means and medians (pandas' ``describe``, for
    its plots) and every row's partial hazard (for its concordance index and residuals;
    the proportional-hazards check here computes its own residuals). Instance attributes
    over the pinned version's methods, as the deadline's hook (tests/test_survival.py
    checks they take effect); :func:`cox` deletes the placeholder hazards after the
    fit, so a later use fails instead of reading zeros."""
    import numpy as np
    import pandas as pd

    def no_central_values(*_args: Any, **_kwargs: Any) -> None:
        return None

    def placeholder_hazards(df: Any, *_args: Any, **_kwargs: Any) -> Any:
        return pd.Series(np.zeros(len(df)), index=df.index)

    fitter._compute_central_values_of_raw_training_data = no_central_values
    fitter.predict_partial_hazard = placeholder_hazards


def _spread(f: np.ndarray) -> bool:
    """Whether a predictor varies, within what lifelines can scale: it divides each by
    its standard deviation, which overflows for values near 1e300."""
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore"):
        spread = float(np.std(f))
    return math.isfinite(spread) and spread > 0


def _converged(steps: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Refuses a fit whose last Newton step (from the last gradient and Hessian) is still
    long: lifelines stopped at ``max_steps`` or at a vanishing step size."""
    import numpy as np

    if not steps:
        raise Unanswerable("the Cox fit does not converge (a predictor separates the events)")
    h, g = steps[0]
    try:
        step = np.linalg.solve(-h, g) if len(g) else g
    except np.linalg.LinAlgError as exc:
        raise Unanswerable("the predictors are collinear or constant: no unique fit") from exc
    if not np.all(np.isfinite(step)) or float(np.linalg.norm(step)) > CONVERGED:
        raise Unanswerable("the Cox fit does not converge (a predictor separates the events)")


def _ph_test(
    fitter: Any, time: np.ndarray, event: np.ndarray, features: list[np.ndarray]
) -> list[float]:
    """lifelines' Grambsch-Therneau test, one p per predictor (empty when fewer than 3
    events or one event time leave no trend to test)."""
    import numpy as np
    import pandas as pd
    from lifelines.statistics import proportional_hazard_test

    e = event > 0
    if int(e.sum()) < 3 or len(np.unique(time[e])) < 2:
        return []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        residuals = schoenfeld(time, e, np.column_stack(features), fitter.params_.to_numpy(float))
    variance = fitter.variance_matrix_.to_numpy(dtype=float)
    scaled = pd.DataFrame(int(e.sum()) * residuals @ variance, columns=fitter.params_.index)
    with _refusing("the proportional-hazards check failed on these rows"):
        test = proportional_hazard_test(
            fitter, None, time_transform="km", precomputed_residuals=scaled
        )
        p = np.asarray(test.p_value, dtype=float).ravel()
    return [float(v) for v in p] if np.all(np.isfinite(p)) else []


def schoenfeld(time: np.ndarray, event: np.ndarray, x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """The Schoenfeld residuals of the events, in time order (ties in row order): each
    event's predictors minus the risk set's exp(x beta)-weighted mean, Efron-weighted
    within tied times (lifelines' ``_compute_schoenfeld_within_strata``, in numpy)."""
    import numpy as np

    order = np.argsort(time, kind="stable")
    t, e = time[order], event[order]
    xs = x[order] - x.mean(0)
    times, first, group = np.unique(t, return_index=True, return_inverse=True)
    w = np.exp(xs @ beta)
    s0 = np.cumsum(np.add.reduceat(w, first)[::-1])[::-1]
    s1 = np.cumsum(np.add.reduceat(w[:, None] * xs, first, axis=0)[::-1], axis=0)[::-1]
    rows = np.flatnonzero(e)
    eg = group[rows]
    tied = np.bincount(eg, minlength=len(times)).astype(float)
    start = np.searchsorted(eg, eg, side="left")
    frac = (np.arange(len(rows)) - start) / tied[eg]
    t0 = np.bincount(eg, weights=w[rows], minlength=len(times))
    t1 = np.stack(
        [np.bincount(eg, weights=w[rows] * xs[rows, k], minlength=len(times)) for k in
         range(xs.shape[1])],
        axis=1,
    )  # fmt: skip
    term = (s1[eg] - frac[:, None] * t1[eg]) / (s0[eg] - frac * t0[eg])[:, None]
    per_time = (
        np.stack(
            [np.bincount(eg, weights=term[:, k], minlength=len(times)) for k in range(xs.shape[1])],
            axis=1,
        )
        / np.maximum(tied, 1)[:, None]
    )
    result: np.ndarray = xs[rows] - per_time[eg]
    return result
