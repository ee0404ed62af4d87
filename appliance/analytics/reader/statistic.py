"""What is asked: the statistic, its column, and the plan built from them."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, GroupBy, Plan
from appliance.analytics.reader.both_groups import of_both_groups
from appliance.analytics.reader.fits import linear_plan, logistic_plan
from appliance.analytics.reader.follow_ups import bare_count, other_extreme, partial_stat
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import (
    columns_of,
    concept_column,
    label_column,
    one_column,
    rownoun_near,
)
from appliance.analytics.reader.order_said import restated_groups, said_order
from appliance.analytics.reader.shares import (
    percentage_condition,
    percentage_plan,
    share_at_or_below,
)
from appliance.analytics.reader.state import State
from appliance.analytics.reader.survival import read_survival
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.visit_rows import distinct_people


def asks_ids(r: State) -> bool:
    """No statistic, and the one column named is the rows' identifier ("the ids of
    patients over 80"): the matching rows' ids."""
    cols = r.measures()
    return (
        len(cols) == 1
        and cols[0].kind == Kind.COLUMN
        and len(cols[0].data[0]) == 1
        and r.col(cols[0].data[0][0]).type == "identifier"
    )


def counts_of_pair(r: State, count: Tok) -> bool:
    """ "sex by stage counts", "counts of sex by stage": a count of a category column
    grouped by another is their cross-tabulation. Only in that form — the count word
    first or last, the column right before "by" — and only for a category column said
    as its name (never a yes/no column or a value, which would be a condition)."""
    toks = r.toks
    cols = r.measures()
    if len(cols) != 1 or len(r.group_by) != 1 or cols[0].kind != Kind.COLUMN:
        return False
    col = cols[0]
    if set(col.alts) - {Kind.DATASET_NAME} or len(col.data[0]) != 1:
        return False
    if r.col(col.data[0][0]).type != "category":
        return False
    k = toks.index(col)
    if k + 1 >= len(toks) or toks[k + 1].kind != Kind.GROUP or toks[k + 1].text != "by":
        return False
    first = next(t for t in toks if t.kind != Kind.FILLER)
    return count.text in lx.COUNT_WORDS and (toks[-1] is count or first is count)


def crossed_pair(r: State) -> bool:
    """ "sex x improved counts", "counts of white x age group": two columns said by their
    names, crossed ("x", "against"), with a count word first or last, are their
    cross-tabulation (a difference would need two values of one column). The count word
    becomes the cross-tabulation, and the crossing word is read."""
    words = [t for t in r.toks if t.kind != Kind.FILLER]
    counts = [
        t for t in words if t.kind == Kind.STATISTIC and t.text in lx.COUNT_WORDS and not t.used
    ]
    if len(counts) != 1:
        return False

    def named(t: Tok) -> bool:
        if not (
            not t.used
            and t.has(Kind.COLUMN)
            and t.get(Kind.COLUMN)[1]
            and len(t.get(Kind.COLUMN)[0]) == 1
        ):
            return False
        c = r.col(t.get(Kind.COLUMN)[0][0])  # a count of few values crosses too (0, 1, 2)
        few = c.type == "integer" and 0 < c.distinct <= lx.CROSSED_COUNT_VALUES
        return c.type in ("category", "boolean") or few

    crossings = [
        k
        for k in range(1, len(r.toks) - 1)
        if r.toks[k].kind == Kind.VERSUS
        and r.toks[k].text in lx.CROSSINGS
        and named(r.toks[k - 1])
        and named(r.toks[k + 1])
    ]
    if len(crossings) != 1:
        return False
    k = crossings[0]
    right_after = k + 2 < len(r.toks) and r.toks[k + 2] is counts[0]
    if counts[0] not in (words[0], words[-1]) and not right_after:
        return False  # "sex x improved counts for treated patients": right after the pair
    r.toks[k].used = True
    counts[0].data = "crosstab"
    return True


