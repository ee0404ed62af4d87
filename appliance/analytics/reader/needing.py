"""Verbs of needing before a count: "patients needing more than one attempt", "who
required at least 2 transfusions", "who took more than 3 tries".

Such a verb links the rows to a number of something, as "with" does; it is read so only
right before a comparison, its number and the name of exactly one number column (the
count), and only where the data has no column or value like the verb (there it would be
a condition: a column needs_oxygen).
"""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State


def read_needing(r: State) -> None:
    toks = r.toks
    for i, t in enumerate(toks[:-3]):
        if t.kind != Kind.UNKNOWN or t.text not in lx.NEEDING:
            continue
        comparison, number, named = toks[i + 1], toks[i + 2], toks[i + 3]
        if comparison.kind != Kind.COMPARISON or number.kind != Kind.NUMBER:
            continue
        if named.kind != Kind.COLUMN or len(named.data[0]) != 1:
            continue
        col = r.col(named.data[0][0])
        if not col.info.numeric or col.type == "boolean" or r.vocab.resembling(t.text):
            continue  # beside needs_oxygen, "needing" may be that condition
        t.kind = Kind.FILLER
        r.note([t], f"having (a number of {col.name})")
