"""The spread between two percentiles of one column: "the difference between the 90th
and the 10th percentile of los", "the 90th minus the 10th percentile of los", "the
90th percentile minus the 10th percentile of los". A difference whose two sides are
percentiles of the same rows (the plan's ``percentile: [90, 10]``), not two groups:
the first said minus the second.

Read only in those forms: two ordinals joined by "and" after a word for a difference,
or by "minus", each before or sharing one "percentile", and one numeric column. Any
other wording is left to the statistic's reading ("the 90th and 10th percentiles" asks
for two answers, and is refused there)."""

from __future__ import annotations

from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Plan
from appliance.analytics.reader import survival
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import one_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok


def read_spread(r: State, stats: list[Tok]) -> Plan | None:
    """The plan of a spread between two percentiles, or None where it is not one."""
    if survival.asked(r.toks):
        return None  # "survival" on a table with a pair is Kaplan-Meier's: survival.py's
    which = [t for t in stats if not t.used and t.data == "which"]  # "patients who died"
    if any(t.text == "which" for t in which):
        return None  # "which patients …" asks for rows
    stats = [t for t in stats if not t.used and t not in which]
    ords = [t for t in r.toks if t.kind == Kind.ORDINAL and not t.used]
    pcts = [t for t in stats if t.data == "percentile"]
    if len(ords) != 2 or not pcts or any(t.data not in ("percentile", "difference") for t in stats):
        return None
    said = any(t.data == "difference" for t in stats)
    first, second = ords
    a, b = r.toks.index(first), r.toks.index(second)
    between = [t for t in r.toks[a + 1 : b] if not t.used and t.kind != Kind.FILLER]
    joiner = [t for t in between if t.kind in (Kind.AND, Kind.VERSUS)]
    if len(joiner) != 1 or any(t not in joiner and t not in pcts for t in between):
        return None
    if not said and not (joiner[0].kind == Kind.VERSUS and joiner[0].data == "minus"):
        return None  # "the 90th and the 10th percentile": two answers, not one
    after = r.nxt(b)
    if after is None or r.toks[after] not in pcts:
        return None
    cols = r.measures()
    if len(cols) != 1:
        raise Unanswerable(f"the {first.text} minus the {second.text} percentile of which column?")
    column = one_column(r, cols[0], numeric=True)
    for t in which:
        t.used = True  # as the statistic's reading leaves it: a relative pronoun
    used = [*stats, first, second, *joiner, cols[0]]
    lead = r.prev(a)
    if lead is not None and r.toks[lead].kind == Kind.BETWEEN:
        used.append(r.toks[lead])  # "difference between the 90th and …"
    minuend, subtrahend = float(first.data), float(second.data)
    plan = Plan(
        dataset=r.ds.name,
        statistic="difference",
        of="percentile",
        column=column,
        percentile=(minuend, subtrahend),
        filters=tuple(f for _p, f in r.filters),
    )
    r.note(used, f"the {first.text} percentile of {column} minus its {second.text}")
    return r.finish(plan)
