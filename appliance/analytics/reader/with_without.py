"""Rows with and without a condition: the two groups of a difference."""

from __future__ import annotations

from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter
from appliance.analytics.reader.conditions import add_filter
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import value_of
from appliance.analytics.reader.shared_words import ValueSet
from appliance.analytics.reader.state import State


def read_with_and_without(r: State) -> None:
    """ "between patients with and without acute GVHD": two groups, the rows with the
    condition and those without it (a yes/no column's two answers, or a value and every
    other value), in the order said. Only in a difference, which compares them."""
    toks = r.toks
    for k in range(len(toks) - 3):
        w, a, wo, t = toks[k : k + 4]
        if not (
            w.text == "with"
            and a.kind == Kind.AND
            and wo.text == "without"
            and not any(x.used for x in (w, a, wo, t))
        ):
            continue
        if t.kind == Kind.FLAG:
            column, pos, neg = t.get(Kind.FLAG)[0]
            yes, no = Filter(column, "=", (pos,)), Filter(column, "=", (neg,))
        elif t.has(Kind.VALUE) and value_of(r, t) is not None:
            pair = value_of(r, t)
            assert pair is not None
            column, value = pair
            if isinstance(value, ValueSet):  # rows without any of them: no one filter
                said = ", ".join(repr(v) for v in value.values)
                raise Unanswerable(
                    f"{t.text!r} is any of {said} of {column}: rows with and without it are"
                    " not read as two groups here; compare the values by name"
                )
            yes, no = Filter(column, "=", (value,)), Filter(column, "!=", (value,))
        else:
            continue
        add_filter(r, k, yes, [w, a, t])
        add_filter(r, k + 2, no, [wo])
