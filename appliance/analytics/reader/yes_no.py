"""A yes/no column followed by its answer: "prior yes", "diabetic = no"; a verb of
taking in before it: "drank alcohol", "did not take aspirin" (out of conditions.py,
which is at its size limit)."""

from __future__ import annotations

from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics.plan import Filter
from appliance.analytics.reader.conditions import add_filter
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import columns_of
from appliance.analytics.reader.state import State
from appliance.analytics.reader.words import share_stem


def read_yes_no(r: State) -> None:
    """ "prior yes", "diabetic = no": a yes/no column followed by its answer."""
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or not r.is_col(t):
            continue
        j = r.nxt(i)
        if j is None or toks[j].text not in lx.ANSWER_WORDS:
            continue
        names = [n for n in columns_of(r, t) if r.col(n).type == "boolean"]
        if len(names) != 1:
            continue
        col = r.col(names[0])
        positive: Any = 1
        negative: Any = 0
        for v in (x["value"] for x in col.values):
            if isinstance(v, str):
                if v.strip().lower() in lx.YES_TEXTS:
                    positive = v
                else:
                    negative = v
        value = positive if toks[j].text in lx.ANSWER_YES else negative
        add_filter(r, i, Filter(col.name, "=", (value,)), [t, toks[j]])


def read_taking(r: State) -> None:
    """ "mothers who drank alcohol", "never took aspirin": a verb of taking in right
    before a yes/no column or a value says only that the row has it. Read with it
    before the conditions are, so that a negation before the verb is the condition's
    ("did not drink alcohol" is alcohol = no); before anything else it stays a lead-in,
    read only beside a value (else refused)."""
    for i, t in enumerate(r.toks):
        if t.used or not (t.text in lx.TAKING_VERBS or _participle_with(r, i)):
            continue
        j = r.nxt(i)
        if j is not None and r.toks[j].kind in (Kind.FLAG, Kind.VALUE):
            r.note([t], f"says the rows have {r.toks[j].text!r}")


def _participle_with(r: State, i: int) -> bool:
    """ "treated with insulin", "diagnosed with diabetes": a participle before "with"
    says the rows have what follows, where no column or value of the data shares its
    stem (there it could be a condition of its own: see checks.check_participles)."""
    t = r.toks[i]
    if t.kind != Kind.PARTICIPLE or i + 1 >= len(r.toks) or r.toks[i + 1].text != "with":
        return False
    stems = (t.text, *lx.PARTICIPLES[t.text])
    return not any(share_stem(s, d.word) for s in stems for d in r.vocab.data_words)
