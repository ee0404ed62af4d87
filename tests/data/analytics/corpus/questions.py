"""How the corpus's questions are worded and answered: one intent, three written voices.

An intent is a statistic over one table (a count of women, a mean blood pressure per
ward, a slope, ...) whose expected answer is computed here with pandas or statsmodels.
It is asked three times, as three people would type it: a clinician in a hurry
(``pts``, ``avg``, ``w/``, ``>=``), an analyst in full sentences, and a manager in plain
words. The templates only know the phrases a table's spec gives them (what the columns,
the groups of rows and the outcomes are called in each voice), never the reader's
grammar. Each slot has a few wordings, picked by a random generator seeded with the
table's name, so two tables never read alike.

Expected answers follow docs/analytics.md: empty values are skipped, a percentage's
population is the rows passing the filters whose condition columns are not empty, a
difference is the first group minus the second, a group with an empty key is
``"(empty)"``, rankings are labelled by the identifier column (else the row's position
in the file, from 1) with ties in file order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

VOICES = ("clinician", "analyst", "manager")


@dataclass(frozen=True)
class P:
    """One phrase in the three voices."""

    c: str
    a: str
    m: str

    def v(self, voice: str) -> str:
        return {"clinician": self.c, "analyst": self.a, "manager": self.m}[voice]


@dataclass(frozen=True)
class Measure:
    col: str
    name: P


@dataclass(frozen=True)
class Subset:
    """Rows meeting a condition (False where a value it uses is empty)."""

    mask: pd.Series
    name: P  # a noun phrase: "female pts", "women aged 70 or older"
    cols: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """A yes/no property of a row, for percentages and logistic fits."""

    mask: pd.Series
    known: pd.Series
    clause: P  # "who died" / "died" / "died"
    noun: P  # "death"


@dataclass(frozen=True)
class Group:
    col: str
    name: P  # singular: "sex", "age group"
    plural: P  # "sexes", "age groups"
    labels: tuple[
        tuple[str, str], ...
    ] = ()  # the dictionary's value labels: answers name groups by them


@dataclass
class Table:
    name: str
    df: pd.DataFrame
    fold: str
    rows: P
    label: str | None = None  # identifier column; None: row positions
    items: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"corpus:{self.name}")
        self.all = Subset(pd.Series(True, index=self.df.index), self.rows, ())

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    def add(self, kind: str, texts: dict[str, str], expected: Any, **extra: Any) -> None:
        n = len({item["intent"] for item in self.items}) + 1
        for voice in VOICES:
            self.items.append(
                {
                    "id": f"{self.name}-{n:03d}-{voice[0]}",
                    "intent": n,
                    "dataset": self.name,
                    "fold": self.fold,
                    "kind": kind,
                    "voice": voice,
                    "question": texts[voice],
                    "expected": plain(expected),
                }
                | extra
            )


def plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating | float):
        f = float(v)
        if math.isnan(f) or math.isinf(f):
            raise ValueError("not a number")
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    return v


# -- computations (pandas, statsmodels) ------------------------------------------------------


def key(k: Any) -> str:
    if isinstance(k, float | np.floating) and float(k).is_integer():
        return str(int(k))
    if isinstance(k, bool | np.bool_):
        raise ValueError("boolean group keys are not specified")
    return str(k)


def grouped(
    df: pd.DataFrame,
    by: str,
    fn: Callable[[pd.DataFrame], Any],
    labels: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    named = dict(labels)
    out = {
        named.get(key(k), key(k)): fn(part) for k, part in df.groupby(by, dropna=True, sort=True)
    }
    if df[by].isna().any():
        out["(empty)"] = fn(df[df[by].isna()])
    return out


def pct(mask: pd.Series, population: pd.Series) -> float:
    n = int(population.sum())
    if n == 0:
        raise ValueError("empty population")
    return float(100.0 * (mask & population).sum() / n)


def stat(name: str, s: pd.Series, q: float | None = None) -> float:
    s = s.dropna().astype(float)
    if len(s) == 0 or (name == "stddev" and len(s) < 2):
        raise ValueError("nothing to compute")
    if name == "mean":
        return float(s.mean())
    if name == "median":
        return float(s.median())
    if name == "min":
        return float(s.min())
    if name == "max":
        return float(s.max())
    if name == "sum":
        return float(s.sum())
    if name == "stddev":
        return float(s.std())
    if name == "percentile":
        assert q is not None
        return float(s.quantile(q / 100))
    raise KeyError(name)


def ranked(df: pd.DataFrame, col: str, n: int, label: str | None, desc: bool) -> list[Any]:
    d = df[df[col].notna()].copy()
    d["_label"] = d[label] if label else [int(i) + 1 for i in d.index]
    d["_pos"] = range(len(d))
    d = d.sort_values([col, "_pos"], ascending=[not desc, True], kind="stable")
    return [plain(v) for v in d["_label"].head(n)]


def spearman(a: pd.Series, b: pd.Series) -> float:
    both = pd.concat([a, b], axis=1).dropna().astype(float)
    return float(both.iloc[:, 0].corr(both.iloc[:, 1], method="spearman"))


def pearson(a: pd.Series, b: pd.Series) -> float:
    both = pd.concat([a, b], axis=1).dropna().astype(float)
    return float(both.iloc[:, 0].corr(both.iloc[:, 1]))


def line(df: pd.DataFrame, y: str, x: str) -> tuple[float, float, float]:
    d = df[[y, x]].dropna().astype(float)
    fit = sm.OLS(d[y], sm.add_constant(d[x])).fit()
    return float(fit.params[x]), float(fit.params["const"]), float(fit.rsquared)


def logit(outcome: pd.Series, predictor: pd.Series) -> Any:
    d = pd.concat([outcome.rename("y"), predictor.rename("x")], axis=1).dropna().astype(float)
    fit = sm.Logit(d["y"], sm.add_constant(d[["x"]])).fit(disp=0, maxiter=100)
    if not fit.mle_retvals["converged"]:
        raise ValueError("no convergence")
    return fit


# -- the wordings ----------------------------------------------------------------------------

NUM = {2: "two", 3: "three", 4: "four", 5: "five", 10: "ten"}
ORD = {5: "5th", 10: "10th", 25: "25th", 75: "75th", 80: "80th", 90: "90th", 95: "95th"}


def _in(t: Table, s: Subset, voice: str) -> str:
    """' in female pts' / '' for all rows."""
    if not s.cols:
        return ""
    word = {
        "clinician": ["in", "for", "among"],
        "analyst": ["for", "among"],
        "manager": ["for", "among"],
    }[voice]
    return f" {t.pick(word)} {s.name.v(voice)}"


def ask_count(t: Table, s: Subset) -> None:
    n = int(s.mask.sum())
    c, a, m = s.name.c, s.name.a, s.name.m
    texts = {
        "clinician": t.pick([f"no. of {c}", f"how many {c}", f"# {c}?", f"n {c}"]),
        "analyst": t.pick(
            [
                f"How many {a} are there?",
                f"What is the number of {a}?",
                f"How many {a} are in the data?",
            ]
        ),
        "manager": t.pick(
            [
                f"how many {m} do we have",
                f"how many {m} are there",
                f"can you tell me how many {m} there are",
            ]
        ),
    }
    if not s.cols:
        texts = {
            "clinician": t.pick([f"total no. of {c}", f"how many {c} total", f"n {c}?"]),
            "analyst": t.pick(
                [f"How many {a} are in the dataset?", f"What is the total number of {a}?"]
            ),
            "manager": t.pick(
                [f"how many {m} are there in total", f"how many {m} do we have altogether"]
            ),
        }
    t.add("count", texts, n)


STAT_WORDS = {
    "mean": (["avg", "mean", "average"], ["average", "mean"], ["average"]),
    "median": (["median", "med"], ["median"], ["median"]),
    "min": (["min", "lowest", "minimum"], ["minimum", "lowest"], ["lowest", "smallest"]),
    "max": (["max", "highest", "maximum"], ["maximum", "highest"], ["highest", "largest"]),
    "sum": (["total", "sum of"], ["sum of the", "total"], ["total", "combined"]),
    "stddev": (
        ["sd", "std dev", "SD of"],
        ["standard deviation of the", "sample standard deviation of the"],
        ["standard deviation of the"],
    ),
}


def ask_stat(t: Table, name: str, m: Measure, s: Subset, q: float | None = None) -> None:
    value = stat(name, s_series(t, m, s), q)
    if name == "percentile":
        assert q is not None
        o = ORD[int(q)]
        quart = {25: ("first quartile", "lower quartile"), 75: ("third quartile", "upper quartile")}
        texts = {
            "clinician": t.pick(
                [f"{o} pctile {m.name.c}", f"{o} percentile {m.name.c}", f"p{int(q)} {m.name.c}"]
            )
            + _in(t, s, "clinician"),
            "analyst": f"What is the {o} percentile of {m.name.a}{_in(t, s, 'analyst')}?",
            "manager": (
                f"what is the {t.pick(list(quart[int(q)]))} of {m.name.m}{_in(t, s, 'manager')}"
                if int(q) in quart
                else f"what {m.name.m} value are {int(q)}% of {s.name.m if s.cols else t.rows.m} at or below"
            ),
        }
        t.add("percentile", texts, value)
        return
    wc, wa, wm = STAT_WORDS[name]
    c = f"{t.pick(wc)} {m.name.c}{_in(t, s, 'clinician')}"
    a = t.pick(
        [
            f"What is the {t.pick(wa)} {m.name.a}{_in(t, s, 'analyst')}?",
            f"Please give the {t.pick(wa)} {m.name.a}{_in(t, s, 'analyst')}.",
        ]
    )
    if name == "mean":
        mm = t.pick(
            [
                f"what's the average {m.name.m}{_in(t, s, 'manager')}",
                f"on average, what is the {m.name.m}{_in(t, s, 'manager')}",
            ]
        )
    elif name == "sum":
        mm = f"if we add up the {m.name.m}{_in(t, s, 'manager')}, what is the {t.pick(wm)}"
    else:
        mm = f"what is the {t.pick(wm)} {m.name.m}{_in(t, s, 'manager')}"
    t.add(name, {"clinician": c, "analyst": a, "manager": mm}, value)


def s_series(t: Table, m: Measure, s: Subset) -> pd.Series:
    return t.df.loc[s.mask, m.col]


def ask_pct(t: Table, o: Outcome, s: Subset) -> None:
    value = pct(o.mask, s.mask & o.known)
    if s.cols:
        texts = {
            "clinician": t.pick([f"% of {s.name.c} {o.clause.c}", f"% {s.name.c} {o.clause.c}?"]),
            "analyst": t.pick(
                [
                    f"What percentage of {s.name.a} {o.clause.a}?",
                    f"Among {s.name.a}, what percentage {o.clause.a}?",
                ]
            ),
            "manager": t.pick(
                [
                    f"what share of {s.name.m} {o.clause.m}",
                    f"out of {s.name.m}, what percent {o.clause.m}",
                ]
            ),
        }
    else:
        texts = {
            "clinician": t.pick([f"% of {t.rows.c} {o.clause.c}", f"% {o.clause.c}"]),
            "analyst": f"What percentage of {t.rows.a} {o.clause.a}?",
            "manager": t.pick(
                [
                    f"what share of our {t.rows.m} {o.clause.m}",
                    f"what percent of {t.rows.m} {o.clause.m}",
                ]
            ),
        }
    t.add("percentage", texts, value)


def ask_grouped(t: Table, name: str, m: Measure | None, g: Group, s: Subset | None = None) -> None:
    s = s or t.all
    df = t.df[s.mask]
    if name == "count":
        value = grouped(df, g.col, len, g.labels)
        texts = {
            "clinician": t.pick(
                [
                    f"no. of {s.name.c} by {g.name.c}",
                    f"{s.name.c} per {g.name.c}",
                    f"count {s.name.c} by {g.name.c}",
                ]
            ),
            "analyst": t.pick(
                [
                    f"How many {s.name.a} are there in each {g.name.a}?",
                    f"What is the number of {s.name.a} per {g.name.a}?",
                ]
            ),
            "manager": t.pick(
                [
                    f"how many {s.name.m} do we have for each {g.name.m}",
                    f"break down the number of {s.name.m} by {g.name.m}",
                ]
            ),
        }
    else:
        assert m is not None
        value = grouped(df, g.col, lambda d: stat(name, d[m.col]), g.labels)
        wc, wa, wm = STAT_WORDS[name]
        texts = {
            "clinician": f"{t.pick(wc)} {m.name.c}{_in(t, s, 'clinician')} by {g.name.c}",
            "analyst": t.pick(
                [
                    f"What is the {t.pick(wa)} {m.name.a}{_in(t, s, 'analyst')} for each {g.name.a}?",
                    f"Show the {t.pick(wa)} {m.name.a}{_in(t, s, 'analyst')}, broken down by {g.name.a}.",
                ]
            ),
            "manager": f"what is the {t.pick(wm)} {m.name.m}{_in(t, s, 'manager')} {t.pick(['for each', 'per'])} {g.name.m}",
        }
    t.add("grouped", texts, value)


def ask_grouped_pct(t: Table, o: Outcome, g: Group) -> None:
    value = grouped(
        t.df.assign(_o=o.mask, _k=o.known), g.col, lambda d: pct(d["_o"], d["_k"]), g.labels
    )
    texts = {
        "clinician": f"% {t.rows.c} {o.clause.c} by {g.name.c}",
        "analyst": f"What percentage of {t.rows.a} {o.clause.a}, broken down by {g.name.a}?",
        "manager": f"for each {g.name.m}, what share of {t.rows.m} {o.clause.m}",
    }
    t.add("grouped", texts, value)


def ask_which_group(t: Table, name: str, m: Measure, g: Group, highest: bool) -> None:
    if t.df[g.col].dtype.kind in "iuf":
        return  # whether a numeric group's name comes back as a number or a string is not specified
    values = grouped(t.df[t.df[g.col].notna()], g.col, lambda d: stat(name, d[m.col]), g.labels)
    best = sorted(values.items(), key=lambda kv: kv[1], reverse=highest)
    if len(best) < 2 or best[0][1] == best[1][1]:
        return
    hi = "highest" if highest else "lowest"
    wc, wa, _ = STAT_WORDS[name]
    texts = {
        "clinician": f"which {g.name.c} has the {hi} {t.pick(wc)} {m.name.c}",
        "analyst": f"Which {g.name.a} has the {hi} {t.pick(wa)} {m.name.a}?",
        "manager": f"which {g.name.m} has the {hi} {'average ' if name == 'mean' else name + ' '}{m.name.m}",
    }
    t.add("grouped", texts, [best[0][0]])


def ask_crosstab(t: Table, g1: Group, g2: Group) -> None:
    value = grouped(t.df, g1.col, lambda d: grouped(d, g2.col, len, g2.labels), g1.labels)
    texts = {
        "clinician": t.pick(
            [f"crosstab {g1.name.c} x {g2.name.c}", f"{g1.name.c} by {g2.name.c} crosstab"]
        ),
        "analyst": t.pick(
            [
                f"Cross-tabulate {g1.name.a} against {g2.name.a}.",
                f"Give me a cross tabulation of {g1.name.a} by {g2.name.a}.",
            ]
        ),
        "manager": f"how many {t.rows.m} are there for each combination of {g1.name.m} and {g2.name.m}",
    }
    t.add("crosstab", texts, value)


def ask_difference(t: Table, name: str, m: Measure | None, a: Subset, b: Subset) -> None:
    if name == "count":
        value = int(a.mask.sum() - b.mask.sum())
        texts = {
            "clinician": f"how many more {a.name.c} than {b.name.c}",
            "analyst": f"How many more {a.name.a} are there than {b.name.a}?",
            "manager": f"how many more {a.name.m} do we have than {b.name.m}",
        }
    else:
        assert m is not None
        value = stat(name, t.df.loc[a.mask, m.col]) - stat(name, t.df.loc[b.mask, m.col])
        wc, wa, wm = STAT_WORDS[name]
        texts = {
            "clinician": t.pick(
                [
                    f"diff in {t.pick(wc)} {m.name.c} {a.name.c} vs {b.name.c}",
                    f"{t.pick(wc)} {m.name.c} {a.name.c} vs {b.name.c} difference",
                ]
            ),
            "analyst": f"What is the difference in {t.pick(wa)} {m.name.a} between {a.name.a} and {b.name.a}?",
            "manager": f"how much higher is the {t.pick(wm)} {m.name.m} for {a.name.m} than for {b.name.m}",
        }
    t.add("difference", texts, value)


def ask_corr(t: Table, x: Measure, y: Measure, method: str = "pearson") -> None:
    if method == "spearman":
        value = spearman(t.df[x.col], t.df[y.col])
        texts = {
            "clinician": f"spearman corr {x.name.c} & {y.name.c}",
            "analyst": f"What is the Spearman rank correlation between {x.name.a} and {y.name.a}?",
            "manager": f"what is the rank correlation between {x.name.m} and {y.name.m}",
        }
    else:
        value = pearson(t.df[x.col], t.df[y.col])
        texts = {
            "clinician": t.pick(
                [f"corr {x.name.c} vs {y.name.c}", f"correlation {x.name.c} and {y.name.c}"]
            ),
            "analyst": f"What is the Pearson correlation coefficient between {x.name.a} and {y.name.a}?",
            "manager": f"how strongly is {x.name.m} correlated with {y.name.m}",
        }
    t.add("correlation", texts, value)


def ask_line(t: Table, y: Measure, x: Measure, output: str, at: float | None = None) -> None:
    slope, intercept, r2 = line(t.df, y.col, x.col)
    if output == "slope":
        value = slope
        texts = {
            "clinician": f"slope of {y.name.c} on {x.name.c}",
            "analyst": f"What is the slope of a linear regression of {y.name.a} on {x.name.a}?",
            "manager": f"how much does {y.name.m} change for each one-unit increase in {x.name.m}, from a straight-line fit",
        }
    elif output == "intercept":
        value = intercept
        texts = {
            "clinician": f"intercept of lin reg {y.name.c} on {x.name.c}",
            "analyst": f"What is the intercept of the linear regression of {y.name.a} on {x.name.a}?",
            "manager": f"in a straight-line fit of {y.name.m} against {x.name.m}, what is the intercept",
        }
    elif output == "r2":
        value = r2
        texts = {
            "clinician": f"r2 {y.name.c} on {x.name.c}",
            "analyst": f"What is the R-squared of the linear regression of {y.name.a} on {x.name.a}?",
            "manager": f"what is the r squared when we fit {y.name.m} against {x.name.m}",
        }
    else:
        assert at is not None
        value = intercept + slope * at
        v = f"{at:g}"
        texts = {
            "clinician": f"predicted {y.name.c} at {x.name.c} {v}",
            "analyst": f"Based on a linear regression of {y.name.a} on {x.name.a}, what is the predicted {y.name.a} when {x.name.a} is {v}?",
            "manager": f"what {y.name.m} would a linear regression predict when the {x.name.m} is {v}",
        }
    t.add("linear", texts, value)


def ask_logit(t: Table, o: Outcome, x: Measure | Subset, at: float | None = None) -> None:
    outcome = o.mask.astype(float).where(o.known)
    if isinstance(x, Measure):
        fit = logit(outcome, t.df[x.col])
        if at is None:
            value = float(np.exp(fit.params["x"]))
            texts = {
                "clinician": f"OR of {o.noun.c} per unit {x.name.c}",
                "analyst": f"What is the odds ratio of {o.noun.a} per one-unit increase in {x.name.a}, from a logistic regression?",
                "manager": f"by what factor do the odds of {o.noun.m} change with each extra unit of {x.name.m} (the odds ratio)",
            }
        else:
            value = float(fit.predict(np.array([[1.0, at]]))[0])
            v = f"{at:g}"
            texts = {
                "clinician": f"prob of {o.noun.c} at {x.name.c} {v}",
                "analyst": f"From a logistic regression on {x.name.a}, what is the predicted probability of {o.noun.a} when {x.name.a} is {v}?",
                "manager": f"according to a logistic model, what is the chance of {o.noun.m} when the {x.name.m} is {v}",
            }
    else:
        fit = logit(outcome, x.mask.astype(float))
        value = float(np.exp(fit.params["x"]))
        texts = {
            "clinician": f"OR of {o.noun.c} for {x.name.c}",
            "analyst": f"What is the odds ratio of {o.noun.a} for {x.name.a}, from a logistic regression?",
            "manager": f"how much higher are the odds of {o.noun.m} for {x.name.m} (odds ratio)",
        }
    t.add("logistic", texts, value)


def ask_top(t: Table, m: Measure, n: int, desc: bool, s: Subset | None = None) -> None:
    s = s or t.all
    value = ranked(t.df[s.mask], m.col, n, t.label, desc)
    hi = "highest" if desc else "lowest"
    who = s.name
    texts = {
        "clinician": t.pick(
            [
                f"top {n} {who.c} by {m.name.c}" if desc else f"bottom {n} {who.c} by {m.name.c}",
                f"{n} {who.c} w/ {hi} {m.name.c}",
            ]
        ),
        "analyst": f"Which {n} {who.a} have the {hi} {m.name.a}?",
        "manager": f"show me the {NUM.get(n, str(n))} {who.m} with the {hi} {m.name.m}",
    }
    t.add("top", texts, value)


def ask_distinct(t: Table, g: Group) -> None:
    value = int(t.df[g.col].nunique())
    texts = {
        "clinician": t.pick([f"no. of distinct {g.plural.c}", f"how many unique {g.plural.c}"]),
        "analyst": f"How many distinct values of {g.name.a} are there?",
        "manager": f"how many different {g.plural.m} are there",
    }
    t.add("count_distinct", texts, value)


def ask_nulls(t: Table, m: Measure) -> None:
    value = int(t.df[m.col].isna().sum())
    texts = {
        "clinician": t.pick(
            [f"no. of {t.rows.c} w/ missing {m.name.c}", f"how many {t.rows.c} missing {m.name.c}"]
        ),
        "analyst": f"How many records have no value for {m.name.a}?",
        "manager": f"for how many {t.rows.m} is the {m.name.m} not recorded",
    }
    t.add("null_count", texts, value)


def follow_subset(t: Table, m: Measure, first: Subset, then: Subset) -> None:
    """'avg x in A' then 'and for B?': B replaces A's condition on the same column, else adds."""
    if first.cols and set(first.cols) & set(then.cols):
        mask = then.mask
    else:
        mask = first.mask & then.mask
    value = stat("mean", t.df.loc[mask, m.col])
    afters = {
        "clinician": f"avg {m.name.c}{_in(t, first, 'clinician')}",
        "analyst": f"What is the average {m.name.a}{_in(t, first, 'analyst')}?",
        "manager": f"what's the average {m.name.m}{_in(t, first, 'manager')}",
    }
    texts = {
        "clinician": t.pick([f"and {then.name.c}?", f"same for {then.name.c}"]),
        "analyst": f"And for {then.name.a}?",
        "manager": t.pick([f"what about {then.name.m}?", f"and just {then.name.m}?"]),
    }
    _follow(t, afters, texts, value)