def grouping_word_column(r: State) -> list[GroupBy]:
    """ "cross-tabulate group by gender" where a column is named group: "group by" was
    read as a grouping word, and its first word is the cross-tabulation's first column
    (one column alone is no cross-tabulation)."""
    for t in r.toks:
        if t.kind != Kind.GROUP or not t.used or " " not in t.text:
            continue
        found = r.vocab.table.get((t.text.split()[0],), {}).get(Kind.COLUMN)
        if found and found[1] and len(found[0]) == 1:
            return [GroupBy(str(found[0][0]))]
    return []


def counts_of_flag(r: State, stat_toks: list[Tok]) -> bool:
    """ "counts of smoke by overwt": a yes/no column said by its header's own word (not a
    word for the people, "smokers") right after "counts of" and right before "by Y" is
    the cross-tabulation of the two columns, not the count of its yes rows per group. The
    same words in another order ("count smoke by overwt", "smoke by overwt counts") could
    be either, and the two give different numbers: refused, naming both."""
    toks = r.toks
    counts = [t for t in stat_toks if not t.used]
    if len(counts) != 1 or counts[0].data != "count" or counts[0].text not in lx.COUNT_WORDS:
        return False
    count = counts[0]
    for k, t in enumerate(toks):
        said = t.alts.get(Kind.COLUMN)
        if t.kind != Kind.FLAG or t.used or said is None or not said[1] or len(said[0]) != 1:
            continue
        by = k + 1  # "by" is read (as the grouping) before the statistic
        while by < len(toks) and said[0][0] in _columns_named(toks[by]):
            by += 1  # "hospitalisation for pneumonia by …": more words for the same column
        if by >= len(toks) or toks[by].kind != Kind.GROUP or toks[by].text != "by":
            continue
        if k > 0 and toks[k - 1].text in lx.BREAKDOWN_COMMANDS:
            return True  # "break down smoking by sex, as counts": the table of both
        words = [s for s in toks if s.kind != Kind.FILLER or s.text == "of"]
        if words[0] is not count and words[-1] is not count:
            continue
        c = toks.index(count)
        after = toks[c + 1 : k]
        if count.text.endswith(" of") and not after:
            return True
        if count.text.startswith("counts") and [s.text for s in after] == ["of"]:
            return True
        other = toks[by + 1].text if by + 1 < len(toks) else "the group"
        raise Unanswerable(
            f"'{t.text}' by {other}: the counts of each {said[0][0]} value by {other}"
            f" (a cross-tabulation), or the count of the rows where {said[0][0]} is yes"
            f" by {other}? say 'counts of {t.text} by {other}' for the first,"
            f" 'count {t.text} yes by {other}' for the second"
        )
    return False


def _columns_named(t: Tok) -> list[str]:
    """The columns a token may name, as a column (strongly or weakly)."""
    said = t.get(Kind.COLUMN) if t.kind == Kind.COLUMN else t.alts.get(Kind.COLUMN)
    return [str(c) for c in said[0]] if said else []


