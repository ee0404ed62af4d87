"""The engine against a reference in plain Python: random small tables, random plans.

Each example writes a CSV, reads it in as a dataset exactly as an upload would be, runs
a random checked plan through DuckDB, and compares with the same statistic computed
here over the CSV's rows by hand. Nothing of the engine is used for the reference.
"""

from __future__ import annotations

import csv
import math
import statistics
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.analytics import datasets, engine, plan
from appliance.analytics.errors import PlanError, Unanswerable

CATEGORIES = ["alpha", "beta", "gamma"]
NUMERIC_STATS = ["sum", "mean", "median", "min", "max", "stddev", "percentile"]

rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "g": st.one_of(st.none(), st.sampled_from(CATEGORIES)),
            "x": st.one_of(st.none(), st.integers(-5, 20)),
            "y": st.one_of(
                st.none(), st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 2))
            ),
        }
    ),
    min_size=3,
    max_size=40,
)


@st.composite
def filters(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["g=", "gin", "x<", "x>=", "xbetween", "xnull", "ynotnull"]))
        if kind == "g=":
            out.append({"column": "g", "op": "=", "value": draw(st.sampled_from(CATEGORIES))})
        elif kind == "gin":
            values = draw(
                st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True)
            )
            out.append({"column": "g", "op": "in", "values": values})
        elif kind == "x<":
            out.append({"column": "x", "op": "<", "value": draw(st.integers(-5, 20))})
        elif kind == "x>=":
            out.append({"column": "x", "op": ">=", "value": draw(st.integers(-5, 20))})
        elif kind == "xbetween":
            a, b = sorted(draw(st.lists(st.integers(-5, 20), min_size=2, max_size=2)))
            out.append({"column": "x", "op": "between", "values": [a, b]})
        elif kind == "xnull":
            out.append({"column": "x", "op": "is_null"})
        else:
            out.append({"column": "y", "op": "not_null"})
    return out


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    statistic = draw(
        st.sampled_from(["count", "count_distinct", "null_count", "percentage", *NUMERIC_STATS])
    )
    p: dict[str, Any] = {"dataset": "t", "statistic": statistic, "filters": draw(filters())}
    if statistic in NUMERIC_STATS:
        p["column"] = draw(st.sampled_from(["x", "y"]))
    if statistic in ("count_distinct", "null_count"):
        p["column"] = draw(st.sampled_from(["g", "x", "y"]))
    if statistic == "percentile":
        p["percentile"] = draw(st.sampled_from([10, 25, 50, 90]))
    if statistic == "percentage":
        p["condition"] = [{"column": "x", "op": ">", "value": draw(st.integers(-5, 20))}]
    if draw(st.booleans()):
        p["group_by"] = [{"column": "g"}]
    return p


def matches(row: dict[str, Any], f: dict[str, Any]) -> bool:
    v = row[f["column"]]
    op = f["op"]
    if op == "is_null":
        return v is None
    if op == "not_null":
        return v is not None
    if v is None:
        return False
    if op == "=":
        return v == f["value"]
    if op == "in":
        return v in f["values"]
    if op == "<":
        return v < f["value"]
    if op == ">":
        return v > f["value"]
    if op == ">=":
        return v >= f["value"]
    return f["values"][0] <= v <= f["values"][1]


