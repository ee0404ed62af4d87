"""Disclosure control's promises as properties (issue 28, "How it is checked"), over
random tables, random plans and random k: the engine computes, disclosure control
withholds, and every check here is worked out again in plain Python from the rows.

- no published count lies in 1..k-1;
- every other published statistic has at least k rows behind it (per group);
- a published percentage has its numerator, denominator and their difference each 0
  or at least k;
- no withheld small cell of a grouped count or crosstab can be solved from the
  published cells and the totals one could ask for (a total is askable when the
  appliance would answer it) unless the totals alone already solve it, checked by the
  rank of the linear system;
- a value that is published is the exact one: control withholds, never changes.
"""

from __future__ import annotations

import copy
import csv
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from appliance.analytics import datasets, disclosure, engine, plan
from appliance.analytics.errors import PlanError, Unanswerable
from tests import sweeps

G = ["alpha", "beta", "gamma", "delta"]
H = ["yes_", "no_"]  # not yes/no: a category, not a boolean column

rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "g": st.sampled_from(G),
            "h": st.sampled_from(H),
            "x": st.one_of(st.none(), st.integers(0, 30)),
        }
    ),
    min_size=4,
    max_size=60,
)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    statistic = draw(st.sampled_from(["count", "crosstab", "mean", "sum", "percentage"]))
    p: dict[str, Any] = {"dataset": "t", "statistic": statistic}
    if draw(st.booleans()):
        p["filters"] = [{"column": "x", "op": ">=", "value": draw(st.integers(0, 10))}]
    if statistic == "crosstab":
        p["group_by"] = [{"column": "g"}, {"column": "h"}]
        return p
    if statistic in ("mean", "sum"):
        p["column"] = "x"
    if statistic == "percentage":
        p["condition"] = [{"column": "h", "op": "=", "value": "yes_"}]
    shape = draw(st.sampled_from(["single", "one", "two"]))
    if shape == "one":
        p["group_by"] = [{"column": "g"}]
    elif shape == "two":
        p["group_by"] = [{"column": "g"}, {"column": "h"}]
    return p


def _selected(p: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = rows
    for f in p.get("filters", []):
        out = [r for r in out if r["x"] is not None and r["x"] >= f["value"]]
    return out


def _behind(p: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(rows, rows with x, rows meeting the condition) of one group."""
    hits = sum(r["h"] == "yes_" for r in rows)
    return len(rows), sum(r["x"] is not None for r in rows), hits


def _check_value(
    p: dict[str, Any], rows: list[dict[str, Any]], got: Any, exact: Any, k: int
) -> None:
    if got is None:
        return
    assert got == exact  # never a different number
    n, valued, hits = _behind(p, rows)
    s = p["statistic"]
    if s in ("count", "crosstab"):
        assert not 0 < got < k, (got, k)
    elif s == "percentage":
        for part in (hits, n, n - hits):
            assert not 0 < part < k, (hits, n, k)
    else:
        assert valued >= k, (valued, k)


def _groups(p: dict[str, Any], rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[Any]]:
    cols = [g["column"] for g in p["group_by"]]
    out: dict[tuple[str, ...], list[Any]] = {}
    for r in rows:
        out.setdefault(tuple(r[c] for c in cols), []).append(r)
    return out


def _solvable(
    cells: dict[tuple[str, ...], int], hidden: set[tuple[str, ...]], k: int, everyone: int
) -> list:
    """Withheld cells fixed by the published cells and the askable totals: a total is
    askable when the appliance would answer it, i.e. it is 0 or at least k (a count)
    and leaves 0 or at least k of the dataset's ``everyone`` rows out (the complement
    rule)."""
    if not hidden:
        return []
    order = sorted(hidden)
    width = len(order[0])
    lines = [list(cells)]
    for axis in range(width if width == 2 else 0):
        for value in {c[axis] for c in cells}:
            lines.append([c for c in cells if c[axis] == value])
    equations = []
    for line in lines:
        total = sum(cells[c] for c in line)
        if (total == 0 or total >= k) and not 0 < everyone - total < k:
            equations.append([1.0 if c in line else 0.0 for c in order])
    if not equations:
        return []
    system = np.array(equations)
    rank = np.linalg.matrix_rank(system)
    fixed = []
    for i, c in enumerate(order):
        unit = np.zeros(len(order))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([system, unit])) == rank:
            fixed.append(c)
    return fixed


@pytest.mark.parametrize("part", sweeps.PARTS)
def test_controlled_answers_keep_their_promises(part: str) -> None:
    """150 random tables, plans and thresholds (tests/sweeps.py: 20 in the quick loop)."""
    sweeps.examples(
        part, promises_kept, 150, 20, rows=rows_strategy, p=plans(), k=st.integers(2, 15)
    )


def promises_kept(rows: list[dict[str, Any]], p: dict[str, Any], k: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "t.csv"
        with open(source, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["g", "h", "x"])
            for r in rows:
                writer.writerow([r["g"], r["h"], "" if r["x"] is None else r["x"]])
        ds = datasets.load_file(source, Path(tmp) / "derived", "t")
        try:
            checked = plan.from_json(p, ds.infos)
            result = engine.run(checked, ds)
        except (PlanError, Unanswerable):
            return  # a column without values, no rows to compute on: nothing published
        exact = copy.deepcopy(result.answer)
        controlled = disclosure.control(checked, ds, result, disclosure.Policy(k, False))
    selected = _selected(p, rows)
    answer = result.answer
    if not p.get("group_by"):
        _check_value(p, selected, answer, exact, k)
        assert (answer is None) == bool(controlled.suppressed) or exact is None
        return
    groups = _groups(p, selected)
    hidden = set()
    for key, members in groups.items():
        got = answer[key[0]] if len(key) == 1 else answer[key[0]][key[1]]
        want = exact[key[0]] if len(key) == 1 else exact[key[0]][key[1]]
        _check_value(p, members, got, want, k)
        if got is None and want is not None:
            hidden.add(key)
    paths = {s["path"] for s in controlled.suppressed}
    assert paths == {"/answer/" + "/".join(key) for key in hidden}
    if p["statistic"] in ("count", "crosstab"):
        cells = {key: len(members) for key, members in groups.items()}
        # A small cell must stay unknown; a complementary one holds k or more rows, so
        # working it out tells nothing the rules protect (unless it leads on to a small
        # one, which the rank of the whole system shows). What the totals alone give
        # away, asked one by one without this answer (three counts whose difference
        # is a fourth: the tracker attack docs/privacy.md names), is not this
        # answer's doing.
        everyone = len(rows)
        small = {c for c in _solvable(cells, hidden, k, everyone) if 0 < cells[c] < k}
        without = set(_solvable(cells, set(cells), k, everyone))
        assert small <= without, (cells, hidden, k)


def test_exact_for_rows_and_for_k_0() -> None:
    """The policy that controls nothing leaves the result as the engine made it."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "t.csv"
        source.write_text("g,x\nalpha,1\nalpha,2\nbeta,3\n")
        ds = datasets.load_file(source, Path(tmp) / "derived", "t")
        checked = plan.from_json(
            {"dataset": "t", "statistic": "count", "group_by": [{"column": "g"}]}, ds.infos
        )
        for policy in (disclosure.Policy(11, True), disclosure.Policy(0, False)):
            result = engine.run(checked, ds)
            controlled = disclosure.control(checked, ds, result, policy)
            assert (result.answer, controlled.suppressed) == ({"alpha": 2, "beta": 1}, [])
