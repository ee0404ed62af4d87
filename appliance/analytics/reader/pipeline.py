"""The reading in order: each stage takes the tokens it understands."""

from __future__ import annotations

import re

from appliance.analytics import lexicon as lx
from appliance.analytics import units
from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.around import read_around
from appliance.analytics.reader.articles import read_articles
from appliance.analytics.reader.checks import (
    check_file_name,
    check_leftovers,
    read_lead_ins,
    refuse_counted_as_kept,
)
from appliance.analytics.reader.complements import read_complement
from appliance.analytics.reader.conditions import (
    read_any,
    read_between,
    read_comparisons,
    read_contains,
    read_either_side,
    read_missing,
    read_values,
)
from appliance.analytics.reader.conversion import read_units
from appliance.analytics.reader.dates import read_dates
from appliance.analytics.reader.describing import read_describing
from appliance.analytics.reader.follow_up_event import read_during_follow_up
from appliance.analytics.reader.follow_ups import (
    check_anaphora,
    fragment_of,
    opens_as_follow_up,
    read_the_other_rows,
)
from appliance.analytics.reader.framing import read_framing
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import read_concept_phrases, read_how_old
from appliance.analytics.reader.needing import read_needing
from appliance.analytics.reader.owners import read_ranking_verbs, read_superlative_owner
from appliance.analytics.reader.part_values import refuse_part_values, to_json
from appliance.analytics.reader.people_header import read_people_header
from appliance.analytics.reader.pooled import read_pooled
from appliance.analytics.reader.prepositions import (
    read_after_procedure,
    read_at_amount,
    read_at_event,
    read_at_least_one_row,
    read_having_a_comparison,
    read_over_as_among,
)
from appliance.analytics.reader.ranking import read_groups, read_order, read_ranking
from appliance.analytics.reader.shared_words import carries_set
from appliance.analytics.reader.spreads import read_spread
from appliance.analytics.reader.state import Reading, State
from appliance.analytics.reader.statistic import counts_of_flag, crossed_pair, read_statistic
from appliance.analytics.reader.survival import refuse_plain_difference
from appliance.analytics.reader.tokens import tokenize
from appliance.analytics.reader.value_columns import read_value_column_words
from appliance.analytics.reader.visit_rows import counted_as_people, read_first_visit
from appliance.analytics.reader.vocabulary import vocabulary_for
from appliance.analytics.reader.with_without import read_with_and_without
from appliance.analytics.reader.word_values import read_pronoun, read_word_values
from appliance.analytics.reader.yes_no import read_taking, read_yes_no


def read_all(r: State) -> Reading:
    """The stages in order. Each marks the tokens it reads as used; conditions come
    before the statistic (which takes the columns left), and a token left unused at the
    end refuses the question."""
    read_pronoun(r)
    read_word_values(r)  # "give us …" beside a value "US"
    read_articles(r)  # "with a limitation" beside a value "A"
    read_people_header(r)  # "women" beside a header ``woman`` of identifiers
    read_value_column_words(r)  # "a diploid tumour", "good respiratory status"
    read_during_follow_up(r)  # "died during follow-up": the pair's event
    read_first_visit(r)  # "their first visit": the visit number at 1
    read_describing(r)
    read_around(r)
    check_file_name(r)
    read_complement(r)
    read_needing(r)
    read_framing(r)
    read_pooled(r)  # "across all visits": every visit together
    read_concept_phrases(r)
    read_how_old(r)
    read_the_other_rows(r)  # "and those who didn't?": the rows left out before
    refers = check_anaphora(r)
    read_superlative_owner(r)
    read_ranking_verbs(r)
    read_order(r)
    read_ranking(r)
    read_groups(r)
    read_at_least_one_row(r)
    read_between(r)
    read_dates(r)
    read_either_side(r)
    read_comparisons(r)
    read_at_amount(r)
    read_at_event(r)
    read_over_as_among(r)
    read_missing(r)
    read_any(r)
    read_contains(r)
    read_taking(r)
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
    crossed_pair(r)  # "sex x improved counts": a count word becomes a cross-tabulation
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
    if difference:
        read_with_and_without(r)  # "between patients with and without acute GVHD"
    if counts_of_flag(r, stat_toks):
        next(t for t in stat_toks if not t.used).data = "crosstab"
        stats = {"crosstab"}
    read_values(r, difference, crosstab="crosstab" in stats)
    read_after_procedure(r)
    read_having_a_comparison(r)
    read_lead_ins(r)
    plan = read_spread(r, stat_toks) or read_statistic(r, stat_toks, comp_toks, difference)
    plan = counted_as_people(r, plan)  # rows that are visits: patients never counted as rows
    refuse_plain_difference(r, plan)  # medians of a censored time, group against group
    refuse_counted_as_kept(plan)  # "% … died or relapsed": one event read twice
    scale, unit = read_units(r, plan)
    if plan is not None and unit and scale != 1.0:  # the answer's unit is the plan's
        plan = plan.with_(unit=units.canonical(unit))
    check_leftovers(r)
    fragment = fragment_of(r) if plan is None else {}
    if carries_set(plan) or carries_set(r.filters) or carries_set(fragment):
        said = [t.text for t in r.toks if t.has(Kind.VALUE) and carries_set(t.get(Kind.VALUE))]
        raise Unanswerable(f"{said[0] if said else 'a word'!r} names several values: not read here")
    refuse_part_values(r.ds, plan.to_json() if plan else {}, to_json(fragment))
    score = sum(1 for t in r.toks if t.used and t.kind in (Kind.COLUMN, Kind.VALUE, Kind.FLAG))
    named = any(t.kind == Kind.DATASET_NAME for t in r.toks)
    continues = refers or opens_as_follow_up(r)
    return Reading(plan, r.notes, r.caveats, fragment, score, named, continues)


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
