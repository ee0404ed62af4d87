"""Percentages: who is counted, out of which rows ("what percent of women smoke")."""

from __future__ import annotations

from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, Plan
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import columns_of, one_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok


def share_at_or_below(r: State, stats: list[Tok]) -> Plan | None:
    """ "what blood pressure value are 90% of patients at or below": the 90th
    percentile. Only in that form: a number and "%", then the rows, then "at or
    below" (or "or under", "or less") with no number after it, and one column."""
    toks = r.toks
    if len(stats) != 1 or stats[0].text not in lx.PERCENT_SIGNS:
        return None
    k = toks.index(stats[0])
    if k == 0 or toks[k - 1].kind != Kind.NUMBER:
        return None
    # "blood pressure value are 90 %": the 90 may have been read as "= 90"; it is
    # the share, so that reading goes.
    stray = [(p, f) for p, f in r.filters if p == k - 1 and f.op == "="]
    if len(r.filters) != len(stray):
        return None
    last = toks[-1]
    if not (
        last.kind in (Kind.SUFFIX_COMPARISON, Kind.COMPARISON)
        and last.text in lx.AT_OR_BELOW
        and all(t.kind in (Kind.FILLER, Kind.ROW_NOUN) for t in toks[k + 1 : -1])
    ):
        return None
    if stray:
        column = stray[0][1].column
        cols = [t for t in toks[: k - 1] if r.is_col(t) and columns_of(r, t) == [column]]
        others = [t for t in r.measures() if t not in cols]
        if len(cols) != 1 or others:
            return None
    else:
        cols = r.measures()
        if len(cols) != 1:
            return None
        column = one_column(r, cols[0], numeric=True)
    p = toks[k - 1].data
    if not 0 < p < 100:
        raise Unanswerable(f"{p}% of the rows: a share between 0 and 100, please")
    if not r.col(column).info.numeric:
        return None
    r.filters = []
    for t in (stats[0], toks[k - 1], last, cols[0], *toks[k + 1 : -1]):
        t.used = True
    plan = Plan(dataset=r.ds.name, statistic="percentile", column=column, percentile=float(p))
    r.note([stats[0], cols[0]], f"the {p}th percentile of {column}")
    return r.finish(plan)


def percentage_condition(r: State) -> tuple[Filter, ...]:
    cond = [f for _p, f in r.filters]
    r.filters = []
    if not cond:
        raise Unanswerable('a percentage of which rows? say e.g. "percentage of smokers"')
    return tuple(cond)