def read_statistic(
    r: State, stat_toks: list[Tok], comp_toks: list[Tok], difference: bool
) -> Plan | None:
    survival = read_survival(r, stat_toks)
    if survival is not None:
        return survival
    stats = [t for t in stat_toks if not t.used and t.data not in ("which",)]
    asks_which = False
    for t in stat_toks:
        if t.data == "which":
            t.used = True
            k = r.toks.index(t)
            if t.text == "which" and k + 1 < len(r.toks) and r.toks[k + 1].kind == Kind.ROW_NOUN:
                asks_which = True
    if asks_which and not stats and r.rank is None:
        label = label_column(r)
        r.note(
            [t for t in stat_toks if t.data == "which"],
            f"list the matching rows by {label or 'position'}",
        )
        return r.finish(Plan(dataset=r.ds.name, statistic="list", label=label))
    names = [t.data for t in stats]
    base = Plan(dataset=r.ds.name, statistic="count")
    if r.rank is not None:
        direction, n, col = r.rank
        label = label_column(r)
        for t in stats:
            if t.data in ("list",):
                t.used = True
        return r.finish(
            base.with_(
                statistic="top" if direction == "desc" else "bottom",
                column=col,
                limit=n,
                order=r.order,
                label=label,
            )
        )
    if "logistic" in names or "odds_ratio" in names or "probability" in names:
        return logistic_plan(r, stats)
    if any(n in names for n in ("slope", "intercept", "r2", "prediction")):
        return linear_plan(r, stats)
    if "correlation" in names or "spearman" in names:
        cols = r.measures()
        for t in stats:
            t.used = True
        if len(cols) != 2:
            raise Unanswerable("a correlation needs exactly two numeric columns")
        y = one_column(r, cols[0], numeric=True)
        x = one_column(r, cols[1], numeric=True)
        for t in r.toks:  # "corr age vs sbp": the two columns' link
            if t.kind in (Kind.VERSUS, Kind.ON) and cols[0].start < t.start < cols[1].start:
                t.used = True
        method = "spearman" if "spearman" in names else "pearson"
        r.note([*stats, *cols], f"{method} correlation of {y} and {x}")
        return r.finish(base.with_(statistic="correlation", column=y, x=x, method=method))
    if names == ["count"] and counts_of_pair(r, stats[0]):
        names = ["crosstab"]
        stats[0].data = "crosstab"
    if "crosstab" in names:
        t = next(s for s in stats if s.data == "crosstab")
        cols = r.measures()
        r.group_by = [GroupBy(one_column(r, c)) for c in cols] + r.group_by
        for s in r.toks:  # "region against gender", "sex x substance"
            if (
                s.kind in (Kind.VERSUS, Kind.ON)
                and len(cols) == 2
                and cols[0].start < s.start < cols[1].start
            ):
                s.used = True
        if len(r.group_by) == 1 and not cols:
            r.group_by = grouping_word_column(r) + r.group_by
        if len(r.group_by) != 2:
            raise Unanswerable("a cross-tabulation needs two columns")
        r.note([t, *cols], f"counts by {r.group_by[0].column} and {r.group_by[1].column}")
        for s in stats:
            s.used = True
        return r.finish(base.with_(statistic="crosstab"))
    if difference and (comp_toks or "difference" in names or two_groups(r)):
        return difference_plan(r, stats, comp_toks)
    if "percentage" in names:
        below = share_at_or_below(r, stats)
        if below is not None:
            return below
        return percentage_plan(r, stats)
    if not names and asks_ids(r):
        names = ["list"]  # "women over 80: give their ids"
    if "list" in names and not any(n for n in names if n != "list"):
        for t in stats:
            t.used = True
        label = label_column(r)
        r.note(stats, f"list the matching rows by {label or 'position'}")
        return r.finish(base.with_(statistic="list", label=label))
    return simple_plan(r, stats)


