"""Time-to-event estimators: Kaplan-Meier, the log-rank test and the Cox model.

A follow-up time with an event flag is censored data: a patient alive at the end of
follow-up did not survive *exactly* that long. A plain median of the times ignores that
and is a wrong number that looks right, so these estimators take the censoring into
account. They work on numpy arrays the engine fetched from DuckDB (float64, no Python
objects) and, like the logistic fit, hold only a bounded number of arrays beside the
data and check the query's deadline between the expensive steps.

Conventions (docs/analytics.md, "Survival"), chosen to match what clinicians read in
published tables:

- The Kaplan-Meier median is the smallest time where S(t) <= 0.5; when S(t) is exactly
  0.5 over a stretch, the midpoint of that stretch (as R's ``survfit`` does). It is "not
  reached" when the curve stays above 0.5.
- Intervals of S(t) are pointwise 95 % intervals on the log(-log) scale with Greenwood's
  variance; the median's interval inverts the same test at each event time
  (Brookmeyer-Crowley, as SAS's LIFETEST does): its upper end is "not reached" when the
  curve's interval stays above 0.5.
- The Cox model handles tied times by Efron's method (R's and SAS's default); the
  baseline hazard for a prediction is Breslow's estimator at the fitted coefficients.
- Proportional hazards is checked with Grambsch and Therneau's test on the scaled
  Schoenfeld residuals against 1 - KM(t) (R's ``cox.zph`` "km" transform), one test per
  predictor.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.analytics.errors import Unanswerable

if TYPE_CHECKING:
    import numpy as np

Z95 = 1.959963984540054
"""The standard normal's 97.5th percentile: two-sided 95 % intervals."""
COX_BLOCK = 65_536
"""Rows per block of the Cox information matrix's sums."""
MAX_ITERATIONS = 50


@dataclass
class Curve:
    """A Kaplan-Meier curve at its distinct event times."""

    times: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    surv: np.ndarray
    se: np.ndarray
    """Greenwood's standard error of ``surv`` (NaN where the curve reaches 0)."""
    n: int
    n_events: int
    last_time: float
    """The longest follow-up: beyond it the curve is not known."""

    @property
    def censored(self) -> int:
        return self.n - self.n_events


def kaplan_meier(time: np.ndarray, event: np.ndarray) -> Curve:
    """The product-limit estimate from follow-up times and 0/1 event flags."""
    import numpy as np

    n = len(time)
    if n == 0:
        raise Unanswerable("no rows meet the conditions, so there is no survival curve")
    order = np.argsort(time, kind="stable")
    t, e = time[order], event[order]
    times, first = np.unique(t, return_index=True)
    at_risk = n - first
    events = np.add.reduceat(e, first) if n else np.zeros(0)
    keep = events > 0
    times, at_risk, events = times[keep], at_risk[keep].astype(float), events[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1.0 - events / at_risk)
        greenwood = np.cumsum(events / (at_risk * (at_risk - events)))
        se = surv * np.sqrt(greenwood)
    se[~np.isfinite(se)] = np.nan
    return Curve(
        times=times,
        at_risk=at_risk,
        events=events,
        surv=surv,
        se=se,
        n=n,
        n_events=int(e.sum()),
        last_time=float(t[-1]),
    )


def interval(s: float, se: float) -> tuple[float, float]:
    """The log(-log) 95 % interval of a survival probability ``s`` with Greenwood ``se``."""
    if s >= 1.0:
        return 1.0, 1.0
    if s <= 0.0 or not math.isfinite(se):
        return 0.0, 0.0
    if se == 0.0:
        return s, s
    spread = Z95 * se / abs(s * math.log(s))
    return s ** math.exp(spread), s ** math.exp(-spread)


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
    s = float(curve.surv[k])
    low, high = interval(s, float(curve.se[k]))
    return s, low, high


