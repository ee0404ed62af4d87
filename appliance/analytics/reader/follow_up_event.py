"""An event said "during follow-up" ("died during follow-up", "did not die during the
follow-up"): the event flag of the table's one time-to-event pair says whether the event
happened by the end of follow-up, so the words after it say no more than it does. They
are read with it only right after a mention of that flag (or one of its values); said
anywhere else they stay unread, and the question is refused."""

from __future__ import annotations

from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok

DURING = "during"


def read_during_follow_up(r: State) -> None:
    pairs = r.ds.survival_pairs
    if len({(p["duration"], p["event"]) for p in pairs}) != 1:
        return
    duration, event = pairs[0]["duration"], pairs[0]["event"]
    for k, t in enumerate(r.toks):
        if t.used or t.text != DURING or t.kind != Kind.UNKNOWN:
            continue
        n, p = r.nxt(k), r.prev(k)
        if n is None or p is None:
            continue
        after = r.toks[n]
        if not (after.kind == Kind.COLUMN and after.data[0] == [duration]):
            continue
        if _names_event(r.toks[p], event):
            r.note([t, after], f"the follow-up {event} records: said of {event}")


def _names_event(t: Tok, event: str) -> bool:
    """The flag itself ("died"), or one of its values ("dead")."""
    if t.has(Kind.FLAG) and any(f[0] == event for f in t.get(Kind.FLAG)):
        return True
    return t.has(Kind.VALUE) and any(o[0] == event for o in t.get(Kind.VALUE))