def follow_stat(t: Table, m: Measure, g: Group) -> None:
    """'mean x by g' then 'what about the median?'."""
    value = grouped(t.df, g.col, lambda d: stat("median", d[m.col]), g.labels)
    afters = {
        "clinician": f"mean {m.name.c} by {g.name.c}",
        "analyst": f"What is the mean {m.name.a} for each {g.name.a}?",
        "manager": f"what is the average {m.name.m} for each {g.name.m}",
    }
    texts = {
        "clinician": t.pick(["median?", "and the median"]),
        "analyst": "What about the median?",
        "manager": t.pick(["and what about the median?", "can I see the median instead?"]),
    }
    _follow(t, afters, texts, value)


def follow_group(t: Table, m: Measure, g: Group) -> None:
    """'avg x' then 'now by g'."""
    value = grouped(t.df, g.col, lambda d: stat("mean", d[m.col]), g.labels)
    afters = {
        "clinician": f"avg {m.name.c}",
        "analyst": f"What is the average {m.name.a}?",
        "manager": f"what's the average {m.name.m}",
    }
    texts = {
        "clinician": f"now by {g.name.c}",
        "analyst": f"Now break that down by {g.name.a}.",
        "manager": f"now split that by {g.name.m}",
    }
    _follow(t, afters, texts, value)


