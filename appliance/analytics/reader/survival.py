"""The survival stage: a time-to-event question read into its plan.

"median survival by treatment", "one-year survival for stage 3", "is survival different
between the arms?", "hazard ratio of death for the test arm, adjusting for age",
"probability of surviving 2 years for a 60-year-old on the test arm". Where a table has
a time-to-event pair (time_to_event.py), "survival" means the Kaplan-Meier estimate,
never a plain statistic of the follow-up column, which would ignore censoring. The
reader's other stages have already read the conditions, groups and values; this stage
chooses the survival statistic, the pair and the time asked about, and builds the plan.
A table without a pair keeps its plain reading ("average survival in months" of a
``survival_days`` column), and the plain median of a pair's time column is answered
with a caveat (survival_plans.plain_caveat).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from appliance.analytics import lexicon as lx
from appliance.analytics import time_to_event, units
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, GroupBy, Plan
from appliance.analytics.reader import pair_names
from appliance.analytics.reader.fits import logistic_plan
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import one_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok

if TYPE_CHECKING:
    from appliance.analytics.time_to_event import Pair

KINDS = frozenset({"survival", "survival_median", "survival_curve", "logrank", "hazard_ratio"})
"""The lexicon's survival statistics (lexicon.SURVIVAL)."""


def asked(toks: list[Tok]) -> list[Tok]:
    """The question's survival words, whatever else they could be (a column's word)."""
    return [
        t for t in toks if not t.used and t.has(Kind.STATISTIC) and t.get(Kind.STATISTIC) in KINDS
    ]


def read_survival(r: State, stat_toks: list[Tok]) -> Plan | None:
    """The survival plan for reader ``r``'s question, or None when it asks no survival.

    ``r`` is the question's reader (its tokens, filters and groups already read)."""
    words = asked(r.toks)
    if not words:
        return None
    found = time_to_event.pairs(r.ds)
    if not found:
        if any(t.kind == Kind.COLUMN for t in words):
            return None  # "average survival in months": the survival_days column
        raise Unanswerable(
            f"{words[0].text!r}: {r.ds.name} has no follow-up time with an event flag;"
            " declare them in its dictionary (role duration and role event)"
        )
    pair = pair_names.choose(r, found, words)
    kinds = {t.get(Kind.STATISTIC) for t in words}
    others = [t for t in stat_toks if not t.used and t not in words]
    names = {t.data for t in others}
    for t in words:
        t.used = True
    time = _time(r, pair)
    _drop_event(r, pair)
    if "hazard_ratio" in kinds or (time is not None and _individual(r)):
        return _cox(r, pair, words, others, time)
    event = " and ".join(f.describe() for f in (pair.condition,))
    base = Plan(
        dataset=r.ds.name,
        statistic="survival_curve",
        column=pair.duration,
        condition=(pair.condition,),
    )
    _refuse_median_difference(kinds, others)
    if "logrank" in kinds or "difference" in names or any(t.kind == Kind.VERSUS for t in r.toks):
        return _logrank(r, base, words, others)
    for t in others:
        if t.data in ("median", "difference"):
            t.used = True
    if "survival_median" in kinds or "median" in names:
        plan = base.with_(statistic="survival_median")
        meaning = f"Kaplan-Meier median of {pair.duration} (event: {event})"
    elif time is not None:
        for t in others:  # "the chances that a woman survives 3 years": S(t) is one
            if t.data == "probability":
                t.used = True
        plan = base.with_(statistic="survival_at", time=time)
        meaning = f"Kaplan-Meier survival at {pair.duration} = {time:g} (event: {event})"
    else:
        meaning = f"Kaplan-Meier curve of {pair.duration} (event: {event})"
        plan = base
    r.note(words, meaning)
    return _finish(r, plan)


def _refuse_median_difference(kinds: set[Any], others: list[Tok]) -> None:
    """ "difference in median survival between stage 2 and stage 3": one median minus
    another is no estimate the plan has (nor its interval, which is not the two medians'
    intervals combined); refused, saying what can be asked instead."""
    said = [t for t in others if t.data == "difference" and t.text.startswith("diff")]
    median = "survival_median" in kinds or any(t.data == "median" for t in others)
    if said and median:
        raise Unanswerable(
            "a difference of two Kaplan-Meier medians is not computed: ask for the median"
            " survival by the group column (each median with its 95 % interval), or whether"
            " survival is different between the groups (the log-rank test)"
        )


def _time(r: State, pair: Pair) -> float | None:
    """ "one-year", "2 years", "at 365 days": the time asked about, in the pair's unit."""
    toks = r.toks
    for k, t in enumerate(toks[:-1]):
        nxt = toks[k + 1]
        if t.used or t.kind != Kind.NUMBER or nxt.used or not nxt.has(Kind.UNIT):
            continue
        said = units.canonical(nxt.get(Kind.UNIT))
        if said not in units.PLURAL:
            continue  # "60 years old" is an age
        if pair.unit is None:
            raise Unanswerable(
                f"{t.text} {nxt.text}: the unit of {pair.duration} is not known; give it in"
                " the dictionary (unit)"
            )
        by = units.factor(said, pair.unit)
        if by is None:
            raise Unanswerable(f"{t.text} {nxt.text}: {pair.duration} is in {pair.unit}")
        value = float(t.data) / by
        t.used = nxt.used = True
        if by != 1.0:
            r.caveats.append(
                f"{t.data} {units.name(said) if t.data != 1 else said} is {value:g}"
                f" {units.name(pair.unit)} of"
                f" {pair.duration} (a month is 30.4375 days, a year 365.25)"
            )
        r.note([t, nxt], f"at {pair.duration} = {value:g}")
        return value
    return None


