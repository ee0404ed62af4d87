"""Conditions (filters): comparisons, ranges, missing values, values and flags (dates:
reader/dates.py)."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics import units
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, GroupBy
from appliance.analytics.reader.conversion import amount_before_column, convert, measured_after
from appliance.analytics.reader.counted import count_before_column, numeral_value
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import (
    coded_flag,
    columns_of,
    concept_column,
    implied_concept,
    names_its_column,
    none_value,
    one_column,
    rownoun_near,
    subject_column,
    value_of,
)
from appliance.analytics.reader.shared_words import flattened, set_caveats
from appliance.analytics.reader.signed_values import as_written
from appliance.analytics.reader.state import State
from appliance.analytics.reader.thresholds import as_flag, threshold_of
from appliance.analytics.reader.tokens import Tok


def add_filter(r: State, pos: int, f: Filter, toks: list[Tok]) -> None:
    said = [t for t in toks if t.kind == Kind.UNIT]
    if not said:
        f = as_written(r, f, toks)  # "ESR above 20": the value "ESR > 20", as written
    if threshold_of(r, f.column) is not None:  # "aged 80 or older" of age_80_or_older
        phrase = " ".join(t.text for t in sorted(toks, key=lambda t: t.start))
        if any(t.data not in lx.AGE_UNITS for t in said):
            raise Unanswerable(f"{phrase!r}: {f.column} counts age in years")
        f, said = as_flag(r, f, phrase), []
    if said and f.op in ("=", "!=", "<", "<=", ">", ">=", "in", "between"):
        if len({units.canonical(t.data) for t in said}) > 1:
            raise Unanswerable(f"{f.describe()}: two different units in one condition")
        by = convert(r, f.column, said[0])
        if by != 1.0 and all(isinstance(v, int | float) for v in f.values):
            f = Filter(f.column, f.op, tuple(v / by for v in f.values), f.part)
    r.filtered.add(f.column)
    r.filters.append((pos, f))
    r.note(toks, f"only rows where {f.describe()}")


def read_between(r: State) -> None:
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or t.kind != Kind.BETWEEN:
            continue
        a = r.nxt(i)
        if a is None or toks[a].kind not in (Kind.NUMBER, Kind.DATE):
            continue
        u = a + 1 if a + 1 < len(toks) and toks[a + 1].kind == Kind.UNIT else None
        conj = r.nxt(u if u is not None else a)
        if conj is None or not (toks[conj].kind == Kind.AND or toks[conj].text == "to"):
            continue
        b = r.nxt(conj)
        if b is None or toks[b].kind != toks[a].kind:
            continue
        used = [t, toks[a], toks[conj], toks[b]]
        if u is not None:
            used.append(toks[u])
        if b + 1 < len(toks) and toks[b + 1].kind == Kind.UNIT:
            used.append(toks[b + 1])
        col = subject_column(r, i, used, date=toks[a].kind == Kind.DATE)
        low, high = toks[a].data, toks[b].data
        if high < low:
            low, high = high, low
            r.caveats.append(f"read as between {low} and {high}")
        add_filter(r, i, Filter(col, "between", (low, high)), used)


def read_either_side(r: State) -> None:
    """ "younger than 40 or older than 75", "bmi under 20 or over 35": one column below
    one number or above another, one filter (not_between). Only strict on both sides
    and only the low end below the high one; anything else is left to the other
    readings (and refused there: "or" between conditions is no "and")."""
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or not t.has(Kind.COMPARISON) or t.kind not in (Kind.COMPARISON,):
            continue
        op1, phrase1 = t.get(Kind.COMPARISON)
        j = i + 1
        if j >= len(toks) or toks[j].kind != Kind.NUMBER:
            continue
        unit1 = j + 1 < len(toks) and toks[j + 1].kind == Kind.UNIT
        k = j + 2 if unit1 else j + 1
        m = next((x for x in range(k, min(k + 4, len(toks))) if toks[x].kind == Kind.NUMBER), None)
        if m is None or m == k:
            continue
        between = " ".join(x.text for x in toks[k:m]).split()
        if not between or between[0] != "or":
            continue
        phrase2 = " ".join(between[1:])
        op2 = lx.COMPARISONS.get(phrase2)
        if {op1, op2} != {"<", ">"}:
            continue
        low, high = (toks[j], toks[m]) if op1 == "<" else (toks[m], toks[j])
        implied = {implied_concept(phrase1), implied_concept(phrase2)} - {None}
        if len(implied) > 1:
            continue
        used = [t, *toks[j : m + 1]]
        if m + 1 < len(toks) and toks[m + 1].kind == Kind.UNIT:
            used.append(toks[m + 1])
        after = toks.index(used[-1]) + 1
        col = subject_column(r, i, used, implied=next(iter(implied), None), after=after)
        if not low.data < high.data:
            said = " ".join(x.text for x in used)
            raise Unanswerable(f"{said!r} holds for every value: say which rows")
        add_filter(r, i, Filter(col, "not_between", (low.data, high.data)), used)


def read_comparisons(r: State) -> None:
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used:
            continue
        numeric_time = (
            t.kind in (Kind.BEFORE, Kind.AFTER)
            and i + 1 < len(toks)
            and toks[i + 1].kind == Kind.NUMBER
            and not (1900 <= toks[i + 1].data <= 2100)
        )
        if (
            t.kind == Kind.COMPARISON
            or numeric_time
            or (
                t.has(Kind.COMPARISON)
                and t.kind in (Kind.SUPERLATIVE, Kind.STATISTIC, Kind.COMPARATIVE)
            )
        ):
            if numeric_time:
                op, phrase = ("<" if t.kind == Kind.BEFORE else ">"), t.text
            else:
                op, phrase = t.get(Kind.COMPARISON)
            j = r.nxt(i, skip_soft=False)
            if j is not None and toks[j].kind == Kind.FILLER and toks[j].text in ("a", "an"):
                j = r.nxt(j, skip_soft=False)
            if j is None or toks[j].kind not in (Kind.NUMBER, Kind.DATE):
                continue
            used = [t, toks[j]]
            if j + 1 < len(toks) and toks[j + 1].kind == Kind.UNIT:
                used.append(toks[j + 1])
            implied = implied_concept(phrase)
            after = j + 2 if len(used) == 3 else j + 1
            if implied is None and len(used) == 3 and (implied := measured_after(r, after)):
                used.append(toks[after])  # "at least 180 cm tall": a height
                after += 1
            col = subject_column(
                r, i, used, date=toks[j].kind == Kind.DATE, implied=implied, after=after
            )
            if op == "=" and r.col(col).info.numeric is False and toks[j].kind != Kind.DATE:
                raise Unanswerable(f"{col} is not numeric: cannot compare it to a number")
            add_filter(r, i, Filter(col, op, (toks[j].data,)), used)
        elif t.kind == Kind.NUMBER and not t.used:
            j = t.end
            k = i + 1
            if k < len(toks) and toks[k].kind == Kind.UNIT:
                k += 1
            if k < len(toks) and (
                toks[k].kind == Kind.SUFFIX_COMPARISON or toks[k].has(Kind.SUFFIX_COMPARISON)
            ):
                op, phrase = toks[k].get(Kind.SUFFIX_COMPARISON)
                used = [t, *toks[i + 1 : k + 1]]
                implied = implied_concept(phrase)
                # "women with 3 or more illnesses": the column named right after what
                # counts it, as after "at least"; never after "or older" (an age)
                behind = k + 1 if implied is None else None
                col = subject_column(r, i, used, implied=implied, after=behind)
                add_filter(r, i, Filter(col, op, (t.data,)), used)
                continue
            del j
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.kind == Kind.UNIT and nxt.data == "years old":
                p = r.prev(i)
                # "age 60 years old" says its column; "… of improvement for a 60-year-old"
                # does not (a column of no numbers cannot be an age)
                if p is None or not (
                    toks[p].kind == Kind.COLUMN
                    and any(r.col(c).info.numeric for c in columns_of(r, toks[p]))
                ):
                    col = concept_column(r, "age", f"{t.text} {nxt.text}", rownoun_near(r, i))
                    add_filter(r, i, Filter(col, "=", (t.data,)), [t, nxt])
                    continue
            amount = amount_before_column(r, i) or count_before_column(r, i)
            if amount is not None:  # "a 10-day stay", "with 0 visits", "w/ 5 illnesses"
                add_filter(r, i, *amount)
                continue
            if nxt is not None and not nxt.used and nxt.text in lx.UNITS and r.is_col(nxt):
                # "at 40 weeks": the unit names the column
                col = one_column(r, nxt, numeric=True)
                add_filter(r, i, Filter(col, "=", (t.data,)), [t, nxt])
                continue
            if i and toks[i - 1].text == "the" and nxt is not None and nxt.kind == Kind.ROW_NOUN:
                continue  # "the visit IDs of the three visits": how many rows, no value
            # "aged 65", "bmi of 30", "ecog 2 or 3": a column, then a number (or several).
            p = r.prev(i)
            if p is not None and coded_flag(r, toks[p], t):
                # "gender 1", "treat 0": a yes/no column stored as 0/1, then one of its codes
                add_filter(r, i, Filter(toks[p].get(Kind.FLAG)[0][0], "=", (t.data,)), [toks[p], t])
                continue
            if p is not None and r.is_col(toks[p]) and toks[p].kind != Kind.FLAG:
                col = one_column(r, toks[p], numeric=True)
                if not r.col(col).info.numeric and r.col(col).type != "identifier":
                    if (held := numeral_value(r, col, i)) is not None:  # "grade 9"
                        add_filter(r, i, Filter(col, "=", (held,)), [toks[p], t])
                    continue
                used = [toks[p], t]
                if nxt is not None and nxt.kind == Kind.UNIT:
                    used.append(nxt)
                to = r.nxt(i, skip_soft=False)
                if (
                    to is not None
                    and toks[to].text in lx.RANGE_TO
                    and not (to + 1 < len(toks) and toks[to + 1].kind == Kind.NUMBER)
                ):
                    raise Unanswerable(f"'{toks[p].text} {t.text} {toks[to].text}' to what?")
                if (
                    to is not None
                    and toks[to].text in lx.RANGE_TO
                    and (to + 1 < len(toks) and toks[to + 1].kind == Kind.NUMBER)
                ):
                    used += [toks[to], toks[to + 1]]  # "aged 30 to 40"
                    if to + 2 < len(toks) and toks[to + 2].kind == Kind.UNIT:
                        used.append(toks[to + 2])
                    f = Filter(col, "between", (t.data, toks[to + 1].data))
                    add_filter(r, i, f, used)
                    continue
                values = [t.data]
                k = i
                while True:
                    c = r.nxt(k)
                    if c is None or (
                        toks[c].kind not in (Kind.OR, Kind.AND) and toks[c].text != ","
                    ):
                        break
                    d = r.nxt(c)
                    if d is None or toks[d].kind != Kind.NUMBER:
                        break
                    values.append(toks[d].data)
                    used += [toks[c], toks[d]]
                    k = d
                if len(values) > 1 and any(toks[x].kind == Kind.AND for x in range(i, k)):
                    raise Unanswerable(f"{col} cannot be {values[0]} and {values[1]} at once")
                f = (
                    Filter(col, "in", tuple(values))
                    if len(values) > 1
                    else Filter(col, "=", (t.data,))
                )
                add_filter(r, i, f, used)


def read_missing(r: State) -> None:
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or t.kind not in (Kind.MISSING, Kind.PRESENT):
            continue
        op = "is_null" if t.kind == Kind.MISSING else "not_null"
        used = [t]
        p = r.prev(i)
        j = r.nxt(i)
        if (
            t.text in lx.ON_RECORD
            and p is not None
            and toks[p].kind == Kind.ROW_NOUN
            and (j is None or toks[j].kind in (Kind.FILLER, Kind.AMONG))
        ):
            r.note([t], "the rows themselves")  # "how many patients are recorded"
            continue
        if (
            t.text in lx.ON_RECORD
            and j is not None
            and toks[j].kind == Kind.STATISTIC
            and toks[j].data in lx.OF_VALUES
        ):
            # "the recorded mean age": a statistic of a column is of its recorded values
            r.note([t], "the values recorded (a statistic skips empty ones)")
            continue
        if (
            t.kind == Kind.PRESENT
            and i + 1 < len(toks)
            and toks[i + 1].text == "with"
            and j is not None
            and (toks[j].kind == Kind.FLAG or toks[j].has(Kind.VALUE))
        ):
            # "patients recorded with relapse": the condition is the relapse, not
            # that it is filled in; "recorded" is only said of rows.
            if p is not None and toks[p].kind == Kind.ROW_NOUN:
                r.note([t], "the rows themselves")
            continue
        counted = (
            p is not None
            and toks[p].kind == Kind.STATISTIC
            and toks[p].data in ("count", "percentage", "count_distinct")
        )
        if (
            t.text in lx.MEASURED
            and j == i + 1
            and r.is_col(toks[j])
            and not counted
            and not (i > 0 and toks[i - 1].text in lx.HAVING)
        ):
            # "the average measured weight", "between measured height and reported
            # height": which column, not a condition ("patients with measured weight" is)
            continue
        if p is not None and toks[p].kind == Kind.NEGATION and t.kind == Kind.MISSING:
            op = "not_null"
            used.append(toks[p])
            p = r.prev(p)
        before_unit = r.prev(p) if p is not None and toks[p].kind == Kind.UNIT else None
        if (
            t.kind == Kind.PRESENT
            and before_unit is not None
            and r.is_col(toks[before_unit])
            and not (j is not None and r.is_col(toks[j]))
        ):
            p = before_unit  # "the minimum age, in years, recorded": the unit is the answer's
        if p is not None and t.kind == Kind.PRESENT and toks[p].kind == Kind.FLAG:
            if not toks[p].has(Kind.COLUMN):
                continue  # "how many deaths recorded": the deaths, not died filled in
        if t.kind == Kind.PRESENT and j is not None and p is not None and r.is_col(toks[p]):
            if r.is_col(toks[j]):
                raise Unanswerable(  # "the mean age recorded at diagnosis": age_at_diagnosis?
                    f"{t.text!r} between {toks[p].text!r} and {toks[j].text!r}: say which column"
                    " the statistic is of, and which must be recorded"
                )
        if (
            j is not None
            and t.kind == Kind.MISSING
            and toks[j].text in lx.POSSESSIVES
            and (k := r.nxt(j)) is not None
            and r.is_col(toks[k])
        ):
            used.append(toks[j])  # "patients missing their BMI": their own BMI is empty
            j = k
        if j is not None and r.is_col(toks[j]):
            col = one_column(r, toks[j])
            used.append(toks[j])
            counts = r.col(col).type == "integer" and r.col(col).min == 0
            if t.kind == Kind.PRESENT and counts and toks[j].text.endswith("s"):
                raise Unanswerable(  # "respondents who reported illnesses": any, or > 0?
                    f"'{t.text} {toks[j].text}' could mean {col} recorded (every row with a"
                    f" value, 0 included) or {col} above 0: say which"
                )
        elif p is not None and r.is_col(toks[p]):
            col = one_column(r, toks[p])
            q = r.prev(p)
            if t.kind == Kind.PRESENT and q is not None and toks[q].text in lx.TOTALS:
                r.note([t], "the values recorded (a total adds them up)")  # "total … reported"
                continue
            counts = r.col(col).type == "integer" and r.col(col).min == 0
            if t.kind == Kind.PRESENT and counts and q is not None and toks[q].data == "count":
                raise Unanswerable(  # "the number of days of reduced activity reported"
                    f"'{toks[q].text} {toks[p].text} {t.text}' could mean the rows with {col}"
                    f" recorded or the {col} added up: say 'how many rows' or 'total'"
                )
            used.append(toks[p])
            q = r.prev(p)
            if q is not None and toks[q].kind == Kind.NEGATION and t.kind == Kind.PRESENT:
                op = "is_null"  # "no weight gained recorded"
                used.append(toks[q])
        else:
            continue
        add_filter(r, i, Filter(col, op), used)
    # "with no bmi", "without a recorded weight" are read above; "no bmi" here.
    for i, t in enumerate(toks):
        if t.used or t.kind != Kind.NEGATION or t.text not in ("no", "without"):
            continue
        j = r.nxt(i)
        if j is not None and toks[j].kind == Kind.COLUMN and not toks[j].has(Kind.VALUE):
            profile = r.col(one_column(r, toks[j]))
            if profile.type == "boolean":
                continue
            nothing = none_value(profile)
            if nothing is not None:
                f = Filter(profile.name, "=", (nothing,))  # "no improvement": "None"
            elif profile.type == "integer" and profile.min == 0:
                f = Filter(profile.name, "=", (0,))  # "no physician visits": none at all
            elif profile.nulls:
                f = Filter(profile.name, "is_null")  # "no bmi": not recorded
            else:
                raise Unanswerable(f"{t.text} {toks[j].text!r}: {profile.name} is never empty")
            add_filter(r, i, f, [t, toks[j]])


def read_contains(r: State) -> None:
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or t.text not in lx.CONTAINS_WORDS:
            continue
        j = r.nxt(i)
        if j is None or toks[j].kind not in (Kind.QUOTED, Kind.UNKNOWN, Kind.VALUE, Kind.COLUMN):
            continue
        used = [t, toks[j]]
        col = (
            subject_column(r, i, used, implied=None)
            if r.prev(i) is not None and (r.is_col(toks[r.prev(i) or 0]))
            else None
        )
        if col is None:
            texts = [c.name for c in r.ds.columns if c.type in ("category", "text")]
            if len(texts) != 1:
                continue
            col = texts[0]
        add_filter(r, i, Filter(col, "contains", (toks[j].text,)), used)


def read_any(r: State) -> None:
    """ "patients who had any sore throat": "any" before a column of whole numbers from 0
    (a score or a count) is more than 0. Not before a number or a comparison ("any
    units over 2" is the comparison's), nor before a column of other numbers."""
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or t.text != "any" or t.kind != Kind.FILLER:
            continue
        j = r.nxt(i)
        if j is None or toks[j].kind != Kind.COLUMN or toks[j].used:
            continue
        names = columns_of(r, toks[j], numeric=True)
        if len(names) != 1:
            continue
        c = r.col(names[0])
        if c.type != "integer" or c.min != 0:
            continue
        after = r.nxt(j)
        if after is not None and toks[after].kind in (
            Kind.NUMBER,
            Kind.COMPARISON,
            Kind.SUFFIX_COMPARISON,
        ):
            continue
        add_filter(r, j, Filter(names[0], ">", (0,)), [t, toks[j]])


def read_values(r: State, difference: bool, crosstab: bool = False) -> None:
    """Value filters: "women", "with heart failure", "not smokers", "stage 3 or 4"."""
    toks = r.toks
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.used or not (t.has(Kind.VALUE) or t.kind == Kind.FLAG):
            i += 1
            continue
        if crosstab and t.has(Kind.COLUMN) and t.get(Kind.COLUMN)[1]:
            # "crosstab of premie by gender": the column, not its value
            t.alts[t.kind] = t.data
            t.kind, t.data = Kind.COLUMN, t.alts.pop(Kind.COLUMN)
            i += 1
            continue
        if t.kind == Kind.COLUMN and not t.has(Kind.VALUE):
            i += 1
            continue
        if crosstab and t.kind == Kind.FLAG and r.crossed(i):
            i += 1  # "admission type against death": the yes/no column, crossed
            continue
        if t.kind == Kind.FLAG and not t.has(Kind.VALUE):
            n = r.nxt(i)
            said = toks[n].get(Kind.VALUE) if n is not None and toks[n].has(Kind.VALUE) else []
            if any(c == t.get(Kind.FLAG)[0][0] for c, _v in said):
                i += 1  # "kyphosis present": the value after it says which
                continue
        used = [t]
        negated = False
        p = r.prev(i)
        if p is not None and toks[p].kind == Kind.NEGATION:
            negated = True
            used.append(toks[p])
            p = r.prev(p)
        column: str | None = None
        if (
            p is not None
            and (
                toks[p].kind == Kind.COLUMN
                or (toks[p].kind == Kind.FLAG and toks[p].has(Kind.COLUMN))
            )
            and not toks[p].used
        ):
            names = toks[p].get(Kind.COLUMN)[0]
            val = t.get(Kind.VALUE) if t.has(Kind.VALUE) else []
            if any(o[0] in names for o in val):
                column = next(o[0] for o in val if o[0] in names)
                used.append(toks[p])
        if t.has(Kind.VALUE):
            pair = value_of(r, t, column)
            assert pair is not None
            column, value = pair
        else:
            column, pos, neg = t.get(Kind.FLAG)[0]
            value = pos
        values = [value]
        k = i
        joined: list[Tok] = []
        while True:
            c = r.nxt(k)
            if c is None or (
                toks[c].kind not in (Kind.OR, Kind.AND, Kind.VERSUS) and toks[c].text != ","
            ):
                break
            d = r.nxt(c)
            if d is None or not toks[d].has(Kind.VALUE):
                break
            other = value_of(r, toks[d], column)
            if other is None or other[0] != column:
                break
            said = [s for s in toks[k + 1 : c] if s.used and s.kind != Kind.FILLER]
            if said and toks[c].kind == Kind.OR:
                # "women over 60 or men": the condition between them may be the first's
                raise Unanswerable(
                    f"{said[0].text!r} between {toks[k].text!r} and {toks[d].text!r}: of"
                    f" {toks[k].text!r} only, or of both? ask about each"
                )
            if difference and toks[c].kind in (Kind.AND, Kind.VERSUS):
                break  # two groups to compare, not one set
            if toks[c].kind == Kind.AND and not negated and each_group(r, i, d, column):
                joined += [toks[c], toks[d]]
                values.append(other[1])
                k = d
                continue
            if toks[c].kind == Kind.AND and not negated:
                raise Unanswerable(
                    f"{t.text!r} and {toks[d].text!r} are values of the same column {column}:"
                    " say 'or' for rows with either, or ask per group"
                )
            joined += [toks[c], toks[d]]
            values.append(other[1])
            k = d
        used += joined
        r.caveats += set_caveats(column, values, negated)
        values = list(dict.fromkeys(flattened(values)))  # "AML or ALL": every value of each
        after = r.nxt(k)
        if after is not None and names_its_column(r, toks[after], column):
            used.append(toks[after])  # "the orthopaedics ward", "a lymphoid diagnosis"
        if t.kind == Kind.FLAG and not t.has(Kind.VALUE):
            said, negates = happened(r, k)
            used += said
            negated = negated != negates
            f = Filter(column, "=", (neg if negated else value,))
        elif len(values) == 1:
            f = Filter(column, "!=" if negated else "=", (value,))
        elif negated:
            for v in values[1:]:
                r.filters.append((i, Filter(column, "!=", (v,))))
            f = Filter(column, "!=", (values[0],))
        else:
            f = Filter(column, "in", tuple(values))
        add_filter(r, i, f, used)
        if negated and len(values) > 1:  # the note names every value left out, not one
            r.notes[-1]["meaning"] = f"only rows where {column} is none of {tuple(values)!r}"
        i = k + 1


def each_group(r: State, i: int, d: int, column: str) -> bool:
    """ "the average IQ for men and for women": a preposition said again before the
    second value asks for each group apart (grouped by the column, kept to the values
    named), never for rows that are both, nor silently for rows with either."""
    toks = r.toks
    before = toks[i - 1].text if i > 0 else ""
    if before not in lx.EACH_GROUP_PREPOSITIONS or toks[d - 1].text != before:
        return False
    if any(g.column != column for g in r.group_by):
        return False
    if not r.group_by:
        r.group_by.append(GroupBy(column))
    return True


def happened(r: State, k: int) -> tuple[list[Tok], bool]:
    """ "whose CMV came back", "whose CMV did not come back": the verb after a yes/no
    column that says its event happened (or, negated, did not); no other verb."""
    toks = r.toks
    a = r.nxt(k)
    if a is None:
        return [], False
    b = r.nxt(a)
    said, negates = [toks[a]], False
    if toks[a].kind == Kind.NEGATION and b is not None and toks[b].text in lx.HAPPENED:
        said, negates, b = [toks[a], toks[b]], True, r.nxt(b)
    elif toks[a].text not in lx.HAPPENED:
        return [], False
    if b is not None and (toks[b].has(Kind.VALUE) or toks[b].kind == Kind.FLAG):
        # "whose cmv came back negative": the column's event, or the value's?
        words = " ".join(t.text for t in [toks[k], *said, toks[b]])
        raise Unanswerable(f"{words!r}: did {toks[k].text} come back, or is it {toks[b].text}?")
    return said, negates
