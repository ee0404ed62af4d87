"""Time-to-event statistics of a plan: the rows from DuckDB, the estimates from survival.py
(lifelines).

A plan's ``column`` is the follow-up time and its ``condition`` the event (``status =
'dead'``); ``group_by``, ``filters`` and ``predictors`` work as for the other
statistics. The rows a plan selects are counted first, so the arrays an estimate needs
are known to fit within the query's ``fit_memory`` before one is fetched, and every
answer states n, events and censored among its caveats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from appliance.analytics import survival, survival_svg, time_to_event, units
from appliance.analytics.errors import PlanError, Unanswerable
from appliance.analytics.plan import Plan, term_of
from appliance.analytics.plan_terms import SURVIVAL_STATISTICS
from appliance.analytics.query import MAX_ROWS, Result, _key, _megabytes, _Query
from appliance.analytics.quoting import quote as _quote

if TYPE_CHECKING:
    import duckdb
    import numpy as np

    from appliance.analytics.datasets import Dataset

MAX_GROUPS = 20
"""Groups of one survival statistic: a curve and a test per group."""
CURVE_POINTS = 200
"""Steps of one group's curve in an answer (fewer when there are many groups)."""
PH_ALPHA = 0.05


@dataclass
class _Rows:
    sql: str
    time: np.ndarray
    event: np.ndarray
    group: np.ndarray | None
    labels: list[str]
    """Each group's value, as ``rows`` show it."""
    names: list[str]
    """Each group's name in the answer and caveats: its value, or the dictionary's label."""
    features: list[np.ndarray]


def complete(plan_json: Any, ds: Dataset) -> Any:
    """A survival plan sent without its time (``column``) or event (``condition``) takes
    them from the dataset's time-to-event pair, when it has exactly one."""
    if not isinstance(plan_json, dict) or plan_json.get("statistic") not in SURVIVAL_STATISTICS:
        return plan_json
    if "column" in plan_json and "condition" in plan_json:
        return plan_json
    found = time_to_event.pairs(ds)
    if len(found) != 1:
        named = ", ".join(f"{p.name} ({p.duration}, {p.event})" for p in found) or "none"
        raise PlanError(
            "column",
            f"give the follow-up time as column and the event as condition; the dataset's"
            f" time-to-event pairs: {named}",
        )
    pair = found[0]
    return {
        **plan_json,
        "column": plan_json.get("column", pair.duration),
        "condition": plan_json.get("condition", [pair.condition.to_json()]),
    }


def prepare() -> None:
    """The estimators' library, imported before a survival query's time limit starts."""
    survival.prepare()


def run(q: _Query, conn: duckdb.DuckDBPyConnection) -> Result:
    p = q.plan
    assert p.column is not None
    if q.col(p.column).wide:
        raise Unanswerable(f"{p.column} holds whole numbers past 64 bits: not a follow-up time")
    rows = _fetch(q, conn)
    if p.statistic == "cox":
        return _cox(q, rows)
    if p.statistic == "logrank":
        return _logrank(q, rows)
    return _curves(q, rows)


