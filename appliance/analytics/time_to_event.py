"""A dataset's time-to-event pairs: a follow-up time and the flag of what ended it.

A survival table holds, per patient, how long they were followed (``survival_days``,
``futime``, ``time_to_relapse``) and whether the event happened by then (``status`` =
dead/alive, ``death`` = 0/1). Survival statistics need both, and the value of the flag
that means "the event happened"; a wrong guess is a wrong curve, so pairs are found
from the profile only when the table leaves no doubt, and the data dictionary can
always declare or correct them (``"role": "duration"`` with ``"unit"``, ``"role":
"event"`` with ``"event_value"``, ``"pair"`` to name one of several, ``"role": "none"``
to keep a column out of the guessing). Declared pairs replace the guessed ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from appliance.analytics import units
from appliance.analytics.plan import Filter

if TYPE_CHECKING:
    from appliance.analytics.datasets import ColumnProfile, Dataset

ROLES = ("duration", "event", "none")
_TIME_WORDS = r"(time|times|futime|fu|follow_?up|duration|days|months|years|weeks|to)"
DURATION_NAME = re.compile(
    r"^(futime|time|survtime|surv_?time|survival|survival_time|follow_?up\w*|os|pfs|dfs|efs"
    r"|days|months|years|weeks)$"
    r"|(^|_)(futime|time|survtime|duration|follow_?up)$"
    r"|^time_to_\w+$"
    r"|_(days|months|years|weeks)$"
)
FOLLOW_UP_NAME = re.compile(
    r"^(futime|time|survtime|surv_?time|survival|survival_time|follow_?up\w*|os|pfs|dfs|efs)$"
    r"|(^|_)(futime|survtime|survival|follow_?up|os|pfs|dfs|efs)(_|$)"
    r"|(^|_)(time|duration)$"
    r"|^time_to_\w+$"
)
"""A name that says follow-up (not only a unit, as ``los_days`` or ``pack_years`` do)."""
AGE_NAME = re.compile(r"(^|_)(age|aged|dob)(_|$)")
"""An age in years is a time since birth, never a follow-up time."""
EVENT_NAME = re.compile(
    r"(^|_)(status|event|events|death|dead|died|deceased|fail|failure|relapse|relapsed"
    r"|recurrence|progression|progressed|censor|censored|cens|survived|alive|vital_status)$"
)
EVENT_WORDS = frozenset(
    {"dead", "died", "death", "deceased", "event", "relapse", "relapsed", "recurred",
     "progressed", "progression", "failure", "failed"}
)  # fmt: skip
CENSOR_WORDS = frozenset(
    {"alive", "censored", "living", "survived", "no event", "event free", "event-free",
     "lost", "lost to follow-up", "free"}
)  # fmt: skip
NOT_EVENT_NAME = re.compile(r"(^|_)(censor|censored|cens|alive|survived)$")
"""A 0/1 flag named so is 1 when the event did *not* happen."""


@dataclass(frozen=True)
class Pair:
    name: str
    duration: str
    unit: str | None
    event: str
    event_value: Any
    source: str  # "dictionary" or "profile"

    @property
    def condition(self) -> Filter:
        """The rows where the event happened, as a plan's condition."""
        return Filter(self.event, "=", (self.event_value,))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "duration": self.duration,
            "unit": self.unit,
            "event": self.event,
            "event_value": self.event_value,
            "source": self.source,
        }


def pairs(ds: Dataset) -> list[Pair]:
    """The dataset's pairs: the dictionary's where it declares any, else the profile's."""
    declared = _declared(ds)
    if declared is not None:
        return declared
    return _found(ds)


def find(ds: Dataset, name: str | None = None) -> Pair | None:
    """The pair named ``name``, or the only one when no name is given."""
    found = pairs(ds)
    if name is not None:
        return next((p for p in found if p.name == name), None)
    return found[0] if len(found) == 1 else None


def _unit(ds: Dataset, col: ColumnProfile) -> str | None:
    return units.of_column(col.name, col.source, ds.dictionary.get(col.name, {}))


