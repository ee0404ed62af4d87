"""Words around a question that say nothing about its rows or its number, read only
where they cannot: "the estimated median survival" (every answer is an estimate),
"how long do patients typically survive (median survival)" (the statistic is named).

Each is read only where it is left unknown (no phrase of the dataset holds it) and
shares its stem with no column or value (there it could be a condition): "estimated"
only right before the statistic it qualifies, never before a column ("estimated GFR"
beside gfr and egfr is another number); "typically" only where the question names a
central statistic (else it would choose between the mean and the median).
"""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics import time_to_event
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok


def read_framing(r: State) -> None:
    toks = r.toks
    central = any(t.kind == Kind.STATISTIC and t.data in lx.CENTRAL_STATISTICS for t in toks)
    for i, t in enumerate(toks):
        if t.kind != Kind.UNKNOWN or t.used or r.vocab.resembling(t.text):
            continue
        if (t.text in lx.ESTIMATED and _qualifies(toks[i + 1 :])) or (
            t.text in lx.TYPICALLY and central
        ):
            t.kind = Kind.FILLER
    read_rated_as(r)
    check_soonest(r)


def read_rated_as(r: State) -> None:
    """ "rated their own health as poor", "whose health was rated as poor": the value
    after "as" is the condition, read by the values' stage; its column's name before it
    and the rating words are marked read here, only where the value is of that column
    alone and a verb of rating says so (else "as" could be anything)."""
    toks = r.toks
    for k, v in enumerate(toks):
        if k < 2 or v.kind != Kind.VALUE or len({c for c, _ in v.data}) != 1:
            continue
        (column, _value), *_ = v.data
        j = k - 1
        if toks[j].text not in lx.RATED_AS:
            continue
        words = [toks[j]]
        rated = toks[j].text != "as"
        j -= 1
        while j >= 0 and toks[j].kind == Kind.FILLER and toks[j].text in lx.SOFT:
            j -= 1
        named = toks[j] if j >= 0 else None
        if named is None or named.kind != Kind.COLUMN or column not in named.data[0]:
            continue
        j -= 1
        while j >= 0 and toks[j].text in lx.OWN:
            words.append(toks[j])
            j -= 1
        if j >= 0 and toks[j].text in lx.RATING_VERBS:
            words.append(toks[j])
            rated = True
        if not rated:
            continue
        named.used = True
        for w in words:
            if w.kind == Kind.UNKNOWN or w.text == "own":
                w.kind = Kind.FILLER


def _qualifies(after: list[Tok]) -> bool:
    """The statistic next ("estimated median"), or after a period said before it
    ("estimated one-year survival", "estimated 10-week survival probability")."""
    if after and after[0].kind == Kind.NUMBER and len(after) > 2:
        if after[1].text in lx.ESTIMATE_PERIODS:
            after = after[2:]
    return bool(after) and after[0].kind == Kind.STATISTIC


def check_soonest(r: State) -> None:
    """ "which patient died soonest": the follow-up time of the event the question names
    ("died" of a died column paired with time_weeks). Refused where no word names the
    pair's event column ("relapsed soonest" beside a time to death is another time)."""
    for t in r.toks:
        if t.kind != Kind.SUPERLATIVE or t.data[1] != lx.FOLLOW_UP_CONCEPT:
            continue
        pairs = time_to_event.pairs(r.ds)
        events = {p.event for p in pairs}
        said = {
            c[0]
            for s in r.toks
            for kind in (Kind.FLAG, Kind.VALUE)
            if s.has(kind)
            for c in s.get(kind)
        }
        if len(pairs) != 1 or not events & said:
            t.kind, t.data = Kind.UNKNOWN, f"{t.text!r} (the time to which event?)"