def _drop_event(r: State, pair: Pair) -> None:
    """ "survival", "of death": the event, said again, is the pair's, not a filter."""
    for t in r.toks:
        if t.kind in (Kind.VALUE, Kind.FLAG) and not t.used:
            meanings = t.get(t.kind)
            if any(m[0] == pair.event for m in meanings):
                t.used = True
    dropped = {f"only rows where {f.describe()}" for _p, f in r.filters if f.column == pair.event}
    r.filters = [(p, f) for p, f in r.filters if f.column != pair.event]
    for note in r.notes:
        if note["meaning"] in dropped:
            note["meaning"] = f"the event: {pair.condition.describe()}"


GROUP_VALUES = 10
"""A numeric column with at most this many values is a grouping ("stage 3"); a value of
one with more ("a 60-year-old") describes a patient, predicted by a Cox model."""


def _individual(r: State) -> bool:
    """ "for a 60-year-old": one patient's value of a many-valued numeric column."""
    return any(
        f.op == "="
        and r.col(f.column).type in ("integer", "number")
        and r.col(f.column).distinct > GROUP_VALUES
        for _p, f in r.filters
    )


def _logrank(r: State, base: Plan, words: list[Tok], others: list[Tok]) -> Plan:
    for t in others:
        if t.data == "difference":
            t.used = True
    for t in r.toks:
        if t.kind in (Kind.VERSUS, Kind.BETWEEN) and not t.used:
            t.used = True
    if not r.group_by and not r.measures():
        two_values(r)  # "between male and female patients": the groups of gender
    if not r.group_by:
        cols = r.measures()
        if len(cols) != 1:
            raise Unanswerable("compare survival between the groups of which column?")
        r.group_by = [GroupBy(one_column(r, cols[0]))]
        cols[0].used = True
        words = [*words, cols[0]]
    r.note(words, f"log-rank test of survival between the groups of {r.group_by[0].column}")
    return _finish(r, base.with_(statistic="logrank"))


def two_values(r: State) -> None:
    """ "is survival different between men and women?": two values of one column compared
    are its groups, over the rows with either (a third value, if any, left out)."""
    by_column: dict[str, list[Filter]] = {}
    for _p, f in r.filters:
        by_column.setdefault(f.column, []).append(f)
    pairs = [fs for fs in by_column.values() if len(fs) == 2 and all(f.op == "=" for f in fs)]
    if len(pairs) != 1 or pairs[0][0].values == pairs[0][1].values:
        return
    a, b = pairs[0]
    kept = [(p, f) for p, f in r.filters if f is not a and f is not b]
    r.filters = [
        *kept,
        (min(p for p, f in r.filters if f is a), Filter(a.column, "in", (*a.values, *b.values))),
    ]
    r.group_by = [GroupBy(a.column)]


def _cox(r: State, pair: Pair, words: list[Tok], others: list[Tok], time: float | None) -> Plan:
    """A Cox model, its predictors read as a logistic regression's are ("for smokers,
    adjusting for age"), with the pair's event as the outcome."""
    stat_pos = min(r.toks.index(t) for t in words)
    # The event, as the outcome a logistic regression reads first after its word.
    r.filters = [(stat_pos + 1, pair.condition), *r.filters]
    for t in others:
        if t.data == "probability":
            t.used = True
    stand_in = words[0]
    stand_in.data = "probability" if time is not None else "odds_ratio"
    stand_in.kind = Kind.STATISTIC
    # "the hazard ratio for Black patients, adjusting for age" asks for one ratio of a
    # fit that gives each predictor's: the one said outside the adjustments (terms.py)
    singular = tuple(t.text for t in words if t.text in lx.ONE_HAZARD_RATIO)
    logistic = logistic_plan(r, [stand_in], "hazard", singular)
    if logistic.condition != (pair.condition,):
        raise Unanswerable(
            f"a Cox model of {pair.duration} has {pair.condition.describe()} as its event;"
            ' name the predictors after "for" ("hazard ratio for smokers, adjusting for age")'
        )
    r.notes[-1]["meaning"] = "Cox model of " + pair.duration + " (event: "
    r.notes[-1]["meaning"] += pair.condition.describe() + ") on "
    r.notes[-1]["meaning"] += ", ".join(p.label for p in logistic.predictors)
    plan = Plan(
        dataset=r.ds.name,
        statistic="cox",
        column=pair.duration,
        condition=(pair.condition,),
        filters=logistic.filters,
        predictors=logistic.predictors,
        term=logistic.term,
    )
    if time is not None:
        plan = plan.with_(output="survival", time=time, at=logistic.at)
    return plan


def _finish(r: State, plan: Plan) -> Plan:
    finished: Plan = r.finish(plan)
    if finished.group_by and len(finished.group_by) > 1:
        raise Unanswerable("survival is compared between the groups of one column")
    return finished


def refuse_plain_difference(r: State, plan: Plan | None) -> None:
    """A difference of a plain statistic between two groups of a time the data
    dictionary declares a time to an event ("the difference in median time to death or
    relapse between A and B"): each group's median ignores its own censoring, so the
    difference estimates nothing the dictionary's owner meant; refused as a difference
    of Kaplan-Meier medians is. A pair guessed from the profile (a length of stay beside
    a death flag) keeps its plain difference, as a single plain median keeps its
    caveat."""
    if plan is None or plan.statistic != "difference" or plan.of == "count":
        return
    declared = [p for p in time_to_event.pairs(r.ds) if p.source == "dictionary"]
    if any(plan.column == pair.duration for pair in declared):
        raise Unanswerable(
            f"a difference of {plan.of}s of {plan.column} ignores censoring in each group:"
            " ask for the median survival by the group column (each median with its 95 %"
            " interval), or whether survival is different between the groups (the log-rank"
            " test)"
        )
