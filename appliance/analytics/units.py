"""Units of measure: which one a column is in, and exact conversions between them.

A question may say a unit ("the average survival in months", "stayed over 2 weeks").
A unit the column is not in would be a wrong number if ignored, so the reader converts
exactly where both units are known and of one kind (time, mass, length), says so in a
caveat, and refuses otherwise. A column's unit is known from the data dictionary's
``unit``, from its name (``survival_days``, ``weight_kg``) or from its header in
parentheses (``Weight (kg)``); an age column with none recorded is taken to be in years,
and the caveat says that too.
"""

from __future__ import annotations

import re
from typing import Any

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