def quantile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (R's type 7, numpy's default)."""
    s = sorted(values)
    h = (len(s) - 1) * q
    lo = math.floor(h)
    return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])


def reference(p: dict[str, Any], rows: list[dict[str, Any]]) -> Any:
    s = p["statistic"]
    if s == "count":
        return len(rows)
    if s == "count_distinct":
        return len({r[p["column"]] for r in rows if r[p["column"]] is not None})
    if s == "null_count":
        return sum(1 for r in rows if r[p["column"]] is None)
    if s == "percentage":
        known = [r for r in rows if r["x"] is not None]
        hits = [r for r in known if matches(r, p["condition"][0])]
        return 100.0 * len(hits) / len(known) if known else None
    values = [r[p["column"]] for r in rows if r[p["column"]] is not None]
    if not values or (s == "stddev" and len(values) < 2):
        return None
    return {
        "sum": lambda: sum(values),
        "mean": lambda: sum(values) / len(values),
        "median": lambda: quantile(values, 0.5),
        "min": lambda: min(values),
        "max": lambda: max(values),
        "stddev": lambda: statistics.stdev(values),
        "percentile": lambda: quantile(values, p.get("percentile", 0) / 100),
    }[s]()


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.long
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, p=plans())
def test_engine_equals_a_plain_python_reference(rows: list[dict[str, Any]], p: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "t.csv"
        with open(source, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["g", "x", "y"])
            # A float column must look like one to the sniffer: write y with a decimal point.
            for r in rows:
                writer.writerow(
                    [
                        r["g"] or "",
                        "" if r["x"] is None else r["x"],
                        "" if r["y"] is None else f"{r['y']:.2f}",
                    ]
                )
        ds = datasets.load_file(source, Path(tmp) / "derived", "t")
        try:
            checked = plan.from_json(p, ds.infos)
        except PlanError:
            # Only a column with no value at all has no numeric type to check against,
            # and one whose values are exactly 0 and 1 is a yes/no column
            # (docs/analytics.md), which an order (<, >=, between) does not apply to.
            used = {p.get("column"), *(f["column"] for f in p["filters"] + p.get("condition", []))}
            yes_no = "x" in used and {r["x"] for r in rows if r["x"] is not None} == {0, 1}
            assert any(c and all(r[c] is None for r in rows) for c in used) or yes_no, p
            return
        selected = [r for r in rows if all(matches(r, f) for f in p["filters"])]
        try:
            got = engine.run(checked, ds).answer
        except Unanswerable:
            got = None
        if p.get("group_by"):
            keys = sorted({r["g"] for r in selected if r["g"] is not None})
            want = {k: reference(p, [r for r in selected if r["g"] == k]) for k in keys}
            if any(r["g"] is None for r in selected):
                want["(empty)"] = reference(p, [r for r in selected if r["g"] is None])
            if not selected:
                assert got in (None, {})
                return
            assert set(got) == set(want)
            for k in want:
                assert same(got[k], want[k]), (k, got, want)
        else:
            assert same(got, reference(p, selected)), (got, reference(p, selected))


ADMISSIONS = Path(__file__).parent / "data" / "analytics" / "admissions.csv"
WORDS = (
    "how many average mean median top bottom 3 -5 0 2024-03-01 march 2024 by per and or not"
    " no between over under older than at least percent of patients women men smokers died"
    " survived age bmi diagnosis heart failure copd sepsis ward cardiology sex f m"
    " length of stay los sbp correlation slope odds ratio probability predicted for which"
    " list missing the in with who were first highest lowest 90th percentile quartile"
    " difference vs than heavier younger crosstab month 'x' delete"
    " treated admitted born those them same their in weeks months years kg lb qqq0 qqq1x"
).split()


@pytest.fixture(scope="module")
def admissions(tmp_path_factory: pytest.TempPathFactory) -> datasets.Dataset:
    """Imported once for the module (hypothesis runs its examples within one test), in
    pytest's own temporary directory, which it removes."""
    return datasets.load_file(ADMISSIONS, tmp_path_factory.mktemp("admissions"), "admissions")


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=9))
def test_any_question_is_answered_or_refused_never_crashes(
    admissions: datasets.Dataset, words: list[str]
) -> None:
    """Word salad from the reader's own vocabulary: a refusal or an answer, nothing else."""
    from appliance.analytics import reader
    from appliance.analytics.errors import AnalyticsError

    ds = admissions
    question = " ".join(words)
    try:
        reading = reader.read(question, ds)
        if reading.plan is None:
            return
        checked = plan.from_json(reading.plan.to_json(), ds.infos)
        engine.run(checked, ds)
    except AnalyticsError:
        pass