def _declared(ds: Dataset) -> list[Pair] | None:
    roles = {name: e["role"] for name, e in ds.dictionary.items() if e.get("role") in ROLES[:2]}
    if not roles:
        return None
    durations: dict[str | None, list[str]] = {}
    events: dict[str | None, list[str]] = {}
    for name, role in roles.items():
        key = ds.dictionary[name].get("pair")
        (durations if role == "duration" else events).setdefault(key, []).append(name)
    out = []
    for key in sorted(set(durations) & set(events), key=lambda k: k or ""):
        if len(durations[key]) != 1 or len(events[key]) != 1:
            continue  # two durations under one name: no pair until the dictionary says
        d, e = durations[key][0], events[key][0]
        col = ds.column(d)
        if col is None or ds.column(e) is None:
            continue
        out.append(
            Pair(key or e, d, _unit(ds, col), e, ds.dictionary[e].get("event_value"), "dictionary")
        )
    return out


def _found(ds: Dataset) -> list[Pair]:
    """Pairs the profile leaves no doubt about: a time column beside an event flag whose
    names share a stem (``time_to_relapse`` and ``relapse``, ``os_days`` and
    ``os_status``), or the table's only time column beside its only event flag. An age
    (``age_at_transplant_years``) is no time column, and of several time columns the only
    one named as follow-up (``follow_up_days`` beside ``los_days``) is the one."""
    excluded = {n for n, e in ds.dictionary.items() if e.get("role") == "none"}
    durations = [
        c
        for c in ds.columns
        if c.name not in excluded
        and c.type in ("integer", "number")
        and DURATION_NAME.search(c.name)
        and not AGE_NAME.search(c.name)
        and isinstance(c.min, int | float)
        and c.min >= 0
    ]
    flags = {c.name: v for c in ds.columns if c.name not in excluded for v in [_event_value(c)]}
    out: list[Pair] = []
    used: set[str] = set()
    for d in durations:
        stem = _stem(d.name)
        if not stem:
            continue
        for suffix in ("", "_status", "_event", "_flag", "_censor", "_cens", "_dead", "_death"):
            name = stem + suffix
            if name != d.name and name in flags and flags[name] is not None:
                out.append(Pair(stem, d.name, _unit(ds, d), name, flags[name], "profile"))
                used |= {d.name, name}
                break
    rest_d = [d for d in durations if d.name not in used]
    named = [d for d in rest_d if FOLLOW_UP_NAME.search(d.name)]
    if len(rest_d) > 1 and len(named) == 1:
        rest_d = named  # follow_up_days beside los_days: the one named as follow-up
    rest_e = [
        name for name, v in flags.items() if v is not None and name not in used and _named(name)
    ]
    if len(rest_d) == 1 and len(rest_e) == 1 and not out:
        d = rest_d[0]
        out.append(Pair(rest_e[0], d.name, _unit(ds, d), rest_e[0], flags[rest_e[0]], "profile"))
    return out


def _named(name: str) -> bool:
    return bool(EVENT_NAME.search(name))


def _stem(name: str) -> str:
    """What a time column measures the time to: ``time_to_cmv`` → ``cmv``."""
    words = [w for w in name.split("_") if not re.fullmatch(_TIME_WORDS, w)]
    return "_".join(words)


def _event_value(col: ColumnProfile) -> Any:
    """The value that means "the event happened", when the column's values say it."""
    values = [v["value"] for v in col.values]
    if col.type not in ("boolean", "category") or col.distinct != 2 or len(values) != 2:
        return None
    if col.storage == "BOOLEAN" or set(values) == {0, 1}:
        if not (_named(col.name) or col.type == "boolean"):
            return None
        return 0 if NOT_EVENT_NAME.search(col.name) else 1
    words = {str(v).strip().lower(): v for v in values}
    for yes, no in (("yes", "no"), ("y", "n"), ("true", "false")):
        if set(words) == {yes, no} and _named(col.name):
            return words[no if NOT_EVENT_NAME.search(col.name) else yes]
    hit = [w for w in words if w in EVENT_WORDS]
    miss = [w for w in words if w in CENSOR_WORDS]
    if len(hit) == 1 and len(miss) == 1:
        return words[hit[0]]
    return None