def median(curve: Curve) -> tuple[float | None, float | None, float | None]:
    """The median survival time and its 95 % interval; None where not reached."""
    import numpy as np

    s = curve.surv
    below = np.flatnonzero(s <= 0.5 + 1e-12)
    if len(below) == 0:
        value = None
    else:
        k = int(below[0])
        value = float(curve.times[k])
        if abs(s[k] - 0.5) <= 1e-12:  # flat at exactly one half: the stretch's midpoint
            value = (value + float(curve.times[k + 1])) / 2 if k + 1 < len(curve.times) else value
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(-np.log(s))
        slope = -1.0 / (s * np.log(s))
        r = (g - math.log(-math.log(0.5))) / (slope * curve.se)
    inside = np.flatnonzero(np.abs(r) <= Z95)
    if len(inside) == 0:
        return value, None, None
    low = float(curve.times[inside[0]])
    high = None if inside[-1] == len(s) - 1 else float(curve.times[inside[-1] + 1])
    return value, low, high


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
    """The log-rank test of equal survival among ``groups`` groups coded 0..groups-1."""
    import numpy as np

    times = np.unique(time[event > 0])
    n_t = len(times)
    at_risk = np.empty((n_t, groups))
    deaths = np.empty((n_t, groups))
    for k in range(groups):
        mine = group == k
        t_k = np.sort(time[mine])
        at_risk[:, k] = len(t_k) - np.searchsorted(t_k, times, side="left")
        dead = np.sort(time[mine & (event > 0)])
        deaths[:, k] = np.searchsorted(dead, times, side="right") - np.searchsorted(
            dead, times, side="left"
        )
    n = at_risk.sum(1)
    d = deaths.sum(1)
    share = at_risk / n[:, None]
    observed = deaths.sum(0)
    expected = (d[:, None] * share).sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 1, d * (n - d) / (n - 1), 0.0)
    variance = np.diag((factor[:, None] * share).sum(0)) - (factor[:, None] * share).T @ share
    diff = (observed - expected)[:-1]
    try:
        chi2 = float(diff @ np.linalg.solve(variance[:-1, :-1], diff))
    except np.linalg.LinAlgError as exc:
        raise Unanswerable("the groups share no time at risk: no log-rank test") from exc
    df = groups - 1
    return LogRank(chi2, df, chi2_sf(chi2, df), observed.tolist(), expected.tolist())


def chi2_sf(x: float, df: int) -> float:
    """P(X > x) for a chi-square with ``df`` (whole) degrees of freedom: the regularized
    upper incomplete gamma Q(df/2, x/2), summed in closed form (no scipy)."""
    if x <= 0:
        return 1.0
    y = x / 2
    if df % 2 == 0:
        a, total = 1.0, math.exp(-y)
    else:
        a, total = 0.5, math.erfc(math.sqrt(y))
    while a < df / 2:
        total += math.exp(a * math.log(y) - y - math.lgamma(a + 1))
        a += 1
    return min(1.0, total)