def follow_only(t: Table, first: Subset, then: pd.Series, phrase: P) -> None:
    """'how many A' then 'only those B' (B on another column; phrase: 'over 70')."""
    value = int((first.mask & then).sum())
    afters = {
        "clinician": f"how many {first.name.c}",
        "analyst": f"How many {first.name.a} are there?",
        "manager": f"how many {first.name.m} do we have",
    }
    texts = {
        "clinician": f"only those {phrase.c}",
        "analyst": f"Only those {phrase.a}, please.",
        "manager": f"and of those, just the ones {phrase.m}",
    }
    _follow(t, afters, texts, value)


def _follow(t: Table, afters: dict[str, str], texts: dict[str, str], value: Any) -> None:
    n = len({item["intent"] for item in t.items}) + 1
    for voice in VOICES:
        t.items.append(
            {
                "id": f"{t.name}-{n:03d}-{voice[0]}",
                "intent": n,
                "dataset": t.name,
                "fold": t.fold,
                "kind": "follow_up",
                "voice": voice,
                "question": texts[voice],
                "after": afters[voice],
                "expected": plain(value),
            }
        )


def refuse(t: Table, why: str, texts: tuple[str, str, str]) -> None:
    n = len({item["intent"] for item in t.items}) + 1
    for voice, text in zip(VOICES, texts, strict=True):
        t.items.append(
            {
                "id": f"{t.name}-{n:03d}-{voice[0]}",
                "intent": n,
                "dataset": t.name,
                "fold": t.fold,
                "kind": "refuse",
                "voice": voice,
                "question": text,
                "expected": None,
                "refuse": True,
                "why": why,
            }
        )