def _fetch(q: _Query, conn: duckdb.DuckDBPyConnection) -> _Rows:
    p = q.plan
    assert p.column is not None
    import numpy as np

    event = f"CASE WHEN {q.all_of(p.condition)} THEN 1.0 ELSE 0.0 END"
    inputs, needed = q.fit_inputs(p.predictors)
    needed |= {p.column, *(f.column for f in p.condition)}
    key = q.group_expr(p.group_by[0]) if p.group_by else None
    present = " AND ".join(f"{_quote(c)} IS NOT NULL" for c in sorted(needed))
    where = q.where(p.filters, present)
    select = [f"CAST({q.num(p.column)} AS DOUBLE) AS t", f"{event} AS e"]
    select += [f"CAST({e} AS DOUBLE) AS v{k}" for k, e in enumerate(inputs)]
    if key is not None:
        select.append(f"CAST(dense_rank() OVER (ORDER BY {key} NULLS LAST) - 1 AS INTEGER) AS g")
        select.append(f"{key} AS k")  # the group's own value, for its label
    inner = f"SELECT {', '.join(select)} FROM {q.source}{where}"
    sql = f"SELECT * EXCLUDE (k) FROM ({inner})" if key is not None else inner
    (n, shortest), *_ = q.fetch(conn, f"SELECT count(*), min(t) FROM ({sql})")
    if n == 0:
        raise Unanswerable("no rows meet the conditions, so there is no survival to estimate")
    if shortest < 0:
        raise Unanswerable(f"{p.column} has negative values: it is not a follow-up time")
    width = len(inputs)
    need = survival.held(n, width)
    if need > q.fit_memory:
        raise Unanswerable(
            f"a survival estimate on {n} rows with {width} predictors would hold"
            f" {_megabytes(need)} of values; one query may hold {_megabytes(q.fit_memory)}:"
            " filter the rows or use fewer predictors"
        )
    labels: list[str] = []
    names: list[str] = []
    if key is not None:
        found = q.fetch(
            conn,
            f"SELECT DISTINCT k FROM ({inner}) ORDER BY 1 NULLS LAST LIMIT {MAX_GROUPS + 1}",
        )
        if len(found) > MAX_GROUPS:
            raise Unanswerable(
                f"{p.group_by[0].column} has more than {MAX_GROUPS} groups: survival is"
                " compared between fewer"
            )
        labels = [_key(r[0]) for r in found]
        names = [q.key(0, r[0]) for r in found]
    q.check_deadline()
    data = conn.execute(sql, q.params).fetchnumpy()
    time = np.asarray(data.pop("t"), dtype=float)
    flags = np.asarray(data.pop("e"), dtype=float)
    group = np.asarray(data.pop("g"), dtype=np.int64) if key is not None else None
    features = [np.asarray(data.pop(f"v{k}"), dtype=float) for k in range(width)]
    del data
    (total,) = q.side_query(conn, "count(*)")
    if total > n:
        q.caveats.append(
            f"{total - n} rows with an empty {' or '.join(sorted(needed))} were skipped"
        )
    q.caveats.append(
        f"time-to-event: {p.column} is the follow-up time and"
        f" {' and '.join(f.describe() for f in p.condition)} the event; rows without the"
        " event are censored at their follow-up time"
    )
    return _Rows(sql, time, flags, group, labels, names, features)


def _counts(curve: survival.Curve) -> str:
    return f"n = {curve.n}, events = {curve.n_events}, censored = {curve.censored}"


def _groups(rows: _Rows) -> list[tuple[str | None, str | None, np.ndarray, np.ndarray]]:
    """(value, name, times, events) of each group; one part without either ungrouped."""
    if rows.group is None:
        return [(None, None, rows.time, rows.event)]
    return [
        (label, rows.names[k], rows.time[rows.group == k], rows.event[rows.group == k])
        for k, label in enumerate(rows.labels)
    ]


