"""Prepositions that say which rows, where they can say nothing else: "the sum of
systolic pressure over smokers" (among them), "the shortest stay after a CABG" (the rows
whose procedure is CABG)."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.plan import Filter
from appliance.analytics.reader.conditions import add_filter
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import one_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.words import split_words

# What may follow "over" when it says "among": rows, said by a noun or by a value.
_ROWS = (Kind.ROW_NOUN, Kind.FLAG, Kind.VALUE)


def read_over_as_among(r: State) -> None:
    """ "over" left unread by the comparisons (no number or date after it) before a row
    noun, a yes/no column said as its rows or a value ("over smokers", "over women") can
    be no comparison: it says among which rows. Not in a percentage, where "X over Y"
    may be a ratio and "among" names the population (refused there, as before); never
    before a column's name ("sbp over age" may be a ratio or a fit)."""
    if any(t.kind == Kind.STATISTIC and t.data == "percentage" for t in r.toks):
        return
    for k, t in enumerate(r.toks):
        if t.used or t.kind != Kind.COMPARISON or t.text != "over":
            continue
        j = r.nxt(k)
        if j is None or r.toks[j].kind not in _ROWS:
            continue
        t.kind, t.data = Kind.AMONG, t.text
        r.note([t], "among the rows named after it")


def read_after_procedure(r: State) -> None:
    """ "how long do women stay after a PTCA", "the shortest stay after a CABG": "after"
    before a value read as a condition, of a column of procedures (named or labelled
    for a procedure, surgery, operation, treatment, …: lexicon.PROCEDURE_WORDS), says
    the rows that had it. Not before a value of any other column: "the score after
    surgery" beside a column of visits (baseline, surgery, discharge) may mean the
    visits after it, and is refused as before."""
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or t.kind != Kind.AFTER or t.text != "after":
            continue
        j = i + 1
        while j < len(toks) and toks[j].text in ("a", "an", "the", "their", "his", "her"):
            j += 1
        if j >= len(toks) or not toks[j].used or toks[j].kind != Kind.VALUE:
            continue
        columns = {column for column, _value in toks[j].data}
        if columns and all(_of_procedures(r, c) for c in columns):
            r.note(toks[i:j], f"the rows that had it ({', '.join(sorted(columns))})")


def _of_procedures(r: State, column: str) -> bool:
    label = r.ds.dictionary.get(column, {}).get("label") or ""
    said = set(split_words(column.replace("_", " "))) | set(split_words(label))
    return bool(said & lx.PROCEDURE_WORDS)


def read_at_amount(r: State) -> None:
    """ "what does the line predict at zero globulin", "where does it cross zero
    globulin": in a prediction, "at" (or "cross") and a number before a numeric column
    is that column's value to predict at, as "at globulin 0" is. Only right before the
    column, and only where a prediction is asked."""
    toks = r.toks
    if not any(t.kind == Kind.STATISTIC and t.data in lx.PREDICTIONS for t in toks):
        return
    for i in range(len(toks) - 2):
        at, number, named = toks[i], toks[i + 1], toks[i + 2]
        crossing = at.kind == Kind.STATISTIC and at.text.endswith(" cross")
        if (
            not (crossing or (at.text == "at" and not at.used))
            or number.used
            or number.kind != Kind.NUMBER
            or named.used
            or named.kind != Kind.COLUMN
        ):
            continue
        column = one_column(r, named, numeric=True)
        add_filter(
            r,
            i + 1,
            Filter(column, "=", (number.data,)),
            [number, named] + ([] if crossing else [at]),
        )


def read_at_event(r: State) -> None:
    """ "younger than 40 at transplant": "at" and the event that names the very column a
    comparison just before was read on (age_at_transplant_years, by its word
    "transplant") says when that value was taken: read with the comparison. Only that
    column, only right after the comparison's number (and unit)."""
    toks = r.toks
    for k in range(2, len(toks)):
        t, at = toks[k], toks[k - 1]
        if t.used or t.kind != Kind.COLUMN or at.text != "at" or at.used:
            continue
        j = k - 2
        if toks[j].kind == Kind.UNIT:
            j -= 1
        if j < 0 or toks[j].kind != Kind.NUMBER or not toks[j].used:
            continue
        named = set(t.data[0])
        made = [f for p, f in r.filters if p < k and f.column in named]
        if len(named) == 1 and made and made[-1].values == (toks[j].data,):
            r.note([at, t], f"when {made[-1].column} was taken")


def read_at_least_one_row(r: State) -> None:
    """ "how many distinct providers have at least one emergency admission": of a count
    of distinct values, "at least one" (or "any") before a value and the rows' noun says
    some row of that value exists for it, which is the count of distinct values over
    the rows with that value: the value is the condition, "at least one" says nothing
    more (the value's own column said after it is that value's). Only in a count of
    distinct values (a count of rows would differ)."""
    toks = r.toks
    if not any(t.kind == Kind.STATISTIC and t.data == "count_distinct" for t in toks):
        return
    for i in range(len(toks) - 2):
        least, one, value = toks[i], toks[i + 1], toks[i + 2]
        noun = toks[i + 3] if i + 3 < len(toks) else None
        if (
            least.used
            or least.kind != Kind.COMPARISON
            or least.data != (">=", "at least")
            or one.kind != Kind.NUMBER
            or one.data != 1
            or value.kind != Kind.VALUE
        ):
            continue
        said = [least, one]
        own = {column for column, _value in value.data}
        if noun is None:
            if " " not in value.text:  # "an emergency admission", read as one value
                continue
        elif noun.kind == Kind.COLUMN and set(noun.data[0]) == own:
            said.append(noun)  # "an emergency admission" beside a column admission
        elif noun.kind != Kind.ROW_NOUN:
            continue
        r.note(said, "some row with the value before it")


def read_having_a_comparison(r: State) -> None:
    """ "the odds ratio of having at least one doctor visit": "having" right before a
    comparison read as a condition ("at least one …") only leads to it, as it leads to a
    value ("having diabetes"); anywhere else it stays unread (and refuses)."""
    toks = r.toks
    for i in range(len(toks) - 1):
        t, nxt = toks[i], toks[i + 1]
        if t.used or t.text != "having" or t.kind != Kind.LEAD_IN:
            continue
        if nxt.used and nxt.kind == Kind.COMPARISON:
            r.note([t], "which rows (the comparison after it)")
