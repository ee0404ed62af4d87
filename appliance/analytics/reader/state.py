"""What the stages of a reading share: the tokens, the conditions read so far, the
notes and caveats, and small helpers to walk the tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics import plan_ranges
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
        self.column_change: str | None = None  # "and bmi?": the statistic of another column
        self.other_rows = ""  # "and those who didn't?" (clause), "and the rest?" (rest)
        self.whole = ""  # "and overall?" (overall), "what about everyone?" (everyone)
        self.extreme_of: list[str] = []  # "and the shortest?": the columns it may be of
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

    def crossed(self, i: int) -> bool:
        """Token ``i`` is one side of a crossing word ("x", "against", "by")."""
        sides = (self.prev(i), self.nxt(i))
        return any(self.toks[k].text in lx.CROSSINGS for k in sides if k is not None)

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
        if why := plan_ranges.contradiction(f for _p, f in self.filters):
            raise Unanswerable(why)
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
