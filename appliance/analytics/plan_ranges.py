"""Conditions on one column that no value can meet ("age < 20" and "age > 60").

docs/analytics.md refuses a contradiction rather than answer 0, which would read as a
finding about the data. A question (the reader) and a plan sent by an agent
(``plan.check``) both ask this one function, so both are refused alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, Protocol

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class Condition(Protocol):
    """What a range needs of a filter (plan.Filter has it)."""

    @property
    def column(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def values(self) -> tuple[Any, ...]: ...
    @property
    def part(self) -> str | None: ...


# An end of a range: (value or None when unbounded, open). A number and an ISO date
# never meet in one column.
_End = tuple[Any, bool]


def contradiction(filters: Iterable[Condition]) -> str | None:
    """The column (or the year or month of a date column) whose conditions no value can
    meet together, named as a sentence; None when every column's conditions can hold."""
    spans: dict[tuple[str, str | None], list[tuple[_End, _End]]] = {}
    for f in filters:
        span = _span(f)
        if span is not None:
            spans.setdefault((f.column, f.part), []).append(span)
    for (column, part), ends in spans.items():
        dated = {isinstance(e[0], str) for span in ends for e in span if e[0] is not None}
        if len(dated) > 1:  # numbers beside dates: not comparable, the plan check says so
            continue
        # The tightest ends: the largest lower and the smallest upper; an open end
        # (">", "<") is tighter than a closed one at the same value.
        lo = max((lo for lo, _hi in ends), key=lambda e: (_order(e[0], -1), e[1]))
        hi = min((hi for _lo, hi in ends), key=lambda e: (_order(e[0], 1), not e[1]))
        low, high = _order(lo[0], -1), _order(hi[0], 1)
        if low > high or (low == high and (lo[1] or hi[1])):
            name = f"the {part} of {column}" if part else column
            return (
                f"no value of {name} meets all these conditions at once: say 'or' for"
                " either range, or ask about each"
            )
    return None


def _span(f: Condition) -> tuple[_End, _End] | None:
    """The range a condition allows, as (lower end, upper end); None if it is no range
    (text, a list of values, an outside-range, a null test)."""
    if f.op not in ("<", "<=", ">", ">=", "=", "between") or not f.values:
        return None
    if not all(_rangeable(v) for v in f.values):
        return None
    lower: _End = (None, False)
    upper: _End = (None, False)
    if f.op in (">", ">="):
        lower = (f.values[0], f.op == ">")
    elif f.op in ("<", "<="):
        upper = (f.values[0], f.op == "<")
    else:  # "=" is both ends; "between" is inclusive
        lower, upper = (f.values[0], False), (f.values[-1], False)
    return lower, upper


def _rangeable(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return math.isfinite(v)
    return isinstance(v, str) and _ISO_DATE.match(v) is not None


def _order(value: Any, unbounded: int) -> tuple[int, Any]:
    """A sort key: an unbounded side below (-1) or above (1) every value."""
    if value is None:
        return (unbounded, 0)
    return (0, float(value) if not isinstance(value, str) else value)
