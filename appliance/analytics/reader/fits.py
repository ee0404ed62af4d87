"""Fits: least-squares lines and logistic regressions, with their predictions."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics import units
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, GroupBy, Plan, Predictor
from appliance.analytics.reader.conversion import column_unit
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import columns_of, one_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.terms import asked_term
from appliance.analytics.reader.tokens import Tok


def read_per_unit(r: State) -> None:
    """ "OR of death per day of LOS", "per yr of age", "slope per year of age": a unit
    after "per" is the x's own unit, which its column must be recorded in. A fit's
    coefficient is per unit of x as recorded: per month of a column of days it would be
    another number (the odds ratio to the power 30.4375), so a unit of another size is
    refused, and so is one said of a column whose unit is not known (an age is taken to
    be in years, with a caveat)."""
    toks = r.toks
    for k, t in enumerate(toks):
        if t.used:
            continue
        if t.kind == Kind.ON and t.text in lx.PER_YEAR_OF:
            said = Tok(t.start, t.end, t.text, Kind.UNIT, "year")
            lead, j = [], k + 1
        elif (
            t.text in lx.PER_WORDS
            and (o := _one(toks, k)) + 1 < len(toks)
            and (toks[o + 1].has(Kind.UNIT) and not toks[o + 1].used)
        ):
            u = toks[o + 1]  # "per additional year of age": "year" could be a date bin
            said = Tok(u.start, u.end, u.text, Kind.UNIT, u.get(Kind.UNIT))
            lead, j = [*toks[k : o + 1], u], o + 2
            while j < len(toks) and toks[j].text in lx.PER_UNIT_LINKS:
                lead.append(toks[j])
                j += 1
        else:
            continue
        while j < len(toks) and toks[j].kind == Kind.FILLER and toks[j].text in lx.SOFT:
            j += 1  # "per year of the mother's age"
        if j >= len(toks) or not r.is_col(toks[j]):
            raise Unanswerable(f"{t.text!r} {said.data}: a unit of which column? name it after")
        name = one_column(r, toks[j], numeric=True)
        recorded = column_unit(r, name, said)
        if units.factor(units.canonical(said.data), recorded) != 1.0:
            raise Unanswerable(
                f"{said.text!r}: {name} is recorded in {units.name(recorded)}; a fit is per"
                f" unit of its column as recorded: ask per {recorded} of {name}"
            )
        if lead:
            r.note(lead, f"per {recorded} of {name}, the unit {name} is recorded in")


def _one(toks: list[Tok], k: int) -> int:
    """ "per 1 mmHg of sbp": past a number 1 after "per" (one unit; never another number:
    per 10 mmHg is the odds ratio to the 10th power)."""
    t = toks[k + 1] if k + 1 < len(toks) else None
    return k + 1 if t is not None and t.kind == Kind.NUMBER and t.data == 1 else k


def linear_plan(r: State, stats: list[Tok]) -> Plan:
    read_per_unit(r)
    names = {t.data for t in stats}
    output = (
        "prediction"
        if "prediction" in names
        else ("intercept" if "intercept" in names else ("r2" if "r2" in names else "slope"))
    )
    for t in stats:
        t.used = True
    at_filters = [
        (p, f)
        for p, f in r.filters
        if f.op == "=" and r.col(f.column).info.numeric and isinstance(f.values[0], int | float)
    ]
    cols = r.measures()
    predicted = min((r.toks.index(t) for t in stats if t.data == "prediction"), default=0)
    if output == "prediction" and len(at_filters) > 1:
        point = [(p, f) for p, f in at_filters if f.column in _regressed_on(r)]
        if all(p < predicted for p, f in at_filters if (p, f) not in point):
            at_filters = point  # the others said of the line, before what it predicts
    if output == "prediction":
        if len(at_filters) != 1:
            raise Unanswerable('a prediction needs one value to predict at ("at age 30")')
        (_p, f) = at_filters[0]
        r.filters = [(p, g) for p, g in r.filters if g is not f]
        x = f.column
        # "a regression of sbp on age, … the predicted sbp when age is 60": each
        # column once, and the one predicted at is x, not y.
        named = {c.start: columns_of(r, c, numeric=True) for c in cols}
        ys = [c for c in cols if named[c.start] != [x]]
        if ys and all(named[c.start] == named[ys[0].start] for c in ys):
            for c in cols:
                if c is not ys[0]:
                    c.used = True
            cols = ys[:1]
            for k, t in enumerate(r.toks[:-1]):  # "of sbp on age": age is x
                nxt = r.toks[k + 1]
                if nxt.text in lx.MEASURED and k + 2 < len(r.toks):
                    nxt = r.toks[k + 2]  # "on measured height"
                if t.has(Kind.ON) and r.is_col(nxt) and columns_of(r, nxt, numeric=True) == [x]:
                    t.used = True
        if len(cols) != 1:
            raise Unanswerable("predict which column? name one numeric column")
        y = one_column(r, cols[0], numeric=True)
        r.at[x] = float(f.values[0])
        r.note(cols, f"predicted {y} from a least-squares line on {x}, at {x} = {f.values[0]}")
    else:
        if len(cols) != 2:
            raise Unanswerable('a regression line needs two numeric columns ("slope of y on x")')
        y = one_column(r, cols[0], numeric=True)
        x = one_column(r, cols[1], numeric=True)
        between = [
            t
            for t in r.toks
            if t.kind in (Kind.ON, Kind.VERSUS, Kind.GROUP)
            and not t.used
            and cols[0].start < t.start < cols[1].start
        ]
        for t in between:
            t.used = True
        r.note(cols, f"{output} of the least-squares line of {y} on {x}")
    plan = Plan(
        dataset=r.ds.name,
        statistic="linear_regression",
        column=y,
        x=x,
        output=output,
        at=tuple(r.at.items()),
    )
    return r.finish(plan)


def _regressed_on(r: State) -> set[str]:
    """ "a regression of seizure rate on base, period 1: the predicted rate at base 50":
    where several numbers are given, the one of the column the line is "on" is where it
    predicts, and the others, said of the line before what it predicts, keep the rows
    fitted (said after, "at base 50 for period 1", they could be either: refused)."""
    said: set[str] = set()
    for k, t in enumerate(r.toks[:-1]):
        after = r.toks[k + 1]
        if t.kind == Kind.ON and t.text == "on" and r.is_col(after):
            said.update(columns_of(r, after, numeric=True))
    return said


def given_by_value(r: State, name: str, predictors: list[Predictor]) -> bool:
    """ "a regression with treatment and age, … for a 60-year-old in the treated group":
    a category column named as a predictor, and one of its values given as the row's. With
    two values, the one value's indicator is that column's predictor (the other value its
    reference; rows with it empty are left out either way), so the column is read once.
    With more, one value against all the others is another model: refused."""
    mine = [p for p in predictors if p.column == name and p.condition is not None]
    if not mine:
        return False
    col = r.col(name)
    held = [v["value"] for v in col.values]
    if col.distinct != 2 or len(held) != 2:
        raise Unanswerable(
            f"{name} has {col.distinct} values: one of them against all the others is not"
            f" the same predictor as {name}; name the values as predictors"
        )
    return True


def rather_than(
    r: State, outcome: Filter, ordered: list[tuple[int, Filter]]
) -> tuple[int, Filter] | None:
    """ "the odds of CABG rather than PTCA": a value of the outcome's column right after
    "rather than" is the outcome's alternative; the fit is over the rows with either (and
    the alternative is no predictor)."""
    for p, f in ordered:
        if f.column != outcome.column or f.op != "=" or outcome.op != "=" or p < 1:
            continue
        said = r.toks[p - 1]
        if said.kind == Kind.VERSUS and said.text in lx.RATHER_THAN:
            said.used = True
            return p, f
    return None


def said_once(ordered: list[tuple[int, Filter]], outcome: Filter) -> list[tuple[int, Filter]]:
    """ "a regression of CABG on sex and age over 75, … the probability of CABG for a
    woman over 75": the outcome said again is the outcome, and a predictor's value said
    again is the value predicted at, neither a second predictor nor a restriction (as
    two values of one column are: "smokers compared to non-smokers")."""
    seen = {(outcome.column, outcome.op, outcome.values)}
    kept = []
    for p, f in ordered:
        if (f.column, f.op, f.values) not in seen:
            seen.add((f.column, f.op, f.values))
            kept.append((p, f))
    return kept


def unvalued(r: State, ordered: list[tuple[int, Filter]], outcome: Filter) -> None:
    """ "a logistic regression of CABG on sex and age over 75, … the probability for a
    woman": a value named in the model's list ("on …", up to the probability asked) is a
    predictor, not the patient's value; the patient's must be said again, else refused
    (taking it as given would predict for someone the question did not describe)."""
    toks = r.toks
    fits = [k for k, t in enumerate(toks) if t.kind == Kind.STATISTIC and t.data == "logistic"]
    asked = [k for k, t in enumerate(toks) if t.kind == Kind.STATISTIC and t.data == "probability"]
    if not fits or not asked:
        return
    end = next((k for k in asked if k > fits[0]), None)
    if end is None:
        return  # the probability asked first, the model after it: values said before
    on = next((k for k in range(fits[0], end) if toks[k].kind == Kind.ON), None)
    if on is None:
        return
    listed = [f for p, f in ordered if on < p < end and f != outcome]
    elsewhere = [f for p, f in ordered if not on < p < end]
    missing = [f.describe() for f in listed if f not in elsewhere]
    if missing:
        raise Unanswerable(
            f"a probability needs the patient's value of each predictor: {missing[0]} is"
            " named in the model but not given for the patient (say it again, or its other"
            " value)"
        )


def introduced_by_among(r: State, k: int) -> bool:
    """ "among smokers", "in the group of patients who smoke", "restricting to visit 4",
    "a logistic regression at period 1": the words before the condition at ``k`` (or
    before its column: "among patients with bmi over 30") say that it picks rows, not
    that it is compared."""
    j = k - 1
    if j >= 0 and r.toks[j].kind == Kind.COLUMN:
        j -= 1
    while (
        j >= 0
        and r.toks[j].text not in lx.RESTRICTING
        and (r.toks[j].kind in (Kind.FILLER, Kind.ROW_NOUN) or r.toks[j].text in lx.RELATIVES)
    ):
        if r.toks[j].text in lx.MODEL_SAMPLE and j and r.toks[j - 1].data == "logistic":
            return True  # "a logistic regression at period 1": the rows it is fitted on
        j -= 1
    return j >= 0 and (r.toks[j].kind == Kind.AMONG or r.toks[j].text in lx.RESTRICTING)


def fitted_over(
    r: State, ordered: list[tuple[int, Filter]], grouped: list[GroupBy], restrict: list[Filter]
) -> list[tuple[int, Filter]]:
    """ "the odds of diabetes among smokers by age": a condition said after "among" picks
    the rows the model is fitted over when something else predicts; made a predictor, it
    would answer another question (the ratio for age adjusted for smoking, over everyone).
    With nothing else to predict ("the odds of death among smokers"), it stays the one
    predictor, as before. Returns the conditions left to predict; ``restrict`` gains the
    rest."""
    flags = [
        t
        for t in r.measures()
        if (t.kind == Kind.FLAG or t.has(Kind.FLAG)) and introduced_by_among(r, r.toks.index(t))
    ]
    amid = [(p, f) for p, f in ordered if introduced_by_among(r, p)]
    others = len(ordered) - len(amid) + len(grouped) + len(r.measures()) - len(flags)
    if not others or not (amid or flags):
        return ordered
    for t in flags:
        name, pos_value, _neg = t.get(Kind.FLAG)[0]
        restrict.append(Filter(name, "=", (pos_value,)))
        t.used = True
    restrict.extend(f for _p, f in amid)
    return [(p, f) for p, f in ordered if (p, f) not in amid]


def regressed_of(r: State, stats: list[Tok], conditions: list[int]) -> int | None:
    """ "a logistic regression of good status on treatment, … the odds ratio for active
    versus placebo": the model's own "of Y on X" says its outcome, whatever follows the
    word for what is asked (there, a value of the predictor). Returns the position the
    outcome is the first condition after, when a condition sits between "of" and "on"."""
    for t in stats:
        if t.data != "logistic":
            continue
        k = r.toks.index(t)
        if k + 1 >= len(r.toks) or r.toks[k + 1].text != "of":
            continue
        on = next(
            (j for j in range(k + 2, len(r.toks)) if r.toks[j].kind in (Kind.ON, Kind.STATISTIC)),
            None,
        )
        if on is None or r.toks[on].text != "on":
            continue
        if any(k + 1 < p < on for p in conditions):
            return k
    return None


def logistic_plan(
    r: State, stats: list[Tok], ratio: str = "odds", singular: tuple[str, ...] = ()
) -> Plan:
    """A logistic regression (or, with ``ratio`` "hazard", a Cox model's predictors and
    outcome, read the same way; ``singular``: its own words for one ratio)."""
    read_per_unit(r)
    names = {t.data for t in stats}
    output = "probability" if "probability" in names else "odds_ratio"
    for k, t in enumerate(r.toks):  # "how much higher are the odds of …": a ratio of odds
        following = r.nxt(k)
        if (
            output == "odds_ratio"
            and t.kind == Kind.COMPARATIVE
            and t.data[1] is None
            and following is not None
            and r.toks[following] in stats
        ):
            t.used = True
    for t in stats:
        t.used = True
    if not r.filters and not r.measures():
        raise Unanswerable("the odds or probability of what? name an outcome")
    grouped, r.group_by = r.group_by, []  # "odds of death by age": age predicts
    # The outcome: the first condition after the word for what is asked ("odds of death",
    # "the probability of death"): in "a logistic regression on stage T2, … the
    # probability of death for stage T2", stage T2 predicts. Only when nothing follows
    # that word, the first after the model's name ("a logistic regression of ESR above 20
    # on fibrinogen, … the odds ratio per unit of fibrinogen").
    ordered = sorted(r.filters, key=lambda x: x[0])
    flags = [t for t in r.measures() if t.kind == Kind.FLAG or t.has(Kind.FLAG)]
    asked = [r.toks.index(t) for t in stats if t.data != "logistic"]
    stat_pos = min(asked or [r.toks.index(t) for t in stats])
    if not any(p > stat_pos for p, _f in ordered) and not any(
        r.toks.index(t) > stat_pos for t in flags
    ):
        stat_pos = min(r.toks.index(t) for t in stats)
    stat_pos = (
        regressed_of(r, stats, [p for p, _f in ordered] + [r.toks.index(t) for t in flags])
        or stat_pos
    )
    outcome: Filter | None = None
    after = [(p, f) for p, f in ordered if p > stat_pos]
    first_flag = next((t for t in flags if r.toks.index(t) > stat_pos), None)
    if after and (first_flag is None or after[0][0] < r.toks.index(first_flag)):
        outcome = after[0][1]
        ordered.remove(after[0])
    elif first_flag is not None:
        name, pos_value, _neg = first_flag.get(Kind.FLAG)[0]
        outcome = Filter(name, "=", (pos_value,))
        first_flag.used = True
    if outcome is None:
        raise Unanswerable("the odds or probability of what? name an outcome")
    if output == "probability":
        unvalued(r, ordered, outcome)
    ordered = said_once(ordered, outcome)
    restrict: list[Filter] = []
    rather = rather_than(r, outcome, ordered)
    if rather is not None:  # "of CABG rather than PTCA": the rows with either
        ordered.remove(rather)
        restrict.append(Filter(outcome.column, "in", (*outcome.values, *rather[1].values)))
    ordered = fitted_over(r, ordered, grouped, restrict)
    placed = [(p, f.column) for p, f in ordered]
    predictors: list[Predictor] = []
    at: dict[str, float] = {}
    by_column: dict[str, list[Filter]] = {}
    for _p, f in ordered:
        by_column.setdefault(f.column, []).append(f)
    for column, fs in by_column.items():
        if len(fs) == 2 and all(f.op == "=" for f in fs):
            # "smokers compared to non-smokers": one indicator, the second its reference
            ordered = [(p, f) for p, f in ordered if f is not fs[1]]
            restrict.append(Filter(column, "in", (fs[0].values[0], fs[1].values[0])))
    for _p, f in ordered:
        if (
            f.op == "="
            and r.col(f.column).type in ("integer", "number")
            and output == ("probability")
        ):
            predictors.append(Predictor(f.column))
            at[f.column] = float(f.values[0])
        elif f.op in ("=", "!="):
            predictors.append(Predictor(f.column, Filter(f.column, "=", f.values)))
            at[Predictor(f.column, Filter(f.column, "=", f.values)).label] = (
                1.0 if f.op == "=" else 0.0
            )
        else:
            raise Unanswerable(f"{f.describe()} cannot be a predictor; name a column or value")
    for t in r.measures():
        name = one_column(r, t)
        col = r.col(name)
        if col.type == "boolean":
            _n, pos_value, _neg = t.get(Kind.FLAG)[0] if t.has(Kind.FLAG) else (name, 1, 0)
            predictors.append(Predictor(name, Filter(name, "=", (pos_value,))))
        elif col.info.numeric:
            k = r.toks.index(t)
            if k + 1 < len(r.toks) and r.toks[k + 1].kind == Kind.ROW_NOUN:
                # "OR of improvement for strep pts": a word before the rows says which
                # rows (a group), and a number per patient is no group
                raise Unanswerable(
                    f"'{t.text} {r.toks[k + 1].text}': {name} is a number, not a group of"
                    f" rows; name a value (e.g. a treatment arm) or say 'per unit {t.text}'"
                )
            if not any(p.column == name and p.condition is None for p in predictors):
                predictors.append(Predictor(name))  # "on age, … when age is 80": once
        elif not given_by_value(r, name, predictors):
            raise Unanswerable(f"{name} is not numeric: name one of its values as a predictor")
        t.used = True
    for g in grouped:
        col = r.col(g.column)
        if col.type == "boolean":
            positive = next(
                (
                    v["value"]
                    for v in col.values
                    if v["value"] in (1, True) or str(v["value"]).lower() in lx.YES_TEXTS[:3]
                ),
                1,
            )
            predictors.append(Predictor(col.name, Filter(col.name, "=", (positive,))))
        elif col.info.numeric:
            predictors.append(Predictor(col.name))
        else:
            raise Unanswerable(f"{col.name} is not numeric: name one of its values instead")
    said = {t.text for t in r.toks if t.kind == Kind.ON} & lx.ONE_OF_SEVERAL
    said |= {t.text for t in stats if t.text in lx.ONE_RATIO} | set(singular)
    term = None
    if len(predictors) > 1 and output == "odds_ratio" and said:
        # "per unit of X, adjusting for Y", "the odds ratio for X" in a model of X and Y ask
        # for X's ratio alone, adjusted for Y (reader/terms.py)
        term = asked_term(r, predictors, placed, sorted(said)[0], ratio)
    for t in r.toks:
        if t.kind in (Kind.ON, Kind.VERSUS, Kind.AND) and not t.used:
            t.used = True
    r.filters = []
    if not predictors:
        raise Unanswerable("a logistic regression needs at least one predictor")
    bare_odds(r, stats, predictors, restrict)
    if output == "probability" and set(at) != {p.label for p in predictors} | set():
        missing = [p.label for p in predictors if p.label not in at and p.column not in at]
        if missing:
            raise Unanswerable(f"a probability needs a value for {', '.join(missing)}")
    plan = Plan(
        dataset=r.ds.name,
        statistic="logistic_regression",
        filters=tuple(restrict),
        condition=(outcome,),
        predictors=tuple(predictors),
        output=output,
        at=tuple(at.items()) if output == "probability" else (),
        term=term,
    )
    r.note(
        stats,
        f"logistic regression of ({outcome.describe()}) on "
        + ", ".join(p.label for p in predictors)
        + (f": the {ratio} ratio for {term}, adjusted for the others" if term else ""),
    )
    return r.finish(plan)


def bare_odds(
    r: State, stats: list[Tok], predictors: list[Predictor], restrict: list[Filter]
) -> None:
    """ "the odds of death on drug" said with no ratio, model or comparison: the odds
    among those rows (deaths ÷ survivors) is one reading, the odds ratio against the
    other rows another, and they differ. Refused naming both; "odds ratio", "OR", a
    logistic model, "per year of age", "compared with" or "vs" says the ratio."""
    if {t.text for t in stats} != {"odds"} or restrict:
        return
    if any(p.condition is None for p in predictors):
        return  # "the odds of death per year of age": a ratio per unit
    if any(t.kind in (Kind.VERSUS, Kind.COMPARATIVE) for t in r.toks):
        return
    groups = " and ".join(p.label for p in predictors)
    raise Unanswerable(
        f"'odds' for {groups}: the odds among those rows, or the odds ratio against the"
        " other rows? say 'odds ratio' (or 'OR') for the ratio"
    )