def test_words_that_change_an_answer_are_never_filler() -> None:
    from appliance.analytics import lexicon

    assert not (lexicon.FILLER & lexicon.NEVER_FILLER)
    assert not (lexicon.FILLER & lexicon.NEGATIONS)


def test_no_path_is_read_as_a_pattern(tmp_path: Path) -> None:
    """DuckDB expands * ? [ in the paths it reads: "[x].csv" would read x.csv, a folder
    "d[1]" would read d1's files. Each file reads only itself."""
    for name, rows in (("x.csv", 1), ("[x].csv", 2), ("y*.csv", 3), ("yz.csv", 4)):
        (tmp_path / name).write_text("n\n" + "".join(f"{rows}\n" for _ in range(rows)))
    decoy = datasets.load_file(tmp_path / "x.csv", tmp_path / "d1", "t")
    assert decoy.row_count == 1
    for name, rows in (("[x].csv", 2), ("y*.csv", 3)):
        ds = datasets.load_file(tmp_path / name, tmp_path / "d[1]", "t")
        assert ds.row_count == rows and ds.error is None
        count = plan.from_json({"statistic": "count"}, ds.infos)
        assert engine.run(count, ds).answer == rows
        total = plan.from_json({"statistic": "sum", "column": "n"}, ds.infos)
        assert engine.run(total, ds).answer == rows * rows


LOGISTIC = {
    "statistic": "logistic_regression",
    "condition": [{"column": "died", "op": "=", "value": 1}],
    "predictors": ["age", "bmi", {"column": "sex", "op": "=", "value": "F"}],
}


def test_a_fit_has_bounded_inputs(admissions: datasets.Dataset) -> None:
    """Too many or repeated predictors are refused before a row is read."""
    twelve = ["age", "length_of_stay", "systolic_bp", "bmi"] * 3
    with pytest.raises(PlanError) as refused:
        plan.from_json(LOGISTIC | {"predictors": twelve * 3}, admissions.infos)  # 36
    assert refused.value.field == "predictors"
    assert f"at most {plan.MAX_PREDICTORS}" in refused.value.why
    female = {"column": "sex", "op": "=", "value": "F"}
    for twice in (["age", {"column": "age"}], [female, "age", dict(female)]):
        with pytest.raises(PlanError) as refused:
            plan.from_json(LOGISTIC | {"predictors": twice}, admissions.infos)
        assert refused.value.field == f"predictors[{len(twice) - 1}]"


def test_a_fit_keeps_to_its_memory_and_time(admissions: datasets.Dataset) -> None:
    checked = plan.from_json(LOGISTIC, admissions.infos)
    fitted = engine.run(checked, admissions)
    (used,) = [c for c in fitted.caveats if c.startswith("logistic regression")]
    rows = int(used.split(" on ")[-1].split()[0])  # "fitted in-sample on 372 complete rows"
    need = rows * 4 * 8  # the outcome and three predictors, 8 bytes each
    assert engine.run(checked, admissions, fit_memory=need).answer == fitted.answer
    with pytest.raises(Unanswerable, match="one fit may hold"):
        engine.run(checked, admissions, fit_memory=need - 1)
    with pytest.raises(Unanswerable, match="took longer than"):
        engine.run(checked, admissions, time_limit=0)


def test_the_fit_checks_its_deadline_between_blocks() -> None:
    import numpy as np

    rng = np.random.default_rng(29)
    x = rng.normal(size=3 * engine.FIT_BLOCK)
    y = (rng.random(len(x)) < 1 / (1 + np.exp(-x))).astype(float)
    checks = 0

    def deadline_after_two() -> None:
        nonlocal checks
        checks += 1
        if checks > 2:
            raise Unanswerable("the query took longer than the limit")

    with pytest.raises(Unanswerable):
        engine._fit_logistic([x], y, deadline_after_two)
    assert checks == 3  # the third block of the first Newton step was never summed
