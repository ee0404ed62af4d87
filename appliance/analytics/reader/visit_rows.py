"""Tables whose rows are visits: a patient's identifier repeats, one row per visit.

There "patients" are not the rows. "How many distinct patients …" (or "different") counts
the distinct identifiers, and so does a plain "how many patients …": people asked for are
never counted as rows. Any other statistic over the rows said as people (a mean, a
percentage, a ranking, a fit: each row weighs as much as a patient's number of visits)
is answered only where the question's conditions keep one row per patient ("at visit
1", "their first visit"), which is checked on the data; else refused. A minimum or a
maximum is the same over visits as over patients. "first visit" is the visit-number
column at its smallest value, 1."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.data_facts import one_row_each
from appliance.analytics.datasets import ColumnProfile
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, Plan
from appliance.analytics.reader.conditions import add_filter
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.rows import ID_NOUN, identifier_noun, person_header
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import lemma_of

SAME_OVER_VISITS = frozenset({"min", "max"})
RANKED = frozenset({"top", "bottom", "list"})


def people_id(r: State) -> tuple[ColumnProfile, str] | None:
    """The one column named as the identifier of people (``patient_id``, ``subject_no``,
    or a header that is no more than a noun for people: ``subject``, ``Patient``), and
    its noun: profiled as an identifier, or as text or numbers where it repeats over a
    person's visits; None where no column, or several, are named so."""
    found = identifier_noun(r.ds)
    if found is None:
        named = [(c, noun) for c in r.ds.columns if (noun := _named_for_people(c)) is not None]
        found = named[0] if len(named) == 1 else None
    return found if found is not None and found[1] in lx.PERSON_NOUNS else None


def _named_for_people(col: ColumnProfile) -> str | None:
    """The noun a column's name gives it as people's identifier: ``patient_id``'s
    "patient", or the whole header where it is a singular noun for people (``subject``
    over a trial's periods); never a yes/no or two-valued column."""
    if col.type not in ("text", "category", "integer") or col.distinct <= 2:
        return None
    if (m := ID_NOUN.fullmatch(col.name.lower())) is not None:
        return m.group(1)
    return person_header(col.name)


def repeated_people(r: State) -> tuple[ColumnProfile, str] | None:
    """The identifier of the people whose rows repeat (``patient_id`` over visits), and
    its noun; None where a row is one person, or no identifier names people."""
    found = people_id(r)
    if found is None or (not found[0].nulls and found[0].distinct == r.ds.row_count):
        return None
    return found


def _people(r: State, t: Tok, noun: str) -> bool:
    """A word for the people the identifier names: its own noun, or a plain word for
    people ("pts", "subjects"); a value that is a noun for people ("women") too."""
    plain = t.text in lx.PLAIN_PEOPLE
    said = t.text if plain else lemma_of(t.text)
    plain = plain or said in lx.PLAIN_PEOPLE  # "patients" on a table of subjects' periods
    return said == lemma_of(noun) or (plain and noun in lx.PERSON_NOUNS)


def distinct_people(r: State) -> list[Tok]:
    """ "how many distinct patients": the people's identifier, as a column mention (for
    the statistic to count its distinct values); [] where the rows are no one's."""
    found = people_id(r)
    if found is None:
        return []
    col, noun = found
    for t in r.toks:
        if not t.used and t.kind == Kind.ROW_NOUN and _people(r, t, noun):
            t.kind, t.data, t.alts = Kind.COLUMN, ([col.name], True), {}
            r.caveats.append(f"{t.text!r} counted as distinct values of {col.name}")
            return [t]
    return []


def counted_as_people(r: State, plan: Plan | None) -> Plan | None:
    """A plan over rows said as people, on a table whose rows are visits: a count becomes
    a count of distinct identifiers; any other statistic but a minimum or maximum is
    answered only where its conditions keep one row per person, else refused."""
    found = repeated_people(r)
    if plan is None or found is None:
        return plan
    col, noun = found
    said = [t for t in r.toks if t.text not in lx.ANAPHORA and _people_word(r, t, col.name, noun)]
    occasions = [t for t in r.toks if not t.used and lemma_of(t.text) in _OCCASIONS]
    occasions += [  # "tests" in covid_tests: the rows said as what they are, not as people
        t for t in r.toks if t.kind == Kind.ROW_NOUN and t.text not in lx.PERSON_NOUNS | lx.ANAPHORA
    ]
    for t in occasions:
        if t.kind == Kind.COLUMN and t.text != lemma_of(t.text):
            names = [c for c in t.get(Kind.COLUMN)[0] if _numbers_occasions(r, c)]
            if len(names) == 1:  # "# visits w/ …" beside the visit number: the rows
                t.used = True
                r.caveats.append(f"{t.text!r} read as the rows, one visit each ({names[0]})")
    if not said or occasions:
        return plan  # no people said, or visits (rows, records) said as what is counted
    words = ", ".join(repr(t.text) for t in said)
    if plan.statistic == "count":
        for t in said:
            t.used = True
        r.caveats.append(f"{words} counted as distinct values of {col.name}: a row is a visit")
        return plan.with_(statistic="count_distinct", column=col.name)
    if plan.statistic in SAME_OVER_VISITS:
        return plan
    if one_row_each(r.ds, col.name, plan.filters):
        if plan.statistic in RANKED and plan.label is None:
            return plan.with_(label=col.name)  # "which patient is the oldest": their id
        return plan
    raise Unanswerable(
        f"{words}: a {noun} has several rows in {r.ds.name} ({col.name} repeats), so its rows"
        " are not its people; keep one row each (e.g. 'at visit 1'), count 'distinct"
        f" {noun}s', or ask about the visits"
    )


_OCCASIONS = frozenset(
    {lemma_of(w) for w in lx.EVENT_ROW_NOUNS} | {"row", "record", "entry", "observation"}
)


def _people_word(r: State, t: Tok, name: str, noun: str) -> bool:
    if t.kind == Kind.ROW_NOUN and not t.used:
        return _people(r, t, noun)
    if t.kind == Kind.COLUMN and not t.used and t.get(Kind.COLUMN)[0] == [name]:
        return _people(r, t, noun)  # "patients", "pts" said of a column headed ``Patient``
    return t.has(Kind.VALUE) and t.text in lx.PERSON_NOUNS and t.text not in lx.PLAIN_PEOPLE


def read_first_visit(r: State) -> None:
    """ "their first visit", "at the first visit", "first visits": the one whole-number
    column named for a visit (or another occasion) whose smallest value is 1, equal to
    1. Nothing where no such column is, or two are."""
    for k, t in enumerate(r.toks):
        n = r.nxt(k)
        if t.used or t.text not in lx.FIRST_OCCASION or t.kind == Kind.COLUMN or n is None:
            continue
        said = r.toks[n]
        if said.used or not said.has(Kind.COLUMN):
            continue
        names = [c for c in said.get(Kind.COLUMN)[0] if _numbers_occasions(r, c)]
        if len(names) != 1:
            continue
        add_filter(r, k, Filter(names[0], "=", (1,)), [t, said])
        r.caveats.append(f"{t.text} {said.text!r} read as {names[0]} = 1, its smallest value")


def _numbers_occasions(r: State, name: str) -> bool:
    col = r.col(name)
    words = {lemma_of(w) for w in name.split("_")}
    return bool(col.whole and col.min == 1 and words & _OCCASIONS - {"row", "record"})
