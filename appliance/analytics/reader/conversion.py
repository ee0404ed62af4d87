"""Units a question asks in: converted exactly between units of one kind, or refused."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics import units
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, Plan
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import columns_of, is_age
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import header_words, split_words


def column_unit(r: State, name: str, said: Tok) -> str:
    """The unit ``name`` is recorded in, or a refusal naming the unit asked for."""
    c = r.col(name)
    recorded = units.of_column(c.name, c.source, r.ds.dictionary.get(c.name, {}))
    if recorded is not None:
        return recorded
    asked = units.canonical(said.data)
    quantity = _quantity(r, name, asked)
    low, high = c.min, c.max
    if quantity is None or not (_number(low) and _number(high)):
        raise Unanswerable(
            f"{said.text!r}: the unit of {name} is not recorded (give it as the column's"
            " 'unit' in the data dictionary), so it cannot be converted"
        )
    fit = units.fitting(quantity, float(low), float(high))
    if quantity.name == "age" and asked == "year" and "year" in fit and _years_of_age(high):
        r.caveats.append(f"{name} has no recorded unit: taken to be in years")
        return "year"
    values = f"its values ({low:g} to {high:g})"
    if len(fit) == 1:
        r.caveats.append(
            f"{name} has no recorded unit: {values} fit {units.name(fit[0])} only,"
            f" so taken as {units.name(fit[0])}"
        )
        return fit[0]
    fits = (
        f"fit {_either(fit)} alike"
        if fit
        else f"fit no unit of {quantity.name} a person's could be in"
    )
    raise Unanswerable(
        f"{said.text!r}: the unit of {name} is not recorded, and {values} {fits}"
        " (give it as the column's 'unit' in the data dictionary), so it cannot be converted"
    )


def _quantity(r: State, name: str, asked: str) -> units.Quantity | None:
    """What ``name`` measures, from its dictionary label where it has one (a label says
    what the column is: "sampling weight" is no body weight), else its header."""
    if is_age(r, name):
        return units.quantity_of(["age"], asked)
    label = r.ds.dictionary.get(name, {}).get("label", "")
    return units.quantity_of(
        split_words(label) if label else header_words(r.col(name).source or name), asked
    )


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _either(fit: list[str]) -> str:
    shown = [units.name(u) for u in fit]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _years_of_age(largest: object) -> bool:
    """Ages whose largest is under 2 are not plain years (a survey's age/100, ages of
    infants in fractions): "in years" of them is refused, never taken as years."""
    return isinstance(largest, int | float) and not isinstance(largest, bool) and largest >= 2


def convert(r: State, name: str, said: Tok) -> float:
    """The factor taking ``name``'s values into the unit said: 1 when it is the same,
    else exact (with a caveat), or a refusal when the two are of different kinds."""
    recorded = column_unit(r, name, said)
    asked = units.canonical(said.data)
    by = units.factor(asked, recorded)
    if by is None:
        raise Unanswerable(
            f"{said.text!r}: {name} is in {units.name(recorded)}, which cannot be"
            f" converted to {units.name(asked)}"
        )
    if by != 1.0:
        r.caveats.append(units.caveat(name, recorded, asked))
    return by


def read_units(r: State, plan: Plan | None) -> tuple[float, str | None]:
    """ "the average survival in months": a unit left after the conditions is the
    answer's. Converted exactly where the statistic is in the column's unit (a mean,
    not a count), and refused where it cannot be."""
    own_units(r)
    said = [t for t in r.toks if t.kind == Kind.UNIT and not t.used]
    if not said:
        return 1.0, None
    asked = {units.canonical(t.data) for t in said}
    quoted = ", ".join(repr(t.text) for t in said)
    if len(asked) > 1:
        raise Unanswerable(f"{quoted}: which unit should the answer be in?")
    if plan is None or plan.column is None:
        raise Unanswerable(f"{quoted}: a unit of what? name the column it measures")
    by = convert(r, plan.column, said[0])
    statistic = plan.of if plan.statistic == "difference" else plan.statistic
    if by != 1.0 and statistic not in units.LINEAR:
        raise Unanswerable(
            f"{quoted}: a {str(statistic).replace('_', ' ')} is not in {plan.column}'s"
            " unit, so it cannot be converted"
        )
    if by != 1.0 and r.ds.unit(plan.column) is None:
        raise Unanswerable(  # the plan converts only from a recorded unit: never a guess
            f"{quoted}: {plan.column} has no recorded unit, so its answer cannot be given in"
            " another unit than the one its values fit (give it as the column's 'unit' in"
            " the data dictionary)"
        )
    unit = units.name(units.canonical(said[0].data))
    r.note(said, f"in {unit}")
    return by, unit


def own_units(r: State) -> None:
    """ "the correlation between age and follow-up time in days": a unit right after a
    column recorded in that very unit says the column's unit, not the answer's: read
    with it (nothing to convert). Only a recorded unit (never one inferred from values)."""
    for k in range(2, len(r.toks)):
        t, said_in, before = r.toks[k], r.toks[k - 1], r.toks[k - 2]
        if (
            t.kind != Kind.UNIT
            or t.used
            or said_in.text != "in"
            or not before.used
            or before.kind != Kind.COLUMN
        ):
            continue
        names = columns_of(r, before)
        if len(names) != 1:
            continue
        c = r.col(names[0])
        recorded = units.of_column(c.name, c.source, r.ds.dictionary.get(c.name, {}))
        if recorded is not None and recorded == units.canonical(t.data):
            r.note([said_in, t], f"{c.name} is recorded in {units.name(recorded)}")


def amount_before_column(r: State, i: int) -> tuple[Filter, list[Tok]] | None:
    """ "a 10-day stay", "a 2-week stay": a number (token i) of a unit, then the column it
    measures: that column equal to the number, which the condition then converts from the
    unit said into the column's own (or refuses where its unit is not recorded)."""
    toks = r.toks
    if i + 2 >= len(toks):
        return None
    number, unit, column = toks[i : i + 3]
    if i and toks[i - 1].text in lx.PER_WORDS:
        return None  # "OR per 1 mmHg sbp": the unit of a fit's x (fits.read_per_unit)
    if (
        unit.kind != Kind.UNIT
        or unit.data in lx.AGE_UNITS
        or column.kind != Kind.COLUMN
        or unit.used
        or column.used
    ):
        return None
    names = columns_of(r, column, numeric=True)
    if len(names) != 1 or r.col(names[0]).type not in ("integer", "number"):
        return None
    return Filter(names[0], "=", (number.data,)), [number, unit, column]


def measured_after(r: State, k: int) -> str | None:
    """ "at least 180 cm tall": an adjective of a measure (token k) right after a unit of
    its kind says which kind of column the comparison is on, as "taller than" does."""
    if k < 1 or k >= len(r.toks) or r.toks[k].used or r.toks[k - 1].kind != Kind.UNIT:
        return None
    concept, of_kind = lx.MEASURE_ADJECTIVES.get(r.toks[k].text, ("", ""))
    said = units.canonical(str(r.toks[k - 1].data))
    return concept if concept and units.kind(said) == of_kind else None