def simple_plan(r: State, stats: list[Tok]) -> Plan | None:
    base = Plan(dataset=r.ds.name, statistic="count")
    kinds = []
    for t in stats:
        name = t.data
        if t.text in lx.SHOW and any(s.data not in ("list", "which") for s in stats):
            r.note([t], "show the statistic asked")  # "show me the median age"
            continue
        if name in ("top", "bottom", "list", "which"):
            raise Unanswerable(f"{t.text!r} needs a column to rank by and how many rows")
        kinds.append(t)
    # "how many distinct X", "how many patients ... total" — a count with a qualifier.
    primary = [t for t in kinds if t.data != "count"] or kinds
    if len(primary) == 1 and primary[0].text == "total" and len(kinds) > 1 and not r.measures():
        primary = [t for t in kinds if t.data == "count"]  # "total no. of pts": a count
    if len({t.data for t in primary}) > 1:
        words = ", ".join(repr(t.text) for t in primary)
        raise Unanswerable(f"the question asks for more than one statistic ({words})")
    if not primary and r.group_rank is not None:
        return r.finish(base)  # "which ward has the most admissions": a count
    if not primary and r.group_by and any(t.kind == Kind.ROW_NOUN and not t.used for t in r.toks):
        r.note([], "count of rows")
        return r.finish(base)  # "pts per race": the rows, counted per group
    if not primary:
        plan = superlative_plan(r) or total_plan(r)
        if plan is not None:
            return plan
        if r.follow_up:
            other_extreme(r)  # "and the shortest?"
            return None
        raise Unanswerable(
            "what should be computed? ask for a count, mean, median, sum, minimum, maximum,"
            " standard deviation, percentile, percentage, difference, correlation or"
            " regression"
        )
    stat = primary[0].data
    used = [*kinds]
    percentile = None
    if stat == "percentile":
        percentile = percentile_value(r, primary[0], used)
    if stat == "count" and summed_column(r):
        stat = "sum"  # "how many stay days altogether": the days, added up
    if stat in ("count",):
        for t in kinds:
            t.used = True
        r.note(used, "count of rows")
        return None if bare_count(r) else r.finish(base)  # "n?" in a conversation
    cols = r.measures() or recorded_column(r, stat)
    if stat == "count_distinct" and not cols:
        cols = distinct_people(r)  # "how many distinct patients": their identifier
    if stat == "count_distinct" and not cols:
        raise Unanswerable(f"{primary[0].text!r} of which column?")
    if not cols:
        if r.follow_up:
            for t in kinds:
                t.used = True
            if kinds:
                partial_stat(r, stat, percentile, used)
            return None
        raise Unanswerable(f"{primary[0].text!r} of which column?")
    if len(cols) > 1 and len({tuple(columns_of(r, c)) for c in cols}) == 1:
        for c in cols[1:]:
            c.used = True  # "length of pregnancy in weeks": one column, named twice
        used += cols[1:]
        cols = cols[:1]
    if len(cols) > 1:
        raise Unanswerable(
            f"{primary[0].text!r} of which column? the question names "
            + ", ".join(repr(c.text) for c in cols)
        )
    numeric = stat not in ("count_distinct", "null_count")
    column = one_column(r, cols[0], numeric=numeric)
    if numeric and not r.col(column).info.numeric:
        raise Unanswerable(
            f"{column} is not numeric: a {stat} of it means nothing (try a count by {column},"
            " or a percentage)"
        )
    used.append(cols[0])
    plan = base.with_(statistic=stat, column=column, percentile=percentile)
    from appliance.analytics.engine import describe

    r.note(used, describe(plan))
    return r.finish(plan)


def superlative_plan(r: State) -> Plan | None:
    """ "the youngest patient" (the minimum age), "the longest stay" (the maximum of the
    column named): a superlative no ranking took, as the minimum or maximum of the column
    it names or implies. Only where every column the question names is that one: "the
    bmi of the oldest patient" is that patient's bmi, not the highest bmi, and refused."""
    supers = [t for t in r.toks if t.kind == Kind.SUPERLATIVE and not t.used]
    if len(supers) != 1:
        return None
    (t,) = supers
    direction, concept = t.data
    k = r.toks.index(t)
    after = r.nxt(k)
    if after is not None and r.toks[after].text in lx.MEASURED:
        after = r.nxt(after)  # "the highest measured weight"
    used = [t]
    # "the oldest woman's bmi": a condition between a superlative that implies its own
    # column and the column named says whose row it picks (her bmi, not the highest)
    picks_row = concept is not None and any(
        b.used and b.kind != Kind.FILLER for b in r.toks[k + 1 : after]
    )
    if after is not None and r.toks[after].kind == Kind.COLUMN and not picks_row:
        column = one_column(r, r.toks[after], numeric=True)
        used.append(r.toks[after])
    elif concept is not None:
        column = concept_column(r, concept, t.text, rownoun_near(r, k))
    else:
        return None
    for c in r.measures():
        if c in used:
            continue
        if c.kind != Kind.COLUMN or columns_of(r, c, numeric=True) != [column]:
            raise Unanswerable(
                f"{t.text!r} picks a row by its {column}, and the question asks for its"
                f" {c.text!r}: ask for a ranking (e.g. 'which patient is the {t.text}')"
            )
        used.append(c)
    if not r.col(column).info.numeric:
        raise Unanswerable(f"{t.text!r}: {column} is not numeric")
    plan = Plan(dataset=r.ds.name, statistic="min" if direction == "asc" else "max")
    plan = plan.with_(column=column)
    from appliance.analytics.engine import describe

    r.note(used, describe(plan))
    return r.finish(plan)


