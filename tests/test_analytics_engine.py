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
from hypothesis import strategies as st

from appliance.analytics import datasets, engine, plan, plan_terms, regression
from appliance.analytics.errors import PlanError, Unanswerable, ValueNotHeld
from tests import sweeps

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


FILTER_KINDS = ["g=", "gin", "x<", "x>=", "xbetween", "xnull", "ynotnull"]
STATISTICS = ["count", "count_distinct", "null_count", "percentage", *NUMERIC_STATS]


@st.composite
def filters(draw: st.DrawFn, first: str | None = None) -> list[dict[str, Any]]:
    """Up to two filters of random kinds; with ``first``, one or two, the first of that kind."""
    out = []
    for n in range(draw(st.integers(0 if first is None else 1, 2))):
        kind = first if n == 0 and first else draw(st.sampled_from(FILTER_KINDS))
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
def plans(
    draw: st.DrawFn, statistic: str | None = None, first_filter: str | None = None
) -> dict[str, Any]:
    """A random plan; with ``statistic`` or ``first_filter``, of that statistic or with a
    first filter of that kind."""
    statistic = statistic or draw(st.sampled_from(STATISTICS))
    p: dict[str, Any] = {
        "dataset": "t",
        "statistic": statistic,
        "filters": draw(filters(first_filter)),
    }
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


@pytest.mark.parametrize("part", sweeps.PARTS)
def test_engine_equals_a_plain_python_reference(part: str) -> None:
    """100 random tables and plans (tests/sweeps.py: 12 of them in the quick loop). Each
    example imports its table as an upload is imported (a second of CPU or more), so the
    full run's rest covers the shapes rather than drawing all 88: every statistic twice,
    each time with a first filter of the kinds in turn (each kind at least twice,
    a second filter and a grouping drawn at random), on random tables; ``pytest
    --whole-sweeps`` draws the 88."""
    if part == sweeps.REST and not sweeps.WHOLE:
        for i, statistic in enumerate(STATISTICS):
            first = FILTER_KINDS[i % len(FILTER_KINDS)]
            p = plans(statistic=statistic, first_filter=first)
            sweeps.examples(part, engine_equals_reference, 2, 0, rows=rows_strategy, p=p)
        return
    sweeps.examples(part, engine_equals_reference, 100, 12, rows=rows_strategy, p=plans())


def engine_equals_reference(rows: list[dict[str, Any]], p: dict) -> None:
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
            empty = any(c and all(r[c] is None for r in rows) for c in used)
            assert empty or yes_no or no_number_meets(p["filters"]), p
            return
        except ValueNotHeld as refused:
            # A filter on a value the column does not hold (docs/analytics.md): no row of
            # the file has it, in any case; the answer would have been about no rows.
            name, at = refused.field.split("]")[0].split("[")
            flt = p[name][int(at)]
            held = {str(r[flt["column"]]).lower() for r in rows if r[flt["column"]] is not None}
            wanted = flt.get("values", [flt.get("value")])
            assert any(str(v).lower() not in held for v in wanted), (p, held)
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


def no_number_meets(filters: list[dict[str, Any]]) -> bool:
    """Some column's ranges (``<``, ``>=``, ``between``) no number meets together, which a
    plan is refused for (docs/analytics.md). Their ends are whole numbers from -5 to 20,
    so a range they leave holds a whole number from -6 to 21 (its closed lower end, or
    below an upper one)."""
    ranges = [f for f in filters if f["op"] in ("<", ">=", "between")]
    return any(
        not any(
            all(matches({column: v}, f) for f in ranges if f["column"] == column)
            for v in range(-6, 22)
        )
        for column in {f["column"] for f in ranges}
    )


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


@pytest.mark.parametrize("part", sweeps.PARTS)
def test_any_question_is_answered_or_refused_never_crashes(
    admissions: datasets.Dataset, part: str
) -> None:
    """Word salad from the reader's own vocabulary: a refusal or an answer, nothing else
    (300 questions; tests/sweeps.py: 40 of them in the quick loop)."""
    from appliance.analytics import reader
    from appliance.analytics.errors import AnalyticsError

    def answered_or_refused(words: list[str]) -> None:
        question = " ".join(words)
        try:
            reading = reader.read(question, admissions)
            if reading.plan is None:
                return
            checked = plan.from_json(reading.plan.to_json(), admissions.infos)
            engine.run(checked, admissions)
        except AnalyticsError:
            pass

    words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=9)
    sweeps.examples(part, answered_or_refused, 300, 40, words=words)


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
    assert f"at most {plan_terms.MAX_PREDICTORS}" in refused.value.why
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
    x = rng.normal(size=3 * regression.FIT_BLOCK)
    y = (rng.random(len(x)) < 1 / (1 + np.exp(-x))).astype(float)
    checks = 0

    def deadline_after_two() -> None:
        nonlocal checks
        checks += 1
        if checks > 2:
            raise Unanswerable("the query took longer than the limit")

    with pytest.raises(Unanswerable):
        regression._fit_logistic([x], y, deadline_after_two)
    assert checks == 3  # the third block of the first Newton step was never summed


