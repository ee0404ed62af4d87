"""Yes/no columns whose header states a threshold of age (``age_80_or_older``,
``age_over_75``, "Age 80 or older"): where a table has no ages, only such a flag, a
question's age condition is read as the flag only when it says the header's threshold
in the header's direction ("aged 80 or older", "80+": yes) or its exact opposite ("under
80": no). Any other age ("over 70", "older than 80") cannot be told from the flag and is
refused saying so: rounding it to the flag would answer another question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter
from appliance.analytics.reader.column_forms import OPPOSITE, stated
from appliance.analytics.reader.words import split_words

if TYPE_CHECKING:
    from appliance.analytics.reader.state import State


def threshold_of(r: State, name: str) -> tuple[str, float] | None:
    """The age condition a yes/no column's header (or label) states: (op, number), or
    None where it states none, or anything more."""
    col = r.col(name)
    if col.type != "boolean":
        return None
    label = r.ds.dictionary.get(name, {}).get("label") or ""
    for words in (name.split("_"), split_words(col.source), split_words(label)):
        found = stated(words)
        if found is not None:
            return found
    return None


def age_flags(r: State) -> list[str]:
    """The table's yes/no columns stating an age threshold."""
    return [c.name for c in r.ds.columns if threshold_of(r, c.name) is not None]


def has_age(r: State) -> bool:
    """Whether the table holds ages themselves (a number column named or labelled age)."""
    for c in r.ds.columns:
        label = r.ds.dictionary.get(c.name, {}).get("label") or ""
        if c.info.numeric and c.type != "boolean":
            if "age" in c.name.split("_") or "age" in split_words(label):
                return True
    return False


def as_flag(r: State, f: Filter, said: str) -> Filter:
    """A comparison of a threshold flag, as the flag's yes or no; refused where the
    question's threshold is not the header's (or its opposite)."""
    stated = threshold_of(r, f.column)
    if stated is None or f.op not in OPPOSITE or len(f.values) != 1:
        return f
    value = f.values[0]
    op, limit = stated
    yes, no = _yes_no(r, f.column)
    if isinstance(value, int | float) and not isinstance(value, bool) and value == limit:
        if f.op == op:
            return Filter(f.column, "=", (yes,), f.part)
        if f.op == OPPOSITE[op]:
            return Filter(f.column, "=", (no,), f.part)
    raise Unanswerable(
        f"{said!r}: this table has no ages, only {f.column} (whether age is "
        f"{op} {limit:g}); ask about that threshold, or its opposite"
    )


def _yes_no(r: State, name: str) -> tuple[Any, Any]:
    """The flag's yes and no as its filters hold them (as Vocabulary.flag_data)."""
    yes: Any = 1
    no: Any = 0
    for v in (x["value"] for x in r.col(name).values):
        text = str(v).strip().lower()
        if text in lx.YES_TEXTS or v is True:
            yes = 1 if v is True else v
        elif text in lx.NO_TEXTS or v is False:
            no = 0 if v is False else v
    return yes, no
