"""Units of measure: which one a column is in, and exact conversions between them.

A question may say a unit ("the average survival in months", "stayed over 2 weeks").
A unit the column is not in would be a wrong number if ignored, so the reader converts
exactly where both units are known and of one kind (time, mass, length), says so in a
caveat, and refuses otherwise. A column's unit is known from the data dictionary's
``unit``, from its name (``survival_days``, ``weight_kg``) or from its header in
parentheses (``Weight (kg)``); an age column with none recorded is taken to be in years,
and a column of a body quantity with none (``height``) in the one unit its values fit
(:data:`QUANTITIES`); the caveat says that too.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from appliance.analytics.lexicon import OLDEST_IN_YEARS

# Words for a unit → the unit. Only these convert; any other unit text is compared as
# written (a column in "mmHg" answers to "mmhg", never to "kg").
WORDS: dict[str, str] = {
    **dict.fromkeys(("d", "day", "days"), "day"),
    **dict.fromkeys(("wk", "wks", "week", "weeks"), "week"),
    **dict.fromkeys(("mo", "mos", "month", "months"), "month"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years", "years old", "old"), "year"),
    **dict.fromkeys(("g", "gm", "gram", "grams", "gramme", "grammes"), "g"),
    **dict.fromkeys(("kg", "kgs", "kilogram", "kilograms", "kilo", "kilos"), "kg"),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), "lb"),
    **dict.fromkeys(("mm", "millimeter", "millimeters", "millimetre", "millimetres"), "mm"),
    **dict.fromkeys(("cm", "centimeter", "centimeters", "centimetre", "centimetres"), "cm"),
    **dict.fromkeys(("m", "meter", "meters", "metre", "metres"), "m"),
    **dict.fromkeys(("in", "inch", "inches"), "in"),
}

# Each unit in its kind's base unit (days, grams, millimetres): exact by definition
# (a month is 30.4375 days, a twelfth of a Julian year of 365.25 days).
_SIZE: dict[str, tuple[str, float]] = {
    "day": ("time", 1.0),
    "week": ("time", 7.0),
    "month": ("time", 30.4375),
    "year": ("time", 365.25),
    "g": ("mass", 1.0),
    "kg": ("mass", 1000.0),
    "lb": ("mass", 453.59237),
    "mm": ("length", 1.0),
    "cm": ("length", 10.0),
    "m": ("length", 1000.0),
    "in": ("length", 25.4),
}
KNOWN: tuple[str, ...] = tuple(_SIZE)
"""The units a plan may ask an answer in (its ``unit``)."""
PLURAL = {"day": "days", "week": "weeks", "month": "months", "year": "years"}

# Statistics whose answer is in the column's unit, so that a conversion multiplies it.
LINEAR = frozenset(
    {"sum", "mean", "median", "min", "max", "stddev", "percentile", "iqr", "survival_median"}
)
KM_MEDIAN_COLUMNS = ("median", "lower_95", "upper_95")
"""The columns of a survival_median's rows in its time column's unit; other statistics
have theirs in "value"."""


def canonical(text: str) -> str:
    """A unit as said or written ("Days", "kgs", "mmHg") → the unit ("day", "kg", "mmhg")."""
    said = " ".join(re.findall(r"[a-z0-9/%]+", text.lower()))
    return WORDS.get(said, said)


def of_column(name: str, source: str, entry: dict[str, Any]) -> str | None:
    """The unit a column is recorded in, or None where nothing says."""
    if entry.get("unit"):
        return canonical(str(entry["unit"]))
    found = re.search(r"\(([^)]+)\)\s*$", source or "")
    if found:
        return canonical(found.group(1))
    last = name.split("_")[-1]
    if last in WORDS and last not in ("old", "in") and (len(last) > 2 or "_" in name):
        return WORDS[last]  # survival_days, weight_kg, height_m, weeks
    return None


def factor(said: str, recorded: str) -> float | None:
    """What a value in ``recorded`` units is multiplied by to be in ``said`` units; None
    when the two are not of one kind (or not known)."""
    if said == recorded:
        return 1.0
    a, b = _SIZE.get(said), _SIZE.get(recorded)
    if a is None or b is None or a[0] != b[0]:
        return None
    return b[1] / a[1]


def kind(unit: str) -> str | None:
    """A unit's kind ("time", "mass", "length"), or None for one not converted."""
    size = _SIZE.get(unit)
    return None if size is None else size[0]