def total_plan(r: State) -> Plan | None:
    """ "length of stay altogether", "units given in all": no statistic named, one number
    column, and a word that adds up ending the question: the column's sum. Only at the
    end (or before conditions and groupings read already), where it can say nothing else
    ("age in all patients" is no total)."""
    totals = [t for t in r.toks if t.text in lx.TOTALS and t.kind == Kind.FILLER]
    cols = r.measures()
    if len(totals) != 1 or len(cols) != 1 or cols[0].kind != Kind.COLUMN:
        return None
    k = r.toks.index(totals[0])
    if any(t.kind != Kind.FILLER and not t.used for t in r.toks[k + 1 :]):
        return None
    names = columns_of(r, cols[0], numeric=True)
    if len(names) != 1 or r.col(names[0]).type not in ("integer", "number"):
        return None
    plan = Plan(dataset=r.ds.name, statistic="sum", column=names[0])
    from appliance.analytics.engine import describe

    r.note([totals[0], cols[0]], describe(plan))
    return r.finish(plan)


def recorded_column(r: State, stat: str) -> list[Tok]:
    """ "the lowest age recorded", "mean bmi on record": the column a "recorded" took as a
    condition is the one measured (the condition stays: a statistic skips empty values
    anyway; so does a count of distinct values). Only for a statistic of a column, and
    only one such column."""
    if stat in ("count", "percentage"):
        return []
    present = [t for t in r.toks if t.used and t.kind == Kind.PRESENT]
    found = [  # "measured" before a name says which column ("measured weight"), not after
        c
        for c in r.toks
        if c.used
        and c.kind == Kind.COLUMN
        and any(
            next_to(r, c, p) and (p.text not in lx.MEASURED or p.start >= c.end) for p in present
        )
    ]
    names = {f.column for _p, f in r.filters if f.op == "not_null"}
    if len(found) != 1 or len(names) != 1 or columns_of(r, found[0]) != sorted(names):
        return []
    found[0].used = False
    return found


def summed_column(r: State) -> bool:
    """ "how many stay days altogether", "the total number of visits": a count of a
    column of counts, said with a word that adds up, is its sum. Only a column of whole
    numbers that are never negative, and only with such a word."""
    totals = [t for t in r.toks if t.text in lx.TOTALS]
    cols = [t for t in r.toks if not t.used and t.kind == Kind.COLUMN]
    if not totals or len(cols) != 1 or any(t.kind == Kind.FLAG and not t.used for t in r.toks):
        return False
    names = columns_of(r, cols[0], numeric=True)
    if len(names) != 1:
        return False
    c = r.col(names[0])
    if c.type != "integer" or not isinstance(c.min, int | float) or c.min < 0:
        return False
    for t in totals:
        t.used = True
    return True


def percentile_value(r: State, tok: Tok, used: list[Tok]) -> float:
    toks = r.toks
    i = toks.index(tok)
    p = i - 1
    if tok.text in lx.UPPER_QUARTILE:
        return 75.0
    if tok.text in lx.LOWER_QUARTILE:
        return 25.0
    if tok.text == "quartile":
        if (p >= 0 and toks[p].kind in (Kind.ORDINAL, Kind.ORDER)) or (
            p >= 0 and toks[p].text in lx.QUARTILE_WHICH
        ):
            word = toks[p].text
            used.append(toks[p])
            if word in lx.FIRST_QUARTILE_WORDS:
                return 25.0
            if word in lx.THIRD_QUARTILE_WORDS:
                return 75.0
        raise Unanswerable("which quartile? the first (lower) or third (upper)")
    if p >= 0 and toks[p].kind in (Kind.ORDINAL, Kind.NUMBER):
        used.append(toks[p])
        return float(toks[p].data)
    if p >= 0 and toks[p].kind == Kind.ORDER and toks[p].text == "first":
        used.append(toks[p])
        return 1.0
    raise Unanswerable('which percentile? say e.g. "the 90th percentile of bmi"')


