"""The reading in order: each stage takes the tokens it understands."""

from __future__ import annotations

import re

from appliance.analytics import lexicon as lx
from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.checks import check_leftovers
from appliance.analytics.reader.conditions import (
    read_between,
    read_comparisons,
    read_contains,
    read_dates,
    read_missing,
    read_values,
    read_yes_no,
)
from appliance.analytics.reader.conversion import read_units
from appliance.analytics.reader.follow_ups import check_anaphora, fragment_of, opens_as_follow_up
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.ranking import read_groups, read_order, read_ranking
from appliance.analytics.reader.state import Reading, State
from appliance.analytics.reader.statistic import read_statistic
from appliance.analytics.reader.tokens import tokenize
from appliance.analytics.reader.vocabulary import vocabulary_for


def read_all(r: State) -> Reading:
    """The stages in order. Each marks the tokens it reads as used; conditions come
    before the statistic (which takes the columns left), and a token left unused at the
    end refuses the question."""
    refers = check_anaphora(r)
    read_order(r)
    read_ranking(r)
    read_groups(r)
    read_between(r)
    read_dates(r)
    read_comparisons(r)
    read_missing(r)
    read_contains(r)
    read_yes_no(r)
    unknown = [t for t in r.toks if t.kind == Kind.UNKNOWN and not t.used]
    if unknown:  # say so first: no later message would be as useful
        quoted = ", ".join(t.data or repr(t.text) for t in unknown)
        raise Unanswerable(
            f"not understood: {quoted}. {r.known()}", not_understood=[t.text for t in unknown]
        )
    for t in r.toks:
        first = t.text.split()[0]
        if t.kind == Kind.COMPARISON and not t.used and first in lx.COMPARATIVES and " " in t.text:
            t.kind, t.data = Kind.COMPARATIVE, lx.COMPARATIVES[first]  # "older than" with no number
    stat_toks = [t for t in r.toks if t.kind == Kind.STATISTIC and not t.used]
    comp_toks = [t for t in r.toks if t.kind == Kind.COMPARATIVE and not t.used]
    stats = {t.data for t in stat_toks}
    difference = (
        "difference" in stats
        or bool(comp_toks)
        or (
            any(t.kind == Kind.VERSUS for t in r.toks)
            and not stats & {"correlation", "spearman", "slope", "r2", "intercept", "prediction"}
        )
    )
    read_values(r, difference, crosstab="crosstab" in stats)
    plan = read_statistic(r, stat_toks, comp_toks, difference)
    scale, unit = read_units(r, plan)
    check_leftovers(r)
    score = sum(1 for t in r.toks if t.used and t.kind in (Kind.COLUMN, Kind.VALUE, Kind.FLAG))
    named = any(t.kind == Kind.DATASET_NAME for t in r.toks)
    fragment = fragment_of(r) if plan is None else {}
    continues = refers or opens_as_follow_up(r)
    return Reading(plan, r.notes, r.caveats, fragment, score, named, continues, scale, unit)


def read(
    question: str, dataset: Dataset, follow_up: bool = False, answered: bool = True
) -> Reading:
    """The plan for ``question``; :class:`Unanswerable` quotes what was not understood.

    ``follow_up``: the question continues a conversation with an answered plan;
    ``answered``: its latest question was answered (else "those" points at nothing).
    """
    words = set(re.findall(r"[a-z]+", question.lower()))
    changing = sorted(words & lx.MUTATIONS)
    if changing:
        raise Unanswerable(
            f"this engine only reads data; it will not {changing[0]} anything"
            " (ask a question about the data instead)"
        )
    vocab = vocabulary_for(dataset)
    return read_all(State(vocab, tokenize(vocab, question), dataset, follow_up, answered))
