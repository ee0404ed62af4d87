"""A plan and its answer in words a person can check: ``summary`` and the sentence of
``interpretation_sentence``.

One place renders a plan as English, so the summary of an answer, the sentence that
says what was computed over which rows, the caveat that names a follow-up's base and
a refusal's suggestions all read the same. Columns are named as a person knows them:
the data dictionary's label, else the header as written in the file (``Serum sodium
(mmol/L)``, not ``serum_sodium_mmol_l``); coded values by their value label
(``Sex = female``). The numbers are rounded here only; ``answer`` keeps full precision.
"""

from __future__ import annotations

from typing import Any

from appliance.analytics import units
from appliance.analytics.datasets import Dataset
from appliance.analytics.plan import Filter, GroupBy, Plan, term_of
from appliance.analytics.plan_terms import SURVIVAL_STATISTICS
from appliance.analytics.plan_words import describe

_OPS = {
    "=": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
}
_COUNTS = ("count", "count_distinct", "null_count", "crosstab")
_NAMED = {
    "count_distinct": "number of distinct values of",
    "null_count": "number of empty values of",
    "sum": "sum of",
    "mean": "mean of",
    "median": "median of",
    "min": "minimum of",
    "max": "maximum of",
    "stddev": "standard deviation of",
    "iqr": "interquartile range of",
}