def two_groups(r: State) -> bool:
    return any(t.kind == Kind.VERSUS for t in r.toks if not t.used)


def next_to(r: State, column: Tok, present: Tok) -> bool:
    """Right before or after it, or before it with only a verb between ("how many
    different levels of improvement are recorded")."""
    if column.end == present.start or present.end == column.start:
        return True  # "the highest white cell count recorded": a name of several words
    between = [t for t in r.toks if column.end <= t.start < present.start]
    units = [t for t in between if t.kind == Kind.UNIT]  # "the minimum age, in years, recorded"
    return bool(between) and all(
        t.text in lx.CONNECTORS or t in units or (t.text == "in" and units) for t in between
    )


def difference_plan(r: State, stats: list[Tok], comp_toks: list[Tok]) -> Plan:
    """A statistic in group A minus the same in group B, in the order asked."""
    toks = r.toks
    inner = [t for t in stats if t.data not in ("difference", "count")]
    used = [t for t in stats if t.data == "difference"]
    sign = 1
    column = None
    of = None
    if comp_toks:
        sign, concept = comp_toks[0].get(Kind.COMPARATIVE)
        used.append(comp_toks[0])
        if concept is not None:
            column = concept_column(r, concept, comp_toks[0].text)
            of = "mean"
            for c in r.measures():  # "how much longer do … stay": the column, said again
                if c.kind == Kind.COLUMN and columns_of(r, c, numeric=True) == [column]:
                    used.append(c)
                    c.used = True
    for t in stats:
        if t.data == "count":
            used.append(t)
            of = of or "count"
    if inner:
        of = inner[0].data
        used += inner
    if of == "percentage":
        pass
    elif of is None:
        of = "mean"
        r.caveats.append("no statistic was named: the means are compared")
    cols = r.measures()
    if of in ("count", "percentage"):
        pass
    elif column is None:
        if len(cols) != 1:
            raise Unanswerable("a difference of which column? name one numeric column")
        column = one_column(r, cols[0], numeric=True)
        used.append(cols[0])
    # The two groups: the last two filters of one column, in the order asked.
    restated = restated_groups(r, used)  # "(Drug 1 minus Placebo)": the order
    by_column: dict[str, list[tuple[int, Filter]]] = {}
    for pos, f in r.filters:
        by_column.setdefault(f.column, []).append((pos, f))
    pairs = [v for v in by_column.values() if len(v) == 2]
    if len(pairs) != 1:
        raise Unanswerable(
            'a difference needs two groups of the same column ("between smokers and non-smokers")'
        )
    (pa, fa), (pb, fb) = sorted(pairs[0], key=lambda x: x[0])
    r.filters = [(p, f) for p, f in r.filters if (p, f) not in pairs[0]]
    for t in toks:
        if (
            t.kind in (Kind.VERSUS, Kind.THAN, Kind.AND, Kind.BETWEEN)
            and not t.used
            and pa <= toks.index(t) <= pb
        ):
            t.used = True
    percent = of == "percentage"  # a percentage's condition, else both groups' filters
    condition = percentage_condition(r) if percent else ()
    shared = () if percent else of_both_groups(r, pa, pb)
    order = said_order(r, used)
    if restated is not None:
        order = "first" if restated == fa else "second"
    if order is not None:  # "(second minus first)": the groups the other way round
        wanted = 1 if order == "first" else -1
        if comp_toks and sign != wanted:
            raise Unanswerable(
                f"{comp_toks[0].text!r} and '{order} minus …' ask for opposite differences:"
                " say one of them"
            )
        sign = wanted
    groups = ((fa,), (fb,)) if sign > 0 else ((fb,), (fa,))
    plan = Plan(
        dataset=r.ds.name,
        statistic="difference",
        of=of,
        column=column,
        groups=groups,
        condition=condition,
        filters=shared,
    )
    first, second = groups[0][0].describe(), groups[1][0].describe()
    what = f"{of} of {column}" if column else of
    r.note(used, f"difference in {what}: ({first}) minus ({second})")
    return r.finish(plan)