def normal_p(z: float) -> float:
    """Two-sided p of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass
class Cox:
    beta: np.ndarray
    se: np.ndarray
    covariance: np.ndarray
    means: np.ndarray
    times: np.ndarray
    """Distinct event times, with the Breslow baseline cumulative hazard at them (at the
    predictors' means)."""
    cumulative_hazard: np.ndarray
    n: int
    n_events: int
    ph_p: list[float]
    """Per predictor, the p of the proportional-hazards test."""

    def survival(self, at: float, point: list[float]) -> float:
        """S(at | predictors = point)."""
        import numpy as np

        k = int(np.searchsorted(self.times, at, side="right")) - 1
        hazard = 0.0 if k < 0 else float(self.cumulative_hazard[k])
        eta = float(np.dot(np.asarray(point) - self.means, self.beta))
        if eta > 700:
            raise Unanswerable("the predicted hazard is past the largest number a float holds")
        return math.exp(-hazard * math.exp(eta))


def cox(
    time: np.ndarray,
    event: np.ndarray,
    features: list[np.ndarray],
    check_deadline: Callable[[], None],
) -> Cox:
    """The Cox proportional-hazards fit by Newton-Raphson on Efron's partial likelihood.

    Rows are sorted by time once; each step needs the risk sets' sums, which are reverse
    cumulative sums, and per event its tie-corrected denominators. The information
    matrix's row sum is taken in blocks of :data:`COX_BLOCK` rows, with the deadline
    checked between blocks. Predictors far out (1e300) overflow quietly: the fit then
    does not converge and is refused, and a non-finite answer is refused by the query.
    """
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _cox(time, event, features, check_deadline)


def _cox(
    time: np.ndarray,
    event: np.ndarray,
    features: list[np.ndarray],
    check_deadline: Callable[[], None],
) -> Cox:
    import numpy as np

    n, width = len(time), len(features)
    order = np.argsort(time, kind="stable")
    t, e = time[order], event[order] > 0
    means = np.array([float(f.mean()) for f in features])
    x = np.empty((n, width))
    for k, f in enumerate(features):
        x[:, k] = f[order] - means[k]
    del order
    times, first, group = np.unique(t, return_index=True, return_inverse=True)
    rows = np.flatnonzero(e)
    m = len(rows)
    eg = group[rows]  # each event's time, as an index into times
    counts = np.bincount(eg, minlength=len(times)).astype(float)
    start = np.searchsorted(eg, eg, side="left")
    frac = (np.arange(m) - start) / counts[eg]  # Efron: l / d within a tie
    x_events = x[rows].sum(0)

    def terms(beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        eta = x @ beta
        if not np.all(np.isfinite(eta)) or eta.max() > 700:
            raise Unanswerable("the Cox fit does not converge (a predictor separates the events)")
        w = np.exp(eta)
        s0 = _risk_sums(w, first)
        s1 = _risk_sums(w[:, None] * x, first)
        s0d = np.bincount(eg, weights=w[rows], minlength=len(times))
        s1d = (
            np.stack(
                [
                    np.bincount(eg, weights=w[rows] * x[rows, k], minlength=len(times))
                    for k in range(width)
                ],
                axis=1,
            )
            if width
            else np.zeros((len(times), 0))
        )
        den = s0[eg] - frac * s0d[eg]
        mean = (s1[eg] - frac[:, None] * s1d[eg]) / den[:, None]
        loglik = float(eta[rows].sum() - np.log(den).sum())
        gradient = x_events - mean.sum(0)
        return loglik, gradient, mean, den, w

    def information(mean: np.ndarray, den: np.ndarray, w: np.ndarray) -> np.ndarray:
        a = np.bincount(eg, weights=1.0 / den, minlength=len(times))
        b = np.bincount(eg, weights=frac / den, minlength=len(times))
        c = np.cumsum(a)[group]
        c[rows] -= b[eg]
        weight = w * c
        total = np.zeros((width, width))
        for lo in range(0, n, COX_BLOCK):
            check_deadline()
            block = x[lo : lo + COX_BLOCK]
            total += block.T @ (block * weight[lo : lo + COX_BLOCK, None])
        result: np.ndarray = total - mean.T @ mean
        return result

    beta = np.zeros(width)
    loglik, gradient, mean, den, w = terms(beta)
    for _ in range(MAX_ITERATIONS):
        check_deadline()
        info = information(mean, den, w)
        try:
            step = np.linalg.solve(info, gradient)
        except np.linalg.LinAlgError as exc:
            raise Unanswerable("the predictors are collinear or constant: no unique fit") from exc
        new = beta + step
        for _halving in range(30):  # a step that lowers the likelihood is shortened
            try:
                trial = terms(new)
            except Unanswerable:
                trial = None
            if trial is not None and trial[0] >= loglik - 1e-12:
                break
            new = beta + (new - beta) / 2
        else:
            raise Unanswerable("the Cox fit does not converge (a predictor separates the events)")
        assert trial is not None
        moved = float(np.max(np.abs(new - beta))) if width else 0.0
        beta = new
        loglik, gradient, mean, den, w = trial
        if moved < 1e-10:
            break
    else:
        raise Unanswerable("the Cox fit does not converge (a predictor separates the events)")
    if width and np.max(np.abs(beta)) > 25:
        raise Unanswerable("the Cox fit does not converge (a predictor separates the events)")
    info = information(mean, den, w)
    try:
        covariance = np.linalg.inv(info)
    except np.linalg.LinAlgError as exc:
        raise Unanswerable("the predictors are collinear or constant: no unique fit") from exc
    se = np.sqrt(np.diag(covariance))
    # Breslow's baseline: d_j / (the risk set's sum of exp(x beta)) at each event time.
    w = np.exp(x @ beta)
    s0 = _risk_sums(w, first)
    has_event = counts > 0
    cumulative = np.cumsum(counts[has_event] / s0[has_event])
    ph = _ph_test(x, rows, eg, first, w, covariance, t, e)
    return Cox(
        beta=beta,
        se=se,
        covariance=covariance,
        means=means,
        times=times[has_event],
        cumulative_hazard=cumulative,
        n=n,
        n_events=m,
        ph_p=ph,
    )


def _risk_sums(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Per distinct time (rows sorted by time, ``first`` the first row of each), the sum
    of ``values`` over the rows still at risk: each time's own sum, then summed from the
    last time back."""
    import numpy as np

    own = np.add.reduceat(values, first, axis=0)
    total: np.ndarray = np.cumsum(own[::-1], axis=0)[::-1]
    return total


def _ph_test(
    x: np.ndarray,
    rows: np.ndarray,
    eg: np.ndarray,
    first: np.ndarray,
    w: np.ndarray,
    covariance: np.ndarray,
    t: np.ndarray,
    e: np.ndarray,
) -> list[float]:
    """Grambsch-Therneau's test of proportional hazards, one p per predictor.

    The Schoenfeld residual of an event is its predictors minus the risk set's
    exp(x beta)-weighted mean; scaled by the number of events times the coefficients'
    covariance, a hazard ratio that drifts with time shows as a slope of the scaled
    residuals against g(t) = 1 - KM(t).
    """
    import numpy as np

    m = len(rows)
    if m < 3:
        return []
    s0 = _risk_sums(w, first)
    s1 = _risk_sums(w[:, None] * x, first)
    residuals = x[rows] - s1[eg] / s0[eg, None]
    curve = kaplan_meier(t, e.astype(float))
    k = np.searchsorted(curve.times, t[rows], side="right") - 1
    g = 1.0 - curve.surv[k]
    g = g - g.mean()
    scaled = m * residuals @ covariance
    spread = float((g**2).sum())
    if spread == 0:
        return []
    out = []
    for j in range(x.shape[1]):
        stat = float((g @ scaled[:, j]) ** 2 / (m * covariance[j, j] * spread))
        out.append(chi2_sf(stat, 1))
    return out