class Words:
    """How one dataset's columns and values are written for a person."""

    def __init__(self, ds: Dataset | None) -> None:
        self.ds = ds

    def column(self, name: str | None) -> str:
        """The dictionary's label, else the header as written, else the plan's name."""
        if name is None:
            return "?"
        if self.ds is None:
            return name
        label = self.ds.dictionary.get(name, {}).get("label")
        if isinstance(label, str) and label:
            return label
        col = self.ds.column(name)
        return col.source if col is not None and col.source else name

    def value(self, column: str, value: Any) -> str:
        """A value as the dictionary labels it (``female`` for the code 2), else as written."""
        labels: Any = {}
        if self.ds is not None:
            labels = self.ds.dictionary.get(column, {}).get("value_labels") or {}
        key = _plain(value)
        if isinstance(labels, dict):
            for code, label in labels.items():
                if str(code).strip().lower() == key.lower():
                    return str(label)
        return key

    def condition(self, f: Filter) -> str:
        """``Age (years) ≥ 55``, ``the year of Discharge date = 2019``, ``Sex = female``."""
        name = self.column(f.column)
        if f.part:
            name = f"the {f.part} of {name}"
        if f.op == "is_null":
            return f"{name} is empty"
        if f.op == "not_null":
            return f"{name} is not empty"
        shown = [self.value(f.column, v) for v in f.values]
        if f.op == "between":
            return f"{name} between {shown[0]} and {shown[1]} (inclusive)"
        if f.op == "not_between":
            return f"{name} below {shown[0]} or above {shown[1]}"
        if f.op == "in":
            return f"{name} is {_either(shown)}"
        if f.op == "contains":
            return f"{name} contains {shown[0]!r}"
        return f"{name} {_OPS.get(f.op, f.op)} {shown[0]}"

    def conditions(self, filters: tuple[Filter, ...]) -> str:
        return " and ".join(self.condition(f) for f in filters)

    def group(self, g: GroupBy) -> str:
        return f"{g.bin} of {self.column(g.column)}" if g.bin else self.column(g.column)

    def groups(self, p: Plan) -> str:
        return " and ".join(self.group(g) for g in p.group_by)

    # -- what a plan computes -----------------------------------------------------

    def statistic(self, p: Plan) -> str:
        """The number the plan gives, in words: "mean of Age (years)", "slope of …"; in
        the plan's unit where it has one ("sum of Follow-up (days) in years")."""
        s = p.statistic
        col = self.column(p.column)
        unit_words = f" in {units.name(p.unit)}" if p.unit else ""
        if s == "count":
            return "number of rows"
        if s in _NAMED:
            return f"{_NAMED[s]} {col}{unit_words}"
        if s == "percentile" and not isinstance(p.percentile, tuple):
            return f"{_ordinal(p.percentile or 0)} percentile of {col}{unit_words}"
        if s == "percentage":
            return f"percentage of rows where {self.conditions(p.condition)}"
        if s == "difference" and isinstance(p.percentile, tuple):
            high, low = (_ordinal(x) for x in p.percentile)
            return f"{high} percentile of {col}{unit_words} minus its {low} percentile"
        if s == "difference":
            of = p.of or "count"
            inner = self.statistic(p.with_(statistic=of, group_by=()))
            a, b = (self.conditions(g) for g in p.groups)
            return f"difference in the {inner}, rows where {a} minus rows where {b}"
        if s == "crosstab":
            return "counts of rows by " + self.groups(p)
        if s == "correlation":
            kind = "Spearman rank correlation" if p.method == "spearman" else "Pearson correlation"
            return f"{kind} (r) between {col} and {self.column(p.x)}"
        if s == "linear_regression":
            return self._line(p, unit_words)
        if s == "logistic_regression":
            return self._logistic(p)
        if s in ("top", "bottom"):
            end = "highest" if s == "top" else "lowest"
            return f"{self._label(p)} of the {p.limit} rows with the {end} {col}"
        if s == "list":
            return f"{self._label(p)} of each row"
        if s in SURVIVAL_STATISTICS:
            return describe(p) + unit_words
        return s.replace("_", " ")

    def _line(self, p: Plan, unit_words: str) -> str:
        y, x = self.column(p.column), self.column(p.x)
        line = f"the least-squares line of {y} on {x}"
        output = p.output or "slope"
        if output == "slope":
            return f"slope of {line} (change in {y}{unit_words} per 1 {x})"
        if output == "intercept":
            return f"intercept of {line} ({y}{unit_words} at {x} = 0)"
        if output == "r2":
            return f"R² of {line}"
        at = dict(p.at).get(p.x or "")
        return f"predicted {y}{unit_words} at {x} = {_plain(at)} ({line})"

    def _logistic(self, p: Plan) -> str:
        outcome = self.conditions(p.condition)
        names = [self.predictor(pr.column, pr.condition) for pr in p.predictors]
        fit = f"logistic regression of ({outcome}) on {_all(names)}"
        if p.output == "probability":
            at = dict(p.at)
            point = []
            for pr, name in zip(p.predictors, names, strict=True):
                value = at.get(pr.label, at.get(pr.column))
                point.append(f"{name} = {_plain(value)}")
            return f"predicted probability of ({outcome}) at {_all(point)} ({fit})"
        if len(names) == 1:
            return f"odds ratio of ({outcome}) for {names[0]} ({fit})"
        if p.term is not None:  # one predictor's ratio, the others adjusting for it
            k = term_of(p)
            others = _all([n for i, n in enumerate(names) if i != k])
            return f"odds ratio of ({outcome}) for {names[k]}, adjusted for {others} ({fit})"
        return f"odds ratios of ({outcome}) for each predictor ({fit})"

    def predictor(self, column: str, condition: Filter | None) -> str:
        return f"({self.condition(condition)})" if condition else self.column(column)

    def _label(self, p: Plan) -> str:
        named = p.label or self._default_label()
        return self.column(named) if named else "positions in the file"

    def _default_label(self) -> str | None:
        if self.ds is None:
            return None
        ids = [c for c in self.ds.columns if c.type == "identifier"]
        return ids[0].name if ids else None

    def rows(self, p: Plan) -> str:
        """ "rows of cohort where Sex = female": the rows the plan runs over."""
        where = f" where {self.conditions(p.filters)}" if p.filters else ""
        return f"rows of {p.dataset}{where}" if where else f"all rows of {p.dataset}"

    def sentence(self, p: Plan) -> str:
        """What is computed over which rows, without counts: a plan in plain English."""
        what = self.statistic(p)
        if p.group_by and p.statistic != "crosstab":
            if p.limit is not None and p.order:
                what = self.ranked(p, what)
            else:
                what = f"{what} by {self.groups(p)}"
        return f"{what} over {self.rows(p)}"

    def ranked(self, p: Plan, what: str) -> str:
        """ "celltype with the highest median of survival_days": a ranking of groups."""
        end = "highest" if p.order == "desc" else "lowest"
        if p.limit == 1:
            return f"{self.groups(p)} with the {end} {what}"
        return f"{p.limit} values of {self.groups(p)} with the {end} {what}"


