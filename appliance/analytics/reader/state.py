"""What the stages of a reading share: the tokens, the conditions read so far, the
notes and caveats, and small helpers to walk the tokens."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from appliance.analytics.datasets import ColumnProfile, Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, GroupBy, Plan
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.vocabulary import Vocabulary
from appliance.analytics.reader.words import (
    SOFT,
    split_words,
)


@dataclass
class Reading:
    """What a question was read as: its plan (or a follow-up's changes), and why."""

    plan: Plan | None
    """None for a follow-up fragment with no statistic: see :attr:`fragment`."""
    interpretation: list[dict[str, str]]
    caveats: list[str]
    fragment: dict[str, Any] = field(default_factory=dict)
    """What a follow-up changes: filters, statistic, group_by, order."""
    score: int = 0
    """How many column and value mentions the reading used: ranks candidate datasets."""
    mentions_dataset: bool = False
    continues: bool = False
    """Worded as a follow-up ("and …", "what about …", "now …"): keeps earlier filters."""


class State:
    """One question being read: its tokens and what the stages have made of them."""

    def __init__(
        self, vocab: Vocabulary, toks: list[Tok], dataset: Dataset, follow_up: bool, answered: bool
    ) -> None:
        self.vocab = vocab
        self.toks = toks
        self.ds = dataset
        self.follow_up = follow_up
        self.answered = answered
        self.filters: list[tuple[int, Filter]] = []  # (position, filter)
        self.group_by: list[GroupBy] = []
        self.notes: list[dict[str, str]] = []
        self.caveats: list[str] = []
        self.rank: tuple[str, int, str | None] | None = None  # (asc|desc, n, column)
        self.order: str | None = None
        self.at: dict[str, float] = {}
        self.stat_change: tuple[str, float | None] | None = None
        self.group_rank: tuple[str, int] | None = None  # (asc|desc, n) of groups
        self.filtered: set[str] = set()  # every column a condition was read on

    def note(self, toks: list[Tok], meaning: str) -> None:
        for t in toks:
            t.used = True
        phrase = " ".join(t.text for t in sorted(toks, key=lambda t: t.start))
        self.notes.append({"phrase": phrase, "meaning": meaning})

    def col(self, name: str) -> ColumnProfile:
        c = self.ds.column(name)
        assert c is not None
        return c

    def is_col(self, tok: Tok) -> bool:
        return tok.has(Kind.COLUMN) or tok.kind == Kind.FLAG

    def nxt(self, i: int, skip_soft: bool = True) -> int | None:
        """Index of the next unused token after i (skipping soft filler words)."""
        j = i + 1
        while j < len(self.toks):
            t = self.toks[j]
            if not t.used and not (skip_soft and t.kind == Kind.FILLER and t.text in SOFT):
                return j
            j += 1
        return None

    def prev(self, i: int, skip_soft: bool = True) -> int | None:
        j = i - 1
        while j >= 0:
            t = self.toks[j]
            if not t.used and not (skip_soft and t.kind == Kind.FILLER and t.text in SOFT):
                return j
            j -= 1
        return None

    def measures(self) -> list[Tok]:
        return [t for t in self.toks if not t.used and (t.kind in (Kind.COLUMN, Kind.FLAG))]

    def finish(self, plan: Plan) -> Plan:
        equal: dict[str, Filter] = {}
        for _p, f in self.filters:
            if f.op == "=" and not f.part:
                other = equal.setdefault(f.column, f)
                if str(other.values[0]).lower() != str(f.values[0]).lower():
                    raise Unanswerable(
                        f"{f.column} cannot be both {other.values[0]!r} and {f.values[0]!r}:"
                        " say 'or' for either, or ask per group"
                    )
        empty_range([f for _p, f in self.filters])
        if self.group_rank is not None:
            direction, n = self.group_rank
            if plan.statistic in (
                "top",
                "bottom",
                "list",
                "difference",
                "correlation",
                "linear_regression",
                "logistic_regression",
                "crosstab",
            ):
                raise Unanswerable("a ranking of groups needs one statistic per group")
            self.order = direction
            plan = plan.with_(limit=n)
        if plan.statistic not in ("difference", "logistic_regression", "percentage"):
            plan = plan.with_(filters=tuple(f for _p, f in self.filters))
        elif plan.statistic == "percentage":
            plan = plan.with_(filters=tuple(f for _p, f in self.filters))
        if self.group_by and plan.statistic not in ("crosstab",):
            plan = plan.with_(group_by=tuple(self.group_by))
        elif plan.statistic == "crosstab":
            plan = plan.with_(group_by=tuple(self.group_by))
        if self.order and plan.statistic not in ("top", "bottom"):
            plan = plan.with_(order=self.order)
        return plan

    def data_words(self) -> set[str]:
        """The words of the dataset's name, column names, labels and values."""
        words = set(split_words(self.ds.name.replace("_", " ")))
        for c in self.ds.columns:
            words |= set(c.name.split("_"))
            words |= set(split_words(self.ds.dictionary.get(c.name, {}).get("label", "")))
            for v in c.values:
                words |= set(split_words(str(v["value"])))
        return words

    def known(self) -> str:
        """The columns, with their dictionary labels and values, for a refusal."""
        parts = []
        for c in self.ds.columns:
            entry = self.ds.dictionary.get(c.name, {})
            part = c.name + (f' "{entry["label"]}"' if entry.get("label") else "")
            labels: dict[str, str] = entry.get("value_labels") or {}
            if labels:
                part += f" ({', '.join(list(labels.values())[:8])})"
            elif c.type in ("category", "boolean") and c.values:
                part += f" ({', '.join(str(v['value']) for v in c.values[:8])})"
            parts.append(part)
        return f"The columns of {self.ds.name} are: {'; '.join(parts)}"


def empty_range(filters: list[Filter]) -> None:
    """Refuse conditions on one number that no value can meet ("patients under 20 who
    were older than 60"): docs/analytics.md refuses contradictions rather than answer 0,
    which would read as a finding about the data."""
    spans: dict[tuple[str, str | None], list[tuple[float, bool, float, bool]]] = {}
    for f in filters:
        if f.op not in ("<", "<=", ">", ">=", "=", "between") or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in f.values
        ):
            continue
        lo, hi = -math.inf, math.inf
        lo_open = hi_open = False
        if f.op in (">", ">="):
            lo, lo_open = f.values[0], f.op == ">"
        elif f.op in ("<", "<="):
            hi, hi_open = f.values[0], f.op == "<"
        else:  # "=" is both ends; "between" is inclusive
            lo, hi = f.values[0], f.values[-1]
        spans.setdefault((f.column, f.part), []).append((lo, lo_open, hi, hi_open))
    for (column, part), ends in spans.items():
        # The tightest ends: the largest lower and the smallest upper, an open end
        # (">", "<") tighter than a closed one at the same number.
        lo, lo_open = max(((e[0], e[1]) for e in ends), key=lambda b: (b[0], b[1]))
        hi, hi_open = min(((e[2], e[3]) for e in ends), key=lambda b: (b[0], not b[1]))
        if lo > hi or (lo == hi and (lo_open or hi_open)):
            name = f"the {part} of {column}" if part else column
            raise Unanswerable(
                f"no value of {name} meets all these conditions at once: say 'or' for"
                " either range, or ask about each"
            )
