"""Follow-ups: known by their form, and refused when "those" points at nothing."""

from __future__ import annotations

from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import concept_column, one_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok


def check_anaphora(r: State) -> bool:
    """ "those", "them", "the same": only with an answered question to point back to."""
    words = []
    _refuse_the_answer_as_a_share(r)
    for k, t in enumerate(r.toks):
        if t.kind != Kind.ROW_NOUN or t.text not in lx.ANAPHORA:
            continue
        # A row noun before it, read as the rows or as a value ("out of women, what
        # percent had their CMV come back"): "their" is theirs.
        named = any(
            (s.kind == Kind.ROW_NOUN or s.text in lx.ROW_NOUNS) and s.text not in lx.ANAPHORA
            for s in r.toks[:k]
        )
        if t.text in lx.POSSESSIVES and named:
            continue  # "what share of patients had their cancer come back": theirs
        after = r.toks[k + 1].text if k + 1 < len(r.toks) else ""
        if (
            not r.follow_up
            and t.text in lx.DEMONSTRATIVES
            and (
                after in lx.RELATIVES
                # "smokers and those with surgery": a second group, not the rows described
                or (
                    after.split(" ")[0] in lx.POSTMODIFIERS
                    and not (k and r.toks[k - 1].kind in (Kind.AND, Kind.OR, Kind.VERSUS))
                )
            )
            and not opens_as_follow_up(r)  # "only those over 60" still points back
        ):
            continue  # "among those who died", "those with GVHD", asked afresh: the rows
        words.append(t.text)
    if not words:
        return False
    if not r.follow_up:
        raise Unanswerable(
            f"{words[0]!r} points back to an earlier answer, and this question has none:"
            " name the rows instead (e.g. 'patients')"
        )
    if not r.answered:
        raise Unanswerable(
            f"{words[0]!r} points back to the previous question, which was not answered:"
            " ask it again in full"
        )
    return True


def _refuse_the_answer_as_a_share(r: State) -> None:
    """ "what percentage is that of all smokers", after "how many smokers died": "that"
    is the previous answer, a count no percentage of rows can take as its numerator here
    (read without it, the question is the share of smokers): refused, in or out of a
    conversation."""
    toks = r.toks
    if not any(t.kind == Kind.STATISTIC and t.data == "percentage" for t in toks):
        return
    for k, t in enumerate(toks):
        if t.kind == Kind.FILLER and t.text in ("that", "this", "it") and k > 0:
            if toks[k - 1].text in lx.COPULAS:
                raise Unanswerable(
                    f"{t.text!r} points back at an answer, which a percentage here cannot"
                    " take as what it counts: ask in full (e.g. 'what percentage of"
                    " smokers died')"
                )


def opens_as_follow_up(r: State) -> bool:
    first = r.toks[0] if r.toks else None
    if first is None:
        return False
    if first.kind == Kind.AND or first.text in lx.FOLLOW_OPENINGS:
        return True
    return first.text == "and what about" or (
        first.text == "the" and len(r.toks) > 1 and r.toks[1].text == "same"
    )


def fragment_of(r: State) -> dict[str, Any]:
    return {
        "filters": [f for _p, f in r.filters],
        "said_for": [f.column for p, f in r.filters if _after_for(r, p)],
        "group_by": r.group_by,
        "order": r.order,
        "statistic": r.stat_change,
        "extreme_of": r.extreme_of,
        "column": r.column_change,
        "other_rows": r.other_rows,
        "whole": r.whole,
    }


def _after_for(r: State, at: int) -> bool:
    """ "and for diabetes?": the condition said right after "for" (an article between),
    the word that names a model's predictor as well as the rows."""
    k = at - 1
    while k >= 0 and r.toks[k].text in ("a", "an", "the"):
        k -= 1
    return k >= 0 and r.toks[k].text == "for"


def other_extreme(r: State) -> None:
    """ "And the shortest?" after "how tall is the tallest athlete?": a superlative alone
    in a follow-up is the minimum or maximum of the previous answer's column. Only of the
    column it implies ("heaviest": the weight column; "shortest": a height or a length of
    time), which the previous answer must be a minimum, maximum or ranking of (checked
    when the follow-up is applied: analytics/service.py)."""
    if column_instead(r) or whole_table(r):
        return  # "and bmi?" after "mean sbp"; "and overall?"
    supers = [t for t in r.toks if t.kind == Kind.SUPERLATIVE and not t.used]
    if len(supers) != 1 or r.measures():
        return
    (t,) = supers
    direction, concept = t.data
    concepts = [concept] if concept else list(lx.SHORTEST_CONCEPTS if t.text in lx.SHORTEST else ())
    columns = []
    for c in concepts:
        try:
            columns.append(concept_column(r, c, t.text))
        except Unanswerable:
            continue
    if not columns:
        raise Unanswerable(f"{t.text!r} of which column? name it")
    r.extreme_of = columns
    partial_stat(r, "min" if direction == "asc" else "max", None, [t])