def percentage_plan(r: State, stats: list[Tok]) -> Plan:
    """Rows meeting a condition, per 100 rows of the population asked about.

    The population is what comes before the percentage word ("among women, what
    percent …"), after "among", or between "of" and the verb ("what percent of women
    with diabetes are smokers"); the condition is the rest. Without a verb, several
    conditions are split only when the last is itself a verb ("… of women died").
    """
    toks = r.toks
    pct = next(t for t in stats if t.data == "percentage")
    start = toks.index(pct)
    for t in stats:
        t.used = True
    ordered = sorted(r.filters, key=lambda x: x[0])
    verb = None
    for k in range(start + 1, len(toks)):
        t = toks[k]
        if t.kind == Kind.FILLER and t.text in lx.CONNECTORS and t.text != "with":
            if any(p > k for p, _f in ordered):
                verb = k
                break
    among = [k for k, t in enumerate(toks) if t.kind == Kind.AMONG]
    population: list[tuple[int, Filter]] = []
    condition: list[tuple[int, Filter]] = []
    if _as_a_percentage_of(r, pct, start):
        # "deaths as a percentage of smokers": what comes after "of" is the population,
        # what comes before is counted, less what the population already says ("smokers
        # who died as a percentage of all smokers": the deaths among the smokers).
        population = [(p, f) for p, f in ordered if p > start]
        condition = [(p, f) for p, f in ordered if p < start and f not in dict(population).values()]
        ordered = []
    rate = pct.text in lx.RATE_WORDS
    # "mortality on placebo", "the death rate in stage IV": the death is what is
    # counted, so every condition said is the population (never the share on placebo).
    of_death = pct.text.split()[0] in lx.RATE_OF_DEATH
    for pos, f in ordered:
        after_among = any(
            a < pos and not (a < start < pos) and not (verb is not None and a < verb < pos)
            for a in among
        )
        if of_death:
            population.append((pos, f))
        elif rate and pos == start - 1:
            condition.append((pos, f))  # "the mortality rate"
        elif pos < start or after_among or (verb is not None and pos < verb):
            population.append((pos, f))
        else:
            condition.append((pos, f))
    if verb is not None and len(condition) > 1:
        # "of respondents whose qualification is a degree smoke": the verb found
        # ("is") was the relative clause's; a bare verb after it with no "and" between
        # is the main one, and what came before it says who is counted.
        last_pos, _last = condition[-1]
        word = toks[last_pos].text
        joined = any(t.kind in (Kind.AND, Kind.OR) for t in toks[condition[0][0] : last_pos])
        if not joined and (word.endswith("ed") or word in lx.PERCENT_VERBS):
            population += condition[:-1]
            condition = condition[-1:]
    if verb is None and len(condition) > 1:
        # "% male pts w/ infection": the words before the row noun say who is
        # counted, what comes after its "with" is counted.
        for at, t in enumerate(toks):
            if (
                t.kind == Kind.ROW_NOUN
                and condition[0][0] < at < condition[-1][0]
                and at + 1 < len(toks)
                and toks[at + 1].text == "with"
            ):
                population += [c for c in condition if c[0] < at]
                condition = [c for c in condition if c[0] > at]
                break
    if verb is None and len(condition) > 1:
        # "% pts w/ family hx w/ recurrence", "% pts > 55 w/ cmv": the last "with"
        # leads to what is counted; the rows named before it are the population.
        withs = [
            k
            for k, t in enumerate(toks)
            if t.text == "with" and condition[0][0] < k < condition[-1][0]
        ]
        joined = bool(withs) and any(
            t.kind in (Kind.AND, Kind.OR) for t in toks[condition[0][0] : withs[-1]]
        )
        if withs and not joined:
            w = withs[-1]
            population += [c for c in condition if c[0] < w]
            condition = [c for c in condition if c[0] > w]
    if verb is None and len(condition) > 1:
        last_pos, last = condition[-1]
        word = toks[last_pos].text
        # "of patients given placebo developed pancreatitis", "of tests from April 2020
        # came back positive": a verb right before the last condition leads to it.
        led = last_pos > 0 and toks[last_pos - 1].text in lx.PERCENT_LEAD_VERBS
        joined = any(t.kind in (Kind.AND, Kind.OR) for t in toks[condition[0][0] : last_pos])
        # "% drive-thru tests positive?": a value ending the question after the row
        # noun is what is said of those rows (their "are" left out); not after "with".
        after_rows = (
            toks[last_pos].kind == Kind.VALUE
            and any(t.kind == Kind.ROW_NOUN for t in toks[start + 1 : last_pos])
            and all(t.kind == Kind.FILLER for t in toks[last_pos + 1 :])
            and not any(t.text == "with" for t in toks[start:last_pos])
        )
        if not (
            word.endswith(("ed", "ing"))
            or word in lx.PERCENT_VERBS
            or ((led or after_rows) and not joined)
        ):
            raise Unanswerable(
                'which rows are counted, and out of which? say e.g. "what percentage of'
                ' women are smokers"'
            )
        population += condition[:-1]
        condition = [(last_pos, last)]
    for t in toks:
        if t.kind == Kind.AMONG:
            t.used = True
    conditions = [f for _p, f in condition]
    if not conditions and of_death:
        conditions.append(death_condition(r, pct.text))
        if any(f.column == conditions[0].column for _p, f in population):
            raise Unanswerable(f"{pct.text!r} of rows chosen by who died: ask it another way")
    if not conditions:
        # "the smoking rate": a flag named without a filter is the condition.
        cols = [t for t in r.measures() if t.kind == Kind.FLAG or t.has(Kind.FLAG)]
        if len(cols) == 1:
            name, pos_value, _neg = cols[0].get(Kind.FLAG)[0]
            conditions.append(Filter(name, "=", (pos_value,)))
            r.note([cols[0]], f"rows where {name} = {pos_value!r}")
    if not conditions:
        raise Unanswerable('a percentage of which rows? say e.g. "percentage of smokers"')
    r.filters = population
    plan = Plan(dataset=r.ds.name, statistic="percentage", condition=tuple(conditions))
    r.note([pct], "percentage of rows where " + " and ".join(f.describe() for f in conditions))
    if population:
        r.caveats.append(
            "out of the rows where " + " and ".join(f.describe() for _p, f in population)
        )
    return r.finish(plan)


def _as_a_percentage_of(r: State, pct: Tok, start: int) -> bool:
    """ "A as a percentage of B": a condition before the words, and one after "of"."""
    toks = r.toks
    return (
        pct.text.startswith("as a ")
        and start + 1 < len(toks)
        and toks[start + 1].text == "of"
        and any(p < start for p, _f in r.filters)
        and any(p > start for p, _f in r.filters)
    )


def death_condition(r: State, why: str) -> Filter:
    """ "mortality": the dataset's one way of saying a patient died."""
    found: set[tuple[str, Any]] = set()
    for word in lx.DEATH_WORDS:
        meanings = r.vocab.table.get((word,), {})
        for col, value in meanings.get(Kind.VALUE, []):
            found.add((col, value))
        for col, value, _other in meanings.get(Kind.FLAG, []):
            found.add((col, value))
    if len(found) != 1:
        raise Unanswerable(f"{why!r}: this dataset has no single column saying who died")
    col, value = found.pop()
    return Filter(col, "=", (value,))
