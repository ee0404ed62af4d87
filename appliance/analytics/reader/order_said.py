"""Which group a difference takes from which, said in words after the two groups:
"(first minus second)", or the groups themselves again, "(Drug 1 minus Placebo)"."""

from __future__ import annotations

from appliance.analytics.plan import Filter
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok


def said_order(r: State, used: list[Tok]) -> str | None:
    """ "(first minus second)", "second minus first": which group a difference takes
    from which, said in words after the two groups; None when not said."""
    toks = r.toks
    for k in range(len(toks) - 2):
        a, minus, b = toks[k : k + 3]
        if any(t.used for t in (a, minus, b)) or minus.text != "minus":
            continue
        ends = (a.text, b.text)
        if ends in (("first", "second"), ("second", "first")):
            used += [a, minus, b]
            for t in (a, minus, b):
                t.used = True
            return ends[0]
    return None


def restated_groups(r: State, used: list[Tok]) -> Filter | None:
    """ "between Drug 1 and Placebo (Drug 1 minus Placebo)": the two groups said again
    around "minus" say the order of the difference, not two more groups. Both must be
    exactly the two said before (same column, same values), or nothing is taken: the
    group the difference starts from is returned, its two conditions dropped."""
    toks = r.toks
    at = dict(r.filters)
    for k in range(len(toks) - 2):
        a, minus, b = toks[k : k + 3]
        if minus.text != "minus" or minus.used or k not in at or k + 2 not in at:
            continue
        fa, fb = at[k], at[k + 2]
        said = [f for p, f in r.filters if f.column == fa.column and p not in (k, k + 2)]
        if fa.op != "=" or fb != Filter(fa.column, "=", fb.values) or len(said) != 2:
            continue
        if sorted(map(repr, said)) != sorted(map(repr, (fa, fb))) or fa == fb:
            continue
        r.filters = [(p, f) for p, f in r.filters if p not in (k, k + 2)]
        used += [a, minus, b]
        for t in (a, minus, b):
            t.used = True
        return fa
    return None