def partial_stat(r: State, stat: str, percentile: float | None, used: list[Tok]) -> None:
    r.stat_change = (stat, percentile)
    r.note(used, f"the {stat.replace('_', ' ')} instead")


def bare_count(r: State) -> bool:
    """ "n?", "how many?", "count?" alone in a conversation: the number of the previous
    answer's rows (a statistic change, applied by analytics/follow_ups.py), not of the
    whole table. Said with rows, a condition or a grouping ("how many patients?"), the
    question is complete and starts afresh, as any other."""
    if not r.follow_up or r.filters or r.group_by or r.group_rank is not None:
        return False
    if any(t.kind not in (Kind.STATISTIC, Kind.FILLER, Kind.AND) for t in r.toks):
        return False
    r.stat_change = ("count", None)
    return True


def column_instead(r: State) -> bool:
    """ "and bmi?", "what about bmi?", "same for bmi" after "mean sbp": a follow-up that
    names one numeric column and no statistic takes the previous statistic of that
    column instead (only after a statistic of one column: analytics/follow_ups.py). A
    yes/no column is no measure here ("and diabetes?": the diabetics, or the share with
    diabetes?): refused naming both."""
    measures = r.measures()
    if len(measures) != 1 or any(t.kind == Kind.SUPERLATIVE and not t.used for t in r.toks):
        return False
    (t,) = measures
    if t.kind != Kind.COLUMN:
        return False
    column = one_column(r, t)
    profile = r.col(column)
    if profile.type not in ("integer", "number", "boolean"):
        return False  # "and sex?": no measure (refused as before)
    if profile.type == "boolean" or profile.distinct <= 2:
        raise Unanswerable(
            f"{t.text!r} alone after an answer: the rows with {column}, or the same statistic"
            f" of {column}? ask it in full"
        )
    r.column_change = column
    r.note([t], f"the same statistic of {column} instead")
    return True


def read_the_other_rows(r: State) -> None:
    """ "and those who didn't?", "what about the rest?", "and everyone else?" in a
    conversation: the rows the previous answer's one condition left out (its negation,
    applied by analytics/follow_up_changes.py, which refuses where that condition is not
    one). Read only where nothing else is said but openings and words for the rows; the
    negation last, with no verb after it (else it is a condition of its own)."""
    if not r.follow_up:
        return
    said = [t for t in r.toks if t.kind not in (Kind.AND, Kind.ROW_NOUN) and not t.has(Kind.FILLER)]
    texts = " ".join(t.text for t in said)
    if texts in ("rest", "others", "else", "remainder"):
        words = " ".join(t.text for t in r.toks if t.kind != Kind.AND)
        if not any(words.endswith(c) for c in lx.COMPLEMENTS):
            return
    elif not (len(said) == 1 and said[0].kind == Kind.NEGATION and texts in lx.NEGATED_VERBS):
        return
    if said[0] is not [t for t in r.toks if not t.has(Kind.FILLER)][-1]:
        return  # "those who didn't smoke": a condition of its own
    for t in r.toks:
        if t.kind != Kind.AND:
            t.kind, t.used = (Kind.FILLER if t.has(Kind.FILLER) else t.kind), True
    r.other_rows = "rest" if said[0].kind != Kind.NEGATION else "clause"
    r.note(said, "the rows the previous condition left out")


# "and overall?": the whole of the previous answer (its rows and groups, which it drops
# only where it had one of the two); "what about everyone?": all its rows, its groups kept.
_OVERALL = frozenset({"overall", "in total", "altogether", "in all", "all told"})
_EVERYONE = frozenset({"everyone", "everybody", "the whole cohort", "whole cohort"})


def whole_table(r: State) -> bool:
    """ "and overall?", "what about everyone?", "and for all patients?" in a conversation
    with nothing else said: the previous answer over every row (service.py drops its
    conditions, and says so; "overall" its groups instead where it had no condition)."""
    if r.filters or r.group_by or r.measures() or r.other_rows:
        return False
    said = [t for t in r.toks if t.kind != Kind.AND]
    if any(t.kind not in (Kind.FILLER, Kind.ROW_NOUN) or t.text in lx.ANAPHORA for t in said):
        return False
    texts = [t.text for t in said]
    rows = [
        t for k, t in enumerate(said) if t.kind == Kind.ROW_NOUN and k and texts[k - 1] == "all"
    ]
    if _OVERALL & set(texts):
        r.whole = "overall"
    elif _EVERYONE & set(texts) or rows:
        r.whole = "everyone"
    else:
        return False
    r.note(said, "every row")
    return True