def name(unit: str) -> str:
    return PLURAL.get(unit, unit)


def caveat(column: str, recorded: str, asked: str) -> str:
    """The conversion in words, one text wherever it is made (a question's reading, a
    plan's ``unit``), so that an answer says it once."""
    return (
        f"{column} converted from {name(recorded)} to {name(asked)}"
        f" (1 {asked} = {factor(recorded, asked):.10g} {name(recorded)})"
    )


def scaled(value: Any, by: float) -> Any:
    """Every number of an answer (a number, or groups of numbers) multiplied."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value * by
    if isinstance(value, dict):
        return {k: scaled(v, by) for k, v in value.items()}
    return value


# A column whose unit is not recorded, and a question that says one (§ "units" of
# docs/analytics.md): the unit is inferred only where the column names a quantity of the
# body whose range physiology bounds, and its values fit one unit of that kind alone.
# Each range is the human one in the kind's base unit, set wide (a value past it is
# past any person, not merely rare), so that a unit is ruled out only when its values
# cannot be a person's:
# - body weight, 200 g to 650 kg: the smallest surviving newborns weigh about 250 g and
#   the heaviest person on record about 635 kg;
# - height, 20 cm to 275 cm: a newborn at the edge of viability measures about
#   25 cm, and the tallest person on record 272 cm;
# - age, 0 to 130 years (lexicon.OLDEST_IN_YEARS): no one has lived past 123. Days,
#   weeks and months all fit an age well under 130 years (a table of infants in days is
#   as possible as one of children in months), so an age is never inferred in another
#   unit than years, and only the years of the reader's own rule (an age column is taken
#   to be in years where its largest value is one an age in years can be);
# - blood pressure, 10 to 380 mmHg: a neonate's diastolic pressure is about 20 mmHg,
#   and the highest pressures measured (in weightlifting) about 370 mmHg; the other unit
#   it is written in is kPa (1 mmHg = 101.325/760 kPa).
# Words are a column's whole name or label (its unit aside), never a part of one:
# "weight" is body weight, "heart weight" is not.
PRESSURE = {"mmhg": 1.0, "kpa": 760 / 101.325}
"""Pressure units in mmHg: only ever inferred, never converted (a plan's units are KNOWN)."""


class Quantity(NamedTuple):
    name: str
    words: frozenset[str]
    """Its names, as a column's whole name or label (spaces removed: "systolicbp")."""
    sizes: dict[str, float]
    """Each unit it is written in → that unit in the base unit."""
    low: float
    high: float
    """The plausible range of one person's value, in the base unit."""


def _of_kind(kind: str) -> dict[str, float]:
    return {u: size for u, (k, size) in _SIZE.items() if k == kind}


QUANTITIES: tuple[Quantity, ...] = (
    Quantity(
        "weight",
        frozenset("weight wt wgt bodyweight bodywt".split()),
        _of_kind("mass"),
        200.0,
        650_000.0,
    ),
    Quantity("height", frozenset("height hgt stature".split()), _of_kind("length"), 200.0, 2750.0),
    Quantity("age", frozenset({"age"}), _of_kind("time"), 0.0, OLDEST_IN_YEARS * 365.25),
    Quantity(
        "blood pressure",
        frozenset(
            """bp sbp dbp sysbp diabp systolic diastolic systolicbp diastolicbp
            bloodpressure systolicbloodpressure diastolicbloodpressure""".split()
        ),
        PRESSURE,
        10.0,
        380.0,
    ),
)


def quantity_of(words: list[str], unit: str) -> Quantity | None:
    """The quantity a column's name or label (its words, a unit among them dropped) is,
    where it is one written in ``unit``."""
    named = "".join(w for w in words if w not in WORDS and w not in PRESSURE)
    for q in QUANTITIES:
        if named in q.words and unit in q.sizes:
            return q
    return None


def fitting(q: Quantity, low: float, high: float) -> list[str]:
    """The units of ``q`` in which every value from ``low`` to ``high`` is a person's."""
    return [u for u, size in q.sizes.items() if q.low <= low * size and high * size <= q.high]
