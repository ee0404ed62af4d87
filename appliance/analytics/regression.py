"""Two-variable statistics and fits of a plan: correlation, the least-squares line and
logistic regression.

Correlation and the line are DuckDB's (corr, regr_slope and their kin over the selected
pairs); the logistic model is fitted with numpy by Newton's method over the rows DuckDB
selects, within the query's memory (``fit_memory``) and time (its deadline, checked
between blocks). Kept apart from engine.py, which compiles and shapes the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import term_of
from appliance.analytics.query import _OVERFLOW, Result, _megabytes, _number, _Query
from appliance.analytics.quoting import quote as _quote

if TYPE_CHECKING:
    import duckdb
    import numpy as np

FIT_BLOCK = 65_536
"""Rows per block of a Newton step's sums."""


def _pairs(q: _Query) -> str:
    """Rows where both variables of a correlation or line are present."""
    p = q.plan
    assert p.column and p.x
    both = f"{_quote(p.column)} IS NOT NULL AND {_quote(p.x)} IS NOT NULL"
    return q.where(p.filters, both)


def correlation(q: _Query, conn: duckdb.DuckDBPyConnection) -> Result:
    p = q.plan
    assert p.column and p.x
    y, x = q.num(p.column), q.num(p.x)
    where = _pairs(q)
    if p.method == "spearman":
        ranked = (
            f"SELECT rank() OVER (ORDER BY {y}) + (count(*) OVER (PARTITION BY {y}) - 1)"
            f" / 2.0 AS ry, rank() OVER (ORDER BY {x}) + (count(*) OVER (PARTITION BY {x})"
            f" - 1) / 2.0 AS rx FROM {q.source}{where}"
        )
        sql = f"SELECT corr(ry, rx) AS r, count(*) AS n FROM ({ranked})"
    else:
        sql = f"SELECT corr({y}, {x}) AS r, count(*) AS n FROM {q.source}{where}"
    (r, n), *_ = q.fetch(conn, sql)
    r = _number(r)
    if r is None:
        raise Unanswerable("a correlation needs at least two rows with varying values")
    _note_pairs(q, conn, n)
    result = q.result(sql, ["r", "n"], [[r, n]], r)
    result.chart = {"type": "scatter", "x": p.x, "y": p.column}
    return result


def _note_pairs(q: _Query, conn: duckdb.DuckDBPyConnection, used: int) -> None:
    (total,) = q.side_query(conn, "count(*)")
    q.counted = total
    if total > used:
        q.caveats.append(
            f"{total - used} rows with an empty {q.plan.column} or {q.plan.x} were skipped"
        )


def linear(q: _Query, conn: duckdb.DuckDBPyConnection) -> Result:
    """A least-squares line, from DuckDB's regr_* aggregates; its slope, intercept, r²
    or a prediction."""
    p = q.plan
    assert p.column and p.x
    y, x = q.num(p.column), q.num(p.x)
    sql = (
        f"SELECT regr_slope({y}, {x}) AS slope, regr_intercept({y}, {x}) AS intercept,"
        f" regr_r2({y}, {x}) AS r2, regr_count({y}, {x}) AS n FROM {q.source}"
        f"{_pairs(q)}"
    )
    (slope, intercept, r2, n), *_ = q.fetch(conn, sql)
    slope, intercept, r2 = _number(slope), _number(intercept), _number(r2)
    if slope is None or intercept is None:
        raise Unanswerable("a line needs at least two rows with different x values")
    row = [slope, intercept, r2, n]
    columns = ["slope", "intercept", "r2", "n"]
    output = p.output or "slope"
    if output == "prediction":
        at = dict(p.at)[p.x]
        answer = intercept + slope * at
        if not math.isfinite(answer):
            raise Unanswerable(f"the prediction at {p.x} = {at:g} {_OVERFLOW}")
        row.append(answer)
        columns.append("prediction")
        low, high = q.col(p.x).min, q.col(p.x).max
        if (
            isinstance(low, int | float)
            and isinstance(high, int | float)
            and not (low <= at <= high)
        ):
            q.caveats.append(
                f"{p.x} = {at:g} is outside the data's range ({low:g} to {high:g}):"
                " the prediction extrapolates"
            )
    else:
        answer = {"slope": slope, "intercept": intercept, "r2": r2}[output]
    _note_pairs(q, conn, n)
    q.caveats.append(
        f"least-squares line {p.column} = {intercept:.4g} + {slope:.4g} * {p.x},"
        f" fitted in-sample on {n} rows (r² = {r2:.3g})"
    )
    result = q.result(sql, columns, [row], answer)
    result.chart = {"type": "scatter", "x": p.x, "y": p.column, "line": True}
    return result