# -- whole numbers past 64 bits (issue 29) ----------------------------------------------

WIDE = [
    123456789012345678901234567890,
    -5,
    18446744073709551615,  # 2^64 - 1: past a signed 64-bit integer
    99999999999999999999999999999999999999,  # 38 digits
    9007199254740993,  # 2^53 + 1: a float would make it 2^53
    None,
]


def _wide_csv(path: Path, values: list[int | None], lead: int = 0) -> Path:
    """Column ``n`` of ``values`` after ``lead`` rows of small numbers, and a code ``g``."""
    lines = ["g,n"] + [f"a,{k % 7}" for k in range(lead)]
    lines += [f"{'b' if i % 2 else 'a'},{'' if v is None else v}" for i, v in enumerate(values)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _ask(ds: datasets.Dataset, **p: Any) -> Any:
    return engine.run(plan.from_json({"statistic": "count"} | p, ds.infos), ds).answer


@pytest.mark.parametrize("lead", [0, 30_000])  # 30,000: past the sniffer's first rows
def test_whole_numbers_past_64_bits_are_kept_exactly(tmp_path: Path, lead: int) -> None:
    """DuckDB reads them as HUGEINT, which Parquet would store as doubles: 2^53 + 1 became
    2^53 and 30 digits kept 17. Every number answered from them is exact, or refused."""
    ds = datasets.load_file(_wide_csv(tmp_path / "w.csv", WIDE, lead), tmp_path / "d", "w")
    assert ds.error is None
    col = ds.column("n")
    assert col is not None and col.type == "integer"
    small = [k % 7 for k in range(lead)]
    present = small + [v for v in WIDE if v is not None]
    assert (col.min, col.max) == (min(present), max(present))
    assert _ask(ds, statistic="min", column="n") == min(present)
    assert _ask(ds, statistic="max", column="n") == max(present)
    # The 38-digit value would overflow a sum: refused, never rounded; without it, exact.
    with pytest.raises(Unanswerable, match="past the largest number"):
        _ask(ds, statistic="sum", column="n")
    below = [{"column": "n", "op": "<", "value": 2**63 - 1}]
    assert _ask(ds, statistic="sum", column="n", filters=below) == sum(
        v for v in present if v < 2**63 - 1
    )
    for p, want in (
        ({"filters": [{"column": "n", "op": "=", "value": 2**53}]}, 0),
        ({"filters": [{"column": "n", "op": "=", "value": 2**53 + 1}]}, 1),
        ({"filters": [{"column": "n", "op": ">", "value": 2**53}]}, 4),
        ({"filters": [{"column": "n", "op": "<", "value": 2.5}]}, sum(v < 2.5 for v in present)),
        ({"filters": [{"column": "n", "op": "is_null"}]}, 1),
        ({"statistic": "count_distinct", "column": "n"}, len(set(present))),
        ({"statistic": "top", "column": "n", "limit": 2}, [lead + 4, lead + 1]),
    ):
        assert _ask(ds, **p) == want, p
    groups = _ask(ds, statistic="max", column="n", group_by=["g"])
    want_a = max([v for i, v in enumerate(WIDE) if i % 2 == 0 and v is not None] + small)
    want_b = max(v for i, v in enumerate(WIDE) if i % 2 and v is not None)
    assert groups == {"a": want_a, "b": want_b}
    by_value = _ask(ds, group_by=["n"], filters=[{"column": "g", "op": "=", "value": "b"}])
    want = {"(empty)" if v is None else str(v) for v in WIDE[1::2]}
    assert by_value == dict.fromkeys(want, 1)
    # A float past 2^53 stands for many whole numbers; float statistics round: refused.
    with pytest.raises(Unanswerable, match="past 2\\^53"):
        _ask(ds, filters=[{"column": "n", "op": "=", "value": 1e29}])
    for p in (
        {"statistic": "mean", "column": "n"},
        {"statistic": "median", "column": "n"},
        {"statistic": "percentile", "column": "n", "percentile": 90},
        {"statistic": "stddev", "column": "n"},
        {"statistic": "mean", "column": "n", "group_by": ["g"]},
        {"statistic": "correlation", "column": "n", "x": "n"},
        {"statistic": "linear_regression", "column": "n", "x": "n"},
        {
            "statistic": "difference",
            "of": "mean",
            "column": "n",
            "groups": [
                [{"column": "g", "op": "=", "value": "a"}],
                [{"column": "g", "op": "=", "value": "b"}],
            ],
        },
    ):
        with pytest.raises(Unanswerable, match="past 64 bits"):
            _ask(ds, **p)


def test_a_sum_past_2_53_is_exact_and_says_so(tmp_path: Path) -> None:
    values = [2**64 + 1, 2**64 + 2, 7]
    ds = datasets.load_file(_wide_csv(tmp_path / "w.csv", values), tmp_path / "d", "w")
    result = engine.run(plan.from_json({"statistic": "sum", "column": "n"}, ds.infos), ds)
    assert result.answer == sum(values) and isinstance(result.answer, int)
    assert any("past 2^53" in c for c in result.caveats)
    spread = plan.from_json(
        {
            "statistic": "difference",
            "of": "max",
            "column": "n",
            "groups": [
                [{"column": "g", "op": "=", "value": "b"}],
                [{"column": "g", "op": "=", "value": "a"}],
            ],
        },
        ds.infos,
    )
    assert engine.run(spread, ds).answer == (2**64 + 2) - (2**64 + 1)


def test_numbers_past_38_digits_are_kept_as_text(tmp_path: Path) -> None:
    """Past DECIMAL(38,0) (and past 128 bits, where DuckDB has BIGNUM) a number is a code:
    kept as written, as text, never as a rounded double."""
    codes = [10**40 + k for k in range(60)] + [-(2**127) - 1]
    ds = datasets.load_file(_wide_csv(tmp_path / "c.csv", codes), tmp_path / "d", "c")
    col = ds.column("n")
    assert col is not None and col.type in ("identifier", "text") and col.storage == "VARCHAR"
    wanted = str(10**40 + 3)
    assert _ask(ds, filters=[{"column": "n", "op": "=", "value": wanted}]) == 1
    listed = _ask(ds, statistic="list", filters=[{"column": "n", "op": "=", "value": wanted}])
    assert col.type == "identifier" and listed == [wanted]  # every digit, as written
    with pytest.raises(PlanError):
        _ask(ds, statistic="mean", column="n")


def test_whole_numbers_a_float_column_would_round_are_kept_as_text(tmp_path: Path) -> None:
    """Fractions make the column a float column; a whole number past 2^53 in it would be
    rounded (30 digits kept 17). Such a column is kept as written, as text; whole numbers a
    double holds exactly, and numbers written as floats (1e300), leave it a number."""
    late = "v\n" + "1.5\n" * 30_000 + "123456789012345678901234567890\n"
    ds = datasets.load_file(_write(tmp_path / "m.csv", late), tmp_path / "d", "m")
    col = ds.column("v")
    assert col is not None and col.storage == "VARCHAR" and col.type == "category"
    assert {v["value"] for v in col.values} == {"1.5", "123456789012345678901234567890"}
    with pytest.raises(PlanError):
        _ask(ds, statistic="max", column="v")
    exact = "v\n0.5\n9007199254740994\n1e300\n-1e300\n"  # 2^53 + 2 is a double
    ds = datasets.load_file(_write(tmp_path / "e.csv", exact), tmp_path / "d", "e")
    col = ds.column("v")
    assert col is not None and col.type == "number" and col.max == 1e300
    assert (
        _ask(ds, statistic="count", filters=[{"column": "v", "op": "=", "value": 2**53 + 2}]) == 1
    )


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_float_past_2_53_is_not_compared_with_whole_numbers(tmp_path: Path) -> None:
    """DuckDB compares BIGINT with a float as two floats: ``= 1e18`` matched 10^18 + 1.
    A whole float below 2^53 is that number; a larger one is refused."""
    ds = datasets.load_file(
        _write(tmp_path / "b.csv", f"n\n{10**18 + 1}\n3\n"), tmp_path / "d", "b"
    )
    assert _ask(ds, filters=[{"column": "n", "op": "=", "value": 10**18}]) == 0
    assert _ask(ds, filters=[{"column": "n", "op": ">", "value": 10**18}]) == 1
    assert _ask(ds, filters=[{"column": "n", "op": "=", "value": 3.0}]) == 1
    assert _ask(ds, filters=[{"column": "n", "op": "<", "value": 3.5}]) == 1
    for op in ("=", "<=", "<"):
        with pytest.raises(Unanswerable, match="past 2\\^53"):
            _ask(ds, filters=[{"column": "n", "op": op, "value": 1e18}])
