"""Conditions on dates: a year, a month of a year or a day said of an event-date column
("admitted in 2016", "discharged before March 2019", "tests from April 2020")."""

from __future__ import annotations

from calendar import monthrange

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter
from appliance.analytics.reader.conditions import add_filter
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import date_near, event_column
from appliance.analytics.reader.state import State


def read_dates(r: State) -> None:
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used:
            continue
        if t.kind == Kind.MONTH or (t.has(Kind.MONTH) and t.text != "may"):
            if t.text == "may" and not (
                i > 0 and (toks[i - 1].text in lx.DATE_LEAD_INS or of_the_month(r, i))
            ):
                continue
            used = [t]
            if i > 0 and toks[i - 1].text in lx.MONTH_LEAD_INS:
                used.append(toks[i - 1])
            j = i + 1
            year = None
            if (
                j < len(toks)
                and toks[j].kind == Kind.NUMBER
                and isinstance(toks[j].data, int)
                and (1900 <= toks[j].data <= 2100)
            ):
                year = toks[j].data
                used.append(toks[j])
            col = date_near(r, i)
            month = t.get(Kind.MONTH)
            if year is not None and of_the_month(r, i):
                used.append(toks[i - 1])  # "tests from April 2020"
            if year is not None:
                last = monthrange(year, month)[1]
                f = Filter(
                    col, "between", (f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}")
                )
            elif _a_range_of_months(r, i):
                raise Unanswerable(
                    f"{t.text!r} with no year in a range of months: say each end's year, or"
                    " the dates (e.g. 'after 2022-01-01 and before 2022-04-01')"
                )
            else:
                f = Filter(col, "=", (month,), part="month")
                r.caveats.append(f"no year was given: {t.text} of every year counts")
            add_filter(r, i, f, used)
        elif (
            t.kind == Kind.NUMBER
            and isinstance(t.data, int)
            and 1900 <= t.data <= 2100
            and i > 0
            and (toks[i - 1].text in lx.DATE_LEAD_INS or toks[i - 1].text in lx.YEAR_BOUNDS)
            and (any(c.type == "date" for c in r.ds.columns) or event_column(r, i - 1))
        ):
            word = toks[i - 1].text
            event = event_column(r, i - 1)
            if event is None and word not in lx.DATE_LEAD_INS:
                continue  # "after 2019" with no event named: a comparison's, if any
            op = lx.YEAR_BOUNDS.get(word, "=")
            if event is not None:  # "discharged in 2019", "admitted before 2015"
                col, year_of, said = event
                used = [said, toks[i - 1], t]
            else:
                col, year_of, used = date_near(r, i), True, [toks[i - 1], t]
            add_filter(r, i, Filter(col, op, (t.data,), part="year" if year_of else None), used)
        elif t.kind in (Kind.BEFORE, Kind.AFTER) or (t.has(Kind.AFTER) and t.kind == Kind.BETWEEN):
            nxt_i = r.nxt(i)
            if nxt_i is None or toks[nxt_i].kind != Kind.DATE:
                continue
            op = "<" if t.kind == Kind.BEFORE else ">"
            if t.text in lx.INCLUSIVE_AFTER:
                op = ">="
            col = date_near(r, i)
            add_filter(r, i, Filter(col, op, (toks[nxt_i].data,)), [t, toks[nxt_i]])
        elif t.kind == Kind.DATE and i > 0 and toks[i - 1].text == "on":
            col = date_near(r, i)
            add_filter(r, i, Filter(col, "=", (t.data,)), [toks[i - 1], t])


def _a_range_of_months(r: State, i: int) -> bool:
    """ "between January and March 2022", "from Jan to Mar": a month with no year at an
    end of a range is no month of every year (January of every year and March 2022
    would meet nowhere, a count of 0)."""
    toks = r.toks
    before = toks[i - 1].text if i > 0 else ""
    after = toks[i + 1] if i + 1 < len(toks) else None
    return before in ("between", "from") or (
        after is not None
        and (after.kind == Kind.AND or after.text in ("to", "through", "until", "-"))
        and i + 2 < len(toks)
        and toks[i + 2].has(Kind.MONTH)
    )


def of_the_month(r: State, i: int) -> bool:
    """ "tests from April 2020": "from" between a row noun and a month of a year says
    which month the rows are of; never after a verb ("admitted from April 2020" may
    mean since) nor before "on", "onwards", "to" or "until"."""
    toks = r.toks
    if i < 2 or toks[i - 1].text != "from" or toks[i - 2].kind != Kind.ROW_NOUN:
        return False
    after = toks[i + 2] if i + 2 < len(toks) else None
    return after is None or after.text not in lx.FROM_ON