def sentence(p: Plan, ds: Dataset | None) -> str:
    return Words(ds).sentence(p)


def interpretation(p: Plan, ds: Dataset, kept: int | str | None = None) -> str:
    """One sentence a clinician can check: what was computed, over which rows, how many.

    "mean of Age (years) over rows of cohort where Outcome = Dead: 5,000 rows, 1,200
    kept". ``kept`` is the number of rows meeting the plan's filters, or its words where
    disclosure control withholds it (None before the plan has run: the SSE ``plan``
    event says the sentence without the counts).
    """
    text = sentence(p, ds)
    if kept is None:
        return text
    if not p.filters:
        return f"{text}: {ds.row_count:,} rows"
    shown = f"{kept:,}" if isinstance(kept, int) else kept  # "fewer than 11": withheld
    return f"{text}: {ds.row_count:,} rows, {shown} kept"


def summary(p: Plan, ds: Dataset | None, answer: Any) -> str:
    """One sentence for a person that says what the number is (a count, a slope, a
    probability, an odds ratio, the ids of a ranking …); numbers rounded here only."""
    w = Words(ds)
    where = f", where {w.conditions(p.filters)}," if p.filters else ","
    lead = f"In {p.dataset}{where} the"
    what = w.statistic(p)
    if p.statistic in ("top", "bottom", "list"):
        shown = ", ".join(str(a) for a in answer) if answer else "none"
        if p.statistic == "list":
            return f"{lead} {what} ({len(answer)} listed): {shown}."
        first = "highest" if p.statistic == "top" else "lowest"
        if p.order and (p.order == "asc") == (p.statistic == "top"):
            first = "lowest" if first == "highest" else "highest"
        return f"{lead} {what}, {first} first: {shown}."
    if p.group_by and p.limit is not None and p.order and isinstance(answer, list):
        shown = ", ".join(w.value(p.group_by[0].column, a) for a in answer) or "none"
        return f"{lead} {w.ranked(p, what)}: {shown}."
    if isinstance(answer, dict):
        outer = p.group_by[0].column if p.group_by else None
        inner = p.group_by[1].column if len(p.group_by) > 1 else None
        items = list(answer.items())
        shown = "; ".join(
            f"{w.value(outer, k) if outer else k}: {_fmt(v, p, w, inner)}" for k, v in items[:20]
        )
        more = " …" if len(items) > 20 else ""
        by = f" by {w.groups(p)}" if p.group_by and p.statistic != "crosstab" else ""
        return f"{lead} {what}{by}: {shown}{more}."
    if answer is None and p.statistic == "survival_median":
        return f"{lead} {what} is not reached (the curve stays above 0.5)."
    return f"{lead} {what} is {_fmt(answer, p)}."


def _fmt(value: Any, p: Plan | None = None, w: Words | None = None, by: str | None = None) -> str:
    if isinstance(value, dict):
        named = (lambda k: w.value(by, k)) if w is not None and by else str
        return "{" + ", ".join(f"{named(k)}: {_fmt(v, p)}" for k, v in value.items()) + "}"
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        shown = f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    elif isinstance(value, int):
        counted = p is not None and (p.statistic in _COUNTS or p.of in _COUNTS)
        shown = f"{value:,}" if counted and abs(value) < 10**15 else str(value)  # not 2,019
    else:
        return str(value)
    if p is not None and p.statistic == "percentage":
        return f"{shown}%"
    if p is not None and p.statistic == "difference" and p.of == "percentage":
        return f"{shown} percentage points"
    return shown


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _ordinal(n: float) -> str:
    if not float(n).is_integer():
        return f"{n:g}th"
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _all(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
