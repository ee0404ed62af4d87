"""Which one coefficient a model's question asks for: "the odds ratio for spontaneous
abortions" of a regression on spontaneous and induced abortions, "the hazard ratio for
Black patients compared with White, adjusting for age".

A ratio said in the singular of a model with several predictors asks for one of them. The
model's list ("on A and B") and its adjustments ("adjusting for B") name predictors
without singling one out; a predictor said anywhere else (after "the odds ratio for",
after "per unit of", as the rows compared) is the one asked for. Exactly one such
predictor is answered, adjusted for the others; none or several, and the question is
refused naming them: a ratio read for the wrong predictor is a wrong number."""

from __future__ import annotations

from collections.abc import Iterable

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Predictor
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok


def _columns(t: Tok) -> set[str]:
    """Every column a token could name: as a column, a value's or a flag's."""
    found: set[str] = set()
    if t.has(Kind.COLUMN):
        found |= {str(n) for n in t.get(Kind.COLUMN)[0]}
    if t.has(Kind.VALUE):
        found |= {str(pair[0]) for pair in t.get(Kind.VALUE)}
    if t.has(Kind.FLAG):
        found |= {str(flag[0]) for flag in t.get(Kind.FLAG)}
    return found


def _listed(toks: list[Tok]) -> tuple[set[int], set[int]]:
    """The positions inside a model's list ("on A and B", "using A") and inside its
    adjustments ("adjusting for B"): from the listing word to the next statistic, the
    next "per unit of", or the next question word."""
    listing: set[int] = set()
    adjusting: set[int] = set()
    k = 0
    while k < len(toks):
        t = toks[k]
        if t.kind != Kind.ON or t.text in lx.ONE_OF_SEVERAL:
            k += 1
            continue
        into = adjusting if t.text in lx.ADJUSTING else listing
        k += 1
        while k < len(toks):
            u = toks[k]
            if u.kind == Kind.STATISTIC or u.text in lx.CLAUSE_OPENERS:
                break
            if u.kind == Kind.ON and (u.text in lx.ONE_OF_SEVERAL or u.text in lx.ADJUSTING):
                break
            into.add(k)
            k += 1
    return listing, adjusting


def asked_term(
    r: State, predictors: list[Predictor], placed: Iterable[tuple[int, str]], said: str, ratio: str
) -> str:
    """The label of the one predictor asked for by ``said`` (a singular ratio, or "per
    unit of"), or a refusal; ``ratio`` is "odds" or "hazard". ``placed``: (position,
    column) of each condition read into a predictor, besides the tokens naming its
    column."""
    listing, adjusting = _listed(r.toks)
    where: dict[str, set[int]] = {p.column: set() for p in predictors}
    for k, t in enumerate(r.toks):
        for name in _columns(t) & set(where):
            where[name].add(k)
    for k, name in placed:
        if name in where:
            where[name].add(k)
    labels = ", ".join(p.label for p in predictors)
    columns = [p.column for p in predictors]
    unplaced = [name for name, at in where.items() if not at]
    if unplaced or len(set(columns)) != len(columns):
        raise Unanswerable(
            f"{said!r} asks for one {ratio} ratio, and the model has {labels}:"
            " say which predictor after it, or ask for the ratios"
        )
    outside = [p for p in predictors if where[p.column] - listing - adjusting]
    if not outside:  # "a regression of Y on A, adjusting for B": A is the one asked
        outside = [p for p in predictors if not where[p.column] & adjusting]
    if len(outside) != 1:
        could = ", ".join(p.label for p in outside) if outside else labels
        raise Unanswerable(
            f"{said!r} asks for one {ratio} ratio, and the model has {labels}:"
            f" it could be the ratio for any of {could}; say which, or ask for the ratios"
        )
    return outside[0].label
