"""Rows pooled over the visits they record: "across all visits"."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.data_facts import one_row_each
from appliance.analytics.plan import Filter
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import columns_of
from appliance.analytics.reader.state import State
from appliance.analytics.reader.visit_rows import repeated_people


def read_pooled(r: State) -> None:
    """ "a logistic regression of good status on treatment across all visits": where a
    person's rows repeat, one per visit, the column numbering them named right after
    "across all" is every visit taken together: neither a predictor, a group nor a
    restriction (left as a column, a model would adjust for it: another number). Only
    that column: one of its values keeps one row per person, checked on the data. Of
    any other column ("across all stages") it could be a grouping or every row, and
    stays for the later stages to refuse."""
    people = None
    for k, t in enumerate(r.toks[:-1]):
        after = r.toks[k + 1]
        if t.text not in lx.POOLING or after.used or after.kind != Kind.COLUMN:
            continue
        people = people or repeated_people(r)
        named = columns_of(r, after)
        if people is None or len(named) != 1:
            return
        col = r.col(named[0])
        held = [v["value"] for v in col.values]
        if held and one_row_each(r.ds, people[0].name, (Filter(col.name, "=", (held[0],)),)):
            r.note([t, after], f"every {col.name} together: no group, no restriction")