def _curves(q: _Query, rows: _Rows) -> Result:
    p = q.plan
    parts = _groups(rows)
    grouped = rows.group is not None
    head = [p.group_by[0].column] if grouped else []
    out_rows: list[list[Any]] = []
    answers: dict[str, Any] = {}
    figure: list[survival_svg.Series] = []
    points = max(10, min(CURVE_POINTS, MAX_ROWS // len(parts) - 1))
    for label, called, time, event in parts:
        q.check_deadline()
        curve = survival.kaplan_meier(time, event)
        name = f"{called}: " if grouped else ""
        q.caveats.append(f"{name}{_counts(curve)}")
        lead = [label] if grouped else []
        if p.statistic == "survival_median":
            value, low, high = survival.median(curve)
            if value is None:
                q.caveats.append(
                    f"{name}the median is not reached: survival stays above 0.5 up to"
                    f" {curve.last_time:g}"
                )
            elif high is None:
                q.caveats.append(f"{name}the upper 95 % limit of the median is not reached")
            out_rows.append([*lead, value, low, high, curve.n, curve.n_events, curve.censored])
            answer: Any = value
        elif p.statistic == "survival_at":
            assert p.time is not None
            try:
                s, low, high = survival.survival_at(curve, p.time)
            except Unanswerable as exc:
                if not grouped:
                    raise
                q.caveats.append(f"{name}{exc}")
                s = low = high = None  # type: ignore[assignment]
            out_rows.append([*lead, p.time, s, low, high, curve.n, curve.n_events])
            answer = s
        else:
            picked = survival.thin(curve, points)
            if len(picked) < len(curve.times):
                q.caveats.append(f"{name}{len(picked)} of the curve's {len(curve.times)} steps")
            times = [0.0] + [float(curve.times[i]) for i in picked]
            surv = [1.0] + [float(curve.surv[i]) for i in picked]
            bands = [(1.0, 1.0)] + [(float(curve.lower[i]), float(curve.upper[i])) for i in picked]
            at_risk = [curve.n] + [int(curve.at_risk[i]) for i in picked]
            for t, s, (low, high), r in zip(times, surv, bands, at_risk, strict=True):
                out_rows.append([*lead, t, s, low, high, r])
            answer = {"time": times, "survival": surv}
            marks = _censor_marks(curve, time, event, points)
            figure.append(survival_svg.Series(called, times, surv, marks, curve.last_time))
        if grouped:
            assert called is not None
            answers[called] = answer
    columns = {
        "survival_median": ["median", "lower_95", "upper_95", "n", "events", "censored"],
        "survival_at": ["time", "survival", "lower_95", "upper_95", "n", "events"],
        "survival_curve": ["time", "survival", "lower_95", "upper_95", "at_risk"],
    }[p.statistic]
    result = q.result(rows.sql, head + columns, out_rows, answers if grouped else answer)
    if p.statistic == "survival_curve":
        result.chart = {"type": "step", "x": "time", "y": "survival"}
        result.figure = list(figure)
        if grouped:
            result.chart["series"] = head[0]
    return result


def _censor_marks(
    curve: survival.Curve, time: np.ndarray, event: np.ndarray, points: int
) -> list[tuple[float, float]]:
    """(time, S(time)) at each distinct time a row was censored, at most ``points`` of
    them evenly spread (the last kept): the ticks a published curve draws."""
    import numpy as np

    censored = np.unique(time[event == 0])
    if len(censored) > points:
        picked = np.unique(np.linspace(0, len(censored) - 1, points).round().astype(np.int64))
        censored = censored[picked]
    k = np.searchsorted(curve.times, censored, side="right") - 1
    surv = np.where(k >= 0, curve.surv[np.maximum(k, 0)], 1.0) if len(curve.times) else 1.0
    shown = np.broadcast_to(surv, censored.shape)
    return [(float(t), float(s)) for t, s in zip(censored, shown, strict=True)]


def _logrank(q: _Query, rows: _Rows) -> Result:
    p = q.plan
    assert rows.group is not None
    if len(rows.labels) < 2:
        raise Unanswerable(f"{p.group_by[0].column} has one group here: nothing to compare")
    test = survival.logrank(rows.time, rows.event, rows.group, len(rows.labels))
    out_rows = []
    for k, label in enumerate(rows.labels):
        mine = rows.group == k
        n, events = int(mine.sum()), int(rows.event[mine].sum())
        out_rows.append([label, n, events, test.expected[k]])
        called = rows.names[k]
        q.caveats.append(f"{called}: n = {n}, events = {events}, censored = {n - events}")
    q.caveats.append(
        f"log-rank test across {len(rows.labels)} groups of {p.group_by[0].column}:"
        f" chi-square = {test.chi2:.4g} on {test.df} degrees of freedom, p = {test.p:.3g}"
    )
    result = q.result(
        rows.sql, [p.group_by[0].column, "n", "events", "expected_events"], out_rows, test.p
    )
    return result


def _cox(q: _Query, rows: _Rows) -> Result:
    p = q.plan
    n_events = int(rows.event.sum())
    if n_events == 0:
        raise Unanswerable("no events in these rows: no hazard to model")
    if len(rows.time) < len(p.predictors) + 2:
        raise Unanswerable("too few complete rows to fit a Cox model")
    fit = survival.cox(rows.time, rows.event, rows.features, q.check_deadline)
    labels = [pr.label for pr in p.predictors]
    out_rows = []
    ratios = []
    for k, label in enumerate(labels):
        b, se = float(fit.beta[k]), float(fit.se[k])
        try:
            hr = math.exp(b)
            low, high = math.exp(b - survival.Z95 * se), math.exp(b + survival.Z95 * se)
        except OverflowError:
            low = high = math.inf
        if not all(math.isfinite(v) for v in (b, se, hr, low, high)):
            raise Unanswerable(
                f"the Cox model's hazard ratio for {label} has no finite bound on these rows"
                " (too few events, or a predictor that separates them): not answered"
            )
        ratios.append(hr)
        p_value = fit.p[k] if se > 0 and math.isfinite(fit.p[k]) else None
        out_rows.append([label, b, hr, low, high, p_value])
    q.caveats.append(
        f"Cox proportional-hazards model on {', '.join(labels)} (Efron ties), fitted on"
        f" n = {fit.n}, events = {fit.n_events}, censored = {fit.n - fit.n_events}"
    )
    for label, ph in zip(labels, fit.ph_p, strict=False):
        if ph < PH_ALPHA:
            q.caveats.append(
                f"proportional hazards looks violated for {label} (Schoenfeld residuals test"
                f" p = {ph:.3g}): its hazard ratio changes with time, read it as an average"
            )
    if p.output == "survival":
        assert p.time is not None
        at = dict(p.at)
        point = [at[pr.label] if pr.label in at else at[pr.column] for pr in p.predictors]
        for k, (pr, value) in enumerate(zip(p.predictors, point, strict=True)):
            low, high = float(rows.features[k].min()), float(rows.features[k].max())
            if pr.condition is None and not low <= value <= high:
                q.caveats.append(
                    f"{pr.column} = {value:g} is outside the data's range ({low:g} to"
                    f" {high:g}): the prediction extrapolates"
                )
        last = float(rows.time.max())
        if p.time > last:
            raise Unanswerable(
                f"the follow-up ends at {last:g}: survival at {p.time:g} is not known"
            )
        answer: Any = fit.survival(p.time, point)
    elif len(ratios) == 1:
        answer = ratios[0]
    elif p.term is not None:  # one predictor's ratio, adjusted for the others
        answer = ratios[term_of(p)]
    else:
        answer = dict(zip(labels, ratios, strict=True))
    return q.result(
        rows.sql,
        ["term", "coefficient", "hazard_ratio", "lower_95", "upper_95", "p"],
        out_rows,
        answer,
    )


PICTURED = ("survival_median", "survival_at", "survival_curve", "logrank")
"""Statistics whose picture is the Kaplan-Meier curve of their rows and groups."""


def no_picture(plan: Plan) -> str | None:
    """Why ``plan`` has no Kaplan-Meier picture, or None when it has one."""
    if plan.statistic in PICTURED:
        return None
    return (
        f"a picture (format=svg) is drawn of a Kaplan-Meier curve; {plan.statistic} has"
        " none: ask for survival, its median or the curve (by a group), or leave format out"
    )


def picture_plan(plan: Plan) -> Plan:
    """The survival curve behind ``plan``: the same rows, event and groups."""
    why = no_picture(plan)
    if why is not None:
        raise Unanswerable(why)
    return plan.with_(statistic="survival_curve", time=None, unit=None)


def picture(result: Result, plan: Plan, ds: Dataset, by: float, title: str) -> str:
    """The SVG of a survival_curve ``result``, its times multiplied by ``by`` into the
    plan's unit when it asks for one."""
    assert plan.column is not None and result.figure is not None
    named = f"{plan.group_by[0].column} = " if plan.group_by else ""
    series = [
        survival_svg.Series(
            None if s.label is None else named + s.label,
            [t * by for t in s.times],
            s.surv,
            [(t * by, p) for t, p in s.censored],
            s.last_time * by,
        )
        for s in result.figure
    ]
    pair = next((p for p in time_to_event.pairs(ds) if p.duration == plan.column), None)
    said = plan.unit or (pair.unit if pair else None)
    x_label = f"{plan.column} ({units.name(said)})" if said else plan.column
    return survival_svg.render(series, x_label, title)


def plain_caveat(plan: Plan, ds: Dataset) -> str | None:
    """A plain statistic of a pair's time column ignores censoring: say so, and what to
    ask instead."""
    if plan.statistic not in ("mean", "median", "percentile", "min", "max"):
        return None
    for pair in time_to_event.pairs(ds):
        if plan.column == pair.duration:
            return (
                f"this {plan.statistic} of {pair.duration} ignores censoring (rows without"
                f" {pair.condition.describe()} were followed only that long): ask for the"
                " median survival for the Kaplan-Meier estimate"
            )
    return None