def logistic(q: _Query, conn: duckdb.DuckDBPyConnection) -> Result:
    """A logistic regression fitted with numpy over the rows DuckDB selects: odds ratios,
    or the probability at given values."""
    p = q.plan
    outcome = f"CASE WHEN {q.all_of(p.condition)} THEN 1.0 ELSE 0.0 END"
    inputs, needed = q.fit_inputs(p.predictors)
    needed |= {f.column for f in p.condition}
    present = " AND ".join(f"{_quote(c)} IS NOT NULL" for c in sorted(needed))
    # The outcome and indicator predicates bind their values first, then the filters.
    names = [f"v{k}" for k in range(len(inputs) + 1)]
    select = ", ".join(
        f"CAST({e} AS DOUBLE) AS {n}" for e, n in zip([outcome, *inputs], names, strict=True)
    )
    sql = f"SELECT {select} FROM {q.source}{q.where(p.filters, present)}"
    # Counted first: the arrays the fit needs are known before one is made.
    (n, events), *_ = q.fetch(conn, f"SELECT count(*), sum(v0) FROM ({sql})")
    if n < len(p.predictors) + 2:
        raise Unanswerable("too few complete rows to fit a logistic regression")
    if events in (0, n):
        raise Unanswerable("the outcome has only one value in these rows: nothing to fit")
    need = n * len(names) * 8
    if need > q.fit_memory:
        raise Unanswerable(
            f"a logistic regression on {n} rows with {len(p.predictors)} predictors would"
            f" hold {_megabytes(need)} of values; one fit may hold"
            f" {_megabytes(q.fit_memory)}: filter the rows or use fewer predictors"
        )
    q.check_deadline()
    import numpy as np

    # Arrays straight from DuckDB (float64, no Python objects), one per column.
    data = conn.execute(sql, q.params).fetchnumpy()
    y, *features = (np.asarray(data.pop(name), dtype=float) for name in names)
    del data
    beta = _fit_logistic(features, y, q.check_deadline)
    labels = [pr.label for pr in p.predictors]
    odds = [math.exp(b) for b in beta[1:]]
    rows = [["(intercept)", float(beta[0]), None]] + [
        [label, float(b), o] for label, b, o in zip(labels, beta[1:], odds, strict=True)
    ]
    if p.output == "probability":
        at = dict(p.at)
        # The plan has a value for each predictor, by its label or its column.
        point = [at[pr.label] if pr.label in at else at[pr.column] for pr in p.predictors]
        for k, (pr, value) in enumerate(zip(p.predictors, point, strict=True)):
            low, high = float(features[k].min()), float(features[k].max())
            if pr.condition is None and not low <= value <= high:
                q.caveats.append(
                    f"{pr.column} = {value:g} is outside the data's range ({low:g} to"
                    f" {high:g}): the probability extrapolates"
                )
        # In Python floats: a product past the largest float is inf, not an error.
        z = float(beta[0]) + sum(float(b) * v for b, v in zip(beta[1:], point, strict=True))
        if math.isnan(z):  # inf - inf: predictors far out on both sides
            raise Unanswerable(f"the probability at these values {_OVERFLOW}")
        answer: Any = _logistic(z)
    elif len(odds) == 1:
        answer = odds[0]
    elif p.term is not None:  # one predictor's ratio, adjusted for the others
        answer = odds[term_of(p)]
    else:
        answer = dict(zip(labels, odds, strict=True))
    outcome_text = " and ".join(f.describe() for f in p.condition)
    q.caveats.append(
        f"logistic regression of ({outcome_text}) on {', '.join(labels)}, fitted in-sample"
        f" on {len(y)} complete rows ({int(y.sum())} with the outcome)"
    )
    return q.result(sql, ["term", "coefficient", "odds_ratio"], rows, answer)


def _fit_logistic(
    features: list[np.ndarray], y: np.ndarray, check_deadline: Callable[[], None]
) -> np.ndarray:
    """Maximum-likelihood logistic regression by Newton's method (IRLS).

    The design matrix is never made whole: each step sums the Hessian and gradient over
    blocks of :data:`FIT_BLOCK` rows, so a fit holds its columns and one block beside
    them, and the deadline is checked between blocks.
    """
    import numpy as np

    n, width = len(y), len(features) + 1
    beta = np.zeros(width)
    block = np.empty((min(n, FIT_BLOCK), width))
    block[:, 0] = 1.0
    for _ in range(100):
        hessian = np.zeros((width, width))
        gradient = np.zeros(width)
        for start in range(0, n, FIT_BLOCK):
            check_deadline()
            stop = min(start + FIT_BLOCK, n)
            x = block[: stop - start]
            for k, column in enumerate(features, start=1):
                x[:, k] = column[start:stop]
            z = np.clip(x @ beta, -30, 30)
            prob = 1.0 / (1.0 + np.exp(-z))
            w = prob * (1 - prob)
            hessian += x.T @ (x * w[:, None])
            gradient += x.T @ (y[start:stop] - prob)
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError as exc:
            raise Unanswerable("the predictors are collinear or constant: no unique fit") from exc
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    else:
        # Separated outcomes: the likelihood rises for ever along one direction, and each
        # Newton step keeps its size (at the clip, a step is a least-squares fit of ±1).
        raise Unanswerable("the fit does not converge (the outcome may be perfectly separated)")
    # Every fitted probability at its outcome: perfect prediction, no finite fit (the
    # test statsmodels makes). Never a bound on the coefficients themselves: an intercept
    # of -65 is what a fit on heights in centimetres has (a coefficient's size depends on
    # its predictor's unit).
    if _fits_perfectly(features, y, beta):
        raise Unanswerable("the fit does not converge (the outcome may be perfectly separated)")
    return beta


def _fits_perfectly(features: list[np.ndarray], y: np.ndarray, beta: np.ndarray) -> bool:
    import numpy as np

    for start in range(0, len(y), FIT_BLOCK):
        stop = min(start + FIT_BLOCK, len(y))
        z = np.full(stop - start, float(beta[0]))
        for k, column in enumerate(features, start=1):
            z += beta[k] * column[start:stop]
        prob = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        if np.max(np.abs(prob - y[start:stop])) > 1e-8:
            return False
    return True


def _logistic(z: float) -> float:
    """1 / (1 + e^-z) without overflow: exp only of a number <= 0 (z may be ±inf)."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
